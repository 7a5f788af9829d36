"""The PDF print edition: every word in order, indexes, apparatus, line numbers, PDF/A with the source attached, fonts, safety."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pypdf
import pytest
from lxml import etree

from conftest import FIXTURES, shared_path
from teipress.config import load_config
from teipress.edition import load_edition
from teipress.pdf import PdfResult, build_pdfs
from teipress.problems import display_path
from teipress.xmlio import NS, TEI_NS

EDITION = FIXTURES / "pdf" / "edition"
TELEGRAM = "telegram-1967-05-01-pyongyang"
ESSAY = "essay-coles"
LETTER = "letter-1975-11-04-kim-tito"

# Text the edition does not print in the reading text but records elsewhere (apparatus, notes).
RECORDED_ELSEWHERE = {"note", "teiHeader", "standOff"}
# Of two or more readings the edition prints one: (element, the children in order of preference).
SHOWN_READING = {"choice": ("expan", "corr", "reg"), "app": ("lem", "rdg"), "subst": ("add",)}
BLOCKS = {"p", "head", "l", "item", "cell", "row", "lg", "opener", "closer", "dateline", "salute", "signed",
          "div", "sp", "speaker", "stage", "ab", "list", "table", "quote", "trailer", "byline"}


@dataclass
class Build:
    source: Path
    out: Path
    result: PdfResult


def build(source: Path, out: Path) -> Build:
    config = load_config(source.parent if source.name == "tei" else source, source=source, output=out)
    return Build(source, out, build_pdfs(load_edition(source), config, out, jobs=2))


@pytest.fixture(scope="session")
def edition_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture edition typeset once per test session."""
    return build(EDITION / "tei", tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="session")
def foreign_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The foreign TEI files of ../shared typeset once per test session."""
    return build(shared_path("foreign-tei"), tmp_path_factory.mktemp("foreign-pdf"))


# ---- helpers -------------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    """Words as compared: hyphens and soft hyphens dropped (line-end hyphenation), case folded."""
    text = text.replace("\u00ad\n", "").replace("\u00ad", "").replace("-\n", "").replace("-", "")
    return [w.casefold() for w in re.findall(r"[^\W\d_]+|\d+", text)]


def pdf_text(path: Path) -> str:
    """The text of the pages' text blocks, line by line, without running heads, page and line numbers,
    so that a word hyphenated across a page break joins up again."""
    lines: list[str] = []
    with pymupdf.open(path) as document:
        for page in document:
            height = page.rect.height
            page_words = page.get_text("words", clip=pymupdf.Rect(0, 0.09 * height, page.rect.width, 0.89 * height))
            if not page_words:
                continue
            left_edge = min((w[0] for w in page_words if not w[4].isdigit()), default=0)
            by_line: dict[tuple[int, int], list[str]] = {}
            for word in page_words:
                if word[2] < left_edge and word[4].isdigit():
                    continue
                by_line.setdefault((word[5], word[6]), []).append(word[4])
            lines.extend(" ".join(line) for line in by_line.values())
    return "\n".join(lines)


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as document:
        return [" ".join(page.get_text().replace("\u00ad\n", "").replace("-\n", "").split()) for page in document]


def reading_text(element: etree._Element) -> str:
    """The words a reader sees in the reading text, in order: without notes and recorded alternatives."""
    parts: list[str] = []

    def shown(alternate: etree._Element) -> etree._Element | None:
        children = [c for c in alternate if isinstance(c.tag, str)]
        for preferred in SHOWN_READING[etree.QName(alternate).localname]:
            for child in children:
                if etree.QName(child).localname == preferred:
                    return child
        return children[0] if children else None

    def recorded_elsewhere(node: etree._Element) -> bool:
        parent = node.getparent()
        if parent is not None and isinstance(parent.tag, str) and etree.QName(parent).localname in SHOWN_READING:
            return etree.QName(node).localname != "lem" and node is not shown(parent) and etree.QName(node).localname in {
                "abbr", "expan", "sic", "corr", "orig", "reg", "rdg", "rdgGrp", "add", "del", "seg", "unclear", "lem"}
        return etree.QName(node).localname in RECORDED_ELSEWHERE

    def walk(node: etree._Element) -> None:
        name = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if not isinstance(node.tag, str) or recorded_elsewhere(node):
            parts.append(" " if name else "")
        else:
            if name in BLOCKS or (name == "lb" and node.get("break") != "no"):
                parts.append(" ")
            parts.append(node.text or "")
            for child in node:
                walk(child)
            if name in BLOCKS:
                parts.append(" ")
        parts.append(node.tail or "")

    walk(element)
    return "".join(parts)


def is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, str]:
    """Whether `needle` occurs in order in `haystack`; else the first word not found."""
    position = 0
    for index, word in enumerate(needle):
        try:
            position = haystack.index(word, position) + 1
        except ValueError:
            return False, f"word {index} {word!r} (after {needle[max(0, index - 5):index]})"
    return True, ""


def documents(source: Path) -> list[tuple[str, Path, etree._Element]]:
    edition = load_edition(source)
    return [(d.id, d.path, d.tree.getroot()) for d in edition.documents]


def assert_every_word_in_order(build_: Build) -> None:
    for document_id, _, root in documents(build_.source):
        pdf_words = words(pdf_text(build_.out / f"{document_id}.pdf"))
        for text in root.iter(f"{{{TEI_NS}}}text"):
            found, missing = is_subsequence(words(reading_text(text)), pdf_words)
            assert found, f"{document_id}: {missing} is missing from the PDF"
            for recorded in text.xpath(".//tei:note | .//tei:rdg | .//tei:abbr | .//tei:sic | .//tei:orig", namespaces=NS):
                found, missing = is_subsequence(words("".join(recorded.itertext())), pdf_words)
                assert found, f"{document_id}: {missing} of a <{etree.QName(recorded).localname}> is missing from the PDF"


# ---- the outputs ---------------------------------------------------------------------------------

@pytest.mark.usefixtures("needs_cjk_font")
def test_a_pdf_per_document_and_the_book(edition_build: Build) -> None:
    names = sorted(p.name for p in edition_build.result.files)
    assert names == sorted([f"{ESSAY}.pdf", f"{TELEGRAM}.pdf", f"{LETTER}.pdf", "edition.pdf"])
    assert all(p.read_bytes().startswith(b"%PDF-") for p in edition_build.result.files)
    assert edition_build.result.problems == []


@pytest.mark.usefixtures("needs_cjk_font")
def test_every_word_of_each_document_in_order(edition_build: Build) -> None:
    assert_every_word_in_order(edition_build)


@pytest.mark.usefixtures("needs_cjk_font")
def test_the_book_holds_every_document_in_order(edition_build: Build) -> None:
    book_words = words(pdf_text(edition_build.out / "edition.pdf"))
    for document_id, _, root in documents(edition_build.source):
        found, missing = is_subsequence(words(reading_text(root.find("tei:text", NS))), book_words)
        assert found, f"{document_id} in the book: {missing}"


def test_hostile_text_stays_literal(edition_build: Build) -> None:
    text = " ".join(pdf_text(edition_build.out / f"{TELEGRAM}.pdf").split())
    for literal in ['#read("/etc/passwd")', '#panic("x")', "$x$", "*bold*", "_em_", "<label>", "@ref", '"quotes"',
                    "back\\slash\\\\", ')#panic("y")//', "= heading at line start", "- item", "1. item", "+ plus"]:
        assert literal in text
    assert "root:" not in text


def test_pages_are_rendered_for_a_person_to_look_at(edition_build: Build, artifacts_dir: Path) -> None:
    for pdf in edition_build.result.files:
        with pymupdf.open(pdf) as document:
            pixmap = document[0].get_pixmap(dpi=70)
            target = artifacts_dir / f"pdf-{pdf.stem}-page1.png"
            pixmap.save(target)
            dark = sum(1 for value in pixmap.samples[::pixmap.n] if value < 128)
        assert dark > 500, f"page 1 of {pdf.name} is almost empty"


def test_the_book_has_title_page_contents_and_bookmarks(edition_build: Build) -> None:
    with pymupdf.open(edition_build.out / "edition.pdf") as book:
        bookmarks = [title for _, title, _ in book.get_toc()]
        first_page = book[0].get_text()
        contents = book[1].get_text()
    assert "A Test Edition" in first_page and "Ana Popescu" in first_page and "Ivan Petrov" in first_page
    assert bookmarks == ["Introduction", "Editorial principles", "An Essay on Correspondence",
                         "Telegram from Pyongyang to Bucharest, No. 76.153",
                         "Letter from Kim Il Sung to Josip Broz Tito", "Cited documents",
                         "Index of persons", "Index of places", "Index of organisations"]
    assert "Contents" in contents and "Telegram from Pyongyang to Bucharest" in contents


@pytest.mark.usefixtures("needs_cjk_font")
def test_pdf_metadata_and_attached_source(edition_build: Build) -> None:
    source = EDITION / "tei" / f"{TELEGRAM}.xml"
    reader = pypdf.PdfReader(edition_build.out / f"{TELEGRAM}.pdf")
    assert reader.attachments == {source.name: [source.read_bytes()]}
    assert reader.metadata.title == "Telegram from Pyongyang to Bucharest, No. 76.153"
    assert reader.metadata.author == "Ana Popescu"
    assert "1 May 1967" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp


def test_metadata_block_of_a_letter(edition_build: Build) -> None:
    first_page = page_texts(edition_build.out / f"{TELEGRAM}.pdf")[0]
    for expected in ["Date 1 May 1967", "From Embassy, Pyongyang", "To Ministry, Bucharest",
                     "Archive Bucharest, Archive of the Ministry of Foreign Affairs", "Telegram number 76.153",
                     "Classification TOP SECRET", "Translation Eliza Gheorghe"]:
        assert expected in first_page


def margin_numbers(pdf: Path, page: int = 0) -> list[str]:
    """Words printed left of the text block on a page: the line numbers."""
    with pymupdf.open(pdf) as document:
        page_words = document[page].get_text("words")
    left_edge = min(w[0] for w in page_words if len(w[4]) > 3)
    return [w[4] for w in page_words if w[2] < left_edge]


def test_line_numbers_for_letters_not_for_essays(edition_build: Build) -> None:
    numbers = margin_numbers(edition_build.out / f"{TELEGRAM}.pdf")
    assert numbers and numbers == [str(n) for n in range(5, 5 * len(numbers) + 1, 5)]
    assert margin_numbers(edition_build.out / f"{ESSAY}.pdf") == []


def test_line_numbers_restart_with_each_document_of_the_book(edition_build: Build) -> None:
    book = edition_build.out / "edition.pdf"
    with pymupdf.open(book) as document:
        first_page = {title: page for _, title, page in document.get_toc()}
    telegram_page = first_page["Telegram from Pyongyang to Bucharest, No. 76.153"] - 1
    letter_page = first_page["Letter from Kim Il Sung to Josip Broz Tito"] - 1
    assert margin_numbers(book, telegram_page) == margin_numbers(edition_build.out / f"{TELEGRAM}.pdf")
    assert margin_numbers(book, letter_page)[0] == "5"
    assert margin_numbers(book, letter_page) == margin_numbers(edition_build.out / f"{LETTER}.pdf")


def test_apparatus_keyed_to_line_numbers_apart_from_notes(edition_build: Build) -> None:
    text = page_texts(edition_build.out / f"{TELEGRAM}.pdf")[0]
    assert "4 Ambassador] Amb. abbr." in text
    assert "4 the delegation] a delegation B" in text
    assert "4 received] recieved sic" in text
    assert "1The meeting took place later; șță in a note." in text
    # The reading text follows the edition's choices.
    assert "The Ambassador wrote that the delegation arrived, received by Kim Il Sung" in text


def test_cited_documents_as_a_bibliography(edition_build: Build) -> None:
    text = " ".join(page_texts(edition_build.out / "edition.pdf"))
    assert "Document 1. Letter from Kim Il Sung to Josip Broz Tito. 4 November 1975. Thanks for a resolution." in text


INDEX_LINE = re.compile(r"^(?P<name>.+?) (?P<pages>\d+(?:–\d+)?(?:, \d+(?:–\d+)?)*)$")


def test_index_page_numbers_point_at_the_names(edition_build: Build) -> None:
    edition = load_edition(EDITION / "tei")
    names: dict[str, list[str]] = {}
    for register in edition.registers:
        for entry in register.tree.getroot().xpath("//tei:person | //tei:place | //tei:org", namespaces=NS):
            forms = [" ".join("".join(n.itertext()).split()) for n in entry.xpath("tei:persName | tei:placeName | tei:orgName", namespaces=NS)]
            names[forms[0]] = forms
    book = edition_build.out / "edition.pdf"
    pages = page_texts(book)
    with pymupdf.open(book) as document:
        index_start = next(page for _, title, page in document.get_toc() if title == "Index of persons")
        index_lines = [line.strip() for page in document.pages(index_start - 1) for line in page.get_text().splitlines()]
    checked = 0
    for line in index_lines:
        match = INDEX_LINE.match(line)
        if not match or match["name"] not in names:
            continue
        for part in match["pages"].split(", "):
            first, _, last = part.partition("–")
            for number in range(int(first), int(last or first) + 1):
                assert any(form in pages[number - 1] for form in names[match["name"]]), f"{match['name']} is not on page {number}"
                checked += 1
    assert {INDEX_LINE.match(line)["name"] for line in index_lines if INDEX_LINE.match(line)} >= set(names)
    assert checked >= len(names)


def test_index_is_sorted_by_the_register_sort_key(edition_build: Build) -> None:
    with pymupdf.open(edition_build.out / "edition.pdf") as document:
        start = next(page for _, title, page in document.get_toc() if title == "Index of persons")
        text = document[start - 1].get_text()
    order = [text.index(name) for name in ("Nicolae Ceaușescu", "Kim Il Sung", "Josip Broz Tito")]
    assert order == sorted(order)


@pytest.mark.usefixtures("needs_cjk_font")
def test_scripts_render_without_missing_glyphs(edition_build: Build) -> None:
    text = pdf_text(edition_build.out / f"{TELEGRAM}.pdf")
    for sample in ["Ceaușescu", "ș ț ă Ș Ț Ă", "Ελληνικά", "Кириллица", "김일성"]:
        assert sample in text
    assert not [p for p in edition_build.result.problems if p.rule == "missing-glyph"]


def test_a_character_no_font_has_is_a_warning(tmp_path: Path) -> None:
    source = FIXTURES / "pdf" / "missing-glyph" / "tei"
    result = build(source, tmp_path).result
    warnings = [str(p) for p in result.problems if p.rule == "missing-glyph"]
    assert warnings == [
        f"{display_path(source / 'hieroglyph-note.xml')}:12:19: warning: "
        "no font has the character 𓀀 (U+13000) of document hieroglyph-note: it prints as an empty box in "
        "hieroglyph-note.pdf, which therefore is not PDF/A; install a font that has it and name it in `fonts` "
        "(and its folder in `font_paths`) in teipress.toml [missing-glyph]"]
    assert (tmp_path / "hieroglyph-note.pdf").is_file()


def test_foreign_files_render_every_word(foreign_build: Build) -> None:
    assert_every_word_in_order(foreign_build)


def test_typst_cannot_read_outside_its_build_folder(tmp_path: Path) -> None:
    from teipress.errors import TypesetError
    from teipress.pdf import DEFAULT_FONTS, Typesetting, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="", subtitle="", out_dir=str(tmp_path))
    assert typeset('#import "lib.typ": *\n#read("lib.typ").len()', {}, setting, what="a test").pdf.startswith(b"%PDF-")
    for outside in ('#read("/etc/passwd")', '#read("../../etc/passwd")', f'#read("{Path.cwd() / "README.md"}")'):
        with pytest.raises(TypesetError, match="a test: Typst could not typeset it"):
            typeset(outside, {}, setting, what="a test")


# ---- readings, notes in readings, text in header-like elements, groups, hostile attributes --------

READINGS = FIXTURES / "pdf" / "readings"
HOSTILE = FIXTURES / "pdf" / "hostile"
PWN = '")#panic("PWN")//'


@pytest.fixture(scope="session")
def readings_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """An edition of app/rdgGrp/lem, notes in recorded readings, interpGrp in the text, text/group."""
    return build(READINGS / "tei", tmp_path_factory.mktemp("readings-pdf"))


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """An edition whose attribute values and register names try to break out of Typst strings."""
    return build(HOSTILE / "tei", tmp_path_factory.mktemp("hostile-pdf"))


def test_nothing_of_the_text_is_lost(readings_build: Build) -> None:
    pdf_words = set(words(pdf_text(readings_build.out / "readings.pdf")))
    book_words = set(words(pdf_text(readings_build.out / "edition.pdf")))
    for document_id, _, root in documents(readings_build.source):
        for text in root.iter(f"{{{TEI_NS}}}text"):
            expected = set(words(" ".join(text.itertext())))
            assert expected - pdf_words == set(), document_id
            assert expected - book_words == set(), f"{document_id} in the book"


def test_a_lem_inside_rdg_grp_is_the_reading_text(readings_build: Build) -> None:
    text = " ".join(pdf_text(readings_build.out / "readings.pdf").split())
    assert "Before Lemtext after." in text
    assert "Second Lemfirst place." in text
    assert "Lemtext] Grouprdg B; Outerrdg C" in text
    assert "Lemfirst] Nestedrdg D" in text


def test_notes_of_recorded_readings_are_printed(readings_build: Build) -> None:
    text = " ".join(pdf_text(readings_build.out / "readings.pdf").split())
    for note in ["Rdgnote inside a reading", "Sicnote inside an error", "Abbrnote (deepnote)", "Delnote",
                 "Outernote with Notelem [Noterdg B] (Innernote in a note's reading) inside."]:
        assert note in text


def test_header_like_elements_inside_the_text_keep_their_text(readings_build: Build) -> None:
    text = " ".join(pdf_text(readings_build.out / "readings.pdf").split())
    assert "Interpone Interptwo" in text
    assert "Seventh Spanone Spantwo place." in text


def test_the_book_holds_the_texts_of_a_group(readings_build: Build) -> None:
    text = " ".join(pdf_text(readings_build.out / "edition.pdf").split())
    for expected in ["Grouped texts", "Grouped introduction", "Groupword firstgrouped paragraph.",
                     "Second preface", "Prefaceword secondgrouped.", "Lonelyparagraph outside any division."]:
        assert expected in text
    with pymupdf.open(readings_build.out / "edition.pdf") as book:
        bookmarks = [title for _, title, _ in book.get_toc()]
    assert bookmarks[:2] == ["Grouped introduction", "Second preface"]


def test_hostile_attributes_stay_literal(hostile_build: Build) -> None:
    assert hostile_build.result.problems == []
    assert all(p.read_bytes().startswith(b"%PDF-") for p in hostile_build.result.files)
    # The root's hostile xml:id is no file name: the PDF is named after the source file.
    assert sorted(p.name for p in hostile_build.result.files) == ["edition.pdf", "hostile.pdf"]
    document = " ".join(pdf_text(hostile_build.out / "hostile.pdf").split())
    book = " ".join(page_texts(hostile_build.out / "edition.pdf"))
    assert "PWN" not in book.replace(PWN, "").replace(PWN.replace("#", ""), "")
    # Printed where the edition prints these values: a chapter without a head is titled by its @n, a link
    # shows its web address, the index the register's names, the apparatus the witnesses (without "#").
    assert f"{PWN} A chapter titled by its number." in book
    assert "Hostile highlighted and linked and weblinked and https://example. org/" + PWN in document
    assert f"lemma] variant {PWN.replace('#', '')}" in document
    assert f"{PWN} Hostile Person" in document and f"{PWN} Hostile Person" in book
    assert "Hostilename and lemma and fremd end." in document
    with pymupdf.open(hostile_build.out / "edition.pdf") as edition:
        assert [title for _, title, _ in edition.get_toc()] == [PWN, "Hostile attributes", "Index of persons"]


@pytest.mark.parametrize(
    ("rend", "wrappers"),
    [
        ("small-capitals", ["smallcaps"]),
        ("capitalised", []),
        ("italic bold", ["emph", "strong"]),
        ("#italic", ["emph"]),
        ("sup", ["super"]),
        ("subtle", []),
    ],
)
def test_hi_renditions_mean_the_same_as_on_the_web(rend: str, wrappers: list[str]) -> None:
    from teipress.saxon import Stylesheets, to_xdm

    document = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="r"><teiHeader><fileDesc><titleStmt><title>R</title></titleStmt>'
        '<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>'
        f'<text><body><p>Before <hi rend="{rend}">marked</hi> after.</p></body></text></TEI>'
    )
    markup = Stylesheets().transform("pdf/document.xsl", to_xdm(document), part="book", document_id="r", paper="a4", fonts=[], edition_title="E")
    wrapped = re.search(r"((?:#\w+\[)*)#\"marked\";", markup)
    assert wrapped is not None, markup
    assert re.findall(r"#(\w+)\[", wrapped.group(1)) == wrappers
