"""The reading room of a document page in a real browser (headless Chromium, 1280 and 375 px wide): the reading and
the diplomatic view, note markers that stay with their word, the calm entity marking and its colours by kind, the
document page's order on a phone, previous and next within a correspondence, the search page's excerpts and facets,
and the page on paper. The fixture edition is the site fixture with two invented letters of tests/fixtures/views/:
one with every editorial intervention, one between two other people, dated between the letters of the first pair.

Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml import etree
import pytest

from conftest import FIXTURES, skip_missing
from teipress.serve import serving

from test_build import LETTER, TELEGRAM, build, copy_fixture

pytestmark = pytest.mark.browser

VIEWS = "letter-1950-06-01-views"
WITNESS = "letter-1950-04-01-witness"
WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site (its html/ folder)."""
    root = tmp_path_factory.mktemp("reading-views")
    source = copy_fixture(root)
    for letter in (FIXTURES / "views").glob("*.xml"):
        shutil.copy(letter, source)
    result = build(source, root / "out")
    assert result.documents == [LETTER, WITNESS, TELEGRAM, VIEWS]  # reading order: by date
    return root / "out" / "html"


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def page(request, browser):  # type: ignore[no-untyped-def]
    """A fresh page (empty storage) at a desktop's or a phone's width; the test fails on any console error."""
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900 if request.param == "desktop" else 800})
    tab = context.new_page()
    tab.width_name = request.param
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


def words(text: str) -> str:
    return " ".join(text.split())


def no_sideways_scroll(tab) -> bool:  # type: ignore[no-untyped-def]
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# ------------------------------------------------------------------ reading views

READING = "Dear Bruno, the Committee met on the fifth and found the color of the quince marmalade golden; the jar was mended by noon."
DIPLOMATIC_FIRST_LINE = "Dear Bruno, the Cttee. met on the fith and found the colour of the quince"


def test_the_reading_view_is_the_default_and_the_diplomatic_view_is_remembered(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{VIEWS}.html")
    text = page.locator(".reading-text p").first
    switch = page.locator(".view-switch")
    assert switch.is_visible()
    assert page.locator(".view-switch button[aria-pressed='true']").inner_text() == "Reading text"
    # Expansions, corrections, regularisations, additions; deletions hidden; the line break a space in running text.
    assert words(text.inner_text()) == READING + "1"
    assert "quince marmalade" in text.inner_text()  # one line: a space where the source breaks the line, no newline
    page.screenshot(path=str(artifacts_dir / f"views-reading-{page.width_name}.png"), full_page=True)

    # Keyboard: Tab to the switch's second button, Space presses it.
    page.locator(".view-switch button[data-view='reading']").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.view") == "diplomatic"
    page.keyboard.press("Space")
    assert page.locator(".view-switch button[aria-pressed='true']").inner_text() == "Diplomatic"
    lines = [words(line) for line in text.inner_text().split("\n") if line.strip()]
    assert lines[0] == DIPLOMATIC_FIRST_LINE  # the source's line break
    assert "quince\nmarmalade" in text.inner_text()
    assert words(" ".join(lines[1:])) == "marmalade dullgolden; the jar was broken mended by noon.1"  # as the source has it
    added = page.locator(".reading-text .tei-add").first
    assert added.bounding_box()["y"] < page.locator(".reading-text .tei-del").first.bounding_box()["y"]  # above the line
    # A word divided at a line's end: the two halves on two lines in the diplomatic view, one word in the reading view.
    halves = """() => {
      const division = document.querySelector('.reading-text .tei-lb');
      const box = (node, start) => { const range = document.createRange(); range.setStart(node, start); range.setEnd(node, start + 1); return range.getBoundingClientRect().top; };
      return [box(division.previousSibling, division.previousSibling.length - 1), box(division.nextSibling, 0)];
    }"""
    before, after = page.evaluate(halves)
    assert after > before + 5
    page.screenshot(path=str(artifacts_dir / f"views-diplomatic-{page.width_name}.png"), full_page=True)

    # The popover names the reading the view shows as the one in the text, and still shows the other.
    page.locator(".reading-text .tei-choice").first.click()
    popover = page.locator("#tp-popover")
    popover.wait_for(state="visible")
    assert [words(t) for t in popover.locator("dt").all_inner_texts()] == ["ABBREVIATION (IN THE TEXT)", "EXPANSION"]
    assert popover.locator("dd").all_inner_texts() == ["Cttee.", "Committee"]
    page.keyboard.press("Escape")

    # Remembered on the next page, and back.
    page.goto(site_url + f"documents/{LETTER}.html")
    assert page.locator(".view-switch button[aria-pressed='true']").inner_text() == "Diplomatic"
    assert "Sept." in page.locator(".reading-text").inner_text() and "September" not in page.locator(".reading-text").inner_text()
    page.click(".view-switch button[data-view='reading']")
    page.goto(site_url + f"documents/{VIEWS}.html")
    assert words(page.locator(".reading-text p").first.inner_text()) == READING + "1"
    before, after = page.evaluate(halves)
    assert after == before
    assert no_sideways_scroll(page)


def test_without_script_the_page_is_the_reading_view(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + f"documents/{VIEWS}.html")
    assert words(tab.locator(".reading-text p").first.inner_text()) == READING + "1"
    assert not tab.locator(".view-switch").is_visible()  # a switch that could not work is not offered
    assert not tab.locator(".colour-toggle").is_visible() and not tab.locator(".markup-toggle").is_visible()
    context.close()


def test_both_readings_are_in_the_page(site: Path) -> None:
    """Nothing lost: the diplomatic readings are in the HTML of the reading view (hidden by CSS), and the other way round."""
    root = lxml.html.parse(str(site / "documents" / f"{VIEWS}.html")).getroot()
    readings = [(span.get("data-reading"), span.get("class"), words(span.text_content()))
                for span in root.xpath("//section[@class='reading-text']//span[@data-reading]")]
    assert readings == [("abbr", "reading-secondary", "Cttee."), ("expan", None, "Committee"),
                        ("sic", "reading-secondary", "fith"), ("corr", None, "fifth"),
                        ("orig", "reading-secondary", "colour"), ("reg", None, "color"),
                        ("del", "reading-secondary", "dull"), ("add", None, "golden")]
    assert [words(d.text_content()) for d in root.xpath("//section[@class='reading-text']//del")] == ["dull", "broken"]


# ------------------------------------------------------------------ note markers

def test_a_note_marker_stays_on_the_line_of_its_word(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """At every width of the text from 160 px to the page's, each "[n]" is on the line of the character before it."""
    page.goto(site_url + f"documents/{VIEWS}.html")
    apart = page.evaluate("""() => {
      const text = document.querySelector('.reading-text');
      const apart = [];
      for (let width = 160; width <= Math.min(window.innerWidth, 640); width += 3) {
        text.style.width = width + 'px';
        text.style.maxWidth = width + 'px';
        for (const marker of text.querySelectorAll('.note-ref')) {
          let node = marker.previousSibling;
          while (node && node.nodeType !== Node.TEXT_NODE) node = node.lastChild || node.previousSibling;
          const word = document.createRange();
          const end = node.textContent.replace(/\\s+$/, '').length;
          word.setStart(node, end - 1); word.setEnd(node, end);
          const wordBox = word.getBoundingClientRect(), markBox = marker.getClientRects()[0];
          // same line: the marker's top lies within the word's line box
          if (markBox.top > wordBox.bottom - 2 || markBox.bottom < wordBox.top) apart.push([width, marker.textContent]);
        }
      }
      text.style.width = ''; text.style.maxWidth = '';
      return apart;
    }""")
    assert apart == []
    page.screenshot(path=str(artifacts_dir / f"note-markers-{page.width_name}.png"), full_page=False)


# ------------------------------------------------------------------ entity marking

def test_entities_are_calm_until_coloured_by_kind(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{LETTER}.html")
    person = page.locator(".reading-text .tei-persName[data-entity]").first
    place = page.locator(".reading-text .tei-placeName[data-entity]").first
    organisation = page.locator(".reading-text .tei-orgName[data-entity]").first
    colour = "e => getComputedStyle(e).textDecorationColor"
    calm = {person.evaluate(colour), place.evaluate(colour), organisation.evaluate(colour)}
    assert calm == {"rgb(140, 131, 115)"}  # one subtle style for every kind
    assert not page.locator(".legend").is_visible()
    page.screenshot(path=str(artifacts_dir / f"entities-calm-{page.width_name}.png"), full_page=False)

    place.focus()  # colour by kind on focus (and hover)
    assert place.evaluate(colour) == "rgb(39, 100, 58)"

    toggle = page.locator(".colour-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator(".legend").is_visible()
    # The legend site.js builds: the three kinds of every page and the date, with their swatches, in the page's words.
    assert page.locator(".legend li").all_inner_texts() == ["person", "place", "organisation", "date"]
    assert page.locator(".legend .swatch").evaluate_all("s => s.map(e => e.className)") == [
        "swatch entity-person", "swatch entity-place", "swatch entity-org", "swatch date"]
    assert [person.evaluate(colour), organisation.evaluate(colour)] == ["rgb(138, 52, 18)", "rgb(90, 61, 138)"]
    page.screenshot(path=str(artifacts_dir / f"entities-coloured-{page.width_name}.png"), full_page=False)
    page.reload()  # remembered
    assert page.locator(".colour-toggle").get_attribute("aria-pressed") == "true"
    assert page.locator(".reading-text .tei-persName[data-entity]").first.evaluate(colour) == "rgb(138, 52, 18)"
    assert no_sideways_scroll(page)


# ------------------------------------------------------------------ the document page

def test_the_document_page_puts_the_text_first_on_a_phone(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{LETTER}.html")
    facts = page.locator(".document-about dl")
    files = page.locator(".document-files")
    rights = page.locator(".document-meta .rights p").first
    assert not rights.is_visible()  # the rights statement collapsed
    if page.width_name == "phone":
        assert not facts.is_visible()  # the facts collapsed above the text
        assert page.locator(".reading-text").bounding_box()["y"] < 800  # the text on the first screen
        page.locator(".document-about > summary").click()
        assert facts.is_visible()
    else:
        assert facts.is_visible()
    page.locator(".document-meta .rights > summary").click()
    assert rights.is_visible()
    page.screenshot(path=str(artifacts_dir / f"document-page-{page.width_name}.png"), full_page=True)
    # The source, PDF and citation links: at the top of the panel, and in sight wherever the reader is on a desktop.
    assert files.locator("a").all_inner_texts() == ["TEI-XML source", "Cite this document"]  # no PDF in an HTML-only build
    if page.width_name == "desktop":
        # A long text (the fixture's is short), read in its middle.
        page.evaluate("""() => { const text = document.querySelector('.reading-text');
          for (let n = 0; n < 40; n += 1) text.appendChild(text.querySelector('p').cloneNode(true));
          text.children[20].scrollIntoView(); }""")
        assert page.evaluate("window.scrollY") > 2000
        box = files.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 900
    assert no_sideways_scroll(page)


def test_previous_and_next_within_the_correspondence(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{TELEGRAM}.html")
    edition = page.locator("nav.pager:not(.pager-correspondence)")
    pair = page.locator("nav.pager-correspondence")
    assert [a.get_attribute("href") for a in edition.locator("a").all()] == [f"{WITNESS}.html", f"{VIEWS}.html"]
    assert pair.get_attribute("aria-label") == "Between Alma Sender and Bruno Receiver"
    assert [a.get_attribute("href") for a in pair.locator("a").all()] == [f"{LETTER}.html", f"{VIEWS}.html"]
    page.screenshot(path=str(artifacts_dir / f"pager-correspondence-{page.width_name}.png"), full_page=True)
    assert pair.locator("a[rel]").count() == 0  # rel="prev"/"next" name the edition's sequence only
    pair.locator("a.pager-previous").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/documents/{LETTER}.html")
    # The first of the pair: only a next one; a letter between two others who wrote once: no correspondence links.
    assert [a.get_attribute("href") for a in page.locator("nav.pager-correspondence a").all()] == [f"{TELEGRAM}.html"]
    page.goto(site_url + f"documents/{WITNESS}.html")
    assert page.locator("nav.pager-correspondence").count() == 0


# ------------------------------------------------------------------ search

def test_search_excerpts_are_text_and_the_facets_filter(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search.html")
    summaries = page.locator(".search-filter summary")
    summaries.first.wait_for(timeout=15_000)
    assert summaries.all_inner_texts() == ["TYPE", "YEAR", "SENDER", "ADDRESSEE", "PERSON", "PLACE"]
    page.locator("#search-input").fill("marmalade")
    page.locator(".search-result").nth(1).wait_for(timeout=15_000)
    excerpts = [words(e) for e in page.locator(".search-result-excerpt").all_inner_texts()]
    # The text, not the metadata panel's labels and values run together ("TypeLetterDate…").
    assert not any(label in excerpt for excerpt in excerpts for label in ("TypeLetter", "About this document", "TEI-XML source", "Letter ·", "twentieth.1"))
    # The reading view's text: one reading of each passage ("Sept." and "September" not run together), no note numbers.
    assert any("in the Port next September; quince marmalade is on the agenda" in excerpt for excerpt in excerpts), excerpts
    assert any("found the color of the quince marmalade golden;" in excerpt for excerpt in excerpts), excerpts
    assert "Text" not in page.locator(".search-subresults a").all_inner_texts()  # no part made of the hidden heading
    page.locator(".search-filter summary", has_text="Addressee").click()
    page.locator(".search-filter-label[for^=filter-addressee]", has_text="Bruno Receiver").click()
    page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
    page.locator(".search-filter summary", has_text="Place").click()
    page.locator(".search-filter-label[for^=filter-place]", has_text="Northtown").click()
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert page.locator(".search-result-link").first.get_attribute("href").endswith(f"documents/{LETTER}.html")
    # The title from the page's heading, the persons from the side panel's names: Pagefind reads both there.
    assert page.locator(".search-result-title").all_inner_texts() == ["Letter from Alma Sender to Bruno Receiver, 4 March 1950"]
    page.locator(".search-filter summary", has_text="Person").click()
    assert "Alma Sender" in " ".join(page.locator(".search-filter-label[for^=filter-person]").all_inner_texts())
    assert page.evaluate("getComputedStyle(document.querySelector('.search-result-title')).fontFamily") == page.evaluate(
        "getComputedStyle(document.querySelector('.reading-text, body')).fontFamily")  # the site's serif
    page.screenshot(path=str(artifacts_dir / f"search-{page.width_name}.png"), full_page=True)
    assert no_sideways_scroll(page)


# ------------------------------------------------------------------ print

def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        skip_missing("pdftotext (poppler-utils) is absent")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_document_page_on_paper(browser, site_url: str, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(site_url + f"documents/{LETTER}.html")
    tab.emulate_media(media="print")
    tab.screenshot(path=str(artifacts_dir / "print-document.png"), full_page=True)
    text = words(pdf_text(tab.pdf(format="A4"), tmp_path))
    context.close()
    # The text and its notes; the facts at the top, open although collapsed on the screen; the rights statement.
    assert text.index("Letter from Alma Sender to Bruno Receiver") < text.index("FROM Alma Sender in Northtown") < text.index("Dear Bruno")
    assert "Public domain, for testing." in text and "The letter itself is lost." in text
    assert text.index("Dear Bruno") < text.index("The letter itself is lost.")
    # No navigation, no controls, no pager, no links to files.
    for absent in ("Persons Places", "Chronology", "Reading text", "Diplomatic", "Colour by kind", "Hide markup",
                   "Previous", "Next", "TEI-XML source", "Skip to content"):
        assert absent not in text, absent


def test_the_home_page_on_paper_has_no_navigation(browser, site_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(site_url + "index.html")
    tab.emulate_media(media="print")
    text = words(pdf_text(tab.pdf(format="A4"), tmp_path))
    context.close()
    assert "4 of 4 documents" in text and "Alma thanks Bruno for his letter." in text
    assert "Skip to content" not in text and "Chronology Search" not in text


def test_the_search_filters_of_a_letter(site: Path) -> None:
    root = lxml.html.parse(str(site / "documents" / f"{LETTER}.html")).getroot()
    filters = sorted((e.get("data-pagefind-filter"), e.text_content()) for e in root.xpath("//*[@data-pagefind-filter]"))
    assert filters == [("addressee", "Bruno Receiver"), ("person", "Alma Sender"), ("place", "Northtown"), ("place", "Southport"),
                       ("sender", "Alma Sender"), ("type", "Letter"), ("year", "1950")]
    # Outside the indexed body or in a part of it that is not indexed, and the title with them: no label or
    # value becomes a word of the text. The persons are filters where the side panel names them.
    assert root.xpath("//*[@data-pagefind-filter or @data-pagefind-meta][ancestor::*[@data-pagefind-body]][not(ancestor-or-self::*[@data-pagefind-ignore])]") == []
    assert root.xpath("//*[@data-pagefind-ignore='all']//*[@data-pagefind-filter or @data-pagefind-meta]") == []
    assert root.xpath("//aside//dd[@class='persons']/span[@data-pagefind-filter='person']/text()") == ["Alma Sender"]
    assert root.xpath("//*[@data-pagefind-meta='title']/text()") == ["Letter from Alma Sender to Bruno Receiver, 4 March 1950"]


def test_the_correspondence_of_two_parties_either_way_round(tmp_path: Path) -> None:
    from teipress.html import SITE_NS, _correspondence_neighbours, _Document, correspondence_sides

    def document(id: str, senders: list[str], addressees: list[str], author: str = "") -> _Document:
        def party(name: str, value: str) -> str:
            ref, _, text = value.partition(":")
            return f'<{name}{f" ref={chr(34)}{ref}{chr(34)}" if ref else ""}>{text}</{name}>'
        parties = "".join([party("sender", s) for s in senders] + [party("addressee", a) for a in addressees])
        if author:
            parties += f'<sender role="author">{author}</sender>'
        summary = etree.fromstring(f'<document xmlns="{SITE_NS}" id="{id}" title="Title of {id}">{parties}</document>')
        # What the build's first phase keeps of a document (_facts_task's record): its summary's attributes and its sides.
        record = {"attributes": dict(summary.attrib), "sides": correspondence_sides(summary)}
        return _Document(id=id, source=None, site=tmp_path, record=record)  # type: ignore[arg-type]

    ordered = [
        document("one", ["alma:Alma"], ["bruno:Bruno"]),
        document("essay", [], [], author="Alma"),                       # an author is no sender
        document("two", ["bruno:Bruno"], ["alma:Alma"]),                # the same pair, the other way round
        document("three", ["alma:Alma", "carla:Carla"], ["bruno:Bruno"]),  # another pair: Alma and Carla together
        document("four", [":Dora"], [":Emil"]),                         # names without register entries
        document("five", [":Emil"], [":Dora"]),
        document("six", ["alma:Alma"], ["bruno:Bruno"]),
    ]
    neighbours = _correspondence_neighbours(ordered)
    assert {id: (n["correspondence_previous_id"], n["correspondence_next_id"]) for id, n in neighbours.items()} == {
        "one": ("", "two"), "two": ("one", "six"), "six": ("two", ""), "four": ("", "five"), "five": ("four", "")}
    assert (neighbours["two"]["correspondence_first"], neighbours["two"]["correspondence_second"]) == ("Alma", "Bruno")
    assert neighbours["two"]["correspondence_next_title"] == "Title of six"
