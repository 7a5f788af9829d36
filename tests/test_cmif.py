"""CMIF 1.1 (`export cmif`): the RELAX NG schema and the Schematron rules of ../shared/schemas/cmif/.

CMIF 1.1.0 rules (cmif.sch): E0001 a correspAction[@type='sent'], E0002 one of type 'received', E0003
correspDesc/@source names a bibl/@xml:id (which 1.1 makes mandatory), E0004 every date has a dating attribute;
W0001 that id should be a UUID. The CMIF documentation: an unknown sender or addressee is the persName "Unknown";
dates as YYYY, YYYY-MM or YYYY-MM-DD.

cmif.sch declares the XSLT 2 query binding. It is compiled to XSLT with the ISO Schematron skeleton that lxml
ships (iso_svrl_for_xslt1.xsl, which only refuses to *declare* another binding, so it is handed the schema with
queryBinding="xslt") and run with Saxon, whose XPath evaluates the XPath 2 of the rules (matches() in W0001).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import lxml
import pytest
from lxml import etree

from conftest import REPO, shared_path
from teipress.config import load_config
from teipress.export import export_edition
from teipress.saxon import Stylesheets, processor
from teipress.xmlio import NS

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SKELETON = Path(os.path.dirname(lxml.__file__)) / "isoschematron" / "resources" / "xsl" / "iso-schematron-xslt1" / "iso_svrl_for_xslt1.xsl"
BASE_URL = "https://edition.example.org/"


@pytest.fixture(scope="module")
def stylesheets() -> Stylesheets:
    return Stylesheets()


@pytest.fixture(scope="module")
def cmif_rules():  # type: ignore[no-untyped-def]
    """cmif.sch compiled to XSLT once; a function that returns the failed assertions (role, text) for a document."""
    schema = etree.parse(str(shared_path("schemas", "cmif", "cmif.sch")))
    schema.getroot().set("queryBinding", "xslt")
    saxon = processor()
    compiler = saxon.new_xslt30_processor()
    compiled = compiler.compile_stylesheet(stylesheet_file=str(SKELETON)).transform_to_string(
        xdm_node=saxon.parse_xml(xml_text=etree.tostring(schema, encoding="unicode")))
    validator = compiler.compile_stylesheet(stylesheet_text=compiled)

    def failures(path: Path) -> list[tuple[str, str]]:
        report = etree.fromstring(validator.transform_to_string(xdm_node=saxon.parse_xml(xml_file_name=str(path))).encode("utf-8"))
        return [(failed.get("role"), " ".join(failed.findtext(f"{SVRL}text").split())) for failed in report.iter(f"{SVRL}failed-assert")]

    return failures


@pytest.fixture(scope="module")
def cmif_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(shared_path("schemas", "cmif", "cmi-customization.rng"))))


def test_the_rules_are_run_for_real(cmif_rules, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The compiled Schematron finds each error it is there for (else a pass below would mean nothing)."""
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><sourceDesc><bibl xml:id="x"/></sourceDesc></fileDesc>'
                   '<profileDesc><correspDesc source="#y"><correspAction type="received"><date/></correspAction></correspDesc></profileDesc>'
                   '</teiHeader></TEI>', encoding="utf-8")
    assert [(role, text[:7]) for role, text in cmif_rules(bad)] == [
        ("warning", "[W0001]"), ("error", "[E0001]"), ("error", "[E0003]"), ("error", "[E0004]")]
    assert cmif_rules(shared_path("schemas", "cmif", "example01_basic.xml")) == []


def export(source: Path, out: Path, stylesheets: Stylesheets):  # type: ignore[no-untyped-def]
    config = load_config(source.parent, source=source, output=source.parent / "output", base_url=BASE_URL)
    return export_edition(config, "cmif", out, stylesheets=stylesheets)


def edition_file(folder: Path) -> None:
    """An edition.xml with the editor CMIF requires (an invented contact: the test checks the format, not a fact)."""
    (folder / "edition.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Test edition</title>'
        '<editor>Invented contact for the tests</editor></titleStmt><publicationStmt><p>Test.</p></publicationStmt>'
        '<sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader><text><body><p>Test.</p></body></text></TEI>', encoding="utf-8")


def test_seed_edition_passes_schema_and_rules(tmp_path: Path, stylesheets: Stylesheets, cmif_schema, cmif_rules) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "tei"
    shutil.copytree(REPO / "tei", source)
    result = export(source, tmp_path / "cmif", stylesheets)
    document = etree.parse(str(result.files[0]))
    assert cmif_schema.validate(document), str(cmif_schema.error_log)
    assert cmif_rules(result.files[0]) == []
    telegram = document.xpath("//tei:correspDesc[contains(@ref, 'telegram-1967-05-01')]", namespaces=NS)[0]
    assert telegram.xpath("tei:correspAction[@type = 'sent']/tei:date/@when", namespaces=NS) == ["1967-05-01"]


@pytest.mark.slow
def test_escher_letters_pass_schema_and_rules(tmp_path: Path, escher_letters: Path, stylesheets: Stylesheets, cmif_schema, cmif_rules) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "tei"
    shutil.copytree(escher_letters, source)
    edition_file(source)
    result = export(source, tmp_path / "cmif", stylesheets)
    document = etree.parse(str(result.files[0]))
    assert cmif_schema.validate(document), str(cmif_schema.error_log)
    assert cmif_rules(result.files[0]) == []
    letters = sorted(path for path in escher_letters.glob("*.xml"))
    assert len(document.xpath("//tei:profileDesc/tei:correspDesc", namespaces=NS)) == len(letters)
    # The Escher letters name sender and addressee inside the action of sending (persName[@type = 'addressee']
    # in correspAction[@type = 'sent']): the site does not say who is on which side there, nor does CMIF.
    first = letters[0]
    lines = first.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if "<correspDesc>" in text)
    column = lines[line - 1].index("<correspDesc>") + 1
    assert f"tei/{first.name}:{line}:{column}: warning: CMIF: the sender and the addressee are unknown (the header names none, or does " \
           "not say reliably who is on which side), listed as \u201cUnknown\u201d [cmif]" in [note.replace(str(tmp_path) + "/", "") for note in result.notes]


LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc><titleStmt><title>{id}</title></titleStmt>
<publicationStmt><p>Invented.</p></publicationStmt><sourceDesc><p>Invented.</p></sourceDesc></fileDesc>
<profileDesc>
<correspDesc>{actions}</correspDesc>
</profileDesc></teiHeader><text type="letter"><body><p>Text.</p></body></text></TEI>"""


def test_unknown_parties_and_dates_follow_the_cmif_conventions(tmp_path: Path, stylesheets: Stylesheets, cmif_schema, cmif_rules) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "tei"
    source.mkdir()
    edition_file(source)
    letters = {
        # Both sides as TEI types them: both names, the place and the date.
        "typed": '<correspAction type="sent"><persName>Ann Sender</persName><placeName>Aville</placeName><date when="1850-03-04"/></correspAction>'
                 '<correspAction type="received"><persName>Bob Addressee</persName></correspAction>',
        # Roles on the names in an action without a type (a way other projects write it).
        "roles": '<correspAction><persName type="sender">Cy Writer</persName><persName type="addressee">Di Reader</persName>'
                 '<date when="1851"/></correspAction>',
        # No addressee, and a date CMIF cannot take (a month 13) besides none at all on the other side.
        "one-side": '<correspAction type="sent"><persName>Ed Alone</persName><date when="1850-13">13th month</date></correspAction>',
    }
    for name, actions in letters.items():
        (source / f"{name}.xml").write_text(LETTER.format(id=name, actions=actions), encoding="utf-8")
    result = export(source, tmp_path / "cmif", stylesheets)
    document = etree.parse(str(result.files[0]))
    assert cmif_schema.validate(document), str(cmif_schema.error_log)
    assert cmif_rules(result.files[0]) == []

    def action(letter: str, kind: str) -> list[tuple[str, str]]:
        found = document.xpath(f"//tei:correspDesc[@ref = '{BASE_URL}documents/{letter}.html']/tei:correspAction[@type = '{kind}']/*", namespaces=NS)
        return [(etree.QName(e).localname, e.text or e.get("when") or "") for e in found]

    assert action("typed", "sent") == [("persName", "Ann Sender"), ("placeName", "Aville"), ("date", "1850-03-04")]
    assert action("typed", "received") == [("persName", "Bob Addressee")]
    assert action("roles", "sent") == [("persName", "Cy Writer"), ("date", "1851")]
    assert action("roles", "received") == [("persName", "Di Reader")]
    assert action("one-side", "sent") == [("persName", "Ed Alone")]
    assert action("one-side", "received") == [("persName", "Unknown")]
    notes = [note.replace(str(tmp_path) + "/", "") for note in result.notes]
    assert [note for note in notes if "[cmif]" in note] == [
        "tei/one-side.xml:4:1: warning: CMIF: the addressee is unknown (the header names none, or does not say reliably who is on which "
        "side), listed as \u201cUnknown\u201d; it has no date CMIF takes (when, from, to, notBefore or notAfter as YYYY, YYYY-MM or "
        "YYYY-MM-DD), so correspSearch cannot date it [cmif]"]
