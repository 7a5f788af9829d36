"""The critical apparatus at the foot of the page: the entries of one line grouped after its number, in a letter's
own PDF and in the book's volumes (lib.typ tp-app, given the lines teipress.pdf found), and the lines of a letter
whose locators were guessed wrong looked up."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from test_pdf import Build, build
from test_print_text import LAYOUT

# A letter whose first line holds two entries, the next one, a later line one more; a note between them.
GROUPED_LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="grouped-letter"><teiHeader><fileDesc>
  <titleStmt><title>Letter with readings of one line</title></titleStmt><publicationStmt><p>Test fixture.</p></publicationStmt>
  <sourceDesc><p>Invented for tests.</p></sourceDesc></fileDesc></teiHeader>
  <text type="letter"><body>
    <p>First <app><lem>alpha</lem><rdg wit="#A">beta</rdg></app> and <app><lem>gamma</lem><rdg wit="#B">delta</rdg><rdg wit="#C #D"/></app>
    stand on one line.<note>An editorial note.</note> The words of this letter run on to the next line, which holds
    <choice><abbr>Bsp.</abbr><expan>example</expan></choice> alone. {filler} Then a word <choice><sic>recieved</sic><corr>received</corr></choice> later.</p>
  </body></text></TEI>"""
FILLER = "The words of the letter run on to fill its lines. " * 8
# The entries in the order of the text: the lemma's word, the entry as printed.
ENTRIES = [("alpha", "alpha] beta A"), ("gamma", "gamma] delta B; om. C D"), ("example", "example] Bsp. abbr."),
           ("received", "received] recieved sic")]


def grouped_edition(tmp_path: Path, letter: str = GROUPED_LETTER) -> Path:
    edition = tmp_path / "tei"
    edition.mkdir(parents=True)
    shutil.copy(LAYOUT / "edition.xml", edition / "edition.xml")
    (edition / "grouped-letter.xml").write_text(letter.format(filler=FILLER), encoding="utf-8")
    return edition


@pytest.fixture(scope="module")
def grouped_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("grouped")
    return build(grouped_edition(root), root / "out")


def page_lines(page: pymupdf.Page) -> tuple[list[str], list[tuple[bool, str]]]:
    """A page's text lines above the footnote rule (line numbers in the margin and the page's number left out), and
    the lines below it, each with whether it opens with a bold number (an apparatus line, not a note)."""
    width, height = page.rect.width, page.rect.height
    rule = min((d["rect"].y0 for d in page.get_drawings() if d["rect"].height < 1.5 and 20 < d["rect"].width < width * 0.3), default=height)
    left = width * 0.15 - 2.5 if page.number % 2 == 0 else width * 0.20 - 2.5
    rows: dict[int, list[dict[str, Any]]] = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if span["text"].strip() and span["bbox"][2] > left and span["origin"][1] < height * 0.88:
                    rows.setdefault(round(span["origin"][1] / 3), []).append(span)
    text, foot = [], []
    for key in sorted(rows):
        spans = sorted(rows[key], key=lambda span: span["bbox"][0])
        # Spans apart by more than a point are apart by a space (a word's italic sigla, a note's raised number).
        words = "".join((" " if index and span["bbox"][0] > spans[index - 1]["bbox"][2] + 1 else "") + span["text"]
                        for index, span in enumerate(spans))
        words = " ".join(words.replace("\u00ad", "").split())
        if spans[0]["origin"][1] > rule:
            foot.append((bool(spans[0]["flags"] & 16 and spans[0]["text"].strip().isdigit()), words))
        else:
            text.append(words)
    return text, foot


def apparatus_of(page: pymupdf.Page) -> list[tuple[int, str]]:
    """The apparatus lines of a page's foot in order: (the line number, what follows it), turned lines joined, notes left out."""
    entries: list[tuple[int, str]] = []
    in_apparatus = False
    for numbered, words in page_lines(page)[1]:
        if numbered:
            number, rest = words.split(" ", 1)
            entries.append((int(number), rest))
        elif in_apparatus and not words[:1].isdigit():
            entries[-1] = (entries[-1][0], entries[-1][1] + " " + words)
        in_apparatus = numbered or (in_apparatus and not words[:1].isdigit())
    return entries


def expected_apparatus(text: list[str], first_line: str) -> list[tuple[int, str]]:
    """ENTRIES grouped by the text line their lemma stands on (the letter's lines counted from `first_line`)."""
    numbered = text[next(index for index, line in enumerate(text) if line.startswith(first_line)):]
    lines = [next(number for number, line in enumerate(numbered, start=1) if lemma in line.split()) for lemma, _ in ENTRIES]
    grouped: list[tuple[int, str]] = []
    for line, (_, entry) in zip(lines, ENTRIES):
        if grouped and grouped[-1][0] == line:
            grouped[-1] = (line, f"{grouped[-1][1]}; {entry}")
        else:
            grouped.append((line, entry))
    return grouped


def chapter_page(pdf: Path, title: str) -> int:
    with pymupdf.open(pdf) as document:
        return next(page for _, heading, page in document.get_toc() if heading == title) - 1


@pytest.mark.parametrize("pdf", ["grouped-letter.pdf", "edition.pdf"])
def test_the_entries_of_one_line_follow_its_number_once(grouped_build: Build, pdf: str) -> None:
    """In the letter's own PDF and in the book, each apparatus line of the foot is a line's number and every entry
    whose lemma stands on that line, in the order of the text, "; " between them: none lost, none twice, the numbers
    increasing."""
    path = grouped_build.out / pdf
    with pymupdf.open(path) as document:
        page = document[chapter_page(path, "Letter with readings of one line")]
        text, _ = page_lines(page)
        shown = apparatus_of(page)
    expected = expected_apparatus(text, "First alpha and gamma")
    # The letter is what the test needs: two entries on its first line, one on the next, one further down.
    assert [line for line, _ in expected][:3] == [1, 2, expected[2][0]] and expected[2][0] > 3, expected
    assert shown == expected
    assert [line for line, _ in shown] == sorted({line for line, _ in shown})


@pytest.mark.parametrize(("off_by", "compilations"), [(0, 1), (1, 2)])
def test_a_volume_whose_letter_was_counted_with_other_locators_looks_its_lines_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                                   off_by: int, compilations: int) -> None:
    """A letter whose lines were counted with a locator its volume does not print (a target guessed on another page)
    has them counted again with those it printed: where they are the lines it was given, the volume is typeset once;
    where not, again with that letter's entries looking their lines up, and it prints the right numbers."""
    from teipress import pdf

    right = build(grouped_edition(tmp_path / "right"), tmp_path / "right" / "out").result
    planned = pdf._volume_setting

    def counted_elsewhere(*arguments: Any) -> dict[str, Any]:
        made = planned(*arguments)
        wrong = {document: [None if line is None else line + off_by for line in lines] for document, lines in made["apparatus_lines"].items()}
        return {**made, "apparatus_lines": wrong, "counted_locators": {document: {"elsewhere": [0, 9]} for document in wrong}}

    monkeypatch.setattr(pdf, "_volume_setting", counted_elsewhere)
    again = build(grouped_edition(tmp_path / "again"), tmp_path / "again" / "out").result
    assert [f.compilations for f in right.volume_figures] == [1]
    assert [(f.compilations, f.warnings) for f in again.volume_figures] == [(compilations, [])]
    with pymupdf.open(right.volumes[0]) as first, pymupdf.open(again.volumes[0]) as second:
        number = chapter_page(right.volumes[0], "Letter with readings of one line")
        grouped, looked_up = apparatus_of(first[number]), apparatus_of(second[number])
    # Looked up, each entry stands alone under the same numbers.
    assert [(line, entry) for line, group in grouped for entry in re.split(r"; (?=\w+\])", group)] == looked_up if off_by else grouped == looked_up


def test_a_letter_is_given_lines_counted_with_the_locators_it_prints() -> None:
    """Its lines are those counted with its locators (else its own PDF's), and its volume compares those locators with
    what it printed; a letter referring to a passage of its own (counted alone, the passage lay on another page) gets none."""
    from teipress.pdf import ChapterLines, DocumentOutcome, Volume, _volume_setting, moved_locators

    alone = DocumentOutcome("a", apparatus_lines=[1, 1, 4])
    referring = DocumentOutcome("b", apparatus_lines=[2], references=["a#p3", "c"])
    itself = DocumentOutcome("c", apparatus_lines=[5], references=["c#p1"])
    made = _volume_setting(Volume(1, [alone, referring, itself]), [], {}, {"b": ChapterLines(9, [3], {"a#p3": [1, 7]})})
    assert made["apparatus_lines"] == {"a": [1, 1, 4], "b": [3]}
    assert made["counted_locators"] == {"b": {"a#p3": [1, 7], "c": None}}
    assert moved_locators(made["counted_locators"], {"a#p3": [1, 7]}) == []
    assert moved_locators(made["counted_locators"], {"a#p3": [1, 8]}) == ["b"]
    assert moved_locators(made["counted_locators"], {"a#p3": [1, 7], "c": [2, 3]}) == ["b"]


# A chapter of four entries as xslt/pdf/text.xsl writes one (its entries once, then each called by its number), the third
# after words of a source that read like a call.
ENTRIES_CHAPTER = ('#tp-document(id: "a", title: "A", apparatus: true, meta: ())[#let tp-apparatus-entries = ('
                   '(lemma: "u", readings: ((label: "A", text: "v"),)), (lemma: "w", readings: ((label: "", text: "z"),)), '
                   '(lemma: "x", readings: ((label: "", text: "q"),)), (lemma: "y", readings: ((label: "", text: "r"),)),);#"One";#tp-app("a", tp-apparatus-entries, 0)#" two";#tp-app("a", tp-apparatus-entries, 1)'
                   '#" #tp-app(\\"a\\", tp-apparatus-entries, 0)";#tp-app("a", tp-apparatus-entries, 2)#" three";'
                   '#tp-app("a", tp-apparatus-entries, 3)]\n')


@pytest.mark.parametrize(("lines", "foot"), [
    # The entries of a line after its number, once; entries outside numbered text (none) each alone.
    ([3, 3, None, None], ["3 u] v A; w] z", "x] q", "y] r"]),
    ([3, 4, 4, 3], ["3 u] v A", "4 w] z; x] q", "3 y] r"]),
    # Lines for other entries than the chapter's: each entry looks its own line up.
    ([5, 5], ["1 u] v A", "1 w] z", "1 x] q", "1 y] r"]),
    ([5, 5, 5, 5, 5], ["1 u] v A", "1 w] z", "1 x] q", "1 y] r"]),
])
def test_a_chapter_groups_its_entries_by_the_lines_it_is_given(tmp_path: Path, lines: list[int | None], foot: list[str]) -> None:
    """Given the line of each of its entries (lib.typ tp-app), a chapter prints at the first entry of a line one footnote with
    all of that line's entries, and nothing at the others; the words that read like a call print as words."""
    from teipress.pdf import DEFAULT_FONTS, Typesetting, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="", subtitle="", out_dir=str(tmp_path))
    done = typeset(ENTRIES_TEMPLATE + ENTRIES_CHAPTER, {}, setting, what="entries", apparatus_lines={"a": lines})
    with pymupdf.open(stream=done.pdf, filetype="pdf") as document:
        shown = document[0].get_text().splitlines()
    # The title, the text's one line, the foot, the page's number.
    assert shown == ["A", 'One two #tp-app("a", tp-apparatus-entries, 0) three', *foot, "1"]


ENTRIES_TEMPLATE = '#import "lib.typ": *\n#show: edition.with(title: "T", paper: "a5")\n'


def test_where_the_entries_fall_is_found_without_their_footnotes(tmp_path: Path) -> None:
    """Laid out to find them, a chapter's entries print nothing at the foot and tell the lines they look up where each is a
    footnote, in the order of their numbers: also an entry whose word ends a line or a paragraph (an entry after every word
    here); entries
    found out of that order give no lines (grouped by them, an entry would print another's line)."""
    from teipress.pdf import DEFAULT_FONTS, Typesetting, apparatus_lines, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="en", title="", subtitle="", out_dir=str(tmp_path))
    words = [f"w{number}" + "o" * (number % 7) for number in range(70)]
    entries = ", ".join(f'(lemma: "{word}", readings: ((label: "", text: "r"),))' for word in words)
    # Every word followed by an entry, every ninth ending a paragraph.
    text = "".join(f'#" {word}";#tp-app("a", tp-apparatus-entries, {number})' + ("\n\n" if number % 9 == 8 else "") for number, word in enumerate(words))
    chapter = f'#tp-document(id: "a", title: "A", apparatus: true, meta: ())[#let tp-apparatus-entries = ({entries},);{text}]\n'
    found = typeset(ENTRIES_TEMPLATE + chapter, {}, setting, what="entries", markers="metadata", all_line_markers=True,
                    find_apparatus_lines=True)
    looked_up = typeset(ENTRIES_TEMPLATE + chapter, {}, setting, what="entries")
    with pymupdf.open(stream=found.pdf, filetype="pdf") as without, pymupdf.open(stream=looked_up.pdf, filetype="pdf") as with_footnotes:
        assert not any("] r" in page.get_text() for page in without)
        printed = [(int(line), word) for page in with_footnotes for line, word in re.findall(r"^(\d+) (w\d+o*)\] r$", page.get_text(), re.MULTILINE)]
    assert [word for _, word in printed] == words
    lines = apparatus_lines(found.markers)
    assert lines == [line for line, _ in printed] and lines[-1] > 3, lines
    marks = next(value for value in found.markers if isinstance(value, dict) and "entry-lines" in value)["entry-lines"]
    assert apparatus_lines([{"entry-lines": [marks[1], marks[0], *marks[2:]]}]) == []
    assert apparatus_lines([]) == []


NESTED_LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="nested"><teiHeader><fileDesc>
  <titleStmt><title>Nested</title></titleStmt><publicationStmt><p>Test fixture.</p></publicationStmt>
  <sourceDesc><p>Invented for tests.</p></sourceDesc></fileDesc></teiHeader>
  <text type="letter"><body><p>First <app><lem>the <choice><sic>wrod</sic><corr>word</corr></choice></lem><rdg wit="#A">a
  <app><lem>verb</lem><rdg wit="#B">noun</rdg></app></rdg></app> then <app><lem>gamma</lem><rdg wit="#B">delta</rdg></app><note>A
  note with <choice><abbr>abbr.</abbr><expan>abbreviation</expan></choice>.</note> and <subst><del>old</del><add>new</add></subst>.</p>
  </body></text></TEI>"""


def test_a_chapters_entries_are_numbered_in_the_order_the_text_prints_them() -> None:
    """An entry follows its shown reading, so an alternate's entry inside that reading comes first; an alternate in a reading
    the text does not show, or in a note (its readings in brackets), is no entry of the chapter."""
    from test_pdf import chapter_markup

    markup = chapter_markup(NESTED_LETTER, "nested")
    numbers = re.findall(r'#tp-app\("nested", tp-apparatus-entries, (\d+)\)', markup)
    entries = re.search(r"#let tp-apparatus-entries = (.*?);\n", markup).group(1)
    assert numbers == ["0", "1", "2", "3"]
    assert re.findall(r'\(lemma: "([^"]*)"', entries) == ["word", "the word", "gamma", "new"]


def test_an_alternate_print_does_not_set_is_no_entry_of_the_chapter() -> None:
    """One in a standOff (or the header) is not printed: numbered among the entries, it would leave the lines found for
    the entries that are printed unmatched, and none of the document's would be grouped by line."""
    from test_pdf import chapter_markup

    letter = NESTED_LETTER.replace("<text", '<standOff><listPerson><person xml:id="p"><persName><choice><abbr>Bsp.</abbr>'
                                   "<expan>Beispiel</expan></choice></persName></person></listPerson></standOff><text", 1)
    markup = chapter_markup(letter, "nested")
    entries = re.search(r"#let tp-apparatus-entries = (.*?,\));", markup).group(1)
    assert re.findall(r'\(lemma: "([^"]*)"', entries) == ["word", "the word", "gamma", "new"]
    assert re.findall(r'#tp-app\("nested", tp-apparatus-entries, (\d+)\)', markup) == ["0", "1", "2", "3"]


def test_a_reading_reads_an_alternate_inside_it_as_the_text_shows_it() -> None:
    """Inside the lemma an alternate's shown reading alone (its others have an entry of their own); inside a recorded
    reading, which no entry of its own shows, its others follow in brackets with their labels — nothing run together."""
    from test_pdf import chapter_markup

    entries = re.search(r"#let tp-apparatus-entries = (.*?);\n", chapter_markup(NESTED_LETTER, "nested")).group(1)
    entry = re.findall(r'\(lemma: "([^"]*)", readings: \(\(label: "([^"]*)", text: "([^"]*)"\)', entries)
    assert entry[:2] == [("word", "sic", "wrod"), ("the word", "A", "a verb (noun B)")]


# An edition's own rule (as tests/test_behaviour_classes.py gives the site): a seg of type "variants" is an alternate.
OWN_ALTERNATE_STYLESHEET = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tp="https://teipress.org/ns/xslt" xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{$teipress}pdf/document.xsl"/>
  <xsl:template match="tei:seg[@type = 'variants']" mode="tp:behaviour" as="xs:string">alternate</xsl:template>
</xsl:stylesheet>
"""
OWN_ALTERNATE_LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="own"><teiHeader><fileDesc>
  <titleStmt><title>Own</title></titleStmt><publicationStmt><p>Test fixture.</p></publicationStmt>
  <sourceDesc><p>Invented for tests.</p></sourceDesc></fileDesc></teiHeader>
  <text type="letter"><body><p>A <seg type="variants"><seg>colour</seg><seg>color</seg></seg> and
  <app><lem>the <seg type="variants"><seg>grey</seg><seg>gray</seg></seg></lem><rdg wit="#A">a <seg type="variants"><seg>blue</seg><seg>blew</seg></seg></rdg></app>
  then <app><lem>gamma</lem><rdg wit="#B">delta</rdg></app>.</p></body></text></TEI>"""


def test_an_alternate_an_editions_rule_makes_is_printed_as_a_named_one(tmp_path: Path) -> None:
    """Its first reading in the text, the others in an apparatus entry numbered among the chapter's, and read as the
    text shows it inside another entry's readings (common/behaviours.xsl: print renders behaviours, not names)."""
    from teipress.saxon import Stylesheets, to_xdm

    stylesheet = tmp_path / "document.xsl"
    stylesheet.write_text(OWN_ALTERNATE_STYLESHEET, encoding="utf-8")
    markup = Stylesheets().transform(stylesheet, to_xdm(OWN_ALTERNATE_LETTER), part="book", document_id="own", paper="a4", fonts=[], edition_title="E")
    entries_line = re.search(r"#let tp-apparatus-entries = (.*?);\n", markup)
    entries = re.findall(r'\(lemma: "([^"]*)", readings: \(\(label: "([^"]*)", text: "([^"]*)"\),\)\)', entries_line.group(1))
    assert entries == [("colour", "seg", "color"), ("grey", "seg", "gray"), ("the grey", "A", "a blue (blew seg)"), ("gamma", "B", "delta")]
    text = markup[entries_line.end():]
    assert re.findall(r'#tp-app\("own", tp-apparatus-entries, (\d+)\)', text) == ["0", "1", "2", "3"]
    assert [word for word in ("colour", "color", "grey", "gray", "blue", "blew") if word in text] == ["colour", "grey"]


def test_kept_sources_hold_only_the_last_compilation(tmp_path: Path) -> None:
    """A folder of kept sources compiled again holds the files of that compilation and its inputs, nothing an
    earlier one left (bench/typst_profile.py compiles the folder as it is)."""
    from teipress.pdf import _keep_sources

    build_folder, kept = tmp_path / "build", tmp_path / "kept"
    build_folder.mkdir()
    (build_folder / "main.typ").write_text("first", encoding="utf-8")
    (build_folder / "image.png").write_bytes(b"png")
    _keep_sources(build_folder, kept, {"x": "1"})
    (build_folder / "image.png").unlink()
    (build_folder / "main.typ").write_text("second", encoding="utf-8")
    _keep_sources(build_folder, kept, {"x": "2"})
    assert sorted(path.name for path in kept.iterdir()) == ["inputs.json", "main.typ"]
    assert (kept / "main.typ").read_text(encoding="utf-8") == "second" and (kept / "inputs.json").read_text(encoding="utf-8") == '{"x": "2"}'
