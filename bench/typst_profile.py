"""Compile the Typst sources of a book's volume again, alone, and say what it cost: to find where Typst's time goes.

`build_pdfs(..., keep_sources=FOLDER)` keeps each volume's sources as they were compiled (main.typ, lib.typ,
inputs.json: Typst's `sys.inputs`) in FOLDER/volume-N-of-the-book. This script compiles such a folder in a
fresh process per run (Typst keeps what it laid out until its process ends, so a second compilation in the
same process would cost almost nothing), optionally with another lib.typ in place of the kept one, and
prints CPU (user + system of every thread), wall time, pages and peak memory. Compare variants of lib.typ by
CPU, the figure a loaded machine changes least, and with --pdf the PDFs they make.

Example:

    python bench/typst_profile.py /tmp/kept/volume-4-of-the-book --lib xslt/pdf/lib.typ --runs 3
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a volume's kept sources (main.typ, lib.typ, inputs.json)")
    parser.add_argument("--lib", type=Path, help="a lib.typ to compile with instead of the kept one")
    parser.add_argument("--runs", type=int, default=1, help="compilations, each in a fresh process (default: 1)")
    parser.add_argument("--pdf", type=Path, help="write the (last) PDF here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(compile_once(args.folder, args.pdf)))
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
