"""Register pages that scale: a page per entry with its mentions in context, index pages split by
initial, popover data per entry, each page a unit of its own that a rebuild renders only when its
part of the facts changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from teipress import aggregates

from conftest import REPO
from test_build import LETTER, TELEGRAM, broken_links, build, copy_fixture, parse, visible_text

# Ids another project may use: capitals (two differing only in case), a dot, a letter beyond ASCII,
# a Windows device name, and one longer than a file name may be.
LONG_ID = "x" * 120 + "Y" * 40
TRICKY_IDS = {"Tito": "_tito", "tito": "tito", "a.b": "a.2e.b", "Zoë": "_zo.eb.", "con": "~con",
              LONG_ID: "x" * 120 + "_y" * 10 + "~" + format(sum(ord(c) * 31 ** (len(LONG_ID) - 1 - i) for i, c in enumerate(LONG_ID)) % 2**32, "x")}

KWIC = "kwic-1950-06-01"
KWIC_TEXT = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{KWIC}">
  <teiHeader><fileDesc><titleStmt><title type="main">Context test, 1 June 1950</title></titleStmt>
    <publicationStmt><p>Invented for tests.</p></publicationStmt><sourceDesc><p>Invented.</p></sourceDesc></fileDesc>
    <profileDesc><creation><date when="1950-06-01"/></creation></profileDesc></teiHeader>
  <text><body>
    <p>Before the <choice><abbr>Dr.</abbr><expan>Doctor</expan></choice> met <persName ref="#bruno-receiver">Bruno</persName><note>a note is never context</note> in <placeName ref="#southport">Southport</placeName> yesterday one two three four five six seven.</p>
    <p>{" ".join(f'<persName ref="#{id_}">N{n}</persName>' for n, id_ in enumerate(TRICKY_IDS))}</p>
  </body></text>
</TEI>
"""


def tricky_edition(root: Path) -> Path:
    """The site fixture with persons of awkward ids and a document that names them all."""
    source = copy_fixture(root)
    persons = source / "registers" / "persons.xml"
    entries = "".join(f'<person xml:id="{id_}"><persName type="standard">Person {id_}</persName></person>' for id_ in TRICKY_IDS)
    persons.write_text(persons.read_text(encoding="utf-8").replace("</listPerson>", entries + "</listPerson>"), encoding="utf-8")
    places = source / "registers" / "places.xml"
    places.write_text(places.read_text(encoding="utf-8").replace(
        '<note type="description">A town in the north.</note>', '<note type="description">A town in the north.</note><location><geo>53.48 -2.245</geo></location>'), encoding="utf-8")
    (source / f"{KWIC}.xml").write_text(KWIC_TEXT, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("registers")
    build(tricky_edition(root), root / "out")
    return root / "out" / "html"


def contexts(page: Path) -> list[str]:
    return [item.text_content() for item in parse(page).xpath("//li[@class='mention-context']")]


def test_each_mention_shows_the_words_around_it_in_the_reading_text(site: Path) -> None:
    bruno = site / "registers" / "persons" / "bruno-receiver.html"
    # the expansion, not the abbreviation; the note is not part of the running text
    assert f"../../documents/{KWIC}.html#p1" in parse(bruno).xpath("//a[@class='mention']/@href")
    assert "Before the Doctor met Bruno in Southport yesterday one two three …" in contexts(bruno)
    assert contexts(site / "registers" / "places" / "southport.html")[-1] == "Before the Doctor met Bruno in Southport yesterday one two three four five …"


def test_mentions_are_grouped_by_document_in_reading_order(site: Path) -> None:
    alma = parse(site / "registers" / "persons" / "alma-sender.html")
    groups = alma.xpath("//ol[@class='mention-documents']/li")
    assert [group.xpath("string(h3/a/@href)") for group in groups] == [f"../../documents/{LETTER}.html", f"../../documents/{TELEGRAM}.html"]
    assert [[" ".join(c.text_content().split()) for c in group.xpath(".//li[@class='mention-context']")] for group in groups][1] == [
        "ARRIVING TENTH STOP ALMA PLEASE BRING ZEPHYRANTHES STOP"]
    assert alma.xpath("string(//h2[@id='mentions-heading'])") == "Mentioned in 2 documents"


def test_entry_files_are_safe_and_unique_whatever_the_id(site: Path) -> None:
    names = {path.stem for path in (site / "registers" / "persons").glob("*.html")}
    assert set(TRICKY_IDS.values()) <= names
    for id_, name in TRICKY_IDS.items():
        assert parse(site / "registers" / "persons" / f"{name}.html").xpath("string(//h1)") == f"Person {id_}"
        data = json.loads((site / "assets" / "entries" / f"{name}.js").read_text(encoding="utf-8").removeprefix("window.teipressEntry(").removesuffix(");\n"))
        assert (data["id"], data["href"]) == (id_, f"registers/persons/{name}.html")
    assert broken_links(site) == []


def test_the_index_lists_every_entry_with_its_count_of_documents(site: Path) -> None:
    persons = parse(site / "registers" / "persons.html")
    rows = {row.get("id"): (row.xpath("string(a[@class='entry-name']/@href)"), row.xpath("string(span[@class='entry-count'])")) for row in persons.xpath("//li[contains(@class, 'entry')]")}
    assert rows["alma-sender"] == ("../registers/persons/alma-sender.html", "2 documents")
    assert rows["bruno-receiver"] == ("../registers/persons/bruno-receiver.html", "3 documents")
    assert rows["ada-editor"] == ("../registers/persons/ada-editor.html", "Not named in the documents")
    assert len(rows) == 3 + len(TRICKY_IDS)


def test_a_place_with_coordinates_shows_them_as_text_and_as_map_data(site: Path) -> None:
    northtown = parse(site / "registers" / "places" / "northtown.html")
    box = northtown.xpath("//div[@class='tp-map']")
    assert len(box) == 1
    assert json.loads(box[0].get("data-places")) == [{"id": "northtown", "name": "Northtown", "lat": 53.48, "lon": -2.245, "href": "../../registers/places/northtown.html"}]
    assert " ".join(box[0].text_content().split()) == "Coordinates: 53.48° N, 2.245° W"
    assert not parse(site / "registers" / "places" / "southport.html").xpath("//div[@class='tp-map']")


def test_a_long_register_is_split_by_initial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "SPLIT_AT", 2)
    build(copy_fixture(tmp_path), tmp_path / "out")
    registers = tmp_path / "out" / "html" / "registers"
    # Ada Editor, Bruno Receiver, Alma Sender (sort key "sender-alma")
    pages = {"persons.html": ["ada-editor"], "persons-b.html": ["bruno-receiver"], "persons-s.html": ["alma-sender"]}
    for name, ids in pages.items():
        page = parse(registers / name)
        assert page.xpath("//li[contains(@class, 'entry')]/@id") == ids
        assert page.xpath("//nav[@class='initials']//a/@href") == list(pages)
        assert page.xpath("//nav[@class='initials']//a[@aria-current='page']/@href") == [name]
        assert page.xpath("string(//p[@class='register-count'])").startswith("3 persons")
    # two places only: one page, with no bar
    assert sorted(path.name for path in registers.glob("places*.html")) == ["places.html"]
    assert broken_links(tmp_path / "out" / "html") == []
    # back to one page: the letter pages go
    monkeypatch.setattr(aggregates, "SPLIT_AT", 400)
    build(tmp_path / "tei", tmp_path / "out")
    assert sorted(path.name for path in registers.glob("persons*.html")) == ["persons.html"]


def test_an_entry_named_in_many_documents_gets_several_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "DOCUMENTS_PER_PAGE", 1)
    build(copy_fixture(tmp_path), tmp_path / "out")
    persons = tmp_path / "out" / "html" / "registers" / "persons"
    assert sorted(path.name for path in persons.glob("alma-sender*")) == ["alma-sender.html", "alma-sender~p2.html"]
    for name, document in (("alma-sender.html", LETTER), ("alma-sender~p2.html", TELEGRAM)):
        page = parse(persons / name)
        assert page.xpath("//h3/a/@href") == [f"../../documents/{document}.html"]
        assert page.xpath("string(//h2[@id='mentions-heading'])") == "Mentioned in 2 documents"  # all of its documents
        bars = page.xpath("//nav[@class='entry-pages']")
        assert len(bars) == 2 and [bar.xpath(".//a/@href") for bar in bars] == [["alma-sender.html", "alma-sender~p2.html"]] * 2
        assert bars[0].xpath(".//a[@aria-current='page']/@href") == [name]
        assert bars[0].xpath(".//a/text()") == ["1–1", "2–2"]
    assert broken_links(tmp_path / "out" / "html") == []


def test_a_name_beginning_with_a_line_separator_is_listed_under_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # U+0085 and U+2028 end a line for Python's str.splitlines, not for the register plan
    monkeypatch.setattr(aggregates, "SPLIT_AT", 2)
    source = copy_fixture(tmp_path)
    persons = source / "registers" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace('<persName type="standard">Ada Editor', '<persName type="standard">&#x85;&#x2028;Ada Editor'), encoding="utf-8")
    build(source, tmp_path / "out")
    registers = tmp_path / "out" / "html" / "registers"
    first = parse(registers / "persons.html")
    assert first.xpath("//nav[@class='initials']//a/text()") == ["B", "S", "#"]  # the collation puts it last
    assert first.xpath("//nav[@class='initials']//a/@href")[2] == "persons-.23..html"
    assert parse(registers / "persons-.23..html").xpath("//li[contains(@class, 'entry')]/@id") == ["ada-editor"]
    assert parse(registers / "persons" / "ada-editor.html").xpath("string(//h1)") == "\u0085\u2028Ada Editor"


def test_a_rebuild_renders_only_the_entries_the_changed_letter_names(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    telegram = source / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace("PLEASE BRING ZEPHYRANTHES", 'PLEASE BRING ZEPHYRANTHES TO <placeName ref="#southport">PORT</placeName>'), encoding="utf-8")
    result = build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    written = sorted(p.relative_to(site).as_posix() for p in result.pages_written if p.relative_to(site).parts[0] in ("registers", "assets"))
    # Southport's page (a new mention) and Alma's (the words after her name); no index page: the
    # telegram was sent from Southport, so its count of documents stays; no popover data
    assert written == ["registers/persons/alma-sender.html", "registers/places/southport.html"]
    assert contexts(site / "registers" / "places" / "southport.html")[-1] == "… STOP ALMA PLEASE BRING ZEPHYRANTHES TO PORT STOP"


def test_an_entry_that_is_gone_takes_its_page_and_data_along(tmp_path: Path) -> None:
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    assert (site / "registers" / "persons" / "ada-editor.html").is_file() and (site / "assets" / "entries" / "ada-editor.js").is_file()
    persons = source / "registers" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    start, end = text.index('<person xml:id="ada-editor">'), text.index("</person>", text.index('<person xml:id="ada-editor">')) + len("</person>")
    persons.write_text(text[:start] + text[end:], encoding="utf-8")
    build(source, tmp_path / "out")
    assert not (site / "registers" / "persons" / "ada-editor.html").exists()
    assert not (site / "assets" / "entries" / "ada-editor.js").exists()
    assert (site / "registers" / "persons" / "alma-sender.html").is_file()


def test_every_word_of_every_register_entry_reaches_its_page(tmp_path: Path) -> None:
    """Nothing lost: each entry of the seed edition's registers, every text node of it, on its own page."""
    source = tmp_path / "tei"
    shutil.copytree(REPO / "tei", source)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    checked = 0
    for register, page in (("persons", "persons"), ("places", "places"), ("organizations", "organizations"), ("bibliography", "bibliography")):
        index = parse(site / "registers" / f"{page}.html")
        for entry in etree.parse(str(source / "registers" / f"{register}.xml")).getroot().iterfind(".//{*}text//*[@{http://www.w3.org/XML/1998/namespace}id]"):
            if etree.QName(entry).localname not in ("person", "personGrp", "place", "org", "bibl", "biblStruct"):
                continue
            entry_id = entry.get("{http://www.w3.org/XML/1998/namespace}id")
            [href] = index.xpath(f"//li[@id='{entry_id}']/a[@class='entry-name']/@href")
            text = visible_text((site / "registers" / href).resolve())
            # a cited document's <resp>addressee</resp> is said by the arrow sender → addressee
            words = [" ".join(node.split()) for node in entry.xpath(".//text()[not(parent::*[local-name() = 'resp'][normalize-space() = 'addressee'])]") if node.strip()]
            assert [word for word in words if word not in text] == [], entry_id
            checked += 1
    assert checked > 40


@pytest.mark.browser
def test_popovers_load_each_entry_from_its_own_file(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    # from file://, as the README promises; the script computes the same file names as the stylesheets
    tab = browser.new_page()
    tab.goto((site / "documents" / f"{KWIC}.html").as_uri())
    for number, id_ in enumerate(TRICKY_IDS):
        tab.locator(f".reading-text [data-entity]:text-is('N{number}')").click()
        popover = tab.locator("#tp-popover")
        popover.wait_for(state="visible")
        assert tab.locator("#tp-popover .popover-name").inner_text() == f"Person {id_}"
        tab.keyboard.press("Escape")
    tab.close()


def test_each_page_is_rendered_from_its_own_entries_as_from_all_the_registers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A register page gets only the entries it shows and those they point to (Saxon indexes whatever it is
    handed, for every page): the pages must be byte for byte those made with every register at hand."""
    source = tricky_edition(tmp_path)
    persons = source / "registers" / "persons.xml"
    # An entry that names a place and another person in its own data: the subset must follow its pointers.
    related = ('<person xml:id="related-person"><persName type="standard">Rel Ated</persName>'
               '<birth><date when="1900"/> in <placeName ref="#southport">Southport</placeName></birth>'
               '<note>Friend of <persName ref="#tito">Tito</persName>.</note></person>')
    persons.write_text(persons.read_text(encoding="utf-8").replace("</listPerson>", related + "</listPerson>"), encoding="utf-8")
    kwic = source / f"{KWIC}.xml"
    kwic.write_text(kwic.read_text(encoding="utf-8").replace("</body>", '<p>And <persName ref="#related-person">Rel</persName>.</p></body>'), encoding="utf-8")
    build(source, tmp_path / "subsets")

    class EveryRegister:
        def subset_of(self, ids, *, depth=3):  # type: ignore[no-untyped-def]
            return b""  # render_unit's word for "all the registers"

    units = aggregates._units
    monkeypatch.setattr(aggregates, "_units", lambda plan, mentions, _registers, *args: units(plan, mentions, EveryRegister(), *args))
    build(source, tmp_path / "whole")

    def pages(site: Path) -> dict[str, bytes]:
        return {path.relative_to(site).as_posix(): path.read_bytes()
                for folder in ("registers", "assets/entries") for path in sorted((site / folder).rglob("*")) if path.is_file()}

    made, expected = pages(tmp_path / "subsets" / "html"), pages(tmp_path / "whole" / "html")
    assert "registers/persons/related-person.html" in made
    assert sorted(made) == sorted(expected)
    assert [name for name in made if made[name] != expected[name]] == []
