"""import tei (foreign TEI into the edition's conventions) and import text (plain transcriptions into TEI)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES, REPO, shared_path
from teipress.cli import cli
from teipress.config import load_config
from teipress.errors import ConfigError, InputError, OutputExistsError
from teipress.export import export_edition
from teipress.importer import RegisterConflict, date_spans, import_tei, import_text, load_tei_all
from teipress.saxon import Stylesheets
from teipress.xmlio import NS, TEI_NS, XML_ID

EXCHANGE = FIXTURES / "exchange"
EDITION = EXCHANGE / "edition"
BAD = EXCHANGE / "bad"
FOREIGN_LETTER = EXCHANGE / "foreign" / "letter-with-standoff.xml"


@pytest.fixture
def target_edition(tmp_path) -> Path:
    """An edition whose person register already knows Anna Beispiel (by authority URI) and has another #p2."""
    root = tmp_path / "target"
    (root / "tei" / "registers").mkdir(parents=True)
    shutil.copy(EXCHANGE / "foreign" / "registers-persons.xml", root / "tei" / "registers" / "persons.xml")
    return root


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def reading_words(text: etree._Element) -> list[str]:
    """The words of a <text> outside its <back>, in order (text nodes kept apart, so that markup changes nothing)."""
    return words(" ".join(text.xpath(".//text()[not(ancestor::tei:back)]", namespaces=NS)))


# -- import tei -------------------------------------------------------------------------------


def test_entries_merge_by_authority_uri_and_rename_on_conflict(target_edition):
    config = load_config(target_edition)
    register = config.source / "registers" / "persons.xml"
    before = register.read_bytes()
    # The import would change the existing register: refused without force, and nothing is written.
    with pytest.raises(OutputExistsError, match=r"registers/persons.xml already exist\(s\); use --force to overwrite"):
        import_tei([FOREIGN_LETTER], config.source, config, merge_registers="rename")
    assert register.read_bytes() == before
    assert not (config.source / "letter-0042.xml").exists()
    assert not (config.source / "registers" / "places.xml").exists()
    result = import_tei([FOREIGN_LETTER], config.source, config, merge_registers="rename", force=True)
    document = etree.parse(str(config.source / "letter-0042.xml")).getroot()
    assert document.get(XML_ID) == "letter-0042"
    assert document.find("tei:standOff", NS) is None
    # p1 has Anna's authority URI: the register's entry is used; p2 is someone else: renamed.
    assert document.xpath("//tei:text//tei:persName/@ref", namespaces=NS) == ["#p2-2", "#anna-beispiel"]
    assert document.xpath("//tei:correspAction[@type='sent']/tei:persName/@ref", namespaces=NS) == ["#anna-beispiel"]
    persons = etree.parse(str(config.source / "registers" / "persons.xml")).getroot()
    assert persons.xpath("//tei:person/@xml:id", namespaces=NS) == ["anna-beispiel", "p2", "p2-2"]
    places = etree.parse(str(config.source / "registers" / "places.xml")).getroot()
    assert places.xpath("//tei:place/tei:placeName/text()", namespaces=NS) == ["Exampleton"]
    assert any("#p2 is another entry's id in the register: renamed #p2-2" in note for note in result.notes)
    # Nothing of the text was lost.
    original = etree.parse(str(FOREIGN_LETTER)).getroot()
    assert "".join(document.find("tei:text", NS).itertext()) == "".join(original.find("tei:text", NS).itertext())


def test_existing_policy_takes_the_register_entry(target_edition):
    config = load_config(target_edition)
    import_tei([FOREIGN_LETTER], config.source, config, merge_registers="existing")
    document = etree.parse(str(config.source / "letter-0042.xml")).getroot()
    assert document.xpath("//tei:text//tei:persName/@ref", namespaces=NS) == ["#p2", "#anna-beispiel"]


def test_ask_policy_uses_the_callback_and_refuses_without_one(target_edition):
    config = load_config(target_edition)
    with pytest.raises(ConfigError, match="needs a terminal"):
        import_tei([FOREIGN_LETTER], config.source, config, merge_registers="ask")
    asked: list[RegisterConflict] = []
    import_tei([FOREIGN_LETTER], config.source, config, merge_registers="ask", resolve_conflict=lambda c: asked.append(c) or "existing")
    assert [c.entry_id for c in asked] == ["p2"]
    assert "Paula Zweite" in asked[0].existing and "Bruno Muster" in asked[0].imported


def test_without_merge_the_standoff_stays(tmp_path):
    config = load_config(EDITION)
    import_tei([FOREIGN_LETTER], tmp_path, config)
    document = etree.parse(str(tmp_path / "letter-0042.xml")).getroot()
    assert document.xpath("tei:standOff//tei:person/@xml:id", namespaces=NS) == ["p1", "p2"]
    assert not (tmp_path / "registers").exists()


def test_import_writes_our_schema_instructions(tmp_path):
    import_tei([FOREIGN_LETTER], tmp_path / "tei", load_config(EDITION))
    data = (tmp_path / "tei" / "letter-0042.xml").read_text(encoding="utf-8")
    assert "tei_all.rng" not in data
    assert data.count("teipress.rng") == 2


def test_import_never_overwrites_without_force(tmp_path):
    config = load_config(EDITION)
    import_tei([FOREIGN_LETTER], tmp_path, config)
    target = tmp_path / "letter-0042.xml"
    target.write_text("edited by hand", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="use --force"):
        import_tei([FOREIGN_LETTER], tmp_path, config)
    assert target.read_text(encoding="utf-8") == "edited by hand"
    import_tei([FOREIGN_LETTER], tmp_path, config, force=True)
    assert target.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(("name", "message"), [
    ("not-well-formed.xml", r"not-well-formed.xml:6:\d+: error: not well-formed XML: "),
    ("not-tei.xml", r"not-tei.xml:2:1: not a TEI document: the root element is <html> in the namespace http://www.w3.org/1999/xhtml"),
    ("duplicate-ids.xml", r"duplicate-ids.xml:13:1: the xml:id 'para' is used twice \(first on line 12\)"),
    ("latin1.xml", r"latin1.xml:3:43: error: not well-formed XML: Invalid bytes in character encoding"),
])
def test_bad_tei_gets_a_clear_error_and_writes_nothing(tmp_path, name, message):
    with pytest.raises(InputError, match=message):
        import_tei([FOREIGN_LETTER, BAD / name], tmp_path / "out", load_config(EDITION))
    assert not (tmp_path / "out").exists()


def test_tei_all_problems_are_reported(tmp_path, tei_all_schema):
    valid = import_tei([FOREIGN_LETTER], tmp_path / "valid", load_config(EDITION), tei_all=tei_all_schema)
    assert not [p for p in valid.problems if p.rule == "tei-all"]
    schnitzler = shared_path("foreign-tei", "schnitzler-briefe", "L00001.xml")
    result = import_tei([schnitzler], tmp_path / "schnitzler", load_config(EDITION), tei_all=tei_all_schema)
    problems = [p for p in result.problems if p.rule == "tei-all"]
    assert problems and problems[0].file.endswith("schnitzler-briefe/L00001.xml")
    assert problems[0].line == 239 and "Did not expect element org there" in problems[0].message
    # Reported, not refused: the file was still imported for the editor to fix.
    imported = etree.parse(str(tmp_path / "schnitzler" / "l00001.xml"))
    assert "".join(imported.getroot().find(f"{{{TEI_NS}}}text").itertext()).split() == "".join(etree.parse(str(schnitzler)).getroot().find(f"{{{TEI_NS}}}text").itertext()).split()


def test_foreign_files_import(tmp_path):
    files = sorted(shared_path("foreign-tei").glob("*/*.xml"))
    config = load_config(EDITION)
    result = import_tei(files, tmp_path, config, merge_registers="rename")
    documents = [p for p in result.written if p.parent == tmp_path]
    assert len(documents) == len(files)
    for source in files:
        original = etree.parse(str(source)).getroot()
        written = next(p for p in documents if etree.parse(str(p)).getroot().xpath("string(//tei:titleStmt/tei:title[1])", namespaces=NS) == original.xpath("string(//tei:titleStmt/tei:title[1])", namespaces=NS))
        imported = etree.parse(str(written)).getroot()
        # Nothing of the reading text is lost or reordered (entries moved out of <back> are in the registers).
        outermost = "//tei:text[not(ancestor::tei:text)]"  # in a teiCorpus, one per TEI
        texts, copies = original.xpath(outermost, namespaces=NS), imported.xpath(outermost, namespaces=NS)
        assert copies and len(copies) == len(texts), written.name
        for text, copy in zip(texts, copies):
            assert reading_words(copy) == reading_words(text), written.name


def test_round_trip_export_import_export_gives_the_same_documents(tmp_path):
    stylesheets = Stylesheets()
    first = export_edition(load_config(EDITION), "tei", tmp_path / "first", stylesheets=stylesheets)
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    documents = [p for p in first.files if p.name != "edition-corpus.xml"]
    for path in documents:
        (edition / "tei" / path.name).unlink()
    config = load_config(edition)
    result = import_tei(documents, config.source, config, merge_registers="rename")
    assert not any("renamed" in note for note in result.notes)
    second = export_edition(config, "tei", tmp_path / "second", stylesheets=stylesheets)
    for path in documents:
        assert etree.canonicalize(from_file=str(tmp_path / "second" / path.name)) == etree.canonicalize(from_file=str(path)), path.name


def test_import_tei_command(tmp_path, monkeypatch):
    monkeypatch.chdir(EDITION)
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "tei", str(FOREIGN_LETTER), "-o", str(tmp_path)])
    assert f"wrote {tmp_path / 'letter-0042.xml'}" in result.output
    again = runner.invoke(cli, ["import", "tei", str(FOREIGN_LETTER), "-o", str(tmp_path)])
    assert again.exit_code == 2
    assert "already exist(s); use --force to overwrite" in again.output


def foreign_letter_with(tmp_path: Path, **replacements: str) -> Path:
    """The foreign fixture letter with some of its markup replaced, as another project would encode it."""
    text = FOREIGN_LETTER.read_text(encoding="utf-8")
    for old, new in replacements.values():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "foreign.xml"
    path.write_text(text, encoding="utf-8")
    return path


FOREIGN_CONVENTIONS = {
    "funders": ("</title></titleStmt>", "</title><funder>Example Foundation</funder><funder><name>Other Fund</name><address><addrLine>1 Example Road</addrLine></address></funder></titleStmt>"),
    "changes": ("</profileDesc>", '</profileDesc>\n    <revisionDesc><listChange><change when="2020-01-02">Encoded.</change><change when="2020-03-04">Proofread.</change></listChange></revisionDesc>'),
    "block": ("<p>Dear", '<ab xml:id="block-1">Dear'),
    "block end": ("</p>\n    </body>", "</ab>\n    </body>"),
}


def test_import_reports_what_the_schema_refuses_and_fix_maps_what_has_an_equivalent(tmp_path):
    source = foreign_letter_with(tmp_path, **FOREIGN_CONVENTIONS)
    config = load_config(EDITION)
    plain = import_tei([source], tmp_path / "plain", config)
    written = tmp_path / "plain" / "letter-0042.xml"
    assert [note for note in plain.notes if "fix" in note] == [
        f"{written}: --fix would map <ab> 1 → <p>, <funder> 1 → <respStmt><resp>funder</resp> with the name, <listChange> 1 → its <change>s directly in <revisionDesc>"
    ]
    # Each problem at its place in the written file (the standOff stays without --merge-registers; our schema has none).
    # (What each message lists as allowed there grows with the schema: test_validate pins it.)
    assert [(p.line, p.column, p.message.partition("; allowed here: ")[0]) for p in plain.problems] == [
        (7, 72, "<funder> is not allowed inside <titleStmt>"),
        (17, 19, "<listChange> is not allowed inside <revisionDesc>"),
        (19, 3, "<standOff> is not allowed inside <TEI>"),
    ]

    fixed = import_tei([source], tmp_path / "fixed", config, fix=True)
    written = tmp_path / "fixed" / "letter-0042.xml"
    assert [note for note in fixed.notes if "map" in note] == [
        f"{written}: mapped <ab> 1 → <p>, <funder> 1 → <respStmt><resp>funder</resp> with the name, <listChange> 1 → its <change>s directly in <revisionDesc>"
    ]
    # What has no safe equivalent (a funder with an address) is left to the editor, reported at its place.
    assert [(p.line, p.column, p.message.partition("; allowed here: ")[0]) for p in fixed.problems] == [
        (7, 143, "<funder> is not allowed inside <titleStmt>"),
        (19, 3, "<standOff> is not allowed inside <TEI>"),
    ]
    root = etree.parse(str(written)).getroot()
    assert [etree.tostring(e, encoding="unicode", with_tail=False) for e in root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt", NS)][1:] == [
        '<respStmt xmlns="http://www.tei-c.org/ns/1.0"><resp>funder</resp><name>Example Foundation</name></respStmt>',
        '<funder xmlns="http://www.tei-c.org/ns/1.0"><name>Other Fund</name><address><addrLine>1 Example Road</addrLine></address></funder>',
    ]
    assert [(c.get("when"), c.text) for c in root.find("tei:teiHeader/tei:revisionDesc", NS)] == [("2020-01-02", "Encoded."), ("2020-03-04", "Proofread.")]
    assert [(e.get(XML_ID), etree.QName(e).localname) for e in root.find("tei:text/tei:body", NS)] == [("block-1", "p")]
    original = etree.parse(str(source)).getroot()
    assert "".join(root.find("tei:text", NS).itertext()) == "".join(original.find("tei:text", NS).itertext())


@pytest.mark.parametrize(("encoding", "declared"), [("utf-16", "UTF-16"), ("latin-1", "ISO-8859-1"), ("cp1252", "windows-1252")])
def test_a_file_in_another_encoding_is_converted_to_utf8_and_said_so(tmp_path, encoding, declared):
    text = FOREIGN_LETTER.read_text(encoding="utf-8").replace('encoding="UTF-8"', f'encoding="{declared}"').replace("Exampleton</placeName>.", "Exampleton</placeName>. Grüße, café")
    source = tmp_path / "foreign.xml"
    source.write_bytes(text.replace("—", "-").encode(encoding))
    result = import_tei([source], tmp_path / "out", load_config(EDITION))
    assert [note for note in result.notes if "UTF-8" in note] == [f"{source}: converted from {declared} to UTF-8, the encoding of the edition's files"]
    written = (tmp_path / "out" / "letter-0042.xml").read_bytes()
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "Grüße, café" in written.decode("utf-8")


# -- import text ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("on May 1, 1967 we", [("May 1, 1967", {"when": "1967-05-01"})]),
    ("In November 1975 and on November 4th", [("November 1975", {"when": "1975-11"}), ("November 4th", {"when": "1975-11-04"})]),
    ("the second half of July", [("the second half of July", {"from": "1967-07-16", "to": "1967-07-31"})]),
    ("the first half of August", [("the first half of August", {"from": "1967-08-01", "to": "1967-08-15"})]),
    ("in August 1976 and September 1977", [("August 1976", {"when": "1976-08"}), ("September 1977", {"when": "1977-09"})]),
    ("Correspondence, 1973-1979.", [("1973-1979", {"from": "1973", "to": "1979"})]),
    ("telegram no. 12.390 and 400,000 soldiers", []),
    ("May we? February 30th", []),
])
def test_prose_dates(text, expected):
    spans, _ = date_spans(text, 1967)
    assert [(text[s.start:s.end], dict(s.attributes)) for s in spans] == expected


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("de", "Zürich, den 2. April 1888", [("2. April 1888", {"when": "1888-04-02"})]),
    ("de", "Frankfurt a. M., 2. Aug. 1889", [("2. Aug. 1889", {"when": "1889-08-02"})]),
    ("de", "am 2.April 1888 und am 3. Mai", [("2.April 1888", {"when": "1888-04-02"}), ("3. Mai", {"when": "1888-05-03"})]),
    ("de", "im März 1870, am 12. Sept. und am 1. Dez. 1871", [("März 1870", {"when": "1870-03"}), ("12. Sept.", {"when": "1870-09-12"}),
                                                           ("1. Dez. 1871", {"when": "1871-12-01"})]),
    ("de-CH", "den 31. Juni 1888 und Nr. 12.390", []),
    ("fr", "Paris, le 3 mars 1890", [("3 mars 1890", {"when": "1890-03-03"})]),
    ("fr", "le 1er mai 1890, en juin 1891, le 14 juillet", [("1er mai 1890", {"when": "1890-05-01"}), ("juin 1891", {"when": "1891-06"}),
                                                           ("14 juillet", {"when": "1891-07-14"})]),
    ("fr", "Le 2 févr. 1889 et le 3 Août 1889", [("2 févr. 1889", {"when": "1889-02-02"}), ("3 Août 1889", {"when": "1889-08-03"})]),
    # A language without month names here: every language's are tried.
    ("it", "2. April 1888 / le 3 mars 1890 / May 1, 1967", [("2. April 1888", {"when": "1888-04-02"}), ("3 mars 1890", {"when": "1890-03-03"}),
                                                          ("May 1, 1967", {"when": "1967-05-01"})]),
    # English only in an English text: "2. April 1888" is a month with its year there.
    ("en", "den 2. April 1888", [("April 1888", {"when": "1888-04"})]),
])
def test_german_and_french_dates(language, text, expected):
    spans, _ = date_spans(text, None, language)
    assert [(text[s.start:s.end], dict(s.attributes)) for s in spans] == expected


def test_a_german_letter_gets_its_dates(tmp_path):
    source = tmp_path / "brief.txt"
    source.write_text("Zürich, den 2. April 1888\n\nIhren Brief vom 28. März habe ich erhalten.\n", encoding="utf-8")
    import_text(source, tmp_path / "brief.xml", title="Brief", language="de", config=load_config(EDITION))
    root = etree.parse(str(tmp_path / "brief.xml")).getroot()
    assert [(d.text, d.get("when")) for d in root.iterfind(".//tei:body//tei:date", NS)] == [("2. April 1888", "1888-04-02"), ("28. März", "1888-03-28")]
    assert root.xpath("//tei:langUsage/tei:language/@ident", namespaces=NS) == ["de"]


def test_a_day_without_year_takes_the_year_before_it():
    spans, year = date_spans("In 1975 ... and on August 1st", None)
    assert [dict(s.attributes) for s in spans] == [{"when": "1975"}, {"when": "1975-08-01"}]
    assert year == 1975
    assert date_spans("on August 1st", None)[0] == []


@pytest.fixture(scope="module")
def imported_seeds(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("seeds")
    config = load_config(EDITION)
    seeds = {}
    for name, options in (("004_562ef1fc75c1f162.txt", {"title": "Telegram from Pyongyang to Bucharest", "date": "1967-05-01", "text_type": "telegram"}),
                          ("000_6545109fb810deed.txt", {"title": "The Tito-Kim Correspondence", "author": "Martin Coles", "text_type": "essay"})):
        seed = shared_path("seeds", name)
        target = out / f"{Path(name).stem}.xml"
        import_text(seed, target, config=config, **options)
        seeds[name] = (seed, target)
    return seeds


def test_imported_seeds_keep_every_word_in_order(imported_seeds):
    for seed, target in imported_seeds.values():
        text = etree.parse(str(target)).getroot().find("tei:text", NS)
        assert words("".join(text.itertext())) == words(seed.read_text(encoding="utf-8"))


def test_imported_telegram_is_tagged(imported_seeds):
    root = etree.parse(str(imported_seeds["004_562ef1fc75c1f162.txt"][1])).getroot()
    dates = {d.text: dict(d.attrib) for d in root.iterfind(".//tei:text//tei:date", NS)}
    assert dates["May 1, 1967"] == {"when": "1967-05-01"}
    assert dates["the second half of July"] == {"from": "1967-07-16", "to": "1967-07-31"}
    assert root.xpath("//tei:text//tei:orgName[. = 'KWP']/@ref", namespaces=NS)[0] == "#kwp"
    assert root.xpath("//tei:text//tei:orgName[. = \"Korean Workers' Party\"]/@ref", namespaces=NS)[0] == "#kwp"
    assert root.find("tei:text", NS).get("type") == "telegram"
    assert root.xpath("//tei:sourceDesc/tei:bibl/tei:date/@when", namespaces=NS) == ["1967-05-01"]
    # Sender and addressee were not given: no half correspDesc that the schema would reject.
    assert not root.xpath("//tei:correspDesc", namespaces=NS)


def test_correspondence_with_sender_addressee_and_date_gets_a_corresp_desc(tmp_path):
    seed = shared_path("seeds", "004_562ef1fc75c1f162.txt")
    target = tmp_path / "telegram.xml"
    result = import_text(seed, target, config=load_config(EDITION), title="Telegram", date="1967-05-01", text_type="telegram",
                         author="N. Popa", addressee="Ministry of Foreign Affairs")
    root = etree.parse(str(target)).getroot()
    # "N. Popa" is a variant of a register person: the sender points to it; the addressee is no register name: no @ref, a note.
    assert [(etree.QName(e).localname, dict(e.attrib), e.text) for e in root.xpath("//tei:correspAction/*", namespaces=NS)] == [
        ("persName", {"ref": "#popa"}, "N. Popa"),
        ("date", {"when": "1967-05-01"}, "1967-05-01"),
        ("persName", {}, "Ministry of Foreign Affairs"),
    ]
    assert [note for note in result.notes if "--addressee" in note or "--author" in note] == [
        "--addressee 'Ministry of Foreign Affairs' is not a name in the registers: the addressee is written without @ref; add it when the register has the entry"
    ]
    assert not any("correspDesc" in note for note in result.notes)


def test_a_correspondent_in_the_organisation_register_is_an_org_name(tmp_path):
    source = tmp_path / "letter.txt"
    source.write_text("Dear comrades,\n\nwe thank you.\n", encoding="utf-8")
    result = import_text(source, tmp_path / "letter.xml", config=load_config(EDITION), title="Letter", date="1967-05-01", text_type="letter",
                         author="Tito", addressee="KWP")
    root = etree.parse(str(tmp_path / "letter.xml")).getroot()
    assert [(etree.QName(e).localname, e.get("ref"), e.text) for e in root.xpath("//tei:correspAction/*[not(self::tei:date)]", namespaces=NS)] == [
        ("persName", "#tito", "Tito"), ("orgName", "#kwp", "KWP")]
    assert not [note for note in result.notes if "--addressee" in note or "--author" in note]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--title", "A\x07letter", "--title holds the control character U+0007 (at character 2), which XML cannot store; remove it"),
    ("--author", "Tito\x1b", "--author holds the control character U+001B (at character 5), which XML cannot store; remove it"),
])
def test_a_control_character_in_an_option_is_one_clear_error(tmp_path, monkeypatch, option, value, message):
    monkeypatch.chdir(EDITION)
    source = tmp_path / "letter.txt"
    source.write_text("Dear friend,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "text", str(source), "-o", str(tmp_path / "letter.xml"), option, value])
    assert result.exit_code == 2
    assert result.output == f"error: {message}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "letter.xml").exists()


def test_imported_essay_cites_and_dates(imported_seeds):
    root = etree.parse(str(imported_seeds["000_6545109fb810deed.txt"][1])).getroot()
    assert root.xpath("//tei:ref[. = '[Document 1]']/@target", namespaces=NS) == ["#document-1"]
    # The fixture bibliography has no entry 2: the citation stays text for the editor to add.
    assert not root.xpath("//tei:ref[. = '[Document 2]']", namespaces=NS)
    assert root.xpath("//tei:date[. = 'November 4th']/@when", namespaces=NS) == ["1975-11-04"]
    assert root.xpath("//tei:date[. = 'August 1976']/@when", namespaces=NS)[0] == "1976-08"
    # The longest name wins: "Kim Il Sung" is one name, not "Kim" and two words.
    assert "Kim Il Sung" in root.xpath("//tei:persName[@ref = '#kim-il-sung']/text()", namespaces=NS)
    assert root.find(".//tei:titleStmt/tei:author", NS).text == "Martin Coles"


def test_imported_text_is_valid_tei(imported_seeds, tei_all_schema):
    for _, target in imported_seeds.values():
        assert tei_all_schema.validate(etree.parse(str(target))), str(tei_all_schema.error_log)


def test_imported_text_passes_teipress_validation(imported_seeds):
    validate = pytest.importorskip("teipress.validate", reason="teipress.validate is not in this checkout yet")
    config = load_config(EDITION)
    for _, target in imported_seeds.values():
        result = validate.validate_paths([target], config)
        assert result.ok, "\n".join(str(p) for p in result.problems)


def test_wrong_encoding_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"latin1.txt:1:16: the file is not UTF-8 \(byte 0xfc\)"):
        import_text(BAD / "latin1.txt", tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_import_text_never_overwrites_without_force(tmp_path):
    source = tmp_path / "letter.txt"
    source.write_text("Dear friend,\n\nwritten on May 1, 1967.\n", encoding="utf-8")
    target = tmp_path / "letter.xml"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        import_text(source, target)
    assert target.read_text(encoding="utf-8") == "mine"


def test_import_text_command(tmp_path, monkeypatch):
    monkeypatch.chdir(EDITION)
    source = tmp_path / "letter.txt"
    source.write_text("Dear Tito,\n\nthe KWP met in Pyongyang on May 1, 1967 [Document 1].\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "text", str(source), "-o", str(tmp_path / "letter.xml"), "--title", "A letter", "--type", "letter"])
    assert result.exit_code == 0, result.output
    assert "tagged: 1 date, 1 orgName, 1 persName, 1 placeName, 1 ref" in result.output
    root = etree.parse(str(tmp_path / "letter.xml")).getroot()
    assert root.get(XML_ID) == "letter"
    assert [etree.QName(e).localname for e in root.iterfind(".//tei:body/tei:p[2]/*", NS)] == ["orgName", "placeName", "date", "ref"]


def test_imported_text_is_valid_against_our_schema(imported_seeds):
    schema_path = REPO / "schema" / "teipress.rng"
    if not schema_path.is_file():
        pytest.skip("schema/teipress.rng is not in this checkout yet")
    schema = etree.RelaxNG(etree.parse(str(schema_path)))
    for _, target in imported_seeds.values():
        assert schema.validate(etree.parse(str(target))), str(schema.error_log)


def test_foreign_files_imported_then_exported_stay_valid_tei(tmp_path, tei_all_schema):
    """Import every foreign file into a copy of the fixture edition, export tei: each file valid before is valid after."""
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    config = load_config(edition)
    files = sorted(shared_path("foreign-tei").glob("*/*.xml"))
    import_tei(files, config.source, config, merge_registers="rename", force=True)
    exported = export_edition(config, "tei", tmp_path / "out")
    valid_before = {f.name for f in files if tei_all_schema.validate(etree.parse(str(f)))}
    assert len(valid_before) >= 6
    by_title = {etree.parse(str(p)).getroot().xpath("string(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])", namespaces=NS): p for p in exported.files}
    for source in files:
        if source.name not in valid_before:
            continue
        title = etree.parse(str(source)).getroot().xpath("string(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1])", namespaces=NS)
        assert tei_all_schema.validate(etree.parse(str(by_title[title]))), f"{source.name}: {tei_all_schema.error_log}"
    # A bare key of the source is not a path: it is not made a URL.
    schnitzler = (tmp_path / "out" / "l00001.xml").read_text(encoding="utf-8")
    assert 'ref="pmb41240"' in schnitzler
    # The corpus renames ids two documents share, so that each id is unique in it.
    corpus = etree.parse(str(tmp_path / "out" / "edition-corpus.xml"), etree.XMLParser(collect_ids=False)).getroot()
    ids = corpus.xpath("//@xml:id")
    assert len(ids) == len(set(ids))


def test_what_our_schema_rejects_is_summarised_by_element(tmp_path):
    if not (REPO / "schema" / "teipress.rng").is_file():
        pytest.skip("schema/teipress.rng is not in this checkout yet")
    source = shared_path("foreign-tei", "teic-tei", "testms.xml")
    result = import_tei([source], tmp_path, load_config(EDITION))
    written = tmp_path / "testms.xml"
    summary = next(counts for file, counts in result.schema_summary.items() if file.endswith("testms.xml"))
    errors = [p for p in result.problems if p.is_error and p.file.endswith("testms.xml")]
    assert errors and sum(summary.values()) == len(errors)
    lines = written.read_text(encoding="utf-8").splitlines()
    # Each problem is counted under an element that really starts on the problem's line.
    for problem in errors:
        assert any(f"<{name}" in lines[problem.line - 1] for name in summary), str(problem)
    assert any("could not be converted to the edition's schema" in note for note in result.notes)


def test_comments_and_instructions_around_the_root_are_kept(tmp_path):
    """A licence comment before the root and an instruction after it survive; only the old xml-model goes."""
    source = tmp_path / "letter.xml"
    text = FOREIGN_LETTER.read_text(encoding="utf-8")
    text = text.replace("<TEI ", "<!-- Licence: CC BY 4.0 -->\n<?editor note?>\n<TEI ", 1) + "<!-- end of letter -->\n"
    source.write_text(text, encoding="utf-8")
    import_tei([source], tmp_path / "out", load_config(EDITION))
    tree = etree.parse(str(tmp_path / "out" / "letter-0042.xml"))
    root = tree.getroot()
    before = list(reversed(list(root.itersiblings(preceding=True))))
    after = list(root.itersiblings())
    assert [node.text for node in before if isinstance(node, etree._Comment)] == [" Licence: CC BY 4.0 "]
    assert [(pi.target, pi.text) for pi in before if isinstance(pi, etree._ProcessingInstruction) and pi.target != "xml-model"] == [("editor", "note")]
    assert all("tei_all" not in pi.text for pi in before if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model")
    assert len([pi for pi in before if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"]) == 2
    assert [node.text for node in after] == [" end of letter "]


def test_import_names_existing_files_like_export_does(tmp_path):
    """Import and export share one overwrite check: the same message, at most three files named."""
    files = []
    for name in ("a", "b", "c", "d"):
        path = tmp_path / f"{name}.xml"
        path.write_text(FOREIGN_LETTER.read_text(encoding="utf-8").replace('xml:id="Letter_0042"', f'xml:id="{name}"', 1), encoding="utf-8")
        files.append(path)
    out = tmp_path / "out"
    import_tei(files, out, load_config(EDITION))
    with pytest.raises(OutputExistsError, match=r"^\S+/a\.xml, \S+/b\.xml, \S+/c\.xml and 1 more already exist\(s\); use --force to overwrite$"):
        import_tei(files, out, load_config(EDITION))


def test_tei_all_is_loaded_once_per_schema_file(tmp_path):
    schema = tmp_path / "tiny.rng"
    schema.write_text('<element name="TEI" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>', encoding="utf-8")
    assert load_tei_all(schema) is load_tei_all(schema)
    assert load_tei_all(None) is None
    with pytest.raises(ConfigError, match=r"tei_all schema \S*missing\.rng does not exist"):
        load_tei_all(tmp_path / "missing.rng")
