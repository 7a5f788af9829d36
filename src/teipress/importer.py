"""Imports: TEI from other archives into the edition's conventions, and plain transcriptions into TEI skeletons.

Nothing is written until the whole result was made; an existing file is replaced only with `force`.
"""

from __future__ import annotations

import calendar
import os
import re
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date as Date, datetime, timezone
from pathlib import Path

from lxml import etree

from .config import Config
from .edition import load_edition, merged_registers
from .entities import NAME_ELEMENT, NameMatcher, normalise_name
from .errors import ConfigError, InputError
from .export import refuse_overwrite, rename_ids
from .problems import Problem, Severity, display_path
from .validate import _lxml_tei_all, validate_paths
from .xmlio import NS, TEI_NS, XML_ID, XMLInputError, parse_file, write_atomic, xml_encoding

T = f"{{{TEI_NS}}}"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"
REGISTER_FILES = {"person": "persons.xml", "place": "places.xml", "org": "organizations.xml", "bibl": "bibliography.xml"}
REGISTER_LIST = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "bibl": "listBibl"}
REGISTER_TITLE = {"person": "Persons", "place": "Places", "org": "Organisations", "bibl": "Cited documents"}
ENTRY_KIND = {"person": "person", "personGrp": "person", "place": "place", "org": "org", "bibl": "bibl", "biblStruct": "bibl"}
MERGE_POLICIES = ("rename", "existing", "ask")


@dataclass
class ImportResult:
    """What an import wrote and what it could not do: the editor reads `problems` and `notes`."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Per imported file: element name -> how many problems our schema reports for it.
    schema_summary: dict[str, Counter[str]] = field(default_factory=dict)
    tagged: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def xml_model_pis(schema: Path, target_dir: Path) -> list[etree._Element]:
    """The two `<?xml-model?>` instructions of an edition file, pointing at the schema by a relative path."""
    href = Path(os.path.relpath(schema, target_dir)).as_posix()
    return [
        etree.ProcessingInstruction("xml-model", f'href="{href}" type="application/xml" schematypens="{RNG_NS}"'),
        etree.ProcessingInstruction("xml-model", f'href="{href}" type="application/xml" schematypens="{SCHEMATRON_NS}"'),
    ]


def serialise(root: etree._Element, pis: list[etree._Element]) -> bytes:
    """The document with `pis` first, then the comments and instructions around its root (old `xml-model` ones left out)."""
    before = [node for node in reversed(list(root.itersiblings(preceding=True))) if not _is_xml_model(node)]
    after = [node for node in root.itersiblings() if not _is_xml_model(node)]
    parts = [_node_text(node) for node in [*pis, *before]] + [etree.tostring(root, encoding="unicode", with_tail=False)] + [_node_text(node) for node in after]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(parts) + "\n").encode("utf-8")


def _is_xml_model(node: etree._Element) -> bool:
    return isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model"


def _node_text(node: etree._Element) -> str:
    return etree.tostring(node, encoding="unicode", with_tail=False)


def schema_file(config: Config) -> Path:
    """The edition's own schema (`teipress init` writes it): a path into teipress's installation would break when either moves."""
    return config.root / "schema" / "teipress.rng"


def edition_registers(config: Config) -> etree._Element | None:
    """The merged registers of the configured edition, or None when it has no source folder yet."""
    if not config.source.is_dir():
        return None
    edition = load_edition(config.source)
    return merged_registers(edition)


def element_at(path: Path, tree: etree._ElementTree, line: int, column: int) -> str:
    """The name of the element a problem at (line, column) names: the last one starting on that line at or before the column."""
    from .xmlio import element_column, source_lines

    lines = source_lines(path)
    best = None
    for element in tree.getroot().iter():
        if isinstance(element.tag, str) and element.sourceline == line:
            if best is None or element_column(element, lines) <= column:
                best = element
    return etree.QName(best).localname if best is not None else "(document)"


# ---------------------------------------------------------------------------------------------
# import text


# Month names and their common abbreviations, per language of the text (`--language`).
MONTH_NAMES: dict[str, dict[str, int]] = {
    "en": {name: number for number, name in enumerate(calendar.month_name) if name},
    "de": {
        "Januar": 1, "Jänner": 1, "Jan.": 1, "Februar": 2, "Feber": 2, "Febr.": 2, "Feb.": 2, "März": 3, "Maerz": 3, "Mrz.": 3,
        "April": 4, "Apr.": 4, "Mai": 5, "Juni": 6, "Jun.": 6, "Juli": 7, "Jul.": 7, "August": 8, "Aug.": 8,
        "September": 9, "Sept.": 9, "Sep.": 9, "Oktober": 10, "October": 10, "Okt.": 10, "Oct.": 10,
        "November": 11, "Nov.": 11, "Dezember": 12, "December": 12, "Dez.": 12, "Dec.": 12,
    },
    "fr": {
        spelling: number
        for name, number in {
            "janvier": 1, "janv.": 1, "février": 2, "févr.": 2, "fév.": 2, "mars": 3, "avril": 4, "avr.": 4, "mai": 5, "juin": 6,
            "juillet": 7, "juil.": 7, "août": 8, "septembre": 9, "sept.": 9, "octobre": 10, "oct.": 10, "novembre": 11, "nov.": 11,
            "décembre": 12, "déc.": 12,
        }.items()
        for spelling in (name, name.capitalize())
    },
}
MONTHS = {name: number for names in MONTH_NAMES.values() for name, number in names.items()}


def month_pattern(names: dict[str, int]) -> str:
    # The longest spelling first; an abbreviation's dot is part of it, so the name ends where no letter follows.
    return "(?P<month>" + "|".join(re.escape(name) for name in sorted(names, key=lambda n: (-len(n), n))) + r")(?!\w)"


YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
EN_MONTH, DE_MONTH, FR_MONTH = (month_pattern(MONTH_NAMES[language]) for language in ("en", "de", "fr"))
EN_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
DE_DAY = r"(?<![\w.])(?P<day>[0-3]?\d)\.\s*"  # "2. April", "2.April"
FR_DAY = r"(?<![\w.])(?P<day>1er|[0-3]?\d)\s+"  # "3 mars", "1er mai"
# Per language, the longest reading of a date first; `date_spans` tries them in this order.
DATE_PATTERNS_BY_LANGUAGE: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "en": [
        ("half", re.compile(rf"\bthe (?P<half>first|second) half of {EN_MONTH}(?:,? {YEAR})?\b")),
        ("month-day-year", re.compile(rf"\b{EN_MONTH} {EN_DAY},? {YEAR}\b")),
        ("day-month-year", re.compile(rf"\b{EN_DAY} {EN_MONTH},? {YEAR}\b")),
        ("month-year", re.compile(rf"\b{EN_MONTH},? {YEAR}\b")),
        ("month-day", re.compile(rf"\b{EN_MONTH} {EN_DAY}\b(?![.,]?\d)")),
    ],
    "de": [
        ("day-month-year", re.compile(rf"{DE_DAY}{DE_MONTH},?\s+{YEAR}\b")),
        ("month-year", re.compile(rf"\b{DE_MONTH},?\s+{YEAR}\b")),
        ("day-month", re.compile(rf"{DE_DAY}{DE_MONTH}(?!\s*\d)")),
    ],
    "fr": [
        ("day-month-year", re.compile(rf"{FR_DAY}{FR_MONTH}\s+{YEAR}\b")),
        ("month-year", re.compile(rf"\b{FR_MONTH}\s+{YEAR}\b")),
        ("day-month", re.compile(rf"{FR_DAY}{FR_MONTH}(?!\s*\d)")),
    ],
}
YEAR_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("year-range", re.compile(r"(?<![\d.,/-])(?P<year>1[5-9]\d\d|20\d\d)[-–](?P<end>1[5-9]\d\d|20\d\d|\d\d)(?![\d.,]\d)")),
    ("year", re.compile(r"(?<![\d.,/-])(?P<year>1[5-9]\d\d|20\d\d)(?![\d]|[.,/-]\d|[-–])")),
]


def date_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    """The patterns for the text's language (`de-CH` is German); for a language without month names here, every language's."""
    primary = language.split("-")[0].lower()
    chosen = [primary] if primary in DATE_PATTERNS_BY_LANGUAGE else list(DATE_PATTERNS_BY_LANGUAGE)
    patterns = [pattern for name in chosen for pattern in DATE_PATTERNS_BY_LANGUAGE[name]]
    # Every full date before any month with a year, before any day without one: the longest reading wins.
    order = ("half", "month-day-year", "day-month-year", "month-year", "month-day", "day-month")
    return sorted(patterns, key=lambda item: order.index(item[0])) + YEAR_PATTERNS


CITATION = re.compile(r"\[Document (?P<number>\d+)\]")


@dataclass(frozen=True)
class Span:
    """A piece of text to tag: its place, the element and attributes it becomes."""

    start: int
    end: int
    element: str
    attributes: tuple[tuple[str, str], ...]


def date_spans(text: str, year: int | None, language: str = "en") -> tuple[list[Span], int | None]:
    """Every prose date in `text` with its ISO value; a day without a year takes the last year seen before it."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in date_patterns(language):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            # A month name alone is often a word ("May"): only with a day, year or "half of".
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), kind, match))
    spans = []
    for start, end, kind, match in sorted(found, key=lambda item: item[0]):
        attributes, year = date_attributes(kind, match, year)
        if attributes:
            spans.append(Span(start, end, "date", attributes))
    return spans, year


def date_attributes(kind: str, match: re.Match[str], context_year: int | None) -> tuple[tuple[tuple[str, str], ...], int | None]:
    """The ISO attributes of one matched date (none when it is not a real calendar date or has no year)."""
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else context_year
    if year is None:
        return (), context_year
    month = MONTHS.get(groups.get("month") or "", 0)
    if kind == "year":
        return (("when", f"{year:04d}"),), year
    if kind == "year-range":
        end = groups["end"]
        end_year = int(end) if len(end) == 4 else int(str(year)[:2] + end)
        if end_year <= year:
            return (), context_year
        return (("from", f"{year:04d}"), ("to", f"{end_year:04d}")), end_year
    if kind == "month-year":
        return (("when", f"{year:04d}-{month:02d}"),), year
    if kind == "half":
        last = calendar.monthrange(year, month)[1]
        first_day, last_day = (1, 15) if groups["half"] == "first" else (16, last)
        return (("from", f"{year:04d}-{month:02d}-{first_day:02d}"), ("to", f"{year:04d}-{month:02d}-{last_day:02d}")), year
    day = int(groups["day"].removesuffix("er"))
    try:
        Date(year, month, day)
    except ValueError:
        return (), context_year
    return (("when", f"{year:04d}-{month:02d}-{day:02d}"),), (year if groups.get("year") else context_year)


def name_spans(text: str, matcher: NameMatcher | None, taken: list[Span]) -> list[Span]:
    if matcher is None:
        return []
    spans = []
    for match in matcher.find(text):
        if any(match.start < span.end and span.start < match.end for span in taken):
            continue
        spans.append(Span(match.start, match.end, NAME_ELEMENT[match.kind], (("ref", f"#{match.entity}"),)))
    return spans


def citation_spans(text: str, citations: dict[str, str]) -> tuple[list[Span], list[str]]:
    """`[Document N]` as a `<ref>` to the bibliography's entry number N; unknown numbers are left as text and reported."""
    spans, missing = [], []
    for match in CITATION.finditer(text):
        target = citations.get(match.group("number"))
        if target is None:
            missing.append(match.group(0))
            continue
        spans.append(Span(match.start(), match.end(), "ref", (("target", f"#{target}"),)))
    return spans, missing


def tagged_paragraph(text: str, spans: list[Span]) -> etree._Element:
    """A `<p>` holding `text` with each span wrapped in its element; the characters stay exactly as read."""
    paragraph = etree.Element(f"{T}p")
    position = 0
    last: etree._Element | None = None
    for span in sorted(spans, key=lambda s: s.start):
        before = text[position : span.start]
        if last is None:
            paragraph.text = (paragraph.text or "") + before
        else:
            last.tail = (last.tail or "") + before
        last = etree.SubElement(paragraph, f"{T}{span.element}", dict(span.attributes))
        last.text = text[span.start : span.end]
        position = span.end
    rest = text[position:]
    if last is None:
        paragraph.text = (paragraph.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest
    return paragraph


def read_transcription(file: Path) -> str:
    """The text of a plain transcription: UTF-8 (a BOM is allowed), line ends made `\\n`; anything else is a clear error."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{display_path(file)}:1:1: cannot read the file: {error.strerror}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            f"{display_path(file)}:{line}:{column}: the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
            "save it as UTF-8 and import it again"
        ) from error
    if "\x00" in text:
        raise InputError(f"{display_path(file)}:1:1: the file holds NUL characters: it is not a plain-text transcription")
    bad = NOT_XML_CHARACTER.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"{display_path(file)}:{line}:{bad.start() - text.rfind(chr(10), 0, bad.start())}: control character U+{ord(bad.group()):04X} cannot be stored in XML")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Characters XML 1.0 cannot hold (tab, line feed and carriage return are allowed).
NOT_XML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_options(options: dict[str, str | None]) -> None:
    """Every option that becomes text of the document must be storable in XML: one clear usage error naming the option."""
    for option, value in options.items():
        bad = NOT_XML_CHARACTER.search(value or "")
        if bad:
            raise ConfigError(f"{option} holds the control character U+{ord(bad.group()):04X} (at character {bad.start() + 1}), which XML cannot store; remove it")


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; lines inside one paragraph stay joined by their line break."""
    return [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not value or not value[0].isalpha():
        value = "document-" + value if value else "document"
    return value


def import_text(
    file: Path,
    out: Path,
    *,
    title: str | None = None,
    date: str | None = None,
    author: str | None = None,
    addressee: str | None = None,
    source: str | None = None,
    text_type: str | None = None,
    language: str = "en",
    document_id: str | None = None,
    config: Config | None = None,
    force: bool = False,
) -> ImportResult:
    """Turn a plain-text transcription into a TEI skeleton: header from the options, paragraphs, dates, names, citations.

    Example: `import_text(Path("seed.txt"), Path("tei/telegram.xml"), title="Telegram ...", date="1967-05-01")`.
    """
    check_options({"--title": title, "--date": date, "--author": author, "--addressee": addressee, "--source": source,
                   "--type": text_type, "--language": language, "--id": document_id})
    out = out.resolve()
    refuse_overwrite([out], force)
    text = read_transcription(file)
    paragraphs = paragraphs_of(text)
    if not paragraphs:
        raise InputError(f"{display_path(file)}:1:1: the file holds no text")
    if date is not None and not valid_iso_date(date):
        raise ConfigError(f"--date must be an ISO date (1967-05-01, 1976-08 or 1976), not {date!r}")
    registers = edition_registers(config) if config is not None else None
    matcher = NameMatcher.from_registers(registers) if registers is not None else None
    citations = citation_targets(registers)
    result = ImportResult()
    if not title:
        title = " ".join(paragraphs[0].split())
        result.notes.append(f"no --title given: the title is the first line, {title!r}; correct it in the header")
    year = int(date[:4]) if date else None

    root = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, document_id or slug(out.stem))
    correspondents: tuple[Correspondent, Correspondent] | None = None
    if text_type in CORRESPONDENCE_TYPES and author and addressee and date:
        correspondents = (correspondent(author, "--author", "sender", matcher), correspondent(addressee, "--addressee", "addressee", matcher))
        result.notes += [c.note for c in correspondents if c.note]
    elif text_type in CORRESPONDENCE_TYPES:
        result.notes.append("no correspDesc written: a letter or telegram needs --author (the sender), --addressee and --date; add it in the header")
    header = text_header(file, title=title, date=date, author=author, correspondents=correspondents, source=source, language=language, text_type=text_type, config=config)
    root.text = "\n  "
    etree.indent(header, space="  ", level=1)
    header.tail = "\n  "
    root.append(header)
    text_element = etree.SubElement(root, f"{T}text")
    text_element.tail = "\n"
    if text_type:
        text_element.set("type", text_type)
    body = etree.SubElement(text_element, f"{T}body")
    body.text = "\n"
    missing: list[str] = []
    for paragraph_text in paragraphs:
        spans, year = date_spans(paragraph_text, year, language)
        citation, unknown = citation_spans(paragraph_text, citations)
        missing += unknown
        spans = spans + [s for s in citation if not any(s.start < t.end and t.start < s.end for t in spans)]
        spans += name_spans(paragraph_text, matcher, spans)
        for span in spans:
            result.tagged[span.element] += 1
        paragraph = tagged_paragraph(paragraph_text, spans)
        paragraph.tail = "\n"  # one paragraph a line: the editor reviews the file by hand
        body.append(paragraph)
    if missing:
        result.notes.append(f"{len(missing)} citation(s) left as text because the bibliography has no entry with that number: {', '.join(sorted(set(missing)))}")
    if matcher is None:
        result.notes.append("no registers found (tei/registers/): names were not tagged")
    pis = xml_model_pis(schema_file(config) if config else Path("schema/teipress.rng").resolve(), out.parent)
    write_atomic(out, serialise(root, pis))
    result.written.append(out)
    if config is not None:
        result.problems = list(validate_paths([out], config).problems)
    return result


def valid_iso_date(value: str) -> bool:
    for pattern in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            datetime.strptime(value, pattern)
            return len(value) == {"%Y-%m-%d": 10, "%Y-%m": 7, "%Y": 4}[pattern]
        except ValueError:
            continue
    return False


def citation_targets(registers: etree._Element | None) -> dict[str, str]:
    """Bibliography entry number (`bibl/@n`) -> its id."""
    if registers is None:
        return {}
    return {entry.get("n"): entry.get(XML_ID) for entry in registers.iterfind(f"{T}bibl") if entry.get("n") and entry.get(XML_ID)}


CORRESPONDENCE_TYPES = ("letter", "telegram")


@dataclass(frozen=True)
class Correspondent:
    """A sender or addressee named on the command line: the element it becomes, its register entry if known, what to tell the editor."""

    name: str
    element: str
    ref: str | None
    note: str | None


def correspondent(name: str, option: str, role: str, matcher: NameMatcher | None) -> Correspondent:
    """The register entry whose name or variant `name` is; none is ever guessed (an unknown or shared name gets no @ref)."""
    key = normalise_name(name)
    if matcher is not None and key in matcher.names:
        entity, kind = matcher.names[key]
        return Correspondent(name, NAME_ELEMENT[kind], f"#{entity}", None)
    if matcher is None:
        why = "could not be looked up (no registers found)"
    elif key in matcher.ambiguous:
        why = "is the name of more than one register entry"
    else:
        why = "is not a name in the registers"
    return Correspondent(name, "persName", None, f"{option} {name!r} {why}: the {role} is written without @ref; add it when the register has the entry")


def text_header(file: Path, *, title: str, date: str | None, author: str | None, correspondents: tuple[Correspondent, Correspondent] | None,
                source: str | None, language: str, text_type: str | None, config: Config | None) -> etree._Element:
    """A header that says what is known from the options and where the text came from; the editor completes it."""
    header = etree.Element(f"{T}teiHeader")
    file_desc = etree.SubElement(header, f"{T}fileDesc")
    title_stmt = etree.SubElement(file_desc, f"{T}titleStmt")
    etree.SubElement(title_stmt, f"{T}title").text = title
    if author:
        etree.SubElement(title_stmt, f"{T}author").text = author
    publication = etree.SubElement(file_desc, f"{T}publicationStmt")
    publisher = edition_publisher(config)
    if publisher:
        etree.SubElement(publication, f"{T}publisher").text = publisher
    else:
        etree.SubElement(publication, f"{T}p").text = "Not yet published: imported from a plain-text transcription."
    source_desc = etree.SubElement(file_desc, f"{T}sourceDesc")
    bibl = etree.SubElement(source_desc, f"{T}bibl")
    bibl.text = source or f"Plain-text transcription {file.name}"
    if date:
        bibl.text += ", "
        etree.SubElement(bibl, f"{T}date", when=date).text = date
    profile = etree.SubElement(header, f"{T}profileDesc")
    usage = etree.SubElement(profile, f"{T}langUsage")
    etree.SubElement(usage, f"{T}language", ident=language)
    if correspondents is not None and date:
        # Only a complete correspDesc: the schema requires sender, addressee and date of every one.
        sender, addressee = correspondents
        correspondence = etree.SubElement(profile, f"{T}correspDesc")
        sent = etree.SubElement(correspondence, f"{T}correspAction", type="sent")
        correspondent_element(sent, sender)
        etree.SubElement(sent, f"{T}date", when=date).text = date
        received = etree.SubElement(correspondence, f"{T}correspAction", type="received")
        correspondent_element(received, addressee)
    revision = etree.SubElement(header, f"{T}revisionDesc")
    change = etree.SubElement(revision, f"{T}change", when=datetime.now(timezone.utc).date().isoformat())
    change.text = f"Imported from the plain-text transcription {file.name} by teipress; to be reviewed by the editor."
    return header


def correspondent_element(action: etree._Element, person: Correspondent) -> None:
    element = etree.SubElement(action, f"{T}{person.element}", {"ref": person.ref} if person.ref else {})
    element.text = person.name


def edition_publisher(config: Config | None) -> str | None:
    if config is None:
        return None
    edition_file = config.source / "edition.xml"
    if not edition_file.is_file():
        return None
    try:
        tree = parse_file(edition_file)
    except XMLInputError:
        return None
    publisher = tree.findtext("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:publisher", namespaces=NS)
    return " ".join(publisher.split()) if publisher and publisher.strip() else None


# ---------------------------------------------------------------------------------------------
# import tei


@dataclass(frozen=True)
class RegisterConflict:
    """An imported entry whose id an existing, different entry already has."""

    entry_id: str
    imported: str
    existing: str


Resolver = Callable[[RegisterConflict], str]


def import_tei(
    files: list[Path],
    out_dir: Path,
    config: Config,
    *,
    merge_registers: str | None = None,
    force: bool = False,
    tei_all: etree.RelaxNG | Path | None = None,
    resolve_conflict: Resolver | None = None,
    fix: bool = False,
) -> ImportResult:
    """Bring TEI files from another archive into the edition's conventions in `out_dir` (documents, and `registers/` with `merge_registers`).

    `merge_registers` moves the files' embedded entries (standOff, listPerson ...) into the registers
    of `out_dir` (reading the edition's existing ones): entries with the same authority URI or the
    same content are merged; an id taken by a different entry is renamed ("rename"), taken as the
    existing entry ("existing"), or decided by `resolve_conflict` ("ask"). With `fix`, elements our
    schema lacks are mapped to their TEI equivalent where that is safe (`FIXES`); without it, a note
    says what `fix` would map. Every written document is then validated: `problems` says what the
    edition's schema still refuses, at its place in the written file.
    Example: `import_tei([Path("L00001.xml")], Path("tei"), load_config(), merge_registers="rename")`.
    """
    if merge_registers is not None and merge_registers not in MERGE_POLICIES:
        raise ConfigError(f"--merge-registers must be one of {', '.join(MERGE_POLICIES)}, not {merge_registers!r}")
    if merge_registers == "ask" and resolve_conflict is None:
        raise ConfigError("--merge-registers ask needs a terminal to ask in; use rename or existing when running unattended")
    out_dir = out_dir.resolve()
    result = ImportResult()
    trees = [(file, read_foreign_tei(file)) for file in files]
    check_ids(trees)
    for file, tree in trees:
        encoding, _codec = xml_encoding(file.read_bytes())
        if encoding.replace("-", "").upper() != "UTF8":
            result.notes.append(f"{display_path(file)}: converted from {encoding} to UTF-8, the encoding of the edition's files")
    tei_all = load_tei_all(tei_all if tei_all is not None else config.tei_all)
    if tei_all is not None:
        for file, tree in trees:
            if not tei_all.validate(tree):  # type: ignore[attr-defined]
                for error in tei_all.error_log:  # type: ignore[attr-defined]
                    result.problems.append(Problem(display_path(file), error.line, max(error.column, 0) + 1, Severity.WARNING, f"not valid TEI (tei_all): {error.message}", "tei-all"))
    else:
        result.notes.append("tei_all was not checked: give --tei-all-schema or set tei_all in teipress.toml")

    registers = Registers.load(out_dir / "registers", config.source / "registers")
    outputs: dict[Path, bytes] = {}
    used_ids: set[str] = set()
    for file, tree in trees:
        root = tree.getroot()
        given = root.get(XML_ID) or ""
        # Our documents' ids are lowercase words joined by hyphens (docs/ENCODING.md).
        document_id = unique_id(given if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", given) else slug(given or file.stem), used_ids)
        used_ids.add(document_id)
        target = out_dir / f"{document_id}.xml"
        if root.get(XML_ID) != document_id:
            result.notes.append(f"{display_path(file)}: the document's id is now {document_id!r}" + (f" (was {given!r})" if given else " (from its file name)"))
            root.set(XML_ID, document_id)
        if merge_registers is not None:
            mapping = registers.absorb(root, file, merge_registers, resolve_conflict, result)
            rename_ids(root, mapping, keys=True)
        mapped = apply_fixes(root if fix else deepcopy(root))
        if mapped:
            result.notes.append(f"{display_path(target)}: " + ("mapped " if fix else "--fix would map ") + describe_fixes(mapped))
        outputs[target] = serialise(root, xml_model_pis(schema_file(config), out_dir))
    outputs.update(registers.changed_files(schema_file(config)))
    # A register file that would stay byte for byte the same is no overwrite; one that changes is.
    unchanged = {path for path, data in outputs.items() if path.parent != out_dir and path.is_file() and path.read_bytes() == data}
    refuse_overwrite([path for path in outputs if path not in unchanged], force)
    for path, data in outputs.items():
        write_atomic(path, data)
        result.written.append(path)
    documents = [p for p in result.written if p.parent == out_dir]
    result.problems += summarise_schema(documents, config, result)
    return result


def load_tei_all(schema: etree.RelaxNG | Path | None) -> etree.RelaxNG | None:
    """tei_all as given (already loaded), or loaded from its path (~10 s, once per process), or None when there is none."""
    if schema is None or isinstance(schema, etree.RelaxNG):
        return schema
    if not schema.is_file():
        raise ConfigError(f"tei_all schema {display_path(schema)} does not exist (see `tei_all` in teipress.toml)")
    return _lxml_tei_all(schema)


def read_foreign_tei(file: Path) -> etree._ElementTree:
    """A TEI file from elsewhere, parsed safely; not TEI at all is an error in the user's terms."""
    tree = parse_file(file)
    root = tree.getroot()
    if root.tag not in (f"{T}TEI", f"{T}teiCorpus"):
        name = etree.QName(root)
        raise InputError(
            f"{display_path(file)}:{root.sourceline or 1}:1: not a TEI document: the root element is <{name.localname}>"
            + (f" in the namespace {name.namespace}" if name.namespace else " without a namespace")
            + f", not <TEI> in {TEI_NS}"
        )
    return tree


def check_ids(trees: list[tuple[Path, etree._ElementTree]]) -> None:
    """Two elements of one file with the same xml:id cannot be imported: pointers to them would be ambiguous."""
    messages = []
    for file, tree in trees:
        seen: dict[str, int] = {}
        for element in tree.getroot().iter():
            if not isinstance(element.tag, str):
                continue
            value = element.get(XML_ID)
            if value is None:
                continue
            if value in seen:
                messages.append(f"{display_path(file)}:{element.sourceline or 1}:1: the xml:id {value!r} is used twice (first on line {seen[value]}): make the ids unique, then import again")
            else:
                seen[value] = element.sourceline or 1
    if messages:
        raise InputError("\n".join(messages))


def unique_id(candidate: str, used: set[str]) -> str:
    value, number = candidate, 2
    while value in used:
        value, number = f"{candidate}-{number}", number + 1
    return value


def authority_uris(entry: etree._Element) -> set[str]:
    """An entry's authority identifiers as full URIs (idno, @ref, @sameAs)."""
    uris = {" ".join((idno.text or "").split()) for idno in entry.iterfind(f"{T}idno")}
    for attribute in ("ref", "sameAs", "corresp"):
        uris |= set(entry.get(attribute, "").split())
    return {uri.rstrip("/") for uri in uris if re.match(r"^https?://\S+$", uri)}


def canonical(entry: etree._Element) -> bytes:
    copy = deepcopy(entry)
    copy.tail = None
    for element in copy.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("{https://teipress.org/ns/registers}source", None)
            if element.text is not None and not element.text.strip() and len(element):
                element.text = None
            if element.tail is not None and not element.tail.strip():
                element.tail = None
    return etree.tostring(copy, method="c14n2", strip_text=True)


@dataclass
class Registers:
    """The register files an import writes to: `out_dir/registers/`, starting from what exists there or in the edition."""

    directory: Path
    trees: dict[str, etree._ElementTree] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    by_id: dict[str, etree._Element] = field(default_factory=dict)
    by_uri: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path, fallback: Path) -> Registers:
        registers = cls(directory=directory)
        for kind, name in REGISTER_FILES.items():
            for folder in (directory, fallback):
                path = folder / name
                if path.is_file():
                    registers.trees[kind] = parse_file(path)
                    break
        for tree in registers.trees.values():
            for entry in tree.getroot().xpath("//tei:person[@xml:id] | //tei:personGrp[@xml:id] | //tei:place[@xml:id] | //tei:org[@xml:id] | //tei:bibl[@xml:id] | //tei:biblStruct[@xml:id]", namespaces=NS):
                registers.index(entry)
        return registers

    def index(self, entry: etree._Element) -> None:
        self.by_id.setdefault(entry.get(XML_ID), entry)
        for uri in authority_uris(entry):
            self.by_uri.setdefault(uri, entry)

    def absorb(self, root: etree._Element, file: Path, policy: str, resolve: Resolver | None, result: ImportResult) -> dict[str, str]:
        """Move the document's embedded entries into the registers; the id changes pointers must follow."""
        mapping: dict[str, str] = {}
        moved = Counter()
        for entry in embedded_entries(root):
            kind = ENTRY_KIND[etree.QName(entry).localname]
            entry_id = entry.get(XML_ID)
            same = next((self.by_uri[uri] for uri in sorted(authority_uris(entry)) if uri in self.by_uri), None)
            existing = self.by_id.get(entry_id)
            if same is None and existing is not None and canonical(existing) == canonical(entry):
                same = existing
            if same is not None:
                if same.get(XML_ID) != entry_id:
                    mapping[entry_id] = same.get(XML_ID)
                    result.notes.append(f"{display_path(file)}:{entry.sourceline or 1}: #{entry_id} is the register's #{same.get(XML_ID)} (same authority URI): merged")
                detach(entry)
                continue
            if existing is not None:
                decision = policy if policy != "ask" else resolve(RegisterConflict(entry_id, summary(entry), summary(existing)))  # type: ignore[misc]
                if decision == "existing":
                    result.notes.append(f"{display_path(file)}:{entry.sourceline or 1}: #{entry_id} taken as the register's existing entry")
                    detach(entry)
                    continue
                new_id = unique_id(entry_id, set(self.by_id))
                mapping[entry_id] = new_id
                entry.set(XML_ID, new_id)
                result.notes.append(f"{display_path(file)}:{entry.sourceline or 1}: #{entry_id} is another entry's id in the register: renamed #{new_id}")
            detach(entry)
            self.list_for(kind).append(entry)
            self.changed.add(kind)
            self.index(entry)
            moved[kind] += 1
        remove_empty_lists(root)
        if moved:
            result.notes.append(f"{display_path(file)}: moved " + ", ".join(f"{n} {k} entr{'y' if n == 1 else 'ies'}" for k, n in sorted(moved.items())) + " into the registers")
        return mapping

    def list_for(self, kind: str) -> etree._Element:
        tree = self.trees.get(kind)
        if tree is None:
            tree = etree.ElementTree(new_register(kind))
            self.trees[kind] = tree
        found = tree.getroot().find(f"{T}text/{T}body/{T}{REGISTER_LIST[kind]}")
        if found is None:
            found = etree.SubElement(tree.getroot().find(f"{T}text/{T}body"), f"{T}{REGISTER_LIST[kind]}")
        return found

    def changed_files(self, schema: Path) -> dict[Path, bytes]:
        outputs = {}
        for kind in sorted(self.changed):
            root = self.trees[kind].getroot()
            for entry in root.iter(f"{T}{REGISTER_LIST[kind]}"):
                etree.indent(entry, space="  ", level=3)
            outputs[self.directory / REGISTER_FILES[kind]] = serialise(root, xml_model_pis(schema, self.directory))
        return outputs


def embedded_entries(root: etree._Element) -> list[etree._Element]:
    """Entries a foreign file keeps inside: in standOff, back, or header lists (not in the reading text)."""
    xpath = " | ".join(
        f"//tei:{name}[@xml:id][ancestor::tei:standOff or ancestor::tei:back or ancestor::tei:particDesc or ancestor::tei:settingDesc"
        " or ancestor::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl][parent::tei:sourceDesc]]"
        for name in ENTRY_KIND
    )
    entries = root.xpath(xpath, namespaces=NS)
    # Only the outermost: a person's nested places travel with the person.
    outermost = [e for e in entries if not any(a in entries for a in e.iterancestors())]
    # A list that also holds other things (listRelation ...) would be left invalid without its entries: it stays whole.
    return [e for e in outermost if not any(isinstance(sibling.tag, str) and etree.QName(sibling).localname not in LIST_CONTENT for sibling in e.getparent())]


# What a list of entries may hold besides the entries that move: nothing else is left behind.
LIST_CONTENT = set(ENTRY_KIND) | {"head", "desc", "listPerson", "listPlace", "listOrg", "listBibl"}


def detach(entry: etree._Element) -> None:
    parent = entry.getparent()
    if parent is None:
        return
    previous = entry.getprevious()
    tail = entry.tail
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(entry)
    entry.tail = None


def remove_empty_lists(root: etree._Element) -> None:
    """A list (and a standOff, back) left with nothing but whitespace after its entries moved out goes too."""
    changed = True
    while changed:
        changed = False
        for element in root.xpath("//tei:standOff | //tei:listPerson | //tei:listPlace | //tei:listOrg | //tei:listBibl | //tei:particDesc | //tei:settingDesc", namespaces=NS):
            if len(element) == 0 and not (element.text or "").strip():
                detach(element)
                changed = True


def summary(entry: etree._Element) -> str:
    return " ".join(" ".join(entry.itertext()).split())[:160]


def new_register(kind: str) -> etree._Element:
    return etree.fromstring(
        f'<TEI xmlns="{TEI_NS}" xml:id="{REGISTER_FILES[kind][:-4]}"><teiHeader><fileDesc><titleStmt><title>{REGISTER_TITLE[kind]}</title></titleStmt>'
        "<publicationStmt><p>Register of the edition.</p></publicationStmt><sourceDesc><p>Compiled from the documents of the edition.</p></sourceDesc>"
        f"</fileDesc></teiHeader><text><body><{REGISTER_LIST[kind]}/></body></text></TEI>"
    )


# --- --fix: what other projects encode with elements our schema lacks, where TEI itself names the equivalent ---


def fix_anonymous_block(element: etree._Element) -> bool:
    """`<ab>` (an anonymous block, e.g. a verse text's section) is a paragraph: `<p>`, same attributes and content."""
    element.tag = f"{T}p"
    return True


def fix_change_list(element: etree._Element) -> bool:
    """`<revisionDesc><listChange><change>…`: the changes directly in `revisionDesc`, in the same order."""
    parent = element.getparent()
    if parent is None or parent.tag != f"{T}revisionDesc" or element.attrib or (element.text or "").strip() \
            or any(isinstance(c.tag, str) and c.tag != f"{T}change" or (c.tail or "").strip() for c in element):
        return False
    index = parent.index(element)
    parent[index:index + 1] = list(element)
    return True


NAME_AGENTS = (f"{T}persName", f"{T}orgName", f"{T}name")


def fix_responsibility(element: etree._Element) -> bool:
    """`<funder>`, `<sponsor>`, `<principal>` in a `titleStmt` are TEI's named kinds of `<respStmt>`: one, the kind as its `<resp>`.

    Only a name (as text or `persName`, `orgName`, `name`) moves; one with an address or other details is left to the editor.
    """
    if element.getparent() is None or element.getparent().tag != f"{T}titleStmt" or element.attrib:
        return False
    children = [c for c in element if isinstance(c.tag, str)]
    if any(c.tag not in NAME_AGENTS for c in children) or any(not isinstance(c.tag, str) for c in element) \
            or (children and ((element.text or "").strip() or any((c.tail or "").strip() for c in children))) or not (children or (element.text or "").strip()):
        return False
    kind = etree.QName(element).localname
    text, tail = element.text, element.tail
    element.clear()
    element.tag, element.text, element.tail = f"{T}respStmt", None, tail
    etree.SubElement(element, f"{T}resp").text = kind
    if children:
        element.extend(children)
    else:
        etree.SubElement(element, f"{T}name").text = text
    return True


# element -> (what --fix makes of it, as the README lists it; the rule, which returns False where it does not apply safely)
FIXES: dict[str, tuple[str, Callable[[etree._Element], bool]]] = {
    "ab": ("<p>", fix_anonymous_block),
    "listChange": ("its <change>s directly in <revisionDesc>", fix_change_list),
    "funder": ("<respStmt><resp>funder</resp> with the name", fix_responsibility),
    "sponsor": ("<respStmt><resp>sponsor</resp> with the name", fix_responsibility),
    "principal": ("<respStmt><resp>principal</resp> with the name", fix_responsibility),
}


def apply_fixes(root: etree._Element) -> Counter[str]:
    """Map every element `FIXES` knows, where it applies safely; how many of each were mapped. Text and ids are kept."""
    mapped: Counter[str] = Counter()
    for name, (_, fix) in FIXES.items():
        for element in list(root.iter(f"{T}{name}")):
            if fix(element):
                mapped[name] += 1
    return mapped


def describe_fixes(mapped: Counter[str]) -> str:
    return ", ".join(f"<{name}> {count} → {FIXES[name][0]}" for name, count in sorted(mapped.items()))


def summarise_schema(paths: list[Path], config: Config, result: ImportResult) -> list[Problem]:
    """Run teipress validation on the written documents and count what our schema rejects, by element."""
    problems = list(validate_paths(paths, config).problems) if paths else []
    for path in paths:
        shown = display_path(path)
        mine = [p for p in problems if p.file == shown and p.is_error]
        if not mine:
            continue
        tree = parse_file(path)
        counts: Counter[str] = Counter(element_at(path, tree, p.line, p.column) for p in mine)
        result.schema_summary[shown] = counts
        result.notes.append(f"{shown}: could not be converted to the edition's schema, {len(mine)} problem(s): " + ", ".join(f"<{name}> {count}" for name, count in counts.most_common()))
    return problems


__all__ = ["ImportResult", "RegisterConflict", "import_tei", "import_text"]
