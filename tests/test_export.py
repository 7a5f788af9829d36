"""export tei / cmif / dc / csv / json on the exchange fixture edition (and on tei/ when it is there)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from copy import deepcopy
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teipress.cli import cli
from teipress.config import load_config
from teipress.errors import ConfigError, InputError, OutputExistsError
from teipress.export import CORPUS_FILE, export_edition, rename_ids
from teipress.saxon import Stylesheets
from teipress.xmlio import NS, TEI_NS, XML_ID

from conftest import FIXTURES, REPO, shared_path, skip_missing

EDITION = FIXTURES / "exchange" / "edition"
TELEGRAM = "telegram-1967-05-01-pyongyang"
ESSAY = "essay-tito-kim-correspondence"


@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    return Stylesheets()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, stylesheets) -> dict[str, Path]:
    """Every format exported once from the fixture edition."""
    out = tmp_path_factory.mktemp("export")
    config = load_config(EDITION)
    return {fmt: export_edition(config, fmt, out / fmt, stylesheets=stylesheets).output for fmt in ("tei", "cmif", "dc", "csv", "json")}


def local_pointers(root: etree._Element) -> set[str]:
    return {token[1:] for element in root.iter() if isinstance(element.tag, str)
            for name, value in element.attrib.items() if name != XML_ID
            for token in value.split() if token.startswith("#")}


def test_tei_export_is_self_contained(exported):
    root = etree.parse(str(exported["tei"] / f"{ESSAY}.xml")).getroot()
    ids = set(root.xpath("//@xml:id"))
    assert local_pointers(root) <= ids
    # The cited letter came with it, and so did the persons the letter points to.
    assert root.xpath("tei:standOff/tei:listBibl/tei:bibl/@xml:id", namespaces=NS) == ["document-1", "document-5", "document-6"]
    assert {"kim-il-sung", "tito", "martin-coles"} <= set(root.xpath("tei:standOff/tei:listPerson/tei:person/@xml:id", namespaces=NS))
    assert "lima" not in ids


def test_tei_export_brings_the_entries_its_entries_point_to(tmp_path, stylesheets):
    """A chain telegram -> person -> organisation -> place: every link of it is copied, not only the first."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    registers = edition / "tei" / "registers"
    for name, before, entry in (
        ("persons.xml", '<person xml:id="kim-il-sung"', '<person xml:id="chain-person"><persName>Invented Chain Person</persName>'
                                                        '<affiliation><orgName ref="#chain-org">Invented Chain Society</orgName></affiliation></person>\n        '),
        ("organizations.xml", '<org xml:id="kwp"', '<org xml:id="chain-org"><orgName>Invented Chain Society</orgName>'
                                                   '<location><placeName ref="#chain-place">Invented Chain Town</placeName></location></org>\n        '),
    ):
        path = registers / name
        path.write_text(path.read_text(encoding="utf-8").replace(before, entry + before, 1), encoding="utf-8")
    places = registers / "places.xml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("<place ", '<place xml:id="chain-place"><placeName>Invented Chain Town</placeName></place>\n        <place ', 1), encoding="utf-8")
    telegram = edition / "tei" / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace(
        "<p>In response", '<p>Greetings to <persName ref="#chain-person">the chain person</persName>.</p>\n      <p>In response', 1), encoding="utf-8")
    out = export_edition(load_config(edition), "tei", tmp_path / "out", stylesheets=stylesheets).output
    root = etree.parse(str(out / f"{TELEGRAM}.xml")).getroot()
    ids = set(root.xpath("//@xml:id"))
    assert {"chain-person", "chain-org", "chain-place"} <= ids
    assert local_pointers(root) <= ids


def test_tei_export_keeps_the_text_unchanged(exported):
    original = etree.parse(str(EDITION / "tei" / f"{TELEGRAM}.xml")).getroot()
    copy = etree.parse(str(exported["tei"] / f"{TELEGRAM}.xml")).getroot()
    text = lambda root: etree.canonicalize(etree.tostring(root.find("tei:text", NS), encoding="unicode"))  # noqa: E731
    assert text(copy) == text(original)


def test_tei_export_names_tei_all_and_drops_our_schema(exported):
    data = (exported["tei"] / f"{TELEGRAM}.xml").read_text(encoding="utf-8")
    assert 'href="https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"' in data
    assert "teipress.rng" not in data
    assert "https://teipress.org/ns/registers" not in data


def test_tei_export_makes_edition_links_absolute(tmp_path, stylesheets):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    path = edition / "tei" / f"{TELEGRAM}.xml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<p>In response", f'<p><ref target="{ESSAY}.xml#p2">see the essay</ref> <ref target="#{ESSAY}">essay</ref> <graphic url="images/scan.png"/> <ref target="javascript:alert(1)">x</ref> In response'), encoding="utf-8")
    out = export_edition(load_config(edition), "tei", tmp_path / "out", stylesheets=stylesheets).output
    root = etree.parse(str(out / f"{TELEGRAM}.xml")).getroot()
    assert root.xpath("//tei:ref/@target", namespaces=NS)[:3] == [
        f"https://edition.example.org/documents/{ESSAY}.html#p2",
        f"https://edition.example.org/documents/{ESSAY}.html",
        "javascript:alert(1)",  # kept as data, never made a link
    ]
    assert root.xpath("//tei:graphic/@url", namespaces=NS) == ["https://edition.example.org/images/scan.png"]


def test_tei_export_keeps_comments_around_the_root(tmp_path, stylesheets):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    path = edition / "tei" / f"{TELEGRAM}.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("<TEI ", "<!-- Transcribed from the scan of 1967. -->\n<TEI ", 1) + "<!-- end -->\n", encoding="utf-8")
    out = export_edition(load_config(edition), "tei", tmp_path / "out", stylesheets=stylesheets).output
    data = (out / f"{TELEGRAM}.xml").read_text(encoding="utf-8")
    assert "<!-- Transcribed from the scan of 1967. -->\n<TEI " in data
    assert data.rstrip().endswith("</TEI>\n<!-- end -->")


def test_tei_export_is_valid_tei_all(exported, tei_all_schema):
    for path in sorted(exported["tei"].glob("*.xml")):
        assert tei_all_schema.validate(etree.parse(str(path))), f"{path.name}: {tei_all_schema.error_log}"


def test_corpus_holds_every_document_and_one_standoff(exported):
    corpus = etree.parse(str(exported["tei"] / CORPUS_FILE)).getroot()
    assert corpus.tag == f"{{{TEI_NS}}}teiCorpus"
    assert corpus.xpath("tei:TEI/@xml:id", namespaces=NS) == ["edition", ESSAY, TELEGRAM]
    assert corpus.xpath("string(tei:TEI[1]/tei:text)", namespaces=NS).strip() == "A small edition for the tests of export and import."
    ids = corpus.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    assert local_pointers(corpus) <= set(ids)
    assert corpus.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS).text == "Exchange Test Edition"


def test_cmif_lists_documents_and_cited_letters(exported):
    root = etree.parse(str(exported["cmif"] / "cmif.xml")).getroot()
    descs = root.findall(".//tei:profileDesc/tei:correspDesc", NS)
    assert [d.get("ref") for d in descs] == [
        f"https://edition.example.org/documents/{TELEGRAM}.html",
        "https://edition.example.org/registers/bibliography/document-1.html",
        "https://edition.example.org/registers/bibliography/document-5.html",
        "https://edition.example.org/registers/bibliography/document-6.html",
    ]
    telegram = descs[0]
    assert telegram.xpath("tei:correspAction[@type='sent']/tei:persName/@ref", namespaces=NS) == ["https://edition.example.org/registers/persons/popa.html"]
    assert telegram.xpath("tei:correspAction[@type='sent']/tei:date/@when", namespaces=NS) == ["1967-05-01"]
    letter_6 = descs[3]
    assert letter_6.xpath("tei:correspAction[@type='sent']/tei:persName/text()", namespaces=NS) == ["Josip Broz Tito"]
    assert letter_6.xpath("tei:correspAction[@type='received']/tei:persName/text()", namespaces=NS) == ["Kim Il Sung"]
    assert letter_6.xpath("tei:correspAction/tei:date/@when", namespaces=NS) == ["1976-11"]


def test_cmif_prefers_authority_uris(tmp_path, stylesheets):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    persons = edition / "tei" / "registers" / "persons.xml"
    # A made-up authority URI (example.org): the test checks the mechanism, not a fact.
    persons.write_text(persons.read_text(encoding="utf-8").replace(
        '<note type="description">Romanian Ambassador', '<idno type="gnd">https://authority.example.org/gnd/popa</idno>\n          <note type="description">Romanian Ambassador'), encoding="utf-8")
    out = export_edition(load_config(edition), "cmif", tmp_path / "out", stylesheets=stylesheets).output
    root = etree.parse(str(out / "cmif.xml")).getroot()
    assert root.xpath("//tei:correspAction[@type='sent']/tei:persName[. = 'Dumitru Popa']/@ref", namespaces=NS) == ["https://authority.example.org/gnd/popa"]


def assert_valid_cmif(document: etree._ElementTree) -> None:
    """Valid against the CMIF RELAX NG schema and its Schematron error rules."""
    rng = etree.RelaxNG(etree.parse(str(shared_path("schemas", "cmif", "cmi-customization.rng"))))
    assert rng.validate(document), str(rng.error_log)
    # cmif.sch declares queryBinding xslt2, which lxml cannot run; its error rules are XPath 1.0, so run
    # those (the UUID recommendation uses matches() and is checked by hand below).
    from lxml.isoschematron import Schematron

    sch = etree.parse(str(shared_path("schemas", "cmif", "cmif.sch")))
    sch.getroot().set("queryBinding", "xslt")
    for pattern in sch.getroot().findall("{http://purl.oclc.org/dsdl/schematron}pattern[@id='uuid']"):
        sch.getroot().remove(pattern)
    schematron = Schematron(sch)
    assert schematron.validate(document), str(schematron.error_log)


def test_cmif_is_valid_against_the_cmif_schema_and_rules(exported):
    document = etree.parse(str(exported["cmif"] / "cmif.xml"))
    assert_valid_cmif(document)
    source_id = document.getroot().find(".//tei:sourceDesc/tei:bibl", NS).get(XML_ID)

    assert re.search("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", source_id)


def test_cited_letters_with_one_party_unknown_give_valid_cmif(tmp_path, stylesheets):
    """A cited letter whose source names no addressee (or no sender): CMIF still gets both actions, the unknown side "Unknown" (CMIF's convention)."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    bibliography = edition / "tei" / "registers" / "bibliography.xml"
    bibliography.write_text(bibliography.read_text(encoding="utf-8").replace("      </listBibl>", """
        <bibl xml:id="document-8" type="letter" n="8">
          <title>Invented letter to an unnamed addressee</title>
          <author><persName ref="#tito">Josip Broz Tito</persName></author>
          <date when="1976-12-01"/>
        </bibl>
        <bibl xml:id="document-9" type="letter" n="9">
          <title>Invented letter from an unnamed sender</title>
          <respStmt><resp>addressee</resp><persName ref="#tito">Josip Broz Tito</persName></respStmt>
          <date when="1976-12-02"/>
        </bibl>
      </listBibl>"""), encoding="utf-8")
    out = export_edition(load_config(edition), "cmif", tmp_path / "out", stylesheets=stylesheets).output
    document = etree.parse(str(out / "cmif.xml"))
    assert_valid_cmif(document)
    for letter, known, unknown in (("document-8", "sent", "received"), ("document-9", "received", "sent")):
        desc = document.xpath(f"//tei:correspDesc[@ref = 'https://edition.example.org/registers/bibliography/{letter}.html']", namespaces=NS)[0]
        assert desc.xpath(f"tei:correspAction[@type = '{known}']/tei:persName/text()", namespaces=NS) == ["Josip Broz Tito"]
        assert desc.xpath(f"tei:correspAction[@type = '{unknown}']/tei:persName/text()", namespaces=NS) == ["Unknown"]  # no invented name


def test_cmif_needs_a_base_url(tmp_path):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    (edition / "teipress.toml").unlink()
    with pytest.raises(ConfigError, match="export cmif needs the edition's public address"):
        export_edition(load_config(edition), "cmif", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_dc_records_and_oai_repository(exported):
    dc = etree.parse(str(exported["dc"] / "oai_dc" / f"{TELEGRAM}.xml")).getroot()
    values = lambda name: [e.text for e in dc.iterfind(f"{{http://purl.org/dc/elements/1.1/}}{name}")]  # noqa: E731
    assert values("title") == ["Telegram from Pyongyang to Bucharest, No. 76.153, TOP SECRET, May 1, 1967"]
    assert values("creator") == ["Dumitru Popa"]
    assert values("date") == ["1967-05-01"]
    assert values("identifier") == [f"https://edition.example.org/documents/{TELEGRAM}.html"]
    oai = exported["dc"] / "oai"
    assert sorted(p.name for p in oai.glob("*.xml")) == ["Identify.xml", "ListIdentifiers.xml", "ListMetadataFormats.xml", "ListRecords.xml"]
    records = etree.parse(str(oai / "ListRecords.xml")).getroot()
    ns = {"oai": "http://www.openarchives.org/OAI/2.0/"}
    assert len(records.findall(".//oai:record", ns)) == 2
    get_record = etree.parse(str(oai / "GetRecord" / f"{TELEGRAM}.xml")).getroot()
    assert get_record.find(".//oai:identifier", ns).text == f"oai:edition.example.org:{TELEGRAM}"


def test_dc_datestamps_are_last_changes_not_build_time(exported):
    ns = {"oai": "http://www.openarchives.org/OAI/2.0/"}
    stamp = lambda doc: etree.parse(str(exported["dc"] / "oai" / "GetRecord" / f"{doc}.xml")).getroot().find(".//oai:datestamp", ns).text  # noqa: E731
    # The telegram's newest change (revisionDesc); the essay has none, so its file's modification day.
    assert stamp(TELEGRAM) == "2026-11-21"
    from datetime import datetime, timezone

    mtime = (EDITION / "tei" / f"{ESSAY}.xml").stat().st_mtime
    assert stamp(ESSAY) == datetime.fromtimestamp(mtime, timezone.utc).date().isoformat()
    identify = etree.parse(str(exported["dc"] / "oai" / "Identify.xml")).getroot()
    assert identify.find(".//oai:earliestDatestamp", ns).text == min(stamp(TELEGRAM), stamp(ESSAY))


def test_csv_lists_mentions_and_events_with_anchors(exported):
    with open(exported["csv"] / "mentions.csv", encoding="utf-8-sig", newline="") as stream:
        mentions = list(csv.DictReader(stream))
    assert {"document": ESSAY, "entity": "document-1", "kind": "citation", "surface": "[Document 1]", "anchor": "p3",
            "url": f"https://edition.example.org/documents/{ESSAY}.html#p3"} in mentions
    assert sum(1 for m in mentions if m["entity"] == "kwp") == 3
    with open(exported["csv"] / "events.csv", encoding="utf-8-sig", newline="") as stream:
        events = list(csv.DictReader(stream))
    half = next(e for e in events if e["surface"] == "the second half of July")
    assert (half["from"], half["to"], half["document"]) == ("1967-07-16", "1967-07-31", TELEGRAM)


def test_json_holds_the_same_facts_as_csv(exported):
    data = json.loads((exported["json"] / "facts.json").read_text(encoding="utf-8"))
    with open(exported["csv"] / "mentions.csv", encoding="utf-8-sig", newline="") as stream:
        assert data["mentions"] == list(csv.DictReader(stream))
    assert {e["iso"] for e in data["events"]} >= {"1975-11-04", "1967-05-01", "1976-11"}


def test_export_never_overwrites_without_force(tmp_path, stylesheets):
    config = load_config(EDITION)
    export_edition(config, "csv", tmp_path, stylesheets=stylesheets)
    (tmp_path / "events.csv").write_text("kept", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="use --force"):
        export_edition(config, "csv", tmp_path, stylesheets=stylesheets)
    assert (tmp_path / "events.csv").read_text(encoding="utf-8") == "kept"
    export_edition(config, "csv", tmp_path, force=True, stylesheets=stylesheets)
    assert (tmp_path / "events.csv").read_text(encoding="utf-8-sig").startswith("document,iso")


def test_an_unreadable_file_is_named_and_left_out_and_the_others_are_exported(tmp_path, monkeypatch, stylesheets):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    clean = export_edition(load_config(edition), "tei", tmp_path / "clean", stylesheets=stylesheets)
    shutil.copy(FIXTURES / "exchange" / "bad" / "not-well-formed.xml", edition / "tei" / "broken.xml")
    result = export_edition(load_config(edition), "tei", tmp_path / "out", stylesheets=stylesheets)
    assert [(Path(problem.file).relative_to(edition).as_posix(), problem.line, problem.is_error) for problem in result.left_out] == [("tei/broken.xml", 6, True)]
    assert result.left_out[0].message.startswith("not well-formed XML")
    assert (result.documents, [path.name for path in result.files]) == (clean.documents, [path.name for path in clean.files])
    assert [path.read_bytes() for path in result.files if path.name != CORPUS_FILE] == [path.read_bytes() for path in clean.files if path.name != CORPUS_FILE]
    monkeypatch.chdir(edition)
    command = CliRunner().invoke(cli, ["export", "tei", "-o", str(tmp_path / "again")])
    assert command.exit_code == 1
    assert "tei/broken.xml:6:" in command.output and "1 file(s) could not be read and were left out" in command.output
    assert sorted(path.name for path in (tmp_path / "again").iterdir() if path.name != ".teipress") == sorted(path.name for path in clean.files)


def test_an_edition_with_no_readable_document_exports_nothing(tmp_path):
    edition = tmp_path / "edition"
    (edition / "tei").mkdir(parents=True)
    shutil.copy(FIXTURES / "exchange" / "bad" / "not-well-formed.xml", edition / "tei" / "broken.xml")
    with pytest.raises(InputError, match=r"(?s)tei/broken.xml:6:\d+: error: not well-formed XML.*no readable documents to export"):
        export_edition(load_config(edition), "tei", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_export_command(tmp_path, monkeypatch):
    monkeypatch.chdir(EDITION)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "json: 1 file(s) for 2 document(s)" in result.output
    again = runner.invoke(cli, ["export", "json", "-o", str(tmp_path)])
    assert again.exit_code == 2
    assert "already exist(s); use --force to overwrite" in again.output


def test_seed_edition_exports_valid_tei_and_cmif(tmp_path, tei_all_schema, stylesheets):
    if not any((REPO / "tei").glob("*.xml")):
        skip_missing("tei/ holds no documents yet")
    config = load_config(REPO, base_url="https://edition.example.org/")
    tei = export_edition(config, "tei", tmp_path / "tei", stylesheets=stylesheets)
    for path in tei.files:
        assert tei_all_schema.validate(etree.parse(str(path))), f"{path.name}: {tei_all_schema.error_log}"
    cmif = export_edition(config, "cmif", tmp_path / "cmif", stylesheets=stylesheets)
    rng = etree.RelaxNG(etree.parse(str(shared_path("schemas", "cmif", "cmi-customization.rng"))))
    document = etree.parse(str(cmif.files[0]))
    assert rng.validate(document), str(rng.error_log)
    cited = etree.parse(str(REPO / "tei" / "registers" / "bibliography.xml")).xpath("//tei:bibl[@type = 'letter']/@xml:id", namespaces=NS)
    refs = document.xpath("//tei:correspDesc/@ref", namespaces=NS)
    assert sorted(ref for ref in refs if "/registers/bibliography/" in ref) == sorted(f"https://edition.example.org/registers/bibliography/{letter}.html" for letter in cited)


def test_rename_ids_moves_ids_and_pointers_and_keys_only_when_asked():
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><text><body><p xml:id="p2">A <persName ref="#p2 #other" key="p2">B</persName></p></body></text></TEI>'
    )
    corpus = deepcopy(root)
    rename_ids(corpus, {"p2": "doc-p2"})
    assert corpus.xpath("//@xml:id | //@ref | //@key") == ["doc-p2", "#doc-p2 #other", "p2"]
    rename_ids(root, {"p2": "doc-p2"}, keys=True)
    assert root.xpath("//@xml:id | //@ref | //@key") == ["doc-p2", "#doc-p2 #other", "doc-p2"]
