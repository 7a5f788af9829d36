"""The overview pages (documents over time, correspondents, map), the chronology and the home page's order.

The fixture edition with coordinates for its two (invented) places and a third letter dated only
between two days, built once; browser tests click a bar, a node and a marker and land on the right page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from teipress import aggregates
from teipress.config import OSM_ATTRIBUTION, OSM_TILES, load_config
from teipress.errors import ConfigError
from teipress.factstore import SummaryRow
from teipress.resources import XSLT_DIR
from teipress.saxon import Stylesheets, to_xdm
from teipress.serve import serving

from conftest import without_hash
from test_build import LETTER, TELEGRAM, broken_links, build, copy_fixture, parse

UNCERTAIN = "letter-1950-04-uncertain"
UNCERTAIN_LETTER = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{UNCERTAIN}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter from Alma Sender to Bruno Receiver, April 1950</title></titleStmt>
      <publicationStmt><p>Fixture.</p></publicationStmt>
      <sourceDesc><p>Invented for the tests.</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName ref="#alma-sender">Alma Sender</persName><placeName ref="#northtown">Northtown</placeName><date notBefore="1950-04-01" notAfter="1950-04-30">April 1950</date></correspAction>
        <correspAction type="received"><persName ref="#bruno-receiver">Bruno Receiver</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><p>Dear Bruno, a short word from <placeName ref="#southport">the Port</placeName>.</p></body></text>
</TEI>
"""


def fixture_with_places(root: Path, settings: str = 'map_tiles = ""\n') -> Path:
    """The fixture edition with invented coordinates for Northtown and Southport and a letter of uncertain date."""
    source = copy_fixture(root)
    places = source / "registers" / "places.xml"
    text = places.read_text(encoding="utf-8")
    text = text.replace('<note type="description">A town in the north.</note>', '<location><geo>55.5 10.25</geo></location><note type="description">A town in the north.</note>')
    text = text.replace('<note type="description">A harbour in the south.</note>', '<location><geo>44.75 12.5</geo></location><note type="description">A harbour in the south.</note>')
    places.write_text(text, encoding="utf-8")
    (source / f"{UNCERTAIN}.xml").write_text(UNCERTAIN_LETTER, encoding="utf-8")
    (root / "teipress.toml").write_text(settings, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("overviews")
    build(fixture_with_places(root), root / "out")
    return root / "out" / "html"


def register_link(site: Path, name: str) -> str:
    """Where the letter's page links a person or place (tp:register-href), as seen from a folder below the site root."""
    return parse(site / "documents" / f"{LETTER}.html").xpath(f"(//aside//a[normalize-space()='{name}'])[1]/@href")[0]


def test_time_overview_counts_per_month_and_links_each_bar_to_its_month_in_the_chronology(site: Path) -> None:
    page = parse(site / "overviews" / "time.html")
    bars = page.xpath("//svg//a")
    assert [bar.get("href") for bar in bars] == ["../chronology.html#month-1950-03", "../chronology.html#month-1950-04", "../chronology.html#month-1950-05"]
    assert [bar.get("aria-label") for bar in bars] == ["March 1950: 1 document", "April 1950: 1 document", "May 1950: 1 document"]
    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("th | td")] for row in page.xpath("//table[contains(@class, 'time-counts')]/tbody/tr")]
    assert rows == [["March 1950", "1", "0", "1"], ["April 1950", "1", "0", "1"], ["May 1950", "0", "1", "1"]]
    assert page.xpath("//table[contains(@class, 'time-counts')]/thead//th/text()") == ["Month", "Letter", "Telegram", "Total"]
    chronology = parse(site / "chronology.html")
    assert {"month-1950-03", "month-1950-04", "month-1950-05", "year-1950"} <= set(chronology.xpath("//@id"))


def test_chronology_lists_documents_and_register_events_not_every_date_mention(site: Path) -> None:
    chronology = parse(site / "chronology.html")
    entries = chronology.xpath("//section[@aria-labelledby='year-1950']//li")
    assert [" ".join(e.xpath("string(time)").split()) for e in entries] == ["4 March 1950", "1 April 1950", "between 1 and 30 April 1950", "6 May 1950"]
    assert [e.xpath("string(.//a[@class='event-document']/@href)") for e in entries] == [f"documents/{LETTER}.html", "", f"documents/{UNCERTAIN}.html", f"documents/{TELEGRAM}.html"]
    assert entries[1].get("id") == "harbour-fair"
    assert " ".join(entries[0].xpath("string(.//span[@class='event-source'])").split()) == "Letter. Alma Sender to Bruno Receiver"
    assert chronology.xpath("//li[@id='guild-meeting']/ancestor::section/h2/@id") == ["undated-events"]
    home = parse(site / "index.html")
    assert home.xpath(f"//tr[@id='{UNCERTAIN}']/td[@class='date-cell']/time/text()") == ["between 1 and 30 April 1950"]
    letter = parse(site / "documents" / f"{UNCERTAIN}.html")
    assert letter.xpath("//p[@class='kicker']/time/text() | //aside[@class='document-meta']//time/text()") == ["between 1 and 30 April 1950"] * 2


def test_correspondents_overview_draws_each_pair_once_with_its_letters_and_links_each_person(site: Path) -> None:
    page = parse(site / "overviews" / "correspondents.html")
    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("td")] for row in page.xpath("//table[contains(@class, 'pair-counts')]/tbody/tr")]
    assert rows == [["Alma Sender", "Bruno Receiver", "3"]]
    nodes = page.xpath("//svg//a")
    assert [(n.get("aria-label"), n.get("href")) for n in nodes] == [("Alma Sender: 3 letters", register_link(site, "Alma Sender")),
                                                                    ("Bruno Receiver: 3 letters", register_link(site, "Bruno Receiver"))]
    assert [line.get("stroke-width") for line in page.xpath("//svg//*[local-name()='line'][@class='edge']")] == ["10"]


def map_places(site: Path) -> list[dict[str, object]]:
    """The places of the overview's map, from the script of their own that its first page loads."""
    script = (site / "overviews" / "places-map.js").read_text(encoding="utf-8")
    prefix = 'window.teipressMapPlaces = window.teipressMapPlaces || {};\nwindow.teipressMapPlaces["overview-places"] = '
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])  # type: ignore[no-any-return]


def test_map_overview_has_a_marker_per_place_with_coordinates_and_the_same_places_as_text(site: Path) -> None:
    page = parse(site / "overviews" / "places.html")
    # The map's places are in a script of their own, loaded before the map's; the page does not carry them.
    assert page.xpath("//div[@class='tp-map']/@data-places-script") == ["overview-places"]
    assert page.xpath("//div[@class='tp-map']/@data-places") == []
    map_scripts = ["../assets/leaflet.js", "places-map.js", "../assets/map.js"]
    assert [without_hash(src) for src in page.xpath("//head/script/@src") if without_hash(src) in map_scripts] == map_scripts
    places = map_places(site)
    northtown = register_link(site, "Northtown")
    assert [(p["id"], p["lat"], p["lon"], p["count"], p["href"]) for p in places] == [("northtown", 55.5, 10.25, 4, northtown),
                                                                                    ("southport", 44.75, 12.5, 4, northtown.replace("northtown", "southport"))]
    assert places[0]["detail"] == "sent from: 2 · received at: 1 · mentioned in: 1"
    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("th | td")] for row in page.xpath("//table[contains(@class, 'place-counts')]/tbody/tr")]
    assert rows == [["Northtown", "2", "1", "1"], ["Southport", "1", "1", "2"]]
    assert page.xpath("//div[@class='tp-map']/@data-tiles") == [""]
    assert "Leaflet (BSD-2-Clause licence)" in page.xpath("string(//figcaption[@class='map-credits'])")
    assert broken_links(site) == []


def test_a_place_s_coordinates_come_from_its_location_else_a_geo_of_its_own(tmp_path: Path) -> None:
    """One reading of a place's coordinates for its entry page and the overviews' map (common/functions.xsl): the first
    location/geo, else a geo of the place itself, two numbers apart by space or comma, within the globe's ranges."""
    sheet = tmp_path / "coordinates.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tp="https://teipress.org/ns/xslt"
        xpath-default-namespace="http://www.tei-c.org/ns/1.0">
      <xsl:import href="{(XSLT_DIR / 'common' / 'functions.xsl').as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/"><xsl:value-of select="//place!('[' || string-join(tp:coordinates(.)!string(), ' ') || ']')"/></xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    places = ["<location><geo>45.81 15.98</geo></location>", "<geo>47.37,8.54</geo>", "<location><geo>1 2</geo></location><geo>3 4</geo>",
              "<location><geo>91 0</geo></location>", "<geo>1 2 3</geo>", "<geo>north</geo>", ""]
    source = "<listPlace xmlns='http://www.tei-c.org/ns/1.0'>" + "".join(f"<place>{place}</place>" for place in places) + "</listPlace>"
    assert Stylesheets().transform(sheet, to_xdm(source)).split() == ["[45.81", "15.98]", "[47.37", "8.54]", "[1", "2]", "[]", "[]", "[]", "[]"]


def test_map_tiles_setting(tmp_path: Path) -> None:
    default = load_config(tmp_path)
    assert (default.map_tiles, default.map_attribution) == (OSM_TILES, OSM_ATTRIBUTION)
    (tmp_path / "teipress.toml").write_text('map_tiles = "https://tiles.example.org/{z}/{x}/{y}.png"\nmap_attribution = "<b>Example</b> tiles"\n', encoding="utf-8")
    own = load_config(tmp_path)
    assert (own.map_tiles, own.map_attribution) == ("https://tiles.example.org/{z}/{x}/{y}.png", "<b>Example</b> tiles")
    (tmp_path / "teipress.toml").write_text('map_tiles = "javascript:alert(1)//{z}/{x}/{y}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"`map_tiles` must be an http:// or https:// address with \{z\}, \{x\} and \{y\}"):
        load_config(tmp_path)


def test_home_lists_the_documents_before_the_edition_text_which_has_pages_of_its_own(site: Path) -> None:
    home = parse(site / "index.html")
    sections = home.xpath("//main/*[self::section or self::header]/@class")
    assert sections[:2] == ["edition-header", "documents"]
    assert home.xpath("//nav[@class='edition-actions']/a/@href") == ["pages/introduction.html", "pages/editorial-principles.html", "chronology.html", "overviews/time.html", "search.html"]
    assert "This small edition holds two letters" in " ".join(parse(site / "pages" / "introduction.html").xpath("string(//main)").split())


def test_a_long_list_of_documents_has_pages_and_the_chronology_a_page_per_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 2)
    source = fixture_with_places(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    pages = {"index.html": [LETTER, UNCERTAIN], "documents-2.html": [TELEGRAM]}
    for name, documents in pages.items():
        page = parse(site / name)
        assert page.xpath("//table[@class='document-list']//td/a/@href") == [f"documents/{d}.html" for d in documents]
        # The bar above the list and once more below it, each with its own name.
        bars = page.xpath("//nav[contains(@class, 'list-pages')]")
        assert [bar.getparent().index(bar) > bar.getparent().index(page.xpath("//div[@class='table-wrapper']")[0]) for bar in bars] == [False, True]
        assert [bar.get("aria-label") for bar in bars] == ["Pages of the list of documents", "Pages of the list of documents (below it)"]
        for bar in bars:
            assert bar.xpath(".//a/@href") == list(pages)
            assert bar.xpath(".//a/text()") == ["1950 (1–2)", "1950 (3–3)"]
            assert bar.xpath(".//a[@aria-current='page']/@href") == [name]
    assert parse(site / "index.html").xpath("string(//p[@class='list-range'])") == "Documents 1–2 of 3"
    assert parse(site / "documents-2.html").xpath("string(//p[@class='list-range'])") == "Documents 3–3 of 3"
    assert [parse(site / name).xpath("string(//title)").split(" · ")[1:2] for name in pages] == [[], ["Documents 3–3 of 3"]]
    # Every page describes the whole edition, not its own part of the list.
    assert {parse(site / name).xpath("string(//meta[@name='description']/@content)") for name in pages} == {"A digital edition of 3 documents"}
    # The edition's text is on the first page only.
    assert [bool(parse(site / name).xpath("//section[contains(@class, 'edition-text')]")) for name in pages] == [True, False]

    # The chronology is short: whole on chronology.html, whatever the list's pages (its years have pages too).
    assert parse(site / "chronology.html").xpath("//li[contains(@class, 'document-event')]//a/@href") == [f"documents/{d}.html" for d in (LETTER, UNCERTAIN, TELEGRAM)]
    assert broken_links(site) == []

    # Short again: one page of the list, which goes.
    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 500)
    build(source, tmp_path / "out")
    assert sorted(path.name for path in site.glob("documents-*.html")) == []
    assert broken_links(site) == []


MONTH_DAY = "letter-month-day-only"
UNDATED = "letter-undated"
NEXT_YEAR = "letter-1951"


def chronology_entries(page: Path) -> list[str]:
    """The documents (by id) and register events (by id) a chronology page lists, in order."""
    return [item.get("data-document") or item.get("id") for item in parse(page).xpath("//li[contains(@class, 'event')]")]


def test_a_long_chronology_has_a_page_per_year_and_one_for_the_entries_without_a_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Split at CHRONOLOGY_SPLIT_AT entries (documents and events), not by the list's pages; a date of no year (--04-01) or none
    is listed on chronology/undated.html with the undated events, where links to such an event land."""
    source = fixture_with_places(tmp_path)
    dated = '<date notBefore="1950-04-01" notAfter="1950-04-30">April 1950</date>'
    for name, date in ((MONTH_DAY, '<date when="--04-01">1 April</date>'), (UNDATED, ""), (NEXT_YEAR, '<date when="1951-02-03">3 February 1951</date>')):
        (source / f"{name}.xml").write_text(UNCERTAIN_LETTER.replace(UNCERTAIN, name).replace(dated, date), encoding="utf-8")
    # The undated letter names the undated event.
    undated_letter = source / f"{UNDATED}.xml"
    undated_letter.write_text(undated_letter.read_text(encoding="utf-8").replace("a short word", 'a word on <ref target="#guild-meeting">the meeting</ref>'), encoding="utf-8")
    in_1950 = [LETTER, "harbour-fair", UNCERTAIN, TELEGRAM]  # the fair on 1 April 1950, then the uncertain letter of April (from its first day)
    without_year = [MONTH_DAY, UNDATED, "guild-meeting"]
    entries = len(in_1950) + 1 + len(without_year)
    site = tmp_path / "out" / "html"

    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", entries - 1)
    build(source, tmp_path / "out")
    index = parse(site / "chronology.html")
    pages = ["chronology/1950.html", "chronology/1951.html", "chronology/undated.html"]
    assert index.xpath("//nav[contains(@class, 'chronology-years')]//a/@href") == pages
    assert index.xpath("//nav[contains(@class, 'chronology-years')]//a/text()") == ["1950", "1951", "Without a year"]
    assert chronology_entries(site / "chronology.html") == []
    assert index.xpath("string(//p[@class='register-count'])") == f"{entries} documents and events, in the order of their dates."
    # Every entry on exactly one page, in order.
    assert [chronology_entries(site / page) for page in pages] == [in_1950, [NEXT_YEAR], without_year]
    undated = parse(site / "chronology" / "undated.html")
    assert undated.xpath("//nav[contains(@class, 'chronology-years')]//a[@aria-current='page']/@href") == ["../chronology/undated.html"]
    assert undated.xpath("string(//h1)") == "ChronologyWithout a year"
    assert undated.xpath("string(//title)").startswith("Chronology · Without a year")
    # The letter of 1 April in an unknown year shows its day and month; the undated letter has no date to show.
    assert [(t.get("datetime"), t.text_content()) for t in undated.xpath("//li[@data-document]//time")] == [("--04-01", "1 April")]
    assert undated.xpath("string(//p[@class='register-count'])") == "3 documents and events, in the order of their dates."
    # A link to the undated event lands on the page that lists it.
    assert parse(site / "documents" / f"{UNDATED}.html").xpath("//main//a[normalize-space()='the meeting']/@href") == ["../chronology/undated.html#guild-meeting"]
    # The time overview charts the documents of a year (no crash on --04-01) and links to their years' pages.
    time = parse(site / "overviews" / "time.html")
    assert time.xpath("//table[contains(@class, 'time-counts')]/tbody/tr/th/a/@href") == [
        *(f"../chronology/1950.html#month-1950-0{month}" for month in (3, 4, 5)), "../chronology/1951.html#month-1951-02"]
    assert broken_links(site) == []

    # One entry fewer than that: the whole chronology on chronology.html, in the same order; the pages stay, where links land.
    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", entries)
    build(source, tmp_path / "out")
    assert chronology_entries(site / "chronology.html") == [*in_1950, NEXT_YEAR, *without_year]
    assert parse(site / "chronology.html").xpath("//nav[contains(@class, 'chronology-years')]") == []
    assert sorted(path.name for path in (site / "chronology").glob("*.html")) == ["1950.html", "1951.html", "undated.html"]
    assert broken_links(site) == []


def test_a_rebuild_renders_only_the_aggregate_pages_whose_documents_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 2)
    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", 2)
    source = fixture_with_places(tmp_path)
    build(source, tmp_path / "out")
    telegram = source / f"{TELEGRAM}.xml"
    text = telegram.read_text(encoding="utf-8")
    title = text[text.index("<title"):text.index("</title>")]
    telegram.write_text(text.replace(title, title + " (copy)", 1), encoding="utf-8")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    written = sorted(p.relative_to(site).as_posix() for p in result.pages_written if p.relative_to(site).parts[0] not in ("documents", "registers", "assets"))
    # The telegram's page of the list, its year, and the time overview (which reads every document); not the first page of
    # the list, the page of the years, the page without a year, search, guide or the edition's pages, nor the pages of the
    # tables of pairs and places and the map's places, whose rows the title does not change.
    assert written == ["chronology/1950.html", "documents-2.html", "overviews/time.html"]
    assert parse(site / "documents-2.html").xpath("//table[@class='document-list']//td/a/text()")[0].endswith(" (copy)")


# --- in the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_bars_nodes_and_markers_lead_to_their_pages_by_mouse_and_keyboard(browser, site_url: str, artifacts_dir: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site_url + "overviews/time.html")
        page.screenshot(path=str(artifacts_dir / f"overview-time-{width}.png"), full_page=True)
        page.locator("svg a").nth(1).click()
        page.wait_for_url("**/chronology.html#month-1950-04")
        page.goto(site_url + "overviews/time.html")
        page.locator("svg a").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/chronology.html#month-1950-03")

        page.goto(site_url + "overviews/correspondents.html")
        page.screenshot(path=str(artifacts_dir / f"overview-correspondents-{width}.png"), full_page=True)
        page.locator("svg a[aria-label^='Bruno Receiver']").click()
        page.wait_for_url("**/registers/persons/bruno-receiver.html")

        page.goto(site_url + "overviews/places.html")
        marker = page.locator("path[role='link'][data-place='southport']")
        marker.wait_for()
        page.screenshot(path=str(artifacts_dir / f"overview-places-{width}.png"), full_page=True)
        marker.click(force=True)
        page.wait_for_url("**/registers/places/southport.html")
        page.goto(site_url + "overviews/places.html")
        reached = []
        for _ in range(60):  # Tab until the marker of Northtown has the focus
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.getAttribute('data-place')"))
            if reached[-1] == "northtown":
                break
        assert "northtown" in reached
        page.keyboard.press("Enter")
        page.wait_for_url("**/registers/places/northtown.html")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # A place's own page draws its coordinates on a map too, beside them as text.
        page.goto(site_url + "registers/places/northtown.html")
        page.locator(".tp-map path[role='link'][data-place='northtown']").wait_for()
        assert " ".join(page.locator(".tp-map .coordinates").inner_text().split()) == "Coordinates: 55.5° N, 10.25° E"  # the invented coordinates of this fixture
        page.screenshot(path=str(artifacts_dir / f"entry-place-map-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
    assert errors == []


class TextsStore:
    """What `_write_site_files` reads of a store: each document's id, summary and overview, in reading order."""

    def __init__(self, count: int) -> None:
        self.rows = [(f"d{number}", f'<document id="d{number}"/>', f'<document id="d{number}" overview="yes"/>') for number in range(count)]
        self.passes = 0

    def texts(self) -> Iterator[tuple[str, str, str]]:
        self.passes += 1
        yield from self.rows

    def summary(self, number: int, digest: str = "") -> SummaryRow:
        return SummaryRow(f"d{number}", "", "", digest or hashlib.sha256(self.rows[number][1].encode()).hexdigest(),
                          hashlib.sha256(self.rows[number][2].encode()).hexdigest())


def test_the_summary_files_of_a_long_edition_hold_no_file_open(tmp_path: Path) -> None:
    """A chronology of many years writes a summary file per year, side by side: more than a process may hold open. All
    are written in one pass over the store's documents, each with its own in reading order and what is appended after."""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    store = TextsStore(limit + 10)
    files = [aggregates._SiteFile(tmp_path / f"year-{number}.xml", f' year="{number}"') for number in range(limit + 10)]
    for number, site_file in enumerate(files):
        site_file.add(store.summary(number))
        site_file.append("<bar/>")
        site_file.close()
    overview = aggregates._SiteFile(tmp_path / "overviews.xml", column="overview")
    for number in (3, 5):
        overview.add(store.summary(number))
    overview.close()
    aggregates._write_site_files(store, [*files, overview, files[0]])  # type: ignore[arg-type]
    assert store.passes == 1
    head = f'<site xmlns="{aggregates.SITE_NS}" xmlns:f="{aggregates.FACTS_NS}"'
    assert (tmp_path / "year-7.xml").read_text(encoding="utf-8") == f'{head} year="7"><document id="d7"/><bar/></site>'
    assert (tmp_path / "overviews.xml").read_text(encoding="utf-8") == \
        f'{head}><document id="d3" overview="yes"/><document id="d5" overview="yes"/></site>'
    # Written once: the files are not written again, and the store not read, for another page that reads them.
    (tmp_path / "year-7.xml").unlink()
    aggregates._write_site_files(store, files)  # type: ignore[arg-type]
    assert store.passes == 1 and not (tmp_path / "year-7.xml").exists()


def test_a_site_files_digest_is_made_of_its_documents_digests_and_its_text(tmp_path: Path) -> None:
    """A page's key covers its site file through the file's digest, which a rebuild knows without reading the documents'
    texts: another document, another text of one, another order, another text appended or another file change it."""
    store = TextsStore(3)

    def digest(numbers: list[int], tail: str = "<bar/>", attributes: str = ' year="1"', changed: int | None = None) -> str:
        site_file = aggregates._SiteFile(tmp_path / "year.xml", attributes)
        for number in numbers:
            site_file.add(store.summary(number, "0" * 64 if number == changed else ""))
        site_file.append(tail)
        return site_file.close()

    same = digest([0, 1])
    assert digest([0, 1]) == same
    others = [digest([0, 1, 2]), digest([1, 0]), digest([0, 1], changed=1), digest([0, 1], tail="<bar></bar>"), digest([0, 1], attributes=' year="2"'),
              digest([0], tail=store.summary(1).summary_digest + "<bar/>")]
    assert len({same, *others}) == len(others) + 1


def test_the_table_of_pairs_has_pages_the_first_with_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table of pairs grows with the edition (0.8 MB at 5,000 letters): it has pages, which list every pair once, in order."""
    from test_bench import _load

    _load("generate").generate(16, tmp_path, seed=7)
    site = tmp_path / "out" / "html"

    def pairs(page: Path) -> list[list[str]]:
        return [[" ".join(cell.text_content().split()) for cell in row.xpath("td")] for row in parse(page).xpath("//table[contains(@class, 'pair-counts')]/tbody/tr")]

    build(tmp_path / "tei", tmp_path / "out")
    whole = pairs(site / "overviews" / "correspondents.html")
    assert len(whole) > 8
    monkeypatch.setattr(aggregates, "PAIRS_PER_PAGE", 4)
    build(tmp_path / "tei", tmp_path / "out")
    names = ["correspondents.html", *(f"correspondents-{n}.html" for n in range(2, (len(whole) + 3) // 4 + 1))]
    assert sorted(path.name for path in (site / "overviews").glob("correspondents*.html")) == sorted(names)
    assert [row for name in names for row in pairs(site / "overviews" / name)] == whole
    for name in names:
        page = parse(site / "overviews" / name)
        assert page.xpath("//nav[contains(@class, 'pair-pages')][1]//a/@href") == names
        assert page.xpath("//nav[contains(@class, 'pair-pages')][1]//a[@aria-current='page']/@href") == [name]
        assert bool(page.xpath("//svg")) == (name == "correspondents.html")
    assert broken_links(site) == []
    # Short again: one page, the others go.
    monkeypatch.setattr(aggregates, "PAIRS_PER_PAGE", 1000)
    build(tmp_path / "tei", tmp_path / "out")
    assert [path.name for path in (site / "overviews").glob("correspondents*.html")] == ["correspondents.html"]
    assert parse(site / "overviews" / "correspondents.html").xpath("//nav[contains(@class, 'pair-pages')]") == []


def test_the_table_of_places_has_pages_the_first_with_the_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table of places grows with the registers (2,216 places, 1 MB, in Escher): it has pages, which list every place once,
    in order; the map, on the first page, reads every place with coordinates from overviews/places-map.js."""
    from test_bench import _load

    _load("generate").generate(16, tmp_path, seed=7)
    # Coordinates for three of the invented places: the map shows those only.
    register = tmp_path / "tei" / "registers" / "places.xml"
    register.write_text(re.sub(r'(<place xml:id="place-0000([135])">.*?</placeName>)', r"\1<location><geo>4\2.5 1\2.25</geo></location>",
                               register.read_text(encoding="utf-8")), encoding="utf-8")
    site = tmp_path / "out" / "html"

    def places(page: Path) -> list[str]:
        return parse(page).xpath("//table[contains(@class, 'place-counts')]/tbody/tr/@data-place")  # type: ignore[no-any-return]

    build(tmp_path / "tei", tmp_path / "out")
    whole = places(site / "overviews" / "places.html")
    assert len(whole) == 6
    mapped = [place["id"] for place in map_places(site)]
    assert mapped == [place for place in whole if place in ("place-00001", "place-00003", "place-00005")]
    monkeypatch.setattr(aggregates, "PLACES_PER_PAGE", 4)
    build(tmp_path / "tei", tmp_path / "out")
    names = ["places.html", "places-2.html"]
    assert sorted(path.name for path in (site / "overviews").glob("places*.html")) == sorted(names)
    assert [place for name in names for place in places(site / "overviews" / name)] == whole
    for number, name in enumerate(names, start=1):
        page = parse(site / "overviews" / name)
        for bar in page.xpath("//nav[contains(@class, 'place-pages')]"):  # above the table and below it
            assert bar.xpath(".//a/@href") == names
            assert bar.xpath(".//a[@aria-current='page']/@href") == [name]
        assert len(page.xpath("//nav[contains(@class, 'place-pages')]")) == 2
        assert page.xpath("//nav[contains(@class, 'place-pages')][1]//a/text()")[number - 1] == ["1–4", "5–6"][number - 1]
        assert len(places(site / "overviews" / name)) == [4, 2][number - 1]
        assert bool(page.xpath("//div[@class='tp-map']")) == (name == "places.html")
        assert ("places-map.js" in page.xpath("//head/script/@src")) == (name == "places.html")
    assert [place["id"] for place in map_places(site)] == mapped
    assert broken_links(site) == []
    # Short again: one page, the others go.
    monkeypatch.setattr(aggregates, "PLACES_PER_PAGE", 1000)
    build(tmp_path / "tei", tmp_path / "out")
    assert [path.name for path in (site / "overviews").glob("places*.html")] == ["places.html"]
    assert parse(site / "overviews" / "places.html").xpath("//nav[contains(@class, 'place-pages')]") == []


def test_the_pages_that_read_one_site_file_are_rendered_a_few_to_a_task(monkeypatch: pytest.MonkeyPatch) -> None:
    """The overviews' pages each read every document's summary: a worker parses that site file once for the pages of
    a task, up to SITE_FILE_PAGES_PER_TASK of them in their order; pages of other site files or without one (the
    register pages) keep `task_size` pages a task."""
    monkeypatch.setattr(aggregates, "SITE_FILE_PAGES_PER_TASK", 2)

    files = {name: aggregates._SiteFile(Path(f"{name}.xml")) for name in "abc"}

    def units(*site_files: str | None) -> list[aggregates._Unit]:
        return [aggregates._Unit(f"p{number}.html", "x.xsl", None, {}, files[name] if name else None) for number, name in enumerate(site_files)]

    def tasks(pages: list[aggregates._Unit], task_size: int) -> list[list[str | None]]:
        return [[unit.site_file.path.stem if unit.site_file else None for unit in task] for task in aggregates._tasks(pages, task_size)]

    assert tasks(units("a", "a", "a", None, None, "b", "b", "a"), 1) == [["a", "a"], ["a"], [None], [None], ["b", "b"], ["a"]]
    assert tasks(units(None, None, None, None, None), 2) == [[None, None], [None, None], [None]]
    assert tasks(units("a", "b", "b", "b", "c"), 3) == [["a", "b", "b"], ["b", "c"]]
    order = units("a", "a", "b", "a", "a", "a")
    assert [unit for task in aggregates._tasks(order, 1) for unit in task] == order


def test_the_overviews_tables_are_made_once_and_each_page_gets_its_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """html/overview-plan.xsl makes the tables of pairs and places once from every document's overview summary: a pair
    whoever wrote, no pair for an essay's author, a correspondent without a side paired with every other party, a name's
    whitespace normalised; a place by its id or its label @n, never an entry of another kind; each with its counts, in
    the tables' order. aggregates.overview_sources hands each page of a table its own rows, the correspondents they name,
    the totals, and the first page the picture."""
    s, f = aggregates.SITE_NS, aggregates.FACTS_NS
    documents = [
        '<sender ref="a">A</sender><addressee ref="b">B</addressee><from ref="p1">P</from><to ref="x">X</to>',
        '<sender ref="b">B</sender><addressee ref="a">A</addressee><f:facts><f:mention kind="place" entity="P  Label"/></f:facts>',
        '<sender ref="a" role="author">A</sender><addressee ref="c">C</addressee><f:facts><f:mention kind="person" entity="p3"/></f:facts>',
        '<correspondent>  Carl\n Dee </correspondent><correspondent ref="a">A</correspondent>',
        '<sender>Carl Dee</sender><addressee ref="a">A</addressee>',
    ]
    overview = to_xdm(f'<site xmlns="{s}" xmlns:f="{f}">' + "".join(f"<document>{parties}</document>" for parties in documents) + "</site>")
    registers = to_xdm('<standOff xmlns="http://www.tei-c.org/ns/1.0"><listPlace><place xml:id="p1"><placeName>Pé</placeName><location><geo>46.05 14.5</geo></location></place>'
                       '<place xml:id="p2" n="P Label"><placeName>Label</placeName></place><place xml:id="p3"/></listPlace>'
                       '<listPerson><person xml:id="x"/><person xml:id="a"><persName>Anna</persName></person></listPerson></standOff>')
    tables = Stylesheets().transform(XSLT_DIR / "html" / "overview-plan.xsl", overview, site=overview, registers=registers, site_root="../")

    def rows(xml: str, name: str, below: str = "") -> list[list[str | None]]:
        attributes = {"party": ["key", "name", "href", "letters"], "pair": ["a", "b", "letters"], "place": ["id", "name", "href", "sent", "received", "mentioned", "lat", "lon"]}[name]
        root = etree.fromstring(xml.encode())
        return [[row.get(attribute) for attribute in attributes] for row in root.xpath(f"{below}s:{name}", namespaces={"s": s})]

    a, b, carl = ["entry:a", "A", "../registers/persons/a.html", "4"], ["entry:b", "B", "", "2"], ["name:Carl Dee", "Carl Dee", "", "2"]
    assert etree.fromstring(tables.encode()).get("letters") == "4"  # a-b twice, a-Carl Dee twice
    assert rows(tables, "party") == [a, b, carl]
    assert rows(tables, "pair") == [["entry:a", "entry:b", "2"], ["entry:a", "name:Carl Dee", "2"]]
    assert rows(tables, "place") == [["p2", "Label", "../registers/places/p2.html", "0", "0", "1", None, None],
                                     ["p1", "Pé", "../registers/places/p1.html", "1", "0", "0", "46.05", "14.5"]]
    assert rows(tables, "party", "s:network/") == [a, b, carl]

    monkeypatch.setattr(aggregates, "PAIRS_PER_PAGE", 1)
    monkeypatch.setattr(aggregates, "PLACES_PER_PAGE", 1)
    sources = aggregates.overview_sources(tables)
    pair_pages, place_pages = sources.pair_pages, sources.place_pages
    assert [rows(page, "pair") for page in pair_pages] == [[["entry:a", "entry:b", "2"]], [["entry:a", "name:Carl Dee", "2"]]]
    assert [rows(page, "party") for page in pair_pages] == [[a, b], [a, carl]]
    assert [rows(page, "party", "s:network/") for page in pair_pages] == [[a, b, carl], []]
    assert [dict(etree.fromstring(page.encode()).attrib) for page in pair_pages] == [{"total": "2", "parties": "3", "letters": "4"}] * 2
    assert [rows(page, "place") for page in place_pages] == [rows(tables, "place")[:1], rows(tables, "place")[1:]]
    assert [dict(etree.fromstring(page.encode()).attrib) for page in place_pages] == [{"total": "2", "mapped": "1"}] * 2
    assert rows(sources.map_places, "place") == rows(tables, "place")[1:]
    # No pairs, no places: one page of each, without rows.
    empty = Stylesheets().transform(XSLT_DIR / "html" / "overview-plan.xsl", to_xdm(f'<site xmlns="{s}"/>'), site=to_xdm(f'<site xmlns="{s}"/>'), registers=registers)
    nothing = aggregates.overview_sources(empty)
    assert ([rows(page, "pair") for page in nothing.pair_pages], [rows(page, "place") for page in nothing.place_pages], rows(nothing.map_places, "place")) == ([[]], [[]], [])


def test_the_time_overview_charts_the_years_that_hold_the_documents_and_tables_a_stray_one(tmp_path: Path) -> None:
    source = fixture_with_places(tmp_path)
    # A placeholder year far from the others, as a real edition has (year 1000 among letters of 1830 to 1882).
    stray = UNCERTAIN_LETTER.replace(UNCERTAIN, "letter-placeholder-year").replace(
        '<date notBefore="1950-04-01" notAfter="1950-04-30">April 1950</date>', '<date when="1000-06-01">1 June 1000</date>')
    (source / "letter-placeholder-year.xml").write_text(stray, encoding="utf-8")
    build(source, tmp_path / "out")
    page = parse(tmp_path / "out" / "html" / "overviews" / "time.html")
    assert page.xpath("//svg//a/@href") == ["../chronology.html#month-1950-03", "../chronology.html#month-1950-04", "../chronology.html#month-1950-05"]
    assert page.xpath("//table[contains(@class, 'time-counts')]/tbody/tr/th/a/@href") == [
        "../chronology.html#month-1000-06", "../chronology.html#month-1950-03", "../chronology.html#month-1950-04", "../chronology.html#month-1950-05"]
    assert broken_links(tmp_path / "out" / "html") == []
    assert page.xpath("string(//p[@class='overview-note'])") == "1 document dated outside the years 1950–1950 is left out of the chart; the table lists it."
