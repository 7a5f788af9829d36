"""What editors of manuscript letters record: accepted by the schema as TEI does, shown on the page and in print."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from teipress.resources import SCHEMA_FILE
from teipress.saxon import Stylesheets, to_xdm
from teipress.xmlio import parse_file

from conftest import FIXTURES

SCHEMA_FIXTURES = FIXTURES / "schema"
VALID = SCHEMA_FIXTURES / "valid-transcription.xml"
NEW_ELEMENTS = ["subst", "facsimile", "surface", "zone", "graphic", "physDesc", "objectDesc", "supportDesc", "handDesc",
                "handNote", "unclear", "gap", "damage", "supplied", "space", "metamark", "handShift"]

@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_FILE)))

@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    return Stylesheets()

def test_the_valid_fixture_uses_every_element_letter_editors_need(relaxng) -> None:
    tree = etree.parse(str(VALID))
    assert relaxng.validate(tree), relaxng.error_log
    used = {etree.QName(e).localname for e in tree.iter()}
    assert set(NEW_ELEMENTS) <= used, set(NEW_ELEMENTS) - used

@pytest.mark.parametrize(("name", "line", "message"), [
    ("invalid-schema-subst.xml", 19, "Expecting an element , got nothing"),  # libxml2 leaves the name out
    ("invalid-schema-facsimile.xml", 19, "Did not expect element facsimile there"),
])
def test_the_schema_rejects_what_tei_rejects(name, line, message, relaxng, tei_all_schema) -> None:
    tree = etree.parse(str(SCHEMA_FIXTURES / name))
    assert not relaxng.validate(tree)
    assert (relaxng.error_log[0].line, relaxng.error_log[0].message) == (line, message)
    assert not tei_all_schema.validate(tree) or name == "invalid-schema-subst.xml"  # tei_all says it by Schematron

def test_the_page_shows_damage_marks_and_hands_in_tooltips_and_keeps_every_word(stylesheets) -> None:
    html = stylesheets.transform("html/fragment.xsl", parse_file(VALID))
    page = lxml.html.document_fromstring(f"<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>")
    titles = {cls: page.xpath(f"string(//span[@class='tei-{cls}']/@title)") for cls in ("damage", "metamark", "handShift", "unclear", "supplied")}
    assert titles == {"damage": "Damaged in the source (water)", "metamark": "Mark in the source: insertion: margin",
                      "handShift": "Another hand begins: #hand-2: pencil", "unclear": "Unclear (faded)", "supplied": "Supplied by the editors (omitted)"}
    assert page.xpath("string(//span[@class='tei-damage'])") == "corner"
    assert page.xpath("string(//span[@class='tei-metamark'])") == "^"
    text = " ".join(page.text_content().split())
    assert "Dear Sirfriend," in text  # the subst: both readings on the page, the deletion hidden by CSS
    assert "the corner of the box was wet and two books […] were spoiled. Mr has not answered.^ Write soon." in text

def test_print_marks_the_manuscript_by_the_conventions_of_documentary_editions(stylesheets) -> None:
    """unclear as [two?], the gap with its extent, supplied in brackets, an addition in half brackets, a page break as |2|."""
    markup = stylesheets.transform("pdf/document.xsl", to_xdm(etree.parse(str(VALID))), part="book", registers=to_xdm("<TEI xmlns='http://www.tei-c.org/ns/1.0'/>"), document_id="valid-transcription")
    # Spaces between phrases are Typst's markup spaces (one where the source has a space on each side of an edge).
    assert ('#"corner"; #"of the box was wet and"; #tp-unclear[#"two";] #"books"; #tp-gap("2 words"); #"[";#"were";#"]";'
            ' #"spoiled. Mr"; #" "; #"has not answered.";#"^"; #tp-target("valid-transcription#addition-1")#tp-add[#"Write soon.";]') in markup
    assert '#tp-pb-between("2");' in markup
