"""Nothing lost: every text node of every <text> reaches the HTML reading text, in order.

Notes move to the notes section, so their words are checked there: each note's own text, in order,
inside the endnote with its number. The lists of persons, places ... in a text's back are the
document's own register, after the notes: their words are checked there, in order. Every passage anchor that registers and the chronology link to
exists in the page, and no link is live to an unsafe target. The property runs on
hypothesis-generated TEI (random trees over a broad vocabulary, hostile links and odd characters
included), on every TEI file among the test fixtures, and on the foreign TEI files of ../shared.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES, shared_path
from teipress.saxon import Stylesheets
from teipress.xmlio import TEI_NS, XMLInputError, parse_file

T = f"{{{TEI_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}
FOREIGN_TEI = [
    "schnitzler-briefe/L00001.xml",
    "schnitzler-cmif/1958_Rilke_Schnitzler.xml",
    "escher/K_1029_Wild_an_Escher_1852-05-16.xml",
    "escher/K_4755_Zingg_an_Escher_1869-12-07.xml",
    "dracor/rus_andreyev-mysl.xml",
    "teic-tei/testms.xml",
    "teic-stylesheets/testCorpus1.xml",
    "teic-stylesheets/testapp2.xml",
]
# Schemes and paths that must never become a live link or image source.
UNSAFE_URL = re.compile(r"^(javascript|vbscript|data|file):|^/|^\\", re.IGNORECASE)


@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    """One compiled fragment stylesheet for the whole module."""
    sheets = Stylesheets()
    sheets.executable("html/fragment.xsl")
    return sheets


def words(text: str) -> str:
    """Text with its whitespace collapsed, as a reader sees it."""
    return " ".join(text.split())


def render(stylesheets: Stylesheets, tree: etree._ElementTree) -> lxml.html.HtmlElement:
    """The fragment's HTML, parsed as a browser's HTML parser would (inside a body)."""
    html = stylesheets.transform("html/fragment.xsl", tree)
    return lxml.html.document_fromstring(f"<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>")


# The document's own register: lists of entries in back (or standOff), rendered after the notes.
DOCUMENT_REGISTER = "ancestor::tei:back and ancestor::*[self::tei:listPerson or self::tei:listPlace or self::tei:listOrg or self::tei:listBibl or self::tei:listEvent or self::tei:listNym]"


def expected_reading_text(tree: etree._ElementTree) -> list[str]:
    """Every non-blank text node inside a <text>, outside notes and the document's register, in document order."""
    nodes = tree.xpath(f"//tei:text//text()[not(ancestor::tei:note[ancestor::tei:text])][not({DOCUMENT_REGISTER})]", namespaces=NS)
    return [words(node) for node in nodes if words(node)]


def expected_document_register(tree: etree._ElementTree) -> list[str]:
    """Every non-blank text node of the lists in a text's back, outside notes, in document order."""
    nodes = tree.xpath(f"//tei:text//text()[not(ancestor::tei:note[ancestor::tei:text])][{DOCUMENT_REGISTER}]", namespaces=NS)
    return [words(node) for node in nodes if words(node)]


def expected_notes(tree: etree._ElementTree) -> list[list[str]]:
    """For each note of a <text>, in document order, its own non-blank text nodes (nested notes apart)."""
    notes = tree.xpath("//tei:text//tei:note", namespaces=NS)
    result = []
    for note in notes:
        own = [node for node in note.xpath(".//text()") if _nearest_note(node) is note]
        result.append([words(node) for node in own if words(node)])
    return result


def _nearest_note(node: etree._ElementUnicodeResult) -> etree._Element | None:
    element = node.getparent()
    if node.is_tail:
        element = element.getparent()
    while element is not None and not (isinstance(element.tag, str) and element.tag == f"{T}note"):
        element = element.getparent()
    return element


def assert_ordered_subsequence(pieces: list[str], text: str, where: str) -> None:
    """Each piece occurs in `text` after the previous one (greedy earliest match is exact for this)."""
    position = 0
    for index, piece in enumerate(pieces):
        found = text.find(piece, position)
        if found < 0:
            before = text.find(piece)
            detail = "is missing" if before < 0 else f"occurs only before position {position} (out of order)"
            context = " | ".join(pieces[max(0, index - 2) : index + 1])
            raise AssertionError(f"{where}: text node {index} {piece!r} {detail}; around: {context!r}\nHTML text: {text[:2000]!r}")
        position = found + len(piece)


def assert_nothing_lost(stylesheets: Stylesheets, tree: etree._ElementTree, where: str) -> lxml.html.HtmlElement:
    """The whole property: reading text and notes complete and in order, HTML structure sound, no unsafe link."""
    page = render(stylesheets, tree)
    readings = page.xpath("//div[@class='reading-text']")
    assert len(readings) == 1, f"{where}: expected one reading-text div"
    assert_ordered_subsequence(expected_reading_text(tree), words(readings[0].text_content()), f"{where} (reading text)")
    register = expected_document_register(tree)
    sections = page.xpath("//section[@class='document-register']")
    assert len(sections) <= 1, f"{where}: {len(sections)} document registers"
    if register:
        assert sections, f"{where}: the lists of the back are nowhere"
        assert_ordered_subsequence(register, words(sections[0].text_content()), f"{where} (document register)")

    notes = expected_notes(tree)
    items = page.xpath("//section[@class='notes']/ol/li")
    assert len(items) == len(notes), f"{where}: {len(notes)} notes in the TEI, {len(items)} in the notes section"
    for number, (item, pieces) in enumerate(zip(items, notes), start=1):
        assert item.get("id") == f"note-{number}"
        assert page.xpath(f"//a[@id='note-ref-{number}'] | //span[@id='note-ref-{number}']"), f"{where}: note {number} has no callout"
        assert_ordered_subsequence(pieces, words(item.text_content()), f"{where} (note {number})")

    assert_structure_sound(page, where)
    assert_anchors_present(stylesheets, tree, page, where)
    return page


def assert_anchors_present(stylesheets: Stylesheets, tree: etree._ElementTree, page: lxml.html.HtmlElement, where: str) -> None:
    """Every passage anchor the registers and the chronology link to (common/facts.xsl) exists in the page."""
    facts = etree.fromstring(stylesheets.transform("common/facts.xsl", tree).encode("utf-8"))
    anchors = {anchor for anchor in facts.xpath("//@anchor") if anchor}
    ids = set(page.xpath("//@id"))
    missing = sorted(anchors - ids)
    assert not missing, f"{where}: passages {missing} are linked to by registers or chronology but have no anchor in the page"


def assert_structure_sound(page: lxml.html.HtmlElement, where: str) -> None:
    """No words where HTML parsers would move them (lists, tables), no unsafe live link or image."""
    for container in page.xpath("//ul | //ol | //dl | //table | //tr | //tbody | //thead"):
        stray = [t for t in container.xpath("text()") if t.strip()]
        assert not stray, f"{where}: words {stray!r} directly inside <{container.tag}>"
    assert not page.xpath("//a//a | //a//*[@tabindex]"), f"{where}: interactive content inside a link"
    generated = [i for i in page.xpath("//@id") if re.fullmatch(r"note-\d+|note-ref-\d+|notes-heading|p\d+", i)]
    assert len(generated) == len(set(generated)), f"{where}: a generated id occurs twice"
    for link in page.xpath("//a[@href]"):
        href = "".join(link.get("href").split())
        assert not UNSAFE_URL.search(href), f"{where}: live link to {href!r}"
        assert not _climbs_out(href), f"{where}: live link {href!r} escapes the site"
    for image in page.xpath("//img"):
        src = "".join(image.get("src", "").split())
        assert not UNSAFE_URL.search(src) and not _climbs_out(src), f"{where}: image from {src!r}"
        assert image.get("alt"), f"{where}: image without alt text"


def _climbs_out(href: str) -> bool:
    """True when a relative href climbs above the site root (document pages sit one level down)."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", href) or href.startswith("#"):
        return False
    depth = 1  # documents/ is one folder below the site root
    for part in href.split("#")[0].split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Random TEI
# --------------------------------------------------------------------------------------------

# Words with markup characters, whitespace runs, combining marks, CJK, RTL and astral characters.
text_strategy = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abcdefghij ABC  \n\t\u00a0<&>\"'[]{}#;:/")),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Zl", "Zp")),
    ),
    max_size=12,
)
HOSTILE_TARGETS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "../../etc/passwd", "/etc/passwd",
    "//evil.example/x", "file:///etc/passwd",
]
BENIGN_TARGETS = ["#p1", "#tito", "#n1", "#document-1", "other.xml#x", "https://example.org/a?b=1&c=2", "mailto:a@example.org", "images/a.png", "#"]
REND_VALUES = ["italic", "bold", "underline", "sup", "superscript", "sc", "smallcaps", "strikethrough", "#i",
               "font-style:italic", "weird <&> value", "UPPER Case", "", "spaced center", "x" * 60]
INLINE_NAMES = [
    "hi", "emph", "foreign", "persName", "placeName", "orgName", "rs", "name", "date", "ref", "q", "quote", "said",
    "seg", "unclear", "add", "del", "supplied", "sic", "corr", "abbr", "expan", "term", "title", "num", "measure",
    "mentioned", "soCalled", "w", "pc", "time", "cit", "bibl", "stage", "address", "addrLine", "roleName",
    "forename", "surname", "geogName", "settlement", "country", "idno", "label", "gloss", "distinct", "damage",
    "restore", "surplus", "secl", "xyzUnknown", "fooBar", "interp",
]
BLOCK_NAMES = [
    "p", "ab", "div", "head", "opener", "closer", "salute", "signed", "dateline", "postscript", "sp", "speaker",
    "castList", "listBibl", "epigraph", "argument", "trailer", "byline", "docAuthor", "listPerson", "person",
    "unknownBlock", "linkGrp", "interpGrp", "spanGrp",
]
EMPTY_NAMES = ["pb", "lb", "cb", "milestone", "gap", "ptr", "graphic", "space", "anchor", "gb"]


@st.composite
def attributes(draw, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Attributes a file might give this element: the usual ones, and hostile ones for links."""
    attrs: dict[str, str] = {}
    if name == "hi" or draw(st.integers(0, 9)) == 0:
        attrs["rend"] = draw(st.sampled_from(REND_VALUES))
    if name in ("persName", "placeName", "orgName", "rs", "name"):
        how = draw(st.integers(0, 3))
        if how == 0:
            attrs["ref"] = draw(st.sampled_from(["#tito", "#nobody", "https://viaf.org/viaf/1", "#a #b", "javascript:x"]))
        elif how == 1:
            attrs["key"] = draw(st.sampled_from(["Tito, Josip Broz", "k1", "<&>"]))
        if name == "rs" and draw(st.booleans()):
            attrs["type"] = draw(st.sampled_from(["person", "place", "org", "ship", ""]))
    if name in ("ref", "ptr"):
        attrs["target"] = draw(st.sampled_from(HOSTILE_TARGETS + BENIGN_TARGETS))
    if name in ("date", "time"):
        attrs[draw(st.sampled_from(["when", "from", "notBefore", "notAfter", "when-iso"]))] = draw(
            st.sampled_from(["1975-11-04", "1976-08", "1976", "0999", "-0044-03-15", "1975-02-30", "nonsense", ""]))
    if name == "pb":
        attrs["n"] = draw(st.sampled_from(["1", "2r", "<&>"]))
        if draw(st.booleans()):
            attrs["facs"] = draw(st.sampled_from(HOSTILE_TARGETS + ["page1.jpg", "https://example.org/p.jpg", "#surface1"]))
    if name == "lb" and draw(st.booleans()):
        attrs["break"] = "no"
    if name == "graphic":
        attrs["url"] = draw(st.sampled_from(HOSTILE_TARGETS + ["a.png", "https://example.org/a.png"]))
    if name == "gap":
        attrs["reason"] = draw(st.sampled_from(["illegible", "<&>", "damage"]))
    if draw(st.integers(0, 7)) == 0:
        attrs[XML_LANG] = draw(st.sampled_from(["de", "fr", "ko", "ar", "x-unknown"]))
    if draw(st.integers(0, 11)) == 0:
        attrs[XML_ID] = draw(st.sampled_from(["n1", "note-1", "p1", "x1", "tito"]))
    return attrs


def node_strategy() -> st.SearchStrategy:
    """A random node: text, or an element (name, attributes, children) of any shape up to a small depth."""
    leaf = st.one_of(text_strategy, st.builds(lambda n: (n, {}, []), st.sampled_from(EMPTY_NAMES)))

    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        kids = st.lists(children, max_size=4)
        plain = st.sampled_from(INLINE_NAMES + BLOCK_NAMES + ["note", "list", "item", "table", "row", "cell", "lg", "l", "figure", "figDesc", "floatingText", "group", "text", "body"]).flatmap(
            lambda name: st.tuples(st.just(name), attributes(name), kids))
        choice = st.tuples(
            st.just("choice"), st.just({}),
            st.lists(st.tuples(st.sampled_from(["abbr", "expan", "sic", "corr", "orig", "reg", "unclear", "seg"]), st.just({}), kids), min_size=1, max_size=3))
        app = st.tuples(
            st.just("app"), st.just({}),
            st.lists(st.tuples(st.sampled_from(["lem", "rdg", "rdg"]), st.fixed_dictionaries({"wit": st.sampled_from(["#A", "#B #C"])}), kids), min_size=1, max_size=3))
        subst = st.tuples(st.just("subst"), st.just({}), st.tuples(st.tuples(st.just("del"), st.just({}), kids), st.tuples(st.just("add"), st.just({}), kids)).map(list))
        listing = st.tuples(st.just("list"), st.sampled_from([{}, {"type": "ordered"}, {"type": "gloss"}, {"rend": "numbered"}]),
                            st.lists(st.one_of(st.tuples(st.sampled_from(["item", "label", "head"]), st.just({}), kids), text_strategy), max_size=4))
        table = st.tuples(st.just("table"), st.just({}), st.lists(st.one_of(
            st.tuples(st.just("row"), st.sampled_from([{}, {"role": "label"}]), st.lists(st.one_of(
                st.tuples(st.just("cell"), st.sampled_from([{}, {"cols": "2"}, {"role": "label"}, {"rows": "x"}]), kids), text_strategy), max_size=3)),
            st.tuples(st.just("head"), st.just({}), kids), text_strategy), max_size=3))
        floating = st.tuples(st.just("floatingText"), st.just({}), st.tuples(st.tuples(st.just("body"), st.just({}), kids)).map(list))
        return st.one_of(plain, plain, plain, choice, app, subst, listing, table, floating)

    return st.recursive(leaf, extend, max_leaves=20)


NODES = node_strategy()


def build(parent: etree._Element, children: list) -> None:
    """Append generated children (text or element tuples) to an lxml element, as mixed content."""
    for child in children:
        if isinstance(child, str):
            last = parent[-1] if len(parent) else None
            if last is None:
                parent.text = (parent.text or "") + child
            else:
                last.tail = (last.tail or "") + child
        else:
            name, attrs, kids = child
            element = etree.SubElement(parent, f"{T}{name}", {k: v for k, v in attrs.items()})
            build(element, kids)


def header(title: str) -> etree._Element:
    head = etree.Element(f"{T}teiHeader")
    statement = etree.SubElement(etree.SubElement(head, f"{T}fileDesc"), f"{T}titleStmt")
    etree.SubElement(statement, f"{T}title").text = title
    return head


@st.composite
def tei_documents(draw) -> etree._ElementTree:  # type: ignore[no-untyped-def]
    """A TEI document, or a teiCorpus of them, whose text holds a random tree (nested texts and groups too)."""
    def one_tei() -> etree._Element:
        tei = etree.Element(f"{T}TEI", nsmap={None: TEI_NS})
        tei.append(header(draw(text_strategy) or "Title"))
        text = etree.SubElement(tei, f"{T}text")
        if draw(st.integers(0, 3)) == 0:
            group = etree.SubElement(text, f"{T}group")
            for _ in range(draw(st.integers(1, 2))):
                inner = etree.SubElement(group, f"{T}text")
                build(etree.SubElement(inner, f"{T}body"), draw(st.lists(NODES, max_size=3)))
        else:
            for part in ("front", "body", "back"):
                if part == "body" or draw(st.integers(0, 3)) == 0:
                    build(etree.SubElement(text, f"{T}{part}"), draw(st.lists(NODES, min_size=1, max_size=5)))
        if draw(st.integers(0, 4)) == 0:
            standoff = etree.SubElement(tei, f"{T}standOff")
            person = etree.SubElement(etree.SubElement(standoff, f"{T}listPerson"), f"{T}person", {XML_ID: "tito"})
            etree.SubElement(person, f"{T}persName").text = "Josip Broz Tito"
        return tei

    if draw(st.integers(0, 4)) == 0:
        corpus = etree.Element(f"{T}teiCorpus", nsmap={None: TEI_NS})
        corpus.append(header("Corpus"))
        for _ in range(draw(st.integers(1, 3))):
            corpus.append(one_tei())
        return corpus.getroottree()
    return one_tei().getroottree()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=tei_documents())
def test_random_tei_loses_no_text(stylesheets: Stylesheets, document: etree._ElementTree) -> None:
    source = etree.tostring(document, encoding="unicode")
    assert_nothing_lost(stylesheets, document, f"generated TEI {source}")


# --------------------------------------------------------------------------------------------
# Real files
# --------------------------------------------------------------------------------------------

def _fixture_tei_files() -> list[Path]:
    """Every TEI fixture of every test area that the safe parser accepts (others test its refusals)."""
    files = []
    for path in sorted(FIXTURES.rglob("*.xml")):
        try:
            root = parse_file(path, xinclude_root=path.parent).getroot()
        except XMLInputError:
            continue  # deliberately broken or unsafe fixtures of other tests
        if root.tag in (f"{T}TEI", f"{T}teiCorpus") and root.find(f".//{T}text") is not None:
            files.append(path)
    return files


@pytest.mark.parametrize("path", _fixture_tei_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_files_lose_no_text(stylesheets: Stylesheets, path: Path) -> None:
    tree = parse_file(path, xinclude_root=path.parent)
    assert_nothing_lost(stylesheets, tree, str(path.relative_to(FIXTURES)))


@pytest.mark.parametrize("name", FOREIGN_TEI)
def test_foreign_files_lose_no_text(stylesheets: Stylesheets, name: str) -> None:
    path = shared_path("foreign-tei", name)
    tree = parse_file(path)
    assert_nothing_lost(stylesheets, tree, name)
