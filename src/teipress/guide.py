"""The encoding guide, read from the schema's own documentation.

Every element of `schema/teipress.rng` carries its meaning and an example (`a:documentation`,
"meaning. Example: <...>") and how it appears on the site and in print (`g:html`, `g:pdf`); every
attribute carries its meaning. `read_guide` collects them, with each element's attributes and the
elements it may stand in; `guide_markdown` writes docs/GUIDE.md and `guide_xml` feeds the site's
guide.html (html/guide.xsl), so that the two say the same thing as the schema.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .resources import SCHEMA_FILE

RNG = "http://relaxng.org/ns/structure/1.0"
ANNOTATIONS = "http://relaxng.org/ns/compatibility/annotations/1.0"
GUIDE_NS = "https://teipress.org/ns/guide"
_R = f"{{{RNG}}}"
_A = f"{{{ANNOTATIONS}}}documentation"


@dataclass(frozen=True)
class AttributeDoc:
    name: str
    meaning: str
    values: str  # what the value may be, in words ("one of: high, medium, low", "a date", "pointers")
    required: bool


@dataclass(frozen=True)
class AttributeClassDoc:
    """A class of attributes shared by several elements (att.global, att.typed ...)."""

    name: str
    meaning: str
    attributes: tuple[AttributeDoc, ...]


@dataclass(frozen=True)
class ElementDoc:
    name: str
    meaning: str
    example: str
    html: str
    pdf: str
    attributes: tuple[AttributeDoc, ...]  # its own, declared on the element
    classes: tuple[str, ...]  # the attribute classes it carries
    inside: tuple[str, ...]  # the elements it may stand in
    contains: tuple[str, ...]  # the elements it may hold


@dataclass(frozen=True)
class Guide:
    elements: tuple[ElementDoc, ...]
    attribute_classes: tuple[AttributeClassDoc, ...]

    def element(self, name: str) -> ElementDoc:
        return next(e for e in self.elements if e.name == name)


def read_guide(schema: Path = SCHEMA_FILE) -> Guide:
    """The guide of every element and attribute class of `schema`, elements in alphabetical order.

    Example: `read_guide().element("unclear").example` is `<unclear reason="illegible">May</unclear>`.
    """
    root = etree.parse(str(schema)).getroot()
    defines = {d.get("name"): d for d in root.iter(f"{_R}define")}

    def element_of(define: etree._Element) -> etree._Element | None:
        patterns = _patterns(define)
        return patterns[0] if len(patterns) == 1 and patterns[0].tag == f"{_R}element" else None

    def walk(node: etree._Element, seen: set[str], found: dict[str, list]) -> None:  # type: ignore[type-arg]
        """The elements and attribute classes a content pattern reaches, not looking inside elements."""
        for child in _patterns(node):
            if child.tag == f"{_R}ref":
                name = child.get("name", "")
                target = defines.get(name)
                if target is None or name in seen:
                    continue
                seen.add(name)
                element = element_of(target)
                if element is not None:
                    found["elements"].append(element.get("name"))
                elif name.startswith("att."):
                    found["classes"].append(name)
                else:
                    walk(target, seen, found)
            elif child.tag != f"{_R}element" and child.tag != f"{_R}attribute":
                walk(child, seen, found)

    reached: dict[str, dict[str, list]] = {}  # type: ignore[type-arg]
    nodes: dict[str, etree._Element] = {}
    for element in root.iter(f"{_R}element"):
        name = element.get("name", "")
        found: dict[str, list] = {"elements": [], "classes": []}  # type: ignore[type-arg]
        walk(element, set(), found)
        reached[name] = found
        nodes[name] = element
    parents: dict[str, set[str]] = {name: set() for name in nodes}
    for name, found in reached.items():
        for child in found["elements"]:
            parents[child].add(name)

    elements = []
    for name in sorted(nodes, key=str.lower):
        element = nodes[name]
        meaning, _, example = (element.findtext(_A) or "").partition(" Example: ")
        elements.append(ElementDoc(
            name=name,
            meaning=meaning.strip(),
            example=example.strip(),
            html=" ".join((element.findtext(f"{{{GUIDE_NS}}}html") or "").split()),
            pdf=" ".join((element.findtext(f"{{{GUIDE_NS}}}pdf") or "").split()),
            attributes=_attributes(element),
            classes=tuple(reached[name]["classes"]),
            inside=tuple(sorted(parents[name], key=str.lower)),
            contains=tuple(sorted(set(reached[name]["elements"]), key=str.lower)),
        ))
    classes = tuple(
        AttributeClassDoc(name=name, meaning=" ".join((define.findtext(_A) or "").split()), attributes=_attributes(define))
        for name, define in sorted(defines.items()) if name.startswith("att.")
    )
    return Guide(elements=tuple(elements), attribute_classes=classes)


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The RELAX NG children of `node` (annotations left out)."""
    return [child for child in node if isinstance(child.tag, str) and child.tag.startswith(_R)]


def _attributes(node: etree._Element) -> tuple[AttributeDoc, ...]:
    """The attributes declared directly in `node`'s pattern (not in referenced classes, not in child elements)."""
    found = []

    def walk(pattern: etree._Element, optional: bool) -> None:
        for child in _patterns(pattern):
            tag = child.tag[len(_R):]
            if tag == "attribute":
                found.append(AttributeDoc(
                    name=child.get("name", ""),
                    meaning=" ".join((child.findtext(_A) or "").split()),
                    values=_values(child),
                    required=not optional,
                ))
            elif tag in ("optional", "zeroOrMore", "choice"):
                walk(child, True)
            elif tag in ("group", "oneOrMore", "interleave"):
                walk(child, optional)

    walk(node, False)
    return tuple(found)


_DATATYPES = {
    "anyURI": "a pointer or URL", "NCName": "a name (letters, digits, hyphens)", "Name": "a name", "language": "a language tag",
    "string": "text", "token": "a word", "date": "a date", "gYearMonth": "a month", "gYear": "a year",
    "nonNegativeInteger": "a whole number", "decimal": "a number", "boolean": "true or false",
}


def _values(attribute: etree._Element) -> str:
    """What an attribute's value may be, in words."""
    values = [v.text or "" for v in attribute.iter(f"{_R}value")]
    kinds = []
    for data in attribute.iter(f"{_R}data"):
        kind = _DATATYPES.get(data.get("type", ""), data.get("type", ""))
        if data.get("type") == "token" and "cm" in (data.findtext(f"{_R}param") or ""):
            kind = "a length (10cm, 50%)"
        if kind not in kinds:
            kinds.append(kind)
    if attribute.find(f"{_R}ref") is not None and not kinds:
        kinds.append("a date")  # data.date, the only datatype define of the schema
    described = ("one of: " + ", ".join(values)) if values else " or ".join(kinds)
    return f"{described} (several, separated by spaces)" if attribute.find(f".//{_R}list") is not None else described


# --- Markdown (docs/GUIDE.md) -----------------------------------------------------------------------

def guide_markdown(guide: Guide) -> str:
    """docs/GUIDE.md: every element and attribute class, as `teipress guide` writes it."""
    lines = [
        "# Encoding guide",
        "",
        "<!-- Generated from schema/teipress.rng by `teipress guide -o docs/GUIDE.md --force`: edit the schema, not this file. -->",
        "",
        "Every element a teipress edition may use: what it means, an example, how it appears on the",
        "site (HTML) and in print (PDF), its attributes and where it may stand. The conventions of a",
        "whole document (files, header, registers) are in [ENCODING.md](ENCODING.md); the site shows",
        "this guide as `guide.html`.",
        "",
        "Elements: " + ", ".join(f"[`{e.name}`](#{_anchor(e.name)})" for e in guide.elements),
        "",
        "## Attribute classes",
        "",
        "Attributes that several elements share; each element below names the classes it carries.",
    ]
    for attribute_class in guide.attribute_classes:
        lines += ["", f"### {attribute_class.name}", "", attribute_class.meaning, ""]
        lines += _attribute_table(attribute_class.attributes)
    lines += ["", "## Elements"]
    for element in guide.elements:
        lines += ["", f"### `{element.name}`", "", element.meaning, "", "```xml", element.example, "```", "",
                  f"- **HTML:** {element.html}", f"- **PDF:** {element.pdf}"]
        if element.classes:
            lines.append("- **Attribute classes:** " + ", ".join(element.classes))
        if element.inside:
            lines.append("- **Inside:** " + ", ".join(f"`{name}`" for name in element.inside))
        if element.contains:
            lines.append("- **Contains:** " + ", ".join(f"`{name}`" for name in element.contains))
        if element.attributes:
            lines += ["", *_attribute_table(element.attributes)]
    return "\n".join(lines) + "\n"


def _attribute_table(attributes: tuple[AttributeDoc, ...]) -> list[str]:
    rows = ["| attribute | meaning | value |", "|---|---|---|"]
    for attribute in attributes:
        name = f"`@{attribute.name}`" + (" (required)" if attribute.required else "")
        rows.append(f"| {name} | {_cell(attribute.meaning)} | {_cell(attribute.values)} |")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _anchor(name: str) -> str:
    """GitHub's heading anchor of "### `name`"."""
    return name.lower()


# --- XML for the site's guide.html -----------------------------------------------------------------

def schema_guide_xml(schema: Path = SCHEMA_FILE) -> bytes:
    """`guide_xml` of `schema`, read once per process for as long as the file is unchanged (watch mode rebuilds often)."""
    state = schema.stat()
    return _cached_guide_xml(schema, state.st_mtime_ns, state.st_size)


def schema_guide_key(schema: Path = SCHEMA_FILE) -> str:
    """A hash over what `schema_guide_xml` is made from (the schema and this module), for a build to keep the guide
    between builds (a tenth of a one-letter rebuild at 1,000 letters went into reading the schema again)."""
    return hashlib.sha256(schema.read_bytes() + Path(__file__).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=2)
def _cached_guide_xml(schema: Path, mtime_ns: int, size: int) -> bytes:  # noqa: ARG001 - the file's state is the cache key
    return guide_xml(read_guide(schema))


def guide_xml(guide: Guide) -> bytes:
    """The guide as XML in the guide namespace, which html/guide.xsl renders as guide.html."""
    root = etree.Element(f"{{{GUIDE_NS}}}guide", nsmap={None: GUIDE_NS})

    def add(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
        child = etree.SubElement(parent, f"{{{GUIDE_NS}}}{tag}", attributes)
        child.text = text or None
        return child

    def add_attributes(parent: etree._Element, attributes: tuple[AttributeDoc, ...]) -> None:
        for attribute in attributes:
            add(parent, "attribute", attribute.meaning, name=attribute.name, values=attribute.values, required=str(attribute.required).lower())

    for attribute_class in guide.attribute_classes:
        node = add(root, "class", name=attribute_class.name)
        add(node, "meaning", attribute_class.meaning)
        add_attributes(node, attribute_class.attributes)
    for element in guide.elements:
        node = add(root, "element", name=element.name)
        for tag in ("meaning", "example", "html", "pdf"):
            add(node, tag, getattr(element, tag))
        for tag, names in (("class-ref", element.classes), ("inside", element.inside), ("contains", element.contains)):
            for name in names:
                add(node, tag, name=name)
        add_attributes(node, element.attributes)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def write_guide(path: Path, *, force: bool = False, schema: Path = SCHEMA_FILE) -> None:
    """Write the Markdown guide of `schema` to `path`, atomically; an existing file only with `force`.

    Example: `write_guide(Path("docs/GUIDE.md"), force=True)`.
    """
    from .errors import OutputExistsError
    from .problems import display_path
    from .xmlio import write_atomic

    if path.exists() and not force:
        raise OutputExistsError(f"{display_path(path)} already exists; add --force to replace it")
    write_atomic(path, guide_markdown(read_guide(schema)))
