"""Nothing lost: every text node of every <text> reaches the HTML, exactly, in order.

The view read here is the reading view, from the HTML's markup (CSS and script left aside): the readings
the edition follows (the reading span without a class) in place, the other readings (.reading-secondary, which the diplomatic
view shows instead of an expansion, correction or regularisation) as streams of their own; a deletion outside
an alternate counts in its place, since the page holds it for the diplomatic view although the reading view
hides it by CSS (tests/test_reading_views.py checks what each view shows in a browser). That view shows the
text of the TEI as a sequence, with its spaces, and nothing else but what the rules of tests/nothing_lost.py
allow the output to add; each note shows its own text in
the notes section, each recorded reading (an abbreviation, an error, a variant) its text in its
hidden reading span; the lists of a text's back (the document's own register) are shown after the
notes, every character in order (rule 5). Every passage anchor that registers and the chronology link to exists in the
page, and no link is live to an unsafe target. The property runs on hypothesis-generated TEI
(random trees over a broad vocabulary, text and white space wherever TEI allows it and directly
inside choice, app and subst, hostile links and odd characters included), on every TEI file among
the test fixtures, and on the foreign TEI files of ../shared.
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
from nothing_lost import Piece, assert_kept_in_order, assert_same_streams, assert_same_text, expected_streams, sequence
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
# Fixtures the safe parser refuses on purpose (the tests of its refusals use them): any other
# fixture that cannot be read is an error of this test, not a file to pass over.
UNREADABLE_FIXTURES = {
    "core/xinclude/escape.xml", "core/xinclude/loop.xml", "core/xinclude/remote.xml", "exchange/bad/latin1.xml",
    "exchange/bad/not-well-formed.xml", "validate/billion-laughs.xml", "validate/external-entity.xml",
    "validate/not-well-formed.xml", "validate/xinclude-outside.xml",
}
# Schemes and paths that must never become a live link or image source.
UNSAFE_URL = re.compile(r"^(javascript|vbscript|data|file):|^/|^\\", re.IGNORECASE)

# What the HTML adds to the text (rule 4 of tests/nothing_lost.py), and what separates as a block.
ADDED_CLASSES = {"note-ref", "pb-label", "pb-facs", "corpus-member-title", "ref-target"}
GAP_MARK = "[…]"
BLOCK_TAGS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption",
              "table", "caption", "thead", "tbody", "tr", "td", "th", "ul", "ol", "dl", "article", "section", "br", "hr"}
BLOCK_CLASSES = {"block", "line", "verse-line"}


@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    """One compiled fragment stylesheet for the whole module."""
    sheets = Stylesheets()
    sheets.executable("html/fragment.xsl")
    return sheets


def render(stylesheets: Stylesheets, tree: etree._ElementTree) -> lxml.html.HtmlElement:
    """The fragment's HTML, parsed as a browser's HTML parser would (inside a body)."""
    html = stylesheets.transform("html/fragment.xsl", tree)
    return lxml.html.document_fromstring(f"<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>")


def shown(element: lxml.html.HtmlElement, recorded: list[list[Piece]] | None) -> list[Piece]:
    """What the reading view shows of an HTML element, as a stream (rule 4): added text left out, blocks
    apart. Recorded readings are hidden; with `recorded` given, each outermost one is collected there."""
    out: list[Piece] = []

    def visit(node: lxml.html.HtmlElement) -> None:
        classes = set((node.get("class") or "").split())
        if classes & ADDED_CLASSES or node.get("role") == "doc-backlink":
            pass
        elif "reading-secondary" in classes and recorded is not None:
            recorded.append(shown(node, None))
        else:
            # A block separates; an inline element's start or end does not.
            block = node.tag in BLOCK_TAGS or bool(classes & BLOCK_CLASSES)
            out.append(" " if block else "")
            text = node.text or ""
            if "gap" in classes:
                assert text.startswith(GAP_MARK), f"a gap without its mark: {lxml.html.tostring(node)!r}"
                text = text[len(GAP_MARK):]
            out.append(text)
            for child in node:
                if isinstance(child.tag, str):
                    visit(child)
                out.append(child.tail or "")
            out.append(" " if block else "")

    visit(element)
    return out


def assert_nothing_lost(stylesheets: Stylesheets, tree: etree._ElementTree, where: str) -> lxml.html.HtmlElement:
    """The whole property: reading text, notes and recorded readings exact, HTML structure sound, no unsafe link."""
    page = render(stylesheets, tree)
    expected = expected_streams(tree.getroot())
    readings = page.xpath("//div[@class='reading-text']")
    assert len(readings) == 1, f"{where}: expected one reading-text div"
    recorded: list[list[Piece]] = []
    assert_same_text(expected.reading, shown(readings[0], recorded), f"{where} (reading text)")

    items = page.xpath("//section[@class='notes']/ol/li")
    assert len(items) == len(expected.notes), f"{where}: {len(expected.notes)} notes in the TEI, {len(items)} in the notes section"
    for number, (item, note) in enumerate(zip(items, expected.notes), start=1):
        assert item.get("id") == f"note-{number}"
        assert page.xpath(f"//a[@id='note-ref-{number}'] | //span[@id='note-ref-{number}']"), f"{where}: note {number} has no callout"
        assert_same_text(note, shown(item, recorded), f"{where} (note {number})")
    registers = page.xpath("//section[@class='document-register']")
    assert len(registers) <= 1, f"{where}: {len(registers)} document registers"
    if sequence(expected.register).chars:
        assert registers, f"{where}: the lists of the back are nowhere"
    if registers:
        assert_kept_in_order(expected.register, shown(registers[0], recorded), f"{where} (document register)")
    assert_same_streams(expected.all_recorded(), recorded, f"{where} (recorded reading")

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
# White space alone: between elements, at their boundaries, between readings.
WHITE_SPACE = st.sampled_from([" ", "\n  ", "\t", "  \n\t ", "\u00a0"])


def interleaved(readings: st.SearchStrategy, loose: st.SearchStrategy) -> st.SearchStrategy:
    """One to three readings with optional text or white space before, between and after them."""
    return st.lists(st.tuples(st.lists(loose, max_size=1), readings), min_size=1, max_size=3).flatmap(
        lambda pairs: st.lists(loose, max_size=1).map(lambda end: [n for before, r in pairs for n in (*before, r)] + end))


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
    leaf = st.one_of(text_strategy, WHITE_SPACE, st.builds(lambda n: (n, {}, []), st.sampled_from(EMPTY_NAMES)))

    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        kids = st.lists(children, max_size=4)
        plain = st.sampled_from(INLINE_NAMES + BLOCK_NAMES + ["note", "list", "item", "table", "row", "cell", "lg", "l", "figure", "figDesc", "floatingText", "group", "text", "body"]).flatmap(
            lambda name: st.tuples(st.just(name), attributes(name), kids))
        # Alternates: readings with text and white space between, before and after them (rule 2 of
        # tests/nothing_lost.py: text directly inside an alternate is read in its place).
        loose = st.one_of(text_strategy, WHITE_SPACE)
        choice = st.tuples(
            st.just("choice"), st.just({}),
            interleaved(st.tuples(st.sampled_from(["abbr", "expan", "sic", "corr", "orig", "reg", "unclear", "seg"]), st.just({}), kids), loose))
        reading = st.tuples(st.sampled_from(["lem", "rdg", "rdg"]), st.fixed_dictionaries({"wit": st.sampled_from(["#A", "#B #C"])}), kids)
        group = st.tuples(st.just("rdgGrp"), st.just({}), interleaved(reading, loose))
        app = st.tuples(st.just("app"), st.just({}), interleaved(st.one_of(reading, reading, group, st.tuples(st.just("note"), st.just({}), kids)), loose))
        subst = st.tuples(st.just("subst"), st.just({}), st.tuples(
            loose, st.tuples(st.just("del"), st.just({}), kids), loose, st.tuples(st.just("add"), st.just({}), kids), loose).map(list))
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


@pytest.mark.parametrize("body", [
    "<table><row><cell><row/>a</cell></row></table>",  # found by the property below
    "<table><row><cell>a <row><cell>b</cell></row> c</cell></row></table>",
    "<p>a <cell>b</cell> c</p>",
    "<list><item>a <row><cell>b</cell></row></item></list>",
])
def test_rows_and_cells_outside_a_table_keep_their_words_in_place(stylesheets: Stylesheets, body: str) -> None:
    """A row not in a table or a cell not in a row (other projects' files nest them so) must not become a tr or td,
    which the browser's parser would move out of their place with the words around them."""
    source = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader><text><body>{body}</body></text></TEI>'
    assert_nothing_lost(stylesheets, etree.ElementTree(etree.fromstring(source)), source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=tei_documents())
def test_random_tei_loses_no_text(stylesheets: Stylesheets, document: etree._ElementTree) -> None:
    source = etree.tostring(document, encoding="unicode")
    assert_nothing_lost(stylesheets, document, f"generated TEI {source}")


# --------------------------------------------------------------------------------------------
# Real files
# --------------------------------------------------------------------------------------------

def _read_fixtures() -> tuple[list[Path], set[str]]:
    """The TEI fixtures with a <text>, and the fixtures the safe parser refuses."""
    files, unreadable = [], set()
    for path in sorted(FIXTURES.rglob("*.xml")):
        try:
            root = parse_file(path, xinclude_root=path.parent).getroot()
        except XMLInputError:
            unreadable.add(path.relative_to(FIXTURES).as_posix())
            continue
        if root.tag in (f"{T}TEI", f"{T}teiCorpus") and root.find(f".//{T}text") is not None:
            files.append(path)
    return files, unreadable


FIXTURE_FILES, UNREADABLE = _read_fixtures()


def test_only_the_listed_fixtures_are_unreadable() -> None:
    assert UNREADABLE == UNREADABLE_FIXTURES


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_files_lose_no_text(stylesheets: Stylesheets, path: Path) -> None:
    tree = parse_file(path, xinclude_root=path.parent)
    assert_nothing_lost(stylesheets, tree, str(path.relative_to(FIXTURES)))


@pytest.mark.parametrize("name", FOREIGN_TEI)
def test_foreign_files_lose_no_text(stylesheets: Stylesheets, name: str) -> None:
    path = shared_path("foreign-tei", name)
    tree = parse_file(path)
    assert_nothing_lost(stylesheets, tree, name)
