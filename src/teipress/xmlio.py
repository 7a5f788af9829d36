"""Safe reading and atomic writing of XML: no external entities, no network, no escaping the edition."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import InputError, OutputError, UnsafeInputError
from .problems import Problem, Severity, display_path

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NS = {"tei": TEI_NS, "xi": XI_NS}
XML_ID = f"{{{XML_NS}}}id"


class _NoExternalResources(etree.Resolver):
    """Refuses every external resource a parser asks for (DTDs, entities, XIncludes we did not vet)."""

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        raise UnsafeInputError(f"refused to load the external resource {system_url!r}")


def safe_parser() -> etree.XMLParser:
    """A parser that never loads anything but the file itself.

    Internal entities are expanded (TEI files use them), but libxml2's amplification
    guard stops entity bombs; external entities, DTDs and the network are off. `collect_ids`
    is off because files from other archives often repeat an `xml:id`: that is a validation
    problem to report, not a syntax error.
    """
    parser = etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
        remove_blank_text=False,
    )
    parser.resolvers.add(_NoExternalResources())
    return parser


def syntax_problem(path: Path, error: etree.XMLSyntaxError) -> Problem:
    """The one clear message for a file that is not well-formed XML."""
    line, column = error.position if error.position else (error.lineno or 1, 0)
    message = error.msg or str(error)
    # libxml2 appends its own ", line N, column M" which we already report in front.
    message = message.split(", line ")[0]
    return Problem(display_path(path), line or 1, column or 1, Severity.ERROR, f"not well-formed XML: {message}", "xml-syntax")


class XMLInputError(InputError):
    """A file is not well-formed XML (or cannot be read); carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


MAX_INCLUSIONS = 1000


def parse_file(path: Path, *, xinclude_root: Path | None = None, included: set[Path] | None = None) -> etree._ElementTree:
    """Parse `path` safely; with `xinclude_root`, resolve `xi:include`s that stay inside that folder.

    The files an XInclude pulls in are added to `included`, so that callers can tell parts of
    a document from documents.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, f"cannot read the file: {error.strerror}", "io")) from error
    try:
        tree = etree.fromstring(data, safe_parser(), base_url=path.resolve().as_uri()).getroottree()
    except etree.XMLSyntaxError as error:
        raise XMLInputError(syntax_problem(path, error)) from error
    except UnsafeInputError as error:
        raise XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, str(error), "unsafe-input")) from error
    if xinclude_root is not None and tree.getroot().xpath("boolean(//xi:include)", namespaces=NS):
        _XIncludes(xinclude_root.resolve(), included if included is not None else set()).resolve(tree, path, depth=0)
    return tree


@dataclass
class _XIncludes:
    """Resolves the `xi:include`s of one file: only inside `root`, at most 20 levels and MAX_INCLUSIONS inclusions."""

    root: Path
    included: set[Path]
    count: int = 0

    def resolve(self, tree: etree._ElementTree, path: Path, *, depth: int) -> None:
        for include in list(tree.getroot().iter(f"{{{XI_NS}}}include")):
            href = include.get("href", "")
            target = (path.parent / href).resolve()

            def refuse(message: str, rule: str) -> XMLInputError:
                return XMLInputError(Problem(display_path(path), include.sourceline or 1, 1, Severity.ERROR, message, rule))

            if "://" in href or not target.is_relative_to(self.root):
                raise refuse(f"xi:include of {href!r} points outside the edition's source folder {display_path(self.root)}", "unsafe-xinclude")
            if depth > 20:
                raise refuse("xi:include nests more than 20 levels deep (a loop?)", "xinclude-loop")
            self.count += 1
            if self.count > MAX_INCLUSIONS:
                raise refuse(f"more than {MAX_INCLUSIONS} xi:includes in one document", "xinclude-limit")
            self.included.add(target)
            if include.get("parse", "xml") == "text":
                try:
                    text = target.read_text(encoding=include.get("encoding", "utf-8"))
                except (OSError, LookupError, UnicodeDecodeError) as error:
                    raise refuse(f"xi:include of {href!r} cannot be read as text: {error}", "xinclude-target") from error
                _replace_with_text(include, text)
                continue
            if not target.is_file():
                raise refuse(f"xi:include of {href!r}: there is no such file", "xinclude-target")
            included = parse_file(target)
            self.resolve(included, target, depth=depth + 1)
            selected = included.getroot()
            pointer = include.get("xpointer")
            if pointer:
                matches = included.xpath("//*[@xml:id=$id]", id=pointer)
                if not matches:
                    raise refuse(f"xi:include xpointer {pointer!r} names no element of {href}", "xinclude-xpointer")
                selected = matches[0]
            replacement = deepcopy(selected)
            # Problems in included content are reported at the xi:include of the file being checked.
            for element in replacement.iter():
                element.sourceline = include.sourceline
            replacement.tail = include.tail
            include.getparent().replace(include, replacement)


def _replace_with_text(include: etree._Element, text: str) -> None:
    parent = include.getparent()
    previous = include.getprevious()
    joined = text + (include.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(include)


def element_column(element: etree._Element, source_lines: list[str]) -> int:
    """1-based column of the element's start tag on its line (lxml keeps only lines)."""
    line = element.sourceline
    if not line or line > len(source_lines):
        return 1
    name = re.escape(etree.QName(element).localname)
    found = re.search(rf"<(?:[\w.-]+:)?{name}(?=[\s/>]|$)", source_lines[line - 1])
    return found.start() + 1 if found else 1


@contextmanager
def atomic_output(path: Path, mode: str = "wb") -> Iterator:
    """Write to a temporary file beside `path` and move it into place only when writing succeeded.

    The temporary name is short whatever the target's, so that a long file name cannot become too long.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tp-", suffix=".tmp")
    try:
        with os.fdopen(handle, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as stream:
            yield stream
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` all at once or not at all; an `OutputError` names the file and the system's reason."""
    try:
        with atomic_output(path, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as error:
        raise OutputError(str(path), error.strerror or str(error)) from error
