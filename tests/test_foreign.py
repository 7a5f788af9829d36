"""Other projects' conventions, rendered as a reader of the source project expects (issue 9, part 2).

The fixtures in tests/fixtures/foreign/ are invented letters written the ways real projects write
them: names marked sender and addressee inside one correspAction (the Escher letters), actions
without a type, @key instead of @ref, an organisation or a role name as the sender, dates only in
words; letterheads with left and right parts, openers and closers; lists of persons, places,
organisations, works and events in the back (the Schnitzler letters); registers in separate files
(people/people.xml, places/places.xml) whose entries carry the labels @key uses. Each test compares
the sequence of what a reader sees.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURES
from teipress.build import build_edition
from teipress.config import load_config

FOREIGN = FIXTURES / "foreign"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures built as a site and PDFs, without validation (they are not our encoding)."""
    root = tmp_path_factory.mktemp("foreign")
    source = root / "tei"
    shutil.copytree(FOREIGN, source)
    config = load_config(root, source=source, output=root / "out")
    build_edition(config, formats={"html", "pdf"}, validate=False, jobs=1)
    return root / "out"


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    root = lxml.html.parse(str(site / "html" / path)).getroot()
    for hidden in root.xpath("//*[@hidden]"):
        hidden.drop_tree()
    return root


def words(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def metadata(site: Path, document: str) -> list[tuple[str, str]]:
    """The (label, value) pairs of a document page's "About this document" panel, up to its archive."""
    panel = page(site, f"documents/{document}.html").xpath("//aside[@class='document-meta']//dl")[0]
    return [(words(dt), words(dt.getnext())) for dt in panel.xpath("dt")]


def pdf_lines(site: Path, document: str) -> list[str]:
    """The PDF's lines as pdftotext lays them out, white space collapsed, line numbers dropped."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is absent")
    text = subprocess.run(["pdftotext", "-layout", str(site / "pdf" / f"{document}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    lines = (re.sub(r"^\s*\d+\s{2,}", "", line) for line in text.splitlines())
    return [" ".join(line.split()) for line in lines if line.strip()]


# ------------------------------------------------------------------ kinds

def test_the_kind_of_each_document_from_its_header(site: Path) -> None:
    kinds = {document: dict(metadata(site, document))["Type"] for document in
             ("roles-in-one-action", "untyped-action", "several-senders", "diary", "plain", "letterhead")}
    # TEI/@type "Brief"; a correspDesc; a textClass term "Telegramm"; a term "Tagebuch"; nothing; a correspDesc
    assert kinds == {"roles-in-one-action": "Letter", "untyped-action": "Letter", "several-senders": "Telegram",
                     "diary": "Diary", "plain": "Document", "letterhead": "Letter"}
    assert words(page(site, "documents/diary.html").xpath("//p[@class='kicker']/span")[0]) == "Diary"
    home = page(site, "index.html")
    assert sorted((row.get("id"), row.get("data-type")) for row in home.xpath("//table[contains(@class, 'document-list')]/tbody/tr")
                  if row.get("id") in kinds) == sorted((document, kind) for document, kind in kinds.items())
    assert pdf_lines(site, "several-senders")[:2] == ["Two senders to one addressee", "Type Telegram"]


# ------------------------------------------------------------------ correspondence

def test_names_marked_against_their_action_are_correspondents_not_senders(site: Path) -> None:
    # persName type="addressee" and type="sender" inside one correspAction type="sent" (the Escher letters):
    # the action and the names contradict each other, so neither is called sender or addressee.
    assert metadata(site, "roles-in-one-action")[1:] == [
        ("Date", "4 March 1850"), ("Correspondents", "Ada Quill, Bert Ink"), ("Sent from", "Inkton"), ("Persons mentioned", "Bert Ink")]
    links = page(site, "documents/roles-in-one-action.html").xpath("//dd[@class='correspondents']/a/@href")
    # by @key = the entries' @n; a capital in an id is "_" and its small letter in the file's name
    assert links == ["../registers/persons/_quill-_ada.html", "../registers/persons/_ink-_bert.html"]
    assert pdf_lines(site, "roles-in-one-action")[1:5] == ["Type Letter", "Date 4 March 1850", "Correspondents Ada Quill, Bert Ink", "Sent from Inkton"]


def test_roles_in_an_action_without_type_and_a_date_only_in_words(site: Path) -> None:
    assert metadata(site, "untyped-action")[1:] == [
        ("Date", "late summer, year unknown"), ("From", "Guild of Quills, The Secretary"), ("To", "Bert Ink")]
    assert pdf_lines(site, "untyped-action")[1:5] == [
        "Type Letter", "Date late summer, year unknown", "From Guild of Quills, The Secretary", "To Bert Ink"]


def test_several_senders_and_an_organisation_as_addressee(site: Path) -> None:
    assert metadata(site, "several-senders")[1:] == [
        ("Date", "2 January 1851"), ("From", "Ada Quill, Bert Ink in Inkton"), ("To", "Guild of Quills in Penford")]
    row = page(site, "index.html").xpath("//tr[@id='several-senders']")[0]
    # the register names of the entries they point to
    assert (row.get("data-sender"), row.get("data-addressee")) == ("Quill, Ada; Bert Ink", "Quill Gazette")
    home = lxml.html.parse(str(site / "html" / "index.html"))
    assert "Quill, Ada; Bert Ink" in home.xpath("//select[@id='filter-sender']/option/text()")


def test_registers_in_separate_files_list_the_letters_that_name_their_entries(site: Path) -> None:
    persons = page(site, "registers/persons.html")
    assert persons.xpath("//li[@id='Ink-Bert']/a[@class='entry-name']/@href") == ["../registers/persons/_ink-_bert.html"]
    bert = page(site, "registers/persons/_ink-_bert.html")
    # the letters he wrote or received in reading order (the undated one last), then each passage naming him in its words
    assert [words(item) for item in bert.xpath("//section[contains(@class, 'correspondence')]//li")] == [
        "Correspondent: Ada Quill an Bert Ink, Inkton 4 March 1850", "From: Two senders to one addressee 2 January 1851",
        "To: A letter whose actions carry no type"]
    assert [words(item) for item in bert.xpath("//li[@class='mention-context']")] == ["Lieber Bert, in Inkton regnet es."]
    assert bert.xpath("//a[@class='mention']/@href") == ["../../documents/roles-in-one-action.html#p1"]
    inkton = page(site, "registers/places/_inkton-place.html")
    assert [words(item) for item in inkton.xpath("//li[@class='mention-context']")] == ["Lieber Bert, in Inkton regnet es."]
    assert inkton.xpath("//li[@class='mention-context']/a[@class='mention']/text()") == ["Inkton"]


def test_a_register_file_gives_its_entries_to_the_register_and_keeps_what_has_no_page_of_its_own(site: Path) -> None:
    # people/people.xml: two entries with ids (the register's, a page each) and one without an id, which only this page shows.
    people = page(site, "documents/persons.html")
    items = people.xpath("//section[@class='document-register']//section[contains(@class, 'register-list-person')]//ul[@class='register-entries']/li")
    assert [(item.get("class"), [words(item)] if item.get("class") == "register-entries-elsewhere" else [words(part) for part in item]) for item in items] == [
        ("register-entries-elsewhere", ["2 entries, each on a page of its own in the register Persons"]),
        ("tei-person register-entry entry-person", ["Clara Nib", "A printer named in no letter; the list gives her no id."])]
    assert items[0].xpath("a/@href") == ["../registers/persons.html"]
    events = people.xpath("//section[@class='document-register']//section[contains(@class, 'register-list-event')]//li")
    assert [(item.get("class"), words(item), item.xpath("a/@href")) for item in events] == [
        ("register-entries-elsewhere", "1 event, in the Chronology", ["../chronology.html"])]
    fair = page(site, "chronology.html").xpath("//li[@id='ink-fair-1850']")
    assert [words(part) for part in fair[0].xpath("time | div/*")] == ["1 June 1850", "Ink fair", "Ada Quill shows her new ink."]
    # every word of the entries it does not show is on their own pages
    for entry, expected in (("_quill-_ada", ["Ada", "Quill"]), ("_ink-_bert", ["Bert", "Ink", "1820"])):
        text = words(page(site, f"registers/persons/{entry}.html").xpath("//article")[0])
        assert [word for word in expected if word not in text] == [], entry


# ------------------------------------------------------------------ letterheads, openers, closers

def test_letterhead_parts_stand_on_lines_of_their_own(site: Path) -> None:
    letter = page(site, "documents/letterhead.html")
    opener = letter.xpath("//div[contains(@class, 'tei-opener')]")[0]
    lines = [(element.get("class").split()[0], words(element)) for element in opener.xpath(".//*[contains(concat(' ', @class, ' '), ' line ')]")]
    assert lines == [
        ("tei-seg", "Quill Gazette und Inkblatt."), ("tei-rs", "Quill Gazette und Inkblatt."),  # a space before each line break
        ("tei-seg", "Redaction.Inkton, 2. Aug. 1889"), ("tei-seg", "Redaction."), ("tei-seg", "Inkton, 2. Aug. 1889"),
        ("tei-seg", "Telegramm-Adresse:"), ("tei-seg", "Gazette Inkton")]
    right = opener.xpath(".//span[contains(@class, 'rend-right')]")[0]
    assert "rend-left" in right.getprevious().get("class")  # CSS sets the two at the ends of one line
    # "Inkton," and its date run on one line: a <space/> between them is running text
    assert letter.xpath("//section[@class='reading-text']//time[@datetime='1889-08-02']")[0].get("class") == "tei-date"


def test_letterhead_opener_closer_and_address_in_the_pdf(site: Path) -> None:
    lines = pdf_lines(site, "letterhead")
    assert lines[0] == "Quill Gazette an Bert Ink"  # the letter's own title, not its series'
    start = lines.index("Quill Gazette", 2)
    assert lines[start:start + 15] == [
        "Quill Gazette", "und", "Inkblatt.", "Redaction. Inkton, 2. Aug. 1889", "Telegramm-Adresse:", "Gazette Inkton",
        "Inkton, im August", "Verehrte Frau!", "Ihr Buch ist angekommen.", "Ihr", "ergebener", "B. Ink", "PS. Tinte folgt.",
        "Frau Ada Quill", "Inkton"]


# ------------------------------------------------------------------ entities of further kinds

def test_rs_of_other_types_are_entities_of_that_kind(site: Path) -> None:
    letter = page(site, "documents/untyped-action.html")
    entities = [(span.get("class").split()[-1].removeprefix("entity-"), words(span)) for span in letter.xpath("//section[@class='reading-text']//span[@data-entity]")]
    assert entities == [("work", "Book of Quills"), ("event", "Ink Fair"), ("object", "inkwell")]
    assert [" ".join(span.get("class").split()[1:]) for span in letter.xpath("//section[@class='reading-text']//span[@data-entity]")] == [
        "entity-work", "entity-event", "entity-object"]
    # The legend's further kinds, which site.js adds between the organisation and the date (tests/test_reading_views.py).
    assert letter.xpath("//div[@class='reading-toolbar']/@data-kinds") == ["work event object"]


# ------------------------------------------------------------------ the document's own register

def test_lists_in_the_back_are_the_documents_register_after_the_notes(site: Path) -> None:
    letter = page(site, "documents/letterhead.html")
    assert "Schreiberin" not in words(letter.xpath("//section[@class='reading-text']")[0])
    register = letter.xpath("//section[@class='document-register']")[0]
    assert [words(h) for h in register.xpath(".//h3")] == ["Persons", "Places", "Organisations", "Works", "Events"]
    entries = {item.get("id"): [words(part) for part in item] for item in register.xpath(".//li[contains(@class, 'register-entry')]")}
    assert entries == {
        "ada": ["Quill, Ada", "Also: Ady", "Born: 1. 1. 1850, Inkton (10,5 20,25)", "Died: 1900", "Occupations: Schreiberin; Druckerin",
                "GND https://authority.example.org/gnd/ada", "Local: ADA-1", "EVIL: javascript:alert(1)"],
        "inkton": ["Inkton", "Location: (10,5 20,25)"],
        "guild": ["Quill Gazette", "Located in: Inkton Geonames https://places.example.org/inkton"],
        "book": ["Das Buch der Tinte", "Also: https://books.example.org/tinte", "Author: Quill, Ada"],
        "fair": ["Ink Fair", "Held in Inkton."]}
    # only http(s) addresses become links; javascript: stays words
    assert register.xpath(".//a/@href") == ["https://authority.example.org/gnd/ada", "https://places.example.org/inkton", "https://books.example.org/tinte"]
    assert [words(link) for link in register.xpath(".//a[@class='authority-link']")] == ["GND https://authority.example.org/gnd/ada", "Geonames https://places.example.org/inkton"]


def test_the_documents_register_in_the_pdf_keeps_every_word(site: Path) -> None:
    lines = pdf_lines(site, "letterhead")
    start = lines.index("Named in this document")
    register = [line for line in lines[start:] if not re.fullmatch(r"\d+|Quill Gazette an Bert Ink", line)]
    assert register[:23] == [
        "Named in this document", "Persons", "Quill, Ada", "Also: Ady", "Born: 1. 1. 1850, Inkton (10,5 20,25)", "Died: 1900",
        "Occupations: Schreiberin; Druckerin", "Links: GND https://authority.example.org/gnd/ada", "Local: ADA-1", "EVIL: javascript:alert(1)",
        "Places", "Inkton", "Location: (10,5 20,25)", "Organisations", "Quill Gazette", "Located in: Inkton Geonames https://places.example.org/inkton",
        "Works", "Das Buch der Tinte", "Also: https://books.example.org/tinte", "Author: Quill, Ada", "Events", "Ink Fair", "Held in Inkton."]


def test_words_between_and_after_entries_keep_their_place() -> None:
    from lxml import etree

    from teipress.saxon import Stylesheets

    tei = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>'
        '<text><body><p>Text.</p></body><back><listPerson><head>First</head><person xml:id="a"><persName>Anna</persName></person>'
        '<head>Later</head>loose words<person xml:id="b"><persName>Berta</persName></person></listPerson></back></text></TEI>')
    html = lxml.html.fromstring(Stylesheets().transform("html/fragment.xsl", etree.ElementTree(tei)))
    register = html.xpath("//section[@class='document-register']")[0]
    assert [words(h) for h in register.xpath(".//h3")] == ["First"]
    assert [words(item) for item in register.xpath(".//ul/li")] == ["Anna", "Later", "loose words", "Berta"]
