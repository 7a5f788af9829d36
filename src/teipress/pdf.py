"""The PDF print edition: each document as a PDF/A-3b with its TEI source attached, and the whole edition as a book.

TEI -> Typst markup is XSLT (`xslt/pdf/document.xsl`, `xslt/pdf/book.xsl`); the markup only imports
`xslt/pdf/lib.typ` (then the edition's own Typst, teipress.toml `typst`: the editors' code, not a
source's) and holds text as string literals, so nothing in a source file can run Typst code.
Each compilation runs in a build folder of the process's own (no symlinks; between two
compilations it holds only lib.typ) that is Typst's root, in worker processes: the documents' (one
Saxon processor and one Typst compiler each, recycled because Typst's cache grows with every
compile), then a fresh process for each volume of the book, as many at once as memory allows.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from . import __version__
from .config import Config
from .edition import Edition, RegisterIndex, SourceFile, edition_titles, merged_registers
from .errors import ConfigError, TypesetError
from .html import _digest, _folder_digest, _stylesheet  # the site's cache keys are made the same way
from .outputs import MARKER, output_names, replaced_folder
from .print_indexes import IndexOrder, IndexPart, indexes_load, marks_of, plan_index_parts, shares_of
from .problems import Problem, Severity, display_path
from .resources import XSLT_DIR
from .workers import Task, WorkerPool, release_freed_memory, scratch_folder
from .xmlio import NS, atomic_output, line_and_column, write_atomic, xml_text

LIB_TYP = XSLT_DIR / "pdf" / "lib.typ"
# The first line of every generated .typ file; teipress.toml `typst` (copied as custom.typ) is imported after it.
LIB_IMPORT = '#import "lib.typ": *\n'
CUSTOM_TYP = "custom.typ"
# Appended to a document's own PDF and to a volume's front matter probe: the pages of their targets (lib.typ).
TARGET_PAGES = "\n#tp-target-pages()\n"
# Appended by `typeset` to a chapter laid out to find where its apparatus entries fall: the line of each (lib.typ).
_ENTRY_LINES = "\n#tp-entry-lines()\n"
BOOK_FILE = "edition.pdf"
# A book of several volumes: one PDF each in this folder (no document's PDF can be named like it: those are files).
VOLUMES_DIR = Path("volumes")
# What the previous build typeset (keys, sort keys, line counts, warnings) and each document's chapter of the book.
PDF_CACHE = Path(MARKER) / "pdf-cache.json"
CHAPTERS_DIR = Path(MARKER) / "chapters"
# Each volume's index marks' pages, for the volumes that print the indexes (written by its worker, kept like a PDF:
# at 20,000 letters about 1 MB a volume, which the build does not hold).
INDEX_PAGES_DIR = Path(MARKER) / "index-pages"
# Each volume's markup while the volumes are typeset (removed after them): the build's own process holds neither the
# chapters nor the volumes' markup, which at 20,000 letters are 200 MB each.
VOLUME_MARKUP_DIR = Path(MARKER) / "volume-markup"
PDF_STANDARDS = ["a-3b"]
# Fallback fonts after the edition's own: Libertinus (Latin, Greek, Cyrillic) is built into Typst,
# Noto CJK covers Hangul and Chinese characters (Debian: fonts-noto-cjk), DejaVu the rest it can.
DEFAULT_FONTS = ("Libertinus Serif", "Noto Serif CJK KR", "Noto Sans CJK KR", "DejaVu Serif", "DejaVu Sans")
DEFAULT_FONT_PATHS = ("/usr/share/fonts",)
# teipress.toml's paper names that Typst spells differently.
TYPST_PAPER = {"b5": "iso-b5"}
# Typst's in-memory cache grows with compilations (measured: a worker stays near 220 MB over 60
# letters); a worker typesets this many, then a fresh one (which compiles the stylesheets again) takes over.
# Fresh pools, not `max_tasks_per_child`: ProcessPoolExecutor can hang in Python 3.11 when a worker retires.
TASKS_PER_WORKER = 200
# The book's volumes are compiled side by side while their processes stay within this together, and no volume
# is planned to need more (`plan_volumes`); with the build's own process (150-200 MB) beside them the tree stays
# near issue 13's 1.5 GB (measured: two volumes of synthetic letters of 605-661 MB each, the tree 1,409-1,454 MB).
VOLUMES_MEMORY_MB = 1300
# What a volume's compiling process holds, estimated from its documents before it is typeset: per page of
# their own PDFs, per note and per apparatus entry (keyed to line numbers; the entries of one line one footnote),
# and where it prints indexes, what they add (print_indexes.py). Fitted to volumes compiled once at A4
# (5 December 2026; a note or entry costs more where a page holds more of them): synthetic letters planned at
# 300 pages (299 pages, 550-600 notes and entries) 532-573 MB at 1,000 letters and 523-630 MB at 20,000, estimated
# 635-651, so that two compile side by side; the volumes before the last of 200 Escher letters, 204, 139 and 172
# pages, 822, 651 and 700 MB, estimated 836-903, and of their 44 longest and densest 147 pages (158 of their own,
# 2,081 notes and entries) 663 MB, estimated 927. Before print
# set an aligned paragraph without a block and grouped a line's entries, such volumes took up to 1,675 MB.
# Index marks in the text cost nothing measurable.
TYPESETTER_MB = 40
TYPST_MB_PER_PAGE = 1.4
TYPST_MB_PER_NOTE = 0.32
TYPST_MB_PER_APPARATUS_ENTRY = 0.32
# How notes and apparatus entries appear in a chapter's markup (xslt/pdf/text.xsl), counted for the estimate.
NOTE_CALL = "#footnote"
APPARATUS_CALL = "#tp-app("


@dataclass
class PdfResult:
    """The PDFs written (per document, then the book), which were typeset anew, and the warnings met while typesetting."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Names of the documents typeset by this build; the others' PDFs and chapters came from the previous build.
    typeset: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    book_typeset: bool = False
    # The book's PDFs: edition.pdf, or one per volume (volumes/edition-volume-N.pdf).
    volumes: list[Path] = field(default_factory=list)
    # How long the per-document phase took (with the volumes' markup) and the volumes' compilations after it,
    # and each compiled volume's figures (none when every volume was reused).
    documents_seconds: float = 0.0
    volumes_seconds: float = 0.0
    volume_figures: list[VolumeFigures] = field(default_factory=list)


@dataclass
class VolumeFigures:
    """One volume as its own process compiled it (a volume that leaves its index marks' pages to others has written
    them, `_index_pages_file`): its PDF, whether that is PDF/A, its pages, how long it took and how much memory its
    process held at most."""

    file: str
    conformant: bool
    pages: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    # 2 when the line numbers had to be counted again (a document did not begin with line 1), 1 else; the time,
    # CPU and peak are then of both processes (the peak the larger).
    compilations: int
    # In a book of volumes: [id, page] of each reference target it holds, and the ids its references point at
    # (lib.typ `tp-target-pages`), so that the locators "vol. 2, p. 34" of the other volumes can be checked.
    target_pages: list[Any] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    # Typst's warnings about the volume, in the editor's terms (`typst_warnings`).
    warnings: list[str] = field(default_factory=list)
    # The line offsets as the volume counted them, when they were not those it was given: it is to be typeset again
    # with these (by a fresh process: a second compilation in the same one held the memory of both, 3.3 GB).
    recount: dict[str, int] = field(default_factory=dict)
    # The documents whose apparatus entries were given lines that, counted again with the locators the volume printed,
    # are others (`moved_locators`): it is to be typeset again with their entries looking their lines up.
    unsure_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Typesetting:
    """What a worker needs to know besides the document: fonts, paper, the edition's title."""

    fonts: tuple[str, ...]
    font_paths: tuple[str, ...]
    paper: str
    language: str
    title: str
    subtitle: str
    out_dir: str
    base_url: str = ""
    # The edition's own stylesheets (teipress.toml `xslt`; else teipress's) and a hash over that folder,
    # and its Typst overrides (`typst`), the text of a file imported after lib.typ.
    document_stylesheet: str = str(XSLT_DIR / "pdf" / "document.xsl")
    book_stylesheet: str = str(XSLT_DIR / "pdf" / "book.xsl")
    stylesheets_key: str = ""
    typst_overrides: str = ""
    # A folder where each volume's Typst sources are kept as compiled (main.typ, lib.typ, inputs.json), to
    # profile or debug the book's typesetting (bench/typst_profile.py); "" keeps none. Not part of any cache key.
    keep_sources: str = ""


@dataclass(frozen=True)
class ChapterFigures:
    """What the volumes' planning reads of a chapter's markup, so that the build holds that, not the markup: its notes
    and apparatus entries (its volume's memory), the entries its index marks name (the indexes'), its id and title
    as Typst strings (the stub that stands for it where its volume's targets are guessed)."""

    notes: int = 0
    apparatus_entries: int = 0
    index_marks: frozenset[tuple[str, str]] = frozenset()
    start: tuple[str, str] | None = None

    @classmethod
    def of(cls, chapter: str) -> ChapterFigures:
        start = CHAPTER_START.search(chapter)
        return cls(chapter.count(NOTE_CALL), chapter.count(APPARATUS_CALL), frozenset(marks_of(chapter)),
                   (start.group(1), start.group(2)) if start else None)


@dataclass
class DocumentOutcome:
    """A worker's answer for one document: its sort key, what the volumes' planning needs of its chapter for the book
    (the worker writes the chapter to CHAPTERS_DIR, where the volumes' workers read it: the build does not hold it),
    its PDF or its error."""

    document_id: str
    sort_key: str = ""
    figures: ChapterFigures = field(default_factory=ChapterFigures)
    # Numbered lines of the document: the book's line numbers restart after this many.
    line_count: int = 0
    # Pages of its own PDF (how volumes are planned), its date (ISO, or ""), the ids of the documents it cites.
    pages: int = 0
    date: str = ""
    cited: list[str] = field(default_factory=list)
    # From its own PDF, to guess the locators of references to it before the volumes are typeset: the pages its
    # chapter of the book takes (its text, without the compact apparatus after it), the page of each of its
    # targets (its start, an element with an xml:id) in that chapter, and the ids its references point at.
    chapter_pages: int = 0
    target_pages: dict[str, int] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    # The line of each apparatus entry (none outside numbered text), in the order of the text, read from its own
    # PDF's first layout: its volume groups the entries of one line without looking their lines up (lib.typ tp-app).
    apparatus_lines: list[int | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: str = ""


@dataclass
class Volume:
    """One PDF of the book: its number (0 when the book is one volume), its documents in order, its years, whether it
    is the last volume of documents, which indexes it prints (book.xsl `indexes`: "all", "pages" when it leaves its
    index marks' pages to the volumes that print them, "part" for an index volume, which prints `index_part`)."""

    number: int
    documents: list[DocumentOutcome]
    years: str = ""
    last: bool = True
    indexes: str = "all"
    index_part: IndexPart | None = None

    @property
    def file(self) -> Path:
        return Path(BOOK_FILE) if self.number == 0 else VOLUMES_DIR / f"edition-volume-{self.number}.pdf"


def _registers(edition: Edition) -> tuple[bytes, RegisterIndex]:
    """The merged registers as the workers read them, and their index for the documents' keys; not their tree, which
    the build would hold to its end (39 MB at 20,000 synthetic letters)."""
    merged = merged_registers(edition)
    return etree.tostring(merged), RegisterIndex(merged)


def typesetting(config: Config, edition: Edition, out_dir: Path, keep_sources: Path | None = None) -> Typesetting:
    """What every compilation of a build shares, from the edition's settings and titles (also bench/typst_profile.py's)."""
    title, subtitle = edition_titles(edition, config.title, config.subtitle)
    return Typesetting(
        fonts=tuple(dict.fromkeys((*config.fonts, *DEFAULT_FONTS))),
        font_paths=tuple(str(p) for p in (*config.font_paths, *(Path(p) for p in DEFAULT_FONT_PATHS if Path(p).is_dir()))),
        paper=TYPST_PAPER.get(config.paper, config.paper),
        language=config.language,
        title=title,
        subtitle=subtitle,
        out_dir=str(out_dir),
        base_url=config.base_url,
        document_stylesheet=str(_stylesheet(config, "pdf/document.xsl")),
        book_stylesheet=str(_stylesheet(config, "pdf/book.xsl")),
        stylesheets_key=_folder_digest(config.xslt),
        typst_overrides=_typst_overrides(config),
        keep_sources=str(keep_sources.resolve()) if keep_sources else "",
    )


def build_pdfs(edition: Edition, config: Config, out_dir: Path, *, jobs: int, force: bool = False, keep_sources: Path | None = None) -> PdfResult:
    """Typeset `out_dir/<document-id>.pdf` for every document and the whole edition as a book:
    `out_dir/edition.pdf`, or `out_dir/volumes/edition-volume-N.pdf` when it is longer than
    `config.volume_pages` or `config.volumes` divides it by years (see `plan_volumes`).

    Only what changed is typeset: a document whose key (its bytes, the register entries it points
    to, the stylesheets, lib.typ, fonts and paper) is the previous build's keeps its PDF and book
    chapter; a volume is typeset again when any of its chapters, edition.xml or the registers
    changed, the last (which holds the indexes) also when another volume's index pages did.
    The folder is replaced whole when every PDF is made (PDFs of removed documents go with it);
    it must be teipress's own, new or empty, unless `force` (see outputs.py). `keep_sources` keeps each
    volume's Typst sources in a folder of its own there ("volume-2-of-the-book", "the-edition-s-book"), as compiled:
    those of the volumes this build typesets (a volume kept from the previous build leaves none: build into a new folder).

    Example: `build_pdfs(load_edition(config.source), config, config.pdf_dir, jobs=2)`.
    """
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    names = output_names(edition)
    registers, register_index = _registers(edition)
    edition_tree = etree.tostring(edition.edition_file.tree) if edition.edition_file else None
    # What a document's own PDF prints of edition.xml: its colophon's editors, publisher, year and licence, from the header.
    headers = edition.edition_file.tree.xpath("/*/tei:teiHeader", namespaces=NS) if edition.edition_file else []
    edition_header = b"".join(map(etree.tostring, headers))
    previous = _read_cache(out_dir)
    result = PdfResult(problems=list(names.problems))
    with replaced_folder(out_dir, source=edition.source, force=force, keep_previous=False) as staging:
        setting = typesetting(config, edition, staging, keep_sources)
        code_key = _digest(__version__.encode(), _code_digest().encode(), _fonts_digest(setting.font_paths).encode(),
                           json.dumps(_setting_key(setting)).encode())
        keys: dict[str, str] = {}
        outcomes: dict[str, DocumentOutcome] = {}
        mentioned: Counter[tuple[str, str]] = Counter()
        to_typeset = []
        images: dict[str, dict[str, str]] = {}
        for doc in edition.documents:
            # Parsed once here (an edition loaded without its trees parses a document wherever its tree is asked for).
            name, tree = names[doc], doc.tree
            images[name] = print_images(doc.path, tree, edition.source)
            keys[name] = _digest(code_key.encode(), name.encode(), doc.path.read_bytes(), etree.tostring(tree), register_index.subset_xml(tree.getroot()),
                                 edition_header, json.dumps(_image_names(images[name]), sort_keys=True).encode())  # bytes, not where the folder lies
            reused = _reuse_document(previous, out_dir, staging, name, keys[name], display_path(doc.path))
            if reused is not None:
                outcomes[name] = _counted(reused, mentioned)
                result.reused.append(name)
            else:
                to_typeset.append(doc)
        previous.pop("documents", None)  # read: at 20,000 letters about 100 MB the build need not hold while typesetting
        del register_index  # only the keys read it (the registers' entries once more)
        release_freed_memory()
        with WorkerPool(max(1, jobs), _start_worker, (registers, edition_tree, setting)) as pool:
            fresh: list[DocumentOutcome] = []
            batch = TASKS_PER_WORKER * max(1, jobs)
            for start in range(0, len(to_typeset), batch):
                if start:
                    pool.restart()
                fresh.extend(_counted(outcome, mentioned) for outcome in
                             pool.map(_typeset_document, [_document_task(doc, names[doc], images[names[doc]]) for doc in to_typeset[start:start + batch]]))
            failed = [o for o in fresh if o.error]
            if failed:
                raise TypesetError("\n".join(o.error for o in failed))
            for outcome in fresh:
                outcomes[outcome.document_id] = outcome
                result.typeset.append(outcome.document_id)
            in_order = sorted(outcomes.values(), key=lambda o: (o.sort_key, o.document_id))
            volumes = plan_volumes(in_order, config.volume_pages, config.volumes, indexes_memory_mb(mentioned))
            # Indexes too large for any volume of documents get volumes of their own after them, cut in the order the
            # stylesheets give them.
            order = None if any(volume.indexes == "all" for volume in volumes) else IndexOrder.from_json(pool.call(_index_order, "the order of the indexes"))
            if order is not None:
                volumes += plan_index_volumes(volumes, order, mentioned)
            book_key = _digest(code_key.encode(), edition_tree or b"", registers, str(len(volumes)).encode())
            previous_volumes = previous.get("volumes") if isinstance(previous.get("volumes"), dict) else {}
            volume_cache: dict[str, dict[str, Any]] = {}
            cited_anywhere = sorted({cited for outcome in in_order for cited in outcome.cited})
            keyed = []
            for volume in volumes:
                part = dataclasses.asdict(volume.index_part) if volume.index_part else None
                # The last volume's bibliography lists the entries no document cites, wherever the citing documents are.
                uncited = [json.dumps(cited_anywhere).encode()] if volume.last else []
                key = _digest(book_key.encode(), str(volume.number).encode(), volume.years.encode(), str(volume.last).encode(),
                              volume.indexes.encode(), json.dumps(part, sort_keys=True).encode(), *(keys[o.document_id].encode() for o in volume.documents),
                              *uncited)
                keyed.append((volume, key))
            # The volumes that leave their index marks' pages to others first, then those that print the indexes with
            # them (the last, or the index volumes). When any is to be typeset, every volume's markup is made here, by the
            # workers that hold the stylesheets: a volume kept at first is typeset again when a reference's target in
            # another volume moved ("vol. 2, p. 34").
            earlier = [(volume, key) for volume, key in keyed if volume.indexes == "pages"]
            pending = [(volume, key) for volume, key in earlier if not _reuse_volume(previous_volumes, out_dir, staging, volume, key, volume_cache)]
            printing = [(volume, key) for volume, key in keyed if volume.indexes != "pages"]
            index_inputs = {} if pending else _index_inputs(staging, [volume for volume, _ in earlier], [volume for volume, _ in printing], order)
            printing_reused = not pending and all(
                _reuse_volume(previous_volumes, out_dir, staging, volume, _indexes_key(key, index_inputs[volume.number]), volume_cache)
                for volume, key in printing)
            settings = {volume.number: _volume_setting(volume, cited_anywhere, images) for volume, _ in keyed}
            markups: dict[int, Path] = {}
            guess: dict[str, list[int]] = {}
            if pending or not printing_reused:
                # A kept volume's targets are where the previous build found them: only those to be typeset are probed,
                # those others refer to and those whose letters refer to their own pages (their lines are counted below).
                referring = [volume for volume, _ in pending] + [volume for volume, _ in keyed if volume.indexes == "all"]
                probed = {number for number in _referred_volumes(volumes, referring) | _self_referring_volumes(referring)
                          if volumes[number - 1].file.as_posix() not in volume_cache}
                made = list(pool.map(_volume_markup, [(_volume_name(volume), (edition_tree, settings[volume.number],
                                                                         _stubs(volume) if volume.number in probed else []))
                                                      for volume, _ in keyed]))
                markups = {number: Path(markup) for number, (markup, _) in zip(settings, made)}
                guess = _guessed_targets(volumes, {number: starts for number, (_, starts) in zip(settings, made)})
                # A locator ("vol. 2, p. 34"), which a document's own PDF does not print, may add a line: the lines of each
                # chapter with references are counted alone with the locators guessed, so that its volume is given the
                # right line offsets and compiled once, not again to count them (a whole second compilation).
                line_tasks = _line_count_tasks(referring, markups, {**guess, **_found_targets(volume_cache.values())}, images)
                counts = dict(zip([arguments[-1] for _, arguments in line_tasks], pool.map(_count_book_lines, line_tasks)))
                settings = {volume.number: _volume_setting(volume, cited_anywhere, images, counts) for volume, _ in keyed}
        result.documents_seconds = time.perf_counter() - started
        # The documents' workers are gone (Typst's cache keeps what each compilation needed until its process ends):
        # each volume is compiled in a fresh process of its own, as many at a time as VOLUMES_MEMORY_MB allows.
        if markups:
            result.volume_figures = _typeset_volumes(keyed, pending, guess, previous_volumes, out_dir, staging, volume_cache, markups, settings,
                                                     setting, jobs, order)
        if (staging / VOLUME_MARKUP_DIR).exists():
            shutil.rmtree(staging / VOLUME_MARKUP_DIR)
        result.book_typeset = bool(result.volume_figures)
        result.volumes_seconds = time.perf_counter() - started - result.documents_seconds
        ordered = [outcomes[names[doc]] for doc in edition.documents]
        write_atomic(staging / PDF_CACHE, json.dumps({
            "teipress": __version__,
            "documents": {o.document_id: {"key": keys[o.document_id], "sort_key": o.sort_key, "line_count": o.line_count,
                                          "pages": o.pages, "date": o.date, "cited": o.cited, "chapter_pages": o.chapter_pages,
                                          "target_pages": o.target_pages, "references": o.references,
                                          "apparatus_lines": o.apparatus_lines, "problems": [p.as_dict() for p in o.problems]} for o in ordered},
            "volumes": volume_cache,
        }, indent=1, sort_keys=True))
    for outcome in ordered:
        result.files.append(out_dir / f"{outcome.document_id}.pdf")
        result.problems.extend(outcome.problems)
    for volume in volumes:
        result.files.append(out_dir / volume.file)
        result.volumes.append(out_dir / volume.file)
        entry = volume_cache[volume.file.as_posix()]
        result.problems.extend(typst_warning_problems([str(w) for w in entry.get("warnings", [])], display_path(out_dir / volume.file),
                                                      _volume_name(volume)))
        if not entry["conformant"]:
            result.problems.append(Problem(
                display_path(out_dir / volume.file), 1, 1, Severity.WARNING,
                "the book is not PDF/A-3b because a character has no glyph in any font (see the missing-glyph warnings)", "not-pdfa"))
    return result


# ---- volumes ------------------------------------------------------------------------------------

def plan_volumes(in_order: list[DocumentOutcome], volume_pages: int, year_ranges: tuple[tuple[int, int], ...], index_mb: float,
                 memory_mb: float | None = None) -> list[Volume]:
    """The book's volumes, before any is typeset: the documents in book order cut where a volume would
    pass `volume_pages` pages or need more than `memory_mb` (VOLUMES_MEMORY_MB) to compile (`volume_memory_mb`: letters
    dense with apparatus make smaller volumes), and where a range of `year_ranges` ends.

    The pages are estimates: each document's own PDF (typeset first, and cached) has as many pages as its
    chapter, within the few lines of its compact apparatus. A volume therefore ends near, not at, the page
    count asked for, and no volume has to be typeset twice. The last volume also prints the indexes of the
    whole edition (estimated to need `index_mb`, `indexes_memory_mb`) when they fit (`_room_for_the_indexes`); else
    each volume leaves its index marks' pages to index volumes after it (`plan_index_volumes`). Essays and other
    texts about the sources (sorted first) open the first volume; an undated source stays in the volume of the one
    before it.
    """
    memory_mb = VOLUMES_MEMORY_MB if memory_mb is None else memory_mb
    groups: list[list[DocumentOutcome]] = []
    group_of_previous = 0
    for outcome in in_order:
        year = _year(outcome.date)
        group = group_of_previous
        if year is not None and _is_primary_source(outcome):
            group = max(group_of_previous, next((n for n, (_, last) in enumerate(year_ranges) if year <= last), max(len(year_ranges) - 1, 0)))
        while len(groups) <= group:
            groups.append([])
        groups[group].append(outcome)
        group_of_previous = group
    volumes: list[list[DocumentOutcome]] = []
    for group in (g for g in groups if g):
        load = _Load()
        volumes.append([])
        for outcome in group:
            more = load + _Load.of(outcome)
            if volumes[-1] and (more.pages > volume_pages or more.memory_mb > memory_mb):
                volumes.append([])
                more = _Load.of(outcome)
            volumes[-1].append(outcome)
            load = more
    volumes, printed = _room_for_the_indexes(volumes or [[]], index_mb, memory_mb)
    if len(volumes) == 1 and printed:
        return [Volume(0, volumes[0])]
    return [Volume(number, documents, _years(documents), number == len(volumes), "all" if printed and number == len(volumes) else "pages")
            for number, documents in enumerate(volumes, start=1)]


def plan_index_volumes(volumes: list[Volume], order: IndexOrder, counted: Counter[tuple[str, str]]) -> list[Volume]:
    """The index volumes after `volumes`, the documents' (none of which prints the indexes): the indexes in `order`
    cut so that none is estimated to need more than the largest of `volumes` (`counted`: how many documents mention
    each entry, `_counted`), so that no compilation of the book needs more than its documents' do, nor more than half
    of VOLUMES_MEMORY_MB, so that two compile side by side (they are compiled after all the documents' volumes, whose
    pages they print, so they can pair only with each other: at 20,000 synthetic letters nine index volumes of
    650-663 MB estimated compiled one at a time)."""
    room = min(max(volume_memory_mb(volume.documents) for volume in volumes), VOLUMES_MEMORY_MB / 2) - TYPESETTER_MB
    return [Volume(volumes[-1].number + number, [], last=False, indexes="part", index_part=part)
            for number, part in enumerate(plan_index_parts(order, counted, room), start=1)]


@dataclass(frozen=True)
class _Load:
    """What drives a volume's memory, summed over its documents: their own PDFs' pages, notes, apparatus entries."""

    pages: int = 0
    notes: int = 0
    entries: int = 0

    @classmethod
    def of(cls, outcome: DocumentOutcome) -> _Load:
        return cls(outcome.pages, outcome.figures.notes, outcome.figures.apparatus_entries)

    def __add__(self, other: _Load) -> _Load:
        return _Load(self.pages + other.pages, self.notes + other.notes, self.entries + other.entries)

    @property
    def memory_mb(self) -> float:
        return TYPESETTER_MB + TYPST_MB_PER_PAGE * self.pages + TYPST_MB_PER_NOTE * self.notes + TYPST_MB_PER_APPARATUS_ENTRY * self.entries


def volume_memory_mb(documents: list[DocumentOutcome]) -> float:
    """The estimate of what compiling a volume of `documents` holds at most (see TYPST_MB_PER_PAGE)."""
    return sum((_Load.of(o) for o in documents), _Load()).memory_mb


def indexes_memory_mb(mentioned: Counter[tuple[str, str]]) -> float:
    """The estimate of what the indexes add to the compilation that prints them, from how many documents mention each
    entry (`_counted`)."""
    return indexes_load(mentioned).memory_mb


def _counted(outcome: DocumentOutcome, mentioned: Counter[tuple[str, str]]) -> DocumentOutcome:
    """The outcome as the build keeps it: its index marks counted in `mentioned`, which is all the volumes' planning
    needs of them, and not held (at 20,000 letters 7 KB a letter, 150 MB). A document counts once for each entry it marks
    (`marks_of`): an estimate of the entry's locators before any page is known (a letter mentions an entry on one page
    or a few adjacent ones, which print as one range)."""
    mentioned.update(outcome.figures.index_marks)
    outcome.figures = dataclasses.replace(outcome.figures, index_marks=frozenset())
    return outcome


def _estimated_mb(volume: Volume) -> float:
    """What compiling `volume` is estimated to hold: its documents' and, in an index volume, its part of the indexes'."""
    return volume_memory_mb(volume.documents) + (volume.index_part.load.memory_mb if volume.index_part else 0.0)


def _room_for_the_indexes(volumes: list[list[DocumentOutcome]], index_mb: float, memory_mb: float) -> tuple[list[list[DocumentOutcome]], bool]:
    """The volumes, and whether the last prints the indexes (`index_mb`): it does when they fit within `memory_mb`
    beside its documents, or beside its last ones, its first made a volume of their own before it (as few as needed);
    not when they fit beside none of its documents and would not fit alone (index volumes follow the documents'),
    so that a last document too large for any volume does not send small indexes into a volume of their own."""
    last = volumes[-1]
    load, kept = _Load(), 0
    for outcome in reversed(last):
        load = load + _Load.of(outcome)
        if load.memory_mb + index_mb > memory_mb:
            break
        kept += 1
    if kept == len(last):
        return volumes, True
    if kept == 0:
        return volumes, TYPESETTER_MB + index_mb <= memory_mb
    return [*volumes[:-1], last[:-kept], last[-kept:]], True


def _indexes_key(key: str, index_input: Path) -> str:
    """The key of a volume that prints indexes: its own and the index marks' pages it prints (`_index_inputs`)."""
    return _digest(key.encode(), index_input.read_bytes())


def _index_pages_file(number: int) -> Path:
    """Where the worker of volume `number`, which leaves its index marks' pages to the volumes that print the indexes,
    writes them: {"pages": [[key, page], ...], "names": {key: [kind, sort, name], ...}} (lib.typ tp-index-pages)."""
    return INDEX_PAGES_DIR / f"volume-{number}.json"


def _index_pages_json(marks: dict[str, Any]) -> str:
    """Index marks' pages (`_index_pages_file`) as JSON without spaces: about 1 MB a volume at 20,000 letters."""
    return json.dumps(marks, ensure_ascii=False, separators=(",", ":"))


def _index_inputs(staging: Path, earlier: list[Volume], printing: list[Volume], order: IndexOrder | None) -> dict[int, Path]:
    """Write for each volume of `printing` the index marks' pages of `earlier` (the volumes that leave theirs to it)
    it reads, {"1": {"pages": ..., "names": ...}, ...} (lib.typ tp-earlier-index-pages): every one for the last volume,
    for an index volume those of its part of the indexes (`shares_of`). The files are read one volume at a time, so
    that the build never holds the pages of every volume (at 20,000 letters 1 MB of JSON a volume)."""
    if not printing:
        return {}
    files = {volume.number: staging / VOLUME_MARKUP_DIR / f"index-pages-of-volume-{volume.number}.json" for volume in printing}
    parted = [volume for volume in printing if volume.index_part is not None]
    with contextlib.ExitStack() as stack:
        streams = {number: stack.enter_context(atomic_output(path, "w")) for number, path in files.items()}
        begun: set[int] = set()
        for volume in earlier:
            text = (staging / _index_pages_file(volume.number)).read_text(encoding="utf-8")
            shares = {reading.number: text for reading in printing if reading.index_part is None}
            if parted and order is not None:  # index volumes are planned from the order
                found = shares_of([reading.index_part for reading in parted if reading.index_part], order, json.loads(text))
                shares |= {reading.number: _index_pages_json(share) for reading, share in zip(parted, found) if share is not None}
            for number, share in shares.items():
                streams[number].write(("," if number in begun else "{") + f'"{volume.number}":{share}')
                begun.add(number)
        for number, stream in streams.items():
            stream.write("}" if number in begun else "{}")
    return files


def _volume_name(volume: Volume) -> str:
    return f"volume {volume.number} of the book" if volume.number else "the edition's book"


# A volume to compile: the volume, its markup's file, its setting, the file of the index marks' pages it prints ("" for
# none, `_index_inputs`), its references' targets.
VolumeTask = tuple["Volume", Path, dict[str, Any], str, dict[str, list[int]]]


# How far past the first volume waiting for room another may start beside those compiling: a volume started early is
# given fewer targets found by the volumes before it (the rest guessed), so the book's order is kept near.
LOOK_AHEAD = 4


def _next_to_start(waiting: list[int], running: list[int], estimates: list[float]) -> int | None:
    """Which of the volumes `waiting` (positions in the book's order, ascending) may start beside those `running`, each
    estimated at `estimates[position]` (`_estimated_mb`), or None. The first waiting when its estimate and those
    running fit within VOLUMES_MEMORY_MB together (one always may alone); else, of those at most LOOK_AHEAD places
    after it in the book, the first that fits beside those running and that each volume waiting before it will fit
    beside (with the others started ahead of that one) when those before it end, so that it delays none of them.
    A uniform number at a time would have to suit the largest volume (at 20,000 letters one estimate above half the
    room made all 150 volumes one at a time), and volumes started only in order left a core idle beside each volume
    too large to share with the one before it (19 of 150 at 20,000 synthetic letters)."""
    if not waiting:
        return None
    first, compiling = waiting[0], sum(estimates[p] for p in running)
    if not running or compiling + estimates[first] <= VOLUMES_MEMORY_MB:
        return first
    for index, candidate in enumerate(waiting[1:], start=1):
        if candidate - first > LOOK_AHEAD:
            break
        if compiling + estimates[candidate] <= VOLUMES_MEMORY_MB and all(
                estimates[before] + sum(estimates[p] for p in running if p > before) + estimates[candidate] <= VOLUMES_MEMORY_MB
                for before in waiting[:index]):
            return candidate
    return None


def _compile_volumes(volumes: list[Volume], task_of: Callable[[Volume], VolumeTask], record: Callable[[VolumeTask, VolumeFigures], None],
                     setting: Typesetting, jobs: int) -> list[VolumeFigures]:
    """Compile each volume in a fresh process of its own (a process ends with its volume, and with it the memory Typst's
    cache held), at most `jobs` at a time and as many as memory allows, near the book's order (`_next_to_start`). Each
    is given its task as it starts (`task_of`), and each compiled one is `record`ed before another starts in its place,
    so that a volume reads what those compiled before it found. The first compilation that fails is the error raised
    (of two that end together, the first in the book's order); no volume starts after it. Returns the figures in the
    volumes' order."""
    estimates = [_estimated_mb(volume) for volume in volumes]
    waiting = list(range(len(volumes)))
    running: dict[Future[VolumeFigures], tuple[int, VolumeTask]] = {}
    figures: dict[int, VolumeFigures] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as threads:
        while waiting or running:
            while len(running) < max(1, jobs):
                position = _next_to_start(waiting, [p for p, _ in running.values()], estimates)
                if position is None:
                    break
                waiting.remove(position)
                task = task_of(volumes[position])
                running[threads.submit(_compiled, task, setting)] = (position, task)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda done: running[done][0]):  # of two that end together, the first in order
                position, task = running.pop(future)
                # A failure is raised once the volumes still compiling have ended (the executor waits for them).
                figures[position] = future.result()
                record(task, figures[position])
    return [figures[position] for position in range(len(volumes))]


def _compiled(task: VolumeTask, setting: Typesetting) -> VolumeFigures:
    """A volume's task compiled by a process of its own; again by a fresh one with the line offsets it counted, or with its
    apparatus entries looking their lines up, when the first compilation found them not to be what it was given."""
    volume, markup, volume_setting, index_pages, targets = task
    offsets, lines, spent = volume_setting["line_offsets"], volume_setting["apparatus_lines"], []
    for last_try in (False, True):
        # A worker without the documents' stylesheets and registers: it only compiles.
        with WorkerPool(1, _start_worker, (b"", None, setting)) as pool:
            done: VolumeFigures = pool.call(_typeset_volume, _volume_name(volume), _volume_name(volume), str(markup), volume_setting,
                                            index_pages, targets, offsets, lines, last_try)
        spent.append(done)
        if not done.recount and not done.unsure_lines:
            break
        # Lines counted anew move every entry's line: all are looked up then, else those of the letters concerned.
        lines = {} if done.recount else {document: found for document, found in lines.items() if document not in done.unsure_lines}
        offsets = done.recount or offsets
    return dataclasses.replace(done, seconds=sum(f.seconds for f in spent), cpu_seconds=sum(f.cpu_seconds for f in spent),
                               peak_mb=max(f.peak_mb for f in spent), compilations=len(spent))


# How often the volumes are typeset again at most because a reference's target moved to another page:
# a volume typeset again with its references' new locators may move its own targets by a line.
REFERENCE_ROUNDS = 3


def _typeset_volumes(keyed: list[tuple[Volume, str]], pending: list[tuple[Volume, str]], guess: dict[str, list[int]],
                     previous_volumes: dict[str, Any], out_dir: Path, staging: Path, cache: dict[str, dict[str, Any]], markups: dict[int, Path],
                     settings: dict[int, dict[str, Any]], setting: Typesetting, jobs: int, order: IndexOrder | None) -> list[VolumeFigures]:
    """Typeset the volumes `pending` (those that leave their index marks' pages to others), then the last when it prints
    the indexes and its key changed, then again those whose references to other volumes ("vol. 2, p. 34") point at
    pages that are no longer right, until none is (at most REFERENCE_ROUNDS); then the index volumes whose key changed
    (`order`: the indexes' order they divide). `cache` holds the volumes kept from the previous build and gets each
    one typeset.

    In the first round a volume is given, as it starts, where the volumes compiled before it found the targets of its
    references, else the `guess` (`_guessed_targets`) or where a volume kept from the previous build has them; later
    rounds give every volume where the round before found them. Each reports its own targets' pages and the ids its
    references point at (lib.typ `tp-target-pages`), so that after a round each volume's locators can be checked
    against where the targets now lie; when the guess was right, every volume is typeset once. Returns the figures of
    every compilation.
    """
    figures: list[VolumeFigures] = []
    # Each volume's key in the cache: a volume that prints indexes adds the index marks' pages it reads to its own.
    own_key = {volume.number: key for volume, key in keyed}
    key_of = dict(own_key)
    given: dict[str, dict[str, list[int]]] = {}
    earlier = [volume for volume, _ in keyed if volume.indexes == "pages"]
    holding = [volume for volume, _ in keyed if volume.indexes == "all"]
    # Where each target lies as far as known: guessed, then found by the volumes kept or compiled (`_found_targets`).
    known = {**guess, **_found_targets(cache.values())}

    def task_of(volume: Volume, index_input: str = "") -> VolumeTask:
        return (volume, markups[volume.number], settings[volume.number], index_input,
                given.get(volume.file.as_posix(), _references_of(volume, known)))

    def record(task: VolumeTask, done: VolumeFigures) -> None:
        entry = cache[task[0].file.as_posix()] = _volume_entry(task[0], key_of[task[0].number], done, task[4])
        known.update(_found_targets([entry]))

    to_typeset = [volume for volume, _ in pending]
    holding_pending = False
    for _ in range(REFERENCE_ROUNDS):
        figures += _compile_volumes(to_typeset, task_of, record, setting, jobs)
        for last in holding:
            index_input = _index_inputs(staging, earlier, [last], order)[last.number]
            key_of[last.number] = _indexes_key(own_key[last.number], index_input)
            if holding_pending or (cache.get(last.file.as_posix(), {}).get("key") != key_of[last.number]
                                   and not _reuse_volume(previous_volumes, out_dir, staging, last, key_of[last.number], cache)):
                figures += _compile_volumes([last], functools.partial(task_of, index_input=str(index_input)), record, setting, 1)
        found = _found_targets(cache[volume.file.as_posix()] for volume in earlier + holding)
        given = {volume.file.as_posix(): _needed_targets(cache[volume.file.as_posix()], found) for volume in earlier + holding}
        to_typeset = [volume for volume in earlier if cache[volume.file.as_posix()].get("targets") != given[volume.file.as_posix()]]
        holding_pending = any(cache[volume.file.as_posix()].get("targets") != given[volume.file.as_posix()] for volume in holding)
        if not to_typeset and not holding_pending:
            break
    # The index volumes, given where the documents' volumes, now settled, printed each mention of their entries; each
    # one's pages are its key and what it prints.
    parts = [volume for volume, _ in keyed if volume.indexes == "part"]
    index_inputs = _index_inputs(staging, earlier, parts, order)
    for volume in parts:
        key_of[volume.number] = _indexes_key(own_key[volume.number], index_inputs[volume.number])
    changed = [volume for volume in parts if cache.get(volume.file.as_posix(), {}).get("key") != key_of[volume.number]
               and not _reuse_volume(previous_volumes, out_dir, staging, volume, key_of[volume.number], cache)]
    figures += _compile_volumes(changed, lambda volume: (volume, markups[volume.number], settings[volume.number], str(index_inputs[volume.number]), {}),
                                record, setting, jobs)
    return figures


def _volume_entry(volume: Volume, key: str, figures: VolumeFigures, given: dict[str, list[int]]) -> dict[str, Any]:
    """A typeset volume in the cache: its key, whether it is PDF/A, Typst's warnings, its
    targets' pages, the ids its references point at, and the locators of those in other volumes it was set with."""
    entry = {"key": key, "number": volume.number, "conformant": figures.conformant, "warnings": figures.warnings,
             "target_pages": figures.target_pages,
             "references": figures.references}
    entry["targets"] = _needed_targets(entry, given)
    return entry


def _found_targets(entries: Iterable[dict[str, Any]]) -> dict[str, list[int]]:
    """Where each target lies, [volume, page], from the volumes' cache entries (the first volume that has it)."""
    found: dict[str, list[int]] = {}
    for entry in entries:
        for target, page in entry.get("target_pages", []):
            found.setdefault(str(target), [int(entry.get("number", 0)), int(page)])
    return found


def _needed_targets(entry: dict[str, Any], found: dict[str, list[int]]) -> dict[str, list[int]]:
    """The locators a volume prints from `found`: its references' targets that lie in another volume."""
    own = {str(target) for target, _ in entry.get("target_pages", [])}
    return {str(id_): found[str(id_)] for id_ in entry.get("references", []) if str(id_) in found and str(id_) not in own}


def _references_of(volume: Volume, targets: dict[str, list[int]]) -> dict[str, list[int]]:
    """Of `targets`, those of the references of `volume`'s documents that lie in another volume: what it is given
    to print (not every target of the edition: Typst reads them as JSON)."""
    return {reference: targets[reference] for o in volume.documents for reference in o.references
            if reference in targets and targets[reference][0] != volume.number}


def _referred_volumes(volumes: list[Volume], referring: list[Volume]) -> set[int]:
    """The numbers of the volumes that hold a target of the references of `referring` (their documents' own PDFs name
    the ids), each volume's own left out."""
    volume_of = {o.document_id: volume.number for volume in volumes for o in volume.documents}
    referred: set[int] = set()
    for volume in referring:
        # A passage's id is "document#id" (xslt/pdf/text.xsl tp:reference-target).
        targets = {volume_of.get(reference.split("#", 1)[0], volume.number) for o in volume.documents for reference in o.references}
        referred |= targets - {volume.number}
    return referred


# A Typst string literal as xslt/pdf/typst.xsl writes them.
TYPST_STRING = r'"(?:[^"\\]|\\.)*"'
# The start of a chapter's markup (xslt/pdf/document.xsl tp:document-chapter): its id and title as Typst strings.
CHAPTER_START = re.compile(rf'#tp-document\(id: ({TYPST_STRING}), title: ({TYPST_STRING})')


def _self_referring_volumes(volumes: list[Volume]) -> set[int]:
    """The numbers of `volumes` whose documents refer to a target (their own pages' locators are guessed too)."""
    return {volume.number for volume in volumes if any(o.references for o in volume.documents)}


# A counting task: a volume's template, a chapter's images (copy's name: path), its references' targets, its document's id.
LineCountTask = tuple[str, tuple[str, dict[str, str], dict[str, list[int]], str]]


def _line_count_tasks(volumes: list[Volume], markups: dict[int, Path], targets: dict[str, list[int]],
                      images: dict[str, dict[str, str]]) -> list[LineCountTask]:
    """A task for each numbered chapter of `volumes` with references: its lines counted with the locators it prints
    (`targets`, of its volume too), under its volume's template (the markup's first lines: lib.typ, the edition's settings)."""
    tasks: list[LineCountTask] = []
    for volume in volumes:
        template = _template_of(markups[volume.number])
        for o in volume.documents:
            if o.references and o.line_count:
                given = {reference: targets[reference] for reference in o.references if reference in targets}
                tasks.append((f"the lines of {o.document_id} in {_volume_name(volume)}",
                              (template, _image_copies(images.get(o.document_id, {})), given, o.document_id)))
    return tasks


def _template_of(markup: Path) -> str:
    """A volume's template: the first lines of its markup (lib.typ, the edition's settings)."""
    with markup.open(encoding="utf-8") as lines:
        return next(lines, "") + next(lines, "")


def _stubs(volume: Volume) -> list[str]:
    """A volume's chapters as the front matter's probe sets them: each its heading (for the contents and the
    start of the chapter), then as many pages as its text took in its own PDF."""
    stubs = []
    for outcome in volume.documents:
        id_, title = outcome.figures.start or (_typst_string(outcome.document_id),) * 2
        stubs.append(f"\n#tp-document(id: {id_}, title: {title}, numbered: false)[]\n" + "#page[]\n" * max(0, outcome.chapter_pages - 1))
    return stubs


def _guessed_targets(volumes: list[Volume], starts: dict[int, dict[str, int]]) -> dict[str, list[int]]:
    """Where the targets of references to another volume are expected, {id: [volume, page]}, before any volume is
    typeset: a chapter starts where its volume's probe (`starts`: the front matter, then each chapter's heading and
    pages) put it, and an element of its text on the page it lies on in the document's own PDF, counted from there.
    A locator's own words can move a line to the next page: the volumes' rounds check every guess."""
    guess: dict[str, list[int]] = {}
    for volume in volumes:
        found = starts.get(volume.number, {})
        for target, page in found.items():
            guess[target] = [volume.number, page]
        for outcome in volume.documents:
            if outcome.document_id in found:
                first = outcome.target_pages.get(outcome.document_id, 1)
                for target, page in outcome.target_pages.items():
                    guess.setdefault(target, [volume.number, found[outcome.document_id] + page - first])
    return guess


def _is_primary_source(outcome: DocumentOutcome) -> bool:
    """Letters, telegrams ... (xslt/pdf/document.xsl tp:book-sort-key begins with "1" for them)."""
    return outcome.sort_key.startswith("1")


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def _years(documents: list[DocumentOutcome]) -> str:
    """"1975–1976", "1975", or "" when no document of a volume is dated."""
    years = sorted(year for year in (_year(o.date) for o in documents) if year is not None)
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}\u2013{years[-1]}"


# The image formats Typst prints.
PRINTED_IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


def print_images(source: Path, tree: etree._ElementTree, source_root: Path) -> dict[str, str]:
    """The images a document's text shows (graphic/@url) that print can take: local files inside the
    edition's source folder, of a format Typst reads; each as its @url to "{sha256}{suffix}:{path}".

    The copy is named by a hash of the image's bytes, so that Typst's build folder never holds a name
    a source chose, and a changed image changes the document's key. Web addresses and files outside
    the source folder are not read (the site links them; print keeps their description).
    """
    found: dict[str, str] = {}
    folder = source.resolve().parent
    root = source_root.resolve()
    for graphic in tree.getroot().xpath("//tei:text//tei:graphic[@url]", namespaces={"tei": "http://www.tei-c.org/ns/1.0"}):
        url = " ".join(graphic.get("url", "").split())
        if not url or ":" in url or url.startswith(("/", "\\")) or url in found:
            continue
        image = (folder / url).resolve()
        if image.suffix.lower() in PRINTED_IMAGE_TYPES and image.is_file() and image.is_relative_to(root):
            found[url] = f"{hashlib.sha256(image.read_bytes()).hexdigest()}{image.suffix.lower()}:{image}"
    return found


def _image_names(images: dict[str, str]) -> dict[str, str]:
    """@url to the copy's name in Typst's build folder."""
    return {url: value.split(":", 1)[0] for url, value in images.items()}


def _image_copies(images: dict[str, str]) -> dict[str, str]:
    """The copy's name in Typst's build folder to the image's path."""
    return dict(value.split(":", 1) for value in images.values())


def _volume_setting(volume: Volume, cited_anywhere: list[str], images: dict[str, dict[str, str]],
                    line_counts: dict[str, ChapterLines] | None = None) -> dict[str, Any]:
    """What a worker needs to typeset a volume besides the edition: chapters, line offsets and the lines of the apparatus
    entries (from each document's lines in `line_counts`, else in its own PDF; none for a document referring to its own
    passages, which its lines were counted with at other pages), the locators those of `line_counts` were counted with,
    which documents it cites, the images its chapters print (copy's name: source path), which indexes it prints."""
    counts = line_counts or {}
    part = volume.index_part
    return {
        "images": {copy: path for o in volume.documents for copy, path in _image_copies(images.get(o.document_id, {})).items()},
        "file": volume.file.as_posix(), "number": volume.number, "years": volume.years, "last": volume.last, "indexes": volume.indexes,
        "index_kinds": list(part.kinds) if part else [], "index_keys": list(part.keys) if part else [],
        "index_divided": list(part.divided) if part else [],
        "documents": [o.document_id for o in volume.documents],
        "line_offsets": dict(zip((o.document_id for o in volume.documents),
                                 itertools.accumulate((counts[o.document_id].count if o.document_id in counts else o.line_count
                                                       for o in volume.documents), initial=0))),
        "apparatus_lines": {o.document_id: counts[o.document_id].apparatus if o.document_id in counts else o.apparatus_lines
                            for o in volume.documents if not _refers_to_itself(o)},
        "counted_locators": {o.document_id: {reference: counts[o.document_id].locators.get(reference) for reference in o.references}
                             for o in volume.documents if o.document_id in counts},
        "cited": sorted({cited for outcome in volume.documents for cited in outcome.cited}),
        "cited_anywhere": cited_anywhere,
    }


# ---- the cache of the previous build -------------------------------------------------------------

def _read_cache(out_dir: Path) -> dict[str, Any]:
    """What the previous build in `out_dir` typeset, or nothing when it was another version's or there is none."""
    try:
        data = json.loads((out_dir / PDF_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("teipress") == __version__ else {}


def _reuse_document(previous: dict[str, Any], out_dir: Path, staging: Path, name: str, key: str, shown_path: str) -> DocumentOutcome | None:
    """The previous build's PDF and chapter of an unchanged document, put into the staging folder.

    Its warnings are about its source file, named as it is shown now (the edition may have moved)."""
    documents = previous.get("documents") if isinstance(previous.get("documents"), dict) else {}
    entry = documents.get(name)
    chapter = out_dir / CHAPTERS_DIR / f"{name}.typ"
    if not isinstance(entry, dict) or entry.get("key") != key or not (out_dir / f"{name}.pdf").is_file() or not chapter.is_file():
        return None
    try:
        problems = [Problem(shown_path, p["line"], p["column"], Severity(p["severity"]), p["message"], p["rule"]) for p in entry["problems"]]
        outcome = DocumentOutcome(document_id=name, sort_key=str(entry["sort_key"]), figures=ChapterFigures.of(chapter.read_text(encoding="utf-8")),
                                  line_count=int(entry["line_count"]), pages=int(entry["pages"]), date=str(entry["date"]),
                                  cited=[str(c) for c in entry["cited"]], chapter_pages=int(entry["chapter_pages"]),
                                  target_pages={str(t): int(page) for t, page in entry["target_pages"].items()},
                                  references=[str(r) for r in entry["references"]],
                                  apparatus_lines=[None if line is None else int(line) for line in entry["apparatus_lines"]], problems=problems)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged cache: typeset the document again
    _link(out_dir / f"{name}.pdf", staging / f"{name}.pdf")
    _link(chapter, staging / CHAPTERS_DIR / f"{name}.typ")
    return outcome


def _reuse_volume(previous_volumes: dict[str, Any], out_dir: Path, staging: Path, volume: Volume, key: str,
                  volume_cache: dict[str, dict[str, Any]]) -> bool:
    """Whether the previous build's PDF of `volume` is still right (same key): then it is put into the staging folder, with
    the index marks' pages it leaves to others."""
    cached = previous_volumes.get(volume.file.as_posix())
    leaves_pages = volume.indexes == "pages"
    if not (isinstance(cached, dict) and cached.get("key") == key and (out_dir / volume.file).is_file()
            and (not leaves_pages or (out_dir / _index_pages_file(volume.number)).is_file())):
        return False
    _link(out_dir / volume.file, staging / volume.file)
    if leaves_pages:
        _link(out_dir / _index_pages_file(volume.number), staging / _index_pages_file(volume.number))
    volume_cache[volume.file.as_posix()] = {**cached, "conformant": bool(cached.get("conformant"))}
    return True


def _link(previous: Path, target: Path) -> None:
    """The previous build's file in the new folder: a hard link (files are replaced, never changed in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)


def _code_digest() -> str:
    """One hash over the stylesheets and the Typst template the PDFs are made with, so that an upgrade typesets every PDF."""
    digest = hashlib.sha256()
    for path in sorted(p for folder in ("common", "pdf") for p in (XSLT_DIR / folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(XSLT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fonts_digest(font_paths: tuple[str, ...]) -> str:
    """A hash over the font files' names, sizes and dates: a font installed or removed typesets every PDF again."""
    digest = hashlib.sha256()
    for folder in font_paths:
        for path in sorted(Path(folder).rglob("*")):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _typst_overrides(config: Config) -> str:
    """The edition's own Typst (teipress.toml `typst`): the editors' code, so it may do what Typst can, inside the build folder."""
    if config.typst is None:
        return ""
    try:
        return config.typst.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"`typst`: cannot read {config.typst} as UTF-8: {error}") from error


# ---- in the worker processes --------------------------------------------------------------------

_registers_xml: bytes = b""
_edition_xml: bytes | None = None
_setting: Typesetting | None = None
_nodes = None


def _start_worker(registers: bytes, edition_xml: bytes | None, setting: Typesetting) -> None:
    global _registers_xml, _edition_xml, _setting
    _registers_xml, _edition_xml, _setting = registers, edition_xml, setting


def _stylesheets():  # type: ignore[no-untyped-def]
    """This worker's stylesheets, the registers and edition.xml (or None) as Saxon nodes, made once per process."""
    global _nodes
    from .saxon import Stylesheets, to_xdm

    if _nodes is None:
        _nodes = (Stylesheets(), to_xdm(_registers_xml), to_xdm(_edition_xml) if _edition_xml else None)
    return _nodes


def _document_task(doc: SourceFile, name: str, images: dict[str, str]) -> Task:
    """A document's task, made as its batch is handed out, so that the build does not hold every document's tree and bytes
    at once (at 20,000 letters about half a GB of the build's own process). Should the file change after its key was
    taken, the next build finds its key changed and typesets it again."""
    tree = doc.tree
    return (f"document {name}", (str(doc.path), name, etree.tostring(tree), doc.path.read_bytes(), "".join(tree.getroot().itertext()), images))


def _index_order() -> str:
    """The order of the indexes' entries as JSON (book.xsl part=index-order), for `plan_index_volumes`."""
    from .saxon import to_xdm

    assert _setting is not None
    stylesheets, registers, _ = _stylesheets()
    return stylesheets.transform(_setting.book_stylesheet, to_xdm(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>'), part="index-order",
                                 registers=registers, language=_setting.language)


def _typeset_document(path_text: str, document_id: str, tree_xml: bytes, source_bytes: bytes, text: str, images: dict[str, str]) -> DocumentOutcome:
    """Transform one document (for its own PDF and as a book chapter) and typeset its PDF into the staging folder."""
    from .errors import OutputError, TeipressError
    from .saxon import to_xdm

    path = Path(path_text)
    assert _setting is not None
    outcome = DocumentOutcome(document_id=document_id)
    try:
        stylesheets, registers, edition = _stylesheets()
        node = to_xdm(tree_xml)
        common = dict(registers=registers, edition=edition, document_id=document_id, paper=_setting.paper, base_url=_setting.base_url,
                      fonts=list(_setting.fonts), edition_title=_setting.title, language=_setting.language,
                      images=json.dumps(_image_names(images)))
        outcome.sort_key = stylesheets.transform(_setting.document_stylesheet, node, part="sort-key", **common)
        outcome.date = stylesheets.transform(_setting.document_stylesheet, node, part="date", **common)
        outcome.cited = stylesheets.transform(_setting.document_stylesheet, node, part="cited", **common).split()
        chapter = stylesheets.transform(_setting.document_stylesheet, node, part="book", **common)
        outcome.figures = ChapterFigures.of(chapter)
        # The attached source is named like the site's copy: a file name may hold what Typst refuses in a path (a backslash).
        markup = stylesheets.transform(_setting.document_stylesheet, node, part="standalone", source_name=f"{document_id}.xml", **common)
        files = {"source.xml": source_bytes, **{copy: Path(image).read_bytes() for copy, image in _image_copies(images).items()}}
        # Where its targets and its chapter's end lie, read as a volume reads its own (invisible; after everything).
        standalone = markup + TARGET_PAGES
        # Where its apparatus entries fall, laid out first without their footnotes (on Escher's letters 0.2-1.2 of the cost
        # of a layout with them, 0.78 the median, the least where pages hold most entries): its PDF and its volume are
        # given their lines, by which the entries of one line are grouped, and it is typeset once.
        located = typeset(standalone, files, _setting, what=display_path(path), markers="metadata", all_line_markers=True,
                          find_apparatus_lines=True) if APPARATUS_CALL in chapter else None
        lines = apparatus_lines(located.markers) if located else []
        done = typeset(standalone, files, _setting, what=display_path(path), markers="metadata", all_line_markers=True,
                       apparatus_lines={document_id: lines})
        if located and lines and _line_count(done.markers) != _line_count(located.markers):
            # The lines break as without the footnotes (only the foot changes); should they not, the document keeps
            # its entries apart, each looking its line up, in its volume too.
            done, lines = typeset(standalone, files, _setting, what=display_path(path), markers="metadata", all_line_markers=True), []
        outcome.line_count = _line_count(done.markers)
        outcome.apparatus_lines = lines
        outcome.pages = _page_count(done.pdf)
        found = _target_pages_marker(done.markers)
        outcome.target_pages = {str(target): int(page) for target, page in found.get("target-pages", [])}
        outcome.references = [str(id_) for id_ in found.get("references", [])]
        outcome.chapter_pages = max((int(page) for _, page in found.get("chapter-ends", [])), default=outcome.pages)
        outcome.problems = [*missing_glyph_problems(done.pdf, done.conformant, path, text, document_id, _setting),
                            *typst_warning_problems(done.warnings, display_path(path), f"{document_id}.pdf")]
        write_atomic(Path(_setting.out_dir) / f"{document_id}.pdf", done.pdf)
        write_atomic(Path(_setting.out_dir) / CHAPTERS_DIR / f"{document_id}.typ", chapter)
    except OutputError:
        raise  # the output folder, not the document: one error for the whole build
    except TeipressError as error:
        outcome.error = str(error)
    except OSError as error:
        outcome.error = f"{display_path(path)}: cannot typeset it: {error.filename or ''}: {error.strerror or error}"
    return outcome


# A link to an entry of the bibliography (xslt/pdf/text.xsl): `label("bibl-…")`, the Typst string kept whole.
CITED_LABEL = re.compile(r'label\(("bibl-(?:[^"\\]|\\.)*")\)')


@dataclass
class ChapterLines:
    """A chapter's numbered lines as its volume sets them, the line of each of its apparatus entries in the order of the text,
    and where the targets of its references were expected when they were counted ([volume, page])."""

    count: int
    apparatus: list[int | None]
    locators: dict[str, list[int]]


def _count_book_lines(template: str, images: dict[str, str], targets: dict[str, list[int]], document_id: str) -> ChapterLines:
    """The numbered lines of a document's chapter as its volume sets them: alone under the volume's template, each reference
    followed by its locator (`targets`: where it is expected, [volume, page]), which the document's own PDF leaves
    out; with them the lines of its apparatus entries, found without their footnotes (the lines break alike)."""
    assert _setting is not None
    chapter = _chapter_of(document_id)
    files = {copy: Path(image).read_bytes() for copy, image in images.items()}
    # The entries of the bibliography the chapter links to stand in its volume's back matter, not here: each is
    # given an invisible stand-in after the chapter, so that the links resolve and the lines stay as they are.
    cited = "".join(f"#[#metadata(none)#label({string})]" for string in dict.fromkeys(CITED_LABEL.findall(chapter)))
    done = typeset(template + chapter + cited, files, _setting, what=f"the lines of {document_id}", markers="metadata",
                   all_line_markers=True, targets=targets, find_apparatus_lines=True)
    return ChapterLines(_line_count(done.markers, document_id), apparatus_lines(done.markers), targets)


def _chapter_of(document_id: str) -> str:
    """A document's chapter of the book, as the build wrote it (CHAPTERS_DIR)."""
    assert _setting is not None
    return (Path(_setting.out_dir) / CHAPTERS_DIR / f"{document_id}.typ").read_text(encoding="utf-8")


def _setting_key(setting: Typesetting) -> dict[str, Any]:
    """What of the setting decides how a PDF looks: not where it is written, nor whether sources are kept
    (so that keeping them, or a teipress that can, typesets nothing again)."""
    key = dataclasses.asdict(dataclasses.replace(setting, out_dir=""))
    del key["keep_sources"]
    return key


def _volume_markup(edition_xml: bytes | None, volume: dict[str, Any], stubs: list[str]) -> tuple[str, dict[str, int]]:
    """One volume's (or the whole book's) markup, written to VOLUME_MARKUP_DIR (its file is returned): front matter
    from edition.xml, the documents' chapters in order, the bibliography of what they cite, then the indexes it
    prints or their pages for those that do; an index volume's: front matter and its part of the indexes.

    With `stubs` (`_stubs`), also where its targets are expected: the front matter typeset with each chapter's
    heading and empty pages in its place (the contents' length depends on the titles), a fraction of the volume's cost."""
    from .saxon import to_xdm

    assert _setting is not None
    stylesheets, registers, _ = _stylesheets()
    source = to_xdm(edition_xml or b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    common = dict(registers=registers, edition_title=_setting.title, edition_subtitle=_setting.subtitle,
                  language=_setting.language, paper=_setting.paper, fonts=list(_setting.fonts),
                  volume=volume["number"], volume_years=volume["years"], last_volume=volume["last"],
                  cited=volume["cited"], cited_anywhere=volume["cited_anywhere"], indexes=volume["indexes"],
                  index_kinds=volume["index_kinds"], index_keys=volume["index_keys"], index_divided=volume["index_divided"])
    front = stylesheets.transform(_setting.book_stylesheet, source, part="front", **common)
    back = stylesheets.transform(_setting.book_stylesheet, source, part="back", **common)
    starts: dict[str, int] = {}
    if stubs:
        probe = typeset(front + "".join(stubs) + TARGET_PAGES, {}, _setting, what=f"the front matter of volume {volume['number']}",
                        markers="<tp-target-pages>")
        starts = {str(target): int(page) for target, page in _target_pages_marker(probe.markers).get("target-pages", [])}
    markup = Path(_setting.out_dir) / VOLUME_MARKUP_DIR / f"volume-{volume['number']}.typ"
    write_atomic(markup, front + "".join(_chapter_of(document) for document in volume["documents"]) + back)
    return str(markup), starts


def _typeset_volume(what: str, markup_file: str, volume: dict[str, Any], index_pages: str, targets: dict[str, list[int]],
                    line_offsets: dict[str, int], lines: dict[str, list[int | None]], last_try: bool) -> VolumeFigures:
    """Compile a volume's markup (`markup_file`) into the staging folder (`index_pages`: the file of the index marks' pages
    of the other volumes its indexes print, `_index_inputs`, or ""; `targets`: where the targets of its references to
    other volumes lie), measured as this process's own work: it compiles nothing else. A volume that leaves its index
    marks' pages to others writes them (`_index_pages_file`).

    The line offsets come from each document typeset alone (same width, same breaks), but a locator
    ("vol. 2, p. 34"), which a document's own PDF does not print, may add a line: should a document of the
    book not begin with line 1, the figures say so (`recount`) and no PDF is written, unless `last_try`.
    The apparatus entries of each document of `lines` are grouped by those lines. A letter whose lines were counted with
    other locators than the volume printed (a target guessed on another page) has them counted again with those it
    printed; should its entries' lines differ, the figures say so likewise (`unsure_lines`), after the last try a warning."""
    import resource

    assert _setting is not None
    started = time.perf_counter()
    markup = Path(markup_file).read_text(encoding="utf-8")
    files = {copy: Path(image).read_bytes() for copy, image in volume["images"].items()}
    done = typeset(markup, files, _setting, what=what, line_offsets=line_offsets, markers="metadata",
                   index_pages=Path(index_pages).read_text(encoding="utf-8") if index_pages else "",
                   targets=targets, apparatus_lines=lines, keep_sources=_setting.keep_sources)
    first_lines: dict[str, int] = {}
    for line in _line_markers(done.markers):
        first_lines.setdefault(line["document"], line["raw"])
    counted = {document: raw - 1 for document, raw in first_lines.items()}
    recount = counted if not last_try and any(line_offsets.get(document, 0) != offset for document, offset in counted.items()) else {}
    found = _target_pages_marker(done.markers)
    # Where the volume's own targets lie, the first of an id as tp-ref finds it.
    own = {str(target): [volume["number"], int(page)] for target, page in reversed(found.get("target-pages", []))}
    printed = {**targets, **own}
    counted_with = {document: volume["counted_locators"][document] for document in lines if document in volume["counted_locators"]}
    template = _template_of(Path(markup_file))
    wrong = [document for document in moved_locators(counted_with, printed)
             if _count_book_lines(template, volume["images"], {reference: printed[reference] for reference in
                                                                                  counted_with[document] if reference in printed},
                                  document).apparatus != lines[document]]
    unsure = [] if last_try else wrong
    warnings = [*done.warnings, *([UNSURE_APPARATUS.format(", ".join(wrong))] if wrong and last_try else [])]
    marked = next((value for value in done.markers if isinstance(value, dict) and "index-pages" in value), {})
    own_pages = _index_pages_json({"pages": marked.get("index-pages", []), "names": marked.get("index-names", {})}) if volume["indexes"] == "pages" else ""
    if not recount and not unsure:
        write_atomic(Path(_setting.out_dir) / volume["file"], done.pdf)
        if own_pages:
            write_atomic(Path(_setting.out_dir) / _index_pages_file(volume["number"]), own_pages)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return VolumeFigures(file=volume["file"], conformant=done.conformant, pages=_page_count(done.pdf),
                         seconds=time.perf_counter() - started, cpu_seconds=usage.ru_utime + usage.ru_stime,
                         peak_mb=_own_peak_mb(), compilations=1, target_pages=found.get("target-pages", []),
                         references=found.get("references", []), warnings=warnings, recount=recount, unsure_lines=unsure)


def _own_peak_mb() -> float:
    """The most memory this process has held. Linux keeps `ru_maxrss` through the exec that starts a spawned
    worker, so there it is the larger of the parent's size when it spawned the worker and the worker's own;
    the high-water mark of /proc/self/status (VmHWM) starts anew with the worker's program."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # no /proc: macOS counts ru_maxrss in bytes, the BSDs in KiB
        import resource

        return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def _page_count(pdf: bytes) -> int:
    """The pages of a PDF, from its page tree's root (walking every page, as `len(reader.pages)` does, cost
    a seventh of a document's typesetting). pypdf, not pymupdf: that leaves a file in the temporary folder."""
    import io

    import pypdf

    return int(pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Pages"]["/Count"])


def _target_pages_marker(values: list[Any]) -> dict[str, Any]:
    """The value of lib.typ `tp-target-pages` among the values of all metadata elements, or {}."""
    return next((value for value in values if isinstance(value, dict) and "target-pages" in value), {})


def _line_markers(values: list[Any]) -> list[dict[str, Any]]:
    """The line markers (lib.typ `tp-line-numbering`) among the values of all metadata elements."""
    return [v for v in values if isinstance(v, dict) and "raw" in v and "document" in v]


def _line_count(values: list[Any], document_id: str | None = None) -> int:
    """The numbered lines among the values of all metadata elements (of `document_id`'s chapter, else of all)."""
    return max((line["raw"] for line in _line_markers(values) if document_id in (None, line["document"])), default=0)


# ---- the apparatus, grouped by line -------------------------------------------------------------

UNSURE_APPARATUS = "the apparatus of {} may print wrong line numbers: its lines, counted again with the locators the volume prints, differ"


def apparatus_lines(markers: list[Any]) -> list[int | None]:
    """The line of each apparatus entry of a chapter laid out to find them (`typeset(find_apparatus_lines=True)`, lib.typ
    tp-entry-lines), in the order of the text: what its PDFs are given (`sys.inputs.apparatus-lines`) to group the entries
    of one line by. None (an empty list) when the entries found are not each of the chapter's in turn (xslt/pdf/text.xsl
    tp:apparatus-number): grouped by them, an entry would print another's line."""
    found = next((value["entry-lines"] for value in markers if isinstance(value, dict) and "entry-lines" in value), [])
    if [entry["number"] for entry in found] != list(range(len(found))):
        return []
    return [entry["line"] for entry in found]


def moved_locators(counted: dict[str, dict[str, list[int] | None]], printed: dict[str, list[int]]) -> list[str]:
    """The documents of `counted` (its id: where each of its references' targets was expected when its lines were
    counted, [volume, page], or none) a locator of which the volume printed otherwise (`printed`: where its targets
    lie, found in it or given): their words, and so their lines, may have moved."""
    return sorted(document for document, locators in counted.items()
                  if any(printed.get(reference) != where for reference, where in locators.items()))


def _refers_to_itself(outcome: DocumentOutcome) -> bool:
    """Whether a document refers to itself or a passage in it (xslt/pdf/text.xsl tp:reference-target: "document#id")."""
    return any(reference.split("#", 1)[0] == outcome.document_id for reference in outcome.references)


# ---- Typst --------------------------------------------------------------------------------------

@dataclass
class Typeset:
    """A compiled PDF, whether it is PDF/A-3b, the values of the metadata markers asked for, and Typst's warnings."""

    pdf: bytes
    conformant: bool
    markers: list[Any]
    # Typst's warnings about this PDF, each once, in the editor's terms (see `typst_warnings`).
    warnings: list[str] = field(default_factory=list)


def typeset(markup: str, files: dict[str, bytes], setting: Typesetting, *, what: str,
            line_offsets: dict[str, int] | None = None, markers: str | None = None, all_line_markers: bool = False,
            index_pages: str = "", targets: dict[str, list[int]] | None = None,
            apparatus_lines: dict[str, list[int | None]] | None = None, find_apparatus_lines: bool = False,
            keep_sources: str = "") -> Typeset:
    """Compile `markup` in this process's build folder (Typst's root: lib.typ and `files`, nothing else).

    Typst refuses PDF/A when a character has no glyph in any font; then the PDF is made without it,
    so that the warning can name the characters. `markers` (a selector such as "metadata") asks for
    the values of those markers, which costs nothing after the compilation. `index_pages` are the
    index marks' pages of the other volumes as JSON (lib.typ tp-earlier-index-pages), for the indexes; `targets` where the
    targets of references to other volumes lie ({id: [volume, page]}); `apparatus_lines` the line of each
    apparatus entry of a document's chapter, by its id, which groups them by line. `find_apparatus_lines` sets each
    entry as only what its footnote leaves in the text and adds where each falls (`apparatus_lines` reads it).
    `keep_sources` is a folder where the files compiled and the inputs are copied (a compilation again overwrites them).
    """
    import typst

    workspace = _workspace(setting.font_paths)
    try:
        if setting.typst_overrides:
            files = {**files, CUSTOM_TYP: setting.typst_overrides.encode("utf-8")}
            markup = markup.replace(LIB_IMPORT, LIB_IMPORT + f'#import "{CUSTOM_TYP}": *\n', 1)
        for name, data in files.items():
            (workspace.folder / name).write_bytes(data)
        workspace.main.write_text(markup + (_ENTRY_LINES if find_apparatus_lines else ""), encoding="utf-8")
        inputs = {"line-offsets": json.dumps(line_offsets or {}), "all-line-markers": "yes" if all_line_markers else "no",
                  "index-pages": index_pages or "{}", "targets": json.dumps(targets or {}),
                  "apparatus-lines": json.dumps(apparatus_lines or {}), "find-apparatus-lines": "yes" if find_apparatus_lines else "no"}
        if keep_sources:
            _keep_sources(workspace.folder, Path(keep_sources) / "-".join(re.findall(r"[a-z0-9]+", what.lower())), inputs)
        compiler = workspace.compiler
        try:
            try:
                (pdf, warned), conformant = compiler.compile_with_warnings(sys_inputs=inputs, pdf_standards=PDF_STANDARDS), True
            except (typst.TypstError, RuntimeError) as error:
                if "could not be displayed" not in str(error):
                    raise
                (pdf, warned), conformant = compiler.compile_with_warnings(sys_inputs=inputs), False
            found = json.loads(compiler.query(markers, field="value")) if markers else []
        except (typst.TypstError, RuntimeError) as error:
            raise TypesetError(f"{what}: Typst could not typeset it: {error}") from error
        return Typeset(pdf, conformant, found, typst_warnings(warning.message for warning in warned))
    finally:
        workspace.clear()


# Typst's inputs beside the kept sources (bench/typst_profile.py reads them).
KEPT_INPUTS = "inputs.json"


def _keep_sources(folder: Path, kept: Path, inputs: dict[str, str]) -> None:
    """Copy the build folder's files and Typst's inputs (as JSON) into `kept`, to be compiled again alone; what an
    earlier compilation left there and this one has not (an image of a volume typeset before) goes."""
    kept.mkdir(parents=True, exist_ok=True)
    compiled = {path.name for path in folder.iterdir()} | {KEPT_INPUTS}
    for stale in kept.iterdir():
        if stale.name not in compiled and stale.is_file():
            stale.unlink()
    for path in folder.iterdir():
        shutil.copyfile(path, kept / path.name)
    write_atomic(kept / KEPT_INPUTS, json.dumps(inputs))


# Typst's words when its layout passes ended before the page numbers, line numbers and queried markers
# stopped changing ("document did not converge within five attempts", "value of `state(..)` did not
# converge", "query for metadata elements did not stabilize"): the PDF is the fifth pass, not a settled one.
UNSETTLED_WORDS = ("did not converge", "did not stabilize")
UNSETTLED = "the layout did not settle: line numbers or page references in this PDF may be wrong"


UNKNOWN_FONT = "unknown font family: "


def typst_warnings(messages: Iterable[str]) -> list[str]:
    """Typst's warning messages as an editor reads them, each once, in the order met: every message of a
    layout that did not settle is one (Typst gives one per value that kept changing); a font of teipress.toml
    that is not installed is named; a missing fallback of DEFAULT_FONTS is no one's concern (a character no
    installed font has is its own warning, see `missing_glyph_problems`); other warnings are quoted."""
    fallbacks = {font.lower() for font in DEFAULT_FONTS}
    said = []
    for message in messages:
        if any(words in message for words in UNSETTLED_WORDS):
            said.append(UNSETTLED)
        elif message.startswith(UNKNOWN_FONT):
            font = message.removeprefix(UNKNOWN_FONT)
            if font not in fallbacks:
                said.append(f"no installed font is named \"{font}\" (teipress.toml `fonts`, `font_paths`): its text is set in the fallback fonts")
        else:
            said.append(f"Typst warned: {message}")
    return list(dict.fromkeys(said))


def typst_warning_problems(warnings: list[str], shown_path: str, what: str) -> list[Problem]:
    """A build warning per Typst warning about `what` (a document's PDF, a volume of the book), at the start of
    `shown_path`: the document's source file, or the volume's PDF (no one source file is to blame for a volume)."""
    return [Problem(shown_path, 1, 1, Severity.WARNING, f"{what}: {warning}", "typst-warning") for warning in warnings]


@dataclass
class _Workspace:
    """A build folder holding only lib.typ between compilations, and one Typst compiler bound to it.

    Typst loads every font when a compiler is made (a tenth of a second with the CJK fonts), so each
    process keeps one and only rewrites the files it compiles; the folder has no links and nothing else.
    """

    folder: Path
    compiler: Any

    @property
    def main(self) -> Path:
        return self.folder / "main.typ"

    def clear(self) -> None:
        for path in self.folder.iterdir():
            if path.name != "lib.typ":
                path.unlink(missing_ok=True)


_workspaces: dict[tuple[str, ...], _Workspace] = {}


def _workspace(font_paths: tuple[str, ...]) -> _Workspace:
    import atexit

    import typst

    workspace = _workspaces.get(font_paths)
    if workspace is None:
        folder = scratch_folder("teipress-pdf-").resolve()
        atexit.register(shutil.rmtree, folder, True)
        (folder / "lib.typ").write_bytes(LIB_TYP.read_bytes())
        (folder / "main.typ").write_text("", encoding="utf-8")
        workspace = _Workspace(folder, typst.Compiler(str(folder / "main.typ"), root=str(folder), font_paths=list(font_paths)))
        _workspaces[font_paths] = workspace
    return workspace


def pages_with_missing_glyphs(pdf: bytes) -> list[int]:
    """The pages (0-based) where a character is drawn with no glyph (glyph id 0, the empty box)."""
    import pymupdf

    pages = []
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for number, page in enumerate(document):
            if any(char[1] == 0 and char[0] > 32 for span in page.get_texttrace() for char in span["chars"]):
                pages.append(number)
    return pages


def characters_without_glyph(characters: Iterable[str], setting: Typesetting) -> list[str]:
    """Which of `characters` no font has: each is set on a page of its own and the empty boxes counted.

    A PDF shows a missing glyph as U+FFFD, so the character itself is found this way, with the
    same fonts and fallback as the edition's PDFs.
    """
    candidates = sorted({c for c in characters if not c.isspace() and not (" " <= c <= "~")})
    if not candidates:
        return []
    fonts = ", ".join(_typst_string(font) for font in setting.fonts)
    markup = f"#set page(width: 3cm, height: 2cm, margin: 2mm)\n#set text(font: ({fonts},))\n"
    markup += "#pagebreak()\n".join(f"#{_typst_string(c)};\n" for c in candidates)
    pdf = typeset(markup, {}, setting, what="the character check").pdf
    return [candidates[page] for page in pages_with_missing_glyphs(pdf)]


def _typst_string(text: str) -> str:
    """A Typst string literal (as xslt/pdf/typst.xsl writes them)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{{{ord(c):x}}}" if ord(c) < 32 or 127 <= ord(c) <= 159 else c for c in escaped) + '"'


def missing_glyph_problems(pdf: bytes, conformant: bool, source: Path, text: str, document_id: str, setting: Typesetting) -> list[Problem]:
    """A warning per character of `text` that no font could draw, at its first place in the source file."""
    if conformant or not pages_with_missing_glyphs(pdf):
        return []
    source_text = xml_text(source.read_bytes())
    problems = []
    for char in characters_without_glyph(text, setting):
        index = source_text.find(char)
        line, column = line_and_column(source_text, index) if index >= 0 else (1, 1)
        problems.append(Problem(
            display_path(source), line, column, Severity.WARNING,
            f"no font has the character {char} (U+{ord(char):04X}) of document {document_id}: it prints as an empty box "
            f"in {document_id}.pdf, which therefore is not PDF/A; install a font that has it and name it in `fonts` "
            f"(and its folder in `font_paths`) in teipress.toml",
            "missing-glyph"))
    return problems
