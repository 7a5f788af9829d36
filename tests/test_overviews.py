"""The overview pages (documents over time, correspondents, map), the chronology and the home page's order.

The fixture edition with coordinates for its two (invented) places and a third letter dated only
between two days, built once; browser tests click a bar, a node and a marker and land on the right page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from teipress import aggregates
from teipress.config import OSM_ATTRIBUTION, OSM_TILES, load_config
from teipress.errors import ConfigError
from teipress.serve import serving

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
    return parse(site / "documents" / f"{LETTER}.html").xpath(f"(//aside//a[normalize-space()='{name}'] | //main//a[@class='entity'][normalize-space()='{name}'])[1]/@href")[0]


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


def test_map_overview_has_a_marker_per_place_with_coordinates_and_the_same_places_as_text(site: Path) -> None:
    page = parse(site / "overviews" / "places.html")
    places = json.loads(page.xpath("string(//div[@class='tp-map']/@data-places)"))
    northtown = register_link(site, "Northtown")
    assert [(p["id"], p["lat"], p["lon"], p["count"], p["href"]) for p in places] == [("northtown", 55.5, 10.25, 4, northtown),
                                                                                    ("southport", 44.75, 12.5, 4, northtown.replace("northtown", "southport"))]
    assert places[0]["detail"] == "sent from: 2 · received at: 1 · mentioned in: 1"
    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("th | td")] for row in page.xpath("//table[contains(@class, 'place-counts')]/tbody/tr")]
    assert rows == [["Northtown", "2", "1", "1"], ["Southport", "1", "1", "2"]]
    assert page.xpath("//div[@class='tp-map']/@data-tiles") == [""]
    assert {"../assets/leaflet.js", "../assets/map.js"} <= set(page.xpath("//head/script/@src"))
    assert "Leaflet (BSD-2-Clause licence)" in page.xpath("string(//figcaption[@class='map-credits'])")
    assert broken_links(site) == []


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

    # The chronology: a page of the years with the undated events, a page per year.
    years = parse(site / "chronology.html")
    assert years.xpath("//nav[contains(@class, 'chronology-years')]//a/@href") == ["chronology/1950.html"]
    assert years.xpath("//li[contains(@class, 'event')]/@id") == ["guild-meeting"]  # the undated event; the fair is on 1950's page
    assert years.xpath("//li[contains(@class, 'document-event')]") == []
    year = parse(site / "chronology" / "1950.html")
    assert year.xpath("//li[contains(@class, 'document-event')]//a/@href") == [f"../documents/{d}.html" for d in (LETTER, UNCERTAIN, TELEGRAM)]
    assert year.xpath("//li[contains(@class, 'register-event')]/@id") == ["harbour-fair"]
    assert year.xpath("//nav[contains(@class, 'chronology-years')]//a[@aria-current='page']/@href") == ["../chronology/1950.html"]
    bars = parse(site / "overviews" / "time.html").xpath("//svg//a/@href")
    assert bars == ["../chronology/1950.html#month-1950-03", "../chronology/1950.html#month-1950-04", "../chronology/1950.html#month-1950-05"]
    assert broken_links(site) == []

    # Short again: one page of the list, which goes, and the whole chronology on chronology.html.
    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 500)
    build(source, tmp_path / "out")
    assert sorted(path.name for path in site.glob("documents-*.html")) == []
    assert [path.name for path in (site / "chronology").glob("*.html")] == ["1950.html"]  # where links to the fair land
    assert parse(site / "chronology.html").xpath("//li[contains(@class, 'document-event')]//a/@href") == [f"documents/{d}.html" for d in (LETTER, UNCERTAIN, TELEGRAM)]
    assert broken_links(site) == []


def test_a_rebuild_renders_only_the_aggregate_pages_whose_documents_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "LIST_PAGE_SIZE", 2)
    source = fixture_with_places(tmp_path)
    build(source, tmp_path / "out")
    telegram = source / f"{TELEGRAM}.xml"
    text = telegram.read_text(encoding="utf-8")
    title = text[text.index("<title"):text.index("</title>")]
    telegram.write_text(text.replace(title, title + " (copy)", 1), encoding="utf-8")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    written = sorted(p.relative_to(site).as_posix() for p in result.pages_written if p.relative_to(site).parts[0] not in ("documents", "registers", "assets"))
    # The telegram's page of the list, its year, and the overviews (which show every document); not the first
    # page of the list, the page of the years, search, guide or the edition's pages.
    assert written == ["chronology/1950.html", "documents-2.html", "overviews/correspondents.html", "overviews/places.html", "overviews/time.html"]
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


def test_the_summary_files_of_a_long_edition_hold_no_file_open(tmp_path: Path) -> None:
    """A chronology of many years writes a summary file per year, side by side: more than a process may hold open."""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    files = [aggregates._SiteFile(tmp_path / f"year-{number}.xml", f' year="{number}"') for number in range(limit + 10)]
    for number, site_file in enumerate(files):
        site_file.write(f'<document id="d{number}"/>')
    digests = [site_file.close() for site_file in files]
    expected = f'<site xmlns="{aggregates.SITE_NS}" xmlns:f="{aggregates.FACTS_NS}" year="7"><document id="d7"/></site>'
    assert (tmp_path / "year-7.xml").read_text(encoding="utf-8") == expected
    assert digests[7] == hashlib.sha256(expected.encode()).hexdigest()


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
