"""The HTML site: document pages transformed in parallel, then the pages that aggregate them.

Incremental: the output folder keeps a manifest (`.teipress/manifest.json`) with a key per
document (hash of its source, the stylesheets (teipress's and the edition's own, teipress.toml
`xslt`), the register entries it names, the edition file and its page parameters: neighbours,
media folder, PDF link, the edition's customisation settings) and each document's facts
(`.teipress/facts/{id}.xml`, from `html/summary.xsl`). A rebuild transforms only documents whose
key changed; registers (aggregates.py: a page per entry, rendered by the workers), chronology,
home page and search index are aggregates of the cached facts, each page rewritten when its own
key changed. Sources and
images are copied on every build (written only when their bytes differ), and whatever belongs
to no current document is removed, whatever the manifest says.

Atomic: the site is built in a sibling folder (a hard-linked copy of the previous site) and
swapped into place only when everything succeeded, so a failed build leaves the old site intact
(outputs.replaced_folder, which also refuses folders teipress did not make).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from . import __version__, jsonfiles
from .aggregates import REGISTERS_FILE, MapUnits, PlanSheets, SitePage, plan_task, render_unit, write_aggregate_pages, write_registers
from .assets import EDITION_ASSETS_DIR, SiteAssets, cached_bytes, publish
from .config import Config
from .dts import Resource, ResourceJob, StaticDts, write_resource
from .edition import SOURCE_CATALOGUE, Edition, FileState, RegisterIndex, SourceFile, edition_titles, merged_registers, own_entry_ids, referenced_ids, registers_key
from .errors import ConfigError, TransformError
from .factstore import FACTS_DIR, SITE_NS, STORE_NAME, FactsStore, store_path
from .iiif import ManifestSource, Page, has_page_images, manifest_path, page_images, write_iiif
from .outputs import MARKER, output_names, published_files, replaced_folder, start_mirror
from .problems import Problem, Severity, display_path
from .resources import XSLT_DIR
from .workers import WorkerPool, release_freed_memory, settle, settling
from .xmlio import NS, XML_ID, attribute_column, parse_file, source_lines, write_atomic, write_if_changed

MANIFEST = Path(".teipress") / "manifest.json"
# The index of the merged registers (edition.RegisterIndex) under the key of the files they were merged from (edition.registers_key).
REGISTER_INDEX = Path(".teipress") / "register-index.json"


@dataclass
class SiteResult:
    """What `write_site` did: documents transformed anew or reused, pages written, problems met."""

    documents: list[str] = field(default_factory=list)
    documents_rendered: list[str] = field(default_factory=list)
    documents_reused: list[str] = field(default_factory=list)
    pages_written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Document:
    """One page to render: its id in the site, its source file, its cache keys and its summary.

    The build holds no document's tree, bytes or facts: worker processes read each source file
    themselves, and the facts live in the build's cache on disk (`.teipress/facts/{id}.xml`).
    """

    id: str
    source: SourceFile
    site: Path  # the build's staging folder
    facts_key: str = ""
    page_key: str = ""
    pages: list[Page] = field(default_factory=list)
    # What the manifest keeps of the document for the next build (_facts_task's record): a rebuild
    # reuses it, without reading the source, while the source, its images and its register subset are unchanged.
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def attributes(self) -> dict[str, str]:
        return self.record.get("attributes", {})  # type: ignore[no-any-return]

    @property
    def facts(self) -> str:
        """The document's facts (html/summary.xsl), read from the cache where the build's first phase left them."""
        return (self.site / FACTS_DIR / f"{self.id}.xml").read_text(encoding="utf-8")

    def summary(self, name: str) -> str:
        """An attribute of the document's summary (id, type, title, date, sort, year) from its facts."""
        return self.attributes.get(name) or ""


def write_site(
    edition: Edition,
    config: Config,
    out_dir: Path,
    *,
    jobs: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    pdf_linked: bool = True,
    force: bool = False,
) -> SiteResult:
    """Write the whole site of `edition` into `out_dir`, reusing what the previous build left there.

    `out_dir` must be teipress's own, new or empty, unless `force` (see outputs.py).

    Example: `write_site(load_edition(Path("tei")), config, Path("output/html"), jobs=2)`.
    """
    result = SiteResult()
    out_dir = out_dir.resolve()
    with settling(), replaced_folder(out_dir, source=edition.source, force=force, keep_previous=True) as staging:
        _build_into(staging, edition, config, result, jobs=jobs, progress=progress, pdf_linked=pdf_linked, store=store_path(out_dir))
    result.pages_written = [out_dir / p.relative_to(staging) for p in result.pages_written]
    return result


def _build_into(staging: Path, edition: Edition, config: Config, result: SiteResult, *, jobs: int, progress, pdf_linked: bool, store: Path) -> None:  # type: ignore[no-untyped-def]
    report = progress or (lambda stage, done, total: None)
    manifest = _read_manifest(staging)
    settle()  # the edition and the previous build's records, held until the end
    registers_xml, register_index = _registers(edition, staging)
    release_freed_memory()  # the merged registers' tree
    edition_xml = etree.tostring(edition.edition_file.tree, encoding="utf-8") if edition.edition_file else b""
    custom = _customisation(config, edition)
    site_params = _site_params(config, edition_titles(edition, config.title, config.subtitle))
    code_key = _digest(__version__.encode(), _stylesheets_digest().encode(), _folder_digest(config.xslt).encode())

    documents = _documents(edition, result, staging)
    old_documents: dict[str, dict[str, str]] = manifest.get("documents", {}) if isinstance(manifest.get("documents"), dict) else {}
    old_pages = manifest.get("pages", {}) if isinstance(manifest.get("pages"), dict) else {}
    new_pages: dict[str, str] = {}
    settle()  # the registers' index and the documents

    media: set[Path] = set()
    # A record kept from a build by other code is stale (the facts come from the stylesheets too).
    same_code = manifest.get("code_key") == code_key
    registers_changed = manifest.get("registers") != _digest(registers_xml)
    # The store of facts is opened first: another build of the same site waits here, until this one ends (factstore.py).
    # Earlier builds kept it in the site: no longer published, nor carried on from site to site.
    (staging / MARKER / STORE_NAME).unlink(missing_ok=True)
    with FactsStore(store, str(manifest.get("facts_store", ""))) as facts, \
            _Workers(jobs, _WorkerSetup(edition_xml, str(_stylesheet(config, "html/document.xsl")), register_index, code_key)) as workers:
        # Phase 1: each document's cache key, its facts (dates, titles, mentions) where the key changed, and its
        # source and images copied (written only when their bytes differ, so that a changed image or a deleted
        # folder is put right although the page itself is reused). A document whose source, images and register
        # subset are as the previous build left them keeps its record without being read at all.
        # The facts and sources the previous build left, from one directory read each rather than a stat per document.
        present = _files_in(staging, (FACTS_DIR.as_posix(), "tei"))
        for document in documents:
            old = old_documents.get(document.id, {})
            if same_code and _still_current(document, old, staging, present, register_index if registers_changed else None):
                document.record = old
        stale = [d for d in documents if not d.record]
        arguments = [(d.id, str(d.source.path), str(d.source.xinclude_root or ""), old_documents.get(d.id, {}).get("facts_key", ""),
                      str(staging), str(edition.source), [state.path for state in d.source.record.states[1:]]) for d in stale]
        for done, (document, record) in enumerate(workers.map(_facts_task, stale, arguments, [_source_size(d) for d in stale]), start=1):
            document.record = _sharing_strings(record)
            report("Reading documents", done, len(stale))
        for document in documents:
            document.facts_key = document.record["facts_key"]
            media.update(staging / copy for copy in document.record["copies"])
            result.problems.extend(Problem.from_dict(problem) for problem in document.record["problems"])

        # The files every page links, under names that carry a hash of their bytes (assets.py), for every page's
        # parameters: the scripts' words made again (by a worker, when the pool is up) only when the stylesheets changed.
        messages_name = f"messages-{config.language}.js"
        messages_key = _digest(code_key.encode(), messages_name.encode())
        messages = cached_bytes(staging, manifest.get("messages"), messages_key)
        if messages is None:
            ((_, text),) = workers.map(_messages_task, [messages_name], [(messages_name, str(_stylesheet(config, "html/messages-script.xsl")), config.language)])
            messages = text.encode("utf-8")
        assets = SiteAssets.of({messages_name: messages})
        custom.params["asset_urls"] = assets.parameter
        settings = jsonfiles.dumps([site_params, pdf_linked, custom.params], sort_keys=True)
        # A document page sees only its own register subset (part of its facts_key), so its key leaves
        # the full registers out; the aggregate pages (registers, chronology, home) show them all.
        page_site_key = _digest(code_key.encode(), edition_xml, settings)
        site_key = _digest(code_key.encode(), registers_xml, edition_xml, settings)

        ordered = _in_reading_order(documents)
        result.documents = [d.id for d in ordered]
        correspondences = _correspondence_neighbours(ordered)
        # Phase 2: the document pages whose source, neighbours or shared inputs changed, and the static DTS files
        # of each document whose source changed (the facts key hashes it), written by the worker that reads it.
        dts = StaticDts(staging, config.base_url)
        dts_jobs = {d.id: dts.job(d.id, d.facts_key) for d in ordered}
        settle()  # every document's record, and the static DTS's model
        to_render = []
        pages_present = _files_in(staging, ("documents",))
        for index, document in enumerate(ordered):
            document.pages = page_images(document.source, edition.source) if document.record["facsimile"] else []
            neighbours = [_title_of(ordered[i]) if 0 <= i < len(ordered) else ("", "") for i in (index - 1, index + 1)]
            own_params = {
                "document_id": document.id,
                "document_title": document.summary("title") or document.id,
                "document_date": document.summary("date"),
                "document_date_certainty": document.summary("certainty"),
                "document_type": document.summary("type"),
                "previous_id": neighbours[0][0],
                "previous_title": neighbours[0][1],
                "next_id": neighbours[1][0],
                "next_title": neighbours[1][1],
                **correspondences.get(document.id, {}),
                "media_base": _media_base(document, edition.source),
                "facsimile_manifest": manifest_path(document.id) if document.pages else "",
                "register_file": document.id if document.source.role == "register" else "",
            }
            # The key hashes the document's own parameters: the site key covers the rest (`settings`).
            document.page_key = _digest(document.facts_key.encode(), page_site_key.encode(), jsonfiles.dumps(own_params, sort_keys=True))
            if old_documents.get(document.id, {}).get("page_key") == document.page_key and f"documents/{document.id}.html" in pages_present:
                result.documents_reused.append(document.id)
                continue
            to_render.append((document, {**own_params, "pdf_linked": pdf_linked, **site_params, **custom.params}, staging / "documents" / f"{document.id}.html"))
        jobs_args = [(d.id, str(d.source.path), str(d.source.xinclude_root or ""), p, str(page), dts_jobs[d.id]) for d, p, page in to_render]
        for done, (_item, resource) in enumerate(workers.map(_page_task, to_render, jobs_args, [_source_size(d) for d, _params, _page in to_render]), start=1):
            if resource is not None:
                dts.add(resource)
            report("Writing document pages", done, len(to_render))
        result.documents_rendered.extend(d.id for d, _params, _page in to_render)  # in reading order, whichever worker was first
        result.pages_written.extend(page for _d, _params, page in to_render)
        # A page reused, its DTS files not (the code that writes them changed).
        rendered = {d.id for d, _params, _page in to_render}
        dts_only = [d for d in ordered if dts_jobs[d.id] is not None and d.id not in rendered]
        dts_args = [(d.id, str(d.source.path), str(d.source.xinclude_root or ""), dts_jobs[d.id]) for d in dts_only]
        for _document, resource in workers.map(_dts_task, dts_only, dts_args, [_source_size(d) for d in dts_only]):
            dts.add(resource)
        workers.recycle()  # while Pagefind indexes and this process updates the store of facts, the workers wait
        release_freed_memory()  # the two phases' tasks

        # The search index reads only the document pages (the others carry no data-pagefind-body), now all written:
        # Pagefind (its own processes) indexes them while the workers render the register and aggregate pages.
        # Only the chunks of changed, added or removed pages are indexed again.
        from .search import build_search_index

        report("Indexing for search", 0, 1)
        with ThreadPoolExecutor(max_workers=1) as indexer:
            # One Pagefind process fewer than the workers: it indexes beside this process (the store of facts) and then
            # beside the workers (the register pages), where two of them (80 MB each at 20,000 letters) made the peak.
            search = indexer.submit(build_search_index, staging, {d.id: d.page_key for d in ordered}, language=config.language, jobs=max(1, jobs - 1))
            # Phase 3: a page per register entry and the registers' index pages, rendered by the same workers, from
            # the store of every document's facts, brought up to date with the facts of the documents that changed.
            # Not beside the document pages: there, at 20,000 letters, the update made the workers' CPU 12 % dearer (the
            # caches the three share) and the page phase 16 s longer, more than the 12.6 s it takes here.
            report("Writing registers", 0, 1)
            affected = facts.update(staging, {d.id: d.facts_key for d in ordered})
            plans = PlanSheets(staging, workers.map)  # made by a worker, when not cached
            result.pages_written.extend(write_registers(
                staging, facts, affected, registers_xml, register_index, edition_xml, site_key=site_key, params={**site_params, **custom.params},
                stylesheet=lambda name: str(_stylesheet(config, name)), map_units=workers.map, plans=plans, old_pages=old_pages, new_pages=new_pages,
                between_batches=lambda: workers.recycle(_Workers.RECYCLE_BETWEEN_BATCHES_ABOVE_MB)))
            report("Writing registers", 1, 1)
            report("Writing chronology and home page", 0, 1)
            workers.recycle()
            release_freed_memory()  # the register pages' sources
            result.pages_written.extend(_write_aggregates(staging, facts, edition_xml, registers_xml, config, custom, site_params, site_key, workers.map, plans,
                                                          old_pages, new_pages))
            workers.close()
            # The site's files are mostly written: a first build's mirror is copied from here on, beside the rest.
            start_mirror(staging)
            report("Writing chronology and home page", 1, 1)
            # The rest reads and writes nothing Pagefind reads (the current documents' pages): done while it indexes.
            write_iiif(staging, [ManifestSource(d.id, d.source, d.facts, _media_base(d, edition.source), d.pages) for d in ordered if d.pages],
                       edition, config, result.problems)
            _remove_orphans(staging, {d.id for d in documents}, media, present | pages_present)
            _remove_all_but(staging / PAGES_DIR, {staging / page.path for page in custom.pages})
            publish(staging, {**assets.files, **custom.assets})

            # After the aggregate pages, not beside them: at 20,000 letters it takes 140 MB, which this process keeps
            # (freed, but not given back to the system) through the aggregate pages, where the workers' memory peaks.
            report("Writing the DTS API", 0, 1)
            dts.finish([d.id for d in ordered], edition.edition_file.tree if edition.edition_file else None,
                       title=site_params["site_title"], description=site_params["site_subtitle"])
            report("Writing the DTS API", 1, 1)

            # Written before the store's transaction is committed (as the block ends): a build that fails before this
            # point, the search index's too, leaves the store as the previous site's manifest names it.
            for document in ordered:
                document.record["page_key"] = document.page_key  # in the record itself: copying 20,000 of them took 0.2 s
            _write_manifest(staging, {
                "teipress": __version__,
                "code_key": code_key,
                "registers": _digest(registers_xml),
                "documents": {d.id: d.record for d in ordered},
                "pages": new_pages,
                "facts_store": facts.build,
                "messages": [messages_key, assets.urls[messages_name]],
            })
            edition.catalogue().write(staging / SOURCE_CATALOGUE)
            search.result()
        report("Indexing for search", 1, 1)


def _registers(edition: Edition, staging: Path) -> tuple[bytes, RegisterIndex]:
    """The merged registers (`merged_registers`, serialised) and their index: as the previous build left them
    (`REGISTERS_FILE` and `REGISTER_INDEX`) while the files they come from have the same bytes, else made anew
    (and kept for the next build). An edition's registers weigh megabytes: merging and indexing Escher's took about
    a second of a one-letter rebuild's own process (under a profiler), and their files need not even be parsed."""
    key = registers_key(edition)
    if key is not None:
        key = _digest(__version__.encode(), key.encode())
        try:
            kept = jsonfiles.loads((staging / REGISTER_INDEX).read_bytes())
            registers_xml = (staging / REGISTERS_FILE).read_bytes()
            if kept["key"] == key and kept["registers"] == _digest(registers_xml):
                return registers_xml, RegisterIndex.from_json(kept["index"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # none, or damaged: made anew
    merged = merged_registers(edition)
    registers_xml = etree.tostring(merged, encoding="utf-8")
    index = RegisterIndex(merged)
    if key is not None:
        write_atomic(staging / REGISTER_INDEX, jsonfiles.dumps({"key": key, "registers": _digest(registers_xml), "index": index.as_json()}))
    return registers_xml, index


def _still_current(document: _Document, old: dict[str, Any], staging: Path, present: set[str], register_index: RegisterIndex | None) -> bool:
    """Whether the previous build's record of a document holds: its source and everything it includes unchanged
    (SourceFile.unchanged; for a file parsed again, a register or any file of a build with validation, the same
    bytes as the record was made from), its images and the copies in the site as they were, its facts in the cache
    and its source's copy in the site (`present`: `_files_in` of both folders), and, when the registers changed
    (`register_index` given), the entries it names as they were."""
    if not old or old.get("path") != document.source.resolved:
        return False
    if not document.source.unchanged and (not document.source.record.states or old.get("sources") != _sources_read(document.source)):
        return False
    try:
        if register_index is not None and _digest(register_index.subset_of(old["refs"])) != old["subset"]:
            return False
        if f"{FACTS_DIR.as_posix()}/{document.id}.xml" not in present or f"tei/{document.id}.xml" not in present:
            return False
        images_hold = all((FileState(**image).now() is not None) if "sha256" in image else not Path(image["path"]).is_file() for image in old["images"])
        return images_hold and all((staging / copy).is_file() for copy in old["copies"])
    except (KeyError, TypeError):
        return False  # a manifest of another shape: read the document again


def _files_in(staging: Path, folders: Sequence[str]) -> set[str]:
    """The files directly in each of `folders` of the site, as relative POSIX paths ("tei/letter-1.xml")."""
    found: set[str] = set()
    for folder in folders:
        try:
            with os.scandir(staging / folder) as entries:
                found.update(f"{folder}/{entry.name}" for entry in entries if entry.is_file())
        except (FileNotFoundError, NotADirectoryError):
            continue
    return found


def _sources_read(source: SourceFile) -> list[list[str]]:
    """The files of a source as load_edition read them (its own, then its parts): path and SHA-256 of each, as
    _facts_task's record keeps them."""
    return [[state.path, state.sha256] for state in source.record.states]


def _sharing_strings(record: dict[str, Any]) -> dict[str, Any]:
    """A record from `_facts_task` whose strings that recur from document to document (the names of its fields and
    attributes, the ids it points to, its correspondents) are the ones the other records hold: each record comes
    unpickled with strings of its own, and the build holds every document's (the records of 20,000 synthetic
    letters: 131 MB with strings of their own, 57 MB shared). Only the records read anew pass here: those a rebuild
    keeps come from the manifest's JSON, whose parser shares the names of fields but not the values, which a rebuild
    (a few seconds, little memory beside a first build's) does not spend the time to share."""
    shared = {sys.intern(name): value for name, value in record.items()}
    shared["attributes"] = {sys.intern(name): value for name, value in record["attributes"].items()}
    shared["refs"] = [sys.intern(ref) for ref in record["refs"]]
    shared["sides"] = [[(sys.intern(ref), sys.intern(name)) for ref, name in side] for side in record["sides"]]
    return shared


def _documents(edition: Edition, result: SiteResult, staging: Path) -> list[_Document]:
    """Every file rendered as a page (documents; registers from other projects too), under its name in every output."""
    names = output_names(edition)
    result.problems.extend(names.problems)
    return [_Document(id=names[source], source=source, site=staging) for source in published_files(edition)]


def _source_size(document: _Document) -> int:
    """The size of a document's source file, the weight of its tasks (_Workers.map: the largest first)."""
    try:
        return os.path.getsize(document.source.path)
    except OSError:
        return 0  # the task reports why it cannot be read


def _in_reading_order(documents: Sequence[_Document]) -> list[_Document]:
    """Dated documents by date, then undated ones, each group by id."""
    def key(document: _Document) -> tuple[int, str, str]:
        date = document.summary("sort")
        return (0 if date else 1, date, document.id)

    return sorted(documents, key=key)


def correspondence_sides(summary: etree._Element) -> list[list[tuple[str, str]]]:
    """A document's senders and its addressees (its facts' summary), each party as (register id or "", name);
    an essay's author is on neither side."""
    return [[(party.get("ref") or "", (party.text or "").strip()) for party in summary.iterchildren(f"{{{SITE_NS}}}{name}")
             if party.get("role") != "author"] for name in ("sender", "addressee")]


def _correspondence_neighbours(ordered: Sequence[_Document]) -> dict[str, dict[str, str]]:
    """For each document written between two parties (its senders and its addressees, in its facts) who wrote
    each other more than once: the previous and next document between them, in either direction, in reading
    order, and the two sides' names (the document page's correspondence_* parameters)."""
    pairs: dict[frozenset[frozenset[str]], list[tuple[_Document, list[str]]]] = {}
    for document in ordered:
        sides = document.record["sides"]
        if not all(sides):
            continue
        key = frozenset(frozenset(ref or "name:" + name for ref, name in side) for side in sides)
        pairs.setdefault(key, []).append((document, [", ".join(name for _ref, name in side) for side in sides]))
    neighbours: dict[str, dict[str, str]] = {}
    for members in pairs.values():
        if len(members) < 2:
            continue
        first, second = members[0][1]
        for index, (document, _names) in enumerate(members):
            previous = _title_of(members[index - 1][0]) if index > 0 else ("", "")
            following = _title_of(members[index + 1][0]) if index + 1 < len(members) else ("", "")
            neighbours[document.id] = {
                "correspondence_previous_id": previous[0], "correspondence_previous_title": previous[1],
                "correspondence_next_id": following[0], "correspondence_next_title": following[1],
                "correspondence_first": first, "correspondence_second": second,
            }
    return neighbours


def _title_of(document: _Document) -> tuple[str, str]:
    return (document.id, document.summary("title") or document.id)


def _site_params(config: Config, titles: tuple[str, str]) -> dict[str, str]:
    """The stylesheets' parameters every page of the site shares; `titles`: the edition's (`edition_titles`)."""
    return {"site_title": titles[0], "site_subtitle": titles[1], "base_url": config.base_url, "language": config.language,
            "map_tiles": config.map_tiles, "map_attribution": config.map_attribution}


def _write_aggregates(staging: Path, store: FactsStore, edition_xml: bytes, registers_xml: bytes, config: Config, custom: _Customisation,
                      site_params: dict[str, str], site_key: str, map_units: MapUnits, plans: PlanSheets, old_pages: dict[str, str], new_pages: dict[str, str]) -> list[Path]:
    """Home page and list of documents, chronology, overviews, search page, guide and the edition's extra pages,
    rendered by the workers from the cached facts (aggregates.py; the registers: write_registers).

    Each page has a key over the part of the facts it shows (the home page no mentions ...): a
    page whose key is unchanged since the last build is kept.
    """
    from .guide import schema_guide_key, schema_guide_xml

    guide_key = schema_guide_key()
    guide = store.cached("schema-guide", guide_key)
    if not isinstance(guide, str):
        guide = schema_guide_xml().decode("utf-8")
        store.keep("schema-guide", guide_key, guide)
    below = {"site_root": "../", "documents_base": "../documents/"}
    pages = [SitePage("search.html", str(_stylesheet(config, "html/search-page.xsl")), None, {"site_root": "", "documents_base": "documents/"}),
             SitePage("guide.html", str(_stylesheet(config, "html/guide.xsl")), guide, {"site_root": "", "documents_base": "documents/"})]
    # An edition's page made of one of its divisions reads edition.xml, a Markdown page its own HTML.
    pages += [SitePage(page.path, str(_stylesheet(config, "html/page.xsl")), (page.markdown or edition_xml).decode("utf-8"),
                       {**below, "page_title": page.title, "page_path": page.path, "page_current": page.current, "division": page.division})
              for page in custom.pages]
    home_source = _home_source(edition_xml, custom).decode("utf-8") if edition_xml else None
    return write_aggregate_pages(staging, store, registers_xml, home_source, pages, site_key=site_key, params={**site_params, **custom.params},
                                 stylesheet=lambda name: str(_stylesheet(config, name)), map_units=map_units, plans=plans, old_pages=old_pages, new_pages=new_pages)


def _copy_source(document_id: str, source: Path, staging: Path) -> None:
    """The TEI file as the editors wrote it, for readers who want the source."""
    write_if_changed(staging / "tei" / f"{document_id}.xml", source.read_bytes())


def _remove_orphans(staging: Path, current: set[str], media: set[Path], found: set[str]) -> bool:
    """Remove the pages, sources and facts of documents that are gone, and images no document shows.

    `found`: the files the folders of pages, sources and facts held as the build began (`_files_in`), searched
    rather than the manifest, so that a missing or older manifest leaves nothing behind; what the build wrote there
    since is the current documents'. Returns whether a document page was removed (the search index must follow).
    """
    removed_page = False
    suffixes = {"documents": ".html", "tei": ".xml", FACTS_DIR.as_posix(): ".xml"}
    for relative in found:
        folder, _, name = relative.rpartition("/")
        suffix = suffixes.get(folder)
        if suffix is not None and name.endswith(suffix) and name[: -len(suffix)] not in current:
            Path(staging, relative).unlink(missing_ok=True)
            removed_page = removed_page or folder == "documents"
    media_root = staging / MEDIA_DIR
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*"), reverse=True):
            if path.is_file() or path.is_symlink():
                if path not in media:
                    path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return removed_page


MEDIA_DIR = "media"


def _media_base(document: _Document, source_root: Path) -> str:
    """Where the page finds the images its source names by relative path: their copies under media/."""
    return _folder_media_base(os.path.dirname(document.source.resolved), source_root)


@functools.lru_cache(maxsize=1024)
def _folder_media_base(folder_name: str, source_root: Path) -> str:
    """_media_base of the documents in one folder: worked out once per folder (pathlib's operations, for each of
    thousands of documents, cost a tenth of a rebuild)."""
    folder = Path(folder_name)
    if not folder.is_relative_to(source_root):
        folder = source_root
    relative = folder.relative_to(source_root).as_posix()
    return f"../{MEDIA_DIR}/" + ("" if relative == "." else relative + "/")


def _copy_media(source: Path, tree: etree._ElementTree, staging: Path, source_root: Path, problems: list[Problem],
                images: set[Path]) -> set[Path]:
    """Copy the local images a document shows (graphic, media, pb/@facs) that lie inside the source folder.

    A local image that does not exist, or lies outside the source folder, would be a broken link:
    each gets a warning at its attribute. Returns the copies' paths in the site (those of the
    other documents are kept as well); every local image named, present or not, goes into `images`.
    """
    copies: set[Path] = set()
    folder = source.resolve().parent
    base = folder if folder.is_relative_to(source_root) else source_root
    lines: list[str] = []
    for element in tree.getroot().xpath("//tei:graphic[@url] | //tei:media[@url] | //tei:pb[@facs]", namespaces=NS):
        attribute = "facs" if etree.QName(element).localname == "pb" else "url"
        reference = element.get(attribute, "").split("#", 1)[0].strip()
        if not reference or ":" in reference or reference.startswith(("/", "\\")):
            continue
        image = (folder / reference).resolve()
        images.add(image)
        if image.is_file() and image.is_relative_to(source_root):
            target = staging / MEDIA_DIR / (base.relative_to(source_root) / reference)
            if target.resolve().is_relative_to((staging / MEDIA_DIR).resolve()):
                write_if_changed(target, image.read_bytes())
                copies.add(Path(os.path.normpath(target)))
            continue
        if not lines:
            lines = source_lines(source)
        where = "does not exist" if not image.is_file() else f"lies outside the source folder {display_path(source_root)}"
        problems.append(Problem(display_path(source), element.sourceline or 1, attribute_column(element, attribute, lines), Severity.WARNING,
                                f"{etree.QName(element).localname}/@{attribute} names the image {reference!r}, which {where}: the page links to nothing there", "missing-image"))
    return copies


# --- customising without forking (teipress.toml css, logo, favicon, footer, nav, pages, xslt) ----------

PAGES_DIR = "pages"


@dataclass(frozen=True)
class _ExtraPage:
    """A page of teipress.toml `pages`: a top-level division of edition.xml (its position, from 1) or a Markdown file's HTML."""

    path: str
    title: str
    current: str
    division: int = 0
    markdown: bytes = b""


@dataclass
class _Customisation:
    """The edition's own files copied into the site (path in the site → bytes), its extra pages and the layout's
    parameters."""

    assets: dict[str, bytes] = field(default_factory=dict)
    pages: list[_ExtraPage] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)


def _customisation(config: Config, edition: Edition) -> _Customisation:
    """What teipress.toml's css, logo, favicon, footer, nav and pages make of the site (layout.xsl's parameters)."""
    custom = _Customisation()
    for key, source in (("css", config.css), ("logo", config.logo), ("favicon", config.favicon)):
        # Fixed names, without a hash (unlike teipress's own files, assets.py): editors change their stylesheet
        # often, watching the site, and a new name would render every page again (minutes on a real edition) where
        # copying the file is enough. Fixed names never meet teipress's assets or each other.
        relative = ""
        if source:
            try:
                data = source.read_bytes()
            except OSError as error:
                raise ConfigError(f"`{key}`: cannot read {source}: {error.strerror or error}") from error
            relative = f"{EDITION_ASSETS_DIR}/{'edition' if key == 'css' else key}{source.suffix.lower()}"
            custom.assets[relative] = data
        custom.params[f"edition_{key}"] = relative
    custom.params["edition_footer"] = config.footer
    names: set[str] = set()
    for source in config.pages or _default_pages(edition):
        if source.suffix.lower() == ".xml":
            custom.pages.extend(_division_pages(source, edition, names))
        else:
            custom.pages.append(_markdown_page(source, names))
    menu = [{"label": page.title, "href": page.path, "current": page.current} for page in custom.pages]
    menu += [{"label": entry.label, "href": entry.href} for entry in config.nav]
    custom.params["extra_menu"] = jsonfiles.dumps(menu).decode()
    return custom


def _default_pages(edition: Edition) -> tuple[Path, ...]:
    """Without teipress.toml `pages`, the divisions of edition.xml (About, editorial principles ...) are pages of
    their own, so that the home page opens with the documents."""
    edition_file = edition.edition_file
    if edition_file is None or not edition_file.tree.getroot().xpath(_TOP_LEVEL_DIVISIONS, namespaces=NS):
        return ()
    return (edition_file.path.resolve(),)


def _page_name(wanted: str, names: set[str]) -> str:
    """A file name for an extra page: its id or title made safe ([a-z0-9._-]) and unique among the pages."""
    base = re.sub(r"[^a-z0-9._-]+", "-", wanted.lower()).strip("-.")[:100] or "page"
    name, number = base, 1
    while name in names:
        number += 1
        name = f"{base}-{number}"
    names.add(name)
    return name


# The divisions of edition.xml that `pages` makes pages of (page.xsl's tp:top-level-divisions).
_TOP_LEVEL_DIVISIONS = "tei:text/tei:front/tei:div | tei:text/tei:body/tei:div | tei:text/tei:back/tei:div"


def _home_source(edition_xml: bytes, custom: _Customisation) -> bytes:
    """edition.xml as the home page shows it: a division with a page of its own is said there, not here.

    Each such division stays as an empty element with its attributes, so that the home page still
    knows what the edition's text holds (a division of editorial principles keeps the header's
    editorialDecl from standing in for it).
    """
    if not any(page.division for page in custom.pages):
        return edition_xml
    root = etree.fromstring(edition_xml)
    for division in root.xpath(_TOP_LEVEL_DIVISIONS, namespaces=NS):
        for child in list(division):
            division.remove(child)
        division.text = None
    return etree.tostring(root, encoding="utf-8")


def _division_pages(source: Path, edition: Edition, names: set[str]) -> list[_ExtraPage]:
    """A page per top-level div of edition.xml (the divs page.xsl's tp:top-level-divisions selects), titled by its head."""
    edition_file = edition.edition_file
    if edition_file is None or edition_file.path.resolve() != source:
        raise ConfigError(f"`pages`: {source} is not the edition file the build reads ({edition_file.path if edition_file else 'there is none in ' + str(edition.source)})")
    divisions = edition_file.tree.getroot().xpath(_TOP_LEVEL_DIVISIONS, namespaces=NS)
    pages = []
    for position, division in enumerate(divisions, start=1):
        head = division.find("tei:head", NS)
        title = " ".join("".join(head.itertext()).split()) if head is not None else ""
        title = title or division.get("n") or (division.get("type") or "").replace("-", " ").capitalize() or f"Page {position}"
        name = _page_name(division.get(XML_ID) or title, names)
        pages.append(_ExtraPage(f"{PAGES_DIR}/{name}.html", title, f"page:{name}", division=position))
    return pages


def _markdown_page(source: Path, names: set[str]) -> _ExtraPage:
    """A Markdown file as a page: its first level-1 heading is the title (else the file's name).

    Raw HTML in the file stays text and links of unsafe kinds (javascript: ...) are not made, so
    the page holds only what Markdown itself writes.
    """
    from lxml import html as lxml_html
    from markdown_it import MarkdownIt

    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"`pages`: cannot read {source} as UTF-8: {error}") from error
    markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    tokens = markdown.parse(text)
    title = source.stem
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        words = "".join(child.content for child in tokens[1].children or [] if child.type in ("text", "code_inline"))
        title = " ".join(words.split()) or title
        tokens = tokens[3:]
    fragment = lxml_html.fragment_fromstring(markdown.renderer.render(tokens, markdown.options, {}) or "", create_parent="page")
    name = _page_name(source.stem, names)
    return _ExtraPage(f"{PAGES_DIR}/{name}.html", title, f"page:{name}", markdown=etree.tostring(fragment, encoding="utf-8"))


def _stylesheet(config: Config, name: str) -> Path:
    """The stylesheet a page is made with: the edition's own under `xslt` (same path as teipress's), else teipress's."""
    own = config.xslt / name if config.xslt else None
    return own if own is not None and own.is_file() else XSLT_DIR / name


def _folder_digest(folder: Path | None) -> str:
    """A hash over every file of the edition's own stylesheets, so that editing one renders the pages again."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder else ():
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _remove_all_but(folder: Path, keep: set[Path]) -> None:
    """Remove the files of a folder teipress fills (the extra pages) that this build does not write."""
    if folder.is_dir():
        for path in folder.iterdir():
            if (path.is_file() or path.is_symlink()) and path not in keep:
                path.unlink()


# --- parallel transformation --------------------------------------------------------------------

@dataclass
class _WorkerSetup:
    """What every worker holds for a build: edition.xml, the page stylesheet, the register's entries and the stylesheets' key."""

    edition_xml: bytes
    document_stylesheet: str
    register_index: RegisterIndex
    code_key: str


_worker_state: dict[str, object] = {}


def _init_worker(setup: _WorkerSetup) -> None:
    """Each worker process parses edition.xml once; it compiles each stylesheet once, when it first needs it."""
    from .saxon import Stylesheets, to_xdm

    _worker_state["sheets"] = Stylesheets()
    _worker_state["edition"] = to_xdm(setup.edition_xml) if setup.edition_xml else None
    _worker_state["setup"] = setup


def _read_document(path: str, xinclude_root: str, included: set[Path] | None = None) -> tuple[etree._ElementTree, bytes, set[str], bytes]:
    """A document's tree as the build reads it, its bytes, the ids it points to and its own register entries
    (the files it includes added to `included`)."""
    setup: _WorkerSetup = _worker_state["setup"]  # type: ignore[assignment]
    tree = parse_file(Path(path), xinclude_root=Path(xinclude_root) if xinclude_root else None, included=included)
    refs = referenced_ids(tree.getroot())
    return tree, etree.tostring(tree, encoding="utf-8"), refs, setup.register_index.subset_of(refs)


def _facts_task(document_id: str, path: str, xinclude_root: str, cached_key: str, staging: str, source_root: str,
                expected_parts: Sequence[str] = ()) -> dict[str, Any]:
    """A document's facts, transformed anew unless the cached ones have its key; its source and images copied.

    `expected_parts` are the files the document included when the edition was read (resolved paths, as load_edition's
    record of it lists them). Returns its record for the manifest: the states of its file and parts it was made from,
    the facts key, the summary's attributes, the correspondents on either side, the ids it points to and its register
    subset's digest, whether it has page images, its images' states and copies in the site (relative to it), and the
    problems met copying them.
    """
    from .saxon import to_xdm

    setup: _WorkerSetup = _worker_state["setup"]  # type: ignore[assignment]
    # The bytes the record is made from, so that a later build that parses the file again (a register, a build with
    # validation) knows it unchanged without reading it here. Every state is taken before the file is read: a file
    # changed between its state and its reading is recorded with its older bytes and read again by the next build, where
    # a state taken after the reading could record newer bytes than the facts were made from, and keep them stale.
    try:
        states_before: list[FileState] | None = [FileState.of(Path(path)), *(FileState.of(Path(part)) for part in expected_parts)]
    except OSError:
        states_before = None  # parse_file reports why it cannot be read; no later build takes the file for unchanged
    parts: set[Path] = set()
    tree, data, refs, registers = _read_document(path, xinclude_root, parts)
    # A part the document did not include when the edition was read has no state from before its reading: none is recorded.
    parts_as_expected = {str(part) for part in parts} == set(expected_parts)
    sources = [[state.path, state.sha256] for state in states_before] if states_before and parts_as_expected else []
    key = _digest(setup.code_key.encode(), registers, data)
    facts_path = Path(staging) / FACTS_DIR / f"{document_id}.xml"
    if key == cached_key and facts_path.is_file():
        facts = facts_path.read_text(encoding="utf-8")
    else:
        sheets = _worker_state["sheets"]
        facts = sheets.transform("html/summary.xsl", to_xdm(data), document_id=document_id, registers=to_xdm(registers))  # type: ignore[attr-defined]
        write_atomic(facts_path, facts)
    _copy_source(document_id, Path(path), Path(staging))
    problems: list[Problem] = []
    images: set[Path] = set()
    copies = _copy_media(Path(path), tree, Path(staging), Path(source_root), problems, images)
    summary = etree.fromstring(facts.encode())
    sides = correspondence_sides(summary)
    return {
        "path": str(Path(path).resolve()), "sources": sources, "facts_key": key, "attributes": dict(summary.attrib), "sides": sides,
        "refs": sorted(refs), "subset": _digest(registers), "facsimile": has_page_images(tree.getroot()),
        "images": [vars(FileState.of(image)) if image.is_file() else {"path": str(image)} for image in sorted(images)],
        "copies": sorted(copy.relative_to(Path(staging)).as_posix() for copy in copies),
        "problems": [problem.as_dict() for problem in problems],
    }


def _page_task(document_id: str, path: str, xinclude_root: str, params: dict[str, object], out_path: str,
               dts_job: ResourceJob | None = None) -> Resource | None:
    """Render a document's page; with `dts_job`, write its static DTS files too (from the same reading) and return its Resource."""
    from .saxon import to_xdm

    tree, data, refs, registers = _read_document(path, xinclude_root)
    if params.get("register_file"):
        # A register file's page links the entries the site gives pages of their own (html/document-register.xsl): it needs them.
        setup: _WorkerSetup = _worker_state["setup"]  # type: ignore[assignment]
        registers = setup.register_index.subset_of(refs | own_entry_ids(tree.getroot()))
    sheets = _worker_state["sheets"]
    document = to_xdm(data)
    html = sheets.transform(_worker_state["setup"].document_stylesheet, document, registers=to_xdm(registers), edition=_worker_state["edition"], site_root="../", **params)  # type: ignore[attr-defined]
    write_atomic(Path(out_path), html)
    return write_resource(document_id, tree, data, document, dts_job, sheets) if dts_job else None  # type: ignore[arg-type]


def _messages_task(name: str, stylesheet: str, language: str) -> str:
    """The scripts' words in the interface language (html/messages-script.xsl, which reads only the message catalogue);
    `name`, the file's, names the task in an error."""
    from .saxon import to_xdm

    return _worker_state["sheets"].transform(stylesheet, to_xdm("<messages/>"), language=language)  # type: ignore[attr-defined, no-any-return]


def _dts_task(document_id: str, path: str, xinclude_root: str, dts_job: ResourceJob) -> Resource:
    """Write a document's static DTS files when its page is current but they are not."""
    tree, data, _refs, _registers = _read_document(path, xinclude_root)
    return write_resource(document_id, tree, data, tree, dts_job, _worker_state["sheets"])  # type: ignore[arg-type]


class _Workers:
    """Runs tasks in worker processes (each with its own Saxon), or in this process when there are few.

    The pool starts only when a batch is large enough to repay the workers' start-up (about a
    second each): a rebuild after one changed letter runs in this process.
    """

    INLINE_BATCH = 8
    # A worker holding more than this (MB) is replaced between the build's phases. Its Saxon keeps what earlier phases
    # left until it collects (a GraalVM native image, whose heap may grow to a share of the machine's memory), and SaxonC
    # creates its isolate without parameters (graal_create_isolate(NULL, …)), so no heap limit (-Xmx) reaches it.
    # At 20,000 synthetic letters a worker held 110 MB as it started, 205 MB after the document pages and 275-310 MB
    # after the register pages; the overviews' pages then took two of them to 477 and 540 MB.
    RECYCLE_ABOVE_MB = 150
    # Within the register pages, between two batches (aggregates._render_units): a worker grew there to 350-410 MB at
    # 20,000 synthetic letters, beside Pagefind and this process (1,133-1,293 MB PSS at the peak in all); replaced above
    # 300 MB, 1,032 MB and 221 s for the build (above 250 MB: 962 MB, 229 s, the workers started more often).
    RECYCLE_BETWEEN_BATCHES_ABOVE_MB = 300

    def __init__(self, jobs: int, setup: _WorkerSetup) -> None:
        self.jobs = jobs
        self.setup = setup
        self.pool: WorkerPool | None = None
        self.inline_ready = False

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def recycle(self, above_mb: int | None = None) -> None:
        """Fresh workers in place of all of them once one grew above `above_mb` (by default RECYCLE_ABOVE_MB): between two
        phases, and between two batches of register pages (RECYCLE_BETWEEN_BATCHES_ABOVE_MB). A pool restarts whole; its
        workers grow alike, each transforming documents of the same phase. A fresh worker starts in 0.2-0.3 s of CPU
        (20,000 synthetic letters) and compiles the stylesheets it uses, which a next phase has of its own."""
        if self.pool is not None and self.pool.largest_resident_mb() > (self.RECYCLE_ABOVE_MB if above_mb is None else above_mb):
            self.pool.restart()

    def close(self) -> None:
        """End the workers once the build needs them no more, so that they hold no memory while it finishes."""
        if self.pool is not None:
            self.pool.__exit__(None, None, None)
            self.pool = None

    def here(self, function: Callable, args: tuple) -> Any:  # type: ignore[type-arg]
        """Run one task in this process (set up as a worker on first use)."""
        if not self.inline_ready:
            _init_worker(self.setup)
            self.inline_ready = True
        return _named(function, args)

    def map(self, function: Callable, items: Sequence, arguments: Sequence[tuple], weights: Sequence[int] | None = None) -> Iterator[tuple]:  # type: ignore[type-arg]
        """(item, result) of each task; a failed transformation or a killed worker names its document.

        The workers get every task at once, before the first result is asked for (WorkerPool.map), the heaviest
        first where `weights` are given (a source's size): the phase does not end with one large task running while
        the other workers wait. The results come in the order the tasks were handed out. In this process, the
        tasks run in their order as the results are asked for (a few tasks, before the pool has been started)."""
        # Once started, the pool takes every batch: its workers are up, and this process need not load Saxon.
        if self.pool is None and (self.jobs < 2 or len(items) <= self.INLINE_BATCH):
            return ((item, self.here(function, args)) for item, args in zip(items, arguments))
        if self.pool is None:
            self.pool = WorkerPool(self.jobs, _init_worker, (self.setup,))
        order = sorted(range(len(items)), key=lambda i: -weights[i]) if weights is not None else range(len(items))  # sorted() keeps ties in order
        results = self.pool.map(_named, [(_task_label(function, arguments[i]), (function, arguments[i])) for i in order])
        return zip([items[i] for i in order], results)


def _named(function: Callable, args: tuple) -> object:  # type: ignore[type-arg]
    try:
        return function(*args)
    except TransformError as error:
        raise TransformError(f"{_task_label(function, args)}: {error}") from None


def _task_label(function: Callable, args: tuple) -> str:  # type: ignore[type-arg]
    """What a task works on, in an error: the document whose id a task takes first, but for the tasks that make no
    document's page, whose first argument names what they make (`messages-en.js`, `pages registers/persons.html …`)."""
    return str(args[0]) if function in (_messages_task, plan_task, render_unit) else f"document {args[0]}"


# --- manifest, staging and swap -----------------------------------------------------------------


def _stylesheets_digest() -> str:
    """One hash over the stylesheets and assets the site is made with, so that an upgrade rebuilds every page."""
    digest = hashlib.sha256()
    for path in sorted(p for folder in ("common", "html") for p in (XSLT_DIR / folder).rglob("*")):
        if path.is_file() and path.suffix in {".xsl", ".xml", ".css", ".js", ".svg"}:
            digest.update(str(path.relative_to(XSLT_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _read_manifest(site: Path) -> dict:  # type: ignore[type-arg]
    try:
        data = jsonfiles.loads((site / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("teipress") == __version__ else {}


def _write_manifest(site: Path, data: dict) -> None:  # type: ignore[type-arg]
    write_atomic(site / MANIFEST, jsonfiles.dumps(data))
