"""An edition's sources: which files are documents, which are registers, which is `edition.xml`.

Files from other projects carry their registers inside (`standOff`, `listPerson` ...); ours keep
them in `tei/registers/`. Both kinds feed one merged register that every output uses.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from . import jsonfiles
from .errors import ConfigError
from .problems import Problem, Severity, display_path
from .xmlio import NS, TEI_NS, XML_ID, XMLInputError, parse_file, write_atomic

EDITION_FILE = "edition.xml"
# Ids become file names (documents/{id}.html, {id}.pdf): nothing that could leave the folder or hide a file.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listRelation")
ENTRY_ELEMENTS = ("person", "personGrp", "place", "org", "bibl", "biblStruct", "event")
REGISTERS_NS = "https://teipress.org/ns/registers"
# Where a site keeps the SourceCatalogue of the sources it was built from, for the next build.
SOURCE_CATALOGUE = Path(".teipress") / "sources.json"


class SourceFile:
    """One source file, its id and what role it plays in the edition.

    Its tree is held in memory while the edition is loaded with `hold_trees` (what commands that read each
    file many times want); otherwise `tree` parses the file anew each time (about half a millisecond for a
    letter), so that a build's memory does not grow with the edition: it holds no document's tree. With `hold`,
    a file known from the previous build (a register, edition.xml) is parsed when its tree is first needed, and kept.
    """

    def __init__(self, path: Path, tree: etree._ElementTree | None, role: str, *, xinclude_root: Path | None = None, hold: bool = True,
                 known: SourceRecord | None = None) -> None:
        self.path = path
        self.role = role  # "document", "register" or "edition"
        self.xinclude_root = xinclude_root
        self._hold = hold
        if known is not None:
            # Read by the previous build and unchanged since (see SourceRecord): what its parse said, without parsing it.
            self.id, self.holds_entries, self.record = known.id, known.holds_entries, known
            self._tree = None
            return
        assert tree is not None
        root_id = tree.getroot().get(XML_ID) or ""
        # The document's id: its root `xml:id` where that is a safe file name, else the file name without `.xml`.
        self.id = root_id if SAFE_ID.fullmatch(root_id) else path.stem
        # Whether it holds register entries (a register, or a document with its own standOff ...).
        self.holds_entries = role == "register" or next(entries_in(tree.getroot(), role), None) is not None
        self.record = SourceRecord(role, self.id, self.holds_entries, [])
        self._tree = tree if hold else None

    @property
    def resolved(self) -> str:
        """The file's path with every link followed (as its state says, when the build has it: no system call)."""
        return self.record.states[0].path if self.record.states else str(self.path.resolve())

    @property
    def unchanged(self) -> bool:
        """Whether the file and all it includes are as the previous build read them (it was not parsed this time)."""
        return self.record.reused

    @property
    def tree(self) -> etree._ElementTree:
        if self._tree is not None:
            return self._tree
        tree = parse_file(self.path, xinclude_root=self.xinclude_root)
        if self._hold:
            self._tree = tree
        return tree

    def let_go(self) -> None:
        """From now on the file is parsed anew wherever its tree is needed."""
        self._tree = None
        self._hold = False

    def __repr__(self) -> str:
        return f"SourceFile(path={self.path!r}, role={self.role!r}, id={self.id!r})"


@dataclass(frozen=True)
class FileState:
    """A file as a build read it: its stat (size, modification time, inode), the SHA-256 of its bytes and
    when they were read (nanoseconds since the epoch, taken before reading)."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    sha256: str
    read_ns: int

    @classmethod
    def of(cls, path: Path) -> FileState:
        read_ns = time.time_ns()
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, hashlib.sha256(path.read_bytes()).hexdigest(), read_ns)

    def now(self) -> FileState | None:
        """The file's state now if it still has the same bytes, else None.

        The stat is trusted only for a file last modified more than a second before it was read: a file
        written again within the same tick of a coarse clock can keep its size and time with other bytes
        ("racy" timestamps), so such a file, and any whose stat changed (a `touch`), is hashed instead.
        """
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.inode) and self.mtime_ns < self.read_ns - _RACY_NS:
            return self
        if stat.st_size != self.size:
            return None
        try:
            state = FileState.of(Path(self.path))
        except OSError:
            return None
        return state if state.sha256 == self.sha256 else None


# Modification times within this much of the moment a file was read do not vouch for its bytes (FileState.now).
_RACY_NS = 1_000_000_000


@dataclass
class SourceRecord:
    """What reading a source file told a build: its role, id and whether it holds register entries, the
    state of the file and of each file its XIncludes read (the first is its own), and the warnings met.

    A later build reuses it without parsing the file while every state still holds (FileState.now).
    """

    role: str
    id: str
    holds_entries: bool
    states: list[FileState]
    warnings: list[Problem] = field(default_factory=list)
    reused: bool = False
    # The JSON the record was read from (`from_json`), written again as it is by a build that reuses the record with
    # the same states: making it anew for each of thousands of files was a tenth of a rebuild's own CPU (a profile).
    as_read: Mapping[str, object] | None = field(default=None, compare=False, repr=False)

    def as_json(self) -> Mapping[str, object]:
        if self.as_read is not None:
            return self.as_read
        return {"role": self.role, "id": self.id, "holds_entries": self.holds_entries,
                "states": [vars(state) for state in self.states], "warnings": [problem.as_dict() for problem in self.warnings]}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SourceRecord:
        return cls(str(data["role"]), str(data["id"]), bool(data["holds_entries"]),
                   [FileState(**state) for state in data["states"]],  # type: ignore[arg-type, attr-defined]
                   [Problem.from_dict(problem) for problem in data["warnings"]], as_read=data)  # type: ignore[arg-type, attr-defined, index]


@dataclass
class SourceCatalogue:
    """The records of the source files a build read, by resolved path (`load_edition`'s `catalogue`)."""

    records: dict[str, SourceRecord] = field(default_factory=dict)

    def reusable(self, real_path: str) -> SourceRecord | None:
        """The record of a file (its path resolved: a document, a register, edition.xml) whose file and includes still
        have the bytes they had when read, else None."""
        record = self.records.get(real_path)
        if record is None or not record.states:
            return None
        states = [state.now() for state in record.states]
        if None in states:
            return None
        same = all(now is before for now, before in zip(states, record.states))  # else a state hashed anew (FileState.now)
        return SourceRecord(record.role, record.id, record.holds_entries, states, record.warnings, reused=True,  # type: ignore[arg-type]
                            as_read=record.as_read if same else None)

    def write(self, path: Path) -> None:
        write_atomic(path, jsonfiles.dumps({name: record.as_json() for name, record in self.records.items()}))

    @classmethod
    def read(cls, path: Path) -> SourceCatalogue:
        """The catalogue a build wrote at `path`; an empty one when there is none or it cannot be read."""
        try:
            return cls({name: SourceRecord.from_json(record) for name, record in jsonfiles.loads(path.read_bytes()).items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()


@dataclass
class Edition:
    """All source files of an edition, parsed once, and the problems met while reading them."""

    source: Path
    files: list[SourceFile] = field(default_factory=list)
    unreadable: list[XMLInputError] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    included: set[Path] = field(default_factory=set)

    @property
    def documents(self) -> list[SourceFile]:
        return [f for f in self.files if f.role == "document"]

    @property
    def registers(self) -> list[SourceFile]:
        return [f for f in self.files if f.role == "register"]

    @property
    def edition_file(self) -> SourceFile | None:
        return next((f for f in self.files if f.role == "edition"), None)

    def let_go_of_trees(self) -> None:
        """From now on each document is parsed where its tree is needed (see SourceFile)."""
        for source in self.documents:
            source.let_go()

    def catalogue(self) -> SourceCatalogue:
        """What this reading learnt of each file, for the next build (`load_edition`'s `catalogue`)."""
        return SourceCatalogue({f.record.states[0].path: f.record for f in self.files if f.record.states})  # the first state: the file's own, resolved


def source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every `.xml` file named or lying below a named folder, once each, in a stable order."""
    return (file for file, _real in _source_files(paths, {}))


def _source_files(paths: Iterable[Path], real_folders: dict[str, str]) -> Iterator[tuple[Path, str]]:
    """`source_files`, each with its path resolved (`real_path`)."""
    seen: set[str] = set()
    for path in paths:
        # In the order of paths (`Path`'s own comparison is the same order, several times slower for thousands of files).
        found = sorted(_xml_files(path), key=lambda file: file[0].parts) if path.is_dir() else [(path, path.is_symlink())]
        for file, linked in found:
            real = str(file.resolve()) if linked else real_path(file, real_folders)
            if real not in seen:
                seen.add(real)
                yield file, real


def _xml_files(folder: Path) -> Iterator[tuple[Path, bool]]:
    """The `.xml` files below `folder`, as found, each with whether it is a symbolic link: none in a hidden folder or
    in an output folder of teipress's (a build never reads its own output as sources, also when the output lies inside
    the source folder, e.g. with `source = "."`). Directory entries tell a file from a folder or a link without a
    system call for each of thousands of files; a linked folder is not entered (as `Path.rglob` does not)."""
    from .outputs import is_output_folder  # outputs names the files of an Edition: imported here, not at the top

    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                found = list(entries)
        except OSError:
            continue  # a folder that cannot be read holds no sources
        for entry in found:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if not is_output_folder(Path(entry.path)):
                    pending.append(entry.path)
            elif entry.name.endswith(".xml") and entry.is_file():
                yield Path(entry.path), entry.is_symlink()


def real_path(file: Path, real_folders: dict[str, str]) -> str:
    """`str(file.resolve())` of a file that is no symbolic link itself, each folder resolved once (`real_folders` keeps
    them): resolving costs a system call per folder of the path, and an edition has thousands of files in a few folders.
    (Strings: a `Path` made for each of 20,000 files was a third of reading an unchanged edition.)"""
    parent, name = os.path.split(file)
    folder = real_folders.get(parent)
    if folder is None:
        folder = real_folders[parent] = str(Path(parent).resolve())
    return os.path.join(folder, name)


def role_of(path: Path, tree: etree._ElementTree) -> str:
    if path.name == EDITION_FILE:
        return "edition"
    return "register" if is_register(tree.getroot()) else "document"


def is_register(root: etree._Element) -> bool:
    """A file whose text holds nothing but lists of persons, places, organisations, works or events."""
    if root.tag != f"{{{TEI_NS}}}TEI":
        return False
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        return root.find("tei:standOff", NS) is not None
    content = [c for c in body if isinstance(c.tag, str) and etree.QName(c).localname != "head"]
    return bool(content) and all(etree.QName(c).localname in REGISTER_LISTS for c in content)


def load_edition(source: Path, paths: Iterable[Path] | None = None, *, hold_trees: bool = True, catalogue: SourceCatalogue | None = None,
                 on_read: Callable[[SourceFile, etree._ElementTree], None] | None = None, digests: bool = True, jobs: int = 1) -> Edition:
    """Parse every source file once (XIncludes resolved inside `source`); unreadable files are kept as problems.

    Without `hold_trees` only the trees of registers and of edition.xml are kept: each document is
    parsed again where its tree is needed (see SourceFile), so that memory does not grow with the edition.
    With a `catalogue` of the previous build (and without `hold_trees`), a file whose bytes and
    includes are unchanged is not parsed here: its record says what parsing it would (SourceRecord); a register's
    or edition.xml's tree is parsed where it is first needed (not at all when the merged registers are
    cached: `registers_key`).
    `on_read` is called with each file parsed and its tree, while the tree is at hand (validation gathers
    the ids there, rather than parse each document again). A file found to be included by a file read after it
    has been passed to `on_read` too, but is not among the edition's files: keep only what `files` holds.
    Without `digests` no file's state is taken (`SourceRecord.states` stays empty: no SHA-256 of each file, a
    second read of its bytes), for callers that write no catalogue (validation); `catalogue` needs them.
    With `jobs` above one, and neither `hold_trees` nor `on_read`, the files are parsed by as many worker processes
    where there are at least READ_IN_WORKERS_FROM of them to parse.

    A file that another file includes is part of that document, not a document of its own. A
    file found in a folder must lie in it: a symbolic link from there to elsewhere is refused,
    as an `xi:include` outside the folder is.
    """
    edition = Edition(source=source.resolve())
    included = edition.included
    named = list(paths) if paths is not None else [source]
    folders = [(folder, os.path.abspath(folder), str(folder.resolve())) for folder in (source, *(path for path in named if path.is_dir()))]
    real_paths = dict(_source_files(named, {}))
    listed = list(real_paths)
    # The files the previous build read that are unchanged, and the files they include (parts, never parsed on their own).
    known = {path: record for path in listed if catalogue is not None and not hold_trees and (record := catalogue.reusable(real_paths[path])) is not None}
    included.update(Path(state.path) for record in known.values() for state in record.states[1:])
    included_text = {str(part) for part in included}  # the same, as strings: compared with each file's resolved path
    source_text = str(edition.source)
    roots = {path: edition.source if _lies_in(real_paths[path], source_text) else Path(real_paths[path]).parent for path in listed}
    escaped_from = {path: _escaped_folder(path, real_paths[path], folders) for path in listed}
    to_read = [path for path in listed if path not in known and real_paths[path] not in included_text and escaped_from[path] is None]
    # Each file is read here in turn, as it may include files listed after it; read elsewhere, every file is parsed.
    read_elsewhere = _read_in_workers([(path, roots[path]) for path in to_read], jobs) \
        if jobs > 1 and len(to_read) >= READ_IN_WORKERS_FROM and not hold_trees and on_read is None and digests else {}
    for path in listed:
        real = real_paths[path]
        escaped = escaped_from[path]
        if escaped is not None:
            message = (f"{path.name} is a symbolic link to {display_path(path.resolve())}, outside the folder {display_path(escaped.resolve())}; "
                       "teipress reads only files inside it, so this file is left out")
            edition.unreadable.append(XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, message, "unsafe-symlink")))
            continue
        root = roots[path]
        if path in known:
            edition.warnings.extend(known[path].warnings)
            edition.files.append(_from_record(path, root, known[path]))
            continue
        if real in included_text:
            continue
        try:
            file, tree, parts = _taken(read_elsewhere.pop(path)) if path in read_elsewhere else _read_source(path, root, hold_trees=hold_trees, digests=digests)
        except XMLInputError as error:
            edition.unreadable.append(error)
            continue
        included.update(parts)
        included_text.update(str(part) for part in parts)
        edition.warnings.extend(file.record.warnings)
        edition.files.append(file)
        if on_read is not None and tree is not None:
            on_read(file, tree)
    edition.files = [f for f in edition.files if real_paths[f.path] not in included_text]
    return edition


# A build without validation parses each source here only to learn its role, id and parts (the workers parse each
# document again for its facts): 13.7 s of a first build of 20,000 letters, on one core. From this many files on,
# worker processes parse them (their start, about 0.3 s of CPU each, is repaid from about a thousand letters).
READ_IN_WORKERS_FROM = 1000
# Files per task: fewer, larger tasks cost less to hand over; more keep the workers' shares even.
_READ_CHUNK = 64

_ReadSource = tuple["SourceFile", "etree._ElementTree | None", set[Path]]


def _read_in_workers(files: list[tuple[Path, Path]], jobs: int) -> dict[Path, _ReadSource | XMLInputError]:
    """`_read_source` of each (path, XInclude root) in `jobs` worker processes, for a build that holds no document's tree:
    each file's record and parts come back, no tree (a register's or edition.xml's is parsed again where first needed)."""
    from .workers import WorkerPool

    chunks = [files[start:start + _READ_CHUNK] for start in range(0, len(files), _READ_CHUNK)]
    tasks = [(f"reading {len(chunk)} files from {display_path(chunk[0][0])}", ([(str(path), str(root)) for path, root in chunk],)) for chunk in chunks]
    read: dict[Path, _ReadSource | XMLInputError] = {}
    with WorkerPool(min(jobs, len(chunks)), None, ()) as pool:
        for chunk, results in zip(chunks, pool.map(_read_records, tasks)):
            for (path, root), result in zip(chunk, results):
                if isinstance(result, Problem):
                    read[path] = XMLInputError(result)
                else:
                    record, parts = result
                    read[path] = (_from_record(path, root, record), None, {Path(part) for part in parts})
    return read


def _from_record(path: Path, root: Path, record: SourceRecord) -> SourceFile:
    """The file as its record tells it, unparsed: a register's or edition.xml's tree is parsed where first needed, and kept."""
    return SourceFile(path, None, record.role, xinclude_root=root, hold=record.role != "document", known=record)


def _read_records(files: list[tuple[str, str]]) -> list[tuple[SourceRecord, list[str]] | Problem]:
    """In a worker: what reading each (path, XInclude root) told, as its record and parts, or the problem that stopped it."""
    results: list[tuple[SourceRecord, list[str]] | Problem] = []
    for path, root in files:
        try:
            file, _tree, parts = _read_source(Path(path), Path(root), hold_trees=False, digests=True)
        except XMLInputError as error:
            results.append(error.problem)
        else:
            results.append((file.record, sorted(str(part) for part in parts)))
    return results


def _taken(result: _ReadSource | XMLInputError) -> _ReadSource:
    if isinstance(result, XMLInputError):
        raise result
    return result


def _read_source(path: Path, root: Path, *, hold_trees: bool, digests: bool) -> tuple[SourceFile, etree._ElementTree, set[Path]]:
    """A file parsed (its XIncludes resolved inside `root`), its tree and the parts it includes; the file holds its tree
    with `hold_trees`, or where it is a register or edition.xml. Raises XMLInputError."""
    own_includes: set[Path] = set()
    own_warnings: list[Problem] = []
    own_state: FileState | None = None
    try:
        # The file's state is taken before it is parsed, so that a change while it is read shows next time.
        own_state = FileState.of(path) if digests else None
    except OSError:
        pass  # parse_file reports why it cannot be read
    tree = parse_file(path, xinclude_root=root, included=own_includes, warnings=own_warnings)
    role = role_of(path, tree)
    file = SourceFile(path, tree, role, xinclude_root=root, hold=hold_trees or role != "document")
    try:
        file.record.states = [own_state, *(FileState.of(part) for part in sorted(own_includes))] if own_state else []
    except OSError:
        file.record.states = []  # a part changed while being read: the next build reads the document again
    file.record.warnings = own_warnings
    return file, tree, own_includes


def require_sources(source: Path) -> None:
    """The same `ConfigError` (exit 2) for `build` and `validate` when the source folder is missing or holds no XML file.

    (A single file as the source is what `validate FILE` checks with `source` set to it.)"""
    if not source.exists():
        state = "does not exist"
    elif source.is_dir() and next(_xml_files(source), None) is None:  # the first file found will do: no need to list them all
        state = "holds no TEI files"
    else:
        return
    raise ConfigError(f"the source folder {display_path(source)} {state}; start an edition with `teipress init`, "
                      f"or name the folder of your TEI files (`source` in teipress.toml)")


def edition_titles(edition: Edition, title: str | None, subtitle: str | None) -> tuple[str, str]:
    """The edition's title and subtitle, chosen here for every output (the site, the print edition, the exports and
    the APIs): teipress.toml's `title` and `subtitle`, which override edition.xml's; else edition.xml's main title
    (`title[@type='main']`, else its first title that is no subtitle) and its first subtitle (`title[@type='sub']` or
    `'subtitle'`), their words with their spaces normalised; "" for none (each output then words its own default)."""
    titles = edition.edition_file.tree.xpath("/*/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS) if edition.edition_file else []

    def words(elements: list[etree._Element]) -> str:
        return " ".join("".join(elements[0].itertext()).split()) if elements else ""

    subtitles = [t for t in titles if t.get("type") in ("sub", "subtitle")]
    main = [t for t in titles if t.get("type") == "main"] or [t for t in titles if t not in subtitles]
    return (" ".join((title or "").split()) or words(main), " ".join((subtitle or "").split()) or words(subtitles))


def edition_file_problems(edition: Edition, configured_title: str | None) -> list[Problem]:
    """A warning when the edition has no edition.xml, saying what the site and the book are titled instead."""
    expected = edition.source / EDITION_FILE
    if edition.edition_file is not None or expected.exists():
        return []  # an unreadable edition.xml is reported as such
    titled = (f"the site and the book are titled {configured_title!r} (`title` in teipress.toml)" if configured_title
              else "the site is titled \"Digital edition\" and the book \"Edition\"")
    return [Problem(display_path(expected), 1, 1, Severity.WARNING,
                    f"the edition has no {EDITION_FILE}: {titled}, with no editors, introduction or editorial principles; "
                    f"write {display_path(expected)} (`teipress init` makes an edition with one)", "edition-file")]


def _escaped_folder(path: Path, real: str, folders: Iterable[tuple[Path, str, str]]) -> Path | None:
    """The folder that `path` (`real` once resolved) lies in by name but, its links followed, not in fact; None when there is none.

    `folders`: each folder as named, as an absolute path and resolved (worked out once, not per file; as strings,
    compared by `_lies_in`: pathlib's comparisons were a third of reading an unchanged edition's sources)."""
    place = os.path.abspath(path)
    for folder, absolute, resolved in folders:
        if (_lies_in(place, absolute) or _lies_in(place, resolved)) and not _lies_in(real, resolved):
            return folder
    return None


def _lies_in(path: str, folder: str) -> bool:
    """`Path(path).is_relative_to(folder)` of two normalised absolute paths."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def register_entries(files: Iterable[SourceFile]) -> Iterator[etree._Element]:
    """Every person, place, organisation, cited work and event with an `xml:id`, from all files."""
    for source in files:
        if source.holds_entries:
            yield from entries_in(source.tree.getroot(), source.role)


def own_entry_ids(root: etree._Element) -> set[str]:
    """The ids of the entries a register file holds (all of them, as register_entries reads a register)."""
    return {entry.get(XML_ID) for entry in entries_in(root, "register")}


_ENTRIES = etree.XPath(" | ".join(f"//tei:{name}[@xml:id]" for name in ENTRY_ELEMENTS), namespaces=NS)
_IN_A_REGISTER = etree.XPath("ancestor::tei:standOff or ancestor::tei:back or ancestor::tei:sourceDesc or ancestor::tei:listPerson"
                             " or ancestor::tei:listPlace or ancestor::tei:listOrg or ancestor::tei:listBibl", namespaces=NS)


def entries_in(root: etree._Element, role: str) -> Iterator[etree._Element]:
    """The register entries with an `xml:id` in a file of this role (`role_of`): all of a register's, a document's in its
    standOff, back, sourceDesc or lists; those the merged register holds (`merged_registers`)."""
    for entry in _ENTRIES(root):
        if role == "register" or _IN_A_REGISTER(entry):
            yield entry


def registers_key(edition: Edition) -> str | None:
    """A key over what `merged_registers` reads: each file holding entries, in the edition's order, by its id, role and
    the SHA-256 of its bytes and of its parts'; None when a file's bytes were not taken (its record has no states)."""
    digest = hashlib.sha256()
    for source in edition.files:
        if source.holds_entries:
            if not source.record.states:
                return None
            digest.update(jsonfiles.dumps([source.id, source.role, [state.sha256 for state in source.record.states]]) + b"\n")
    return digest.hexdigest()


def merged_registers(edition: Edition) -> etree._Element:
    """One `<registers>` element holding a copy of every register entry, each marked with its source file.

    Stylesheets receive it as the `registers` parameter; the first entry with an id wins, the
    validator reports duplicates.
    """
    root = etree.Element(f"{{{REGISTERS_NS}}}registers", nsmap={None: REGISTERS_NS, "tei": TEI_NS})
    seen: set[str] = set()
    for source in edition.files:
        for entry in register_entries([source]):
            entry_id = entry.get(XML_ID)
            if entry_id in seen:
                continue
            seen.add(entry_id)
            copy = deepcopy(entry)
            copy.set(f"{{{REGISTERS_NS}}}source", source.id)
            copy.tail = None
            root.append(copy)
    return root


_POINTER_VALUES = etree.XPath(
    "descendant-or-self::*/@ref | descendant-or-self::*/@target | descendant-or-self::*/@corresp"
    " | descendant-or-self::*/@who | descendant-or-self::*/@resp | descendant-or-self::*/@source | descendant-or-self::*/@sameAs"
)
_KEY_VALUES = etree.XPath("descendant-or-self::*/@key")


def referenced_ids(element: etree._Element) -> set[str]:
    """Every id the element and its descendants may point to: pointer tokens without '#', and each `@key` whole."""
    ids = {token.lstrip("#") for value in _POINTER_VALUES(element) for token in value.split()}
    ids.update(value.strip() for value in _KEY_VALUES(element))
    ids.discard("")
    return ids


class RegisterIndex:
    """The merged register's entries by id, each serialised and its pointers read once per build.

    It holds bytes and strings only, so that a build hands it to its worker processes, which then
    pick each document's entries themselves.
    """

    def __init__(self, registers: etree._Element) -> None:
        self.entries: dict[str, bytes] = {entry.get(XML_ID): etree.tostring(entry, encoding="utf-8") for entry in registers}
        self.pointers: dict[str, set[str]] = {entry.get(XML_ID): referenced_ids(entry) for entry in registers}
        # A @key may name an entry by its label @n instead of its id (common/functions.xsl tp:entry-by-id).
        self.labels: dict[str, str] = {}
        for entry in registers:
            label = " ".join((entry.get("n") or "").split())
            if label and label not in self.entries:
                self.labels.setdefault(label, entry.get(XML_ID))
        self.opening = etree.tostring(etree.Element(registers.tag, nsmap=registers.nsmap)).removesuffix(b"/>") + b">"
        self.closing = f"</{registers.tag.split('}')[-1]}>".encode()

    def as_json(self) -> dict[str, object]:
        """What the index holds, for `from_json` (a rebuild whose registers are unchanged reads it instead of the registers)."""
        return {"entries": {entry_id: xml.decode("utf-8") for entry_id, xml in self.entries.items()},
                "pointers": {entry_id: sorted(ids) for entry_id, ids in self.pointers.items()},
                "labels": self.labels, "opening": self.opening.decode("utf-8"), "closing": self.closing.decode("utf-8")}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RegisterIndex:
        index = cls.__new__(cls)
        index.entries = {entry_id: xml.encode("utf-8") for entry_id, xml in data["entries"].items()}
        index.pointers = {entry_id: set(ids) for entry_id, ids in data["pointers"].items()}
        index.labels = dict(data["labels"])
        index.opening, index.closing = data["opening"].encode("utf-8"), data["closing"].encode("utf-8")
        return index

    def subset_xml(self, root: etree._Element, *, depth: int = 3) -> bytes:
        """The entries `root` points to, and those they point to in turn, as a register of their own.

        Saxon builds its index of a register anew for every transformation, so handing each
        document only its own entries keeps a page's cost independent of the edition's size.
        """
        return self.subset_of(referenced_ids(root), depth=depth)

    def subset_of(self, ids: Iterable[str], *, depth: int = 3) -> bytes:
        """The entries `ids` names (an id, or a label @n), and those they point to in turn, as a register of their own:
        `subset_xml` of an element that points to `ids` (its `referenced_ids`). A rebuild keeps each document's ids,
        so that it knows its subset after a change of the registers without parsing it; a register page is handed
        the entries it shows."""
        chosen: list[str] = []
        seen: set[str] = set()
        wanted = set(ids)
        for _ in range(depth):
            wanted |= {self.labels[" ".join(name.split())] for name in wanted - seen if name not in self.entries and " ".join(name.split()) in self.labels}
            found = sorted(entry_id for entry_id in wanted - seen if entry_id in self.entries)
            seen |= wanted
            chosen += found
            wanted = set().union(*(self.pointers[entry_id] for entry_id in found))
        return self.opening + b"".join(self.entries[entry_id] for entry_id in chosen) + self.closing
