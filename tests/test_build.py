"""`teipress build`: what a build writes, incremental rebuilds, atomic output, any TEI folder, the command."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from lxml import etree, html

from teipress import html as site_writer
from teipress.assets import ASSETS_SOURCE
from teipress.build import BuildResult, EditionInvalid, build_edition
from teipress.cli import cli
from teipress.config import load_config
from teipress.errors import TransformError

from conftest import FIXTURES, REPO, shared_path, without_hash

SITE_FIXTURE = FIXTURES / "site" / "edition"
TEI = "{http://www.tei-c.org/ns/1.0}"
LETTER = "letter-1950-03-04-northtown"
TELEGRAM = "telegram-1950-05-06-southport"


# --- helpers shared with test_site.py and test_browser.py -------------------------------------


def copy_fixture(destination: Path) -> Path:
    """A private copy of the fixture edition that a test may change."""
    source = destination / "tei"
    shutil.copytree(SITE_FIXTURE, source)
    return source


def build(source: Path, output: Path, *, jobs: int = 1, progress=None) -> BuildResult:  # type: ignore[no-untyped-def]
    """An HTML build without validation (the fixtures are ours; validation is tested elsewhere)."""
    config = load_config(source.parent, source=source, output=output)
    return build_edition(config, formats={"html"}, validate=False, jobs=jobs, progress=progress)


def visible_text(path: Path) -> str:
    """A page's text without scripts, whitespace normalised."""
    root = html.parse(str(path)).getroot()
    for element in root.xpath("//script | //style"):
        element.drop_tree()
    return " ".join(root.text_content().split())


def text_nodes(tei_file: Path) -> list[str]:
    """Every non-blank text node of the file's outermost <text> elements, whitespace normalised."""
    tree = etree.parse(str(tei_file), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    texts = [t for t in tree.getroot().iter(f"{TEI}text") if not any(a.tag == f"{TEI}text" for a in t.iterancestors())]
    nodes = [" ".join(str(s).split()) for t in texts for s in t.xpath(".//text()")]
    return [n for n in nodes if n]


def parse(path: Path) -> html.HtmlElement:
    return html.parse(str(path)).getroot()


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def broken_links(site: Path) -> list[str]:
    """Every link, stylesheet and script of the site's pages whose file or anchor does not exist."""
    ids: dict[Path, set[str]] = {}
    for path in html_pages(site):
        ids[path] = set(parse(path).xpath("//@id"))
    broken = []
    for path in html_pages(site):
        for href in parse(path).xpath("//a/@href | //link/@href | //script/@src"):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if "/pdf/" in str(target):
                continue  # the PDFs are output/pdf/, beside the site, built by --pdf
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids.get(target, set()):
                broken.append(f"{path.relative_to(site)}: {href} (no such anchor)")
    return broken


# --- a first build ----------------------------------------------------------------------------------


def test_build_writes_the_whole_site(tmp_path: Path) -> None:
    stages: list[str] = []
    result = build(copy_fixture(tmp_path), tmp_path / "out", progress=lambda stage, done, total: stages.append(stage))
    site = tmp_path / "out" / "html"
    assert result.html_dir == site
    assert result.documents == [LETTER, TELEGRAM]  # reading order: by date
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]
    headings = {relative: parse(site / relative).xpath("string(//h1)") for relative in [
        "index.html", f"documents/{LETTER}.html", f"documents/{TELEGRAM}.html", "registers/persons.html", "registers/places.html",
        "registers/organizations.html", "registers/bibliography.html", "chronology.html", "search.html"]}
    assert headings == {"index.html": "Letters of the Fixture Correspondence",
                        f"documents/{LETTER}.html": "Letter from Alma Sender to Bruno Receiver, 4 March 1950",
                        f"documents/{TELEGRAM}.html": "Telegram from Bruno Receiver to Alma Sender, 6 May 1950",
                        "registers/persons.html": "Persons", "registers/places.html": "Places",
                        "registers/organizations.html": "Organisations", "registers/bibliography.html": "Cited documents",
                        "chronology.html": "Chronology", "search.html": "Search"}
    # teipress's own files, each under a name with a hash of its bytes (test_assets.py).
    shipped = {p.name: p.read_bytes() for p in ASSETS_SOURCE.iterdir() if p.is_file()}
    assert {without_hash(p.name): p.read_bytes() for p in (site / "assets").iterdir() if without_hash(p.name) in shipped} == shipped
    assert (site / "assets" / "entries" / "alma-sender.js").read_text(encoding="utf-8").startswith("window.teipressEntry({")
    assert parse(site / "registers" / "persons" / "alma-sender.html").xpath("string(//h1)") == "Alma Sender"
    for name in (LETTER, TELEGRAM):
        assert (site / "tei" / f"{name}.xml").read_bytes() == (SITE_FIXTURE / f"{name}.xml").read_bytes()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [language["page_count"] for language in entry["languages"].values()] == [2]
    assert (site / "pagefind" / "pagefind.js").stat().st_size > 1000 and not (site / "pagefind" / "pagefind-ui.js").exists()
    assert "Reading documents" in stages and "Writing registers" in stages and "Indexing for search" in stages
    assert result.timings["html"] > 0


def test_parallel_workers_write_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "one", jobs=1)
    monkeypatch.setattr(site_writer._Workers, "INLINE_BATCH", 0)  # small batches run in-process; force the pool
    result = build(source, tmp_path / "two", jobs=2)
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]
    for name in (LETTER, TELEGRAM):
        one = (tmp_path / "one" / "html" / "documents" / f"{name}.html").read_text(encoding="utf-8")
        two = (tmp_path / "two" / "html" / "documents" / f"{name}.html").read_text(encoding="utf-8")
        assert one == two
    # the register pages and popover data are rendered by the workers too, the same
    def register_files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for folder in ("registers", "assets/entries") for p in (site / folder).rglob("*") if p.is_file()}
    one_files, two_files = register_files(tmp_path / "one" / "html"), register_files(tmp_path / "two" / "html")
    # Four index pages, a page and popover data for each of the 7 entries of the four registers, popover data for each of the 2 events.
    assert len(one_files) == 4 + 2 * 7 + 2 and one_files == two_files


def test_the_workers_are_handed_the_heaviest_tasks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A phase of the build does not end with one large document's task running while the other workers wait:
    the tasks go out by weight (a source's size), the heaviest first, and their results come in that order."""
    monkeypatch.setattr(site_writer._Workers, "INLINE_BATCH", 0)  # the pool even for three tasks
    setup = site_writer._WorkerSetup(b"", "", site_writer.RegisterIndex(etree.Element("registers")), "")
    with site_writer._Workers(2, setup) as workers:
        results = list(workers.map(len, ["light", "heavy", "middle", "also middle"], [("a",), ("abcd",), ("ab",), ("cd",)], [1, 4, 2, 2]))
    assert results == [("heavy", 4), ("middle", 2), ("also middle", 2), ("light", 1)]


def test_workers_grown_above_the_limit_are_replaced_between_phases_and_the_site_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's Saxon keeps what earlier phases left: between the build's phases, workers above RECYCLE_ABOVE_MB are
    replaced by fresh ones (after the document pages, before the aggregate pages), which write the same site; workers
    within it are kept. Once the aggregate pages are written the workers end: none holds memory while the build finishes."""
    from teipress import workers as worker_pool

    source = copy_fixture(tmp_path)
    monkeypatch.setattr(site_writer._Workers, "INLINE_BATCH", 0)  # the pool even for the fixture's few documents
    restarts: list[int] = []
    alive_at_the_end: list[int] = []
    restart, manifests = worker_pool.WorkerPool.restart, site_writer.write_iiif  # the IIIF manifests: written once the aggregate pages are
    monkeypatch.setattr(worker_pool.WorkerPool, "restart", lambda pool: restarts.append(pool.largest_resident_mb()) or restart(pool))
    monkeypatch.setattr(site_writer, "write_iiif", lambda *args, **kwargs: alive_at_the_end.append(len(multiprocessing.active_children()))
                        or manifests(*args, **kwargs))
    monkeypatch.setattr(site_writer._Workers, "RECYCLE_ABOVE_MB", 10**6)
    build(source, tmp_path / "kept", jobs=2)
    assert restarts == [] and alive_at_the_end == [0]
    monkeypatch.setattr(site_writer._Workers, "RECYCLE_ABOVE_MB", 0)
    build(source, tmp_path / "recycled", jobs=2)
    assert len(restarts) == 2 and all(size > 0 for size in restarts) and alive_at_the_end == [0, 0]
    # Within the register pages, between their batches: workers above RECYCLE_BETWEEN_BATCHES_ABOVE_MB, and only they.
    from teipress import aggregates

    monkeypatch.setattr(site_writer._Workers, "RECYCLE_ABOVE_MB", 10**6)
    monkeypatch.setattr(aggregates, "BATCH", 8)
    build(source, tmp_path / "batches kept", jobs=2)
    assert len(restarts) == 2
    monkeypatch.setattr(site_writer._Workers, "RECYCLE_BETWEEN_BATCHES_ABOVE_MB", 0)
    build(source, tmp_path / "batches recycled", jobs=2)
    assert len(restarts) > 2 and all(size > 0 for size in restarts)

    def files(site: Path) -> dict[str, bytes]:
        """The site's files but the build's own records and Pagefind's index, whose names differ from build to build
        whatever the code (two builds of main's: other hashes in pagefind/)."""
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
                if p.is_file() and not {".teipress", "pagefind"} & set(p.parts)}
    kept, recycled = files(tmp_path / "kept" / "html"), files(tmp_path / "recycled" / "html")
    assert len(kept) > 50 and recycled == kept
    assert files(tmp_path / "batches kept" / "html") == files(tmp_path / "batches recycled" / "html") == kept


def test_the_records_kept_of_the_documents_share_their_recurring_strings() -> None:
    """Every document's record stays in the build's process: the ids it points to, its correspondents and the names
    of its fields are one string each, whichever records hold them; the records say what they said."""
    def record(number: int) -> dict[str, object]:
        return {"facts_key": f"key-{number}", "attributes": {"".join(["ti", "tle"]): f"Letter {number}"},
                "refs": ["".join(["person-", "1"]), f"place-{number}"], "sides": [[("".join(["person-", "1"]), "".join(["Alma ", "Sender"]))], []]}
    one, two = site_writer._sharing_strings(record(1)), site_writer._sharing_strings(record(2))
    assert (one, two) == (record(1), record(2))
    assert one["refs"][0] is two["refs"][0] and one["sides"][0][0][1] is two["sides"][0][0][1]
    assert list(one["attributes"])[0] is list(two["attributes"])[0]


def test_once_the_workers_are_started_the_build_transforms_nothing_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent stays lean: a batch of one task (the register plan, the chronology's plan) goes to the workers once
    they are up, rather than load Saxon and the registers into the build's own process."""
    from teipress import aggregates

    monkeypatch.setattr(site_writer._Workers, "INLINE_BATCH", 1)  # the two documents start the pool, a plan alone would not
    monkeypatch.setattr(site_writer, "_worker_state", {})
    monkeypatch.setattr(aggregates, "_worker_inputs", {})
    source = copy_fixture(tmp_path)
    result = build(source, tmp_path / "out", jobs=2)
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]
    assert (tmp_path / "out" / "html" / "registers" / "places" / "southport.html").is_file()
    assert (site_writer._worker_state, aggregates._worker_inputs) == ({}, {})


def test_the_next_batch_of_register_pages_is_handed_out_before_the_last_one_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the workers render a batch of register pages, the build makes the next batch's sources: no barrier
    between the batches, each task weighed by its pages' sources; the pages written are said in the units' order."""
    from teipress import aggregates

    monkeypatch.setattr(aggregates, "BATCH", 2)
    events: list[tuple[str, int]] = []
    weights: list[list[int]] = []

    def map_units(function, tasks, arguments, task_weights):  # type: ignore[no-untyped-def]
        number = 1 + sum(1 for event, _ in events if event == "handed out")
        events.append(("handed out", number))
        weights.append(list(task_weights))

        def results():  # type: ignore[no-untyped-def]
            events.append(("waited for", number))
            yield from ((task, None) for task in tasks)
        return results()

    units = [aggregates._Unit(f"registers/p{n}.html", "entry.xsl", "<site/>" * (n + 1), {}) for n in range(5)]
    between = ("between batches", 0)
    written = aggregates._render_units(tmp_path, iter(units), "key", map_units, {}, {}, set(), 1, between_batches=lambda: events.append(between))
    # Between two batches (not before the first) workers grown too large may be replaced: after the next batch's sources are made.
    assert events == [("handed out", 1), between, ("handed out", 2), ("waited for", 1), between, ("handed out", 3), ("waited for", 2),
                      ("waited for", 3)]
    assert weights == [[7, 14], [21, 28], [35]]
    assert written == [tmp_path / f"registers/p{n}.html" for n in range(5)]


# --- incremental rebuilds ---------------------------------------------------------------------------


def test_unchanged_sources_are_not_transformed_again(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    again = build(source, tmp_path / "out")
    assert again.documents_rendered == []
    assert sorted(again.documents_reused) == [LETTER, TELEGRAM]


def test_a_rebuild_after_one_change_starts_no_worker_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes take about a second each to start: a rebuild reads the unchanged documents' keys in this
    process and transforms the one changed letter here, while a first build of as many documents uses the workers."""
    source = copy_fixture(tmp_path)
    letter = (source / f"{LETTER}.xml").read_text(encoding="utf-8")
    for number in range(12):
        (source / f"copy-{number}.xml").write_text(letter.replace(f'xml:id="{LETTER}"', f'xml:id="copy-{number}"'), encoding="utf-8")
    started: list[int] = []
    pool = site_writer.WorkerPool
    monkeypatch.setattr(site_writer, "WorkerPool", lambda jobs, *args: started.append(jobs) or pool(jobs, *args))
    first = build(source, tmp_path / "out", jobs=2)
    assert started == [2] and len(first.documents_rendered) == 14
    (source / "copy-3.xml").write_text(letter.replace(f'xml:id="{LETTER}"', 'xml:id="copy-3"').replace("quince marmalade", "plum jam"), encoding="utf-8")
    again = build(source, tmp_path / "out", jobs=2)
    assert started == [2]
    assert again.documents_rendered == ["copy-3"]
    assert "plum jam" in visible_text(tmp_path / "out" / "html" / "documents" / "copy-3.html")


def test_a_change_without_names_or_dates_rewrites_only_its_page(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    assert build(source, tmp_path / "out").pages_written == []
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    # and the one register entry whose mention has the changed words in its context (keyword in context)
    assert [p.relative_to(site).as_posix() for p in result.pages_written] == [f"documents/{LETTER}.html", "registers/places/southport.html"]
    assert "plum jam" in visible_text(site / "documents" / f"{LETTER}.html")


def test_one_changed_document_is_the_only_one_transformed(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    telegram = source / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace(
        "PLEASE BRING ZEPHYRANTHES", 'PLEASE BRING ZEPHYRANTHES FOR <persName ref="#bruno-receiver">BRUNO</persName>'), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert result.documents_rendered == [TELEGRAM]
    assert result.documents_reused == [LETTER]
    site = tmp_path / "out" / "html"
    assert "FOR BRUNO" in visible_text(site / "documents" / f"{TELEGRAM}.html")
    # The aggregates follow: Bruno's register entry now lists the telegram's passage.
    bruno = html.parse(str(site / "registers" / "persons" / "bruno-receiver.html")).getroot()
    assert bruno.xpath("//a[@class='mention']/@href") == [f"../../documents/{TELEGRAM}.html#p1"]


def test_a_changed_register_entry_renders_again_the_documents_that_mention_it(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    persons = source / "registers" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace("Writer of the first letter.", "Poet; writer of the first letter."), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]  # both mention Alma Sender
    assert "Poet; writer of the first letter." in (tmp_path / "out" / "html" / "assets" / "entries" / "alma-sender.js").read_text(encoding="utf-8")


def test_a_changed_register_entry_leaves_the_documents_that_do_not_mention_it(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    organizations = source / "registers" / "organizations.xml"
    organizations.write_text(organizations.read_text(encoding="utf-8").replace("A society of correspondents.", "A society of poets."), encoding="utf-8")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert result.documents_rendered == [LETTER]  # only the letter mentions the guild
    assert result.documents_reused == [TELEGRAM]
    assert "A society of poets." in visible_text(site / "registers" / "organizations.html")


def test_a_rebuild_parses_only_the_changed_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The previous build's catalogue of its sources stands in for parsing every unchanged document again."""
    from teipress import edition as edition_module

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    parsed: list[tuple[str, str]] = []  # (the function that parsed, the file)

    def reader() -> str:
        """The function that had the file parsed (a worker task, not the helper they share)."""
        frame = sys._getframe(2)
        return frame.f_back.f_code.co_name if frame.f_code.co_name == "_read_document" else frame.f_code.co_name  # type: ignore[union-attr]

    for module in (edition_module, site_writer):
        original = module.parse_file
        monkeypatch.setattr(module, "parse_file", lambda path, original=original, **kwargs: parsed.append(
            (reader(), Path(path).name)) or original(path, **kwargs))
    result = build(source, tmp_path / "out")
    documents = [call for call in parsed if call[0] in ("_read_source", "_facts_task") and call[1].startswith(("letter-", "telegram-"))]
    assert documents == [("_read_source", f"{LETTER}.xml"), ("_facts_task", f"{LETTER}.xml")]  # the telegram by neither (load_edition reads by _read_source)
    assert result.documents_rendered == [LETTER]
    assert result.documents_reused == [TELEGRAM]


def test_a_rebuild_with_unchanged_registers_neither_parses_nor_merges_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The merged registers and their index are kept between builds: a rebuild whose register files (and the
    documents with entries of their own) are unchanged reads them from the site instead of parsing the registers."""
    from teipress import edition as edition_module

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    parsed: list[str] = []
    original = edition_module.parse_file
    monkeypatch.setattr(edition_module, "parse_file", lambda path, **kwargs: parsed.append(Path(path).name) or original(path, **kwargs))
    monkeypatch.setattr(site_writer, "merged_registers", lambda edition: pytest.fail("the registers were merged again"))
    result = build(source, tmp_path / "out")
    assert parsed == [f"{LETTER}.xml", "edition.xml"]  # the changed letter, and edition.xml, which the pages show
    assert result.documents_rendered == [LETTER]


def test_the_kept_registers_are_made_anew_when_their_file_is_not_theirs(tmp_path: Path) -> None:
    """The kept index of the merged registers is used only with the registers file it was made with."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    (tmp_path / "out" / "html" / ".teipress" / "registers.xml").write_bytes(b'<registers xmlns="https://teipress.org/ns/registers"/>')
    build(source, tmp_path / "out")
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / "clean" / "html")
    assert [name for name in sorted(set(rebuilt) | set(clean)) if rebuilt.get(name) != clean.get(name)] == []


def test_the_store_of_facts_lies_beside_the_site_and_is_written_in_place(tmp_path: Path) -> None:
    """The store is not in the site, whose files a rebuild shares with the previous site (a copy of 45 MB on a real
    edition): it lies beside it, is written in place and names the build that wrote it, as the site's manifest does."""
    import sqlite3

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    store = tmp_path / "out" / ".html.facts.sqlite"
    inode = store.stat().st_ino
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    build(source, tmp_path / "out")
    assert store.stat().st_ino == inode
    assert [path.name for path in (tmp_path / "out").rglob("*.sqlite")] == [store.name]
    manifest = json.loads((tmp_path / "out" / "html" / ".teipress" / "manifest.json").read_text(encoding="utf-8"))
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'build'").fetchall() == [(manifest["facts_store"],)]
    # The store an earlier build kept in the site leaves it.
    shutil.copyfile(store, tmp_path / "out" / "html" / ".teipress" / "facts.sqlite")
    build(source, tmp_path / "out")
    assert list((tmp_path / "out" / "html").rglob("*.sqlite")) == []


def test_a_moved_edition_renders_no_page_again(tmp_path: Path) -> None:
    """The pages' keys name the stylesheets by what they are, not where the edition (with its own stylesheets) lies."""
    edition = tmp_path / "before"
    source = copy_fixture(edition)
    (edition / "xslt" / "html").mkdir(parents=True)
    for name in ("register", "home"):  # the registers' index pages and the home page: their keys are made by every build
        (edition / "xslt" / "html" / f"{name}.xsl").write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{{$teipress}}html/{name}.xsl"/>
</xsl:stylesheet>
""", encoding="utf-8")
    (edition / "teipress.toml").write_text('xslt = "xslt"\n', encoding="utf-8")
    build(source, edition / "out")
    moved = tmp_path / "after"
    edition.rename(moved)
    result = build(moved / "tei", moved / "out")
    assert result.documents_rendered == []
    assert result.pages_written == []


def test_a_change_of_bytes_with_the_same_size_and_time_is_rebuilt(tmp_path: Path) -> None:
    """A file changed within a second of the build that read it may keep its size and (coarse) modification
    time: its stat is not trusted then, its bytes are compared."""
    source = copy_fixture(tmp_path)
    letter = source / f"{LETTER}.xml"
    # Written "now" as far as the build can tell (a time that cannot lie a second before it reads the file,
    # however long a loaded machine takes to start the build).
    os.utime(letter, ns=(time.time_ns() + 10**10, time.time_ns() + 10**10))
    build(source, tmp_path / "out")
    before = letter.stat()
    text = letter.read_text(encoding="utf-8")
    assert "quince marmalade" in text
    with letter.open("r+", encoding="utf-8") as stream:  # in place: the same inode
        stream.write(text.replace("quince marmalade", "quince marmelade"))
    os.utime(letter, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = letter.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    result = build(source, tmp_path / "out")
    assert result.documents_rendered == [LETTER]
    assert "quince marmelade" in visible_text(tmp_path / "out" / "html" / "documents" / f"{LETTER}.html")


def test_a_file_parsed_again_is_read_again_only_when_its_bytes_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A register from another project (a page of its own) is parsed by every build, as is every file of a build with
    validation: the record of such a file is kept while its bytes are those it was made from (their SHA-256, whatever
    size and time say), and a change of them (here: the same size, the time put back) reads it again."""
    source = copy_fixture(tmp_path)
    other = source / "other-project"
    other.mkdir()
    register = (source / "registers" / "persons.xml").read_text(encoding="utf-8")
    (other / "persons.xml").write_text(register.replace('xml:id="', 'xml:id="their-').replace('"#', '"#their-'), encoding="utf-8")
    config = load_config(source.parent, source=source, output=tmp_path / "out")
    build_edition(config, formats={"html"}, validate=False)
    read: list[str] = []
    original = site_writer._facts_task
    monkeypatch.setattr(site_writer, "_facts_task", lambda document_id, *args: read.append(document_id) or original(document_id, *args))
    assert build_edition(config, formats={"html"}, validate=False).documents_rendered == []
    assert read == []  # the register, parsed by load_edition, is not read again
    assert build_edition(config, formats={"html"}, validate=True).documents_rendered == []
    assert read == []  # nor any document a build with validation parsed

    letter = source / f"{LETTER}.xml"
    for path, old, new in ((letter, "quince marmalade", "quince marmelade"), (other / "persons.xml", "Writer of the first", "Writer of the frist")):
        before, text = path.stat(), path.read_text(encoding="utf-8")
        with path.open("r+", encoding="utf-8") as stream:  # in place: the same inode, size and (below) time
            stream.write(text.replace(old, new))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = build_edition(config, formats={"html"}, validate=True)
    assert sorted(read) == sorted([LETTER, "their-persons"]) and sorted(result.documents_rendered) == sorted([LETTER, "their-persons"])
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / "clean" / "html")
    assert [name for name in sorted(set(rebuilt) | set(clean)) if rebuilt.get(name) != clean.get(name)] == []


def test_a_touched_but_unchanged_file_is_not_rendered_again(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    letter = source / f"{LETTER}.xml"
    letter.write_bytes(letter.read_bytes())
    assert build(source, tmp_path / "out").documents_rendered == []


def test_the_catalogue_of_sources_keeps_each_file_s_state_as_last_read(tmp_path: Path) -> None:
    """An unchanged file's record is written again as it was read; a touched one's with its new time (its bytes hashed
    once more), so that the next build trusts its stat again instead of hashing it on every build."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    catalogue = tmp_path / "out" / "html" / ".teipress" / "sources.json"
    before = json.loads(catalogue.read_text(encoding="utf-8"))
    letter, telegram = (str((source / f"{name}.xml").resolve()) for name in (LETTER, TELEGRAM))
    earlier = before[letter]["states"][0]["mtime_ns"] - 10**10
    os.utime(letter, ns=(earlier, earlier))
    build(source, tmp_path / "out")
    after = json.loads(catalogue.read_text(encoding="utf-8"))
    assert [state["mtime_ns"] for state in after[letter]["states"]] == [earlier]
    assert after[letter]["states"][0]["sha256"] == before[letter]["states"][0]["sha256"]
    assert after[telegram] == before[telegram]


def body_in_a_part(source: Path) -> tuple[Path, Path]:
    """The letter with its body moved into parts/body.xml, which it XIncludes: (the letter, the part)."""
    letter = source / f"{LETTER}.xml"
    text = letter.read_text(encoding="utf-8")
    start, end = text.index("<body>") + len("<body>"), text.index("</body>")
    (source / "parts").mkdir()
    part = source / "parts" / "body.xml"
    part.write_text(f'<div xmlns="http://www.tei-c.org/ns/1.0">{text[start:end]}</div>', encoding="utf-8")
    letter.write_text(text[:start].replace("<TEI ", '<TEI xmlns:xi="http://www.w3.org/2001/XInclude" ', 1)
                      + '<xi:include href="parts/body.xml"/>' + text[end:], encoding="utf-8")
    return letter, part


def test_a_changed_xincluded_part_renders_its_document_again(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    _letter, part = body_in_a_part(source)
    first = build(source, tmp_path / "out")
    assert sorted(first.documents) == [LETTER, TELEGRAM]  # the part is no document of its own
    page = tmp_path / "out" / "html" / "documents" / f"{LETTER}.html"
    assert "quince marmalade" in visible_text(page)
    part.write_text(part.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert result.documents_rendered == [LETTER]
    assert result.documents_reused == [TELEGRAM]
    assert "plum jam" in visible_text(page)


def test_a_part_changed_while_its_document_is_read_is_read_again_by_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record of a document keeps the states of its file and parts as they were before the build read them: a part
    changed between the reading and the record is recorded with its older bytes, so the next build reads the document
    again and its facts and page hold the new text (a state taken after the reading would vouch for facts made from
    bytes it never saw)."""
    source = copy_fixture(tmp_path)
    letter, part = body_in_a_part(source)
    build(source, tmp_path / "out")
    letter.write_text(letter.read_text(encoding="utf-8").replace("<TEI ", "<TEI n=\"changed\" ", 1), encoding="utf-8")
    read_document = site_writer._read_document

    def read_then_change_the_part(path: str, xinclude_root: str, included: set[Path] | None = None):  # type: ignore[no-untyped-def]
        read = read_document(path, xinclude_root, included)
        if included is not None and "quince marmalade" in part.read_text(encoding="utf-8"):  # the facts' reading, once
            part.write_text(part.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
        return read

    monkeypatch.setattr(site_writer, "_read_document", read_then_change_the_part)
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    monkeypatch.setattr(site_writer, "_read_document", read_document)
    again = build(source, tmp_path / "out")
    assert (again.documents_rendered, again.documents_reused) == ([LETTER], [TELEGRAM])
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / "clean" / "html")
    assert [name for name in sorted(set(rebuilt) | set(clean)) if rebuilt.get(name) != clean.get(name)] == []


def test_a_changed_entity_file_renders_its_document_again(tmp_path: Path) -> None:
    """A DTD's entities are part of a document's text: the rebuild must see a change of the file that defines them."""
    source = copy_fixture(tmp_path)
    (source / "entities.dtd").write_text('<!ENTITY jam "quince marmalade">', encoding="utf-8")
    letter = source / f"{LETTER}.xml"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("<TEI ", '<!DOCTYPE TEI [<!ENTITY % shared SYSTEM "entities.dtd"> %shared;]>\n<TEI ', 1)
                      .replace("quince marmalade", "&jam;"), encoding="utf-8")
    build(source, tmp_path / "out")
    page = tmp_path / "out" / "html" / "documents" / f"{LETTER}.html"
    assert "quince marmalade" in visible_text(page)
    (source / "entities.dtd").write_text('<!ENTITY jam "plum jam">', encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert (result.documents_rendered, result.documents_reused) == ([LETTER], [TELEGRAM])
    assert "plum jam" in visible_text(page)


def test_a_changed_stylesheet_makes_every_document_s_facts_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts (dates, titles, mentions) come from the stylesheets too: a record kept from before a code change is stale."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    read: list[str] = []
    facts_task = site_writer._facts_task
    monkeypatch.setattr(site_writer, "_facts_task", lambda document_id, *args: read.append(document_id) or facts_task(document_id, *args))
    monkeypatch.setattr(site_writer, "_stylesheets_digest", lambda: "the stylesheets of another version")
    build(source, tmp_path / "out")
    assert sorted(read) == [LETTER, TELEGRAM]


def test_a_removed_document_leaves_the_site(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    (source / f"{TELEGRAM}.xml").unlink()
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert result.documents == [LETTER]
    # The removed document's page, source and facts are gone; the other document's stay.
    for folder, suffix in (("documents", ".html"), ("tei", ".xml"), (".teipress/facts", ".xml")):
        assert sorted(path.name for path in (site / folder).iterdir()) == [f"{LETTER}{suffix}"], folder
    assert TELEGRAM not in (site / "index.html").read_text(encoding="utf-8")


def test_documents_missing_from_an_older_manifest_leave_the_site_too(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    (site / site_writer.MANIFEST).unlink()  # e.g. written by an older teipress, or lost
    (source / f"{TELEGRAM}.xml").unlink()
    build(source, tmp_path / "out")
    assert not (site / "documents" / f"{TELEGRAM}.html").exists()
    assert not (site / "tei" / f"{TELEGRAM}.xml").exists()
    assert not (site / site_writer.FACTS_DIR / f"{TELEGRAM}.xml").exists()
    assert sorted(p.name for p in (site / "documents").iterdir()) == [f"{LETTER}.html"]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert [language["page_count"] for language in entry["languages"].values()] == [1]  # Pagefind indexes the letter only


# --- a failed build keeps the previous site ----------------------------------------------------------


def test_a_failing_build_leaves_the_previous_site_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise TransformError("html/register.xsl: simulated failure")

    monkeypatch.setattr(site_writer, "_write_aggregates", broken)
    with pytest.raises(TransformError, match="simulated failure"):
        build(source, tmp_path / "out")
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".html.facts.sqlite", ".html.mirror", "html"]  # no staging folder left behind


def test_a_build_that_fails_in_the_document_pages_leaves_the_store_of_facts_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails while it writes the document pages keeps nothing of its update of the store of facts, so that
    the store is still the one the site's manifest names and the next build writes what a clean build writes."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    store = tmp_path / "out" / ".html.facts.sqlite"
    before = store.read_bytes()
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Alma Sender", "Alma Writer"), encoding="utf-8")
    page_task = site_writer._page_task

    def broken(*args: object, **kwargs: object) -> None:
        raise TransformError("html/document.xsl: simulated failure")

    monkeypatch.setattr(site_writer, "_page_task", broken)
    with pytest.raises(TransformError, match="simulated failure"):
        build(source, tmp_path / "out")
    assert store.read_bytes() == before
    monkeypatch.setattr(site_writer, "_page_task", page_task)
    build(source, tmp_path / "out")
    build(source, tmp_path / "clean")
    assert site_files(tmp_path / "out" / "html") == site_files(tmp_path / "clean" / "html")


def site_files(site: Path) -> dict[str, bytes]:
    """Every file a reader gets from the site, by path: all but the build's own records (.teipress/) and Pagefind's
    index, whose files are named by hashes that differ from one run of Pagefind to the next over the same pages
    (instead: the key of each chunk over its pages' keys, which the build keeps)."""
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
             if path.is_file() and path.relative_to(site).parts[0] not in (".teipress", "pagefind", "pagefind-chunks")}
    state = json.loads((site / ".teipress" / "search.json").read_text(encoding="utf-8"))
    files["search chunks"] = json.dumps(state["keys"]).encode()
    files["pagefind/chunks.json"] = (site / "pagefind" / "chunks.json").read_bytes()
    return files


def test_a_build_whose_sources_worker_processes_read_writes_the_site_one_that_reads_them_itself_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build of a large edition has its sources parsed by worker processes (edition.READ_IN_WORKERS_FROM):
    here the fixture's few (the threshold set to one), which make the same site; a rebuild has only its changed letter parsed."""
    from teipress import edition as sources

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "here", jobs=2)
    read_by_workers: list[int] = []
    read_in_workers = sources._read_in_workers
    monkeypatch.setattr(sources, "_read_in_workers", lambda files, jobs: (read_by_workers.append(len(files)), read_in_workers(files, jobs))[1])
    monkeypatch.setattr(sources, "READ_IN_WORKERS_FROM", 1)
    build(source, tmp_path / "workers", jobs=2)
    assert read_by_workers == [len(list(source.rglob("*.xml")))]
    assert site_files(tmp_path / "workers" / "html") == site_files(tmp_path / "here" / "html")
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    assert build(source, tmp_path / "workers", jobs=2).documents_rendered == [LETTER]
    assert read_by_workers == [len(list(source.rglob("*.xml"))), 1]


def test_each_rebuild_writes_the_site_a_clean_build_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After each change (a sentence, a new mention, a date that moves a letter to another year and place in the list,
    a deleted letter, an added one, a register entry, an XIncluded part) the rebuilt site holds, file by file, what a
    build from nothing writes: nothing a rebuild keeps or skips is stale."""
    from teipress import aggregates

    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 2)  # pages of the list that a letter moving in reading order shifts
    source = copy_fixture(tmp_path)
    letter = (source / f"{LETTER}.xml").read_text(encoding="utf-8")
    (source / "parts").mkdir()
    (source / "parts" / "postscript.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0">P.S. Greetings from <placeName ref="#southport">Southport</placeName>.</p>', encoding="utf-8")
    for number in range(1, 4):
        copy = letter.replace(f'xml:id="{LETTER}"', f'xml:id="copy-{number}"').replace("1950-03-04", f"1950-03-0{4 + number}")
        if number == 3:
            copy = copy.replace("</body>", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="parts/postscript.xml"/></body>')
        (source / f"copy-{number}.xml").write_text(copy, encoding="utf-8")

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    changes = [
        ("a sentence", lambda: replace(source / "copy-2.xml", "quince marmalade", "plum jam")),
        ("a new mention", lambda: replace(source / "copy-2.xml", "plum jam", 'plum jam from <placeName ref="#southport">Southport</placeName>')),
        ("a date", lambda: replace(source / "copy-1.xml", "1950-03-05", "1951-01-01")),
        ("a deleted letter", lambda: (source / f"{TELEGRAM}.xml").unlink()),
        ("an added letter", lambda: (source / "copy-4.xml").write_text(letter.replace(f'xml:id="{LETTER}"', 'xml:id="copy-4"'), encoding="utf-8")),
        ("a register entry", lambda: replace(source / "registers" / "persons.xml", "Writer of the first letter.", "Poet; writer of the first letter.")),
        ("an XIncluded part", lambda: replace(source / "parts" / "postscript.xml", "Greetings", "Kind regards")),
        # The merged registers are kept between builds (html.REGISTER_INDEX) while the files they come from are unchanged.
        ("a letter with register entries of its own", lambda: (source / "copy-5.xml").write_text(letter.replace(f'xml:id="{LETTER}"', 'xml:id="copy-5"').replace(
            "</teiHeader>", '</teiHeader><standOff><listPerson><person xml:id="cook-5"><persName>Dora Cook</persName></person></listPerson></standOff>').replace(
            "quince marmalade", 'quince marmalade by <persName ref="#cook-5">the cook</persName>'), encoding="utf-8")),
        ("its entry changed", lambda: replace(source / "copy-5.xml", "Dora Cook", "Dora Baker")),
        ("a register file deleted", lambda: (source / "registers" / "events.xml").unlink()),
        ("a changed teipress.toml", lambda: (tmp_path / "teipress.toml").write_text('title = "Letters of the harbour"\n', encoding="utf-8")),
    ]
    build(source, tmp_path / "out")
    for number, (change, make) in enumerate(changes):
        make()
        build(source, tmp_path / "out")
        build(source, tmp_path / f"clean-{number}")
        rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / f"clean-{number}" / "html")
        assert sorted(rebuilt) == sorted(clean), change
        assert [name for name in rebuilt if rebuilt[name] != clean[name]] == [], change
    assert "plum jam from Southport" in visible_text(tmp_path / "out" / "html" / "registers" / "places" / "southport.html")
    assert not list((tmp_path / "out" / "html").rglob(f"*{TELEGRAM}*"))
    assert parse(tmp_path / "out" / "html" / "registers" / "persons" / "cook-5.html").xpath("string(//title)") == "Dora Baker · Letters of the harbour"


@pytest.mark.parametrize("damage", ["garbage", "removed"])
def test_a_damaged_or_missing_store_of_facts_is_made_anew(tmp_path: Path, damage: str) -> None:
    """The store the register pages are made from (.html.facts.sqlite beside the site) is a cache: whatever became of it, the
    rebuilt site is what a clean build writes."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    store = tmp_path / "out" / ".html.facts.sqlite"
    assert store.is_file()
    store.unlink()
    if damage == "garbage":
        store.write_bytes(b"not a database " * 100)
    telegram = source / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace("PLEASE BRING ZEPHYRANTHES", 'PLEASE BRING <placeName ref="#northtown">ZEPHYRANTHES</placeName>'), encoding="utf-8")
    build(source, tmp_path / "out")
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / "clean" / "html")
    assert sorted(rebuilt) == sorted(clean)
    assert [name for name in rebuilt if rebuilt[name] != clean[name]] == []


def test_a_store_of_facts_older_than_the_site_is_not_trusted(tmp_path: Path) -> None:
    """A store that is not the one the site was built with (here: the store of the build before, put back) keeps
    facts that are right for their keys, but not which pages the site holds: every page's source is made again."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    store = tmp_path / "out" / ".html.facts.sqlite"
    older = store.read_bytes()
    telegram = source / f"{TELEGRAM}.xml"
    text = telegram.read_text(encoding="utf-8")
    telegram.write_text(text.replace("PLEASE BRING ZEPHYRANTHES", 'PLEASE BRING <placeName ref="#northtown">ZEPHYRANTHES</placeName>'), encoding="utf-8")
    build(source, tmp_path / "out")
    store.unlink()
    store.write_bytes(older)
    telegram.write_text(text, encoding="utf-8")  # as the older store knows it: no change of its facts there
    build(source, tmp_path / "out")
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(tmp_path / "out" / "html"), site_files(tmp_path / "clean" / "html")
    assert [name for name in sorted(set(rebuilt) | set(clean)) if rebuilt.get(name) != clean.get(name)] == []


def test_an_edition_of_registers_only_builds_its_register_pages(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    shutil.copytree(SITE_FIXTURE / "registers", source / "registers")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert result.documents == []
    assert parse(site / "registers" / "persons" / "alma-sender.html").xpath("string(//h1)") == "Alma Sender"


def test_a_rebuild_started_from_the_mirror_holds_exactly_what_a_copy_would(tmp_path: Path) -> None:
    """The mirror (the folder the last swap retired) is brought up to date by inode: every file changed, added or
    removed since is put right, and the site's files stay hard links, never files edited in place."""
    from teipress.outputs import replaced_folder

    site = tmp_path / "out" / "html"
    source = tmp_path / "tei"
    source.mkdir()
    with replaced_folder(site, source=source, keep_previous=True) as staging:
        for name in ("kept.txt", "changed.txt", "removed.txt", "folder/inner.txt", "gone/deep.txt"):
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(name, encoding="utf-8")
    mirror = tmp_path / "out" / ".html.mirror"
    assert sorted(p.relative_to(mirror).as_posix() for p in mirror.rglob("*.txt")) == sorted(p.relative_to(site).as_posix() for p in site.rglob("*.txt"))
    with replaced_folder(site, source=source, keep_previous=True) as staging:
        (staging / "changed.txt").unlink()
        (staging / "changed.txt").write_text("new bytes", encoding="utf-8")
        (staging / "removed.txt").unlink()
        shutil.rmtree(staging / "gone")
        (staging / "added.txt").write_text("added", encoding="utf-8")
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    with replaced_folder(site, source=source, keep_previous=True) as staging:
        seen = {p.relative_to(staging).as_posix(): p.read_bytes() for p in staging.rglob("*") if p.is_file()}
        assert (staging / "kept.txt").stat().st_ino == (site / "kept.txt").stat().st_ino
    assert seen == before
    assert sorted(before) == [".teipress/folders.json", ".teipress/output.json", "added.txt", "changed.txt", "folder/inner.txt", "kept.txt"]
    assert before["changed.txt"] == b"new bytes"


def files_below(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def journaled_site(tmp_path: Path) -> tuple[Path, Path]:
    """A site of a few folders written, left alone for a while (every folder of it and its mirror last modified well
    before now), then written again with one file in a new folder; the mirror is the folder the second swap retired."""
    from teipress.outputs import replaced_folder

    site, source = tmp_path / "out" / "html", tmp_path / "tei"
    source.mkdir()
    with replaced_folder(site, source=source, keep_previous=True) as staging:
        for name in ("kept.txt", "a/one.txt", "a/deep/two.txt", "b/three.txt"):
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(name, encoding="utf-8")
    long_ago = time.time_ns() - 10**11
    for root in (site, tmp_path / "out" / ".html.mirror"):
        for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            os.utime(folder, ns=(long_ago, long_ago))
    with replaced_folder(site, source=source, keep_previous=True) as staging:
        (staging / "new").mkdir()
        (staging / "new" / "four.txt").write_text("four", encoding="utf-8")
    return site, source


def test_a_rebuild_reads_only_the_folders_modified_since_the_last_build_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal (.teipress/folders.json) lists the site's folders: the mirror is brought up to date reading only
    the folders modified since the build that made the site started, here by hand, and holds what the site holds."""
    from teipress import mirror, outputs

    site, source = journaled_site(tmp_path)
    assert json.loads((site / ".teipress" / "folders.json").read_bytes())["folders"] == ["", ".teipress", "a", "a/deep", "b", "new"]
    shutil.rmtree(site / "b")  # removed by hand: the staging folder must not bring it back
    (site / "a" / "deep" / "two.txt").unlink()
    (site / "a" / "deep" / "two.txt").write_text("changed by hand", encoding="utf-8")
    read: list[str] = []
    link_differences = mirror.link_differences
    monkeypatch.setattr(mirror, "link_differences", lambda source, copy, **kw: (read.append(source.relative_to(site).as_posix()), link_differences(source, copy, **kw))[1])
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        assert files_below(staging) == files_below(site)
    assert sorted(set(read)) == [".", ".teipress", "a/deep", "new"]  # not a, whose entries are as they were


def test_the_journal_goes_by_the_file_systems_clock_not_this_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders' times are stamped by the file system (a network one's server): a machine whose clock runs ahead of it
    must not take a folder a build changed for one left as it was."""
    from teipress import outputs

    site, source = journaled_site(tmp_path)
    machine_clock = time.time_ns
    monkeypatch.setattr(outputs.time, "time_ns", lambda: machine_clock() + 100 * 10**9)
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        (staging / "a" / "one.txt").unlink()
        (staging / "a" / "one.txt").write_text("written by this build", encoding="utf-8")
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        assert files_below(staging) == files_below(site)
    assert (site / "a" / "one.txt").read_text(encoding="utf-8") == "written by this build"


@pytest.mark.parametrize("unsound", ["missing", "not JSON", "of another version", "of another mirror"])
def test_a_missing_or_unsound_journal_has_every_folder_read(tmp_path: Path, unsound: str) -> None:
    """Without a journal that fits the mirror (one left by a failed build, by an older teipress ...), the mirror is read whole."""
    from teipress import outputs

    site, source = journaled_site(tmp_path)
    journal = site / ".teipress" / "folders.json"
    mirror = tmp_path / "out" / ".html.mirror"
    if unsound == "missing":
        journal.unlink()
    elif unsound == "not JSON":
        journal.write_bytes(b"{not json")
    elif unsound == "of another version":
        journal.write_text(journal.read_text(encoding="utf-8").replace(f'"{outputs.__version__}"', '"0.0.1"'), encoding="utf-8")
    else:
        shutil.copytree(mirror, mirror.with_name("copy"), copy_function=os.link)
        shutil.rmtree(mirror)
        mirror.with_name("copy").rename(mirror)
    (mirror / "b" / "three.txt").unlink()  # a change the folders' times do not tell (they are put back)
    (mirror / "b" / "three.txt").write_text("stale", encoding="utf-8")
    for folder in (mirror, mirror / "b"):
        os.utime(folder, ns=(10**9, 10**9))
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        assert files_below(staging) == files_below(site)


def test_a_folder_removed_by_hand_from_the_site_is_written_again(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    shutil.rmtree(site / "documents")
    build(source, tmp_path / "out")
    build(source, tmp_path / "clean")
    assert site_files(site) == site_files(tmp_path / "clean" / "html")


def test_pages_and_copies_removed_by_hand_are_written_again(tmp_path: Path) -> None:
    """A rebuild knows which document pages, facts, source copies, register pages and popover scripts the previous build
    left from a directory read of their folders: a file removed by hand from one of them (the folder's other files
    kept) is written again, as a build from nothing writes it."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    build(source, tmp_path / "out")  # a site started from the mirror, as every later one is
    site = tmp_path / "out" / "html"
    entry_page = sorted((site / "registers" / "persons").glob("*.html"))[0]
    popover = sorted((site / "assets" / "entries").glob("*.js"))[0]
    removed = [site / "documents" / f"{TELEGRAM}.html", site / "tei" / f"{LETTER}.xml", site / ".teipress" / "facts" / f"{TELEGRAM}.xml",
               entry_page, popover]
    for path in removed:
        path.unlink()
    again = build(source, tmp_path / "out")
    assert again.documents_rendered == [TELEGRAM]
    assert [path.is_file() for path in removed] == [True] * len(removed)
    build(source, tmp_path / "clean")
    rebuilt, clean = site_files(site), site_files(tmp_path / "clean" / "html")
    assert [name for name in sorted(set(rebuilt) | set(clean)) if rebuilt.get(name) != clean.get(name)] == []


def test_the_overviews_tables_are_made_again_only_when_what_they_read_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables of pairs of correspondents and of places the overviews list are made from every document's overview
    summary (html/overview-plan.xsl): a rebuild after a change of a letter's text only takes the tables the store keeps,
    one that moves its date makes them again."""
    from teipress import aggregates

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    counted: list[str] = []
    transform = aggregates.PlanSheets.transform

    def counting(*args: object, **params: object) -> str:
        text = transform(*args, **params)  # type: ignore[arg-type]
        if params.get("site_file") is not None:  # the overviews' tables, not a plan of the registers
            counted.append(text)
        return text

    monkeypatch.setattr(aggregates.PlanSheets, "transform", counting)
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("quince marmalade", "plum jam"), encoding="utf-8")
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    assert counted == []
    letter.write_text(letter.read_text(encoding="utf-8").replace("1950-03-04", "1951-03-04"), encoding="utf-8")
    build(source, tmp_path / "out")
    assert len(counted) == 1
    build(source, tmp_path / "clean")
    assert site_files(tmp_path / "out" / "html") == site_files(tmp_path / "clean" / "html")


@pytest.mark.parametrize("kind", ["building", "mirroring"])  # a build's staging folder, a first build's copy for the mirror (mirror.py)
def test_folders_of_killed_builds_are_removed(tmp_path: Path, kind: str) -> None:
    abandoned = tmp_path / "out" / f".html.{kind}-999999999"  # no process has this id
    (abandoned / "documents").mkdir(parents=True)
    build(copy_fixture(tmp_path), tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".html.facts.sqlite", ".html.mirror", "html"]


def test_an_unreadable_file_is_left_out_and_named(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    (source / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert [p.rule for p in result.left_out] == ["xml-syntax"]
    assert result.left_out[0].file.endswith("broken.xml") and result.left_out[0] in result.problems
    assert sorted(result.documents) == [LETTER, TELEGRAM]
    assert "quince marmalade" in visible_text(tmp_path / "out" / "html" / "documents" / f"{LETTER}.html")


def test_nothing_readable_builds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    source.mkdir()
    (source / "broken.xml").write_text("<TEI>", encoding="utf-8")
    with pytest.raises(EditionInvalid) as raised:
        build(source, tmp_path / "out")
    assert [p.rule for p in raised.value.problems] == ["xml-syntax"]
    assert not (tmp_path / "out").exists()


def test_hostile_document_ids_cannot_write_outside_the_site(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace(f'xml:id="{LETTER}"', 'xml:id="../../escaped"'), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert LETTER in result.documents  # the file name stands in for an id that is no safe file name
    assert not (tmp_path / "escaped.html").exists() and not (tmp_path / "out" / "escaped.html").exists()


# --- any folder of TEI ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def foreign_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    source = shared_path("foreign-tei")
    output = tmp_path_factory.mktemp("foreign")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(source), "-o", str(output), "--no-validate", "--html", "--quiet"])
    assert result.exit_code == 0, result.output
    return source, output / "html"


def test_foreign_files_render_every_word_of_their_text(foreign_site: tuple[Path, Path]) -> None:
    source, site = foreign_site
    files = sorted(source.rglob("*.xml"))
    assert len(files) == 8
    pages = sorted(site.glob("documents/*.html"))
    assert len(pages) == 8
    for tei_file in files:
        root = etree.parse(str(tei_file), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)).getroot()
        page_id = root.get("{http://www.w3.org/XML/1998/namespace}id") or tei_file.stem
        text = visible_text(site / "documents" / f"{page_id}.html")
        missing = [node for node in text_nodes(tei_file) if node not in text]
        assert missing == [], f"{tei_file.name}: {len(missing)} text node(s) missing, e.g. {missing[:3]}"
    assert broken_links(site) == []


def test_foreign_embedded_registers_serve_as_registers(foreign_site: tuple[Path, Path]) -> None:
    _, site = foreign_site
    persons = html.parse(str(site / "registers" / "persons.html")).getroot()
    entries = persons.xpath("//li[contains(@class, 'entry')]")
    assert entries, "the Schnitzler and Escher letters carry persons in their standOff/listPerson"
    mentioned = [href for page in (site / "registers" / "persons").glob("*.html") for href in html.parse(str(page)).getroot().xpath("//a[@class='mention']/@href")]
    assert any(re.match(r"\.\./\.\./documents/[^#]+\.html#.+", href) for href in mentioned)


# --- the command ----------------------------------------------------------------------------------


def test_build_command_prints_a_summary(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--no-validate", "--html", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Built 2 document page\(s\) \(2 transformed\) and the registers, chronology and search index in .+ in \d+\.\d s\.", result.output)


def test_build_command_refuses_html_and_pdf_together(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(copy_fixture(tmp_path)), "--html", "--pdf"])
    assert result.exit_code == 2
    assert "--html and --pdf exclude each other" in result.output


def test_build_command_reports_unreadable_files(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    (source / "broken.xml").write_text("<TEI>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--no-validate", "--html"])
    assert result.exit_code == 1
    assert "broken.xml:1:" in result.output and "not well-formed XML" in result.output
    assert result.output.strip().splitlines()[-1].endswith("; 1 file(s) could not be read and were left out (see the errors above).")
    assert sorted(p.name for p in (tmp_path / "out" / "html" / "documents").glob("*.html")) == [f"{LETTER}.html", f"{TELEGRAM}.html"]


def test_build_and_serve_have_help_with_an_example() -> None:
    for command in ("build", "serve"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output


# --- validation first ---------------------------------------------------------------------------


def test_an_invalid_edition_is_reported_and_not_built(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    telegram = source / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace('<date when="1950-05-10">', '<date when="1950-02-30">'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--html"])
    assert result.exit_code == 1
    assert re.search(rf"{TELEGRAM}\.xml:\d+:\d+: error: ", result.output), result.output
    assert "the edition is invalid" in result.output and "--no-validate" in result.output
    assert not (tmp_path / "out").exists()


def test_a_valid_edition_is_validated_then_built(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    config = load_config(source.parent, source=source, output=tmp_path / "out")
    result = build_edition(config, formats={"html"}, jobs=1)
    assert "validate" in result.timings
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]


def test_local_images_are_copied_into_the_site_and_nothing_outside_the_edition(tmp_path: Path) -> None:
    source = tmp_path / "sources"
    (source / "letters" / "scans").mkdir(parents=True)
    (source / "letters" / "scans" / "page-1.png").write_bytes(b"\x89PNG\r\n\x1a\nfirst page")
    (tmp_path / "secret.png").write_bytes(b"outside the edition")
    (source / "letters" / "letter.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="letter"><teiHeader><fileDesc><titleStmt><title>Scanned letter</title></titleStmt>'
        "<publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc></fileDesc></teiHeader>"
        '<text><body><pb n="1" facs="scans/page-1.png"/><p>Dear friend,</p>'
        '<figure><graphic url="scans/page-1.png"/><figDesc>The first page</figDesc></figure>'
        '<figure><graphic url="../../secret.png"/><figDesc>Outside</figDesc></figure></body></text></TEI>',
        encoding="utf-8",
    )
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert (site / "media" / "letters" / "scans" / "page-1.png").read_bytes().endswith(b"first page")
    assert not list(site.rglob("secret.png"))
    page = html.parse(str(site / "documents" / "letter.html"))
    sources = page.xpath("//img/@src")
    assert "../media/letters/scans/page-1.png" in sources
    assert all("secret" not in src for src in sources)
    for src in sources:
        assert (site / "documents" / src).resolve().is_file()


def scanned_letter(source: Path) -> Path:
    """A source folder with one letter that shows one local image, scans/page-1.png."""
    (source / "scans").mkdir(parents=True)
    (source / "scans" / "page-1.png").write_bytes(b"\x89PNG\r\n\x1a\nfirst page")
    (source / "letter.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="letter"><teiHeader><fileDesc><titleStmt><title>Scanned letter</title></titleStmt>'
        "<publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc></fileDesc></teiHeader>"
        '<text><body><p>Dear friend,</p><figure><graphic url="scans/page-1.png"/></figure></body></text></TEI>',
        encoding="utf-8",
    )
    return source


def test_a_changed_image_replaces_its_copy_although_the_page_is_reused(tmp_path: Path) -> None:
    source = scanned_letter(tmp_path / "sources")
    build(source, tmp_path / "out")
    (source / "scans" / "page-1.png").write_bytes(b"\x89PNG\r\n\x1a\nsecond scan")
    result = build(source, tmp_path / "out")
    assert result.documents_reused == ["letter"]
    assert (tmp_path / "out" / "html" / "media" / "scans" / "page-1.png").read_bytes().endswith(b"second scan")


def test_a_deleted_media_folder_is_restored(tmp_path: Path) -> None:
    source = scanned_letter(tmp_path / "sources")
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    shutil.rmtree(site / "media")
    (site / "tei" / "letter.xml").unlink()
    build(source, tmp_path / "out")
    assert (site / "media" / "scans" / "page-1.png").read_bytes().endswith(b"first page")
    assert (site / "tei" / "letter.xml").read_bytes() == (source / "letter.xml").read_bytes()


def test_images_no_document_shows_any_longer_leave_the_site(tmp_path: Path) -> None:
    source = scanned_letter(tmp_path / "sources")
    build(source, tmp_path / "out")
    letter = source / "letter.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace('<figure><graphic url="scans/page-1.png"/></figure>', ""), encoding="utf-8")
    build(source, tmp_path / "out")
    assert not list((tmp_path / "out" / "html").rglob("page-1.png"))


def test_unchanged_sources_and_images_are_not_written_again(tmp_path: Path) -> None:
    source = scanned_letter(tmp_path / "sources")
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    copies = [site / "media" / "scans" / "page-1.png", site / "tei" / "letter.xml"]
    before = [p.stat().st_ino for p in copies]
    build(source, tmp_path / "out")
    assert [p.stat().st_ino for p in copies] == before  # hard-linked from the previous site, not rewritten


# --- what a rebuild must render again (README: "A changed register, edition.xml or stylesheet renders every page again") ---


def test_a_deleted_document_leaves_no_link_to_it(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert parse(site / "documents" / f"{LETTER}.html").xpath("//a[@rel='next']/@href") == [f"{TELEGRAM}.html"]
    (source / f"{TELEGRAM}.xml").unlink()
    build(source, tmp_path / "out")
    assert broken_links(site) == []
    linked = {href for page in html_pages(site) for href in parse(page).xpath("//a/@href") if TELEGRAM in href}
    assert linked == set()


def test_an_added_document_is_linked_from_its_neighbour(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    telegram = source / f"{TELEGRAM}.xml"
    kept = telegram.read_bytes()
    telegram.unlink()
    build(source, tmp_path / "out")
    telegram.write_bytes(kept)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert parse(site / "documents" / f"{LETTER}.html").xpath("//a[@rel='next']/@href") == [f"{TELEGRAM}.html"]
    assert broken_links(site) == []


def test_a_changed_edition_file_renders_every_page_again(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    edition = source / "edition.xml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("Letters of the Fixture Correspondence", "Letters of the Renamed Correspondence"), encoding="utf-8")
    result = build(source, tmp_path / "out")
    assert sorted(result.documents_rendered) == [LETTER, TELEGRAM]
    for name in (LETTER, TELEGRAM):
        citation = " ".join(parse(tmp_path / "out" / "html" / "documents" / f"{name}.html").xpath("string(//p[@class='citation'])").split())
        assert "In Letters of the Renamed Correspondence, edited by Ada Editor." in citation, name


def installed_copy(destination: Path) -> Path:
    """teipress as a wheel installs it (the stylesheets inside the package), in a folder a test may change."""
    package = destination / "teipress"
    shutil.copytree(REPO / "src" / "teipress", package, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("xslt", "schema"):
        shutil.copytree(REPO / folder, package / folder)
    return destination


def build_with(installed: Path, source: Path, output: Path) -> str:
    """`teipress build --html` run by the given installation; its summary line."""
    script = "import sys; from teipress.cli import main; sys.argv[0] = 'teipress'; main()"
    completed = subprocess.run([sys.executable, "-c", script, "build", str(source), "-o", str(output), "--html", "--no-validate", "-j", "1"],
                               env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin", "HOME": str(installed)}, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr + completed.stdout
    return completed.stdout


@pytest.mark.parametrize(("stylesheet", "before", "after", "shown"), [
    ("common/messages/en.xml", '<message key="date.day">{1}</message>', '<message key="date.day">{1}.</message>', ("4. March 1950", "6. May 1950")),
    ("html/document.xsl", "<h2 id=\"cite-heading\">{tp:message('cite.heading')}</h2>", '<h2 id="cite-heading">How to cite</h2>', ("How to cite", "How to cite")),
], ids=["common", "html"])
def test_a_changed_stylesheet_renders_every_page_again(tmp_path: Path, stylesheet: str, before: str, after: str, shown: tuple[str, str]) -> None:
    installed = installed_copy(tmp_path / "installed")
    source = copy_fixture(tmp_path)
    assert "(2 transformed" in build_with(installed, source, tmp_path / "out")
    assert "(0 transformed" in build_with(installed, source, tmp_path / "out")
    path = installed / "teipress" / "xslt" / stylesheet
    assert path.read_text(encoding="utf-8").count(before) == 1
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    assert "(2 transformed" in build_with(installed, source, tmp_path / "out")
    for name, expected in zip((LETTER, TELEGRAM), shown):
        assert expected in visible_text(tmp_path / "out" / "html" / "documents" / f"{name}.html"), name
