"""The pages of the site: what a reader finds on them, their links, metadata and accessibility basics."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as html_module

from teipress.assets import ASSETS_SOURCE, fingerprinted

from conftest import REPO, skip_missing
from test_build import LETTER, TELEGRAM, broken_links, build, copy_fixture, html_pages, parse, text_nodes, visible_text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition, built once for this module."""
    root = tmp_path_factory.mktemp("site")
    build(copy_fixture(root), root / "out")
    return root / "out" / "html"


# --- home ------------------------------------------------------------------------------------------


def test_home_shows_the_edition_and_lists_every_document(site: Path) -> None:
    home = parse(site / "index.html")
    assert home.xpath("string(//h1)") == "Letters of the Fixture Correspondence"
    assert "Edited by Ada Editor" in visible_text(site / "index.html")
    # The edition's divisions are pages of their own, linked from the home page, which opens with the documents.
    assert home.xpath("//nav[@class='edition-actions']/a/@href")[:2] == ["pages/introduction.html", "pages/editorial-principles.html"]
    assert "This small edition holds two letters" in visible_text(site / "pages" / "introduction.html")
    assert "This small edition holds two letters" not in visible_text(site / "index.html")
    rows = home.xpath("//table[@class='document-list']/tbody/tr")
    assert [r.xpath("string(.//a/@href)") for r in rows] == [f"documents/{LETTER}.html", f"documents/{TELEGRAM}.html"]
    first = rows[0]
    assert (first.get("data-date"), first.get("data-type"), first.get("data-sender"), first.get("data-addressee")) == ("1950-03-04", "Letter", "Alma Sender", "Bruno Receiver")
    assert home.xpath("//select[@id='filter-type']/option/@value") == ["", "Letter", "Telegram"]
    assert home.xpath("//th[@data-sort='date']/@aria-sort") == ["ascending"]


# --- document page -----------------------------------------------------------------------------------


def test_document_page_has_the_metadata_panel(site: Path) -> None:
    page = parse(site / "documents" / f"{LETTER}.html")
    panel = {" ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split()) for dt in page.xpath("//aside[@class='document-meta']//dt")}
    assert panel["Date"].startswith("4 March 1950")
    assert panel["From"] == "Alma Sender in Northtown"
    assert panel["To"] == "Bruno Receiver in Southport"
    assert panel["Archive"] == "Northtown, Fixture Archive"
    assert panel["Letter number"] == "FA 17"
    assert panel["Classification"] == "CONFIDENTIAL"
    assert panel["Translated by"] == "Ada Editor"
    # The rights statement collapsed under its label (a details of its own after the facts).
    assert [[" ".join(part.text_content().split()) for part in d] for d in page.xpath("//aside[@class='document-meta']//details[@class='rights']")] == [
        ["Rights", "Public domain, for testing."]]
    assert page.xpath("//aside//a[normalize-space()='Alma Sender']/@href") == ["../registers/persons/alma-sender.html"]
    assert page.xpath("//a[normalize-space()='TEI-XML source']/@href") == [f"../tei/{LETTER}.xml"]


def test_document_page_links_notes_both_ways_and_renders_cited_documents(site: Path) -> None:
    page = parse(site / "documents" / f"{LETTER}.html")
    assert page.xpath("//a[@class='note-ref']/@href") == ["#note-1"]
    assert page.xpath("//li[@id='note-1']//a[@role='doc-backlink']/@href") == ["#note-ref-1"]
    assert page.xpath("//section[contains(@class, 'reading-text')]//a[normalize-space()='[Document 1]']/@href") == ["#document-1"]
    cited = page.xpath("//section[@class='cited-documents']//li[@id='document-1']")
    assert cited and "Letter from Alma Sender to Bruno Receiver" in cited[0].text_content()


def test_document_page_links_previous_and_next(site: Path) -> None:
    first = parse(site / "documents" / f"{LETTER}.html")
    second = parse(site / "documents" / f"{TELEGRAM}.html")
    assert first.xpath("//a[@rel='next']/@href") == [f"{TELEGRAM}.html"] and not first.xpath("//a[@rel='prev']")
    assert second.xpath("//a[@rel='prev']/@href") == [f"{LETTER}.html"] and not second.xpath("//a[@rel='next']")


def test_document_page_carries_citation_metadata(site: Path) -> None:
    page = parse(site / "documents" / f"{LETTER}.html")
    meta = {m.get("name"): m.get("content") for m in page.xpath("//head/meta[starts-with(@name, 'citation_')]")}
    assert meta["citation_title"] == "Letter from Alma Sender to Bruno Receiver, 4 March 1950"
    assert meta["citation_author"] == "Alma Sender"
    assert meta["citation_date"] == "1950/03/04"
    assert meta["citation_inbook_title"] == "Letters of the Fixture Correspondence"
    # JSON-LD says what the tags above do not (the recipients), and nothing they already say.
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert data == {"@context": "https://schema.org", "@type": "Message", "name": "Letter from Alma Sender to Bruno Receiver, 4 March 1950",
                    "dateCreated": "1950-03-04", "sender": [{"@type": "Person", "name": "Alma Sender"}],
                    "recipient": [{"@type": "Person", "name": "Bruno Receiver"}]}
    citation = " ".join(page.xpath("string(//p[@class='citation'])").split())
    assert citation.startswith("“Letter from Alma Sender to Bruno Receiver, 4 March 1950.” In Letters of the Fixture Correspondence, edited by Ada Editor.")


def test_document_page_keeps_every_word_of_the_text(site: Path) -> None:
    for name in (LETTER, TELEGRAM):
        text = visible_text(site / "documents" / f"{name}.html")
        assert [n for n in text_nodes(site / "tei" / f"{name}.xml") if n not in text] == []


def test_search_filters_are_marked_for_pagefind(site: Path) -> None:
    page = parse(site / "documents" / f"{LETTER}.html")
    filters = {(e.get("data-pagefind-filter"), e.text_content()) for e in page.xpath("//*[@data-pagefind-filter]")}
    assert {("type", "Letter"), ("year", "1950"), ("person", "Alma Sender")} <= filters
    assert page.xpath("//article/@data-pagefind-body")


# --- registers and chronology ---------------------------------------------------------------------------


def test_register_entries_keep_dates_places_and_identifiers_of_birth_and_death(site: Path) -> None:
    bruno = parse(site / "registers" / "persons" / "bruno-receiver.html").xpath("//article[@id='bruno-receiver']")[0]
    assert bruno.xpath("string(.//p[@class='entry-dates'])") == "8 July 1899 – "
    assert " ".join(bruno.xpath("string(.//p[@class='entry-birth'])").split()) == "Born: Harbourville"
    assert " ".join(bruno.xpath("string(.//p[@class='entry-idno'])").split()) == "Archive: FA-P-2"
    assert bruno.xpath(".//ul[@class='authority-links']//a/@href") == ["https://d-nb.info/gnd/000000000"]
    alma = parse(site / "registers" / "persons" / "alma-sender.html").xpath("//article[@id='alma-sender']")[0]
    assert not alma.xpath(".//p[@class='entry-birth' or @class='entry-death']")  # its dates say it all


def test_register_entries_have_names_dates_descriptions_and_mentions(site: Path) -> None:
    alma = parse(site / "registers" / "persons" / "alma-sender.html").xpath("//article[@id='alma-sender']")[0]
    assert alma.xpath("string(h1)") == "Alma Sender"
    assert "A. Sender" in alma.xpath("string(.//p[@class='entry-variants'])")
    assert alma.xpath("string(.//p[@class='entry-dates'])") == "3 February 1901 – 1980"
    assert alma.xpath("string(.//p[@class='entry-description'])") == "Writer of the first letter."
    assert alma.xpath(".//a[@class='mention']/@href") == [f"../../documents/{LETTER}.html#p8", f"../../documents/{TELEGRAM}.html#p1"]
    southport = parse(site / "registers" / "places" / "southport.html")
    assert southport.xpath("//a[@class='mention']/text()") == ["the Port"]
    document_1 = parse(site / "registers" / "bibliography" / "document-1.html")
    assert document_1.xpath("//a[@class='mention']/@href") == [f"../../documents/{LETTER}.html#p3"]


def test_chronology_lists_the_documents_and_register_events_in_order_not_every_date_mention(site: Path) -> None:
    chronology = parse(site / "chronology.html")
    # The texts also mention 20 February and 10 May 1950: dates in a text are no events of the chronology.
    assert chronology.xpath("//li[contains(@class, 'event')]/time/@datetime") == ["1950-03-04", "1950-04-01", "1950-05-06"]
    assert chronology.xpath("//li[contains(@class, 'document-event')]//a/@href") == [f"documents/{LETTER}.html", f"documents/{TELEGRAM}.html"]


def test_links_to_register_events_land_on_their_entry_in_the_chronology(site: Path) -> None:
    letter = parse(site / "documents" / f"{LETTER}.html")
    # A dated event on its year's page (which every chronology has, short or long), an undated one on chronology.html.
    assert letter.xpath("//a[normalize-space()='the fair']/@href") == ["../chronology/1950.html#harbour-fair"]
    year = parse(site / "chronology" / "1950.html")
    assert year.xpath("//li[contains(@class, 'event')]/time/@datetime") == ["1950-03-04", "1950-04-01", "1950-05-06"]
    assert year.xpath("//li[@id='guild-meeting']") == []
    chronology = parse(site / "chronology.html")
    fair = chronology.xpath("//li[@id='harbour-fair']")
    assert fair and fair[0].xpath("string(time/@datetime)") == "1950-04-01"
    assert "The Southport harbour fair" in fair[0].text_content()
    assert chronology.xpath("//li[@id='guild-meeting']/ancestor::section/h2/@id") == ["undated-events"]


def test_popover_data_covers_every_register_entry(site: Path) -> None:
    script = (site / "assets" / "entries" / "alma-sender.js").read_text(encoding="utf-8")
    data = json.loads(re.fullmatch(r"window\.teipressEntry\((\{.*\})\);\n", script, re.S).group(1))
    assert data == {"id": "alma-sender", "name": "Alma Sender", "kind": "person", "href": "registers/persons/alma-sender.html",
                    "dates": "3 February 1901 – 1980", "description": "Writer of the first letter.", "also": "A. Sender"}
    # one small script per entry of the four registers and per event, nothing else; no script with every entry
    assert {path.stem for path in (site / "assets" / "entries").iterdir()} == {"ada-editor", "alma-sender", "bruno-receiver", "northtown", "southport", "guild", "document-1",
                                                                          "harbour-fair", "guild-meeting"}
    # An event's: its date, and its place in the chronology (the page of its year; none without a year).
    assert [json.loads(re.fullmatch(r"window\.teipressEntry\((\{.*\})\);\n", (site / "assets" / "entries" / f"{event}.js").read_text(encoding="utf-8"), re.S).group(1))
            for event in ("harbour-fair", "guild-meeting")] == [
        {"id": "harbour-fair", "name": "The Southport harbour fair", "kind": "event", "href": "chronology/1950.html#harbour-fair", "dates": "1 April 1950"},
        {"id": "guild-meeting", "name": "A meeting of the guild, date unknown", "kind": "event", "href": "chronology/undated.html#guild-meeting"}]
    assert not (site / "assets" / "registers.js").exists()


def test_an_events_popover_names_it_by_its_label_and_dates_it_as_the_chronology_does() -> None:
    """Its own date with its certainty, else its date child's; never the date or the label of an event inside it."""
    from teipress.saxon import Stylesheets, to_xdm

    registers = to_xdm('<registers xmlns="https://teipress.org/ns/registers" xmlns:tei="http://www.tei-c.org/ns/1.0">'
                       '<tei:event xml:id="season" notBefore="1950-04"><tei:label>The season</tei:label>'
                       '<tei:event xml:id="opening" when="1950-04-02"><tei:label>Its opening</tei:label></tei:event></tei:event>'
                       '<tei:event xml:id="visit"><tei:date when="1951-06-01"/><tei:label>A visit</tei:label></tei:event></registers>')
    stylesheets = Stylesheets()

    def data(entry_id: str) -> dict[str, str]:
        script = stylesheets.transform("html/registers-data.xsl", registers, entry_id=entry_id, site_root="", documents_base="documents/")
        return json.loads(re.fullmatch(r"window\.teipressEntry\((\{.*\})\);\n", script, re.S).group(1))

    assert [data(entry_id) for entry_id in ("season", "visit")] == [
        {"id": "season", "name": "The season", "kind": "event", "href": "chronology/1950.html#season", "dates": "not before April 1950"},
        {"id": "visit", "name": "A visit", "kind": "event", "href": "chronology/1951.html#visit", "dates": "1 June 1951"}]


# --- every page -----------------------------------------------------------------------------------------


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert broken_links(site) == []


def test_a_link_to_a_document_file_works_from_the_edition_page(site: Path) -> None:
    introduction = parse(site / "pages" / "introduction.html")
    assert introduction.xpath("//a[normalize-space()='the letter from Northtown']/@href") == [f"../documents/{LETTER}.html"]


def test_pages_are_self_contained(site: Path) -> None:
    for path in html_pages(site):
        page = parse(path)
        remote = [u for u in page.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src") if re.match(r"(https?:)?//", u)]
        assert remote == [], path
    css = (site / fingerprinted("assets/site.css", (ASSETS_SOURCE / "site.css").read_bytes())).read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css


def test_no_hostile_link_is_live(site: Path) -> None:
    for path in html_pages(site):
        for value in parse(path).xpath("//@href | //@src | //@action"):
            assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), f"{path}: {value}"
    letter = parse(site / "documents" / f"{LETTER}.html")
    assert letter.xpath("//span[contains(@class, 'ref-removed')]/text()") == ["hostile link"]


def test_pages_have_landmarks_one_h1_and_no_skipped_heading_levels(site: Path) -> None:
    for path in html_pages(site):
        page = parse(path)
        assert page.get("lang"), path
        assert len(page.xpath("//main[@id='main']")) == 1 and page.xpath("//header") and page.xpath("//nav") and page.xpath("//footer"), path
        assert page.xpath("//a[@class='skip-link']/@href") == ["#main"], path
        levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels.count(1) == 1 and levels[0] == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{path}: {levels}"
        assert all(img.get("alt") is not None for img in page.iter("img")), path


# --- the seed edition ---------------------------------------------------------------------------------


def test_the_seed_edition_builds_with_every_word(tmp_path: Path) -> None:
    source = REPO / "tei"
    if not any(source.glob("*.xml")):
        skip_missing("tei/ holds no documents yet")
    result = build(source, tmp_path / "out", jobs=2)
    site = tmp_path / "out" / "html"
    documents = sorted(p for p in source.glob("*.xml") if p.name != "edition.xml")
    assert len(result.documents) == len(documents)
    for tei_file in documents:
        page_id = tei_file.stem  # ENCODING.md: the root xml:id is the file name
        text = visible_text(site / "documents" / f"{page_id}.html")
        assert [n for n in text_nodes(tei_file) if n not in text] == [], tei_file.name
    assert broken_links(site) == []


def test_a_register_entry_shows_no_empty_details_box(site: Path) -> None:
    for page in (site / "registers").glob("*/*.html"):
        document = parse(page)
        assert not [box for box in document.xpath("//div[@class='entry-details']") if not box.text_content().strip()]


# --- README: Dublin Core tags, absolute permalinks with base_url, named templates to override ------------


@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition built with base_url set, as teipress.toml says it."""
    root = tmp_path_factory.mktemp("published")
    (root / "teipress.toml").write_text('base_url = "https://edition.example.org/fixture/"\n', encoding="utf-8")
    build(copy_fixture(root), root / "out")
    return root / "out" / "html"


def test_document_pages_carry_dublin_core_tags(site: Path) -> None:
    for name, title, date, kind in ((LETTER, "Letter from Alma Sender to Bruno Receiver, 4 March 1950", "1950-03-04", "Letter"),
                                    (TELEGRAM, "Telegram from Bruno Receiver to Alma Sender, 6 May 1950", "1950-05-06", "Telegram")):
        page = parse(site / "documents" / f"{name}.html")
        dublin_core = [(m.get("name"), m.get("content")) for m in page.xpath("//head/meta[starts-with(@name, 'DC.')]")]
        assert dublin_core == [("DC.title", title), ("DC.date", date), ("DC.type", kind)], name


def test_base_url_makes_permalinks_absolute(published_site: Path, site: Path) -> None:
    permalink = f"https://edition.example.org/fixture/documents/{LETTER}.html"
    page = parse(published_site / "documents" / f"{LETTER}.html")
    assert page.xpath("//link[@rel='canonical']/@href") == [permalink]
    assert page.xpath("//meta[@name='citation_public_url']/@content") == [permalink]
    assert page.xpath("//p[@class='citation']/a[@class='permalink']/@href") == [permalink]
    assert page.xpath("string(//p[@class='citation']/a[@class='permalink'])") == permalink
    assert "url" not in json.loads(page.xpath("string(//script[@type='application/ld+json'])"))  # said once, by the canonical link
    # Without base_url nothing claims an address the site does not know.
    plain = parse(site / "documents" / f"{LETTER}.html")
    assert plain.xpath("//link[@rel='canonical'] | //meta[@name='citation_public_url']") == []
    assert plain.xpath("//p[@class='citation']/a[@class='permalink']/@href") == [f"{LETTER}.html"]
    assert broken_links(published_site) == []


def test_a_document_with_the_editions_rights_leaves_them_to_the_footer(tmp_path: Path) -> None:
    # The telegram states the edition's licence (its words and address, laid out otherwise): the footer says it on
    # every page, the side panel does not repeat it; the letter's own rights stay in its panel.
    source = copy_fixture(tmp_path)
    telegram = source / f"{TELEGRAM}.xml"
    own = "<availability><p>Public domain, for testing.</p></availability>"
    assert own in telegram.read_text(encoding="utf-8")
    telegram.write_text(telegram.read_text(encoding="utf-8").replace(own, """<availability>
          <licence target=" https://creativecommons.org/licenses/by/4.0/">CC BY
            4.0</licence></availability>"""), encoding="utf-8")
    build(source, tmp_path / "out")
    pages = {name: parse(tmp_path / "out" / "html" / "documents" / f"{name}.html") for name in (LETTER, TELEGRAM)}
    rights = "//aside[@class='document-meta']//details[@class='rights']"
    assert [[" ".join(part.text_content().split()) for part in d] for d in pages[LETTER].xpath(rights)] == [["Rights", "Public domain, for testing."]]
    assert pages[TELEGRAM].xpath(rights) == []
    for page in pages.values():
        assert page.xpath("//footer//p[@class='licence']/a[@rel='license']/@href") == ["https://creativecommons.org/licenses/by/4.0/"]


@pytest.mark.parametrize("base_url", ["https://edition.example.org/fixture/", "https://edition.example.org/"])
def test_the_pdf_address_for_citation_managers_is_where_the_pages_pdf_link_leads(tmp_path: Path, base_url: str) -> None:
    # output/pdf/ is published beside output/html/: from a site at the host's root a browser's ".." stays at the root.
    (tmp_path / "teipress.toml").write_text(f'base_url = "{base_url}"\n', encoding="utf-8")
    (tmp_path / "out" / "pdf").mkdir(parents=True)  # PDFs built before: the pages link them
    build(copy_fixture(tmp_path), tmp_path / "out")
    page = parse(tmp_path / "out" / "html" / "documents" / f"{LETTER}.html")
    [permalink] = page.xpath("//link[@rel='canonical']/@href")
    [pdf_link] = page.xpath("//a[@type='application/pdf']/@href")
    expected = f"https://edition.example.org/pdf/{LETTER}.pdf"
    assert urljoin(permalink, pdf_link) == expected
    assert page.xpath("//meta[@name='citation_pdf_url']/@content") == [expected]


def test_an_importing_stylesheet_overrides_a_named_template(tmp_path: Path, site: Path) -> None:
    from teipress.resources import XSLT_DIR
    from teipress.saxon import Stylesheets

    custom = tmp_path / "my-document.xsl"
    custom.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tp="https://teipress.org/ns/xslt" exclude-result-prefixes="#all">
      <xsl:import href="{(XSLT_DIR / 'html' / 'document.xsl').as_uri()}"/>
      <xsl:template name="tp:citation">
        <xsl:param name="root"/>
        <xsl:param name="id"/>
        <xsl:param name="title"/>
        <section id="cite" class="my-citation"><p>Quote as: <xsl:value-of select="$title"/></p></section>
      </xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    source = (site / "tei" / f"{LETTER}.xml").read_bytes()
    sheets = Stylesheets()
    standard = html_module.fromstring(sheets.transform("html/document.xsl", source, document_title="The letter"))
    changed = html_module.fromstring(sheets.transform(custom, source, document_title="The letter"))
    assert changed.xpath("//section[@class='my-citation']/p/text()") == ["Quote as: The letter"]
    assert not changed.xpath("//p[@class='citation']") and standard.xpath("//p[@class='citation']")
    assert not standard.xpath("//section[@class='my-citation']")
    # Everything else of the page stays.
    assert changed.xpath("//aside[@class='document-meta']//dt/text()") == standard.xpath("//aside[@class='document-meta']//dt/text()")


# --- a variant of the fixture: names in another order, an addressee known by place only, ranges, deletions ---


@pytest.fixture(scope="module")
def varied_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("varied")
    source = copy_fixture(root)
    persons = source / "registers" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    standard, variant = '<persName type="standard">Alma Sender</persName>', '<persName type="variant">A. Sender</persName>'
    assert text.count(standard) == 1 and text.count(variant) == 1
    persons.write_text(text.replace(variant, "").replace(standard, "<persName>A. Sender</persName>" + standard), encoding="utf-8")  # an untyped name first
    telegram = source / f"{TELEGRAM}.xml"
    text = telegram.read_text(encoding="utf-8")
    for old, new in (('<correspAction type="received"><persName ref="#alma-sender">Alma Sender</persName>', '<correspAction type="received">'),
                     ("PLEASE BRING ZEPHYRANTHES", 'PLEASE BRING <del>ROSES</del> ZEPHYRANTHES <date from="1950-05-11" to="1950-05-14">FOR FOUR DAYS</date>')):
        assert text.count(old) == 1
        text = text.replace(old, new)
    telegram.write_text(text, encoding="utf-8")
    build(source, root / "out")
    return root / "out" / "html"


def test_an_entry_is_named_by_its_standard_name_wherever_it_stands(varied_site: Path) -> None:
    alma = parse(varied_site / "registers" / "persons" / "alma-sender.html")
    assert alma.xpath("string(//h1)") == "Alma Sender"
    assert "A. Sender" in alma.xpath("string(//p[@class='entry-variants'])")
    persons = parse(varied_site / "registers" / "persons.html")
    assert persons.xpath("//li[@id='alma-sender']/a[@class='entry-name']/text()") == ["Alma Sender"]
    panel = parse(varied_site / "documents" / f"{LETTER}.html").xpath("//aside[@class='document-meta']//a[@href='../registers/persons/alma-sender.html']/text()")
    assert panel == ["Alma Sender"]


def test_an_addressee_known_by_place_only_is_shown(varied_site: Path) -> None:
    page = parse(varied_site / "documents" / f"{TELEGRAM}.html")
    panel = {" ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split()) for dt in page.xpath("//aside[@class='document-meta']//dt")}
    assert panel["To"] == "Northtown"


def test_a_date_range_keeps_both_ends_and_a_deletion_is_marked(varied_site: Path) -> None:
    page = parse(varied_site / "documents" / f"{TELEGRAM}.html")
    ranges = page.xpath("//time[normalize-space()='FOR FOUR DAYS']")
    assert [(t.get("data-iso"), t.get("datetime")) for t in ranges] == [("1950-05-11/1950-05-14", None)]
    assert [d.text_content() for d in page.xpath("//section[contains(@class, 'reading-text')]//del")] == ["ROSES"]


def test_register_entries_are_sorted_by_their_sort_key(site: Path) -> None:
    persons = parse(site / "registers" / "persons.html")
    # Alma Sender's sortKey is "sender-alma": she comes after Bruno Receiver.
    assert persons.xpath("//li[contains(@class, 'entry')]/@id") == ["ada-editor", "bruno-receiver", "alma-sender"]
