"""The behaviours' classes and what the site's scripts and styles do with them: the names common/behaviours.xsl
gives a behaviour ($tp:named-behaviours) are the only ones the page leaves the behaviour's class off
(html/text.xsl tp:behaviour-class) and the ones site.css, site.js and facsimile.js select by their tei- class;
an element an edition's own rule gives a behaviour carries the class, and the site treats it as it treats the
named ones. In the browser: a popover for each kind of entry a text may name, and for readings."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from teipress.assets import ASSETS_SOURCE
from teipress.resources import XSLT_DIR
from teipress.serve import serving

from test_build import LETTER, TELEGRAM, parse
from test_customise import build_html, edition

# An edition's own rules: an rs of type "when" is a date, a seg of type "variants" two readings of one place.
OWN_BEHAVIOURS = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tp="https://teipress.org/ns/xslt" xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{$teipress}html/document.xsl"/>
  <xsl:template match="tei:rs[@type = 'when']" mode="tp:behaviour" as="xs:string">date</xsl:template>
  <xsl:template match="tei:seg[@type = 'variants']" mode="tp:behaviour" as="xs:string">alternate</xsl:template>
</xsl:stylesheet>
"""
# A paragraph naming an entry of each kind (and names of a kind without an entry), a date and an alternate of the
# edition's rules beside the ones of teipress's.
KINDS_PARAGRAPH = (
    '<p>Named: <persName ref="#bruno-receiver">Bruno</persName>, <placeName ref="#northtown">the town</placeName>, '
    '<orgName ref="#guild">the society</orgName>, <title ref="#document-1">the letter</title>, '
    '<rs type="work">the Zephyr Suite</rs>, '
    '<rs type="object">the brass key</rs>, <name>Mr Nobody</name>; '
    '<rs type="when">the day after</rs> or <date when="1950-03-05">the fifth</date>, '
    '<seg type="variants"><seg>colour</seg><seg>color</seg></seg> or <choice><sic>grey</sic><corr>gray</corr></choice>.</p>'
)
# A name of an event of the registers, in the telegram.
EVENT_MARK = '<rs type="event" ref="#harbour-fair">the fair day</rs>'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = edition(tmp_path_factory.mktemp("behaviours"), 'xslt = "own-xslt"\n', {"own-xslt/html/document.xsl": OWN_BEHAVIOURS})
    letter = root / "tei" / f"{LETTER}.xml"
    text = letter.read_text(encoding="utf-8")
    assert text.count("<closer>") == 1
    letter.write_text(text.replace("<closer>", KINDS_PARAGRAPH + "<closer>"), encoding="utf-8")
    telegram = root / "tei" / f"{TELEGRAM}.xml"
    text = telegram.read_text(encoding="utf-8")
    assert text.count("PLEASE BRING") == 1
    telegram.write_text(text.replace("PLEASE BRING", f"{EVENT_MARK} PLEASE BRING"), encoding="utf-8")
    build_html(root)
    return root / "output" / "html"


def named_behaviours() -> dict[str, list[str]]:
    """$tp:named-behaviours of common/behaviours.xsl: the element names each behaviour is given by name."""
    stylesheet = etree.parse(str(XSLT_DIR / "common" / "behaviours.xsl"))
    select = stylesheet.xpath("//xsl:variable[@name='tp:named-behaviours']/@select", namespaces={"xsl": "http://www.w3.org/1999/XSL/Transform"})[0]
    return {behaviour: names.split(" | ") for behaviour, names in re.findall(r"'([\w-]+)': '([^']*)'", select)}


def selected_names(selector_list: str, behaviour_class: str) -> list[str]:
    """The tei- names of a selector list that selects a behaviour's class ('.tei-choice, .tei-app, .alternate')."""
    selectors = [s.strip() for s in selector_list.split(",")]
    assert f".{behaviour_class}" in selectors, selector_list
    return [s.removeprefix(".tei-") for s in selectors if s.startswith(".tei-")]


# --- the names, said once --------------------------------------------------------------------------------------


def test_the_site_files_select_by_tei_class_the_names_behaviours_xsl_gives_each_behaviour() -> None:
    names = named_behaviours()
    assert sorted(names) == ["alternate", "date", "link", "quote"]
    css = (ASSETS_SOURCE / "site.css").read_text(encoding="utf-8")
    script = (ASSETS_SOURCE / "site.js").read_text(encoding="utf-8")
    facsimile = (ASSETS_SOURCE / "facsimile.js").read_text(encoding="utf-8")
    for behaviour in ("alternate", "date"):
        lists = re.findall(rf":is\(([^)]*\.{behaviour}\b[^)]*)\)", css)
        assert lists, behaviour
        assert {tuple(selected_names(selectors, behaviour)) for selectors in lists} == {tuple(names[behaviour])}, behaviour
    alternates = re.search(r'var ALTERNATES = "([^"]*)";', script)[1]
    assert selected_names(alternates, "alternate") == names["alternate"]
    marks = re.search(r'closest\("a, button, \[data-entity\], ([^"]*)"\)', facsimile)[1]
    assert selected_names(marks, "alternate") == names["alternate"]


def classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def test_an_element_an_editions_rule_gives_a_behaviour_carries_its_class_and_a_named_one_does_not(site: Path) -> None:
    page = parse(site / "documents" / f"{LETTER}.html")
    paragraph = page.xpath("//main//p[contains(., 'Zephyr Suite')]")[0]
    assert [(e.tag, classes(e)) for e in paragraph.xpath(".//*[contains(concat(' ', @class, ' '), ' tei-rs ')][not(@data-entity)]")] == [
        ("span", ["tei-rs", "date"])]
    assert [(e.tag, classes(e), e.get("datetime")) for e in paragraph.xpath(".//*[contains(@class, 'tei-date')]")] == [("time", ["tei-date"], "1950-03-05")]
    assert [(e.tag, classes(e)) for e in paragraph.xpath(".//*[@data-type='variants']")] == [("span", ["tei-seg", "alternate"])]
    # Its readings as a choice's: the first the one followed, the other recorded (hidden in the reading view).
    assert [(e.get("data-reading"), classes(e), e.text_content()) for e in paragraph.xpath(".//*[@data-type='variants']/*")] == [
        ("seg", [], "colour"), ("seg", ["reading-secondary"], "color")]
    assert [(e.tag, classes(e)) for e in paragraph.xpath(".//*[contains(@class, 'tei-choice')]")] == [("span", ["tei-choice"])]
    # Each named behaviour: no element of the page that has it by its name carries its class.
    for behaviour, names in named_behaviours().items():
        css_class = "ref" if behaviour == "link" else behaviour
        assert page.xpath(" | ".join(f"//*[contains(concat(' ', @class, ' '), ' tei-{name} ')][contains(concat(' ', @class, ' '), ' {css_class} ')]" for name in names)) == []


# --- in the browser ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture()
def page(browser, site_url: str):  # type: ignore[no-untyped-def]
    """The letter in a fresh tab; the test fails on any console error or uncaught exception."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(site_url + f"documents/{LETTER}.html")
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


# Each mark of KINDS_PARAGRAPH: what its popover says (kind, name, dates, description), from the fixture's registers.
NO_ENTRY = "This name has no entry in the edition's registers."
POPOVERS = [
    ("Bruno", ["Person", "Bruno Receiver", "8 July 1899 – ", "Addressee of the first letter, writer of the second."]),
    ("the town", ["Place", "Northtown", "A town in the north."]),
    ("the society", ["Organisation", "Guild of Letter Writers", "A society of correspondents."]),
    ("the letter", ["Cited document", "Letter from Alma Sender to Bruno Receiver", "1 January 1950", "A new year's greeting."]),
    ("the Zephyr Suite", ["Work", "the Zephyr Suite", NO_ENTRY]),
    ("the brass key", ["Object", "the brass key", NO_ENTRY]),
    ("Mr Nobody", ["Name", "Mr Nobody", NO_ENTRY]),
]


def popover_lines(page, surface: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the popover of the mark of the page's reading text that reads `surface`; its lines; closed again."""
    page.locator(".reading-text [data-entity]", has_text=surface).first.click()
    popover = page.locator("#tp-popover")
    popover.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#tp-popover .popover-name') !== null")
    lines = popover.locator(".popover-kind, .popover-name, .popover-dates, .popover-description").all_text_contents()
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    return lines


@pytest.mark.browser
def test_a_popover_for_each_kind_of_entry_a_text_names(page) -> None:  # type: ignore[no-untyped-def]
    assert [(surface, popover_lines(page, surface)) for surface, _ in POPOVERS] == POPOVERS


@pytest.mark.browser
def test_a_popover_for_an_event_of_the_registers(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    missing: list[str] = []
    tab.on("response", lambda response: missing.append(response.url.rsplit("/", 1)[-1]) if response.status == 404 else None)
    tab.goto(site_url + f"documents/{TELEGRAM}.html")
    lines = popover_lines(tab, "the fair day")
    tab.locator(".reading-text [data-entity]", has_text="the fair day").first.click()
    link = tab.locator("#tp-popover .popover-link a")
    link_text, link_href = link.text_content(), link.get_attribute("href")
    context.close()
    assert (missing, lines) == ([], ["Event", "The Southport harbour fair", "1 April 1950"])
    # Its place is the chronology's page of its year, and the link says so.
    assert (link_text, link_href) == ("In the chronology", "../chronology/1950.html#harbour-fair")


@pytest.mark.browser
def test_a_date_and_an_alternate_of_the_editions_rules_are_marked_and_behave_as_teipress_own(page, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    paragraph = page.locator(".reading-text p", has_text="Zephyr Suite")
    own_date, date = paragraph.locator(".tei-rs.date"), paragraph.locator("time.tei-date")
    own_alternate, alternate = paragraph.locator(".tei-seg.alternate"), paragraph.locator(".tei-choice")
    style = "e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).textDecorationStyle, getComputedStyle(e).cursor]"
    assert own_date.evaluate(style) == date.evaluate(style) == ["underline", "dotted", "default"]
    assert own_alternate.evaluate(style) == alternate.evaluate(style) == ["underline", "dashed", "pointer"]
    # site.js makes an alternate a button that opens its readings; a date is none.
    attributes = "e => [e.getAttribute('role'), e.getAttribute('tabindex')]"
    assert own_alternate.evaluate(attributes) == alternate.evaluate(attributes) == ["button", "0"]
    assert own_date.evaluate(attributes) == [None, None]
    own_alternate.click()
    popover = page.locator("#tp-popover")
    popover.wait_for(state="visible")
    assert popover.locator(".popover-kind").text_content() == "Other readings"
    assert popover.locator(".popover-readings dt").all_text_contents() == ["seg (in the text)", "seg"]
    assert popover.locator(".popover-readings dd").all_text_contents() == ["colour", "color"]
    assert own_alternate.evaluate("e => e.innerText") == "colour"
    page.screenshot(path=str(artifacts_dir / "behaviours-own-alternate.png"))
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    own_date.click()
    assert popover.is_hidden()
    # Hiding the markup takes the underline off both, as off teipress's own.
    page.locator(".markup-toggle").click()
    for mark in (own_date, date, own_alternate, alternate):
        assert mark.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"


@pytest.mark.browser
def test_a_click_on_an_alternate_of_the_editions_rules_in_a_zone_opens_its_readings_not_the_zone(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """facsimile.js: a click in a paragraph drawn in a zone outlines the zone, but not one on a mark, which opens its
    popover: an alternate of the edition's rules is such a mark as teipress's own."""
    from teipress.build import build_edition
    from teipress.config import load_config

    from test_facsimile import EDITION, WITH_PAGES, open_page

    shutil.copytree(EDITION, tmp_path / "tei")
    (tmp_path / "own-xslt" / "html").mkdir(parents=True)
    (tmp_path / "own-xslt" / "html" / "document.xsl").write_text(OWN_BEHAVIOURS, encoding="utf-8")
    (tmp_path / "teipress.toml").write_text('xslt = "own-xslt"\n', encoding="utf-8")
    letter = tmp_path / "tei" / f"{WITH_PAGES}.xml"
    text = letter.read_text(encoding="utf-8")
    assert text.count("the parcel came") == 1
    letter.write_text(text.replace("the parcel came", '<seg type="variants"><seg>the parcel</seg><seg>the packet</seg></seg> came'), encoding="utf-8")
    build_edition(load_config(tmp_path, source=tmp_path / "tei", output=tmp_path / "out"), formats={"html"}, validate=False, jobs=1)
    with serving(tmp_path / "out" / "html") as url:
        tab = open_page(browser, url + f"documents/{WITH_PAGES}.html", 1280, 900)
        zoned = tab.locator('[data-facs~="zone-1b"]')
        zoned.locator(".alternate").click()
        tab.locator("#tp-popover").wait_for(state="visible")
        assert tab.locator("#tp-popover .popover-readings dd").all_text_contents() == ["the parcel", "the packet"]
        assert (tab.locator(".facsimile-zone").count(), "facs-active" in zoned.get_attribute("class").split()) == (0, False)
        tab.keyboard.press("Escape")
        zoned.click(position={"x": 4, "y": 4})  # the paragraph's first word: the zone
        tab.wait_for_selector(".facsimile-zone")
        assert "facs-active" in zoned.get_attribute("class").split()
        assert tab.errors == []
        tab.context.close()
