"""Safe reading and atomic writing of XML: nothing read from outside the source folder, no network, bounded expansion."""

from __future__ import annotations

import codecs
import itertools
import os
import re
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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


# What a refused DTD or entity file reads as: valid inside a DTD (so a DOCTYPE whose entities the
# document never uses still parses) but not as text, so that a refused entity the text uses is an error.
_REFUSED_RESOURCE = '<!ENTITY % teipress-refused "">'


class _ConfinedResources(etree.Resolver):
    """Hands the parser the DTDs and entity files a DOCTYPE names when they lie inside `root`; refuses the rest.

    A local file inside the source folder is as safe to read as an `xi:include` inside it. Each
    refusal is kept, with its reason, for the message.
    """

    def __init__(self, root: Path, read: set[Path]) -> None:
        super().__init__()
        self.root = root
        self.read = read  # the files handed to the parser
        self.refused: dict[str, str] = {}

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        reason = self._refusal(system_url or "")
        if reason is None:
            self.read.add(_file_of(system_url))  # type: ignore[arg-type]
            return self.resolve_filename(str(_file_of(system_url)), context)
        self.refused.setdefault(system_url, reason)
        return self.resolve_string(_REFUSED_RESOURCE, context)

    def _refusal(self, url: str) -> str | None:
        path = _file_of(url)
        if path is None:
            return f"{url} is not a local file, and teipress reads no URLs"
        if not path.is_relative_to(self.root):
            return f"{display_path(path)} lies outside the source folder {os.path.join(display_path(self.root), '')}, and teipress reads no file outside it"
        if not path.is_file():
            return f"{display_path(path)} does not exist"
        return None


def _file_of(url: str) -> Path | None:
    """The local file a `file:` URL names, with links resolved; None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(unquote(parts.path)).resolve()
    except (OSError, ValueError):
        return None


def _confined_parser(resources: _ConfinedResources) -> etree.XMLParser:
    """`safe_parser`, but reading the DTDs and entity files inside the source folder that a DOCTYPE names."""
    parser = etree.XMLParser(
        resolve_entities=True,
        no_network=True,
        load_dtd=True,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        collect_ids=False,
        remove_blank_text=False,
    )
    parser.resolvers.add(resources)
    return parser


def syntax_problem(path: Path, error: etree.XMLSyntaxError, source: bytes = b"") -> Problem:
    """The one clear message for a file that is not well-formed XML, on one line, at the place of the fault."""
    line, column = error.position if error.position else (error.lineno or 1, 0)
    message = " ".join((error.msg or str(error)).split())
    # libxml2 appends its own ", line N, column M" which we already report in front.
    message = message.split(", line ")[0]
    if "amplification factor" in message or "entity reference loop" in message.lower():
        # libxml2 counts lines inside the entity being expanded; the reader needs the reference in the file.
        line, column = _entity_bomb_place(xml_text(source))
        message = "refused: the file's entities expand to an excessive size (an entity expansion bomb); remove the DOCTYPE's entity declarations"
        return Problem(display_path(path), line or 1, column or 1, Severity.ERROR, message, "unsafe-input")
    return Problem(display_path(path), line or 1, column or 1, Severity.ERROR, f"not well-formed XML: {message}", "xml-syntax")


_ENTITY_DECLARATION = re.compile(r"""<!ENTITY\s+([^\s%"'>]+)\s+(?:"([^"]*)"|'([^']*)')""")
_EXTERNAL_ENTITY_DECLARATION = re.compile(r"""<!ENTITY\s+([^\s%"'>]+)\s+((?:SYSTEM|PUBLIC)\s+("[^"]*"|'[^']*')(?:\s+("[^"]*"|'[^']*'))?)""")
_ENTITY_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_END_OF_DOCTYPE = re.compile(r"\]\s*>")


def _entity_bomb_place(text: str) -> tuple[int, int]:
    """Line and column of the entity reference in the document whose expansion is the largest (a loop: endless)."""
    # Only the document's own declarations are weighed; entities from a DTD file count as small.
    declarations: dict[str, str] = {}
    last = None
    for last in _ENTITY_DECLARATION.finditer(text):
        declarations.setdefault(last[1], last[2] if last[2] is not None else last[3])
    doctype = max(text.find("<!DOCTYPE"), 0)
    sizes: dict[str, float] = {}

    def size(name: str, trail: frozenset[str]) -> float:
        if name in trail:
            return float("inf")
        if name not in sizes:
            value = declarations.get(name, "")
            sizes[name] = len(value) + sum(size(reference, trail | {name}) for reference in _ENTITY_REFERENCE.findall(value))
        return sizes[name]

    start = last.end() if last else doctype
    end = _END_OF_DOCTYPE.search(text, start)
    references = list(_ENTITY_REFERENCE.finditer(text, end.end() if end else start))
    if not references:  # the bomb goes off inside the DOCTYPE itself
        return line_and_column(text, doctype)
    worst = max(references, key=lambda reference: (size(reference[1], frozenset()), -reference.start()))
    return line_and_column(text, worst.start())


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (from 1; a column in characters) of `text[offset]` in an XML file's text (`xml_text`), its
    lines numbered as its parser numbers them (`xml_lines`)."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refusal_problem(path: Path, error: etree.XMLSyntaxError, source: bytes, refused: dict[str, str]) -> Problem:
    """Why a file whose DOCTYPE names something teipress did not read cannot be read without it."""
    problem = syntax_problem(path, error, source)
    text = xml_text(source)
    base = path.resolve().as_uri()
    for match in _EXTERNAL_ENTITY_DECLARATION.finditer(text):
        url = urljoin(base, match[3][1:-1])
        if url in refused and re.search(f"&{re.escape(match[1])};", text):
            declaration = " ".join(match[2].split())
            message = f"the external entity &{match[1]}; ({declaration}) was refused: {refused[url]}; replace the entity by the text it stands for"
            return replace(problem, message=message, rule="external-entity")
    undefined = re.search(r"Entity '([^']+)' not defined", problem.message)
    if undefined:
        reasons = "; ".join(f"{url} was not read: {reason}" for url, reason in refused.items())
        return replace(problem, message=f"the entity &{undefined[1]}; is not defined, because the DTD that may declare it was not read ({reasons})", rule="external-entity")
    return problem


class XMLInputError(InputError):
    """A file is not well-formed XML (or cannot be read); carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


MAX_INCLUSIONS = 1000
MAX_NESTING = 20
# Against include amplification (one small file including a large one a thousand times): the
# content all `xi:include`s of one document copy in, at every level, counted before it is copied.
MAX_INCLUDED_ELEMENTS = 500_000
MAX_INCLUDED_CHARACTERS = 20_000_000


def parse_file(path: Path, *, xinclude_root: Path | None = None, included: set[Path] | None = None,
               warnings: list[Problem] | None = None) -> etree._ElementTree:
    """Parse `path` safely; with `xinclude_root` (the source folder), read what it names inside that folder.

    Inside the folder means: `xi:include`s, and DTDs and entity files a DOCTYPE names. The files an
    XInclude pulls in, and the DTDs and entity files read, are added to `included`, so that callers can
    tell parts of a document from documents, and know every file a document's text depends on. What could be read only in part (an absent header part, a DTD not read whose
    entities the document does not use) is added to `warnings`.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, f"cannot read the file: {error.strerror}", "io")) from error
    root = xinclude_root.resolve() if xinclude_root is not None else None
    parts = included if included is not None else set()
    tree = _parse(path, data, root, warnings, parts)
    if root is not None:
        # The DOCTYPE has done its work (entities expanded); Saxon, reading the tree again, must not go looking for its DTD.
        tree.docinfo.clear()
        if tree.getroot().xpath("boolean(//xi:include)", namespaces=NS):
            _XIncludes(root, parts, warnings).resolve(tree, path, data)
    return tree


def _parse(path: Path, data: bytes, root: Path | None, warnings: list[Problem] | None, read: set[Path]) -> etree._ElementTree:
    resources = _ConfinedResources(root, read) if root is not None else None
    try:
        tree = etree.fromstring(data, _confined_parser(resources) if resources else safe_parser(), base_url=path.resolve().as_uri()).getroottree()
    except etree.XMLSyntaxError as error:
        problem = _refusal_problem(path, error, data, resources.refused) if resources and resources.refused else syntax_problem(path, error, data)
        raise XMLInputError(problem) from error
    except UnsafeInputError as error:
        raise XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, str(error), "unsafe-input")) from error
    if resources and resources.refused and warnings is not None:
        text = xml_text(data)
        doctype = text.find("<!DOCTYPE")
        line, column = line_and_column(text, doctype) if doctype >= 0 else (1, 1)
        for url, reason in resources.refused.items():
            warnings.append(Problem(display_path(path), line, column, Severity.WARNING,
                                    f"the DOCTYPE names {url}, which was not read: {reason}; the document uses none of its entities and was read without it",
                                    "external-dtd"))
    return tree


# The includes to resolve: not those inside another include (its fallback is resolved only when used).
_INCLUDES = etree.XPath("descendant-or-self::xi:include[not(ancestor::xi:*)]", namespaces=NS)


@dataclass
class _Pending:
    """An `xi:include` still to resolve, the file whose `href` it is relative to, and the files it lies inside."""

    include: etree._Element
    path: Path
    chain: tuple[Path, ...]


@dataclass
class _XIncludes:
    """Resolves the `xi:include`s of one document: only inside `root`, with limits against loops and amplification.

    Included content is inserted first and its own `xi:include`s resolved in place, so that each
    knows whether it lies inside the document's `<text>`. An include whose target is absent or
    cannot be read takes its `xi:fallback` (as the XInclude recommendation says); without one, an
    absent part outside `<text>` (a shared header part) is left out with a warning, anything else
    is an error.
    """

    root: Path
    included: set[Path]
    warnings: list[Problem] | None
    count: int = 0
    elements: int = 0
    characters: int = 0
    parsed: dict[Path, etree._ElementTree] = field(default_factory=dict)
    document: Path = Path()
    lines: list[str] = field(default_factory=list)

    def resolve(self, tree: etree._ElementTree, path: Path, source: bytes) -> None:
        self.document = path
        self.lines = xml_lines(xml_text(source))
        pending = deque(_Pending(include, path, (path.resolve(),)) for include in _INCLUDES(tree.getroot()))
        while pending:
            # Depth first, in document order: the first include to cross a limit is the one reported.
            pending.extendleft(reversed(self._resolve_one(pending.popleft())))

    def _problem(self, item: _Pending, message: str, rule: str, severity: Severity = Severity.ERROR) -> Problem:
        where = "" if item.path == self.document else f"in {display_path(item.path)}, "
        return Problem(display_path(self.document), item.include.sourceline or 1, element_column(item.include, self.lines), severity, where + message, rule)

    def _resolve_one(self, item: _Pending) -> list[_Pending]:
        """Replace one include by what it names (or its fallback); return the includes the new content holds."""
        include = item.include
        href = include.get("href", "")
        if include.getparent() is None:
            raise XMLInputError(self._problem(item, "the root element is an xi:include; a document must have content of its own", "xinclude-target"))
        target = (item.path.parent / href).resolve()
        if "://" in href or not target.is_relative_to(self.root):
            refusal = f"xi:include of {href!r} points outside the edition's source folder {os.path.join(display_path(self.root), '')}"
            return self._instead(item, refusal, "unsafe-xinclude", absent=False)
        if target in item.chain or len(item.chain) > MAX_NESTING:
            raise XMLInputError(self._problem(item, f"xi:include of {href!r} includes itself (a loop) or nests more than {MAX_NESTING} levels deep", "xinclude-loop"))
        self.count += 1
        if self.count > MAX_INCLUSIONS:
            raise XMLInputError(self._problem(item, f"more than {MAX_INCLUSIONS} xi:includes in one document", "xinclude-limit"))
        if include.get("parse", "xml") == "text":
            try:
                text = target.read_text(encoding=include.get("encoding", "utf-8"))
            except (OSError, LookupError, UnicodeDecodeError) as error:
                return self._instead(item, f"xi:include of {href!r} cannot be read as text: {error}", "xinclude-target", absent=not target.exists())
            self._count(item, 0, len(text))
            self.included.add(target)
            _replace_include(include, text, [])
            return []
        if not target.is_file():
            part = f"{href!r} (xpointer {include.get('xpointer')!r})" if include.get("xpointer") else repr(href)
            return self._instead(item, f"xi:include of {part}: there is no such file", "xinclude-target", absent=True)
        try:
            included = self._parsed(target)
        except XMLInputError as error:
            return self._instead(item, f"xi:include of {href!r} cannot be read: {error.problem}", "xinclude-target", absent=False)
        selected = included.getroot()
        pointer = include.get("xpointer")
        if pointer:
            matches = included.xpath("//*[@xml:id=$id]", id=pointer)
            if not matches:
                return self._instead(item, f"xi:include xpointer {pointer!r} names no element of {href}", "xinclude-xpointer", absent=True)
            selected = matches[0]
        self._count(item, sum(1 for _ in selected.iter()), sum(len(node) for node in selected.xpath(".//text()")))
        self.included.add(target)
        replacement = deepcopy(selected)
        replacement.tail = None
        # Problems in included content are reported at the xi:include of the file being checked.
        for element in replacement.iter():
            element.sourceline = include.sourceline
        _replace_include(include, "", [replacement])
        return [_Pending(nested, target, (*item.chain, target)) for nested in _INCLUDES(replacement)]

    def _parsed(self, target: Path) -> etree._ElementTree:
        """Each included file is parsed once per document, however often it is included."""
        if target not in self.parsed:
            self.parsed[target] = _parse(target, _read(target), self.root, self.warnings, self.included)
        return self.parsed[target]

    def _count(self, item: _Pending, elements: int, characters: int) -> None:
        self.elements += elements
        self.characters += characters
        if self.elements > MAX_INCLUDED_ELEMENTS or self.characters > MAX_INCLUDED_CHARACTERS:
            message = (f"the xi:includes of this document copy in more than {MAX_INCLUDED_ELEMENTS:,} elements or {MAX_INCLUDED_CHARACTERS:,} "
                       "characters of text (the limit against include amplification); include each part once")
            raise XMLInputError(self._problem(item, message, "xinclude-limit"))

    def _instead(self, item: _Pending, reason: str, rule: str, *, absent: bool) -> list[_Pending]:
        """What an include that cannot be resolved becomes: its fallback, nothing (an absent header part), or an error."""
        include = item.include
        fallback = include.find("xi:fallback", NS)
        if fallback is not None:
            if not absent and self.warnings is not None:
                self.warnings.append(self._problem(item, f"{reason}; its xi:fallback is used instead", rule, Severity.WARNING))
            content = list(fallback)
            _replace_include(include, fallback.text or "", content)
            return [_Pending(nested, item.path, item.chain) for element in content for nested in _INCLUDES(element)]
        if absent and not include.xpath("ancestor::tei:text", namespaces=NS):
            if self.warnings is not None:
                self.warnings.append(self._problem(item, f"{reason}; that part lies outside <text> and is left out", rule, Severity.WARNING))
            _replace_include(include, "", [])
            return []
        raise XMLInputError(self._problem(item, reason, rule))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise XMLInputError(Problem(display_path(path), 1, 1, Severity.ERROR, f"cannot read the file: {error.strerror}", "io")) from error


def _replace_include(include: etree._Element, text: str, elements: list[etree._Element]) -> None:
    """Put `text` and `elements` where `include` stands, keeping the text that follows it."""
    parent = include.getparent()
    tail = include.tail or ""
    if elements:
        elements[-1].tail = (elements[-1].tail or "") + tail
    else:
        text += tail
    previous = include.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    position = parent.index(include)
    include.tail = None
    parent.remove(include)
    for offset, element in enumerate(elements):
        parent.insert(position + offset, element)


# How an XML file says its encoding before its first character (XML 1.0, appendix F): a byte order mark, the first
# characters "<?" of a UTF-16 file without one, else its declaration's encoding= (in bytes every encoding an XML
# declaration can be read in writes as ASCII); without any of them it is UTF-8. Each mark with the encoding's name as a
# declaration would give it and the codec that decodes the file (the mark left out).
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"), (codecs.BOM_UTF8, "UTF-8", "utf-8-sig"),
                     (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
                     (b"<\0?\0", "UTF-16", "utf-16-le"), (b"\0<\0?", "UTF-16", "utf-16-be"))
_DECLARED_ENCODING = re.compile(rb"""<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")


def xml_encoding(data: bytes) -> tuple[str, str]:
    """The encoding an XML file's parser reads it in: its name as the file gives it (its byte order mark's, else its
    declaration's, else UTF-8) and the codec that decodes it (which Python may not know, for a declared name)."""
    for mark, name, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return name, codec
    declared = _DECLARED_ENCODING.match(data)
    if declared is None:
        return "UTF-8", "utf-8"
    name = declared[1].decode("ascii")
    return name, name


def xml_text(data: bytes) -> str:
    """The characters of an XML file, decoded in the encoding its parser reads it in; a byte that encoding cannot
    decode is U+FFFD, and an encoding Python does not know is read as UTF-8."""
    try:
        return data.decode(xml_encoding(data)[1], errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def xml_lines(text: str) -> list[str]:
    r"""The lines of an XML file's text as its parser numbers them (lxml's `sourceline` is an index into them, from 1).

    libxml2 counts the line feeds: "\r\n" ends one line, a lone "\r" none. Not str.splitlines, which also ends a line
    at U+0085 (NEL), U+2028 or a form feed, characters of a line to a parser."""
    return text.split("\n")


def source_lines(path: Path) -> list[str]:
    """The lines of the XML file at `path`, as its parser reads and numbers them: where a problem's column is counted."""
    return xml_lines(xml_text(path.read_bytes()))


def element_column(element: etree._Element, source_lines: list[str]) -> int:
    """1-based column of the element's start tag on its line (lxml keeps only lines).

    Several elements of the same name may start on one line: the element's place among them says
    which start tag is its own.
    """
    found = _start_tag(element, source_lines)
    return found.start() + 1 if found else 1


def attribute_column(element: etree._Element, attribute: str, source_lines: list[str]) -> int:
    """1-based column of `attribute` (as written, e.g. "ref" or "xml:id") in the element's start tag, else of the tag.

    libxml2 gives a start tag written over several lines the line where it closes: the attribute is
    then looked for from that line's start.
    """
    line = element.sourceline
    if not line or line > len(source_lines):
        return 1
    found = _start_tag(element, source_lines)
    text = source_lines[line - 1]
    written = _ATTRIBUTE.match(text, found.end() if found else 0)
    while written:
        if written["name"] == attribute:
            return written.start("name") + 1
        written = _ATTRIBUTE.match(text, written.end())
    return found.start() + 1 if found else 1


# One attribute of a start tag, with the whitespace before it; the tag's attributes on its line end where this stops matching.
_ATTRIBUTE = re.compile(r"""\s*(?P<name>[^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")


def _start_tag(element: etree._Element, source_lines: list[str]) -> re.Match[str] | None:
    line = element.sourceline
    if not line or line > len(source_lines) or not isinstance(element.tag, str):
        return None
    name = etree.QName(element).localname
    tags = re.finditer(rf"<(?:[\w.-]+:)?{re.escape(name)}(?=[\s/>]|$)", source_lines[line - 1])
    return next(itertools.islice(tags, _place_on_line(element), None), None)


def _place_on_line(element: etree._Element) -> int:
    """How many elements of the same name start on the element's line before it, found by walking back from it."""
    line, name = element.sourceline, etree.QName(element).localname
    pattern = f"{{*}}{name}"
    count = 0
    node: etree._Element | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            count += sum(1 for same in sibling.iter(pattern) if same.sourceline == line)
            if (sibling.sourceline or 0) < line:
                return count  # what precedes this sibling ends before the line
        node = node.getparent()
        if node is None or (node.sourceline or 0) < line:
            return count
        count += etree.QName(node).localname == name
    return count


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


def write_if_changed(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` (atomically) unless the file already holds exactly these bytes: a rebuild
    leaves an unchanged file, and the hard-linked copy of the previous site, alone."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.is_file() and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
