"""Register pages that scale: a page per register entry, index pages, and the popovers' data per entry.

Every entry of the persons, places, organisations and cited documents gets a page of its own
(`registers/{persons,...}/{file}.html`, html/entry.xsl) with every passage that mentions it, grouped
by document in reading order with the words around each mention, and a small script with what its
popover shows (`assets/entries/{file}.js`, html/registers-data.xsl). Each register has index pages
(`registers/{persons,...}.html`, html/register.xsl) listing its entries; a register of more than
`SPLIT_AT` entries is split by initial letter (cited documents: `SPLIT_AT` a page, by number), so
that no page grows with the edition. The file names come from html/register-plan.xsl (tp:entry-file).

The mentions come from the site's store of the documents' facts (factstore.py, SQLite, not this
process's memory); each page's source is the part that concerns it. Pages are independent units
rendered by the worker processes, each with its own cache key over its source. A rebuild whose
stylesheets, registers and settings are unchanged makes the sources of the entries that the changed
documents name only (the store says which), keeps every other entry's pages with their keys, and
renders the pages whose key changed: after one letter changed, its entries' pages (and their index
pages when a count changed).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from . import jsonfiles
from .edition import RegisterIndex
from .factstore import FACTS_NS, SITE_NS, FactsStore, SummaryRow, quoteattr
from .resources import stylesheet_identity
from .xmlio import safe_parser, write_atomic, write_if_changed

if TYPE_CHECKING:
    from .saxon import Stylesheets

# The inputs the workers read from disk rather than receive with every page.
REGISTERS_FILE = Path(".teipress") / "registers.xml"
EDITION_FILE = Path(".teipress") / "edition.xml"
ENTRY_DATA_DIR = "assets/entries"
REGISTER_PAGES = {"person": "persons", "place": "places", "org": "organizations", "bibl": "bibliography"}
# A register of more entries than this is split into index pages by initial (about 250 bytes an entry:
# a letter holding a tenth of 20,000 names stays near 500 KB).
SPLIT_AT = 400
# Documents listed on one page of an entry: an entry named in thousands of letters gets several
# pages ({file}.html, {file}~p2.html ...: "~p" is in no other file name), none near 1 MB.
DOCUMENTS_PER_PAGE = 250
# Pages handed to the workers at once: their sources are held only while their batch renders.
BATCH = 400
# Pages one worker task renders.
TASK_SIZE = 20
# The parts of a document's facts (summary.xsl) that name a register entry by @ref.
# Where a page's source names register entries: its correspondents' @ref, its mentions' @entity.
_NAMED_ENTRIES = re.compile(r'\s(?:ref|entity)="([^"]*)"')

# html.py's _Workers.map: (function, items, argument tuples, weights) -> (item, result) of each, in the worker processes,
# every task handed out before the first result is asked for, the heaviest first.
MapUnits = Callable[[Callable[..., object], Sequence[object], Sequence[tuple[object, ...]], Sequence[int]], Iterable[tuple[object, object]]]


class PlanSheets:
    """The plans the workers' pages depend on (the register plan, the chronology's events by year), made only when
    not cached, by a worker: the workers hold the registers parsed already, and this process holds no Saxon (a
    processor that has read Escher's registers keeps about 190 MB). With one job, or before the pool is started (a
    rebuild's few tasks), `_Workers.map` runs them here instead."""

    def __init__(self, staging: Path, map_units: MapUnits) -> None:
        self.staging = staging
        self.map_units = map_units

    def transform(self, stylesheet: str, registers_xml: bytes, *, site_file: Path | None = None, **params: object) -> str:
        """The plan `stylesheet` makes of the registers (its source and its $registers), as text; with `site_file`, of
        that file of document summaries (its source and its $site; $registers: the registers)."""
        write_if_changed(self.staging / REGISTERS_FILE, registers_xml)  # where the workers read the registers
        what = f"the plan {Path(stylesheet).name}"
        arguments = (what, str(self.staging), stylesheet, params, str(site_file)) if site_file else (what, str(self.staging), stylesheet, params)
        ((_, text),) = self.map_units(plan_task, [stylesheet], [arguments], [site_file.stat().st_size if site_file else 0])
        return text  # type: ignore[return-value]


@dataclass(frozen=True)
class PlannedEntry:
    """An entry of a register page, as html/register-plan.xsl lists it."""

    kind: str
    id: str
    file: str
    initial: str
    initial_file: str


@dataclass(frozen=True)
class _Unit:
    """One page to render: its path in the site, its stylesheet, its source and parameters, the file of
    document summaries its stylesheet reads as $site (whose digest is part of the page's key), and the
    register entries it shows. Without a source the page is made from its site file, else from its registers."""

    relative: str
    stylesheet: str
    source: str | None
    params: dict[str, object]
    site_file: _SiteFile | None = None
    # The entries the page shows or links to (RegisterIndex.subset_of), its stylesheet's $registers, made only when the
    # page is rendered; None: all of them. Saxon indexes the registers anew for every transformation, so a page
    # handed all of them costs what they weigh. (The page's key need not cover them: the site key covers every register.)
    registers: Callable[[], bytes] | None = None


def write_registers(staging: Path, store: FactsStore, affected: set[str], registers_xml: bytes, register_index: RegisterIndex, edition_xml: bytes, *,
                    site_key: str, params: dict[str, str], stylesheet: Callable[[str], str], map_units: MapUnits, plans: PlanSheets,
                    old_pages: dict[str, str], new_pages: dict[str, str], between_batches: Callable[[], None] = lambda: None) -> list[Path]:
    """Write the register pages and popover data of the documents in `store`.

    `affected`: the entries named by the documents that changed since the store's previous build (FactsStore.update).
    `register_index` holds the entries of `registers_xml`, from which each page gets its own (RegisterIndex.subset_of).
    `params` are the layout's parameters (site title, language, customisation), `stylesheet`
    resolves a stylesheet's name (the edition's own one if it has one), `map_units` runs tasks in
    the worker processes, `plans` makes the register plan when it is not cached, `between_batches` is called before each
    batch of pages but the first is handed to them (html._Workers: workers grown too large replaced). Unchanged pages
    (same key in `old_pages`, file present) are kept; every page's key goes into `new_pages`.
    Returns the paths written; removes the register pages and data of entries that are gone.
    """
    write_if_changed(staging / REGISTERS_FILE, registers_xml)
    write_if_changed(staging / EDITION_FILE, edition_xml)
    plan_sheet = stylesheet("html/register-plan.xsl")
    language = params.get("language", "en")
    plan_key = _digest_of([site_key, stylesheet_identity(plan_sheet), language])
    cached = store.cached("register-plan", plan_key)
    if isinstance(cached, list):
        plan = [PlannedEntry(*entry) for entry in cached]
    else:
        plan = register_plan(registers_xml, plan_sheet, language, plans)
        store.keep("register-plan", plan_key, [list(vars(entry).values()) for entry in plan])
    # With the same stylesheets, registers and settings as the pages in the site were made with, only the entries that
    # changed documents name can have other pages.
    only = affected if store.meta("register-pages") == site_key else None
    kept: set[str] = set()  # relative paths: Path objects for every page of thousands of entries cost more than their checks
    # The pages the previous build left, from one directory read per folder rather than a stat of each of thousands:
    # kept where no change concerns them, else removed unless made again.
    found = _files_below(staging, [*(f"registers/{page}" for page in REGISTER_PAGES.values()), ENTRY_DATA_DIR])
    present = found if only is not None else set()

    def keep(relative: str) -> bool:
        """Keep a page that no change concerns, as the previous build left it (False: it did not leave it)."""
        key = old_pages.get(relative)
        if key is None or relative not in present:
            return False
        new_pages[relative] = key
        kept.add(relative)
        return True

    units = _units(plan, store, register_index, params, stylesheet, only, keep)
    written = _render_units(staging, units, site_key, map_units, old_pages, new_pages, kept, TASK_SIZE, between_batches=between_batches)
    store.set_meta("register-pages", site_key)
    _remove_stale(staging, kept, found)
    return written


def _render_units(staging: Path, units: Iterator[_Unit], site_key: str, map_units: MapUnits, old_pages: dict[str, str],
                  new_pages: dict[str, str], kept: set[str], task_size: int, *, batch_size: int | None = None,
                  prepare: Callable[[list[_Unit]], None] = lambda due: None, between_batches: Callable[[], None] = lambda: None) -> list[Path]:
    """Render, in the workers, the units whose key is not the one of the page already in the site; `task_size` pages a
    task, `batch_size` units at a time (BATCH), each batch's due units first handed to `prepare` (which writes their site files),
    then `between_batches` called before the batch is handed out, unless it is the first.

    Every unit's key goes into `new_pages` and its path (relative to the site) into `kept`. Returns the paths written.
    """
    written: list[Path] = []
    # The batch the workers render while this process makes the next one's sources (no barrier between batches).
    running: tuple[list[_Unit], Iterable[tuple[object, object]]] | None = None
    for batch in _batches(units, batch_size or BATCH, site_key):
        due = []
        for unit, key in batch:
            new_pages[unit.relative] = key
            path = staging / unit.relative
            kept.add(unit.relative)
            if old_pages.get(unit.relative) != key or not path.is_file():
                due.append(unit)
        prepare(due)
        if running is not None and due:
            between_batches()
        tasks = _tasks(due, task_size)
        arguments = [(f"pages {task[0].relative} …", str(staging), [(unit.stylesheet, unit.source, str(unit.site_file.path) if unit.site_file else None,
                                                                     unit.registers() if unit.registers else b"", unit.params, str(staging / unit.relative))
                                                                    for unit in task])
                     for task in tasks]
        submitted = (due, map_units(render_unit, tasks, arguments, [sum(_weight(unit) for unit in task) for task in tasks]))
        if running is not None:
            written.extend(_finished(staging, *running))
        running = submitted
    if running is not None:
        written.extend(_finished(staging, *running))
    return written


def _tasks(due: list[_Unit], task_size: int) -> list[list[_Unit]]:
    """The pages in tasks, in their order: `task_size` pages a task (one page a task would cost more in passing it than in
    rendering it), or up to SITE_FILE_PAGES_PER_TASK pages that read the same site file, which a task parses once."""
    tasks: list[list[_Unit]] = []
    for unit in due:
        last = tasks[-1] if tasks else None
        shared = last is not None and unit.site_file is not None and last[-1].site_file == unit.site_file and len(last) < SITE_FILE_PAGES_PER_TASK
        if last is not None and (len(last) < task_size or shared):
            last.append(unit)
        else:
            tasks.append([unit])
    return tasks


def _finished(staging: Path, due: list[_Unit], results: Iterable[tuple[object, object]]) -> list[Path]:
    """Wait for a batch's tasks; the paths of its pages, in the order of its units."""
    for _ in results:
        pass
    return [staging / unit.relative for unit in due]


def _weight(unit: _Unit) -> int:
    """How much a page reads, the weight of its task: its source and its file of summaries (the overviews read every document's)."""
    try:
        site_file = os.path.getsize(unit.site_file.path) if unit.site_file else 0
    except OSError:
        site_file = 0
    return len(unit.source or "") + site_file


def register_plan(registers_xml: bytes, plan_stylesheet: str, language: str, plans: PlanSheets) -> list[PlannedEntry]:
    """Every entry of the four registers in its register's order, then the events, with its file name and initial."""
    text = plans.transform(plan_stylesheet, registers_xml, language=language)
    # split at line feeds only: str.splitlines would also split at a U+0085 or U+2028 in an initial
    return [PlannedEntry(*line.split("\t")) for line in text.split("\n") if line]


def _units(plan: list[PlannedEntry], store: FactsStore, registers: RegisterIndex, params: dict[str, str],
           stylesheet: Callable[[str], str], only: set[str] | None = None, keep: Callable[[str], bool] = lambda relative: False) -> Iterator[_Unit]:
    """The index pages of each register, then a page and the popover data of each entry (of an event, whose place is
    the chronology, its popover data only), each with the entries it shows.

    With `only`, an entry not in it keeps its pages where `keep` does (its pages' sources are not made)."""
    counts = store.document_counts()
    by_kind: dict[str, list[PlannedEntry]] = {kind: [] for kind in REGISTER_PAGES}
    for entry in plan:
        if entry.kind in by_kind:
            by_kind[entry.kind].append(entry)
    index_sheet, entry_sheet, data_sheet = (stylesheet(f"html/{name}.xsl") for name in ("register", "entry", "registers-data"))
    index_params = {**params, "site_root": "../", "documents_base": "../documents/"}
    for kind, entries in by_kind.items():
        for relative, source, listed in _index_pages(kind, entries, counts):
            yield _Unit(relative, index_sheet, source, index_params, registers=lambda listed=listed: registers.subset_of(listed, depth=1))
    entry_params = {**params, "site_root": "../../", "documents_base": "../../documents/"}
    data_params = {**params, "site_root": "", "documents_base": "documents/"}

    def popover_data(entry: PlannedEntry, data: str) -> _Unit:
        return _Unit(data, data_sheet, None, {**data_params, "entry_id": entry.id}, registers=lambda: registers.subset_of([entry.id]))

    for entry in plan:
        data = f"{ENTRY_DATA_DIR}/{entry.file}.js"
        if entry.kind not in REGISTER_PAGES:
            # An event: its place is the chronology's page of its year (common/site-files.xsl tp:entry-path); here its popover data only.
            if only is None or entry.id in only or not keep(data):
                yield popover_data(entry, data)
            continue
        folder = f"registers/{REGISTER_PAGES[entry.kind]}/"
        if only is not None and entry.id not in only:
            pages = max(1, -(-counts.get(entry.id, 0) // DOCUMENTS_PER_PAGE))
            if all([keep(folder + _entry_file(entry, number)) for number in range(1, pages + 1)] + [keep(data)]):
                continue
        documents = store.documents_naming(entry.id)
        chunks = [documents[start:start + DOCUMENTS_PER_PAGE] for start in range(0, len(documents), DOCUMENTS_PER_PAGE)] or [[]]
        files = [_entry_file(entry, number) for number in range(1, len(chunks) + 1)]
        totals = f'correspondence="{sum(1 for _, party, _ in documents if party)}" mentioned="{sum(1 for *_, mention in documents if mention)}"'
        for number, chunk in enumerate(chunks, start=1):
            pages = "".join(f'<page number="{other}" first="{(other - 1) * DOCUMENTS_PER_PAGE + 1}" last="{min(other * DOCUMENTS_PER_PAGE, len(documents))}" href={quoteattr(name)} current="{str(other == number).lower()}"/>'
                            for other, name in enumerate(files, start=1)) if len(chunks) > 1 else ""
            source = "".join([f'<site xmlns="{SITE_NS}" xmlns:f="{FACTS_NS}" path={quoteattr(folder + files[number - 1])} {totals}>', pages, *(xml for xml, *_ in chunk), "</site>"])
            yield _Unit(folder + files[number - 1], entry_sheet, source, {**entry_params, "entry_id": entry.id},
                        registers=lambda entry=entry, source=source: registers.subset_of({entry.id, *(html.unescape(value) for value in _NAMED_ENTRIES.findall(source))}))
        # The popover data shows no mentions: a unit of its own, rendered again only when the registers change.
        yield popover_data(entry, data)


def _entry_file(entry: PlannedEntry, number: int) -> str:
    """The file of an entry's page `number` (from 1): {file}.html, {file}~p2.html ..."""
    return f"{entry.file}.html" if number == 1 else f"{entry.file}~p{number}.html"


def _index_pages(kind: str, entries: list[PlannedEntry], counts: dict[str, int]) -> Iterator[tuple[str, str, list[str]]]:
    """(path, html/register.xsl's source, the ids it lists) of each index page of a register: one page, or one per initial (per SPLIT_AT cited documents)."""
    page = REGISTER_PAGES[kind]
    groups: dict[str, list[PlannedEntry]] = {}
    names: dict[str, str] = {}
    if len(entries) <= SPLIT_AT:
        groups[""] = entries
    elif kind == "bibl":
        for start in range(0, len(entries), SPLIT_AT):
            label = f"{start + 1}–{min(start + SPLIT_AT, len(entries))}"
            groups[label] = entries[start:start + SPLIT_AT]
            names[label] = str(start // SPLIT_AT + 1)
    else:
        for entry in entries:
            groups.setdefault(entry.initial, []).append(entry)
            names.setdefault(entry.initial, entry.initial_file)
    labels = list(groups)
    files = {label: f"{page}.html" if position == 0 else f"{page}-{names[label]}.html" for position, label in enumerate(labels)}
    for label in labels:
        relative = f"registers/{files[label]}"
        if label:
            letters = [f"<letter label={quoteattr(other)} href={quoteattr(files[other])} current=\"{str(other == label).lower()}\"/>" for other in labels]
        elif kind != "bibl":
            # One page: the bar jumps to each initial's first entry on it.
            firsts: dict[str, str] = {}
            for entry in entries:
                firsts.setdefault(entry.initial, entry.id)
            letters = [f"<letter label={quoteattr(initial)} href={quoteattr('#' + first)}/>" for initial, first in firsts.items()]
        else:
            letters = []
        rows = [f"<entry id={quoteattr(entry.id)} documents=\"{counts.get(entry.id, 0)}\"/>" for entry in groups[label]]
        yield (relative, "".join([f'<index xmlns="{SITE_NS}" kind="{kind}" path={quoteattr(relative)} total="{len(entries)}">', *letters, *rows, "</index>"]),
               [entry.id for entry in groups[label]])


def _batches(units: Iterator[_Unit], size: int, site_key: str) -> Iterator[list[tuple[_Unit, str]]]:
    """The units with their cache keys (over the site's key: stylesheets, registers, settings), `size` at a time."""
    batch: list[tuple[_Unit, str]] = []
    for unit in units:
        batch.append((unit, _unit_key(site_key, unit)))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _unit_key(site_key: str, unit: _Unit) -> str:
    site_digest = unit.site_file.digest if unit.site_file else ""
    return _digest_of([site_key, stylesheet_identity(unit.stylesheet), unit.source or "", jsonfiles.dumps(unit.params, sort_keys=True).decode(), unit.relative, site_digest])


def _digest_of(parts: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(_framed(part))
    return digest.hexdigest()


def _framed(text: str) -> bytes:
    """`text` as a part of a digest that no other sequence of parts gives: its length first."""
    data = text.encode("utf-8")
    return len(data).to_bytes(8, "big") + data


def _remove_stale(staging: Path, kept: set[str], found: set[str]) -> None:
    """Remove the register pages and popover data this build did not make (entries that are gone, pages no longer split);
    `kept` holds the paths, relative to the site, of those it made or kept, `found` those the entries' folders held before."""
    indexes = tuple(f"{page}-" for page in REGISTER_PAGES.values())
    candidates = [relative for relative in found if relative.endswith((".html", ".js"))]
    candidates += [f"registers/{name}" for name in _names_in(staging / "registers", ".html") if name.startswith(indexes)]
    # The single script of every entry that the per-entry data replaced (sites built before).
    candidates.append("assets/registers.js")
    for relative in candidates:
        if relative not in kept:
            path = os.path.join(staging, relative)
            if os.path.isfile(path):
                os.unlink(path)


def _files_below(staging: Path, folders: Iterable[str]) -> set[str]:
    """The files (relative paths, as a page's `relative`) directly in each of `folders` of the site."""
    return {f"{folder}/{entry.name}" for folder in folders for entry in _entries(staging / folder) if entry.is_file()}


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of `folder`; none when there is no such folder."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _names_in(folder: Path, suffix: str) -> list[str]:
    """The names in `folder` (none when there is no such folder) that end with `suffix`."""
    return [entry.name for entry in _entries(folder) if entry.name.endswith(suffix)]



# --- the home page's list of documents, the chronology, the overviews ----------------------------

# Documents listed on one page of the home page's list (about 800 bytes a row: a page stays near 400 KB);
# the first page is index.html, the others documents-2.html, documents-3.html ...
LIST_PAGE_SIZE = 500
# A chronology of more entries (documents and register events) than this has a page per year, and chronology.html
# lists the years only (about 1 KB an entry: a whole chronology stays near 1 MB).
CHRONOLOGY_SPLIT_AT = 1000
# The chronology's page of the documents without a four-digit year (dated `--04-01`, or undated) and the undated
# events, where links to such an event land (common/site-files.xsl tp:entry-path).
UNDATED_PAGE = "chronology/undated.html"
# Pairs of correspondents a page of the correspondents overview's table lists (about 200 KB).
PAIRS_PER_PAGE = 1000
# Places a page of the places overview's table lists (about 250 bytes a row); the map, on the first page, reads
# every place from a script of its own (overviews/places-map.js), which the page does not carry.
PLACES_PER_PAGE = 1000
PLACES_MAP_SCRIPT = "overviews/places-map.js"
# Pages that read the same site file (the search page, the guide and the edition's own pages read the list of ids) go
# to a worker this many in a task, which parses the file once.
SITE_FILE_PAGES_PER_TASK = 64


@dataclass(frozen=True)
class SitePage:
    """A page of the site that shows no document's facts but the list of their ids (search, guide, the
    edition's own pages): its path, stylesheet, source (None: the list) and parameters."""

    relative: str
    stylesheet: str
    source: str | None
    params: dict[str, object]


# Characters gathered for a site file before they are appended to it: a file is opened only to take them, as an edition
# spanning a thousand years has a thousand year files, more than a process may hold open at once.
FLUSH_AT = 1 << 20


class _SiteFile:
    """A file of document summaries (`<site>` in the site namespace) that pages read as their $site: its documents'
    summaries (or overviews: `column`) in reading order, then what `append` adds.

    Its digest is made of the digests the store keeps of those texts, so that a rebuild tells the pages that read what
    they read before without reading the texts; the file is written (`_write_site_files`) only for pages rendered.
    """

    def __init__(self, path: Path, attributes: str = "", column: str = "summary") -> None:
        self.path = path
        self.column = column
        self.head = f'<site xmlns="{SITE_NS}" xmlns:f="{FACTS_NS}"{attributes}>'
        self.documents: list[str] = []
        self.tail: list[str] = []
        self._hash = hashlib.sha256(_framed(self.head))
        self.digest = ""
        self.written = False
        self._pending: list[str] = []  # what `_write_site_files` has gathered for the file and not yet appended
        self._size = 0

    def add(self, row: SummaryRow) -> None:
        """A document, after those added before."""
        self.documents.append(row.id)
        self._hash.update((row.summary_digest if self.column == "summary" else row.overview_digest).encode("ascii"))

    def append(self, text: str) -> None:
        """Text after the documents."""
        self.tail.append(text)
        self._hash.update(_framed(text))

    def close(self) -> str:
        """End the file; its digest."""
        self.append("</site>")
        self.digest = self._hash.hexdigest()
        return self.digest

    def _gather(self, text: str, *, end: bool = False) -> None:
        """Text for the file, appended to it once FLUSH_AT characters have gathered (or at the `end`)."""
        self._pending.append(text)
        self._size += len(text)
        if end or self._size >= FLUSH_AT:
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write("".join(self._pending))
            self._pending, self._size = [], 0


def _write_site_files(store: FactsStore, site_files: Iterable[_SiteFile]) -> None:
    """Write `site_files` (those not written yet) with their documents' texts, read from the store in one pass (none
    when there are no such files)."""
    files = list(dict.fromkeys(site_file for site_file in site_files if not site_file.written))  # each once, in order
    wanted: dict[str, list[_SiteFile]] = {}
    for site_file in files:
        site_file.path.write_text("", encoding="utf-8")
        site_file._gather(site_file.head)
        for document_id in site_file.documents:
            wanted.setdefault(document_id, []).append(site_file)
    if wanted:
        for document_id, summary, overview in store.texts():
            for site_file in wanted.get(document_id, ()):
                site_file._gather(summary if site_file.column == "summary" else overview)
    for site_file in files:
        site_file._gather("".join(site_file.tail), end=True)
        site_file.written = True


def write_aggregate_pages(staging: Path, store: FactsStore, registers_xml: bytes, home_source: str | None, other_pages: Sequence[SitePage], *,
                          site_key: str, params: dict[str, str], stylesheet: Callable[[str], str], map_units: MapUnits, plans: PlanSheets,
                          old_pages: dict[str, str], new_pages: dict[str, str]) -> list[Path]:
    """Write the home page and the other pages of the list of documents, the chronology, the overviews and `other_pages`.

    The documents' summaries are read from the store in reading order, one at a time, into files of
    summaries beside the build, one per page of the list, per year of the chronology and one for the
    overviews; each page is a unit rendered by the workers with a key over its own source. `home_source` is edition.xml as the home page shows it (None: there is none).
    `plans` makes the chronology's plan of the events when it is not cached.
    Returns the paths written; removes the pages of the list, the chronology and the overviews' tables that are gone.
    """
    kept: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="tp-aggregates-") as folder:
        plan_sheet = stylesheet("html/chronology-plan.xsl")
        # The site key covers the registers and the stylesheets.
        plan_key = _digest_of([site_key, stylesheet_identity(plan_sheet)])
        cached = store.cached("chronology-events", plan_key)
        if isinstance(cached, list):
            event_years = {year: count for year, count in cached}
        else:
            event_years = chronology_events(registers_xml, plan_sheet, plans)
            store.keep("chronology-events", plan_key, list(event_years.items()))
        units = _aggregate_units(store, Path(folder), home_source, event_years, registers_xml, other_pages, site_key, params, stylesheet, plans)
        # One page a task (a few pages, some large), but the overviews' pages a few at a time (SITE_FILE_PAGES_PER_TASK);
        # all in one batch, whose site files are written in one pass over the store.
        written = _render_units(staging, iter(units), site_key, map_units, old_pages, new_pages, kept, 1, batch_size=max(1, len(units)),
                                prepare=lambda due: _write_site_files(store, (unit.site_file for unit in due if unit.site_file)))
    overviews = staging / "overviews"
    for path in (*staging.glob("documents-*.html"), *(staging / "chronology").glob("*.html"), *overviews.glob("correspondents-*.html"),
                 *overviews.glob("places-*.html")):
        if path.is_file() and path.relative_to(staging).as_posix() not in kept:
            path.unlink()
    return written


def chronology_events(registers_xml: bytes, plan_stylesheet: str, plans: PlanSheets) -> dict[str, int]:
    """How many of the registers' events fall in each year (html/chronology-plan.xsl), in order; "" the undated ones."""
    lines = plans.transform(plan_stylesheet, registers_xml).split("\n")
    return {year: int(count) for year, count in (line.split("\t") for line in lines if line)}


def _aggregate_units(store: FactsStore, folder: Path, home_source: str | None, event_years: dict[str, int], registers_xml: bytes,
                     other_pages: Sequence[SitePage], site_key: str, params: dict[str, str], stylesheet: Callable[[str], str], plans: PlanSheets) -> list[_Unit]:
    """Read the documents' summaries once, writing the site files of every page; the pages as units."""
    lists: list[tuple[_SiteFile, _ListPage]] = []
    years: dict[str, tuple[_SiteFile, list[int]]] = {}
    no_year: tuple[_SiteFile, list[int]] | None = None
    # The whole chronology in one page's source while it is short enough to be one page: none once the documents and
    # the registers' events together are more than CHRONOLOGY_SPLIT_AT.
    events = sum(event_years.values())
    whole: _SiteFile | None = _SiteFile(folder / "chronology-whole.xml", ' path="chronology.html"') if events <= CHRONOLOGY_SPLIT_AT else None
    overview = _SiteFile(folder / "overviews.xml", column="overview")
    ids = _SiteFile(folder / "ids.xml")
    for position, document in enumerate(store.summaries()):
        if position % LIST_PAGE_SIZE == 0:
            lists.append((_SiteFile(folder / f"list-{len(lists) + 1}.xml"), _ListPage(position + 1, document.list_year)))
        lists[-1][0].add(document)
        lists[-1][1].last, lists[-1][1].to_year = position + 1, document.list_year
        # The chronology groups by the sort key's year; it names a file, so only four digits make a page.
        if document.chronology_year:
            if document.chronology_year not in years:
                years[document.chronology_year] = _year_file(folder, document.chronology_year)
            chronology_file = years[document.chronology_year]
        else:
            if no_year is None:
                no_year = _SiteFile(folder / "year-undated.xml", f' path="{UNDATED_PAGE}" undated="true"'), [0]
            chronology_file = no_year
        chronology_file[0].add(document)
        chronology_file[1][0] += 1
        if whole is not None and position + 1 + events > CHRONOLOGY_SPLIT_AT:
            whole = None
        if whole is not None:
            whole.add(document)
        overview.add(document)
        ids.append(f"<document id={quoteattr(document.id)}/>")
    if not lists:
        lists.append((_SiteFile(folder / "list-1.xml"), _ListPage(1, "")))
    top = {**params, "site_root": "", "documents_base": "documents/"}
    below = {**params, "site_root": "../", "documents_base": "../documents/"}
    units = _list_units(lists, home_source, top, stylesheet("html/home.xsl"))
    units += _chronology_units(folder, years, no_year, whole, event_years, top, below, stylesheet("html/chronology.xsl"))
    overview_digest = overview.close()
    # The tables of pairs and of places grow with the edition: made once (html/overview-plan.xsl, again only when what
    # the overviews read changed: a letter's text alone leaves it as it was), each of their pages a unit of its own
    # with its rows as its source; the map's places are a script of their own.
    tables_key = _digest_of([site_key, overview_digest])
    tables = store.cached("overview-tables", tables_key)
    if not isinstance(tables, str):
        _write_site_files(store, [overview])
        tables = plans.transform(stylesheet("html/overview-plan.xsl"), registers_xml, site_file=overview.path, **below)
        store.keep("overview-tables", tables_key, tables)
    sources = overview_sources(tables)
    overview_params = {**below, "chronology_by_year": whole is None, "pairs_per_page": PAIRS_PER_PAGE, "places_per_page": PLACES_PER_PAGE,
                       "pair_pages": len(sources.pair_pages), "place_pages": len(sources.place_pages)}
    units.append(_Unit("overviews/time.html", stylesheet("html/overview-time.xsl"), None, overview_params, overview))
    units += [_Unit(f"overviews/correspondents{'' if page == 1 else f'-{page}'}.html", stylesheet("html/overview-correspondents.xsl"), source,
                    {**overview_params, "pairs_page": page}) for page, source in enumerate(sources.pair_pages, start=1)]
    units += [_Unit(f"overviews/places{'' if page == 1 else f'-{page}'}.html", stylesheet("html/overview-places.xsl"), source,
                    {**overview_params, "places_page": page}) for page, source in enumerate(sources.place_pages, start=1)]
    units.append(_Unit(PLACES_MAP_SCRIPT, stylesheet("html/overview-places-map.xsl"), sources.map_places, overview_params))
    ids.close()
    units += [_Unit(page.relative, page.stylesheet, page.source, {**params, **page.params}, ids) for page in other_pages]
    return units


def _chronology_units(folder: Path, years: dict[str, tuple[_SiteFile, list[int]]], no_year: tuple[_SiteFile, list[int]] | None,
                      whole: _SiteFile | None, event_years: dict[str, int], top: dict[str, object], below: dict[str, object], chronology: str) -> list[_Unit]:
    """The chronology's pages: chronology.html, a page per year and the page of the entries without a year.

    Every year of a document or a dated event has a page (chronology/{year}.html, where links to an event land:
    common/site-files.xsl tp:event-year), with the bar of the years; the documents without a four-digit year and
    the undated events have theirs (UNDATED_PAGE). A chronology of more than CHRONOLOGY_SPLIT_AT entries has only
    the years on chronology.html (`whole` is None), a shorter one all its entries (`whole`), whatever the list of
    documents' pages."""
    for year in event_years:
        if year and year not in years:
            years[year] = _year_file(folder, year)
    if no_year is None and event_years.get(""):
        no_year = _SiteFile(folder / "year-undated.xml", f' path="{UNDATED_PAGE}" undated="true"'), [0]
    # The bar without the years' counts: a letter more in one year leaves the other years' pages as they are.
    bar = "".join(f"<year value={quoteattr(year)} href={quoteattr(f'chronology/{year}.html')}/>" for year in sorted(years))
    bar += f'<undated href="{UNDATED_PAGE}"/>' if no_year else ""
    units = []
    if whole is None:
        index = _SiteFile(folder / "chronology.xml", ' path="chronology.html"')
        index.append("".join(f"<year value={quoteattr(year)} entries=\"{years[year][1][0] + event_years.get(year, 0)}\" href={quoteattr(f'chronology/{year}.html')}/>"
                            for year in sorted(years)))
        if no_year:
            index.append(f'<undated entries="{no_year[1][0] + event_years.get("", 0)}" href="{UNDATED_PAGE}"/>')
        index.close()
        units.append(_Unit("chronology.html", chronology, None, top, index))
    else:
        whole.close()
        units.append(_Unit("chronology.html", chronology, None, top, whole))
    pages = [(f"chronology/{year}.html", years[year][0]) for year in sorted(years)] + ([(UNDATED_PAGE, no_year[0])] if no_year else [])
    for relative, site_file in pages:
        site_file.append(bar)
        site_file.close()
        units.append(_Unit(relative, chronology, None, below, site_file))
    return units


@dataclass(frozen=True)
class OverviewSources:
    """The sources of the overviews' pages that show the tables of html/overview-plan.xsl: a page's rows, with the rows
    they refer to (a pair's correspondents, the first page's picture) and the table's totals; one page without rows for
    a table without any. The map's script: every place with coordinates."""

    pair_pages: list[str]
    place_pages: list[str]
    map_places: str


def overview_sources(tables: str) -> OverviewSources:
    """Each page's part of the overviews' tables (html/overview-plan.xsl), PAIRS_PER_PAGE pairs and PLACES_PER_PAGE places a page."""
    root = etree.fromstring(tables.encode("utf-8"), safe_parser())
    site = f"{{{SITE_NS}}}"
    parties = {party.get("key"): _xml(party) for party in root.iterchildren(f"{site}party")}
    pairs = list(root.iterchildren(f"{site}pair"))
    network = root.find(f"{site}network")
    totals = f'total="{len(pairs)}" parties="{len(parties)}" letters={quoteattr(root.get("letters", "0"))}'
    pair_pages = []
    for page, start in enumerate(range(0, max(1, len(pairs)), PAIRS_PER_PAGE), start=1):
        shown = pairs[start:start + PAIRS_PER_PAGE]
        named = dict.fromkeys(key for pair in shown for key in (pair.get("a"), pair.get("b")))
        pair_pages.append("".join([f'<pairs xmlns="{SITE_NS}" {totals}>', _xml(network) if page == 1 and network is not None else "",
                                   *(parties[key] for key in named), *(_xml(pair) for pair in shown), "</pairs>"]))
    places = list(root.iterchildren(f"{site}place"))
    mapped = [_xml(place) for place in places if place.get("lat") is not None]
    rows = [_xml(place) for place in places]
    place_pages = ["".join([f'<places xmlns="{SITE_NS}" total="{len(rows)}" mapped="{len(mapped)}">', *rows[start:start + PLACES_PER_PAGE], "</places>"])
                   for start in range(0, max(1, len(rows)), PLACES_PER_PAGE)]
    map_places = "".join([f'<places xmlns="{SITE_NS}" total="{len(mapped)}" mapped="{len(mapped)}">', *mapped, "</places>"])
    return OverviewSources(pair_pages, place_pages, map_places)


def _xml(element: etree._Element) -> str:
    """A row of the overviews' tables as text (its namespace declared on it)."""
    return etree.tostring(element, encoding="unicode", with_tail=False)


def _year_file(folder: Path, year: str) -> tuple[_SiteFile, list[int]]:
    """The site file of a year's page of the chronology, and its count of documents (to be counted)."""
    return _SiteFile(folder / f"year-{year}.xml", f' path="chronology/{year}.html" year={quoteattr(year)}'), [0]


@dataclass
class _ListPage:
    """A page of the list of documents: the numbers of its first and last document and their years ("" undated)."""

    first: int
    from_year: str
    last: int = 0
    to_year: str = ""


def _list_units(lists: list[tuple[_SiteFile, _ListPage]], home_source: str | None, params: dict[str, object], home: str) -> list[_Unit]:
    """The pages of the list of documents: index.html (with the edition's text), documents-2.html ...; each
    knows every page's first and last document, so that its bar of pages says which years a page holds."""
    files = ["index.html", *(f"documents-{number}.html" for number in range(2, len(lists) + 1))]
    bar = "".join(f"<list-page number=\"{number}\" href={quoteattr(name)} first=\"{page.first}\" last=\"{page.last}\""
                  f" from={quoteattr(page.from_year)} to={quoteattr(page.to_year)}/>"
                  for number, (name, (_, page)) in enumerate(zip(files, lists), start=1)) if len(lists) > 1 else ""
    total = lists[-1][1].last
    units = []
    for number, (name, (site_file, _)) in enumerate(zip(files, lists), start=1):
        site_file.append(f"<list-pages total=\"{total}\" current=\"{number}\">{bar}</list-pages>")
        site_file.close()
        source = home_source if number == 1 else None
        units.append(_Unit(name, home, source, params, site_file))
    return units


# --- in the worker processes ---------------------------------------------------------------------

_worker_inputs: dict[str, object] = {}


def _worker_input(staging: str, name: Path) -> object:
    """The registers or the edition as a node, parsed once per worker (again when the file changed)."""
    from .saxon import to_xdm

    path = Path(staging) / name
    stat = path.stat()
    stamp = (str(path), stat.st_mtime_ns, stat.st_size)
    if _worker_inputs.get(str(name)) != stamp:
        data = path.read_bytes()
        _worker_inputs[f"{name}:node"] = to_xdm(data) if data else None
        _worker_inputs[str(name)] = stamp
    return _worker_inputs[f"{name}:node"]


def _worker_sheets() -> Stylesheets:
    from .saxon import Stylesheets

    if "sheets" not in _worker_inputs:
        _worker_inputs["sheets"] = Stylesheets()
    return _worker_inputs["sheets"]  # type: ignore[return-value]


def plan_task(what: str, staging: str, stylesheet: str, params: dict[str, object], site_file: str = "") -> str:
    """A plan of the registers (PlanSheets): `stylesheet` over them, its $registers the same; with `site_file`, over that
    file of document summaries, its $site the same. `what` names it in an error."""
    from .saxon import to_xdm

    registers = _worker_input(staging, REGISTERS_FILE)
    source = to_xdm(Path(site_file).read_bytes()) if site_file else registers
    return _worker_sheets().transform(stylesheet, source, registers=registers, site=source if site_file else None, **params)  # type: ignore[arg-type]


def render_unit(what: str, staging: str, outputs: list[tuple[str, str | None, str | None, bytes, dict[str, object], str]]) -> None:
    """Transform and write pages (stylesheet, source, site file, registers, parameters, path: see _Unit); all the
    registers and the edition are parsed once per worker (again when they changed). `what` names the pages in an error."""
    from .saxon import to_xdm

    all_registers, edition = (_worker_input(staging, name) for name in (REGISTERS_FILE, EDITION_FILE))
    sheets = _worker_sheets()
    site_files: dict[str, object] = {}  # pages of one task often read the same site file
    for sheet, source, site_file, registers_xml, params, out_path in outputs:
        site = None
        if site_file is not None:
            if site_file not in site_files:
                site_files.clear()
                site_files[site_file] = to_xdm(Path(site_file).read_bytes())
            site = site_files[site_file]
        registers = to_xdm(registers_xml) if registers_xml else all_registers
        node = to_xdm(source) if source is not None else site if site is not None else registers
        write_atomic(Path(out_path), sheets.transform(sheet, node, registers=registers, edition=edition, site=site, **params))  # type: ignore[arg-type]
