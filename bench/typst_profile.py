"""Compile the Typst sources of a book's volume again, alone, or typeset documents' own PDFs, and say what it cost: to find
where Typst's time goes.

`build_pdfs(..., keep_sources=FOLDER)` keeps each volume's sources as they were compiled (main.typ, lib.typ,
inputs.json: Typst's `sys.inputs`) in FOLDER/volume-N-of-the-book. This script compiles such a folder in a
fresh process per run (Typst keeps what it laid out until its process ends, so a second compilation in the
same process would cost almost nothing), optionally with another lib.typ in place of the kept one, and
prints CPU (user + system of every thread), wall time, pages and peak memory. Compare variants of lib.typ by
CPU, the figure a loaded machine changes least, and with --pdf the PDFs they make.

`--documents` typesets the own PDF of every document of a `tei/` folder instead, one after the other in one fresh
process as a worker of the build does (its stylesheets and Typst compiler made once), with the teipress of each
`--src` folder in turn (each run alternates them, so that they share the machine's load), and prints the CPU of the
typesetting alone.

Examples:

    python bench/typst_profile.py /tmp/kept/volume-4-of-the-book --lib xslt/pdf/lib.typ --runs 3
    python bench/typst_profile.py /tmp/escher-200/tei --documents --src ../main/src --src src --runs 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_FONT_PATHS = ["/usr/share/fonts"]


def compile_once(folder: Path, pdf_out: Path | None) -> dict[str, float]:
    """Compile `folder`/main.typ as teipress does (PDF/A-3b, its inputs); this process's figures."""
    import io

    import pypdf
    import typst

    inputs = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    compiler = typst.Compiler(str(folder / "main.typ"), root=str(folder), font_paths=[p for p in DEFAULT_FONT_PATHS if Path(p).is_dir()])
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    pdf, warnings = compiler.compile_with_warnings(sys_inputs=inputs, pdf_standards=["a-3b"])
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    if pdf_out is not None:
        pdf_out.write_bytes(pdf)
    return {"cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, "wall_s": wall,
            "pages": len(pypdf.PdfReader(io.BytesIO(pdf)).pages), "warnings": len(warnings), "peak_mb": after.ru_maxrss / 1024}


def typeset_documents(source: Path) -> dict[str, float]:
    """Typeset the own PDF of every document of `source` (a tei/ folder) in this process, as a build's worker does;
    this process's figures for the typesetting, and how many documents' apparatus entries were given their lines."""
    from lxml import etree

    from teipress import pdf
    from teipress.config import load_config
    from teipress.edition import load_edition, merged_registers
    from teipress.outputs import output_names

    edition = load_edition(source)
    config = load_config(source.parent, source=source)
    names = output_names(edition)
    with tempfile.TemporaryDirectory(prefix="typst-profile-") as out:
        setting = pdf.typesetting(config, edition, Path(out))
        pdf._start_worker(etree.tostring(merged_registers(edition)), None, setting)
        tasks = [(str(doc.path), names[doc], etree.tostring(doc.tree), doc.path.read_bytes(), "".join(doc.tree.getroot().itertext()),
                  pdf.print_images(doc.path, doc.tree, edition.source)) for doc in edition.documents]
        pdf._stylesheets()  # made once per worker: not the documents' cost
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        outcomes = [pdf._typeset_document(*task) for task in tasks]
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    failed = [outcome.error for outcome in outcomes if outcome.error]
    if failed:
        raise SystemExit("\n".join(failed))
    return {"cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, "wall_s": wall, "documents": len(outcomes),
            "grouped": sum(1 for outcome in outcomes if outcome.apparatus_lines), "peak_mb": pdf._own_peak_mb()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a volume's kept sources (main.typ, lib.typ, inputs.json), or with --documents a tei/ folder")
    parser.add_argument("--documents", action="store_true", help="typeset the own PDFs of the documents of FOLDER (a tei/ folder)")
    parser.add_argument("--src", type=Path, action="append", default=[], help="with --documents: a teipress source folder (src/) to typeset with; repeat to compare")
    parser.add_argument("--lib", type=Path, help="a lib.typ to compile with instead of the kept one")
    parser.add_argument("--runs", type=int, default=1, help="compilations, each in a fresh process (default: 1)")
    parser.add_argument("--pdf", type=Path, help="write the (last) PDF here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(typeset_documents(args.folder) if args.documents else compile_once(args.folder, args.pdf)))
        return 0
    if args.documents:
        for run in range(1, args.runs + 1):
            for src in args.src or [Path(__file__).resolve().parent.parent / "src"]:
                environment = {**os.environ, "PYTHONPATH": str(src.resolve())}
                command = [sys.executable, __file__, str(args.folder.resolve()), "--documents", "--child"]
                figures = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, env=environment).stdout)
                print(f"run {run}, {src}: {figures['cpu_s']:.1f} s CPU, {figures['wall_s']:.1f} s, {figures['documents']} documents "
                      f"({figures['grouped']} given their entries' lines), peak {figures['peak_mb']:.0f} MB", flush=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="typst-profile-") as work:
        folder = Path(work)
        for path in args.folder.iterdir():
            shutil.copyfile(path, folder / path.name)
        if args.lib:
            shutil.copyfile(args.lib, folder / "lib.typ")
        for run in range(1, args.runs + 1):
            command = [sys.executable, __file__, str(folder), "--child", *(["--pdf", str(args.pdf)] if args.pdf else [])]
            figures = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            print(f"run {run}: {figures['cpu_s']:.2f} s CPU, {figures['wall_s']:.2f} s, {figures['pages']} pages, "
                  f"{figures['warnings']} warning(s), peak {figures['peak_mb']:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
