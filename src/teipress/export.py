"""Exports for other archives: self-contained TEI, CMIF for correspSearch, Dublin Core / OAI-PMH, CSV and JSON.

The XSLT 3.0 stylesheets in `xslt/export/` make each file; this module loads the edition once,
hands the stylesheets the merged registers, collects every output in memory and writes it only
when all of it was made, into a staging folder that replaces the target only when every file is
written (so a failure, a full disk or a refusal to overwrite writes nothing; see outputs.py).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from .config import Config
from .edition import Edition, SourceFile, edition_titles, load_edition, merged_registers
from .errors import ConfigError, InputError, OutputExistsError
from .problems import Problem, Severity, display_path
from .saxon import Stylesheets, to_xdm
from .outputs import check_output_folder, output_names, replaced_folder
from .xmlio import NS, TEI_NS, XML_ID, element_column, source_lines, write_atomic

FORMATS = ("tei", "cmif", "dc", "csv", "json")
EXPORT_NS = "https://teipress.org/ns/export"
FACTS_NS = "https://teipress.org/ns/facts"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TEI_ALL_URL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
CORPUS_FILE = "edition-corpus.xml"
CMIF_FILE = "cmif.xml"
MENTION_FIELDS = ("document", "entity", "kind", "surface", "anchor", "url")
EVENT_FIELDS = ("document", "iso", "sort", "when", "from", "to", "notBefore", "notAfter", "surface", "anchor", "url", "context")


@dataclass
class ExportResult:
    """What an export wrote: the files (in order), how many documents, and notes for the user."""

    format: str
    output: Path
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    notes: list[str] = field(default_factory=list)
    # One per source file that could not be read, so was not exported (the command then exits 1).
    left_out: list[Problem] = field(default_factory=list)


def export_edition(config: Config, fmt: str, out: Path | None = None, *, force: bool = False, stylesheets: Stylesheets | None = None) -> ExportResult:
    """Export the whole edition in `fmt` (tei, cmif, dc, csv, json) into the folder `out`.

    Example: `export_edition(load_config(), "cmif", Path("output/export/cmif"))`.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = (out or config.output / "export" / fmt).resolve()
    check_output_folder(out, source=config.source, force=force)
    edition = load_readable_edition(config.source)
    exporter = _Exporter(config, edition, stylesheets or Stylesheets())
    outputs, notes = getattr(exporter, f"export_{fmt}")()
    write_outputs(out, outputs, source=config.source, force=force)
    notes += [str(problem) for problem in exporter.names.problems if problem.file in {display_path(d.path) for d in edition.documents}]
    return ExportResult(format=fmt, output=out, files=[out / name for name in outputs], documents=len(edition.documents), notes=notes,
                        left_out=[error.problem for error in edition.unreadable])


def load_readable_edition(source: Path) -> Edition:
    """The edition's readable files (`edition.unreadable` names the others, which are left out), or an
    `InputError` when there is no document to export: every unreadable file is named in it."""
    if not source.is_dir():
        raise ConfigError(f"the edition's source folder {display_path(source)} does not exist (see `source` in teipress.toml)")
    edition = load_edition(source)
    if not edition.documents:
        raise InputError("\n".join([*(str(error.problem) for error in edition.unreadable),
                                    f"{display_path(source)}: the edition has no {'readable ' if edition.unreadable else ''}documents to export"]))
    return edition


def cmif_gap(document: SourceFile, description: etree._Element) -> Problem | None:
    """What the CMIF entry of `document` could not say (an unknown side, no date CMIF takes), at the source's correspDesc."""
    unknown = [side for action, side in (("sent", "sender"), ("received", "addressee"))
               if description.xpath(f"tei:correspAction[@type = '{action}']/tei:persName[not(@ref)] = 'Unknown'", namespaces=NS)]
    gaps = [f"the {' and the '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} unknown (the header names none, or does not say "
            "reliably who is on which side), listed as \u201cUnknown\u201d"] if unknown else []
    if not description.xpath("tei:correspAction/tei:date", namespaces=NS):
        gaps.append("it has no date CMIF takes (when, from, to, notBefore or notAfter as YYYY, YYYY-MM or YYYY-MM-DD), so correspSearch cannot date it")
    if not gaps:
        return None
    source = document.tree.find("tei:teiHeader/tei:profileDesc/tei:correspDesc", NS)
    line, column = 1, 1
    if source is not None and source.sourceline:
        line = source.sourceline
        column = element_column(source, source_lines(document.path))
    return Problem(display_path(document.path), line, column, Severity.WARNING, f"CMIF: {'; '.join(gaps)}", "cmif")


def write_outputs(out: Path, outputs: dict[str, bytes], *, source: Path, force: bool) -> None:
    """Write every file below `out`, all or none: into a staging folder that replaces `out` only when complete.

    `out` must be teipress's own, new or empty (any, with `force`), and no file in it is overwritten unasked;
    the other files of an earlier export stay (see outputs.py).
    """
    refuse_overwrite([out / name for name in outputs], force)
    with replaced_folder(out, source=source, force=force, keep_previous=True) as staging:
        for name, data in outputs.items():
            write_atomic(staging / name, data)


def refuse_overwrite(paths: Iterable[Path], force: bool) -> None:
    """An `OutputExistsError` naming the files of `paths` that exist, unless `force` (exports and imports share it)."""
    existing = [path for path in paths if path.exists()]
    if existing and not force:
        shown = ", ".join(display_path(p) for p in existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        raise OutputExistsError(f"{shown} already exist(s); use --force to overwrite")


def require_base_url(config: Config, fmt: str) -> str:
    """The base URL, which formats that leave the edition (CMIF, OAI-PMH) need to name things by URI."""
    if not config.base_url or "://" not in config.base_url:
        raise ConfigError(
            f"export {fmt} needs the edition's public address to build absolute URIs: set base_url in teipress.toml "
            f"(e.g. base_url = \"https://edition.example.org/\"){'' if not config.base_url else f'; {config.base_url!r} is not an absolute URL'}"
        )
    return config.base_url


class _Exporter:
    """One export run: the edition, its merged registers (handed to Saxon once) and the stylesheets."""

    def __init__(self, config: Config, edition: Edition, stylesheets: Stylesheets) -> None:
        self.config = config
        self.edition = edition
        self.stylesheets = stylesheets
        self.registers_tree = merged_registers(edition)
        self.registers = to_xdm(self.registers_tree)
        # One string rather than a list: Saxon would convert a 1,000-item list again for every document.
        self.document_ids = " ".join(d.id for d in edition.documents)
        # Each document's file name, the same as its page and PDF in the site.
        self.names = output_names(edition)

    # -- tei ---------------------------------------------------------------------------------

    def export_tei(self) -> tuple[dict[str, bytes], list[str]]:
        notes = [] if self.config.base_url else ["base_url is not set: edition-relative links stay relative"]
        outputs: dict[str, bytes] = {}
        exported: list[etree._Element] = []
        # One transformation for all documents: Saxon's cost per run is larger than the work per document.
        results = etree.fromstring(self.stylesheets.transform(
            "export/tei.xsl", self.plain_collection(), registers=self.registers, base_url=self.config.base_url,
            document_ids=self.document_ids, tei_all_url=TEI_ALL_URL).encode("utf-8"), etree.XMLParser(huge_tree=True, collect_ids=False))
        for result in results:
            nodes = list(result)  # the root and any comments or instructions around it
            for node in nodes:
                node.tail = None
            text = "\n".join(etree.tostring(node, encoding="unicode") for node in nodes)
            outputs[f"{result.get('id')}.xml"] = xml_bytes(f'<?xml-model href="{TEI_ALL_URL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n{text}')
            exported.append(next(node for node in nodes if isinstance(node.tag, str)))
        outputs[CORPUS_FILE] = etree.tostring(self.corpus(exported), xml_declaration=True, encoding="UTF-8", pretty_print=False) + b"\n"
        outputs[CORPUS_FILE] = add_xml_model(outputs[CORPUS_FILE])
        return outputs, notes

    def self_contained(self, tree: etree._ElementTree) -> str:
        return self.stylesheets.transform(
            "export/tei.xsl", tree, registers=self.registers, base_url=self.config.base_url, document_ids=self.document_ids, tei_all_url=TEI_ALL_URL
        )

    def corpus(self, exported: list[etree._Element]) -> etree._Element:
        """A teiCorpus: the edition's header, one shared standOff with every copied entry, then edition.xml and each document without its copy.

        Ids must be unique in one file: where two documents use the same id (p1 ...), the later one's
        ids become `{document}.{id}` inside the corpus, and its pointers follow; the single files keep theirs.
        """
        corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})
        edition_file = self.edition.edition_file
        header_source = etree.fromstring(self.self_contained(edition_file.tree).encode("utf-8")) if edition_file else None
        header = header_source.find("tei:teiHeader", NS) if header_source is not None else None
        corpus.append(deepcopy(header) if header is not None else self.corpus_header())
        entries: dict[str, etree._Element] = {}
        for tei in ([header_source] if header_source is not None else []) + exported:
            for stand_off in tei.xpath("tei:standOff[@type = 'teipress-registers']", namespaces=NS):
                for entry in stand_off.xpath("*/*[@xml:id]"):
                    entries.setdefault(entry.get(XML_ID), entry)
                tei.remove(stand_off)
        if entries:
            stand_off = etree.SubElement(corpus, f"{{{TEI_NS}}}standOff", type="teipress-registers")
            by_list: dict[str, etree._Element] = {}
            for entry in entries.values():
                list_name = etree.QName(entry.getparent()).localname
                if list_name not in by_list:
                    by_list[list_name] = etree.SubElement(stand_off, f"{{{TEI_NS}}}{list_name}")
                by_list[list_name].append(deepcopy(entry))
        used = set(entries) | set(corpus[0].xpath(".//@xml:id"))
        # The edition's own text (introduction, editorial principles) comes first, then the documents.
        for tei in ([header_source] if header_source is not None else []) + exported:
            document_id = tei.get(XML_ID, "document")
            ids = [i for i in tei.xpath(".//@xml:id") if i != document_id]
            clashes = {i: f"{document_id}.{i}" for i in ids if i in used}
            if clashes:
                rename_ids(tei, clashes)
            used.update(tei.xpath(".//@xml:id"))
            corpus.append(tei)
        return corpus

    def corpus_header(self) -> etree._Element:
        title = self.edition_title()
        header = etree.fromstring(
            f'<teiHeader xmlns="{TEI_NS}"><fileDesc><titleStmt><title/></titleStmt>'
            "<publicationStmt><p>Exported by teipress.</p></publicationStmt>"
            "<sourceDesc><p>The documents of the edition.</p></sourceDesc></fileDesc></teiHeader>"
        )
        header.find(".//tei:title", NS).text = title
        return header

    # -- cmif --------------------------------------------------------------------------------

    def export_cmif(self) -> tuple[dict[str, bytes], list[str]]:
        base_url = require_base_url(self.config, "cmif")
        text = self.stylesheets.transform(
            "export/cmif.xsl",
            self.collection(),
            registers=self.registers,
            base_url=base_url,
            file_url=f"{base_url}export/{CMIF_FILE}",
            # An xml:id must not start with a digit; the UUID stays recognisable for the CMIF rules.
            source_id="cmif-" + str(uuid.uuid5(uuid.NAMESPACE_URL, base_url)),
            title=self.edition_title(),
            date=self.newest_change() or datetime.now(timezone.utc).date().isoformat(),
        )
        descriptions = etree.fromstring(xml_bytes(text)).findall(".//tei:profileDesc/tei:correspDesc", NS)
        notes = [f"{len(descriptions)} letter(s) and telegram(s) listed"]
        by_page = {f"{base_url}documents/{self.names[d]}.html": d for d in self.edition.documents}
        notes += [str(gap) for gap in (cmif_gap(by_page[d.get("ref")], d) for d in descriptions if d.get("ref") in by_page) if gap]
        unknown = self.registers_tree.xpath(
            "//tei:bibl[@type = 'letter' or @type = 'telegram'][@xml:id][not(tei:author or tei:respStmt[normalize-space(tei:resp) = 'addressee'])]/@xml:id", namespaces=NS)
        if unknown:
            notes.append(f"left out, sender and addressee unknown: {', '.join('#' + i for i in unknown)}")
        if self.edition.edition_file is None or not self.edition.edition_file.tree.xpath("//tei:titleStmt/tei:editor", namespaces=NS):
            notes.append("tei/edition.xml names no editor: CMIF requires one, add <editor> to its titleStmt")
        return {CMIF_FILE: xml_bytes(text)}, notes

    def collection(self) -> etree._Element:
        """The input of the whole-edition stylesheets: the edition's own TEI and every document."""
        collection = etree.Element(f"{{{EXPORT_NS}}}collection", nsmap={"tpe": EXPORT_NS})
        if self.edition.edition_file is not None:
            etree.SubElement(collection, f"{{{EXPORT_NS}}}edition").append(deepcopy(self.edition.edition_file.tree.getroot()))
        for document in self.edition.documents:
            holder = etree.SubElement(collection, f"{{{EXPORT_NS}}}document", id=self.names[document])
            holder.append(deepcopy(document.tree.getroot()))
        return collection

    def plain_collection(self) -> etree._Element:
        """Every document, with the comments and instructions around its root, in a wrapper without a namespace (see export/tei.xsl)."""
        collection = etree.Element("collection")
        for document in self.edition.documents:
            holder = etree.SubElement(collection, "document", id=self.names[document])
            root = document.tree.getroot()
            for node in [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]:
                copy = deepcopy(node)
                copy.tail = None
                holder.append(copy)
        return collection

    def edition_title(self) -> str:
        """The edition's title (`edition_titles`), else its folder's name."""
        return edition_titles(self.edition, self.config.title, None)[0] or self.config.root.name

    def newest_change(self) -> str | None:
        stamps = [datestamp(document) for document in self.edition.documents]
        return max(stamps) if stamps else None

    # -- dc / OAI-PMH --------------------------------------------------------------------

    def export_dc(self) -> tuple[dict[str, bytes], list[str]]:
        base_url = require_base_url(self.config, "dc")
        records: list[tuple[str, str, etree._Element]] = []
        outputs: dict[str, bytes] = {}
        for document in self.edition.documents:
            name = self.names[document]
            text = self.stylesheets.transform("export/dc.xsl", document.tree, registers=self.registers, base_url=base_url, document_id=name)
            outputs[f"oai_dc/{name}.xml"] = xml_bytes(text)
            records.append((name, datestamp(document), etree.fromstring(text.encode("utf-8"))))
        repository = OaiRepository(base_url=f"{base_url}oai/", name=self.edition_title(), identifier_prefix=f"oai:{_host(base_url)}:", records=records,
                                   admin_email=self.admin_email())
        outputs.update(repository.responses())
        notes = [f"OAI-PMH responses for {len(records)} record(s) in oai/ (datestamps from each document's revisionDesc, else the file)"]
        if repository.admin_email is None:
            notes.append("tei/edition.xml gives no e-mail address: OAI-PMH Identify wants an adminEmail (publicationStmt/address/email)")
        return outputs, notes

    def admin_email(self) -> str | None:
        edition_file = self.edition.edition_file
        if edition_file is None:
            return None
        emails = edition_file.tree.xpath("//tei:publicationStmt//tei:email/text() | //tei:titleStmt//tei:email/text()", namespaces=NS)
        return emails[0].strip() if emails else None

    # -- csv / json ----------------------------------------------------------------------

    def facts(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Every entity mention and every dated event of every document, each with its passage's URL."""
        mentions: list[dict[str, str]] = []
        events: list[dict[str, str]] = []
        for document in self.edition.documents:
            name = self.names[document]
            facts = etree.fromstring(self.stylesheets.transform("common/facts.xsl", document.tree, registers=self.registers, document_id=name).encode("utf-8"))
            page = f"{self.config.base_url}documents/{name}.html"
            for mention in facts.iterfind(f"{{{FACTS_NS}}}mention"):
                anchor = mention.get("anchor", "")
                mentions.append({
                    "document": name, "entity": mention.get("entity", ""), "kind": mention.get("kind", ""),
                    "surface": mention.get("surface", ""), "anchor": anchor, "url": f"{page}#{anchor}" if anchor else page,
                })
            for event in facts.iterfind(f"{{{FACTS_NS}}}event"):
                anchor = event.get("anchor", "")
                events.append({
                    "document": name, "iso": event.get("iso", ""), "sort": event.get("sort", ""),
                    **{name: event.get(name, "") for name in ("when", "from", "to", "notBefore", "notAfter")},
                    "surface": event.get("surface", ""), "anchor": anchor, "url": f"{page}#{anchor}" if anchor else page,
                    "context": event.text or "",
                })
        return mentions, events

    def export_csv(self) -> tuple[dict[str, bytes], list[str]]:
        mentions, events = self.facts()
        return {"mentions.csv": csv_bytes(MENTION_FIELDS, mentions), "events.csv": csv_bytes(EVENT_FIELDS, events)}, [f"{len(mentions)} mention(s), {len(events)} dated event(s)"]

    def export_json(self) -> tuple[dict[str, bytes], list[str]]:
        mentions, events = self.facts()
        data = {"edition": self.edition_title(), "mentions": mentions, "events": events}
        return {"facts.json": (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}, [f"{len(mentions)} mention(s), {len(events)} dated event(s)"]


def rename_ids(root: etree._Element, mapping: dict[str, str], *, keys: bool = False) -> None:
    """Give elements new ids and make every `#id` pointer inside `root` follow (with `keys`, a bare `@key` too)."""
    if not mapping:
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == XML_ID:
                if value in mapping:
                    element.set(XML_ID, mapping[value])
            elif keys and name == "key" and value.strip() in mapping:
                element.set(name, mapping[value.strip()])
            elif "#" in value:
                tokens = value.split()
                if any(t.startswith("#") and t[1:] in mapping for t in tokens):
                    element.set(name, " ".join(f"#{mapping[t[1:]]}" if t.startswith("#") and t[1:] in mapping else t for t in tokens))


# A cell a spreadsheet program would read as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(fields: Iterable[str], rows: list[dict[str, str]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that spreadsheets read the accents right; no cell runs as a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: spreadsheet_text(value) for name, value in row.items()} for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_text(value: str) -> str:
    """A cell that starts like a formula (`=HYPERLINK(...)`, `+1`, `-1`, `@SUM`, a tab or a carriage return) with a
    single quote before it, as the OWASP guidance on CSV injection says, so that spreadsheets show it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xml_bytes(text: str) -> bytes:
    """A serialized result with an XML declaration and a final newline."""
    text = text.lstrip("\ufeff")
    if not text.startswith("<?xml "):
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def add_xml_model(data: bytes) -> bytes:
    """Put the tei_all `<?xml-model?>` right after the XML declaration."""
    declaration, _, rest = data.partition(b"?>")
    pi = f'<?xml-model href="{TEI_ALL_URL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>'.encode()
    return declaration + b"?>\n" + pi + rest


def datestamp(document: SourceFile) -> str:
    """A document's last change: the newest `revisionDesc/change/@when` (day precision), else the file's mtime (UTC)."""
    whens = [w.strip() for w in document.tree.xpath("/*/tei:teiHeader/tei:revisionDesc//tei:change/@when", namespaces=NS)]
    days = sorted(w[:10] for w in whens if _is_iso_day(w[:10]))
    if days:
        return days[-1]
    return datetime.fromtimestamp(document.path.stat().st_mtime, timezone.utc).date().isoformat()


def _is_iso_day(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _host(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "teipress"


@dataclass
class OaiRepository:
    """A static OAI-PMH repository: the responses to Identify, ListMetadataFormats, ListIdentifiers, ListRecords and GetRecord as files."""

    base_url: str
    name: str
    identifier_prefix: str
    records: list[tuple[str, str, etree._Element]]
    admin_email: str | None = None

    def responses(self) -> dict[str, bytes]:
        outputs = {
            "oai/Identify.xml": self.response("Identify", {}, *self.identify()),
            "oai/ListMetadataFormats.xml": self.response("ListMetadataFormats", {}, self.metadata_formats()),
            "oai/ListIdentifiers.xml": self.response("ListIdentifiers", {"metadataPrefix": "oai_dc"}, *[self.header(i, d) for i, d, _ in self.records]),
            "oai/ListRecords.xml": self.response("ListRecords", {"metadataPrefix": "oai_dc"}, *[self.record(i, d, r) for i, d, r in self.records]),
        }
        for identifier, stamp, record in self.records:
            outputs[f"oai/GetRecord/{identifier}.xml"] = self.response(
                "GetRecord", {"identifier": self.identifier_prefix + identifier, "metadataPrefix": "oai_dc"}, self.record(identifier, stamp, record)
            )
        return outputs

    def response(self, verb: str, arguments: dict[str, str], *content: etree._Element) -> bytes:
        root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        # The newest datestamp, not the clock: a rebuild of unchanged sources gives identical files.
        etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = f"{self.latest}T00:00:00Z"
        request = etree.SubElement(root, f"{{{OAI_NS}}}request", verb=verb, **arguments)
        request.text = self.base_url
        holder = etree.SubElement(root, f"{{{OAI_NS}}}{verb}")
        for element in content:
            holder.append(element)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    @cached_property
    def latest(self) -> str:
        return max((d for _, d, _ in self.records), default="1970-01-01")

    def identify(self) -> list[etree._Element]:
        def element(name: str, text: str) -> etree._Element:
            node = etree.Element(f"{{{OAI_NS}}}{name}")
            node.text = text
            return node

        earliest = min((d for _, d, _ in self.records), default="1970-01-01")
        parts = [element("repositoryName", self.name), element("baseURL", self.base_url), element("protocolVersion", "2.0")]
        if self.admin_email:
            parts.append(element("adminEmail", self.admin_email))
        parts += [element("earliestDatestamp", earliest), element("deletedRecord", "no"), element("granularity", "YYYY-MM-DD")]
        return parts

    def metadata_formats(self) -> etree._Element:
        fmt = etree.Element(f"{{{OAI_NS}}}metadataFormat")
        for name, text in (("metadataPrefix", "oai_dc"), ("schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"), ("metadataNamespace", OAI_DC_NS)):
            etree.SubElement(fmt, f"{{{OAI_NS}}}{name}").text = text
        return fmt

    def header(self, identifier: str, stamp: str) -> etree._Element:
        header = etree.Element(f"{{{OAI_NS}}}header")
        etree.SubElement(header, f"{{{OAI_NS}}}identifier").text = self.identifier_prefix + identifier
        etree.SubElement(header, f"{{{OAI_NS}}}datestamp").text = stamp
        return header

    def record(self, identifier: str, stamp: str, dc: etree._Element) -> etree._Element:
        record = etree.Element(f"{{{OAI_NS}}}record")
        record.append(self.header(identifier, stamp))
        etree.SubElement(record, f"{{{OAI_NS}}}metadata").append(deepcopy(dc))
        return record
