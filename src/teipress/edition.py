"""An edition's sources: which files are documents, which are registers, which is `edition.xml`.

Files from other projects carry their registers inside (`standOff`, `listPerson` ...); ours keep
them in `tei/registers/`. Both kinds feed one merged register that every output uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import ConfigError
from .problems import Problem, Severity, display_path
from .xmlio import NS, TEI_NS, XML_ID, XMLInputError, parse_file

EDITION_FILE = "edition.xml"
# Ids become file names (documents/{id}.html, {id}.pdf): nothing that could leave the folder or hide a file.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listRelation")
ENTRY_ELEMENTS = ("person", "personGrp", "place", "org", "bibl", "biblStruct", "event")
REGISTERS_NS = "https://teipress.org/ns/registers"


class SourceFile:
    """One source file, its id and what role it plays in the edition.

    Its tree is held in memory while the edition is loaded with `hold_trees` (what commands that read each
    file many times want); otherwise `tree` parses the file anew each time (about half a millisecond for a
    letter), so that a build's memory does not grow with the edition: it holds no document's tree.
    """

    def __init__(self, path: Path, tree: etree._ElementTree, role: str, *, xinclude_root: Path | None = None, hold: bool = True) -> None:
        self.path = path
        self.role = role  # "document", "register" or "edition"
        self.xinclude_root = xinclude_root
        root_id = tree.getroot().get(XML_ID) or ""
        # The document's id: its root `xml:id` where that is a safe file name, else the file name without `.xml`.
        self.id = root_id if SAFE_ID.fullmatch(root_id) else path.stem
        # Whether it holds register entries (a register, or a document with its own standOff ...).
        self.holds_entries = role == "register" or next(_entries_in(tree.getroot(), role), None) is not None
        self._tree = tree if hold else None

    @property
    def tree(self) -> etree._ElementTree:
        if self._tree is not None:
            return self._tree
        return parse_file(self.path, xinclude_root=self.xinclude_root)

    def let_go(self) -> None:
        """From now on the file is parsed anew wherever its tree is needed."""
        self._tree = None

    def __repr__(self) -> str:
        return f"SourceFile(path={self.path!r}, role={self.role!r}, id={self.id!r})"


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


def source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every `.xml` file named or lying below a named folder, once each, in a stable order."""
    seen: set[Path] = set()
    for path in paths:
        found = sorted(p for p in path.rglob("*.xml") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts) and not _in_output_folder(p, path)) if path.is_dir() else [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def _in_output_folder(file: Path, root: Path) -> bool:
    """Whether `file` lies in an output folder teipress made below `root`: a build never reads its own output
    as sources, also when the output lies inside the source folder (e.g. with `source = "."`)."""
    from .outputs import is_output_folder  # outputs names the files of an Edition: imported here, not at the top

    return any(is_output_folder(folder) for folder in file.parents if folder != root and folder.is_relative_to(root))


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


def load_edition(source: Path, paths: Iterable[Path] | None = None, *, hold_trees: bool = True) -> Edition:
    """Parse every source file once (XIncludes resolved inside `source`); unreadable files are kept as problems.

    Without `hold_trees` only the trees of registers and of edition.xml are kept: each document is
    parsed again where its tree is needed (see SourceFile), so that memory does not grow with the edition.

    A file that another file includes is part of that document, not a document of its own. A
    file found in a folder must lie in it: a symbolic link from there to elsewhere is refused,
    as an `xi:include` outside the folder is.
    """
    edition = Edition(source=source.resolve())
    included = edition.included
    named = list(paths) if paths is not None else [source]
    folders = [source, *(path for path in named if path.is_dir())]
    for path in source_files(named):
        escaped = _escaped_folder(path, folders)
        if escaped is not None:
            message = (f"{path.name} is a symbolic link to {display_path(path.resolve())}, outside the folder {display_path(escaped.resolve())}; "
                       "teipress reads only files inside it, so this file is left out")
            edition.unreadable.append(XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, message, "unsafe-symlink")))
            continue
        root = edition.source if path.resolve().is_relative_to(edition.source) else path.resolve().parent
        try:
            tree = parse_file(path, xinclude_root=root, included=included, warnings=edition.warnings)
        except XMLInputError as error:
            edition.unreadable.append(error)
            continue
        role = role_of(path, tree)
        edition.files.append(SourceFile(path, tree, role, xinclude_root=root, hold=hold_trees or role != "document"))
    edition.files = [f for f in edition.files if f.path.resolve() not in included]
    return edition


def require_sources(source: Path) -> None:
    """The same `ConfigError` (exit 2) for `build` and `validate` when the source folder is missing or holds no XML file.

    (A single file as the source is what `validate FILE` checks with `source` set to it.)"""
    if not source.exists():
        state = "does not exist"
    elif source.is_dir() and next(source_files([source]), None) is None:
        state = "holds no TEI files"
    else:
        return
    raise ConfigError(f"the source folder {display_path(source)} {state}; start an edition with `teipress init`, "
                      f"or name the folder of your TEI files (`source` in teipress.toml)")


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


def _escaped_folder(path: Path, folders: Iterable[Path]) -> Path | None:
    """The folder that `path` lies in by name but, its links followed, not in fact; None when there is none."""
    place = Path(os.path.abspath(path))
    real = path.resolve()
    for folder in folders:
        if (place.is_relative_to(os.path.abspath(folder)) or place.is_relative_to(folder.resolve())) and not real.is_relative_to(folder.resolve()):
            return folder
    return None


def register_entries(files: Iterable[SourceFile]) -> Iterator[etree._Element]:
    """Every person, place, organisation, cited work and event with an `xml:id`, from all files."""
    for source in files:
        if source.holds_entries:
            yield from _entries_in(source.tree.getroot(), source.role)


_ENTRIES = etree.XPath(" | ".join(f"//tei:{name}[@xml:id]" for name in ENTRY_ELEMENTS), namespaces=NS)
_IN_A_REGISTER = etree.XPath("ancestor::tei:standOff or ancestor::tei:back or ancestor::tei:sourceDesc or ancestor::tei:listPerson"
                             " or ancestor::tei:listPlace or ancestor::tei:listOrg or ancestor::tei:listBibl", namespaces=NS)


def _entries_in(root: etree._Element, role: str) -> Iterator[etree._Element]:
    for entry in _ENTRIES(root):
        if role == "register" or _IN_A_REGISTER(entry):
            yield entry


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

    def subset_xml(self, root: etree._Element, *, depth: int = 3) -> bytes:
        """The entries `root` points to, and those they point to in turn, as a register of their own.

        Saxon builds its index of a register anew for every transformation, so handing each
        document only its own entries keeps a page's cost independent of the edition's size.
        """
        return self.subset_of(referenced_ids(root), depth=depth)

    def subset_of(self, ids: Iterable[str], *, depth: int = 3) -> bytes:
        """The entries `ids` names (an id, or a label @n), and those they point to in turn, as a register of their own."""
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
