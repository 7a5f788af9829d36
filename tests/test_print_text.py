"""The reading text in print as an editor sets a letter (xslt/pdf/text.xsl, transcription.xsl, letters.xsl, lib.typ).

Positions are read from the typeset PDF (pymupdf): the text block of an odd page runs from the inside margin
(15 % of the width) to the outside one (20 %), lib.typ's page margins.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pymupdf
import pytest

from conftest import FIXTURES
from test_pdf import PAGE_MARGINS, Build, assert_every_word_in_order, build

LAYOUT = FIXTURES / "pdf" / "letter-layout" / "tei"
TOLERANCE = 2.5  # points at the right (Typst hangs a final comma a little into the margin)
LEFT_TOLERANCE = 0.5  # points at the left: a space before the first word would be more


@pytest.fixture(scope="module")
def stylesheets():  # type: ignore[no-untyped-def]
    from teipress.saxon import Stylesheets

    return Stylesheets()


@pytest.fixture(scope="module")
def layout_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(LAYOUT, tmp_path_factory.mktemp("letter-layout"))


def text_lines(pdf: Path, page_number: int = 0) -> list[tuple[str, pymupdf.Rect]]:
    """The lines of the text block of a page, top to bottom (line numbers in the margin, the page number, left out)."""
    with pymupdf.open(pdf) as document:
        page = document[page_number]
        left = page.rect.width * PAGE_MARGINS["inside"]
        bottom = page.rect.height * (1 - PAGE_MARGINS["bottom"])
        lines = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                box = pymupdf.Rect(line["bbox"])
                if box.x1 > left - TOLERANCE and box.y0 < bottom:
                    lines.append(("".join(span["text"] for span in line["spans"]).replace("\xa0", " ").strip(), box))
        return sorted(lines, key=lambda item: (round(item[1].y0), item[1].x0))


def test_the_letter_reads_line_by_line_as_the_source_orders_it(layout_build: Build) -> None:
    lines = [text for text, _ in text_lines(layout_build.out / "layout-letter.pdf")]
    # From the first page mark to the colophon that closes a document's own PDF ("Cite as" …).
    start, end = lines.index("|1|"), lines.index("Cite as")
    assert lines[start:end] == [
        "|1|",
        "Brasov, 2 May 1901",
        "Dear Ion,",
        "Firstparagraph words run on long enough to fill the measure of the line and more, so",
        "that the paragraph takes two lines in print.",
        "Second paragraph with an ⸢added⸣ word, an [unclear?] one, [supplied] words, a gap",
        "[… 3 words] with its extent, another […] without, and a page|2|break inside a word.",
        "|3|",
        "Centredline",
        "Rightline",
        "Leftline without indent",
        "A torn corner [… two lines] ends here.",
        "Yours ever,",
        "Ana",
        "Postscriptline follows.",
        "Ion Marin",
        "Strada Lunga 7",
        "Sibiu",
    ]


def test_datelines_closers_and_signatures_stand_at_the_right_salutes_at_the_margin(layout_build: Build) -> None:
    lines = dict(text_lines(layout_build.out / "layout-letter.pdf"))
    with pymupdf.open(layout_build.out / "layout-letter.pdf") as document:
        width = document[0].rect.width
    left, right = width * PAGE_MARGINS["inside"], width * (1 - PAGE_MARGINS["outside"])
    at_right = {name: round(lines[name].x1 - right, 1) for name in ("Brasov, 2 May 1901", "Yours ever,", "Ana", "Rightline")}
    assert all(abs(offset) <= TOLERANCE for offset in at_right.values()), at_right
    at_left = {name: round(lines[name].x0 - left, 1) for name in ("Dear Ion,", "Leftline without indent", "Postscriptline follows.", "Ion Marin", "Sibiu", "|3|")}
    assert all(abs(offset) <= LEFT_TOLERANCE for offset in at_left.values()), at_left
    centre = lines["Centredline"]
    assert abs((centre.x0 + centre.x1) / 2 - (left + right) / 2) <= TOLERANCE
    # A paragraph after another is indented; the salute and the first line of a block are not.
    assert lines["Second paragraph with an ⸢added⸣ word, an [unclear?] one, [supplied] words, a gap"].x0 - left > 8


def test_a_line_break_between_two_spaces_makes_one_space(layout_build: Build) -> None:
    """"Leftline <lb/> <seg>without</seg> indent": the words stand as far apart as any two words of the line."""
    with pymupdf.open(layout_build.out / "layout-letter.pdf") as document:
        words = [w for w in document[0].get_text("words") if w[4] in ("Leftline", "without", "indent")]
    (_, _, first_end, *_), (second_start, _, second_end, *_), (third_start, *_) = words
    assert abs((second_start - first_end) - (third_start - second_end)) < 0.5


def test_a_postscript_is_set_off_from_the_signature(layout_build: Build) -> None:
    lines = dict(text_lines(layout_build.out / "layout-letter.pdf"))
    leading = lines["Strada Lunga 7"].y0 - lines["Ion Marin"].y0
    assert lines["Postscriptline follows."].y0 - lines["Ana"].y0 > 1.5 * leading


def test_formulas_after_paragraphs_are_set_as_letters_set_them(layout_build: Build) -> None:
    """Print indents a paragraph that follows another (the second one here), never a salute or a postscript's first
    paragraph, even after a paragraph; the closer's parts, its dateline too, stand at the right; the postscript is set
    off from the signature; each line of an address on a line of its own at the margin, also with words between them;
    the space between the parts of a salute ("Verehrter <choice/> <persName/>!") kept; white space beside an element's
    boundary that meets other white space ("Secondparagraph <rs> <persName>spaced</persName> </rs> words") or opens a
    paragraph (after the marker of its id) printed as one space or none, as a browser does."""
    pdf = layout_build.out / "formulas-letter.pdf"
    found = text_lines(pdf)
    lines = [text for text, _ in found]
    start = lines.index("Letterheadline of the firm.")
    assert lines[start:lines.index("Cite as")] == [
        "Letterheadline of the firm.",
        "Verehrter Herr Engel!",
        "Firstparagraph words.",
        "Secondparagraph spaced words.",
        "Standing salute,",
        "Thirdparagraph words.",
        "Yours ever,",
        "Sibiu, 3 May",
        "Ana",
        "Dear again,",
        "Postscriptline follows.",
        "Herrn Ion Marin,",
        "Strada Lunga 7,",
        "Sibiu",
    ]
    boxes = dict(found)
    with pymupdf.open(pdf) as document:
        width = document[0].rect.width
        page_words = document[0].get_text("words")
    left, right = width * PAGE_MARGINS["inside"], width * (1 - PAGE_MARGINS["outside"])

    def first_word(line: pymupdf.Rect) -> float:
        """Where a line's first word begins (a line's box begins with a space printed before it)."""
        return min(word[0] for word in page_words if abs(word[1] - line.y0) < 2 and word[0] > left - 1)

    at_left = {name: round(first_word(boxes[name]) - left, 1) for name in (
        "Letterheadline of the firm.", "Verehrter Herr Engel!", "Standing salute,", "Thirdparagraph words.", "Dear again,",
        "Postscriptline follows.", "Herrn Ion Marin,", "Strada Lunga 7,", "Sibiu")}
    assert all(abs(offset) <= LEFT_TOLERANCE for offset in at_left.values()), at_left
    assert boxes["Secondparagraph spaced words."].x0 - left > 8, "the paragraph after a paragraph is indented (else this test proves nothing)"
    at_right = {name: round(boxes[name].x1 - right, 1) for name in ("Yours ever,", "Sibiu, 3 May", "Ana")}
    assert all(abs(offset) <= TOLERANCE for offset in at_right.values()), at_right
    leading = boxes["Strada Lunga 7,"].y0 - boxes["Herrn Ion Marin,"].y0
    assert boxes["Dear again,"].y0 - boxes["Ana"].y0 > 1.5 * leading
    with pymupdf.open(pdf) as document:
        line = boxes["Secondparagraph spaced words."]
        words = [w for w in document[0].get_text("words") if abs(w[1] - line.y0) < 2 and w[0] > left - 1]
    assert [w[4] for w in words] == ["Secondparagraph", "spaced", "words."]
    (_, _, first_end, *_), (second_start, _, second_end, *_), (third_start, *_) = words
    assert abs((second_start - first_end) - (third_start - second_end)) < 0.5, "one space on each side of the name"


def test_the_letters_lose_no_text(layout_build: Build) -> None:
    """Every word and every space of the letters in place (tests/nothing_lost.py), alone and in the book."""
    assert_every_word_in_order(layout_build)


def test_page_marks_take_no_line_number(layout_build: Build) -> None:
    """The source's lines are numbered, the marks between them are not: line 5 is the second paragraph's first line."""
    with pymupdf.open(layout_build.out / "layout-letter.pdf") as document:
        page = document[0]
        left = page.rect.width * PAGE_MARGINS["inside"]
        numbers = {span["text"]: span["bbox"][1] for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                   for span in line["spans"] if span["bbox"][2] < left - TOLERANCE}
    lines = dict(text_lines(layout_build.out / "layout-letter.pdf"))
    assert abs(numbers["5"] - lines["Second paragraph with an ⸢added⸣ word, an [unclear?] one, [supplied] words, a gap"].y0) < 6
    assert abs(numbers["10"] - lines["A torn corner [… two lines] ends here."].y0) < 6


# --- one bibliographic style: a source description and a cited document (common/bibliographic.xsl) ---

REPOSITORY = Path(__file__).resolve().parents[1]
EMPTY_REGISTERS = "<TEI xmlns='http://www.tei-c.org/ns/1.0'/>"


def printed_source(stylesheets, source_description: str) -> str:  # type: ignore[no-untyped-def]
    """The "Source" of a document's metadata block in print, for a sourceDesc's content."""
    from teipress.saxon import to_xdm

    document = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
      <publicationStmt><p>P</p></publicationStmt><sourceDesc>{source_description}</sourceDesc></fileDesc></teiHeader>
      <text><body><p>Text.</p></body></text></TEI>"""
    return source_of(stylesheets.transform("pdf/document.xsl", to_xdm(document.encode()), part="book", registers=to_xdm(EMPTY_REGISTERS), document_id="t"))


def source_of(markup: str) -> str:
    import json
    import re

    found = re.search(r'\("Source", ("(?:[^"\\]|\\.)*")\)', markup)
    assert found, markup[:500]
    return json.loads(found.group(1))


def test_the_source_of_the_essay_is_one_citation_with_its_punctuation(stylesheets) -> None:  # type: ignore[no-untyped-def]
    from lxml import etree

    from teipress.saxon import to_xdm

    essay = etree.parse(str(REPOSITORY / "tei" / "coles-tito-kim-correspondence-1975-1976.xml"))
    markup = stylesheets.transform("pdf/document.xsl", to_xdm(essay), part="book", registers=to_xdm(EMPTY_REGISTERS), document_id="essay")
    assert source_of(markup) == (
        "Martin Coles. The Tito-Kim Correspondence: Teething Problems, 1975-1976. "
        "Neighbors in Non-Alignment: The Tito-Kim Correspondence, 1973-1979. "
        "A series of postings by Martin Coles analysing the correspondence between Kim Il Sung and Tito; "
        "the title is that of the series' introduction, as the essay's editor's note gives it. "
        "History and Public Policy Program, Wilson Center. "
        "Published as a blog post on the Wilson Center's website; the page gives no date of publication.")


@pytest.mark.parametrize(("description", "printed"), [
    # authors together, an imprint's parts by commas, a title's own question mark kept
    ("""<biblStruct><analytic><author>Ana Popescu</author><author>Ion Marin</author><title level="a">Who wrote it?</title></analytic>
        <monogr><title level="j">Invented Review</title><imprint><pubPlace>Sibiu</pubPlace><publisher>Press</publisher><date>1901</date></imprint>
        <biblScope unit="page">3–5</biblScope></monogr></biblStruct>""",
     "Ana Popescu, Ion Marin. Who wrote it? Invented Review. Sibiu, Press, 1901. 3–5."),
    # running text is given as written
    ("""<bibl>Printed in <title>Invented Review</title>, 1901, p. <biblScope>3</biblScope>.</bibl>""",
     "Printed in Invented Review, 1901, p. 3."),
    # a part's inner elements do not cut its words apart, and a part that ends in a stop keeps only its own
    ("""<bibl><author><persName>Ana</persName> <persName>Popescu</persName></author><title>On <hi>Tito</hi>; and others.</title></bibl>""",
     "Ana Popescu. On Tito; and others."),
])
def test_a_source_description_is_printed_in_one_bibliographic_style(stylesheets, description: str, printed: str) -> None:  # type: ignore[no-untyped-def]
    assert printed_source(stylesheets, description) == printed


def test_a_cited_document_gives_its_date_once(tmp_path: Path) -> None:
    """A title that already ends with the date ("…, 4 November 1975") is not followed by it again."""
    import shutil

    edition = tmp_path / "tei"
    shutil.copytree(FIXTURES / "pdf" / "edition" / "tei", edition)
    register = edition / "registers" / "bibliography.xml"
    register.write_text(register.read_text(encoding="utf-8").replace(
        "<title>Letter from Kim Il Sung to Josip Broz Tito</title>", "<title>Letter from Kim Il Sung to Josip Broz Tito, 4 November 1975</title>"), encoding="utf-8")
    result = build(edition, tmp_path / "out")
    with pymupdf.open(result.out / "edition.pdf") as book:
        text = " ".join(" ".join(page.get_text() for page in book).split())
    assert "Document 1. Letter from Kim Il Sung to Josip Broz Tito, 4 November 1975. Thanks for a resolution." in text


# --- white space at element boundaries in letters, as a property (tests/nothing_lost.py, rule 3) ---

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from lxml import etree  # noqa: E402


T = "{http://www.tei-c.org/ns/1.0}"
WORDS = st.sampled_from(["Verehrter", "Herr", "Engel", "Dear", "friend", "Yours", "ever", "Brasov", "May", "1901", "Ana", "Ion", "!", ",", "."])
# What stands between two pieces of a line: nothing (the pieces join), a space, a line's end with indentation.
BOUNDARY = st.sampled_from(["", " ", "\n      ", "  "])
PHRASE_NAMES = ["persName", "placeName", "hi", "emph", "date", "seg", "rs", "unclear", "supplied", "add", "del", "title"]


def phrase() -> st.SearchStrategy:
    """Words, and phrase elements around words (a name with a highlighted part too), readings and notes, each with
    optional white space before and after, and white space alone between them. A note follows its word directly:
    white space before a note's mark that an element's end or a line break parts from the note ("Yours </persName>
    <note/> !", "Ion <lb/><note/>") prints as the space the XSLT keeps or Typst's footnote takes away, which
    tests/nothing_lost.py does not model yet."""
    word = st.tuples(BOUNDARY, WORDS, BOUNDARY).map(lambda parts: "".join(parts))
    element = st.tuples(st.sampled_from(PHRASE_NAMES), BOUNDARY, WORDS, BOUNDARY).map(lambda t: (t[0], {"rend": "italic"} if t[0] == "hi" else {}, [t[1] + t[2] + t[3]]))
    nested = st.tuples(BOUNDARY, WORDS, BOUNDARY, WORDS, BOUNDARY).map(
        lambda t: ("persName", {}, [t[0] + t[1] + t[2], ("hi", {"rend": "italic"}, [t[3]]), t[4]]))
    choice = st.tuples(st.sampled_from([("abbr", "expan"), ("sic", "corr"), ("orig", "reg")]), WORDS, WORDS, BOUNDARY).map(
        lambda t: ("choice", {}, [t[3], (t[0][0], {}, [t[1]]), (t[0][1], {}, [t[2]]), t[3]]))
    breaks = st.sampled_from([("lb", {}, []), ("pb", {"n": "2"}, []), ("lb", {"break": "no"}, [])])
    noted = st.tuples(BOUNDARY, WORDS, BOUNDARY, WORDS, BOUNDARY).map(lambda t: [t[0] + t[1], ("note", {}, [t[2] + t[3] + t[4]])])
    pieces = st.lists(st.one_of(word, word, element, nested, choice, breaks, noted, BOUNDARY), min_size=1, max_size=6)
    return pieces.map(lambda items: [piece for item in items for piece in (item if isinstance(item, list) else [item])])


def container(name: str) -> st.SearchStrategy:
    return phrase().map(lambda kids: (name, {}, kids))


# A letter: an opener, paragraphs, a closer (its parts, or its words directly), a postscript and an address.
LETTER_BODY = st.tuples(
    st.tuples(st.just("opener"), st.just({}), st.lists(st.one_of(container("dateline"), container("salute")), min_size=1, max_size=2)),
    st.lists(container("p"), min_size=1, max_size=2),
    st.one_of(st.tuples(st.just("closer"), st.just({}), st.lists(st.one_of(container("salute"), container("signed"), container("dateline")), min_size=1, max_size=2)),
              container("closer")),
    st.lists(st.one_of(st.tuples(st.just("postscript"), st.just({}), st.lists(container("p"), min_size=1, max_size=1)),
                       st.tuples(st.just("address"), st.just({}), st.lists(container("addrLine"), min_size=1, max_size=3))), max_size=1),
).map(lambda parts: [parts[0], *parts[1], parts[2], *parts[3]])


def letter(number: int, body: list) -> etree._ElementTree:
    tei = etree.Element(f"{T}TEI", nsmap={None: "http://www.tei-c.org/ns/1.0"})
    tei.set("{http://www.w3.org/XML/1998/namespace}id", f"letter-{number}")
    file_description = etree.SubElement(etree.SubElement(tei, f"{T}teiHeader"), f"{T}fileDesc")
    etree.SubElement(etree.SubElement(file_description, f"{T}titleStmt"), f"{T}title").text = f"Generated letter {number}"
    etree.SubElement(etree.SubElement(file_description, f"{T}publicationStmt"), f"{T}p").text = "Generated."
    etree.SubElement(etree.SubElement(file_description, f"{T}sourceDesc"), f"{T}p").text = "Generated."
    text = etree.SubElement(tei, f"{T}text", {"type": "letter"})
    append(etree.SubElement(text, f"{T}body"), body)
    return tei.getroottree()


def append(parent: etree._Element, children: list) -> None:
    for child in children:
        if isinstance(child, str):
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + child
            else:
                parent.text = (parent.text or "") + child
        else:
            name, attributes, kids = child
            append(etree.SubElement(parent, f"{T}{name}", attributes), kids)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(LETTER_BODY, min_size=6, max_size=6))
def test_letters_lose_no_space_at_the_boundaries_of_their_elements(tmp_path_factory: pytest.TempPathFactory, bodies: list) -> None:
    """Six generated letters a run, each typeset alone and in the book: every word and every space in its place."""
    edition = tmp_path_factory.mktemp("letters") / "tei"
    edition.mkdir()
    shutil_copy = (FIXTURES / "pdf" / "letter-layout" / "tei" / "edition.xml").read_bytes()
    (edition / "edition.xml").write_bytes(shutil_copy)
    for number, body in enumerate(bodies, start=1):
        letter(number, body).write(str(edition / f"letter-{number}.xml"), encoding="utf-8", xml_declaration=True)
    assert_every_word_in_order(build(edition, edition.parent / "out"))


# --- images of the text in print (pdf.py print_images, text.xsl, lib.typ tp-image) ---------------------

def test_a_figure_s_image_is_printed_with_its_description_and_only_local_images_are_read(tmp_path: Path) -> None:
    import shutil

    edition = tmp_path / "tei"
    shutil.copytree(FIXTURES / "facsimile" / "edition", edition)
    (tmp_path / "outside.png").write_bytes((edition / "images" / "seal.png").read_bytes())
    letter = edition / "letter-with-pages.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace(
        '<figure><graphic url="images/seal.png"/>',
        '<figure><graphic url="../outside.png"/><graphic url="https://example.org/seal.png"/><graphic url="images/missing.png"/>'
        '<graphic url="images/seal.png"/>'), encoding="utf-8")
    result = build(edition, tmp_path / "out")
    for pdf, first_page in ((result.out / "letter-with-pages.pdf", 0), (result.out / "edition.pdf", None)):
        with pymupdf.open(pdf) as document:
            pages = [page for page in document if page.get_images()]
            assert len(pages) == 1 and len(pages[0].get_images()) == 1, pdf.name  # the seal, once: no other file was read
            if first_page is not None:
                assert pages[0].number == first_page
            words = [line for line, _ in text_lines(pdf, pages[0].number)]
            assert words[words.index("Dear Otto, the parcel came at last, and with it your drawing of the seal.") + 1] == "A drawing of a round seal"
    markup_images = [line for line in (result.out / ".teipress" / "chapters" / "letter-with-pages.typ").read_text(encoding="utf-8").split("#tp-image(")[1:]]
    assert [line.split(")")[0] for line in markup_images] == [
        f'"{__import__("hashlib").sha256((edition / "images" / "seal.png").read_bytes()).hexdigest()}.png", "A drawing of a round seal"']


def test_a_changed_image_typesets_its_document_again(tmp_path: Path) -> None:
    import shutil

    edition = tmp_path / "tei"
    shutil.copytree(FIXTURES / "facsimile" / "edition", edition)
    first = build(edition, tmp_path / "out")
    assert "letter-with-pages" in first.result.typeset
    unchanged = build(edition, tmp_path / "out")
    assert unchanged.result.typeset == []
    (edition / "images" / "seal.png").write_bytes((edition / "images" / "page-1.png").read_bytes())
    changed = build(edition, tmp_path / "out")
    assert changed.result.typeset == ["letter-with-pages"]


def test_the_site_describes_a_source_in_the_same_words_as_print(tmp_path: Path, stylesheets) -> None:  # type: ignore[no-untyped-def]
    """One bibliographic style throughout: the document page's "Source" is the print's."""
    from lxml import etree, html

    from teipress.config import load_config
    from teipress.edition import load_edition
    from teipress.html import write_site
    from teipress.saxon import to_xdm

    config = load_config(REPOSITORY, output=tmp_path)
    write_site(load_edition(REPOSITORY / "tei"), config, tmp_path / "html", jobs=1)
    name = "coles-tito-kim-correspondence-1975-1976"
    page = html.parse(str(tmp_path / "html" / "documents" / f"{name}.html"))
    shown = [" ".join(dt.getnext().text_content().split()) for dt in page.xpath("//aside//dt") if dt.text_content().strip() == "Source"]
    essay = etree.parse(str(REPOSITORY / "tei" / f"{name}.xml"))
    printed = source_of(stylesheets.transform("pdf/document.xsl", to_xdm(essay), part="book", registers=to_xdm(EMPTY_REGISTERS), document_id=name))
    assert shown == [printed]


# --- the apparatus: a second series in the footnote area, keyed to line numbers (lib.typ tp-footnote-entry) ---

APPARATUS_LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="apparatus-letter"><teiHeader><fileDesc>
  <titleStmt><title>Letter with readings</title></titleStmt><publicationStmt><p>Test fixture.</p></publicationStmt>
  <sourceDesc><p>Invented for tests.</p></sourceDesc></fileDesc></teiHeader>
  <text type="letter"><body>
    <p>First <app><lem>alpha</lem><rdg wit="#A">beta</rdg></app> and <app><lem>gamma</lem><rdg wit="#B">delta</rdg><rdg wit="#C #D"/></app>
    stand on one line.<note>An editorial note.</note> {filler} Then a word <choice><sic>recieved</sic><corr>received</corr></choice> later.</p>
  </body></text></TEI>"""


def apparatus_edition(tmp_path: Path, letter: str) -> Path:
    import shutil

    edition = tmp_path / "tei"
    edition.mkdir()
    shutil.copy(LAYOUT / "edition.xml", edition / "edition.xml")
    (edition / "apparatus-letter.xml").write_text(letter, encoding="utf-8")
    return edition


def test_apparatus_entries_stand_with_the_notes_in_the_order_of_the_text(tmp_path: Path) -> None:
    """Each line's entries below it, with the notes in the order of their calls: the line number in bold once,
    "lemma] reading" with the witnesses' sigla in italics, "om." for a witness without text, "; " between entries."""
    import subprocess

    edition = apparatus_edition(tmp_path, APPARATUS_LETTER.format(filler="The words of the letter run on to fill its lines. " * 8))
    pdf = build(edition, tmp_path / "out").out / "apparatus-letter.pdf"
    lines = [text for text, _ in text_lines(pdf)]
    first = next(index for index, text in enumerate(lines) if text.startswith("First alpha and gamma"))
    later = next(index for index, text in enumerate(lines) if "received" in text) - first + 1
    layout = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    foot = [" ".join(line.split()) for line in layout[layout.index("1 alpha]"):].splitlines() if line.strip()]
    assert foot[:3] == ["1 alpha] beta A; gamma] delta B; om. C D", "1An editorial note.", f"{later} received] recieved sic"]
    assert later > 2
    with pymupdf.open(pdf) as document:
        page = document[0]
        rule = min(d["rect"].y0 for d in page.get_drawings() if d["rect"].height < 1.5 and 20 < d["rect"].width < page.rect.width * 0.3)
        spans = [span for block in page.get_text("dict")["blocks"] for line in block.get("lines", []) for span in line["spans"]
                 if span["text"].strip() and rule < span["origin"][1] < page.rect.height * 0.88]
    assert [span["text"].strip() for span in spans if span["flags"] & 16] == ["1", str(later)]
    assert [span["text"].strip() for span in spans if span["flags"] & 2] == ["A", "B", "C D", "sic"]


def test_a_page_full_of_notes_and_apparatus_entries_overlaps_nowhere(tmp_path: Path) -> None:
    """On every page the footnote area starts below the text's last line, and no two lines of either cross:
    the apparatus was once set after the page's last note, measured without it, over the lines above."""
    reading = '<choice><sic>recieved</sic><corr>received</corr></choice> and <app><lem>alpha</lem><rdg wit="#A">beta gamma delta</rdg></app>'
    sentences = " ".join(f"Sentence {n} has a word {reading} to record.{'<note>A note long enough to take a line of its own in the foot of the page.</note>' if n % 3 == 0 else ''}"
                         for n in range(160))
    letter = APPARATUS_LETTER.replace("<p>First", f"<p>{sentences}</p><p>First").format(filler="")
    result = build(apparatus_edition(tmp_path, letter), tmp_path / "out")
    assert [str(problem) for problem in result.result.problems] == []
    crossings = []
    with pymupdf.open(result.out / "apparatus-letter.pdf") as document:
        assert document.page_count > 3
        for number, page in enumerate(document):
            rules = [d["rect"] for d in page.get_drawings() if d["rect"].height < 1.5 and 20 < d["rect"].width < page.rect.width * 0.3]
            lines = sorted((pymupdf.Rect(line["bbox"]) for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                            if "".join(span["text"] for span in line["spans"]).strip()), key=lambda box: box.y0)
            if rules:
                text = [box for box in lines if box.y1 < rules[0].y0]
                foot = [box for box in lines if box.y0 > rules[0].y0]
                assert text and foot and len(text) + len(foot) == len(lines), f"page {number + 1}: a line crosses the footnote rule"
            crossings += [number + 1 for above, below in zip(lines, lines[1:])
                          if not (above & below).is_empty and (above & below).height > 2 and (above & below).width > 1]
    assert crossings == []


def test_elements_with_ids_are_reference_targets_also_in_tables(tmp_path: Path) -> None:
    """text.xsl marks an element with an xml:id as a target (lib.typ tp-target), but not a table's row or cell,
    which are Typst code (Escher letters have them): the letter is typeset with every word."""
    import shutil

    edition = tmp_path / "tei"
    edition.mkdir()
    shutil.copy(LAYOUT / "edition.xml", edition / "edition.xml")
    (edition / "table-letter.xml").write_text(APPARATUS_LETTER.replace('xml:id="apparatus-letter"', 'xml:id="table-letter"').replace(
        "<p>First", '<table xml:id="t1"><row xml:id="r1"><cell xml:id="c1">Cellword</cell><cell>Otherword</cell></row></table><p xml:id="p1">First'
    ).format(filler=""), encoding="utf-8")
    pdf = build(edition, tmp_path / "out").out / "table-letter.pdf"
    words = [text for text, _ in text_lines(pdf)]
    assert "Cellword Otherword" in words or ("Cellword" in words and "Otherword" in words), words


def test_a_reference_to_a_passage_of_another_document_names_that_document(stylesheets) -> None:  # type: ignore[no-untyped-def]
    """Ids such as p3 recur in every document: a passage is a target as "document#id", so "other.xml#p3" finds the
    other document's p3, not the citing document's own, nor the first p3 of the volume."""
    import re

    from teipress.saxon import to_xdm

    letter = APPARATUS_LETTER.replace("<p>First", '<p xml:id="p3">See <ref target="other.xml#p3">there</ref> and <ref target="#other"/>. First').format(filler="")
    markup = stylesheets.transform("pdf/document.xsl", to_xdm(letter.encode()), part="book", registers=to_xdm(EMPTY_REGISTERS), document_id="this")
    assert re.findall(r'#tp-(?:ref|target)\("([^"]*)"', markup) == ["this#p3", "other#p3", "other"]  # the document itself: lib.typ tp-document


def test_a_reference_without_words_right_after_a_word_prints_its_locator_in_brackets(stylesheets) -> None:  # type: ignore[no-untyped-def]
    """Escher's letters put references without words right after a word ("erstarkt<ref/><ref/>"): each prints
    " (S. 186)" as a reference with words does (tp-ref's second argument false), not "erstarktS. 186S. 215"; after a
    space, one prints its locator alone ("und S. 8")."""
    import re

    from teipress.saxon import to_xdm

    letter = APPARATUS_LETTER.replace("<p>First", '<p>Erstarkt<ref target="#one"/><ref target="#two"/>, und <ref target="#three"/><!-- c --> '
                                      'sowie <!-- c --><ref target="#four"/>. First').format(filler="")
    markup = stylesheets.transform("pdf/document.xsl", to_xdm(letter.encode()), part="book", registers=to_xdm(EMPTY_REGISTERS), document_id="this")
    assert re.findall(r'#tp-ref\("([^"]*)", (true|false)\)', markup) == [("one", "false"), ("two", "false"), ("three", "true"), ("four", "true")]


INDENT_LETTER = APPARATUS_LETTER.replace("<p>First", """<p rend="left">Mein Standpunkt wäre ungefähr folgender.</p>
    <p rend="indent">a) Sie fördert nicht nur Handelsinteressen.</p><p>b) Ein Absatz nach ihm.</p><p rend="indent">c) Noch einer.</p>
    <p>First""").format(filler="")


ALIGNED_LETTER = APPARATUS_LETTER.replace("<p>First", """<p>Ein Absatz davor.</p><p rend="left">Bündig links eins.</p>
    <p rend="left">Bündig links zwei.</p><p>Ein Absatz danach.</p><p>Noch ein Absatz.</p>
    <p>First""").format(filler="")


def test_a_paragraph_after_a_flush_left_one_starts_at_the_margin_as_on_the_site(tmp_path: Path) -> None:
    """lib.typ sets a flush-left paragraph without a block around it (a block cost a long letter 25 s), but the paragraph
    after it starts at the margin as after a block and as the site shows it; the one after that is indented; all stand
    as far apart as any two paragraphs."""
    pdf = build(apparatus_edition(tmp_path, ALIGNED_LETTER), tmp_path / "out").out / "apparatus-letter.pdf"
    lines = dict(text_lines(pdf))
    left = pymupdf.open(pdf)[0].rect.width * PAGE_MARGINS["inside"]
    texts = ("Ein Absatz davor.", "Bündig links eins.", "Bündig links zwei.", "Ein Absatz danach.", "Noch ein Absatz.")
    assert [lines[text].x0 - left > 8 for text in texts[1:]] == [False, False, False, True]
    gaps = [round(lines[after].y0 - lines[before].y0, 1) for before, after in itertools.pairwise(texts)]
    assert max(gaps) - min(gaps) <= 0.2, gaps


def test_a_paragraph_the_source_indents_is_indented_after_a_flush_left_one_and_only_once(tmp_path: Path) -> None:
    """Typst indents a paragraph only after another; p rend="indent" is indented after a block too (Escher's K_0002:
    "a) Sie fördert …" after the flush-left "Mein Standpunkt …"), by the same amount as a paragraph after a paragraph."""
    pdf = build(apparatus_edition(tmp_path, INDENT_LETTER), tmp_path / "out").out / "apparatus-letter.pdf"
    lines = dict(text_lines(pdf))
    left = pymupdf.open(pdf)[0].rect.width * PAGE_MARGINS["inside"]
    indents = [round(lines[text].x0 - left, 1) for text in ("Mein Standpunkt wäre ungefähr folgender.", "a) Sie fördert nicht nur Handelsinteressen.",
                                                             "b) Ein Absatz nach ihm.", "c) Noch einer.")]
    assert abs(indents[0]) <= LEFT_TOLERANCE and indents[1] > 8
    assert indents[1] == indents[2] == indents[3], indents
