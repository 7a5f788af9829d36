"""A build of the edition: validate, then write the HTML site and the PDFs.

`build_edition` is what `teipress build` runs; it returns what was written and how long each
step took, and raises `EditionInvalid` (carrying the problems) when validation fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .edition import SOURCE_CATALOGUE, Edition, SourceCatalogue, edition_file_problems, load_edition, require_sources
from .errors import InputError, ValidationFailed
from .outputs import check_output_folder, check_output_location, prepare_staging, release_staging
from .problems import Problem
from .validate import IdIndex
from .workers import settle, settling

FORMATS = frozenset({"html", "pdf"})

# progress(stage, done, total): called as work advances; `stage` names the step in the user's terms.
ProgressCallback = Callable[[str, int, int], None]


class EditionInvalid(ValidationFailed):
    """Validation found errors; `problems` holds every one of them for the report."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.is_error)
        super().__init__(f"the edition is invalid ({errors} error(s)); nothing was built. Fix the problems above or build with --no-validate.")
        self.problems = problems


@dataclass
class BuildResult:
    """What one build wrote, what it reused from the previous build, and how long each step took."""

    html_dir: Path | None = None
    pdf_dir: Path | None = None
    documents: list[str] = field(default_factory=list)
    documents_rendered: list[str] = field(default_factory=list)
    documents_reused: list[str] = field(default_factory=list)
    pages_written: list[Path] = field(default_factory=list)
    pdf_files: list[Path] = field(default_factory=list)
    # Documents whose PDF was typeset anew (the others' came from the previous build), and whether the book was.
    pdfs_typeset: list[str] = field(default_factory=list)
    book_typeset: bool = False
    problems: list[Problem] = field(default_factory=list)
    left_out: list[Problem] = field(default_factory=list)  # one per source file that could not be read, so was not published
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def build_edition(
    config: Config,
    *,
    formats: set[str] | frozenset[str] = FORMATS,
    validate: bool = True,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    force: bool = False,
) -> BuildResult:
    """Validate the edition in `config.source`, then write `config.html_dir` and/or `config.pdf_dir`.

    Each output folder must be teipress's own, new or empty (any, with `force`); none may be `/`,
    the home folder, the source folder or hold it (see outputs.py). Both are checked before any work.

    Example: `build_edition(load_config(Path(".")), formats={"html"}, validate=False)`.
    """
    unknown = set(formats) - FORMATS
    if unknown or not formats:
        raise ValueError(f"formats must be a non-empty subset of {sorted(FORMATS)}, not {sorted(formats)}")
    require_sources(config.source)
    check_output_location(config.output, config.source)
    for folder in (config.html_dir if "html" in formats else None, config.pdf_dir if "pdf" in formats else None):
        if folder is not None:
            check_output_folder(folder, source=config.source, force=force)
    workers = max(1, jobs or config.jobs)
    with settling():
        if "html" in formats:
            prepare_staging(config.html_dir)  # the site's mirror brought up to date while the edition is read
        try:
            return _build(config, formats, validate=validate, workers=workers, progress=progress, force=force)
        finally:
            if "html" in formats:
                release_staging(config.html_dir)  # where the build stopped before it started the site


def _build(config: Config, formats: set[str] | frozenset[str], *, validate: bool, workers: int, progress: ProgressCallback | None,
           force: bool) -> BuildResult:
    """`build_edition` once its options are checked: what it reads first and holds throughout is settled (`workers.settle`)."""
    result = BuildResult()

    started = time.perf_counter()
    # Validation reads a small edition's trees many times: held while it runs, let go of before the outputs, whose
    # workers read each document themselves (memory bounded by the workers, not by the edition); a large
    # edition's are parsed again where needed (validate.holds_trees).
    # Without validation, the documents the previous site was built from and that are unchanged since are not read
    # again (edition.SourceCatalogue): a rebuild after one change reads that one.
    previous = SourceCatalogue.read(config.html_dir / SOURCE_CATALOGUE) if "html" in formats and not validate else None
    settle()
    ids: IdIndex | None = None
    if validate:
        from .validate import holds_trees

        ids = IdIndex(config.source.resolve())  # gathered while each file is read, not by parsing it again
    edition = load_edition(config.source, hold_trees=validate and holds_trees([config.source]), catalogue=previous, on_read=ids.add if ids is not None else None,
                           jobs=workers)
    result.timings["read"] = time.perf_counter() - started
    settle()
    result.problems.extend([*(error.problem for error in edition.unreadable), *edition.warnings])

    if validate:
        started = time.perf_counter()
        from .validate import validate_edition

        validation = validate_edition(edition, config, ids=ids)
        result.timings["validate"] = time.perf_counter() - started
        if not validation.ok:
            raise EditionInvalid(list(validation.problems))
        result.problems.extend(p for p in validation.problems if p not in result.problems)
        edition.let_go_of_trees()
    elif edition.unreadable:
        # Without validation (files from elsewhere) every document that can be read is published;
        # each file that cannot is reported, left out and counted, and the build fails (exit 1).
        result.left_out = [error.problem for error in edition.unreadable]
        if not edition.documents and not edition.registers:
            raise EditionInvalid(result.problems)
    if not edition.documents and not edition.registers:
        raise InputError(f"{config.source} holds no TEI files to build")
    result.problems.extend(edition_file_problems(edition, config.title))

    if "html" in formats:
        started = time.perf_counter()
        site = _write_html(edition, config, workers, progress, pdf_linked="pdf" in formats or config.pdf_dir.is_dir(), force=force)
        result.timings["html"] = time.perf_counter() - started
        result.html_dir = config.html_dir
        result.documents = site.documents
        result.documents_rendered = site.documents_rendered
        result.documents_reused = site.documents_reused
        result.pages_written = site.pages_written
        result.problems.extend(site.problems)

    if "pdf" in formats:
        started = time.perf_counter()
        from .pdf import build_pdfs

        pdfs = build_pdfs(edition, config, config.pdf_dir, jobs=workers, force=force)
        result.timings["pdf"] = time.perf_counter() - started
        result.pdf_dir = config.pdf_dir
        result.pdf_files = list(pdfs.files)
        result.pdfs_typeset, result.book_typeset = pdfs.typeset, pdfs.book_typeset
        result.problems.extend(p for p in pdfs.problems if p not in result.problems)  # the site reported the renamed documents already
    return result


def _write_html(edition: Edition, config: Config, workers: int, progress: ProgressCallback | None, *, pdf_linked: bool, force: bool):  # type: ignore[no-untyped-def]
    from .html import write_site

    return write_site(edition, config, config.html_dir, jobs=workers, progress=progress, pdf_linked=pdf_linked, force=force)
