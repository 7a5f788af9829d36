"""The PDF print edition: every word in order, indexes, apparatus, line numbers, PDF/A with the source attached, fonts, safety."""

from __future__ import annotations

import dataclasses

import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pypdf
import pytest
from lxml import etree

from conftest import FIXTURES, shared_path
from nothing_lost import (SOFT, XML_SPACE, MaybeAdded, Piece, assert_kept_in_order, before_note_mark, assert_same_text, expected_streams, is_document_register,
                          is_tei, primary_reading, printed, readings_of)
from teipress.config import load_config
from teipress.edition import load_edition
from teipress.pdf import PdfResult, build_pdfs
from teipress.problems import display_path
from teipress.xmlio import NS, TEI_NS

EDITION = FIXTURES / "pdf" / "edition"
TELEGRAM = "telegram-1967-05-01-pyongyang"
ESSAY = "essay-coles"
LETTER = "letter-1975-11-04-kim-tito"

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


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


# ---- nothing lost, exactly (the rules: tests/nothing_lost.py) -----------------------------------

# What the PDF adds to the reading text, beside the note numbers `pdf_reading` puts in (rule 4 of
# tests/nothing_lost.py): the brackets of supplied text and of a gap ([…]), the quotation marks
# Typst's #quote sets (in the text's language), the dash before a list item.
PDF_ADDED = "[]…“”‘’„‟«»‹›‚–"
PAGE_MARGINS = {"top": 0.11, "bottom": 0.12, "inside": 0.15, "outside": 0.20}  # xslt/pdf/lib.typ
FOOTNOTE_RULE = 0.30  # the footnote separator's length, of the text block's width (lib.typ)
SPAN_GAP = 1.0  # points between two spans of a line that make them two words
# What joins the entries of one line in the apparatus ("7 lemma] reading; lemma] reading": lib.typ tp-footnote-entry).
APPARATUS_JOIN = ";"
# The headings of what follows the text in a document's own PDF: cited documents, names, colophon.
DOCUMENT_APPARATUS = ("Cited documents", "Persons, places, organisations", "Cite as")


def pdf_reading(root: etree._Element) -> tuple[list[Piece], list[Piece], list[Piece]]:
    """A document as its PDF prints it, by the rules of tests/nothing_lost.py: the reading stream, and
    the two series of its footnote area, the notes and the apparatus. The PDF's own additions are put
    in where its rules put them:
    - in the text, a note's number where the note is called (notes, also those of recorded readings,
      are numbered in the order the PDF calls them: those of a recorded reading right after the
      shown reading), a corpus member's title, the web address of a ptr without words;
    - in the notes, in the order of the calls: a note's number and its text (a note in a note
      in parentheses after a space; an alternate in a note shows the other readings after a space in
      brackets, "text label; text label");
    - in the apparatus, in the order of the calls: an entry for an alternate with recorded readings,
      "lemma] text label; text label" (xslt/pdf/text.xsl tp:apparatus, lib.typ tp-app; its line
      number is stripped with the other line numbers; the entries of one line are joined by "; ", which
      the comparison lets the PDF add), a reading's text without its notes and with
      its white space collapsed, "om." when it has none; the label the witnesses (without "#"), else
      abbr., sic, orig., del., add., rdg. or the element's name."""
    body: list[Piece] = []
    footnotes: list[Piece] = []
    apparatus: list[Piece] = []
    numbers = iter(range(1, 1_000_000))

    def text(out: list[Piece], value: str | None, between_readings: bool = False) -> None:
        if value and not (between_readings and value.strip(XML_SPACE) == ""):
            out.append(printed(value))

    def note(element: etree._Element, out: list[Piece], in_note: bool) -> None:
        content: list[Piece] = []
        inside(element, content, True)
        if in_note:
            out.extend([" (", *content, ")"])
        else:
            number = str(next(numbers))
            # Adjacent notes' marks are set apart by a comma ("x¹,² y"): nothing, or only white space not printed, between them.
            before = element.getprevious()
            adjacent = before is not None and is_tei(before, "note") and not before_note_mark(before.tail, element)
            out.extend([SOFT, *([","] if adjacent else []), number, SOFT])
            footnotes.extend([SOFT, number, SOFT, *strip_leading_space(content), SOFT])

    def walk(element: etree._Element, out: list[Piece], in_note: bool) -> None:
        if not isinstance(element.tag, str):
            return
        # Of a TEI or teiCorpus only the texts are printed (the header is the metadata block).
        if not is_tei(element, "TEI", "teiCorpus", "text") and is_tei(element.getparent(), "TEI", "teiCorpus"):
            return
        if is_tei(element, "note"):
            note(element, out, in_note)
            return
        if is_document_register(element):
            return  # rule 5: after the text, compared by assert_pdf_reading_exact
        out.append(SOFT)
        if is_tei(element, "TEI", "teiCorpus") and element.getparent() is not None:
            out.extend([" ", document_title(element), " "])
        # The marks of the manuscript (xslt/pdf/transcription.xsl), exactly where they stand.
        opening, closing = MANUSCRIPT_MARKS[etree.QName(element).localname] if is_tei(element, *MANUSCRIPT_MARKS) else ("", "")
        if is_tei(element, "pb"):
            opening = f"|{normalize_space(element.get('n') or '')}|"
        elif is_tei(element, "gap"):
            opening = "[…" + (f"\u00a0{gap_extent(element)}" if gap_extent(element) else "") + "]"
        text(out, opening)
        if is_tei(element, "choice", "app", "subst"):
            alternate(element, element, out, in_note)
        else:
            inside(element, out, in_note)
            if is_tei(element, "ptr") and not len(element) and not element.text:
                target = re.sub(r"\s", "", element.get("target") or "")
                if re.match(r"(https?|mailto|ftp):", target, re.IGNORECASE):
                    out.append(target)
        text(out, closing)
        out.append(SOFT)

    def inside(element: etree._Element, out: list[Piece], in_note: bool) -> None:
        children = list(element)
        text(out, before_note_mark(element.text, children[0] if children else None))
        for child in children:
            walk(child, out, in_note)
            text(out, before_note_mark(child.tail, child.getnext()))

    def alternate(container: etree._Element, outer: etree._Element, out: list[Piece], in_note: bool) -> None:
        readings = readings_of(outer)
        shown = primary_reading(outer)
        text(out, container.text, True)
        for child in container:
            if child is shown:
                walk(child, out, in_note)
                others = [r for r in readings if r is not shown]
                if others:
                    entry = "; ".join(f"{reading_text(r, False)} {reading_label(r)}".strip() for r in others)
                    if in_note:
                        out.append(f" [{entry}]")
                    else:
                        apparatus.extend([SOFT, f"{reading_text(shown, True)}] {entry}", SOFT])
                for other_note in (n for r in others for n in r.iter(f"{{{TEI_NS}}}note")):
                    if not any(is_tei(a, "note") and any(a is r or r in a.iterancestors() for r in others) for a in other_note.iterancestors()):
                        note(other_note, out, in_note)
            elif any(child is r for r in readings):
                pass
            elif is_tei(child, "rdgGrp") and next(child.iterancestors(f"{{{TEI_NS}}}app")) is outer:
                out.append(SOFT)
                alternate(child, outer, out, in_note)
                out.append(SOFT)
            else:
                walk(child, out, in_note)
            text(out, child.tail, True)

    walk(root, body, False)
    return body, footnotes, apparatus


# What the PDF sets around an element of the manuscript's state (xslt/pdf/transcription.xsl, lib.typ):
# an addition between half brackets, an unclear reading in brackets with a question mark.
MANUSCRIPT_MARKS = {"add": ("⸢", "⸣"), "unclear": ("[", "?]")}
GAP_UNITS = {"char": "character", "chars": "character", "character": "character", "characters": "character",
             "letter": "character", "letters": "character", "word": "word", "words": "word", "line": "line",
             "lines": "line", "page": "page", "pages": "page"}


def gap_extent(gap: etree._Element) -> str:
    """An omission's extent as an English edition prints it after "[…": "2 words", else @extent."""
    quantity = normalize_space(gap.get("quantity") or "")
    unit = normalize_space(gap.get("unit") or "")
    if quantity.isdigit() and unit.lower() in GAP_UNITS:
        return f"{quantity} {GAP_UNITS[unit.lower()]}{'' if quantity == '1' else 's'}"
    if quantity:
        return normalize_space(f"{quantity} {unit}")
    return normalize_space(gap.get("extent") or "")


def reading_text(reading: etree._Element, shown: bool) -> str:
    """A reading's text as the apparatus prints it (xslt/pdf/text.xsl tp:reading-text): its text without the notes
    inside it, white space collapsed, "om." when it has none. An alternate inside it reads as the text shows it, its
    primary reading; inside a reading the text does not show (not `shown`) its other readings follow, each in
    brackets with its label: "a verb (noun B)"."""
    def words(element: etree._Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and not is_tei(child, "note"):
                parts.append(alternate_words(child) if is_tei(child, "choice", "app", "subst") else words(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def alternate_words(alternate: etree._Element) -> str:
        primary = primary_reading(alternate)
        others = [] if shown else [r for r in readings_of(alternate) if r is not primary]
        return (words(primary) if primary is not None else "") + "".join(
            f" ({normalize_space(words(other))} {reading_label(other)})" for other in others)

    return printed(normalize_space(words(reading)) or "om.")


def normalize_space(value: str) -> str:
    """XPath's normalize-space: runs of XML white space as one space, none at either end."""
    return re.sub(f"[{XML_SPACE}]+", " ", value).strip(XML_SPACE)


def reading_label(reading: etree._Element) -> str:
    """What a recorded reading is (xslt/pdf/text.xsl tp:reading-label)."""
    if reading.get("wit") is not None:
        return normalize_space(reading.get("wit").replace("#", ""))
    labels = {"abbr": "abbr.", "sic": "sic", "orig": "orig.", "del": "del.", "add": "add.", "rdg": "rdg."}
    return labels.get(etree.QName(reading).localname, etree.QName(reading).localname)


def strip_leading_space(pieces: list[Piece]) -> list[Piece]:
    """A footnote's text without the white space it opens with (Typst sets none after the number)."""
    result = list(pieces)
    for index, piece in enumerate(result):
        if isinstance(piece, str):
            stripped = piece.lstrip()
            result[index] = stripped
            if stripped:
                break
    return result


@dataclass
class Line:
    y: float
    x: float
    text: str


def pdf_chapter_pages(document: pymupdf.Document, title: str) -> range:
    """The pages (0-based) of the chapter a bookmark names: up to the next bookmark of its level or above."""
    toc = document.get_toc()
    index = next(i for i, (_, t, _) in enumerate(toc) if t == title)
    level, _, first = toc[index]
    following = [page for lvl, _, page in toc[index + 1:] if lvl <= level and page > first]
    return range(first - 1, (following[0] - 1) if following else len(document))


def pdf_lines(document: pymupdf.Document, pages: range) -> tuple[list[Line], list[Line], list[Line]]:
    """The lines of the reading text on these pages, and those of the footnote area's two series, the
    notes and the apparatus entries between them (an entry opens with a bold line number, a note with
    its number; a line that opens with neither goes on with the entry or note above it),
    inside the text block: no running heads, page numbers or line numbers in the margins,
    on the chapter's first page nothing of its heading and metadata block (the two rules around it),
    in the apparatus no line number (a bold number)."""
    body: list[Line] = []
    notes: list[Line] = []
    apparatus: list[Line] = []
    for number in pages:
        page = document[number]
        width, height = page.rect.width, page.rect.height
        left = width * (PAGE_MARGINS["inside"] if number % 2 == 0 else PAGE_MARGINS["outside"])
        text_width = width * (1 - PAGE_MARGINS["inside"] - PAGE_MARGINS["outside"])
        top, bottom = height * PAGE_MARGINS["top"], height * (1 - PAGE_MARGINS["bottom"])
        rules = sorted((d["rect"] for d in page.get_drawings() if d["rect"].height < 1.5 and d["rect"].width > 20), key=lambda r: r.y0)
        separator = next((r.y0 for r in rules if abs(r.width - FOOTNOTE_RULE * text_width) < 3 and abs(r.x0 - left) < 3), bottom)
        spans = [span for block in page.get_text("rawdict")["blocks"] for line in block.get("lines", []) for span in line["spans"]]
        for span in spans:
            span["text"] = span_text(span["chars"])
        if number == pages.start:
            heading = [span["bbox"][3] for span in spans if span["size"] > 18]
            top = max(heading, default=top)
            wide = [r for r in rules if r.width > 0.9 * text_width and r.y0 > top]
            if len(wide) >= 2 and not [s for s in spans if top < s["bbox"][1] < wide[0].y0]:
                top = wide[1].y0
        lines: dict[tuple[bool, int], list[tuple[float, dict]]] = {}
        for span in spans:
            baseline = span["origin"][1]
            if baseline < top or baseline > bottom or span["bbox"][2] <= left + 0.5:
                continue
            lines.setdefault((baseline > separator, round(baseline / 3)), []).append((span["bbox"][0], span))  # superscripts join their line
        # A raised mark Typst draws smaller above the baseline (the comma between adjacent notes' marks,
        # "x¹,²") joins the line just below it.
        for key in sorted(lines, key=lambda key: key[1]):
            below = [other for other in lines if other[0] == key[0] and 0 < other[1] - key[1] <= 2]
            if below and all(span["size"] < 0.8 * max(s["size"] for _, s in lines[below[0]]) for _, span in lines[key]):
                lines[below[0]].extend(lines.pop(key))
        in_apparatus = False
        for (in_notes, baseline), parts in sorted(lines.items(), key=lambda item: item[0][1]):
            parts.sort(key=lambda part: part[0])
            first = parts[0][1]
            if in_notes and first["text"].strip().isdigit() and first["flags"] & 16:
                in_apparatus = True
            elif in_notes and first["text"][:1].isdigit():
                in_apparatus = False  # a note's number (a superscript of the font: one span with its text)
            if in_apparatus:
                parts = [part for part in parts if not (part[1]["flags"] & 16 and part[1]["text"].strip().isdigit())]
            # Spans apart on one line (the cells of a table row) are separate words.
            text = "".join((" " if index and span["bbox"][0] > parts[index - 1][1]["bbox"][2] + SPAN_GAP else "") + span["text"]
                           for index, (_, span) in enumerate(parts))
            (apparatus if in_apparatus else notes if in_notes else body).append(Line(baseline, parts[0][0] if parts else 0, text))
    return body, notes, apparatus


def span_text(chars: list[dict]) -> str:
    """A span's text. Where Typst sets one cluster (a letter with combining marks) as several glyphs,
    pymupdf reads the cluster's text again (its letter, marks) for each further glyph, at the place
    where the cluster ends: a cluster that repeats the letter of the one before without advancing is
    read once (and so is the space pymupdf reads where such a glyph steps back)."""
    clusters: list[tuple[str, float, float]] = []  # text, x of its first and of its last character
    for char in chars:
        x = char["origin"][0]
        if clusters and unicodedata.combining(char["c"]):
            text, first, _ = clusters[-1]
            clusters[-1] = (text + char["c"], first, x)
        else:
            clusters.append((char["c"], x, x))
    kept: list[tuple[str, float, float]] = []
    dropped = False
    for cluster in clusters:
        if kept and len(kept[-1][0]) > 1 and cluster[0][0] == kept[-1][0][0] and cluster[1] <= kept[-1][2] + 0.5:
            dropped = True
        elif dropped and cluster[0] == " " and cluster[1] < kept[-1][2] - 0.5:
            pass  # the space pymupdf puts where the repeated glyph stepped back
        else:
            dropped = False
            kept.append(cluster)
    return "".join(text for text, _, _ in kept)


def pdf_stream(lines: list[Line]) -> list:
    """Lines as a stream: a line's end may or may not be a space (Typst breaks lines at spaces, after
    dashes, in web addresses, between CJK characters), and a hyphen ending a line may be hyphenation."""
    out: list = []
    for line in lines:
        text = line.text.rstrip()
        if text.endswith(("-", "\u00ad", "\u2010")):
            out.extend([text[:-1], MaybeAdded(text[-1])])
        else:
            out.append(text)
        out.append(SOFT)
    return out


def assert_pdf_reading_exact(pdf: Path, root: etree._Element, title: str, where: str) -> None:
    """The reading text of a document's chapter, and its footnote area, exactly as the TEI has them."""
    with pymupdf.open(pdf) as document:
        body, notes, apparatus = pdf_lines(document, pdf_chapter_pages(document, title))
    reading, footnotes, entries = pdf_reading(root)
    # A document's own PDF ends with its compact apparatus and colophon (xslt/pdf/document.xsl).
    body = body[:next((index for index, line in enumerate(body) if line.text.strip().startswith(DOCUMENT_APPARATUS)), len(body))]
    # Rule 5: the lists of the back follow the text under their heading (xslt/pdf/document-register.xsl).
    start = next((index for index, line in enumerate(body) if line.text.strip() == "Named in this document"), len(body))
    body, register = body[:start], body[start:]
    assert_kept_in_order(expected_streams(root).register, pdf_stream(register), f"{where} (document register)")
    assert_same_text(reading, pdf_stream(body), f"{where} (reading text)", addable=PDF_ADDED)
    assert_same_text(footnotes, pdf_stream(notes), f"{where} (notes)", addable=PDF_ADDED)
    assert_same_text(entries, pdf_stream(apparatus), f"{where} (apparatus)", addable=PDF_ADDED + APPARATUS_JOIN)


def document_title(root: etree._Element) -> str:
    """The title a document's chapter has in the bookmarks (xslt/common/facts.xsl tp:document-title)."""
    titles = root.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS)
    main = ([t for t in titles if t.get("type") == "main"] or [t for t in titles if t.get("level") == "a"] or titles
            or root.xpath(".//tei:text//tei:head", namespaces=NS))
    if not main:
        return root.get(XML_ID) or ""

    def shown(text: etree._ElementUnicodeResult) -> bool:
        """tp:is-reading-text: no ancestor below the title a note, none an alternate whose primary reading does not hold it."""
        owner = text.getparent().getparent() if text.is_tail else text.getparent()
        chain = [owner, *owner.iterancestors()]
        chain = chain[:chain.index(main[0])]
        return not any(is_tei(e, "note") or (is_tei(e, "choice", "app", "subst") and not any(r is primary_reading(e) for r in chain))
                       for e in chain)

    # normalize-space: XML's white space only (a no-break space in a title stays one)
    return re.sub(r"[ \t\n\r]+", " ", "".join(t for t in main[0].xpath(".//text()") if shown(t))).strip(" ")


def documents(source: Path) -> list[tuple[str, Path, etree._Element]]:
    edition = load_edition(source)
    return [(d.id, d.path, d.tree.getroot()) for d in edition.documents]


def assert_every_word_in_order(build_: Build) -> None:
    """Each document's PDF, and its chapter of the book, print its reading text exactly."""
    for document_id, _, root in documents(build_.source):
        title = document_title(root)
        assert_pdf_reading_exact(build_.out / f"{document_id}.pdf", root, title, document_id)
        assert_pdf_reading_exact(build_.out / "edition.pdf", root, title, f"{document_id} in the book")


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
        verso = book[1].get_text()
        contents = book[2].get_text()
    assert "A Test Edition" in first_page and "Ana Popescu" in first_page and "Ivan Petrov" in first_page
    # The imprint and the licence stand on the title page's verso, not on the title page.
    assert "CC BY 4.0" not in first_page and "teipress tests" not in first_page
    assert verso.split("\n")[:3] == ["teipress tests", "2026", "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/"]
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


PDFA_ID = "http://www.aiim.org/pdfa/ns/id/"


def pdfa_identification(path: Path) -> tuple[str, str] | None:
    """(part, conformance) of the XMP's PDF/A identification schema, or None when the PDF claims no PDF/A."""
    root = pypdf.PdfReader(path).trailer["/Root"]
    if "/Metadata" not in root:
        return None
    xmp = etree.fromstring(root["/Metadata"].get_object().get_data())
    values = {}
    for name in ("part", "conformance"):
        found = xmp.xpath(f"//@*[namespace-uri() = '{PDFA_ID}' and local-name() = '{name}'] | //*[namespace-uri() = '{PDFA_ID}' and local-name() = '{name}']/text()")
        values[name] = str(found[0]).strip() if found else None
    return None if values["part"] is None else (values["part"], values["conformance"])


def assert_pdfa_3b(path: Path, source: Path | None) -> None:
    """What PDF/A-3b asks of a PDF: the XMP identification, an output intent with its ICC profile, every font
    embedded; and (per document) the TEI source attached byte for byte as an associated file."""
    assert pdfa_identification(path) == ("3", "B"), path.name
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    intents = [intent.get_object() for intent in root.get("/OutputIntents", [])]
    assert [intent["/S"] for intent in intents] == ["/GTS_PDFA1"], path.name
    assert intents[0]["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp", path.name  # an ICC profile
    with pymupdf.open(path) as document:
        fonts = {font[3]: font[1] for page in document for font in page.get_fonts(full=True)}
    assert fonts and all(kind != "n/a" for kind in fonts.values()), f"{path.name}: fonts not embedded: {fonts}"
    if source is None:
        return
    assert reader.attachments == {source.name: [source.read_bytes()]}
    associated = [spec.get_object() for spec in root["/AF"]]
    assert [(spec["/F"], spec["/AFRelationship"]) for spec in associated] == [(source.name, "/Source")], path.name


def test_every_pdf_is_pdfa_3b_and_carries_its_source(edition_build: Build) -> None:
    sources = {document_id: path for document_id, path, _ in documents(edition_build.source)}
    assert len(edition_build.result.files) == len(sources) + 1
    for pdf in edition_build.result.files:
        assert_pdfa_3b(pdf, None if pdf.name == "edition.pdf" else sources[pdf.stem])


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
    # The note, then the apparatus entries of line 4 after its number (lib.typ tp-footnote-entry).
    assert "1The meeting took place later; șță in a note. 4 Ambassador] Amb. abbr.; the delegation] a delegation B; received] recieved sic" in text
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
    # The index prints names inverted ("Tito, Josip Broz"): the same words in another order.
    printed = {" ".join(sorted(name.split())): name for name in names}
    book = edition_build.out / "edition.pdf"
    pages = page_texts(book)
    with pymupdf.open(book) as document:
        index_start = next(page for _, title, page in document.get_toc() if title == "Index of persons")
        index_lines = [line.strip() for page in document.pages(index_start - 1) for line in page.get_text().splitlines()]
    checked = 0
    listed = set()
    for line in index_lines:
        match = INDEX_LINE.match(line)
        name = printed.get(" ".join(sorted(match["name"].replace(",", "").split()))) if match else None
        if name is None:
            continue
        listed.add(name)
        for part in match["pages"].split(", "):
            first, _, last = part.partition("–")
            for number in range(int(first), int(last or first) + 1):
                assert any(form in pages[number - 1] for form in names[name]), f"{name} is not on page {number}"
                checked += 1
    assert listed >= set(names)
    assert checked >= len(names)


def test_index_names_are_inverted_as_their_sort_key_reads_them_and_sorted(edition_build: Build) -> None:
    with pymupdf.open(edition_build.out / "edition.pdf") as document:
        start = next(page for _, title, page in document.get_toc() if title == "Index of persons")
        lines = [line.strip() for line in document[start - 1].get_text().splitlines()]
    entries = [INDEX_LINE.match(line)["name"] for line in lines if INDEX_LINE.match(line)]
    # sortKey "ceausescu" turns "Nicolae Ceaușescu" round; "kim il sung" reads the name as written.
    assert entries[:3] == ["Ceaușescu, Nicolae", "Kim Il Sung", "Tito, Josip Broz"]


@pytest.mark.usefixtures("needs_cjk_font")
def test_scripts_render_without_missing_glyphs(edition_build: Build) -> None:
    text = pdf_text(edition_build.out / f"{TELEGRAM}.pdf")
    for sample in ["Ceaușescu", "ș ț ă Ș Ț Ă", "Ελληνικά", "Кириллица", "김일성"]:
        assert sample in text
    assert not [p for p in edition_build.result.problems if p.rule == "missing-glyph"]


def test_a_character_no_font_has_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    shutil.copytree(FIXTURES / "pdf" / "missing-glyph" / "tei", source)
    glyph = source / "hieroglyph-note.xml"
    (source / "plain-note.xml").write_text(glyph.read_text(encoding="utf-8").replace("hieroglyph-note", "plain-note").replace("𓀀", "A"), encoding="utf-8")
    out = tmp_path / "pdf"
    result = build(source, out).result
    warnings = [str(p) for p in result.problems if p.rule == "missing-glyph"]
    assert warnings == [
        f"{display_path(source / 'hieroglyph-note.xml')}:12:19: warning: "
        "no font has the character 𓀀 (U+13000) of document hieroglyph-note: it prints as an empty box in "
        "hieroglyph-note.pdf, which therefore is not PDF/A; install a font that has it and name it in `fonts` "
        "(and its folder in `font_paths`) in teipress.toml [missing-glyph]"]
    # That PDF and the book are made without PDF/A (which requires every glyph); the other document keeps it.
    assert [p.rule for p in result.problems if p.rule != "missing-glyph"] == ["not-pdfa"]
    assert pdfa_identification(out / "hieroglyph-note.pdf") is None
    assert pdfa_identification(out / "edition.pdf") is None
    assert_pdfa_3b(out / "plain-note.pdf", source / "plain-note.xml")
    assert "The sign" in pdf_text(out / "hieroglyph-note.pdf")


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
    assert_every_word_in_order(readings_build)


def test_loose_text_keeps_its_place(tmp_path: Path) -> None:
    """Text and white space between the readings of choice, app, rdgGrp and subst, between two names,
    between the rows and beside the cells of a table."""
    assert_every_word_in_order(build(FIXTURES / "pdf" / "loose-text" / "tei", tmp_path))


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


@pytest.mark.parametrize(("edition_title", "shown"), [("North Korea and Its Allies", "North Korea and Its Allies"), ("", "Edition"), ("  ", "Edition")])
def test_a_documents_pdf_names_the_edition_by_its_title_else_the_catalogues_word(edition_title: str, shown: str) -> None:
    """The edition's title (or, without one, the message catalogue's "Edition") is the first keyword of a document's
    own PDF and the edition its colophon cites it in."""
    from teipress.saxon import Stylesheets, to_xdm

    document = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="r"><teiHeader><fileDesc><titleStmt><title>R</title></titleStmt>'
        '<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc><profileDesc><textClass><keywords>'
        '<term>trade</term></keywords></textClass></profileDesc></teiHeader><text><body><p>Text.</p></body></text></TEI>'
    )
    markup = Stylesheets().transform("pdf/document.xsl", to_xdm(document), part="standalone", document_id="r", paper="a4", fonts=[],
                                     edition_title=edition_title, edition=to_xdm("<TEI xmlns='http://www.tei-c.org/ns/1.0'/>"))
    assert re.findall(r'"([^"]*)"', re.search(r"keywords: \(([^)]*)\)", markup).group(1)) == [shown, "trade"]
    assert f"In {shown}." in markup


# ---- the build folder holds only the current document's files ---------------------------------------

def test_the_build_folder_holds_only_the_current_documents_files(tmp_path: Path) -> None:
    from teipress.errors import TypesetError
    from teipress.pdf import DEFAULT_FONTS, Typesetting, _workspace, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="", subtitle="", out_dir=str(tmp_path))
    first = typeset('#import "lib.typ": *\n#read("first.xml")', {"first.xml": b"<TEI>first</TEI>"}, setting, what="the first document")
    assert first.pdf.startswith(b"%PDF-")
    assert sorted(p.name for p in _workspace(setting.font_paths).folder.iterdir()) == ["lib.typ"]
    with pytest.raises(TypesetError, match="the second document: Typst could not typeset it"):
        typeset('#import "lib.typ": *\n#read("first.xml")', {"second.xml": b"<TEI>second</TEI>"}, setting, what="the second document")


def test_the_books_typst_sources_can_be_kept_to_be_compiled_again_alone(tmp_path: Path) -> None:
    """build_pdfs(keep_sources=...) keeps what the book's compilation read (bench/typst_profile.py compiles it
    again): its markup, lib.typ and Typst's inputs, which give the same book again; no document's own sources."""
    import io
    import json

    import typst

    from teipress.pdf import LIB_IMPORT, LIB_TYP

    kept = tmp_path / "kept"
    config = load_config(EDITION, source=EDITION / "tei", output=tmp_path / "out")
    result = build_pdfs(load_edition(EDITION / "tei"), config, tmp_path / "out", jobs=1, keep_sources=kept)
    assert [p.name for p in kept.iterdir()] == ["the-edition-s-book"]
    book = kept / "the-edition-s-book"
    assert sorted(p.name for p in book.iterdir()) == ["inputs.json", "lib.typ", "main.typ"]
    assert (book / "lib.typ").read_bytes() == LIB_TYP.read_bytes()
    assert (book / "main.typ").read_text(encoding="utf-8").startswith(LIB_IMPORT)
    inputs = json.loads((book / "inputs.json").read_text(encoding="utf-8"))
    assert sorted(json.loads(inputs["line-offsets"])) == sorted([ESSAY, TELEGRAM, LETTER])
    again = typst.Compiler(str(book / "main.typ"), root=str(book), font_paths=["/usr/share/fonts"]).compile(sys_inputs=inputs)
    assert page_texts_of(again) == page_texts_of(result.volumes[0].read_bytes())


def test_keeping_the_sources_typesets_nothing_again() -> None:
    """Where sources are kept and where PDFs are written are no part of the documents' cache keys."""
    from teipress.pdf import DEFAULT_FONTS, Typesetting, _setting_key

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="T", subtitle="", out_dir="/a")
    kept = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="T", subtitle="", out_dir="/b", keep_sources="/k")
    assert _setting_key(setting) == _setting_key(kept)
    assert _setting_key(setting) != _setting_key(Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a4", language="en", title="T",
                                                             subtitle="", out_dir="/a"))


def page_texts_of(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        return [page.get_text() for page in document]


# ---- language, fonts: what teipress.toml and the sources say reaches the PDF --------------------------

LETTER_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>{title}</title></titleStmt>
      <publicationStmt><publisher>teipress tests</publisher></publicationStmt>
      <sourceDesc><p>Invented for tests.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text type="letter"{lang}>
    <body>
      <p>{text}</p>
    </body>
  </text>
</TEI>
"""


def font_renamed(folder: Path) -> str:
    """DejaVu Serif under another family name ("TeipressTest"), in a folder no system search finds.

    The name table is rewritten in place (same lengths), so the font is otherwise DejaVu Serif."""
    from conftest import skip_missing

    original = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not original.is_file():
        skip_missing(f"{original} is absent: apt-get install fonts-dejavu-core")
    data = original.read_bytes()
    for old, new in (("DejaVu Serif", "TeipressTest"), ("DejaVuSerif", "TeipressTst")):
        data = data.replace(old.encode("utf-16-be"), new.encode("utf-16-be")).replace(old.encode("latin-1"), new.encode("latin-1"))
    folder.mkdir(parents=True)
    (folder / "teipress-test.ttf").write_bytes(data)
    return "TeipressTest"


@pytest.fixture(scope="module")
def configured_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """An edition with teipress.toml naming a font in its own folder, and letters in German and Romanian."""
    root = tmp_path_factory.mktemp("configured")
    family = font_renamed(root / "fonts")
    (root / "teipress.toml").write_text(f'font_paths = ["fonts"]\nfonts = ["{family}"]\n', encoding="utf-8")
    source = root / "tei"
    source.mkdir()
    (source / "brief.xml").write_text(LETTER_TEMPLATE.format(id="brief", title="Ein Brief", lang=' xml:lang="de"',
                                                             text="Die Donaudampfschifffahrtsgesellschaft grüßt."), encoding="utf-8")
    (source / "scrisoare.xml").write_text(LETTER_TEMPLATE.format(id="scrisoare", title="O scrisoare", lang=' xml:lang="ro-RO"',
                                                                 text="Stimate tovarășe, vă mulțumim."), encoding="utf-8")
    return build(source, root / "out")


def embedded_fonts(path: Path) -> set[str]:
    with pymupdf.open(path) as document:
        return {font[3].split("+")[-1] for page in document for font in page.get_fonts(full=True)}


def test_fonts_and_font_paths_of_teipress_toml_choose_the_fonts_a_pdf_embeds(configured_build: Build, edition_build: Build) -> None:
    assert configured_build.result.problems == []
    for pdf in configured_build.result.files:
        assert any(name.startswith("TeipressTst") for name in embedded_fonts(pdf)), (pdf.name, embedded_fonts(pdf))
    default = embedded_fonts(edition_build.out / f"{TELEGRAM}.pdf")
    assert any(name.startswith("LibertinusSerif") for name in default) and not any(name.startswith("TeipressTst") for name in default)


def test_each_document_is_set_in_its_own_language(configured_build: Build) -> None:
    """Typst hyphenates by the text's language, which it also records as the PDF's /Lang."""
    languages = {pdf.stem: pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"] for pdf in configured_build.result.files}
    assert languages == {"brief": "de", "scrisoare": "ro", "edition": "en"}
    from teipress.saxon import Stylesheets, to_xdm

    chapter = Stylesheets().transform("pdf/document.xsl", to_xdm((configured_build.source / "brief.xml").read_bytes()), part="book",
                                      document_id="brief", paper="a4", fonts=[], edition_title="E")
    assert re.search(r'#tp-document\(id: "brief",.*language: "de"', chapter), chapter[:400]


# ---- what the Typst markup says: line numbers, omissions -----------------------------------------------

def chapter_markup(document: bytes | str, document_id: str) -> str:
    from teipress.saxon import Stylesheets, to_xdm

    return Stylesheets().transform("pdf/document.xsl", to_xdm(document), part="book", document_id=document_id, paper="a4", fonts=[], edition_title="E")


def test_primary_sources_are_line_numbered_essays_not() -> None:
    numbered = {}
    for document_id, path, _ in documents(EDITION / "tei"):
        numbered[document_id] = re.search(r"#tp-document\(id: \"[^\"]+\".*?, numbered: (true|false)", chapter_markup(path.read_bytes(), document_id)).group(1)
    assert numbered == {ESSAY: "false", TELEGRAM: "true", LETTER: "true"}


def test_an_omission_is_recorded_as_om() -> None:
    document = LETTER_TEMPLATE.format(id="omission", title="Omission", lang="",
                                      text='The <app><lem>old</lem><rdg wit="#B"/></app> house.').split("\n", 1)[1]
    markup = chapter_markup(document, "omission")
    assert '#let tp-apparatus-entries = ((lemma: "old", readings: ((label: "B", text: "om."),)),);' in markup
    assert '#tp-app("omission", tp-apparatus-entries, 0)' in markup


# ---- volumes: each compiled by a process of its own, measured ---------------------------------------

def test_a_volume_process_reports_its_own_peak_memory_not_its_parents() -> None:
    """Linux keeps ru_maxrss through exec: a worker spawned by a large process (the test run, a big build)
    reported the parent's size as its own peak."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from teipress.pdf import _own_peak_mb

    ballast = b"x" * (500 * 1024 * 1024)  # written, so resident
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        worker = pool.submit(_own_peak_mb).result()
    assert len(ballast) and _own_peak_mb() > 500 and 5 < worker < 200, (_own_peak_mb(), worker)


def test_each_volume_is_compiled_and_measured_by_a_process_of_its_own(tmp_path: Path) -> None:
    import test_print

    root = tmp_path / "edition"
    test_print.write_synthetic_edition(root, 12)
    out = root / "output" / "pdf"
    settings = dict(language="de", paper="a5", volume_pages=6)
    first = test_print.build(root, out, **settings).result
    figures = first.volume_figures
    assert len(first.volumes) > 2
    files = [v.relative_to(out).as_posix() for v in first.volumes]
    # Every volume once, in order: the first and the last refer to each other ("Bd. 4, S. 8"), and the locators
    # guessed from the letters' own PDFs and each volume's front matter were the pages the targets took.
    assert [f.file for f in figures] == files
    final = {f.file: f for f in figures}
    assert [final[name].pages for name in files] == [len(pypdf.PdfReader(v).pages) for v in first.volumes]
    # A process that compiled one volume: the interpreter and Typst's fonts, no stylesheets and no earlier volume's cache.
    assert all(f.seconds > 0 and f.cpu_seconds > 0 and 30 < f.peak_mb < 600 and f.compilations in (1, 2) for f in figures), figures
    assert (first.book_typeset, first.documents_seconds > 0, first.volumes_seconds > 0) == (True, True, True)
    again = test_print.build(root, out, **settings).result
    assert (again.volume_figures, again.book_typeset, again.volumes) == ([], False, first.volumes)


def test_a_wrong_guess_of_where_a_reference_points_is_corrected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The volumes are typeset with locators guessed before any is typeset; where a guess was wrong, its volume is
    typeset again with the pages its targets took, and every locator printed is the true one."""
    import test_print
    from teipress import pdf

    guessed = pdf._guessed_targets
    wrong: list[dict[str, list[int]]] = []

    def one_page_late(volumes: list[pdf.Volume], starts: dict[int, dict[str, int]]) -> dict[str, list[int]]:
        wrong.append({target: [volume, page + 1] for target, (volume, page) in guessed(volumes, starts).items()})
        return wrong[-1]

    monkeypatch.setattr(pdf, "_guessed_targets", one_page_late)
    root = tmp_path / "edition"
    test_print.write_synthetic_edition(root, 12)
    done = test_print.build(root, root / "output" / "pdf", language="de", paper="a5", volume_pages=6)
    files = [v.relative_to(done.out).as_posix() for v in done.result.volumes]
    assert len(wrong) == 1 and "brief-011" in wrong[0] and len(files) == 4
    # The first volume, set with the last letter one page late, again; the last volume, typeset after the others,
    # was given where they found its targets, so its one round was right.
    assert [f.file for f in done.result.volume_figures] == [*files, files[0]]
    test_print.test_a_reference_gives_the_volume_and_page_of_its_target(done)  # the locators as printed


def test_line_numbers_counted_again_are_typeset_by_a_fresh_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A volume given wrong line offsets (its letters' own PDFs had fewer lines) is typeset again with the lines
    it counted, by a process of its own (one compiling twice held both compilations: 3.3 GB for Escher's letters),
    and prints what a volume given the right offsets prints."""
    import test_print
    from teipress import pdf

    root = tmp_path / "edition"
    test_print.write_synthetic_edition(root, 6)
    # An apparatus entry in each letter: its lines all leave a marker, so that the first line's number is checked.
    for letter in (root / "tei").glob("brief-*.xml"):
        letter.write_text(letter.read_text(encoding="utf-8").replace("beriet lange", "beriet <choice><abbr>l.</abbr><expan>lange</expan></choice>", 1),
                          encoding="utf-8")
    settings = dict(language="de", paper="a5", volume_pages=6)
    right = test_print.build(root, tmp_path / "right" / "pdf", **settings).result
    planned = pdf._volume_setting

    def lines_off_by_one(*arguments: Any) -> dict[str, Any]:
        made = planned(*arguments)
        return {**made, "line_offsets": {document: offset + 1 for document, offset in made["line_offsets"].items()}}

    monkeypatch.setattr(pdf, "_volume_setting", lines_off_by_one)
    again = test_print.build(root, tmp_path / "again" / "pdf", **settings).result
    assert [f.compilations for f in right.volume_figures] == [1] * len(right.volumes)
    assert [f.compilations for f in again.volume_figures] == [2] * len(again.volumes)
    # Each process's own peak: a volume's second compilation does not add to its first.
    assert all(30 < f.peak_mb < 600 for f in again.volume_figures), again.volume_figures
    texts = [[[page.get_text() for page in pymupdf.open(v)] for v in done.volumes] for done in (right, again)]
    assert texts[0] == texts[1]


# The twelve and the two of the first letter's own paragraph of references (test_print.CROSS_REFERENCES), and in a book
# of one volume the two of the last letter's.
@pytest.mark.parametrize(("volume_pages", "locator", "locators"), [(6, r"Bd\.\s2,\sS\.\s\d+", 14), (300, r"\(S\.\s\d+\)|(?<=\s)S\.\s\d+", 16)])
def test_lines_a_locator_adds_are_counted_before_the_volume_is_typeset(tmp_path: Path, volume_pages: int, locator: str, locators: int) -> None:
    """References without words print nothing in their letter's own PDF and a locator each in the book ("Bd. 2, S. 8" in
    a book of volumes, "S. 8" in one of a single volume): the letter's lines are counted with its locators before its
    volume is typeset, so that every volume is compiled once (not a second time for its line numbers) and every letter
    of it begins with line 1."""
    import test_print

    root = tmp_path / "edition"
    test_print.write_synthetic_edition(root, 6)
    for letter in (root / "tei").glob("brief-*.xml"):
        # An apparatus entry in each letter: its lines all leave a marker, so that the first line's number is checked.
        text = letter.read_text(encoding="utf-8").replace("beriet lange", "beriet <choice><abbr>l.</abbr><expan>lange</expan></choice>", 1)
        if letter.name == "brief-000.xml":  # two lines of locators in the book, none in its own PDF
            text = text.replace("</body>", "<p>Siehe " + '<ref target="#brief-005"/> ' * 12 + "und öfter.</p></body>")
        letter.write_text(text, encoding="utf-8")
    done = test_print.build(root, root / "output" / "pdf", language="de", paper="a5", volume_pages=volume_pages).result
    files = [v.relative_to(root / "output" / "pdf").as_posix() for v in done.volumes]
    assert len(files) == (2 if volume_pages == 6 else 1)
    assert [(f.file, f.compilations) for f in done.volume_figures] == [(file, 1) for file in files]
    first_volume = "\n".join(page.get_text() for page in pymupdf.open(done.volumes[0]))
    assert len(re.findall(locator, first_volume)) == locators, first_volume


def test_where_targets_are_guessed_before_the_volumes_are_typeset() -> None:
    """A chapter starts where its volume's probe put it, a passage as many pages after its start as in the document's
    own PDF; a volume that was not probed (no other refers to it) gets no guess."""
    from teipress.pdf import DocumentOutcome, Volume, _guessed_targets

    first = DocumentOutcome("a", chapter_pages=3, target_pages={"a": 1, "a#p1": 1, "a#p7": 3})
    second = DocumentOutcome("b", chapter_pages=1, target_pages={"b": 1, "b#p1": 1})
    unprobed = DocumentOutcome("c", chapter_pages=2, target_pages={"c": 1, "c#p2": 2})
    volumes = [Volume(1, [first, second], last=False), Volume(2, [unprobed])]
    assert _guessed_targets(volumes, {1: {"introduction": 4, "a": 6, "b": 9}}) == {
        "introduction": [1, 4], "a": [1, 6], "b": [1, 9], "a#p1": [1, 6], "a#p7": [1, 8], "b#p1": [1, 9]}


def _chapter_of_lines(count: int) -> str:
    """A letter of `count` one-line paragraphs ending in a closer (a block), with a target on the closer's line."""
    lines = "\n\n".join(f'#"Zeile {n}.";' for n in range(count))
    return f'#tp-document(id: "d", title: "Brief", meta: ())[\n{lines}\n#tp-letter-part("closer")[#"Ihr ergebener";#tp-target("closer")]\n]\n'


def test_a_chapter_ending_at_a_pages_foot_is_guessed_as_long_as_the_book_sets_it(tmp_path: Path) -> None:
    """A document's own PDF says on which page its chapter ends (lib.typ `tp-chapter-end`), how many pages the chapter
    takes in the book: also where the chapter's last block fills a page and its compact apparatus goes to the next
    (the marker went with the apparatus: 13 of 93 Escher chapters were guessed a page long, their volumes typeset twice)."""
    from teipress.pdf import DEFAULT_FONTS, TARGET_PAGES, Typesetting, _target_pages_marker, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="de", title="", subtitle="", out_dir=str(tmp_path))
    template = '#import "lib.typ": *\n#show: edition.with(title: "T", paper: "a5", language: "de")\n'
    apparatus = '#tp-names-apparatus("Namen", (("Personen", ("A, B",)),))#tp-target("apparatus")\n'
    guessed, in_book, apparatus_later = [], [], []
    for count in range(28, 38):
        own = _target_pages_marker(typeset(template + _chapter_of_lines(count) + apparatus + TARGET_PAGES, {}, setting, what="own",
                                           markers="metadata").markers)
        pages = dict(own["target-pages"])
        guessed.append(max(page for _, page in own["chapter-ends"]))
        apparatus_later.append(pages["apparatus"] > pages["closer"])
        book = _target_pages_marker(typeset(template + _chapter_of_lines(count) + '#tp-document(id: "next", title: "N")[#"x";]' + TARGET_PAGES,
                                            {}, setting, what="book", markers="metadata").markers)
        in_book.append(dict(book["target-pages"])["next"] - 1)
    assert guessed == in_book
    assert any(apparatus_later) and in_book[0] == 1 and in_book[-1] == 2  # the sweep crossed the page's foot


def test_only_the_volumes_others_refer_to_are_probed() -> None:
    from teipress.pdf import DocumentOutcome, Volume, _referred_volumes

    a = DocumentOutcome("a", references=["c", "b#p2"])  # c in the third volume, b in its own
    b = DocumentOutcome("b", references=["nowhere"])
    c = DocumentOutcome("c", references=["a#p1"])
    volumes = [Volume(1, [a, b], last=False), Volume(2, [DocumentOutcome("d")], last=False), Volume(3, [c])]
    assert [_referred_volumes(volumes, referring) for referring in (volumes, volumes[:1], volumes[1:2], volumes[2:])] == [{1, 3}, {3}, set(), {1}]


def test_a_volumes_memory_is_estimated_from_its_pages_notes_and_apparatus_entries() -> None:
    from teipress import pdf, print_indexes
    from teipress.pdf import ChapterFigures, DocumentOutcome, volume_memory_mb

    # Counted in the chapter's markup, which the build does not hold.
    letter = DocumentOutcome("a", pages=10, figures=ChapterFigures.of('#"Text";#footnote[#"a";]#tp-app("a", "u", ())#footnote[#tp-mark("person", "k", "k", "K")#"b";]'))
    other = DocumentOutcome("b", pages=2, figures=ChapterFigures.of('#tp-app("b", "und", ())' * 99 + '#tp-mark("place", "p", "p", "P")#"Bern";' * 3))
    page, note, entry = pdf.TYPST_MB_PER_PAGE, pdf.TYPST_MB_PER_NOTE, pdf.TYPST_MB_PER_APPARATUS_ENTRY
    assert volume_memory_mb([letter]) == pytest.approx(pdf.TYPESETTER_MB + 10 * page + 2 * note + entry)
    assert volume_memory_mb([letter, other]) == pytest.approx(pdf.TYPESETTER_MB + 12 * page + 2 * note + 100 * entry)
    # The indexes by the marks of every document (a mark in a note too): an entry per key marked, a locator per document
    # that marks it (the three marks of "p" in one document are one locator).
    entries_and_locators = print_indexes.TYPST_MB_PER_INDEX_ENTRY + print_indexes.TYPST_MB_PER_INDEX_LOCATOR
    assert _index_mb([letter, other]) == pytest.approx(2 * entries_and_locators)
    assert _index_mb([letter, other, DocumentOutcome("c", figures=other.figures)]) == pytest.approx(
        2 * entries_and_locators + print_indexes.TYPST_MB_PER_INDEX_LOCATOR)


def test_the_build_counts_a_documents_index_marks_and_keeps_the_rest_of_its_figures() -> None:
    """What the volumes' planning needs of the index marks is how many documents mention each entry: the build counts a
    document's marks as its outcome arrives and keeps the outcome without them (at 20,000 letters 150 MB)."""
    from collections import Counter

    from teipress.pdf import ChapterFigures, DocumentOutcome, _counted

    mentioned: Counter[tuple[str, str]] = Counter({("person", "k"): 1})
    chapter = '#tp-app("a", "u", ())#footnote[#tp-mark("person", "k", "k", "K")#"b";]#tp-mark("place", "p", "p", "P")#"Bern";' * 2
    kept = _counted(DocumentOutcome("a", pages=3, figures=ChapterFigures.of(chapter)), mentioned)
    assert mentioned == Counter({("person", "k"): 2, ("place", "p"): 1})
    assert (kept.document_id, kept.pages, kept.figures) == ("a", 3, ChapterFigures(notes=2, apparatus_entries=2))


def _index_mb(documents: list[Any]) -> float:
    """What the indexes of `documents` are estimated to add, as the build counts their marks."""
    from collections import Counter

    from teipress.pdf import indexes_memory_mb

    return indexes_memory_mb(Counter(mark for o in documents for mark in o.figures.index_marks))


def _plan(documents: list[Any], volume_pages: int, **memory: float) -> list[Any]:
    from teipress.pdf import plan_volumes

    return plan_volumes(documents, volume_pages, (), _index_mb(documents), **memory)


def _letters(prefix: str, count: int, pages: int, chapter: str) -> list[Any]:
    from teipress.pdf import ChapterFigures, DocumentOutcome

    return [DocumentOutcome(f"{prefix}{n}", sort_key="1", pages=pages, figures=ChapterFigures.of(chapter)) for n in range(count)]


def test_letters_dense_with_apparatus_make_smaller_volumes() -> None:
    """A volume ends where it would pass volume_pages or where its compilation is estimated to need more than the
    memory allowed: each volume within both, and none that could have taken the next volume's first document."""
    from teipress.pdf import VOLUMES_MEMORY_MB, volume_memory_mb

    plain = _letters("plain", 10, 2, '#"Text";')
    dense = _letters("dense", 10, 2, '#tp-app("d", "u", ())#footnote[#"n";]' * 250)
    assert [[o.document_id for o in v.documents] for v in _plan(plain, 300)] == [[o.document_id for o in plain]]
    for documents, volume_pages in ((dense, 300), (plain + dense, 7), (dense + plain + dense, 300)):
        volumes = [v.documents for v in _plan(documents, volume_pages)]
        assert [o for volume in volumes for o in volume] == documents  # all of them, in order
        assert all(volume_memory_mb(volume) <= VOLUMES_MEMORY_MB and sum(o.pages for o in volume) <= volume_pages for volume in volumes[:-1])
        assert volume_memory_mb(volumes[-1]) + _index_mb(documents) <= VOLUMES_MEMORY_MB
        for volume, after in zip(volumes[:-2], volumes[1:-1]):  # the last two may have been parted for the indexes
            assert volume_memory_mb([*volume, after[0]]) > VOLUMES_MEMORY_MB or sum(o.pages for o in [*volume, after[0]]) > volume_pages
    assert len(_plan(dense, 300)) > 1


def test_the_last_volume_leaves_room_for_the_indexes_of_the_whole_edition() -> None:
    """The last volume compiles the indexes of every volume's marks too: when they would make it pass the memory allowed,
    its first documents make a volume of their own before it, as few as needed; when they fit beside none of its
    documents, the volumes are planned as without indexes, and every one leaves its marks' pages to index volumes."""
    from teipress.pdf import VOLUMES_MEMORY_MB, ChapterFigures, volume_memory_mb

    apparatus = '#tp-app("d", "u", ())' * 200
    unmarked = _letters("m", 30, 2, apparatus)
    # Each letter names 400 persons of its own: marks in the text weigh nothing, the indexes' entries do.
    marked = [dataclasses.replace(o, figures=ChapterFigures.of(apparatus + "".join(f'#tp-mark("person", "{o.document_id}-{n}", "s", "N")#"N";' for n in range(400))))
              for o in unmarked]

    def planned(documents: list[Any], **memory: float) -> list[list[str]]:
        return [[o.document_id for o in v.documents] for v in _plan(documents, 300, **memory)]

    index_mb = _index_mb(marked)
    greedy, volumes = planned(unmarked), planned(marked)
    assert len(greedy) > 1 and volumes[:-2] == greedy[:-1] and volumes[-2] + volumes[-1] == greedy[-1]
    last = [o for o in marked if o.document_id in volumes[-1]]
    one_more = [o for o in marked if o.document_id in volumes[-1] or o.document_id == volumes[-2][-1]]
    assert volume_memory_mb(last) + index_mb <= VOLUMES_MEMORY_MB < volume_memory_mb(one_more) + index_mb
    assert [v.indexes for v in _plan(marked, 300)] == ["pages"] * (len(volumes) - 1) + ["all"]
    assert planned(marked, memory_mb=index_mb - 1) == planned(unmarked, memory_mb=index_mb - 1)
    assert {v.indexes for v in _plan(marked, 300, memory_mb=index_mb - 1)} == {"pages"}
    # A last document too large for any volume keeps indexes that would fit alone.
    huge = dataclasses.replace(unmarked[0], pages=2000)
    assert [v.indexes for v in _plan([*marked[:2], huge], 300)] == ["pages", "all"]
    # A book of one volume without room for its indexes is volume 1, before its index volumes.
    assert [(v.number, v.indexes) for v in _plan(marked[:1], 300, memory_mb=_index_mb(marked[:1]))] == [(1, "pages")]
    assert [(v.number, v.indexes) for v in _plan(marked[:1], 300)] == [(0, "all")]


def test_the_next_volume_to_compile_is_the_first_waiting_that_fits_or_one_just_after_it_that_does_not_delay_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first volume waiting starts when it fits beside those compiling within the memory allowed (alone always);
    else one at most LOOK_AHEAD places after it that fits beside them and beside which each volume waiting before it
    will fit once those before that one end; else none."""
    from teipress import pdf
    from teipress.pdf import _next_to_start

    monkeypatch.setattr(pdf, "VOLUMES_MEMORY_MB", 1300)
    monkeypatch.setattr(pdf, "LOOK_AHEAD", 4)
    assert _next_to_start([], [0], [500]) is None
    assert _next_to_start([0, 1], [], [5000, 100]) == 0  # alone, whatever its estimate
    assert _next_to_start([1, 2], [0], [600, 700, 100]) == 1  # 1,300 together
    # 600 compiling, 750 first: of those after it, not 650 (the first would wait for it), but 500.
    assert _next_to_start([1, 2, 3], [0], [600, 750, 650, 500]) == 3
    assert _next_to_start([1, 2], [0], [600, 750, 650]) is None
    assert _next_to_start([1, 2], [0], [600, 750, 800]) is None  # not beside the one compiling either
    # No further than four after the first.
    assert _next_to_start([1, 2, 3, 4, 5, 6], [0], [600, 750, 650, 650, 650, 650, 500]) is None
    assert _next_to_start([1, 2, 3, 4, 5, 6], [0], [600, 750, 650, 650, 650, 500, 500]) == 5
    # Four places in the book, not four of those still waiting: the volumes between may have started.
    assert _next_to_start([1, 6], [0], [600, 750, 0, 0, 0, 0, 300]) is None
    assert _next_to_start([1, 5], [0], [600, 750, 0, 0, 0, 300]) == 5
    # Nor may it delay the second waiting: 900 would not fit beside 450 once 600 ends; 850 would.
    assert _next_to_start([1, 2, 3], [0], [600, 750, 900, 450]) is None
    assert _next_to_start([1, 2, 3], [0], [600, 750, 850, 450]) == 3
    # Three at a time: the first, 700, will have to fit beside the 300 started ahead of it too.
    assert _next_to_start([1, 3], [0, 2], [400, 700, 300, 250]) == 3
    assert _next_to_start([1, 3], [0, 2], [400, 700, 300, 350]) is None
    # Waiting volumes in order with gaps (some have started): the first is the lowest still waiting.
    assert _next_to_start([2, 5], [4], [0, 0, 1000, 0, 200, 100]) == 2


def _fake_compilations(duration: Callable[[Any], float]) -> tuple[Callable[..., Any], list[tuple[int, list[int]]]]:
    """A stand-in for `pdf._compiled` that takes `duration(volume)` seconds, and what it saw: each start with the
    volumes compiling then, itself included."""
    from teipress.pdf import VolumeFigures

    running: list[int] = []
    starts: list[tuple[int, list[int]]] = []
    lock = threading.Lock()

    def compiled(task: Any, setting: Any) -> VolumeFigures:
        with lock:
            running.append(task[0].number)
            starts.append((task[0].number, sorted(running)))
        time.sleep(duration(task[0]))
        with lock:
            running.remove(task[0].number)
        return VolumeFigures(file=str(task[0].number), conformant=True, pages=1, seconds=0, cpu_seconds=0, peak_mb=0, compilations=1)

    return compiled, starts


def test_volumes_are_compiled_side_by_side_as_far_as_memory_allows_near_the_books_order() -> None:
    """Every volume is compiled once, never beside others beyond the memory allowed (one too large for it alone), near
    the book's order; a volume too large to start beside the one compiling lets a smaller one after it start in its
    place. Only in order, a core stood idle beside each such volume: at 20,000 letters 19 of 150."""
    from teipress import pdf
    from teipress.pdf import DocumentOutcome, Volume

    def compile_all(pages: list[int], jobs: int) -> tuple[list[Any], list[tuple[int, list[int]]], list[int]]:
        volumes = [Volume(number, [DocumentOutcome(document_id=f"d{number}", pages=count)]) for number, count in enumerate(pages, start=1)]
        compiled, starts = _fake_compilations(lambda volume: 0.1 * volume.documents[0].pages / 100 if volume.documents[0].pages < 1000 else 0.3)
        recorded: list[int] = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pdf, "_compiled", compiled)
            figures = pdf._compile_volumes(volumes, lambda volume: (volume, Path(), {}, "", {}), lambda task, done: recorded.append(task[0].number),
                                           None, jobs=jobs)  # type: ignore[arg-type]
        assert [f.file for f in figures] == [str(v.number) for v in volumes]  # the figures in the volumes' order
        assert sorted(number for number, _ in starts) == sorted(recorded) == [v.number for v in volumes]
        for position, (number, together) in enumerate(starts):
            assert len(together) <= jobs
            assert len(together) == 1 or sum(pdf._estimated_mb(volumes[n - 1]) for n in together) <= pdf.VOLUMES_MEMORY_MB, (number, together)
            first_waiting = min(n for n, _ in starts[position:])
            assert number - first_waiting <= pdf.LOOK_AHEAD
        return volumes, starts, recorded

    # 40 + 1.4 MB a page: 390 MB for 250 pages, 880 for 600; 1,300 MB allowed.
    _, starts, _ = compile_all([250, 250, 250, 250, 600, 600, 250, 100, 5000, 250], jobs=3)
    assert starts[:3] == [(1, [1]), (2, [1, 2]), (3, [1, 2, 3])]  # the first three 250-page volumes together
    assert [together for number, together in starts if number == 9] == [[9]]
    # Two at a time: the second, 600 pages, does not fit beside the first; the third does, and the second beside it.
    # The third ends first: the fourth fits beside the first and the second beside it; the second starts when the first ends.
    _, starts, _ = compile_all([600, 600, 250, 250], jobs=2)
    assert starts == [(1, [1]), (3, [1, 3]), (4, [1, 4]), (2, [2, 4])] or starts == [(1, [1]), (3, [1, 3]), (4, [1, 4]), (2, [2])]


def test_a_volume_that_fails_is_the_error_and_the_volumes_after_it_do_not_wait_for_ever() -> None:
    """Each volume is given its task as it starts, with what the volumes before it recorded. A compilation that fails is
    the build's error at once: no volume starts after it (when the volumes waited at a gate for their turns, a failure
    cancelled turns that never came, and the build waited for ever)."""
    from teipress import pdf
    from teipress.errors import TypesetError
    from teipress.pdf import DocumentOutcome, Volume, VolumeFigures

    volumes = [Volume(number, [DocumentOutcome(document_id=f"d{number}", pages=250)]) for number in range(1, 11)]
    recorded: list[int] = []
    seen_at_start: dict[int, list[int]] = {}

    def compiled(task: Any, setting: Any) -> VolumeFigures:
        time.sleep(0.1)
        if task[0].number == 4:
            raise TypesetError("volume 4 of the book: Typst could not typeset it")
        return VolumeFigures(file=str(task[0].number), conformant=True, pages=1, seconds=0, cpu_seconds=0, peak_mb=0, compilations=1)

    def task_of(volume: Any) -> Any:
        seen_at_start[volume.number] = list(recorded)
        return (volume, Path(), {}, "", {})

    raised: list[BaseException] = []

    def run() -> None:
        try:
            pdf._compile_volumes(volumes, task_of, lambda task, done: recorded.append(task[0].number), None, jobs=2)  # type: ignore[arg-type]
        except Exception as error:
            raised.append(error)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_compiled", compiled)
        compiling = threading.Thread(target=run, daemon=True)
        compiling.start()
        compiling.join(timeout=60)
    assert not compiling.is_alive(), "the volumes after a failed one still wait"
    assert [type(error) for error in raised] == [TypesetError] and "volume 4" in str(raised[0])
    assert 4 not in recorded and max(seen_at_start) <= 5  # two at a time: at most the fifth started beside the fourth
    assert seen_at_start[1] == [] and seen_at_start[3] != []  # the third started after the first or second was recorded


# ---- Typst's warnings ---------------------------------------------------------------------------------

# An editor's own Typst (teipress.toml `typst`) whose documents never settle: each pass prints a count one
# higher than the pass before it found, so Typst gives up after five layout passes and warns.
UNSETTLING_TYPST = """#import "lib.typ": tp-document as lib-document
#let passes = state("passes", 0)
#let tp-document(..arguments) = [#context { let seen = passes.final(); passes.update(seen + 1) }#lib-document(..arguments)]
"""


def test_a_layout_that_does_not_settle_is_a_warning_about_each_pdf(tmp_path: Path) -> None:
    (tmp_path / "teipress.toml").write_text('typst = "unsettling.typ"\n', encoding="utf-8")
    (tmp_path / "unsettling.typ").write_text(UNSETTLING_TYPST, encoding="utf-8")
    source = tmp_path / "tei"
    source.mkdir()
    for name in ("brief", "lettre"):
        (source / f"{name}.xml").write_text(LETTER_TEMPLATE.format(id=name, title=name, lang="", text="Ein Brief."), encoding="utf-8")
    out = tmp_path / "out"
    unsettled = "the layout did not settle: line numbers or page references in this PDF may be wrong [typst-warning]"
    expected = [f"{display_path(source / 'brief.xml')}:1:1: warning: brief.pdf: {unsettled}",
                f"{display_path(source / 'lettre.xml')}:1:1: warning: lettre.pdf: {unsettled}",
                f"{display_path(out / 'edition.pdf')}:1:1: warning: the edition's book: {unsettled}"]
    assert [str(p) for p in build(source, out).result.problems] == expected
    # The warnings are the PDFs', kept with them: a build that typesets nothing again reports them again.
    again = build(source, out).result
    assert again.typeset == [] and not again.book_typeset
    assert [str(p) for p in again.problems] == expected


def test_typst_warnings_are_said_once_in_the_editors_terms() -> None:
    from teipress.pdf import UNSETTLED, typst_warnings

    assert typst_warnings(["document did not converge within five attempts", 'value of `state("s")` did not converge',
                           "query for metadata elements did not stabilize", "unknown font family: noto serif cjk kr",
                           "unknown font family: garamond premier", "unknown font family: garamond premier",
                           "some other warning"]) == [
        UNSETTLED, 'no installed font is named "garamond premier" (teipress.toml `fonts`, `font_paths`): its text is set in the fallback fonts',
        "Typst warned: some other warning"]


# ---- white space before a note's mark ----------------------------------------------------------------

MARKED = ('Dann <persName>Locher</persName> <note>Friedrich Locher.</note> hätte, wie Escher <note>Alfred Escher.</note>, '
          'und Ullmer <note>Rudolf Ullmer.</note>schrieb <note>Am Ende.</note>')


def test_no_space_before_a_notes_mark_but_between_words_always() -> None:
    document = LETTER_TEMPLATE.format(id="marks", title="Marks", lang="", text=MARKED).split("\n", 1)[1]
    paragraph = next(line for line in chapter_markup(document, "marks").splitlines() if "Locher" in line)
    # A space beside a note is the text's (a string literal): Typst takes a space of its markup away beside a footnote.
    assert paragraph == ('#"Dann"; #"Locher";#footnote[#"Friedrich Locher.";]#" ";#"hätte, wie Escher";#footnote[#"Alfred Escher.";]'
                         '#", und Ullmer";#" ";#footnote[#"Rudolf Ullmer.";]#"schrieb";#footnote[#"Am Ende.";]')


def test_a_notes_mark_follows_its_word_on_the_page(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    source.mkdir()
    (source / "marks.xml").write_text(LETTER_TEMPLATE.format(id="marks", title="Marks", lang="", text=MARKED), encoding="utf-8")
    result = build(source, tmp_path / "pdf")
    with pymupdf.open(result.out / "marks.pdf") as document:
        body, notes, _ = pdf_lines(document, range(0, 1))
    assert [line.text for line in body if "Locher" in line.text] == ["Dann Locher1 hätte, wie Escher2, und Ullmer 3schrieb4"]
    assert [line.text for line in notes][:4] == ["1Friedrich Locher.", "2Alfred Escher.", "3Rudolf Ullmer.", "4Am Ende."]
    assert_pdf_reading_exact(result.out / "marks.pdf", etree.parse(source / "marks.xml").getroot(), "Marks", "marks.pdf")


def test_a_paragraph_opens_without_a_space_after_a_note_or_alternate_ending_the_one_before() -> None:
    """A paragraph's leading white space is a space of Typst's markup (which a paragraph's start takes away), also where
    the paragraph before ends in a note or an alternate, whose footnotes would keep a space of the text."""
    text = '<p>Vor <note>n</note></p><p> Zweiter Absatz.</p><p>Mit <choice><abbr>Abk.</abbr><expan>Abkürzung</expan></choice></p><p> Dritter.</p>'
    document = LETTER_TEMPLATE.format(id="paras", title="Paras", lang="", text=text).split("\n", 1)[1]
    markup = chapter_markup(document, "paras")
    assert '#"Zweiter Absatz.";' in markup and '#"Dritter.";' in markup
    assert '#" ";#"Zweiter' not in markup and '#" ";#"Dritter' not in markup


ADJACENT = ('Zwei <note>Erste.</note> <note>Zweite.</note> Noten, drei<note>A.</note><note>B.</note> <note>C.</note>. '
            'Eine <note>D.</note> <note>E.</note>danach')


def test_adjacent_notes_marks_are_set_apart_by_a_comma() -> None:
    document = LETTER_TEMPLATE.format(id="marks", title="Marks", lang="", text=ADJACENT).split("\n", 1)[1]
    paragraph = next(line for line in chapter_markup(document, "marks").splitlines() if "Zwei" in line)
    assert paragraph == ('#"Zwei";#footnote[#"Erste.";]#super(",");#footnote[#"Zweite.";]#" ";#"Noten, drei";#footnote[#"A.";]'
                         '#super(",");#footnote[#"B.";]#super(",");#footnote[#"C.";]#". Eine";#footnote[#"D.";]#" ";#footnote[#"E.";]#"danach";')


def test_adjacent_notes_marks_read_with_a_comma_on_the_page(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    source.mkdir()
    letter = LETTER_TEMPLATE.format(id="marks", title="Marks", lang="", text=ADJACENT)
    (source / "marks.xml").write_text(letter, encoding="utf-8")
    result = build(source, tmp_path / "pdf")
    with pymupdf.open(result.out / "marks.pdf") as document:
        body, _, _ = pdf_lines(document, range(0, 1))
    assert [line.text for line in body if "Zwei" in line.text] == ["Zwei1,2 Noten, drei3,4,5. Eine6 7danach"]
    assert_pdf_reading_exact(result.out / "marks.pdf", etree.fromstring(letter.split("\n", 1)[1].encode()), "Marks", "marks")
