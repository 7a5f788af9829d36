"""Help for the editor: register names in the texts that are not tagged yet, and register entries nobody mentions.

The same `NameMatcher` tags names when a plain transcription is imported (`importer.import_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .config import Config
from .edition import Edition, load_edition, merged_registers, referenced_ids
from .errors import ConfigError
from .problems import Problem, display_path
from .xmlio import TEI_NS, XML_ID, source_lines

KIND_OF_ENTRY = {"person": "person", "personGrp": "person", "place": "place", "org": "org"}
NAME_ELEMENT = {"person": "persName", "place": "placeName", "org": "orgName"}
# Elements whose text is already a tagged name (or must not be searched: notes of the editor are searched).
TAGGED_NAMES = {"persName", "placeName", "orgName", "rs", "name", "geogName", "settlement", "country", "region", "bloc", "district", "ref", "ptr", "title"}
APOSTROPHES = "'’ʼ"


@dataclass(frozen=True)
class NameMatch:
    """One occurrence of a register name in a text: where, which words, which entry."""

    start: int
    end: int
    surface: str
    entity: str
    kind: str


@dataclass
class NameMatcher:
    """Finds register names and variants in running text: longest name first, whole words only."""

    names: dict[str, tuple[str, str]]  # name -> (entry id, kind); a name two entries share is left out
    ambiguous: set[str] = field(default_factory=set)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def from_registers(cls, registers: etree._Element) -> NameMatcher:
        names: dict[str, tuple[str, str]] = {}
        ambiguous: set[str] = set()
        for entry in registers:
            if not isinstance(entry.tag, str):
                continue
            kind = KIND_OF_ENTRY.get(etree.QName(entry).localname)
            entry_id = entry.get(XML_ID)
            if kind is None or not entry_id:
                continue
            for name in entry_names(entry):
                key = normalise_name(name)
                if key in names and names[key][0] != entry_id:
                    ambiguous.add(key)
                else:
                    names[key] = (entry_id, kind)
        for key in ambiguous:
            names.pop(key, None)
        return cls(names=names, ambiguous=ambiguous)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.names:
            alternatives = sorted(self.names, key=lambda n: (-len(n), n))
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(name_regex(n) for n in alternatives) + r")(?![\w-])")
        return self._pattern

    def find(self, text: str) -> Iterator[NameMatch]:
        """Every register name in `text`, left to right, none overlapping (the longest wins)."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            entity, kind = self.names[normalise_name(match.group(0))]
            yield NameMatch(match.start(), match.end(), match.group(0), entity, kind)


def entry_names(entry: etree._Element) -> list[str]:
    """The standard name and every variant of a register entry, as plain text."""
    names = []
    for name in entry:
        if isinstance(name.tag, str) and etree.QName(name).localname in ("persName", "placeName", "orgName", "name"):
            text = " ".join(" ".join(name.itertext()).split()) if len(name) else " ".join((name.text or "").split())
            if text:
                names.append(text)
    return names


def normalise_name(name: str) -> str:
    """A name as the matcher compares it: one space between words, one kind of apostrophe."""
    return re.sub(f"[{APOSTROPHES}]", "'", " ".join(name.split()))


def name_regex(name: str) -> str:
    parts = []
    for char in name:
        if char == " ":
            parts.append(r"\s+")
        elif char == "'":
            parts.append(f"[{APOSTROPHES}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@dataclass(frozen=True)
class UntaggedName:
    """A register name in a document's text that no element tags yet."""

    document: str
    file: str
    line: int
    column: int
    surface: str
    entity: str
    kind: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: untagged {self.kind} name {self.surface!r} (#{self.entity})"


@dataclass(frozen=True)
class UnmentionedEntry:
    """A register entry that no document points to."""

    entity: str
    kind: str
    name: str
    file: str
    line: int


@dataclass
class EntitiesReport:
    """What `teipress entities` found: untagged names per document and entries nobody mentions."""

    untagged: dict[str, list[UntaggedName]] = field(default_factory=dict)
    unmentioned: list[UnmentionedEntry] = field(default_factory=list)
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)  # files that could not be read (left out, each named)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def untagged_count(self) -> int:
        return sum(len(items) for items in self.untagged.values())


def find_untagged(config: Config, paths: Iterable[Path] | None = None) -> EntitiesReport:
    """Every register name or variant in the documents' texts that is not tagged, and every unmentioned entry.

    Example: `find_untagged(load_config())`.
    """
    if not config.source.is_dir():
        raise ConfigError(f"the edition's source folder {display_path(config.source)} does not exist (see `source` in teipress.toml)")
    edition = load_edition(config.source)
    registers = merged_registers(edition)
    matcher = NameMatcher.from_registers(registers)
    # A file that cannot be read is named and left out; the others are still searched.
    report = EntitiesReport(documents=len(edition.documents), problems=[error.problem for error in edition.unreadable])
    for document in edition.documents:
        lines = source_lines(document.path)
        found = list(untagged_in(document.tree.getroot(), matcher, document.id, display_path(document.path), lines))
        if found:
            report.untagged[document.id] = found
    report.unmentioned = unmentioned_entries(edition, registers)
    return report


def untagged_in(root: etree._Element, matcher: NameMatcher, document_id: str, file: str, lines: list[str]) -> Iterator[UntaggedName]:
    """Names in every outermost `<text>` (each TEI of a teiCorpus) that lie outside every name, link or title element."""
    for text_element in root.xpath(".//tei:text[not(ancestor::tei:text)]", namespaces={"tei": TEI_NS}):
        for element in text_element.iter():
            if not isinstance(element.tag, str) or _is_tagged(element) or _inside_tagged(element):
                continue
            if element.text:
                yield from _matches(element.text, lambda element=element: _line_of_text(element), matcher, document_id, file, lines)
            for child in element:
                if child.tail:
                    yield from _matches(child.tail, lambda child=child: _line_of_tail(child), matcher, document_id, file, lines)


def _is_tagged(element: etree._Element) -> bool:
    return etree.QName(element).localname in TAGGED_NAMES and etree.QName(element).namespace == TEI_NS


def _inside_tagged(element: etree._Element) -> bool:
    return any(_is_tagged(ancestor) for ancestor in element.iterancestors() if isinstance(ancestor.tag, str))


def _line_of_text(element: etree._Element) -> int:
    """The line where an element's text begins (its start tag may span lines: counted from the tag)."""
    start_tag = etree.tostring(element, with_tail=False).decode("utf-8").split(">", 1)[0]
    return (element.sourceline or 1) + start_tag.count("\n")


def _line_of_tail(child: etree._Element) -> int:
    """The line where the text after `child` begins: where `child` starts plus the lines it spans."""
    if not isinstance(child.tag, str):
        return child.sourceline or 1
    return (child.sourceline or 1) + etree.tostring(child, with_tail=False).decode("utf-8").count("\n")


def _matches(text: str, first_line: Callable[[], int], matcher: NameMatcher, document_id: str, file: str, lines: list[str]) -> Iterator[UntaggedName]:
    """The names in `text`; `first_line` (costly: it serialises a subtree) is asked only when there is one."""
    start_line: int | None = None
    for match in matcher.find(text):
        if start_line is None:
            start_line = first_line()
        line = start_line + text[: match.start].count("\n")
        column = _column(lines, line, match.surface, text[: match.start])
        yield UntaggedName(document_id, file, line, column, " ".join(match.surface.split()), match.entity, match.kind)


def _column(lines: list[str], line: int, surface: str, before: str) -> int:
    """1-based column of `surface` on its line; the text before it on that line tells which occurrence."""
    if not 0 < line <= len(lines):
        return 1
    first_word = surface.split()[0]
    prefix = before.rsplit("\n", 1)[-1]
    source = lines[line - 1]
    index = source.find(first_word, max(0, len(prefix) - 1) if prefix and source.startswith(prefix) else 0)
    if index < 0:
        index = source.find(first_word)
    return index + 1 if index >= 0 else 1


def unmentioned_entries(edition: Edition, registers: etree._Element) -> list[UnmentionedEntry]:
    """Register entries (persons, places, organisations, cited works) that no document points to."""
    mentioned: set[str] = set()
    for document in edition.documents:
        mentioned |= referenced_ids(document.tree.getroot())
    if edition.edition_file is not None:
        mentioned |= referenced_ids(edition.edition_file.tree.getroot())
    files = {source.id: source for source in edition.files}
    result = []
    for entry in registers:
        if not isinstance(entry.tag, str):
            continue
        entry_id = entry.get(XML_ID)
        local = etree.QName(entry).localname
        if not entry_id or entry_id in mentioned or local == "event":
            continue
        source = files.get(entry.get("{https://teipress.org/ns/registers}source", ""))
        names = entry_names(entry) or [" ".join("".join(entry.itertext()).split())[:80]]
        result.append(UnmentionedEntry(
            entity=entry_id, kind=KIND_OF_ENTRY.get(local, "bibl"), name=names[0],
            file=display_path(source.path) if source else "", line=entry.sourceline or 1,
        ))
    return result
