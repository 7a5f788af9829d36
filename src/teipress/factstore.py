"""What the register and aggregate pages read of every document's facts, kept between builds in SQLite.

The store (`store_path`: beside the site, `.html.facts.sqlite`) holds, per document, its facts key (html.py: a hash of its source,
its register subset and the stylesheets), its place in reading order, its summary as the list and the
chronology show it, what the overviews read of it, and every part of its facts that names a register
entry (its correspondents, its mentions with their context). A build brings it up to date by reading
the facts files of the documents whose key changed, that came or that went, and learns which register
entries those name, before or after: only their pages can have changed (aggregates.py). A rebuild
after one changed letter thus reads one facts file instead of every one.

The store lies beside the site, not in it: the site is built in a copy of the previous one whose files are hard
links shared with it (outputs.py), so a store inside had to be copied whole before a rebuild could write it
(45 MB on a real edition of 5,000 letters). Instead a build writes the store in one transaction, committed only
once the site's manifest is written, and the manifest names the store it was built with (`build`): a store
that is not that one (a build that failed after its commit, a site removed by hand, a store of an older format,
damaged or missing) is made anew from the site's facts files. Two builds of one site take turns at the store.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import OutputError
from .outputs import beside
from .xmlio import safe_parser

STORE_NAME = "facts.sqlite"
SITE_NS = "https://teipress.org/ns/site"
FACTS_NS = "https://teipress.org/ns/facts"
FACTS_DIR = Path(".teipress") / "facts"
# Raised whenever what a row holds is derived differently: a store of another format is made anew.
FORMAT = "4"
# How long a build waits for another build of the same site to let go of the store (SQLite's lock), in seconds.
_WAIT_FOR_OTHER_BUILD = 3600.0
_PARTIES = {f"{{{SITE_NS}}}{name}" for name in ("sender", "addressee", "correspondent", "from", "to")}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# A mention's context changes with the words around it: the pages that show no mentions leave them out of their sources.
_FACTS_ELEMENT = re.compile(r"<facts\b[^>]*/>|<facts\b.*?</facts>", re.S)
# A document's columns undated, sort, id give the reading order (html.py _in_reading_order: dated documents by
# date, then undated ones, each group by id); SQLite compares text as UTF-8 bytes, which orders as Python orders code points.
# The index walks them in that order: sorting 20,000 rows of summaries took SQLite twice as long. A document's summary
# and overview lie in a table of their own, beside their digests in its row: what a page of the list shows is known
# without reading them (aggregates.py), and a build reads every document's row (its facts key, its place) without
# reading 30 MB of texts (0.5 s of a rebuild of 20,000 letters, the store's pages not in memory).
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE document (id TEXT PRIMARY KEY, facts_key TEXT, undated INTEGER, sort TEXT, list_year TEXT, chronology_year TEXT,
                       attributes TEXT, summary_digest TEXT, overview_digest TEXT);
CREATE INDEX document_order ON document (undated, sort, id);
CREATE TABLE text (id TEXT PRIMARY KEY, summary TEXT, overview TEXT);
CREATE TABLE part (entity TEXT, document TEXT, mention INTEGER, position INTEGER, xml TEXT);
CREATE INDEX part_entity ON part (entity);
CREATE INDEX part_document ON part (document);
CREATE TABLE named (entity TEXT PRIMARY KEY, documents INTEGER);
"""


@dataclass(frozen=True)
class SummaryRow:
    """A document as the list, the chronology and the overviews place it (see FactsStore), with the digests of what they
    read of it: its summary (its facts without the mentions) and its overview (its date, kind, parties and the places it
    mentions), whose texts `FactsStore.texts` gives."""

    id: str
    list_year: str  # "" undated: the list ends with the undated documents
    chronology_year: str  # four digits of its sort key, else ""
    summary_digest: str
    overview_digest: str


class FactsStore:
    """The documents' summaries and register mentions, by document and by entry, in the site's SQLite file."""

    def __init__(self, path: Path, built_with: str) -> None:
        """Open the store at `path` (`store_path`) for a build of the site whose manifest names the store `built_with`
        (its `build`; "" when it names none): a store that is not that one is made anew."""
        self.build = os.urandom(16).hex()  # this build's token, which the site's manifest keeps
        self.path = path
        try:
            self._open(path, built_with)
        except sqlite3.Error as error:
            raise _output_error(path, error) from error

    def _open(self, path: Path, built_with: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        db: sqlite3.Connection | None = None
        try:
            db = self._begin(path)
            sound = _meta(db, "format") == FORMAT and _meta(db, "build") == built_with
        except sqlite3.DatabaseError as error:  # not a database (any longer), or not one of ours
            if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:  # type: ignore[attr-defined]
                raise
            sound = False
        if not sound:
            if db is not None:
                db.close()
            for stale in (path, path.with_name(path.name + "-journal")):
                stale.unlink(missing_ok=True)
            db = self._begin(path)
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
        self.db = db
        if not sound:
            self.set_meta("format", FORMAT)
        self.set_meta("build", self.build)

    @staticmethod
    def _begin(path: Path) -> sqlite3.Connection:
        """A connection to the store in a transaction that holds its lock until the build ends (another build waits).
        Its journal on disk undoes what a killed build wrote; no waiting for the disk itself (a crash of the machine
        during a build may leave a damaged store, which the next build makes anew)."""
        db = sqlite3.connect(path, timeout=_WAIT_FOR_OTHER_BUILD)
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN IMMEDIATE")
        return db

    def meta(self, name: str) -> str | None:
        return _meta(self.db, name)

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def update(self, site: Path, facts_keys: Mapping[str, str]) -> set[str]:
        """Hold exactly the documents `facts_keys` (id: facts key), reading the facts files of those whose key changed.

        Returns the register entries whose pages the changed, added or removed documents' facts concern: those such a
        document names, before or after the change, where what the entry's page shows of it changed (all it names when
        its title, date or place in the reading order changed)."""
        known = dict(self.db.execute("SELECT id, facts_key FROM document"))
        changed = [document_id for document_id, key in facts_keys.items() if known.get(document_id) != key]
        gone = [document_id for document_id in known if document_id not in facts_keys]
        affected: set[str] = set()
        parser = safe_parser()
        # What the entries' pages showed of each document that changed or went; a document new to the store showed nothing
        # (a first build: every document, whose look-ups and removals took 15 % of the update at 5,000 letters).
        shown_before: dict[str, tuple[str | None, dict[str, list[tuple[int, str]]]]] = {}
        for document_id in (*changed, *gone):
            if document_id not in known:
                continue
            shown_before[document_id] = self._shown(document_id)
            self.db.execute("DELETE FROM part WHERE document = ?", (document_id,))
            self.db.execute("DELETE FROM document WHERE id = ?", (document_id,))
            self.db.execute("DELETE FROM text WHERE id = ?", (document_id,))
        for document_id in changed:
            facts = _XML_DECLARATION.sub("", (site / FACTS_DIR / f"{document_id}.xml").read_text(encoding="utf-8"), count=1)
            root = etree.fromstring(facts.encode("utf-8"), parser)
            attributes = dict(root.attrib)
            sort = attributes.get("sort", "")
            chronology_year = sort[:4] if re.fullmatch("[0-9]{4}", sort[:4]) else ""
            summary, overview = _FACTS_ELEMENT.sub("", facts), _overview_summary(root)
            self.db.execute("INSERT INTO document VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                document_id, facts_keys[document_id], 0 if sort else 1, sort, attributes.get("year", "") if sort else "", chronology_year,
                "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items()), _text_digest(summary), _text_digest(overview)))
            self.db.execute("INSERT INTO text VALUES (?, ?, ?)", (document_id, summary, overview))
            parts = [(party.get("ref"), 0, party) for party in root if party.tag in _PARTIES and party.get("ref")]
            parts += [(mention.get("entity"), 1, mention) for mention in root.iter(f"{{{FACTS_NS}}}mention")]
            self.db.executemany("INSERT INTO part VALUES (?, ?, ?, ?, ?)", [
                (entity, document_id, mention, position, etree.tostring(element, encoding="unicode", with_tail=False))
                for position, (entity, mention, element) in enumerate(parts)])
            if document_id not in known:  # on the page of every entry it names
                affected.update(entity for entity, _, _ in parts)
        for document_id, (attributes_before, parts_before) in shown_before.items():
            attributes_now, parts_now = self._shown(document_id)
            if attributes_now != attributes_before:  # its title, date or place in the reading order: on every entry's page
                affected.update(parts_before, parts_now)
            else:
                affected.update(entity for entity in {*parts_before, *parts_now} if parts_before.get(entity) != parts_now.get(entity))
        self.db.executemany("INSERT OR REPLACE INTO named SELECT ?, COUNT(DISTINCT document) FROM part WHERE entity = ?", ((entity, entity) for entity in affected))
        self.db.execute("DELETE FROM named WHERE documents = 0")
        return affected

    def _shown(self, document_id: str) -> tuple[str | None, dict[str, list[tuple[int, str]]]]:
        """What the entries' pages show of a document (`documents_naming`): its attributes (None: not in the store),
        and by entry its parts in order, each a correspondent (0) or a mention (1) with its XML."""
        row = self.db.execute("SELECT attributes FROM document WHERE id = ?", (document_id,)).fetchone()
        parts: dict[str, list[tuple[int, str]]] = {}
        for entity, mention, xml in self.db.execute("SELECT entity, mention, xml FROM part WHERE document = ? ORDER BY position", (document_id,)):
            parts.setdefault(entity, []).append((mention, xml))
        return (row[0] if row else None), parts

    def document_counts(self) -> dict[str, int]:
        """How many documents name each entry (in their text or as a correspondent)."""
        return dict(self.db.execute("SELECT entity, documents FROM named"))

    def documents_naming(self, entity: str) -> list[tuple[str, bool, bool]]:
        """The documents that name an entry, in reading order: each as html/entry.xsl reads it (with only
        what concerns the entry), whether it names the entry as a correspondent, whether in its text."""
        rows = self.db.execute("SELECT part.document, document.attributes, part.mention, part.xml FROM part JOIN document ON document.id = part.document "
                               "WHERE part.entity = ? ORDER BY document.undated, document.sort, document.id, part.position", (entity,))
        documents: list[tuple[str, bool, bool]] = []
        current: str | None = None
        parties: list[str] = []
        mentions: list[str] = []
        attributes = ""

        def done() -> None:
            facts = ["<f:facts>", *mentions, "</f:facts>"] if mentions else []
            documents.append(("".join([f"<document{attributes}>", *parties, *facts, "</document>"]), bool(parties), bool(mentions)))

        for document_id, own_attributes, mention, xml in rows:
            if document_id != current:
                if current is not None:
                    done()
                current, attributes, parties, mentions = document_id, own_attributes, [], []
            (mentions if mention else parties).append(xml)
        if current is not None:
            done()
        return documents

    def summaries(self) -> Iterator[SummaryRow]:
        """Every document in reading order, as the list, the chronology and the overviews place it."""
        for row in self.db.execute("SELECT id, list_year, chronology_year, summary_digest, overview_digest FROM document ORDER BY undated, sort, id"):
            yield SummaryRow(*row)

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """Every document in reading order: its id, summary and overview (see SummaryRow)."""
        yield from self.db.execute("SELECT document.id, text.summary, text.overview FROM document JOIN text ON text.id = document.id "
                                   "ORDER BY document.undated, document.sort, document.id")

    def cached(self, name: str, key: str) -> object | None:
        """A value kept under `name` by `keep` with the same `key`, else None."""
        kept = self.meta(name)
        if kept is None:
            return None
        value = json.loads(kept)
        return value["value"] if value.get("key") == key else None

    def keep(self, name: str, key: str, value: object) -> None:
        self.set_meta(name, json.dumps({"key": key, "value": value}))

    def __enter__(self) -> FactsStore:
        return self

    def __exit__(self, error_type: type[BaseException] | None, error: BaseException | None, *rest: object) -> None:
        """Keep what the build wrote only when it succeeded, and let go of the file (and of its lock). A failure of
        the store itself (a full disk) is an `OutputError` naming it, as a failure to write the site's files is."""
        try:
            if error_type is None:
                self.db.commit()
        except sqlite3.Error as failure:
            raise _output_error(self.path, failure) from failure
        finally:
            self.db.close()
        if isinstance(error, sqlite3.Error):
            raise _output_error(self.path, error) from error


def store_path(site: Path) -> Path:
    """Where the store of the site `site` (its final folder, not a build's staging folder) lies: beside it."""
    return beside(site, STORE_NAME)


def _output_error(path: Path, error: sqlite3.Error) -> OutputError:
    full = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return OutputError(str(path), os.strerror(errno.ENOSPC) if full else str(error))


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def quoteattr(value: str) -> str:
    """`value` as an XML attribute value with its quotes, as xml.sax.saxutils.quoteattr makes it (whose module
    imports urllib.request, and with it http and email: a tenth of a rebuild's start)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _overview_summary(facts: etree._Element) -> str:
    """What the overviews read of a document's facts: its summary's attributes (date, kind), its parties and
    places (sender, addressee, from, to ...) and each place its text mentions, once; it keeps the source of
    the three pages, which reads every document, small."""
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in facts.attrib.items())
    parties = [etree.tostring(party, encoding="unicode", with_tail=False) for party in facts if party.tag in _PARTIES]
    places = dict.fromkeys(mention.get("entity", "") for mention in facts.iter(f"{{{FACTS_NS}}}mention") if mention.get("kind") == "place")
    mentions = "".join(f'<f:mention kind="place" entity={quoteattr(place)}/>' for place in places)
    return f"<document{attributes}>{''.join(parties)}<f:facts>{mentions}</f:facts></document>"
