"""The HTML reading text (xslt/html/text.xsl through fragment.xsl), one behaviour per test."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from conftest import FIXTURES
from teipress.resources import XSLT_DIR
from teipress.saxon import Stylesheets, processor, to_xdm
from teipress.xmlio import parse_file

HTML_FIXTURES = FIXTURES / "html"


@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    return Stylesheets()


@pytest.fixture(scope="module")
def registers():  # type: ignore[no-untyped-def]
    """A small merged register (as edition.merged_registers makes it): tito, nam, document-1."""
    return to_xdm(etree.parse(str(HTML_FIXTURES / "registers.xml")))


def render(stylesheets: Stylesheets, name: str, **parameters) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    """A fixture rendered by fragment.xsl (XIncludes resolved inside its folder), parsed as HTML."""
    path = HTML_FIXTURES / name
    html = stylesheets.transform("html/fragment.xsl", parse_file(path, xinclude_root=path.parent), **parameters)
    return lxml.html.document_fromstring(f"<!DOCTYPE html><html><head><title>t</title></head><body>{html}</body></html>")


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set(element.get("class", "").split())


def one(page: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement:
    found = page.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def reading(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return one(page, "//div[@class='reading-text']")


# ---------------------------------------------------------------- white space

def test_a_run_of_white_space_is_one_character_unless_the_tei_keeps_it(stylesheets: Stylesheets) -> None:
    # The browser shows a run as one space: the page keeps one character of it, a line break where the run holds
    # one; the no-break space is text; under xml:space="preserve" the run stays as it is.
    page = render(stylesheets, "white-space.xml")
    runs = one(page, "//p[@id='runs']")
    assert [runs.text, runs.find("br").tail, runs.find(".//*[@class='tei-hi']").tail] == [
        "One two\nthree ", "\nfour\u00a0\u00a0five six ", " "]
    assert one(page, "//p[@id='kept']").text == "Eight   nine\n        ten"


# Each run of XML white space as the page keeps it: a line break where the run holds one, else a space; every other
# character (the no-break space, the em space) is text.
def collapsed_as_the_browser_shows_it(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", lambda run: "\n" if "\n" in run.group() else " ", text)


def test_collapse_space_keeps_one_character_of_every_run_of_white_space_wherever_it_stands(stylesheets: Stylesheets) -> None:
    # tp:collapse-space splits a text at its line breaks (no regular expression: issue 11); a run at the text's start
    # or end, a text of white space alone, runs of several lines and of tabs and carriage returns, against a
    # reference written over Python's re.
    characters = [" ", " ", "\t", "\n", "\n", "\r", "a", "b", "\u00a0", "\u2003"]
    chosen = random.Random(11)
    texts = ["", " ", "\n", "\t", "\r\n", "a", " a ", "\ta\t", "\n\na", "a\n \n b", "  \n", "\n  ", "a  b\t\tc \r d"] + [
        "".join(chosen.choice(characters) for _ in range(chosen.randint(1, 12))) for _ in range(400)]
    root = etree.Element("texts")
    for text in texts:
        etree.SubElement(root, "text").text = text
    sheet = processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=f"""
      <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tp="https://teipress.org/ns/xslt">
        <xsl:import href="{(XSLT_DIR / "html" / "text.xsl").as_uri()}"/>
        <xsl:template match="/"><collapsed><xsl:for-each select="texts/text"><text><xsl:value-of select="tp:collapse-space(string(.))"/></text></xsl:for-each></collapsed></xsl:template>
      </xsl:stylesheet>""")
    result = etree.fromstring(sheet.transform_to_string(xdm_node=to_xdm(root)).encode())
    assert [text.text or "" for text in result] == [collapsed_as_the_browser_shows_it(text) for text in texts]

# ---------------------------------------------------------------- alternates

def test_choice_shows_expansion_correction_regularisation_and_keeps_the_others(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "alternates.xml")
    paragraph = one(page, "//p[@id='choices']")
    readings = paragraph.xpath(".//span[@data-reading]")
    # The reading the edition follows has no class (issue 11: it would repeat on every expansion); the others are
    # .reading-secondary.
    assert [(r.get("data-reading"), r.get("class"), r.text_content()) for r in readings] == [
        ("abbr", "reading-secondary", "Gen."), ("expan", None, "General"),
        ("sic", "reading-secondary", "teh"), ("corr", None, "the"),
        ("orig", "reading-secondary", "olde"), ("reg", None, "old"),
        ("del", "reading-secondary", "struck"), ("add", None, "added"),
    ]


def test_app_follows_the_lemma_and_keeps_every_reading_with_its_witnesses(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "alternates.xml")
    first, second = one(page, "//p[@id='apparatus']").xpath(".//span[contains(@class, 'tei-app')]")
    assert [(r.get("data-reading"), r.get("data-wit"), r.get("class"), r.text_content()) for r in first.xpath("span")] == [
        ("rdg", "#B", "reading-secondary", "variant"), ("lem", "#A", None, "lemma"), ("rdg", "#C #D", "reading-secondary", "other")]
    # Without a lemma the first reading is the one shown.
    assert [r.get("class") for r in second.xpath("span")] == [None, "reading-secondary"]


# ---------------------------------------------------------------- notes

def test_a_note_callout_follows_its_word_without_the_space_before_it(stylesheets: Stylesheets) -> None:
    # "Locher <note/>," reads "Locher[1],"; a space between two words stays ("Locher <note/>hätte": "Locher [4]hätte").
    page = render(stylesheets, "note-marks.xml")
    paragraph = one(page, "//div[@class='reading-text']//p")
    pieces = [paragraph.text] + [piece for child in paragraph for piece in (f"<{child.text_content()}>", child.tail)]
    assert [piece for piece in pieces if piece] == ["Herr Locher", "<1>", ", then ", "<Escher>", "<2>", "<3>", " and Locher ", "<4>", "hätte."]
    # A note outside the text (a register entry's) has no callout: it is read in its place, after its space.
    assert one(page, "//li[@id='first-print']").text_content() == "Tübingen 1808 first printing."


def test_notes_are_numbered_and_linked_both_ways(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "notes.xml")
    callouts = page.xpath("//div[@class='reading-text']//a[@class='note-ref']")
    assert [(a.get("id"), a.get("href"), a.get("role"), a.text) for a in callouts] == [
        ("note-ref-1", "#note-1", "doc-noteref", "1"), ("note-ref-2", "#note-2", "doc-noteref", "2")]
    section = one(page, "//section[@class='notes']")
    assert section.get("aria-labelledby") == "notes-heading"
    assert one(section, "h2").get("id") == "notes-heading"
    items = section.xpath("ol/li")
    assert [li.get("id") for li in items] == ["note-1", "note-2", "note-3", "note-4"]
    for number, li in enumerate(items, start=1):
        back = one(li, ".//a[@role='doc-backlink']")
        assert back.get("href") == f"#note-ref-{number}"
        assert page.xpath(f"//*[@id='note-ref-{number}']"), f"note {number} links back to nothing"
    assert "An editorial note with emphasis." in items[0].text_content()


def test_note_text_appears_once_in_the_notes_section_only(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "notes.xml")
    assert "editorial note" not in reading(page).text_content()
    assert page.text_content().count("An editorial note") == 1
    assert page.text_content().count("A note inside a note.") == 1


def test_nested_note_gets_its_own_number_inside_its_parent_note(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "notes.xml")
    second = one(page, "//li[@id='note-2']")
    assert one(second, ".//a[@class='note-ref']").get("href") == "#note-3"
    assert len(second.xpath(".//p")) == 2


def test_note_inside_a_link_does_not_nest_links(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "notes.xml")
    assert not page.xpath("//a//a")
    assert one(page, "//a[@class='tei-ref']//*[@id='note-ref-4']").text == "4"


def test_no_notes_section_without_notes(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "renditions.xml")
    assert not page.xpath("//section")


# ---------------------------------------------------------------- links

@pytest.mark.parametrize("words", ["plain script", "mixed case script", "spaced script", "tabbed script", "data url", "vb script", "traversal", "absolute path"])
def test_hostile_link_targets_never_become_live_links(stylesheets: Stylesheets, words: str) -> None:
    page = render(stylesheets, "links.xml")
    element = one(page, f"//*[normalize-space(.) = '{words}']")
    assert element.tag == "span"
    assert classes(element) == {"tei-ref", "ref-removed"}
    assert element.get("title") == "Link removed: unsafe target"
    assert element.get("href") is None and not element.xpath("ancestor::a")


def test_no_link_or_image_anywhere_uses_a_script_or_data_url(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    urls = [u for u in page.xpath("//@href | //@src")]
    for url in urls:
        squeezed = "".join(url.split()).lower()
        assert not squeezed.startswith(("javascript:", "vbscript:", "data:", "/")), url
        assert "etc/passwd" not in squeezed


@pytest.mark.parametrize(("words", "href"), [
    ("web page", "https://example.org/page?a=1&b=2"),
    ("[Document 1]", "#document-1"),
    ("the marshal", "../registers/persons/tito.html"),
    ("this paragraph", "#links"),
    ("another document", "telegram-1967.html#p3"),
    ("register file", "../registers/persons/tito.html"),
])
def test_safe_links_go_where_the_edition_has_the_target(stylesheets: Stylesheets, registers, words: str, href: str) -> None:  # type: ignore[no-untyped-def]
    page = render(stylesheets, "links.xml", registers=registers)
    link = one(page, f"//a[normalize-space(.) = '{words}']")
    assert link.get("href") == href
    assert classes(link) == {"tei-ref"}  # a ref says its behaviour by its tei- class alone (tp:behaviour-class)


def test_site_root_parameter_prefixes_register_links(stylesheets: Stylesheets, registers) -> None:  # type: ignore[no-untyped-def]
    page = render(stylesheets, "links.xml", registers=registers, site_root="")
    assert one(page, "//a[normalize-space(.) = 'the marshal']").get("href") == "registers/persons/tito.html"


def test_ptr_shows_its_target_and_unsafe_ptr_is_not_live(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    # The target is the edition's words, not the source's: marked as such (span.ref-target).
    assert one(page, "//a[contains(@class, 'tei-ptr')]/span[@class='ref-target']").text == "https://example.org/ptr"
    assert one(page, "//span[contains(@class, 'tei-ptr')]/span[@class='ref-target']").text == "[link removed]"


def test_graphics_load_only_from_safe_urls_with_alt_text(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    image = one(page, "//img")
    assert (image.get("src"), image.get("alt")) == ("images/plate1.png", "The harbour of Rijeka")
    removed = page.xpath("//span[contains(@class, 'graphic-removed')]")
    assert [r.get("aria-label") for r in removed] == ["A hostile image", "Figure"]
    assert one(page, "//figure[.//img]/figcaption").text == "Plate 1"


def test_media_base_prefixes_relative_image_urls(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml", media_base="../media/")
    assert one(page, "//img").get("src") == "../media/images/plate1.png"


def test_page_breaks_are_visible_and_link_to_safe_facsimiles_only(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    breaks = page.xpath("//span[contains(@class, 'tei-pb')]")
    assert [(b.get("data-n"), b.text_content()) for b in breaks] == [
        ("2", "p. 2"), ("3", "p. 3"), (None, "page break"), ("4", "p. 4"), ("5", "p. 5")]
    assert not breaks[0].xpath(".//a")
    assert one(breaks[1], ".//a").get("href") == "https://example.org/p3.jpg"
    # A facsimile named by another archive's identifier is kept as data, not guessed into a link.
    assert not breaks[2].xpath(".//a") and breaks[2].get("data-facs") == "MS-00068-000-00003"
    # A pointer to a surface of the file's facsimile links to its image, when that image's URL is safe.
    assert one(breaks[3], ".//a").get("href") == "scans/page-4.jpg"
    assert not breaks[4].xpath(".//a")


def test_a_pointer_to_a_line_lands_on_its_line_break(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    paragraph = one(page, "//p[contains(., 'Line one')]")
    assert [(link.text_content(), link.get("href")) for link in paragraph.xpath(".//a")] == [
        ("to line two", "#line-2"), ("to the joined line", "#tei-note-7")]
    # Each link's target is the line's own break (an id like a generated one gets its prefix on both sides).
    assert [(element.tag, element.get("id")) for element in paragraph.xpath(".//br | .//*[contains(@class, 'tei-lb')]")] == [
        ("br", "line-2"), ("span", "tei-note-7")]


def test_empty_ref_to_an_identifier_outside_the_edition_shows_it_without_a_link(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    unresolved = one(page, "//span[contains(@class, 'ref-unresolved')]")
    assert (unresolved.text_content(), unresolved.get("data-target")) == ("1889-09-08", "1889-09-08")


# ---------------------------------------------------------------- entities and dates

def test_entities_carry_kind_and_register_id(stylesheets: Stylesheets, registers) -> None:  # type: ignore[no-untyped-def]
    page = render(stylesheets, "entities.xml", registers=registers)
    # An entity is [data-entity] (empty where it points to no id); its kind is its class entity-{kind}, which a
    # persName, placeName or orgName leaves to its tei- class (issue 11: the page says each thing once).
    entities = page.xpath("//span[@data-entity]")
    summary = [(e.text_content(), e.get("class").split(), e.get("data-entity")) for e in entities]
    assert summary == [
        ("Tito", ["tei-persName"], "tito"),
        ("Kim", ["tei-persName"], ""),
        ("Pyongyang", ["tei-placeName"], ""),
        ("NAM", ["tei-orgName"], "nam"),
        ("the marshal", ["tei-rs", "entity-person"], "tito"),
        ("the capital", ["tei-rs", "entity-place"], ""),
        ("a local", ["tei-persName"], "local"),
        ("both of them", ["tei-rs", "entity-org"], "nam tito"),
    ]


def test_each_entity_s_kind_is_the_one_site_js_reads_from_its_classes(stylesheets: Stylesheets, registers) -> None:  # type: ignore[no-untyped-def]
    """site.js knows a mark's kind by its class entity-{kind}, else by the tei- class the stylesheets' map names (written
    into the scripts' words file, assets/messages-{language}.js): one map, the stylesheets' own."""
    page = render(stylesheets, "entities.xml", registers=registers)
    script = stylesheets.transform("html/messages-script.xsl", etree.fromstring("<any/>"), language="en")
    kind_of_class = json.loads(re.search(r"^window\.teipressKindOfClass = (\{.*\});$", script, re.MULTILINE)[1])

    def kind(mark: lxml.html.HtmlElement) -> str:
        names = mark.get("class").split()
        own = [name.removeprefix("entity-") for name in names if name.startswith("entity-")]
        return own[0] if own else next(kind_of_class[name] for name in names if name in kind_of_class)

    assert [kind(mark) for mark in page.xpath("//span[@data-entity]")] == ["person", "person", "place", "org", "person", "place", "person", "org"]
    assert kind_of_class == {"tei-persName": "person", "tei-placeName": "place", "tei-orgName": "org"}


def test_marks_leave_their_focus_to_the_script(stylesheets: Stylesheets, registers) -> None:  # type: ignore[no-untyped-def]
    # The page repeats nothing a class or site.js already says (issue 11: every byte of a mark is paid hundreds
    # of times); site.js makes the marks focusable (tests/test_reading.py checks it in a browser).
    page = render(stylesheets, "entities.xml", registers=registers)
    assert page.xpath("//*[@tabindex or @data-kind]") == []


def test_entities_without_register_entry_say_what_is_known(stylesheets: Stylesheets, registers) -> None:  # type: ignore[no-untyped-def]
    page = render(stylesheets, "entities.xml", registers=registers)
    kim = one(page, "//span[normalize-space(.)='Kim']")  # a key with spaces is no id to look up
    assert kim.get("data-label") == kim.get("title") == "Kim · Kim Il Sung"
    place = one(page, "//span[@data-entity and @data-href]")
    assert place.get("data-href") == "https://www.geonames.org/1871859"
    assert one(page, "//span[@data-entity='tito' and normalize-space(.)='Tito']").get("data-label") is None


def test_dates_are_machine_readable_where_html_allows(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "entities.xml")
    dates = page.xpath("//*[@class = 'tei-date']")  # the date's class says it once
    assert [(d.tag, d.get("datetime"), d.get("data-iso"), d.text) for d in dates] == [
        ("time", "1975-11-04", None, "4 November"),
        ("time", None, "1975-11/1976-01", "that winter"),
        ("span", None, None, "undated"),
    ]


# ---------------------------------------------------------------- renditions

def test_hi_rend_values_map_to_elements_and_classes(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "renditions.xml")
    his = page.xpath("//*[contains(concat(' ', @class, ' '), ' tei-hi ')]")
    assert not page.xpath("//*[contains(concat(' ', @class, ' '), ' hi ')]")  # tei-hi says it once
    assert [(h.tag, sorted(c for c in classes(h) if c.startswith("rend-")), h.text) for h in his] == [
        ("i", ["rend-italic"], "slanted"),
        ("b", ["rend-bold"], "heavy"),
        ("u", ["rend-underline"], "lined"),
        ("sup", ["rend-superscript"], "raised"),
        ("span", ["rend-smallcaps"], "capitals"),
        ("s", ["rend-strikethrough"], "struck"),
        ("i", ["rend-italic"], "css italic"),
        ("span", ["rend-red", "rend-wavy"], "unknown rendition"),
        ("b", ["rend-bold"], "pointed"),
        ("span", [], "plain"),
        ("i", ["rend-italic", "rend-x"], "styled"),
    ]


def test_raw_style_is_never_copied_and_xml_lang_becomes_lang(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "renditions.xml")
    assert not page.xpath("//div[@class='reading-text']//@style")
    assert one(page, "//*[@lang='de']").text == "Weltanschauung"
    assert one(page, "//em").text == "stressed"


# ---------------------------------------------------------------- structure

def test_heading_levels_follow_division_depth(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    assert [(h.tag, h.text) for h in page.xpath("//div[@class='reading-text']//*[self::h2 or self::h3 or self::h4]")] == [
        ("h2", "The letter"), ("h2", "Part one"), ("h3", "Section")]


def test_line_breaks_and_other_breaks(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    paragraph = one(page, "//p[contains(., 'Line one')]")
    assert len(paragraph.xpath(".//br")) == 1  # lb break="no" joins "hyphen|ated" without a break
    joined = one(paragraph, ".//span[@class='tei-lb']")  # a br is a break; a span.tei-lb none
    assert (joined.getprevious().tail if joined.getprevious() is not None else paragraph.text).endswith("hyphen")
    assert joined.text is None and joined.tail.startswith("ated,")
    assert one(paragraph, ".//span[contains(@class, 'tei-cb')]").get("data-n") == "2"
    milestone = one(paragraph, ".//span[contains(@class, 'tei-milestone')]")
    assert (milestone.get("data-unit"), milestone.get("data-n")) == ("section", "3")
    gap = one(paragraph, ".//span[contains(@class, 'gap')]")
    assert (gap.text, gap.get("title")) == ("[…]", "Gap: illegible: 2 words")


def test_lists_ordered_bulleted_and_gloss(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    ordered = one(page, "//ol")
    assert [li.text for li in ordered.xpath("li")] == ["first", "second"]
    assert one(page, "//div[contains(@class, 'list-container')]/div[contains(@class, 'heading')]").text == "Points"
    bulleted = one(page, "//ul[li[.='bullet']]")
    assert [(li.text, "list-other" in classes(li)) for li in bulleted.xpath("li")] == [("bullet", False), ("stray words", True), ("another", False)]
    gloss = one(page, "//dl")
    assert [(child.tag, child.text) for child in gloss] == [("dt", "term"), ("dd", "meaning")]


def test_table_with_caption_header_cells_and_spans(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    table = one(page, "//table")
    assert table.xpath("string(caption)") == "Figures"
    assert [(th.text, th.get("scope")) for th in table.xpath(".//th")] == [("Year", "col"), ("Tons", "col")]
    cell = one(table, ".//td")
    assert (cell.text, cell.get("colspan"), cell.get("rowspan")) == ("1976: 300", "2", None)


def test_verse_quotations_and_blocks_inside_paragraphs(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    assert [(l.text, l.get("data-n")) for l in page.xpath("//div[contains(@class, 'tei-lg')]/div")] == [("verse one", "1"), ("verse two", "2")]
    inline = one(page, "//span[.='inline words']")
    assert classes(inline) == {"tei-q"}  # not <q>: its generated quotation marks would double the source's
    assert not page.xpath("//q")
    assert one(page, "//blockquote/p").text == "Block quotation."
    # A list and a block quotation inside a <p> stay inside it as block spans (no <ul>/<div> in a <p>).
    paragraph = one(page, "//p[contains(., 'She said')]")
    assert not paragraph.xpath(".//div | .//ul | .//p | .//blockquote")
    assert {"quote-block", "block"} <= classes(one(paragraph, ".//span[contains(@class, 'tei-q') and .//span[contains(@class, 'tei-p')]]"))
    assert {"tei-list", "block"} <= classes(one(paragraph, ".//span[contains(@class, 'tei-list')]"))


def test_passages_have_anchor_ids_and_unknown_elements_keep_their_words(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "structure.xml")
    ids = page.xpath("//div[@class='reading-text']//@id")
    assert len(ids) == len(set(ids))
    assert all(p.get("id") for p in page.xpath("//div[@class='reading-text']//p"))
    assert one(page, "//span[contains(@class, 'tei-unknownElement')]").text == "kept words"
    assert [d.text for d in page.xpath("//div[contains(@class, 'tei-closer')]/div")] == ["Yours", "Tito"]


def test_passage_anchor_is_the_xml_id_where_there_is_one(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    assert one(page, "//*[@id='links']").tag == "p"
    assert not page.xpath("//*[@id='p1']")  # the passage is not numbered as well


# ---------------------------------------------------------------- files: corpora, nested texts, XInclude

def test_tei_corpus_renders_every_member_and_no_header(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "corpus.xml")
    members = page.xpath("//article[contains(@class, 'corpus-member')]")
    assert [m.xpath("string(p[@class='corpus-member-title'])") for m in members] == ["Member one", "Member two"]
    assert "First member text" in members[0].text_content() and "Second member text" in members[1].text_content()
    assert "Header words never shown" not in page.text_content()
    assert [li.text_content().split(" ↩")[0].strip() for li in page.xpath("//section[@class='notes']/ol/li")] == [
        "Note of member one.", "Note of member two."]


def test_nested_text_without_group_and_groups_render_whole(stylesheets: Stylesheets) -> None:
    paragraphs = [p.text for p in reading(render(stylesheets, "nested-text.xml")).xpath(".//p")]
    assert paragraphs == ["Front matter words.", "Outer words.", "Inner text without a group.", "Grouped text one.",
                          "Deeply grouped text.", "Back matter words."]


def test_xincluded_content_renders_in_place(stylesheets: Stylesheets) -> None:
    text = " ".join(reading(render(stylesheets, "xinclude/main.xml")).text_content().split())
    assert text == "Before the inclusion. Included words from another file. After the inclusion."


def test_metadata_outside_text_renders_nothing(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "entities.xml")
    assert "Local Person" not in reading(page).text_content()  # the standOff register entry ...
    # ... is the document's own register, after the text (tests/test_foreign.py)
    assert [p.text_content() for p in page.xpath("//section[@class='document-register']//p[@class='entry-name']")] == ["Local Person"]
    assert "Written for the tests" not in page.text_content()  # the teiHeader


def test_ids_that_look_generated_are_renamed_and_links_follow(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "links.xml")
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for words in ("to the passage", "to the segment"):
        href = one(page, f"//a[normalize-space(.) = '{words}']").get("href")
        target = one(page, f"//*[@id='{href[1:]}']")
        assert target.text_content().startswith("A passage" if words == "to the passage" else "a segment")
    assert one(page, "//*[@id='tei-note-1']").text == "a segment"


def test_phrases_standing_alone_in_a_container_each_take_a_line(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "back-matter.xml")
    segments = page.xpath("//div[contains(@class, 'tei-opener')]//span[contains(@class, 'tei-seg')]")
    assert [("line" in classes(s), s.text_content()) for s in segments] == [
        (True, "Harbour Office"), (True, "Records.Northtown, 4 March 1950"), (True, "Records."), (True, "Northtown, 4 March 1950")]
    # Inside running text (the date beside "Northtown,") nothing is put on a line of its own.
    assert "line" not in classes(one(page, "//time[@datetime='1950-03-04']"))
    assert one(page, "//span[contains(@class, 'tei-space')]").text == " "


def test_register_lists_in_the_back_render_as_the_documents_register(stylesheets: Stylesheets) -> None:
    page = render(stylesheets, "back-matter.xml")
    assert "Alma" not in reading(page).text_content()
    person = one(page, "//section[@class='document-register']//li[contains(@class, 'register-entry')][@id='alma']")
    assert [" ".join(c.text_content().split()) for c in person] == ["Alma Sender", "Born: 1901", "Occupation: Harbour clerk"]
    assert [h.text_content() for h in page.xpath("//section[@class='document-register']//h3")] == ["Persons", "Works"]
    bibl = one(page, "//section[@class='document-register']//li[contains(@class, 'entry-bibl')]")
    assert " ".join(bibl.text_content().split()) == "Alma Sender, Harbour Notes, 1949."  # a citation runs as one sentence


# ---------------------------------------------------------------- search index

def test_a_heading_keeps_its_other_readings_and_note_numbers_out_of_the_index(stylesheets: Stylesheets) -> None:
    # Pagefind's --exclude-selectors (search.py) leave .reading-secondary and .note-ref out of the indexed words but
    # not out of the text it keeps of a heading, which titles a result's part: there the attribute says it again,
    # and only there (issue 11: in the text it would repeat on every abbreviation).
    page = render(stylesheets, "heading-readings.xml")
    marked = [(e.getparent().tag if e.get("class") == "note-ref" else e.getparent().getparent().tag, e.get("class"), e.text_content())
              for e in page.xpath("//*[@class='reading-secondary' or @class='note-ref']")]
    assert marked == [("h2", "reading-secondary", "Sept."), ("h2", "note-ref", "1"), ("p", "reading-secondary", "Cttee."), ("p", "note-ref", "2")]
    assert [e.text_content() for e in page.xpath("//*[@data-pagefind-ignore]")] == ["Sept.", "1"]
    assert page.xpath("//*[@data-pagefind-ignore != 'all']") == []
