"""One measured step of the benchmark, run by `bench/run.py` in a fresh process of its own.

A fresh process per step means the figures include what a user waits for: starting Python,
importing teipress and compiling the stylesheets; and the peak memory is that of this step alone.
The last line printed is `BENCH-RESULT {json}`: what was processed and, for a step whose API
teipress does not have (yet), `unavailable` with the reason.

Example:

    python bench/step.py validate /tmp/edition-1000
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROCESS_STARTED = time.perf_counter()  # as near to the start of Python as a script gets

from procmem import PeakSampler  # noqa: E402  (bench/ is this script's folder, hence on sys.path)

RESULT_PREFIX = "BENCH-RESULT "
PHASE_PREFIX = "BENCH-PHASE "


class Unavailable(Exception):
    """teipress does not offer what this step measures (yet)."""


def _import(module: str, name: str) -> Any:
    try:
        imported = __import__(f"teipress.{module}", fromlist=[name])
    except ImportError as error:
        raise Unavailable(f"teipress.{module} cannot be imported ({error})") from error
    try:
        return getattr(imported, name)
    except AttributeError as error:
        raise Unavailable(f"teipress.{module} has no {name}()") from error


def _config(root: Path):  # type: ignore[no-untyped-def]
    from teipress.config import load_config

    return load_config(root)


def step_validate(root: Path) -> dict[str, Any]:
    """RELAX NG + Schematron over every file of the edition."""
    validate_paths = _import("validate", "validate_paths")
    config = _config(root)
    result = validate_paths([config.source], config)
    problems = list(getattr(result, "problems", []))
    return {
        "files": getattr(result, "files_checked", None),
        "errors": getattr(result, "error_count", None),
        "warnings": getattr(result, "warning_count", None),
        "first_problems": [str(p) for p in problems[:3]],
    }


def _html_build(root: Path) -> dict[str, Any]:
    build_edition = _import("build", "build_edition")
    config = _config(root)
    result = build_edition(config, formats={"html"}, validate=False)
    return {
        "rendered": len(result.documents_rendered),
        "reused": len(result.documents_reused),
        "pages": len(result.pages_written),
        "timings": {k: round(v, 3) for k, v in result.timings.items()},
        "problems": len(result.problems),
    }


def site_of(root: Path) -> Path:
    """The HTML site of the edition at `root`."""
    return Path(_config(root).html_dir)


def clear_site(root: Path, aside: Path) -> None:
    """Set the HTML site a previous run left aside, with what teipress keeps beside it for the next build (its mirror,
    its store of facts): run.py does this before the html-full step, outside the step's time, so that the step is a
    build from nothing and its figure holds no removal of an earlier site (seconds at thousands of pages), nor the
    aftermath of one (see `set_aside`)."""
    site = site_of(root)
    set_aside(site, aside)
    for kept in site.parent.glob(f".{site.name}.*"):
        set_aside(kept, aside)


def set_aside(path: Path, aside: Path) -> None:
    """Move the file or folder at `path`, if there is one, into the folder `aside`, to be removed by `remove_set_aside`
    once nothing more is measured; removed at once only where it cannot be moved there (another file system).

    Not removed before a measurement: on a file system without a journal (ext4 so mounted, as on the development
    machine), Linux gives a new file no inode freed in the last one to six minutes (ext4's `recently_deleted`), and looks
    past each such inode at every new file. A build of Escher's 5,074 letters makes 350,000 files: right after the
    previous run's site was removed it took 79-91 s (45-66 s of system CPU), five minutes after the last removal 65 s
    (16 s)."""
    if not path.exists() and not path.is_symlink():
        return
    aside.mkdir(parents=True, exist_ok=True)
    holder = Path(tempfile.mkdtemp(prefix=f"{path.name}-", dir=aside))
    try:
        os.rename(path, holder / path.name)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def remove_set_aside(aside: Path) -> float:
    """Remove what `set_aside` moved into `aside`; the seconds it took."""
    started = time.perf_counter()
    shutil.rmtree(aside, ignore_errors=True)
    return time.perf_counter() - started


def page_sizes(site: Path) -> dict[str, Any]:
    """The largest HTML page, and the median ratio of a document page to its TEI source (the copy under tei/): read
    by run.py after the html-full step, outside its time (a walk over every file of the site, 5 s of Escher's).

    Every published page counts, wherever the site puts it (split lists such as documents-2.html, a page per
    year or per register entry); not Pagefind's files, nor a build's own records in a folder whose name
    begins with a dot (.teipress/), which are no pages."""
    pages = [p for p in site.rglob("*.html")
             if "pagefind" not in p.relative_to(site).parts[0] and not any(part.startswith(".") for part in p.relative_to(site).parts)]
    largest = max(pages, key=lambda p: p.stat().st_size, default=None)
    ratios = sorted(page.stat().st_size / source.stat().st_size for page in (site / "documents").glob("*.html")
                    if (source := site / "tei" / f"{page.stem}.xml").is_file() and source.stat().st_size)
    return {
        "largest_page_mb": round(largest.stat().st_size / 1e6, 3) if largest else 0,
        "largest_page": str(largest.relative_to(site)) if largest else "",
        "median_page_to_source": round(ratios[len(ratios) // 2], 2) if ratios else None,
        "site_mb": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1),
    }


def step_html_full(root: Path) -> dict[str, Any]:
    """A build from nothing (run.py clears the site first): every page, registers, chronology and search index."""
    return _html_build(root)


def step_html_rebuild(root: Path) -> dict[str, Any]:
    """A build after one letter changed (run.py changes it), over the previous build's output."""
    config = _config(root)
    if not config.html_dir.is_dir():
        raise Unavailable("no previous HTML build to rebuild (the html-full step did not run or failed)")
    return _html_build(root)


def step_xslt(root: Path) -> dict[str, Any]:
    """Our HTML document stylesheet alone, compiled once: seconds per MB of TEI (parse, transform, serialize)."""
    from teipress.edition import RegisterIndex, load_edition, merged_registers
    from teipress.resources import XSLT_DIR
    from teipress.saxon import Stylesheets, to_xdm

    stylesheet = "html/document.xsl"
    if not (XSLT_DIR / stylesheet).is_file():
        raise Unavailable(f"xslt/{stylesheet} does not exist")
    from lxml import etree

    config = _config(root)
    edition = load_edition(config.source)
    register_index = RegisterIndex(merged_registers(edition))
    edition_node = to_xdm(edition.edition_file.tree) if edition.edition_file else None
    # As the build does: each document gets the register entries it points to.
    sources = [(doc.id, etree.tostring(doc.tree, encoding="utf-8"), register_index.subset_xml(doc.tree.getroot())) for doc in edition.documents]
    sheets = Stylesheets()
    started = time.perf_counter()
    sheets.executable(stylesheet)
    compile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    output_bytes = 0
    for document_id, data, registers in sources:
        html = sheets.transform(stylesheet, to_xdm(data), registers=to_xdm(registers), edition=edition_node, document_id=document_id, site_root="../")
        output_bytes += len(html.encode("utf-8"))
    transform_seconds = time.perf_counter() - started
    source_mb = sum(len(data) for _, data, _ in sources) / 1e6
    return {
        "documents": len(sources),
        "source_mb": round(source_mb, 3),
        "compile_s": round(compile_seconds, 3),
        "transform_s": round(transform_seconds, 3),
        "s_per_mb": round(transform_seconds / source_mb, 4),
        "output_mb": round(output_bytes / 1e6, 3),
    }


def step_pdf(root: Path) -> dict[str, Any]:
    """Every per-document PDF, then the book, as `teipress build --pdf` makes them from nothing; timed and sampled per phase."""
    config = _config(root)
    shutil.rmtree(config.pdf_dir, ignore_errors=True)
    return _pdf_build(config)


def step_pdf_book(root: Path) -> dict[str, Any]:
    """The book's volumes alone, typeset again from the documents' PDFs and chapters of the previous pdf step
    (its volumes are removed first, so that none is reused): what the volumes cost apart from the documents."""
    from teipress.pdf import BOOK_FILE, VOLUMES_DIR

    config = _config(root)
    if not (config.pdf_dir / BOOK_FILE).is_file() and not (config.pdf_dir / VOLUMES_DIR).is_dir():
        raise Unavailable("no previous PDF build to typeset the book of again (the pdf step did not run or failed)")
    (config.pdf_dir / BOOK_FILE).unlink(missing_ok=True)
    shutil.rmtree(config.pdf_dir / VOLUMES_DIR, ignore_errors=True)
    return _pdf_build(config, count_pages=False)


def _pdf_build(config: Any, count_pages: bool = True) -> dict[str, Any]:
    """`build_pdfs` as `teipress build --pdf` runs it, the process tree's memory sampled per phase.

    teipress times its two phases itself (`PdfResult.documents_seconds`: the documents' PDFs and the
    volumes' markup; `volumes_seconds`: the volumes' compilations) and measures each volume's process
    (`volume_figures`). The memory of the whole tree per phase is sampled here: the first volume handed
    to a compiling process (`_typeset_volume` submitted to a worker pool) divides the phases. `count_pages`: the pages
    of every PDF written, which the pdf step reports (the volumes' pages are counted by their processes anyway).
    """
    import concurrent.futures

    from teipress.edition import load_edition

    build_pdfs = _import("pdf", "build_pdfs")
    started = time.perf_counter()
    marks: dict[str, float] = {}
    original = concurrent.futures.ProcessPoolExecutor.submit

    with PeakSampler() as sampler:
        def hand_over(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            # teipress's WorkerPool submits each task wrapped: workers._run(function, what, args).
            task = args[0] if getattr(fn, "__name__", "") == "_run" and args else fn
            if getattr(task, "__name__", "") == "_typeset_volume" and "book_start" not in marks:
                marks["book_start"] = time.perf_counter()
                marks["documents_peak"] = sampler.take()
                # Told at once, so that a book that outlasts run.py's timeout still leaves this figure.
                print(PHASE_PREFIX + json.dumps({"documents_s": round(marks["book_start"] - PROCESS_STARTED, 3),
                                                 "documents_peak_mb": round(marks["documents_peak"] / 1e6)}), flush=True)
            return original(self, fn, *args, **kwargs)

        concurrent.futures.ProcessPoolExecutor.submit = hand_over  # type: ignore[method-assign]
        try:
            # As `teipress build --pdf --no-validate` loads it: without holding every document's tree.
            edition = load_edition(config.source, hold_trees=False)
            result = build_pdfs(edition, config, config.pdf_dir, jobs=config.jobs)
        finally:
            concurrent.futures.ProcessPoolExecutor.submit = original  # type: ignore[method-assign]
        last_peak = sampler.take()
    files = [Path(f) for f in result.files]
    figures = result.volume_figures  # every compilation: a volume whose references' targets moved is typeset again
    final = list({f.file: f for f in figures}.values())  # each volume as it was last typeset
    largest = max(final, key=lambda f: f.pages, default=None)
    outcome: dict[str, Any] = {
        "pdf_files": len(files),
        "typeset": len(result.typeset),
        # Opening every document's PDF is the bench's work, not the build's: 2.7 s of a 30 s pdf-book step at 1,000
        # letters, 50 s at 20,000, which the step's time (the volumes' figure) must not hold.
        "pages": _count_pages(files) if count_pages else None,
        "book_pages": sum(f.pages for f in final) if final else _count_pages(result.volumes),
        "volumes": len(result.volumes),
        "volumes_typeset": len(final),
        "volume_pages": [f.pages for f in final],
        # Each volume's own process: wall and CPU seconds, peak resident memory, compilations (2: line numbers counted again).
        "volume_figures": [{"file": f.file, "pages": f.pages, "s": round(f.seconds, 2), "cpu_s": round(f.cpu_seconds, 2),
                            "peak_mb": round(f.peak_mb), "compilations": f.compilations} for f in figures],
        "largest_volume": {"pages": largest.pages, "s": round(largest.seconds, 2), "cpu_s": round(largest.cpu_seconds, 2),
                           "peak_mb": round(largest.peak_mb)} if largest else None,
        "problems": len(result.problems),
        "python_start_s": round(started - PROCESS_STARTED, 3),
        "volumes_cpu_s": round(sum(f.cpu_seconds for f in figures), 2),
    }
    if "book_start" in marks:
        outcome |= {
            "documents_s": round(marks["book_start"] - PROCESS_STARTED, 3),
            "documents_peak_mb": round(marks["documents_peak"] / 1e6),
            "book_s": round(result.volumes_seconds, 3),
            "book_peak_mb": round(last_peak / 1e6),
        }
    return outcome


def _count_pages(files: list[Path]) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return sum(len(PdfReader(str(f)).pages) for f in files if f.suffix == ".pdf" and f.is_file())


def _export(root: Path, fmt: str) -> dict[str, Any]:
    export_edition = _import("export", "export_edition")
    config = _config(root)
    out = root / "export" / fmt
    result = export_edition(config, fmt, out, force=True)
    written = list(getattr(result, "files", None) or getattr(result, "written", None) or [])
    if not written and out.exists():
        written = [p for p in out.rglob("*") if p.is_file()] if out.is_dir() else [out]
    return {"files": len(written), "output_mb": round(sum(Path(p).stat().st_size for p in written if Path(p).is_file()) / 1e6, 3)}


def step_export_tei(root: Path) -> dict[str, Any]:
    return _export(root, "tei")


def step_export_cmif(root: Path) -> dict[str, Any]:
    return _export(root, "cmif")


def step_export_dc(root: Path) -> dict[str, Any]:
    return _export(root, "dc")


STEPS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "validate": step_validate,
    "html-full": step_html_full,
    "html-rebuild": step_html_rebuild,
    "xslt": step_xslt,
    "pdf": step_pdf,
    "pdf-book": step_pdf_book,
    "export-tei": step_export_tei,
    "export-cmif": step_export_cmif,
    "export-dc": step_export_dc,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in STEPS:
        print(f"usage: step.py {{{','.join(STEPS)}}} EDITION_ROOT", file=sys.stderr)
        return 2
    name, root = argv[0], Path(argv[1]).resolve()
    started = time.perf_counter()
    try:
        outcome: dict[str, Any] = {"status": "ok", **STEPS[name](root)}
    except Unavailable as reason:
        outcome = {"status": "unavailable", "reason": str(reason)}
    except Exception as error:  # noqa: BLE001 - a failed step is a figure to report, not a crash of the bench
        traceback.print_exc()
        outcome = {"status": "failed", "reason": f"{type(error).__name__}: {error}".splitlines()[0][:300]}
    outcome["inner_s"] = round(time.perf_counter() - started, 3)
    print(RESULT_PREFIX + json.dumps(outcome), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
