"""`teipress validate`: problems in the editor's terms, safe reading of hostile files, exit codes and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, shared_path

from teipress.cli import cli
from teipress.config import load_config
from teipress import validate as validate_module
from teipress.edition import load_edition
from teipress.validate import ValidationResult, validate_edition, validate_paths

VALIDATE_FIXTURES = FIXTURES / "validate"
SCHEMA_FIXTURES = FIXTURES / "schema"
EDITION = VALIDATE_FIXTURES / "edition"


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small test edition (a register and a letter), the current folder."""
    root = tmp_path / "edition"
    shutil.copytree(EDITION, root)
    monkeypatch.chdir(root)
    return root


def lines(result: ValidationResult) -> list[str]:
    return [str(p) for p in result.problems]


def add_letter(root: Path, name: str, body: str) -> Path:
    """A copy of the edition's letter with another body paragraph."""
    text = (root / "tei" / "letter-1975-11-04.xml").read_text(encoding="utf-8")
    text = text.replace('xml:id="letter-1975-11-04"', f'xml:id="{Path(name).stem}"')
    text = text.replace("<p>Dear <persName ref=\"#tito\">Comrade President</persName>, thank you for your support.</p>", body)
    path = root / "tei" / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the core -------------------------------------------------------------------------------------


def test_valid_edition_has_no_problems(edition):
    result = validate_paths([edition / "tei"], load_config(edition))
    assert result.problems == []
    assert result.ok and result.files_checked == 2 and result.error_count == 0


def test_one_file_is_checked_against_the_whole_editions_registers(edition):
    """Validating one letter still knows the persons of tei/registers/."""
    result = validate_paths([edition / "tei" / "letter-1975-11-04.xml"], load_config(edition))
    assert result.ok and result.files_checked == 1


def test_unresolved_pointer_is_reported_in_the_editors_terms(edition):
    add_letter(edition, "letter-2.xml", '<p>Dear <persName ref="#tito2">Comrade</persName>,</p>')
    result = validate_paths([edition / "tei"], load_config(edition))
    assert lines(result) == [
        'tei/letter-2.xml:25:25: error: persName/@ref "#tito2" points to no person, place, organisation or bibliographic entry of the edition; did you mean #tito? [ref-resolves]'
    ]
    assert not result.ok and result.error_count == 1


def test_validate_edition_uses_the_loaded_edition(edition):
    add_letter(edition, "letter-2.xml", '<p>On <date when="1975-02-29">29 February</date>.</p>')
    config = load_config(edition)
    result = validate_edition(load_edition(config.source), config)
    assert lines(result) == [
        'tei/letter-2.xml:25:19: error: date/@when "1975-02-29" is not a real calendar date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD) [iso-date]'
    ]


def test_relaxng_problem_names_the_element_its_parent_and_what_is_allowed_there(edition):
    letter = add_letter(edition, "letter-2.xml", "<p>Dear Sir,</p>")
    letter.write_text(letter.read_text(encoding="utf-8").replace("Tito</title>", "Tito</title><b>x</b>"), encoding="utf-8")
    result = validate_paths([letter], load_config(edition))
    assert lines(result) == [
        'tei/letter-2.xml:7:75: error: <b> is not allowed inside <titleStmt>: write <hi rend="bold"> instead; allowed here: author, editor, respStmt, title [schema]'
    ]


def not_allowed_in_p(result: ValidationResult) -> list[tuple[str, list[str]]]:
    """Each problem as its place and message, and the elements it says <p> allows (more as the schema grows: not pinned here)."""
    found = []
    for problem in result.problems:
        place_and_message, _, allowed = str(problem).removesuffix(" [schema]").partition("; allowed here: ")
        found.append((place_and_message, allowed.split(", ")))
    return found


@pytest.mark.parametrize(("body", "expected"), [
    ("<p>Text <div><p>inside</p></div>.</p>", "tei/letter-2.xml:25:15: error: <div> is not allowed inside <p>: end the <p> before it (a <div> holds paragraphs, not the reverse)"),
    ("<p>Text <p>inside</p>.</p>", "tei/letter-2.xml:25:15: error: <p> is not allowed inside <p>: end the <p> before it"),
    ('<p>Dear <hi rend="italic">Sir</hi>, <underline>thank</underline> you.</p>', 'tei/letter-2.xml:25:43: error: <underline> is not allowed inside <p>: write <hi rend="underline"> instead'),
    ("<p>Dear Sir,<br/>thank you.</p>", "tei/letter-2.xml:25:19: error: <br> is not allowed inside <p>: write <lb/> for a line break of the source"),
    ("<p>Dear <blink>Sir</blink>.</p>", "tei/letter-2.xml:25:15: error: <blink> is not allowed inside <p>"),
], ids=["div in p", "p in p", "underline", "br", "no alternative"])
def test_an_element_not_allowed_names_the_tei_alternative_and_what_is_allowed(edition, body, expected):
    add_letter(edition, "letter-2.xml", body)
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    [(message, allowed)] = not_allowed_in_p(result)
    assert message == expected
    assert {"hi", "persName", "placeName", "lb", "date", "note"} <= set(allowed) and not {"p", "div", "body", "underline"} & set(allowed)
    assert allowed == sorted(allowed, key=str.lower)


def test_an_element_allowed_in_its_parent_but_not_where_it_stands_is_told_so(edition):
    add_letter(edition, "letter-2.xml", "<p>Dear Sir,</p>")
    letter = edition / "tei" / "letter-2.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("</closer>", "</closer>\n      <p>After the closer.</p>"), encoding="utf-8")
    result = validate_paths([letter], load_config(edition))
    assert lines(result) == [
        "tei/letter-2.xml:27:7: error: <p> is allowed inside <body>, but not at this point (schema/teipress.rng documents the order of what <body> holds) [schema]"
    ]


def test_a_root_element_that_is_not_tei_is_named(edition):
    (edition / "tei" / "taxonomy.xml").write_text('<?xml version="1.0"?>\n<taxonomy xmlns="http://www.tei-c.org/ns/1.0"><category/></taxonomy>\n', encoding="utf-8")
    result = validate_paths([edition / "tei" / "taxonomy.xml"], load_config(edition))
    assert lines(result) == ["tei/taxonomy.xml:2:1: error: <taxonomy> cannot be the root element: a document of the edition is a <TEI> [schema]"]


def test_a_problem_is_placed_at_its_own_element_among_nested_and_repeated_ones_of_the_same_name(edition):
    body = '<p><hi rend="b">a</hi> <hi rend="i">b <hi rend="u" born="1">c</hi></hi> <hi rend="x" born="2">d</hi></p>'
    add_letter(edition, "letter-2.xml", body)
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    line = f"      {body}"
    # The nested <hi> is the third of four on the line, the last one the fourth.
    assert [(p.line, p.column, p.message) for p in result.problems] == [
        (25, line.index('born="1"') + 1, "attribute @born is not allowed on <hi>"),
        (25, line.index('born="2"') + 1, "attribute @born is not allowed on <hi>"),
    ]


def test_a_c1_control_character_is_a_warning_at_its_place_naming_what_windows_1252_reads(edition):
    """Written as such or as a reference, in text or an attribute value; not in a comment; the file stays valid."""
    body = '<p n="a\x9f">Dear&#x85;Comrade <!-- \x96 --> &#150;&#127; \x81</p>'
    add_letter(edition, "letter-2.xml", body)
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    line = f"      {body}"
    says = 'U+{0:04X} is a control character, which has no visible form: print leaves it out'
    assert [(p.line, p.column, p.severity.value, p.message, p.rule) for p in result.problems] == [
        (25, line.index("\x9f") + 1, "warning", says.format(0x9F) + ' (the byte 0x9F is "Ÿ" in Windows-1252: was the file converted from it?)', "control-character"),
        (25, line.index("&#x85;") + 1, "warning", says.format(0x85) + ' (the byte 0x85 is "…" in Windows-1252: was the file converted from it?)', "control-character"),
        (25, line.index("&#150;") + 1, "warning", says.format(0x96) + ' (the byte 0x96 is "–" in Windows-1252: was the file converted from it?)', "control-character"),
        (25, line.index("&#127;") + 1, "warning", says.format(0x7F), "control-character"),
        (25, line.index("\x81") + 1, "warning", says.format(0x81), "control-character"),
    ]
    assert result.ok


def test_control_characters_on_several_lines_are_placed_in_characters_counted_from_their_own_line(edition):
    """Columns count characters, not bytes ("ä" and "…" are one each); a comment over several lines hides its own."""
    lines_of_body = ["<p>Grüße\x85 und \x85</p>", "<!-- a \x96\n \x96 -->", "<p>…&#x85;</p>"]
    add_letter(edition, "letter-2.xml", "\n".join(lines_of_body))
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    first, last = f"      {lines_of_body[0]}", lines_of_body[2]
    assert [(p.line, p.column) for p in result.problems] == [
        (25, first.index("\x85") + 1), (25, first.rindex("\x85") + 1), (28, last.index("&#x85;") + 1),
    ]


# How a file from another archive may be written: its encoding (with or without a byte order mark) and its line ends.
WRITTEN = {
    "UTF-8 with a byte order mark": ("UTF-8", lambda text: text.encode("utf-8-sig")),
    "UTF-16 (little-endian, with its mark)": ("UTF-16", lambda text: text.encode("utf-16")),
    "UTF-16 big-endian without a mark": ("UTF-16", lambda text: text.encode("utf-16-be")),
    "ISO-8859-1": ("ISO-8859-1", lambda text: text.encode("iso-8859-1")),
    "windows line ends": ("UTF-8", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
}


@pytest.mark.parametrize("written", WRITTEN)
def test_a_file_of_any_encoding_and_line_ends_gets_its_problems_where_its_characters_are(edition, written):
    """Lines and columns count the characters a parser reads, as it numbers the lines: a Latin-1 file's byte 0x85 is the
    one character a UTF-8 file writes as C2 85, "ß" one character in every encoding, and a NEL ends no line."""
    body = '<p>Grüße\x85 <persName ref="#tito2">A</persName></p>\n<p n="\x96"><persName ref="#kim-il-sun">B</persName></p>'
    letter = add_letter(edition, "letter-2.xml", body)
    first, second = (f"      {line}" if number == 0 else line for number, line in enumerate(body.split("\n")))
    expected = [
        (25, first.index("\x85") + 1, "control-character"),
        (25, first.index('ref="#tito2"') + 1, "ref-resolves"),
        (26, second.index("\x96") + 1, "control-character"),
        (26, second.index('ref="#kim-il-sun"') + 1, "ref-resolves"),
    ]
    utf8 = [(p.line, p.column, p.message, p.rule) for p in validate_paths([letter], load_config(edition)).problems]
    assert [(line, column, rule) for line, column, _message, rule in utf8] == expected
    declared, encode = WRITTEN[written]
    text = letter.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    letter.write_bytes(encode(text.replace('encoding="UTF-8"', f'encoding="{declared}"', 1)))
    assert [(p.line, p.column, p.message, p.rule) for p in validate_paths([letter], load_config(edition)).problems] == utf8


def test_in_a_cdata_section_a_control_character_is_text_and_a_reference_is_not_one(edition):
    """A CDATA section's characters are text as written: "\x85" there is one, "&#x85;" six characters, "<!--" no comment."""
    body = '<p><![CDATA[a\x85 &#x85; <!-- b]]> c\x96 <!-- \x97 --> d&#x85;</p>'
    add_letter(edition, "letter-2.xml", body)
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    line = f"      {body}"
    assert [(p.line, p.column) for p in result.problems] == [(25, line.index("\x85") + 1), (25, line.index("\x96") + 1), (25, line.rindex("&#x85;") + 1)]


def test_two_bad_pointers_on_one_line_are_reported_at_their_own_attributes(edition):
    add_letter(edition, "letter-2.xml", '<p><persName ref="#tito2">A</persName> and <persName cert="low" ref="#kim-il-sun">B</persName> <persName ref="#xyzzy">C</persName></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert lines(result) == [
        'tei/letter-2.xml:25:20: error: persName/@ref "#tito2" points to no person, place, organisation or bibliographic entry of the edition; did you mean #tito? [ref-resolves]',
        'tei/letter-2.xml:25:71: error: persName/@ref "#kim-il-sun" points to no person, place, organisation or bibliographic entry of the edition; did you mean #kim-il-sung? [ref-resolves]',
        'tei/letter-2.xml:25:112: error: persName/@ref "#xyzzy" points to no person, place, organisation or bibliographic entry of the edition [ref-resolves]',
    ]


def test_a_pointer_without_hash_is_reported_with_its_correction(edition):
    add_letter(edition, "letter-2.xml", '<p><persName ref="kim-il-sung">A</persName>, <persName ref="#tito kim-il-sung">B</persName>, <ref target="tito">C</ref>, <persName ref="tito2">D</persName>.</p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert lines(result) == [
        'tei/letter-2.xml:25:20: error: persName/@ref "kim-il-sung" is not a pointer: write ref="#kim-il-sung" [ref-resolves]',
        'tei/letter-2.xml:25:62: error: persName/@ref "#tito kim-il-sung": "kim-il-sung" is not a pointer: write ref="#tito #kim-il-sung" [ref-resolves]',
        'tei/letter-2.xml:25:105: error: ref/@target "tito" is not a pointer: write target="#tito" [target-resolves]',
        'tei/letter-2.xml:25:138: error: persName/@ref "tito2" points to no person, place, organisation or bibliographic entry of the edition; '
        "a pointer into the edition starts with #: did you mean #tito? [ref-resolves]",
    ]


def test_urls_and_other_files_are_not_taken_for_pointers_without_hash(edition):
    add_letter(edition, "letter-2.xml", '<p><ref target="https://example.org/tito">A</ref> <ref target="letter-1975-11-04.xml">B</ref> <ref target="diary">C</ref></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert result.problems == []


def test_every_failing_token_of_a_pointer_list_gets_its_suggestion(edition):
    add_letter(edition, "letter-2.xml", '<p><persName ref="#tito #kim-il-sng">A</persName> <persName ref="#tito2 #kim-il-sng">B</persName></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert lines(result) == [
        'tei/letter-2.xml:25:20: error: persName/@ref "#tito #kim-il-sng" points to no person, place, organisation or bibliographic entry of the edition; '
        "did you mean #kim-il-sung? [ref-resolves]",
        'tei/letter-2.xml:25:67: error: persName/@ref "#tito2 #kim-il-sng" points to no person, place, organisation or bibliographic entry of the edition; '
        "#tito2: did you mean #tito?; #kim-il-sng: did you mean #kim-il-sung? [ref-resolves]",
    ]


def test_suggestions_come_from_entries_of_the_right_kind_first(edition):
    register = edition / "tei" / "registers" / "persons.xml"
    register.write_text(register.read_text(encoding="utf-8").replace(
        '<person xml:id="kim-il-sung">', '<person xml:id="wiener"><persName>Invented Wiener</persName></person>\n        <person xml:id="kim-il-sung">'), encoding="utf-8")
    places = register.read_text(encoding="utf-8").replace('xml:id="persons"', 'xml:id="places"')
    listing = places[places.index("<listPerson>"):places.index("</listPerson>") + len("</listPerson>")]
    places = places.replace(listing, '<listPlace>\n        <place xml:id="wien"><placeName>Wien</placeName></place>\n        <place xml:id="titov"><placeName>Invented</placeName></place>\n      </listPlace>')
    (edition / "tei" / "registers" / "places.xml").write_text(places, encoding="utf-8")
    add_letter(edition, "letter-2.xml", '<p><placeName ref="#wien2">A</placeName> <persName ref="#wien2">B</persName> <name ref="#wien2">C</name> <placeName ref="#tito2">D</placeName></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert [p.message.partition("; ")[2] for p in result.problems] == [
        "did you mean #wien?", "did you mean #wiener?", "did you mean #wien or #wiener?", "did you mean #titov?",
    ]


def test_incomplete_element_is_named(edition):
    add_letter(edition, "letter-2.xml", "<list>\n      </list>")
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    assert lines(result) == [
        "tei/letter-2.xml:25:7: error: <list> is incomplete: a required element is missing (schema/teipress.rng documents what <list> holds) [schema]"
    ]


def test_bad_attribute_value_is_told_from_an_unknown_attribute(edition):
    add_letter(edition, "letter-2.xml", '<p><persName ref="#tito" cert="sure" born="1892">Tito</persName></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    messages = [p.message for p in result.problems]
    # libxml2 stops at the first bad attribute of an element, so the unknown @born is reported once @cert is fixed.
    assert messages == ['the value "sure" of @cert on <persName> is not allowed'], messages
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(25, 32, "schema")]


def test_an_unknown_attribute_is_reported_at_the_attribute_of_the_element_that_has_it(edition):
    add_letter(edition, "letter-2.xml", '<p><persName ref="#tito">Tito</persName> and <persName ref="#tito" born="1892">Tito</persName></p>\n      <p><persName\n          ref="#tito" born="1892">Tito</persName></p>')
    result = validate_paths([edition / "tei" / "letter-2.xml"], load_config(edition))
    # libxml2 gives a start tag over two lines the line where it ends: the attribute is found on it.
    assert lines(result) == [
        "tei/letter-2.xml:25:74: error: attribute @born is not allowed on <persName> [schema]",
        "tei/letter-2.xml:27:23: error: attribute @born is not allowed on <persName> [schema]",
    ]


def test_a_register_entry_defined_again_in_a_document_is_reported_at_each_definition(edition):
    add_letter(edition, "letter-2.xml", '<p>A letter with its own list of persons.</p>')
    letter = edition / "tei" / "letter-2.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("</teiHeader>", '</teiHeader>\n  <standOff><listPerson><person xml:id="tito"><persName>Tito</persName></person></listPerson></standOff>'), encoding="utf-8")
    result = validate_paths([edition / "tei"], load_config(edition))
    assert [line for line in lines(result) if line.endswith("[unique-id]")] == [
        'tei/letter-2.xml:23:33: error: register entry "tito" of <person> is defined in another file too (at tei/registers/persons.xml:15); '
        'the id of a register entry or of a document must be unique across the edition [unique-id]',
        'tei/registers/persons.xml:15:17: error: register entry "tito" of <person> is defined in another file too (at tei/letter-2.xml:23); '
        'the id of a register entry or of a document must be unique across the edition [unique-id]',
    ]


@pytest.mark.parametrize("large", [False, True], ids=["trees held", "large edition: no tree held, workers"])
def test_many_ids_repeated_across_files_and_within_a_file(edition, monkeypatch, large):
    """As in real corpora (an id per line, the same ids in every letter): fine, as xml:id is unique within a file; an id
    twice in one file is reported at each use. An edition as large as `PARALLEL_FROM` is validated without holding its
    trees: the same problems, same columns."""
    if large:
        monkeypatch.setattr(validate_module, "PARALLEL_FROM", 1)
    letters = "abcdef"
    for letter in letters:
        lbs = "\n".join(f'        <lb xml:id="l{number}"/>line {number}' for number in range(1, 21))
        twice = '\n      <p xml:id="twice">A.</p>\n      <p xml:id="twice">B.</p>' if letter == "a" else ""
        on_one_line = '\n      <p><seg xml:id="s">x</seg> <seg xml:id="s">y</seg></p>' if letter == "b" else ""
        add_letter(edition, f"letter-{letter}.xml", f"<p>\n{lbs}\n      </p>{twice}{on_one_line}")
    result = validate_paths([edition / "tei"], load_config(edition, jobs=2))
    assert lines(result) == [
        'tei/letter-a.xml:47:10: error: xml:id "twice" of <p> is used more than once in this file (also at line 48); an xml:id must be unique within its file [unique-id]',
        'tei/letter-a.xml:48:10: error: xml:id "twice" of <p> is used more than once in this file (also at line 47); an xml:id must be unique within its file [unique-id]',
        'tei/letter-b.xml:47:15: error: xml:id "s" of <seg> is used more than once in this file (also at line 47); an xml:id must be unique within its file [unique-id]',
        'tei/letter-b.xml:47:39: error: xml:id "s" of <seg> is used more than once in this file (also at line 47); an xml:id must be unique within its file [unique-id]',
    ]
    assert result.files_checked == 8


@pytest.mark.parametrize("path", sorted(SCHEMA_FIXTURES.glob("invalid-*.xml")), ids=lambda p: p.name)
def test_every_invalid_schema_fixture_is_invalid_with_its_rule(path, monkeypatch):
    monkeypatch.chdir(SCHEMA_FIXTURES)
    result = validate_paths([path], load_config(SCHEMA_FIXTURES, source=str(path)))
    rule = path.stem.removeprefix("invalid-")
    expected = "schema" if rule.startswith("schema-") else rule
    assert {p.rule for p in result.problems} == {expected}, lines(result)


@pytest.mark.parametrize("path", sorted(SCHEMA_FIXTURES.glob("valid-*.xml")), ids=lambda p: p.name)
def test_every_valid_schema_fixture_is_valid(path):
    result = validate_paths([path], load_config(SCHEMA_FIXTURES, source=str(path)))
    assert result.problems == []


# --- hostile and broken input ---------------------------------------------------------------------


def validate_fixture(name: str, monkeypatch: pytest.MonkeyPatch) -> ValidationResult:
    monkeypatch.chdir(VALIDATE_FIXTURES)
    return validate_paths([VALIDATE_FIXTURES / name], load_config(VALIDATE_FIXTURES, source="."))


def test_not_well_formed_file_gets_one_problem_with_line_and_column(monkeypatch):
    result = validate_fixture("not-well-formed.xml", monkeypatch)
    assert lines(result) == ["not-well-formed.xml:12:57: error: not well-formed XML: Opening and ending tag mismatch: p line 12 and div [xml-syntax]"]


def test_billion_laughs_is_refused(monkeypatch):
    result = validate_fixture("billion-laughs.xml", monkeypatch)
    assert [(p.rule, p.message) for p in result.problems] == [
        ("unsafe-input", "refused: the file's entities expand to an excessive size (an entity expansion bomb); remove the DOCTYPE's entity declarations")
    ]


def test_external_entity_is_refused_and_never_read(monkeypatch, capsys):
    result = validate_fixture("external-entity.xml", monkeypatch)
    assert lines(result) == [
        'external-entity.xml:15:18: error: the external entity &secret; (SYSTEM "file:///etc/passwd") was refused: '
        "/etc/passwd lies outside the source folder ./, and teipress reads no file outside it; replace the entity by the text it stands for [external-entity]"
    ]
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace") if Path("/etc/passwd").exists() else "root:x:0:0"
    first_entry = passwd.splitlines()[0] if passwd else "root:x:0:0"
    assert first_entry not in json.dumps([p.as_dict() for p in result.problems])
    result_cli = CliRunner().invoke(cli, ["validate", "--format", "json", str(VALIDATE_FIXTURES / "external-entity.xml")])
    assert result_cli.exit_code == 1
    assert first_entry not in result_cli.output


def test_xinclude_outside_the_source_folder_is_refused(monkeypatch):
    result = validate_fixture("xinclude-outside.xml", monkeypatch)
    assert [(p.line, p.rule) for p in result.problems] == [(12, "unsafe-xinclude")]
    assert "points outside the edition's source folder" in result.problems[0].message
    assert "root:" not in result.problems[0].message


def test_duplicate_ids_in_one_file_are_problems_not_a_syntax_error(monkeypatch):
    result = validate_fixture("duplicate-ids.xml", monkeypatch)
    assert lines(result) == [
        'duplicate-ids.xml:12:10: error: xml:id "p1" of <p> is used more than once in this file (also at line 13); an xml:id must be unique within its file [unique-id]',
        'duplicate-ids.xml:13:10: error: xml:id "p1" of <p> is used more than once in this file (also at line 12); an xml:id must be unique within its file [unique-id]',
    ]


def test_broken_files_do_not_stop_the_others(monkeypatch):
    monkeypatch.chdir(VALIDATE_FIXTURES)
    names = ["not-well-formed.xml", "billion-laughs.xml", "duplicate-ids.xml", "external-entity.xml"]
    result = validate_paths([VALIDATE_FIXTURES / n for n in names], load_config(VALIDATE_FIXTURES, source="."))
    assert result.files_checked == 4
    assert sorted({p.file for p in result.problems}) == sorted(names)


@pytest.mark.slow
def test_a_50_mb_file_validates_with_correct_problems(tmp_path, monkeypatch):
    """A 50 MB letter (many paragraphs) is read within libxml2's limits and its two planted problems are found."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EDITION / "tei", tmp_path / "tei")
    template = (EDITION / "tei" / "letter-1975-11-04.xml").read_text(encoding="utf-8")
    paragraph = '      <p>Dear <persName ref="#tito">Comrade President</persName>, we thank you for your support of our position at the United Nations.</p>\n'
    count = 50 * 1024 * 1024 // len(paragraph)
    bad = [count // 3, 2 * count // 3]
    body = "".join(
        paragraph.replace("#tito", "#tito2") if i == bad[0] else paragraph.replace("<p>", '<p><date when="1975-13-01">x</date>') if i == bad[1] else paragraph
        for i in range(count)
    )
    head, _, tail = template.partition('      <p>Dear <persName ref="#tito">Comrade President</persName>, thank you for your support.</p>\n')
    big = tmp_path / "tei" / "big.xml"
    big.write_text(head.replace('xml:id="letter-1975-11-04"', 'xml:id="big"') + body + tail, encoding="utf-8")
    assert big.stat().st_size > 50 * 1024 * 1024
    first_line = head.count("\n") + 1
    result = validate_paths([big], load_config(tmp_path))
    assert [(p.line, p.rule) for p in result.problems] == [(first_line + bad[0], "ref-resolves"), (first_line + bad[1], "iso-date")]


# --- the command line -----------------------------------------------------------------------------


def test_cli_exit_0_when_valid(edition):
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "2 file(s) checked: 0 error(s), 0 warning(s)" in result.output


def test_cli_exit_1_and_the_exact_problem_when_invalid(edition):
    add_letter(edition, "letter-2.xml", '<p>Dear <persName ref="#tito2">Comrade</persName>,</p>')
    result = CliRunner().invoke(cli, ["validate", "tei/letter-2.xml"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'tei/letter-2.xml:25:25: error: persName/@ref "#tito2" points to no person, place, organisation or bibliographic entry of the edition; did you mean #tito? [ref-resolves]'
    )
    assert "1 file(s) checked: 1 error(s), 0 warning(s)" in result.output


def test_cli_json_on_a_folder_with_one_broken_file_reports_it_and_the_others(edition):
    (edition / "tei" / "broken.xml").write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text>\n</TEI>\n', encoding="utf-8")
    add_letter(edition, "letter-2.xml", '<p>On <date from="1976" to="1975">those years</date>.</p>')
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "tei"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [
        {"file": "tei/broken.xml", "line": 4, "column": 7, "severity": "error", "rule": "xml-syntax",
         "message": "not well-formed XML: Opening and ending tag mismatch: text line 3 and TEI"},
        {"file": "tei/letter-2.xml", "line": 25, "column": 13, "severity": "error", "rule": "date-order",
         "message": 'date: the start "1976" (@from) comes after the end "1975" (@to)'},
    ]


def test_cli_exit_2_for_a_path_that_does_not_exist(edition):
    result = CliRunner().invoke(cli, ["validate", "no-such-file.xml"])
    assert result.exit_code == 2
    assert "Path 'no-such-file.xml' does not exist" in result.output


def test_cli_exit_2_when_the_source_folder_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert result.output == "error: the source folder tei does not exist; start an edition with `teipress init`, or name the folder of your TEI files (`source` in teipress.toml)\n"


def test_cli_exit_2_when_tei_all_is_asked_for_but_not_configured(edition):
    result = CliRunner().invoke(cli, ["validate", "--tei-all"])
    assert result.exit_code == 2
    assert result.output.startswith("error: --tei-all needs the TEI Consortium's tei_all.rng: download it from "
                                    "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng")
    assert "Traceback" not in result.output


def test_cli_tei_all_reports_what_tei_all_rejects(edition):
    tei_all = shared_path("schemas", "tei_all.rng")
    # Valid for tei_all as for us:
    assert CliRunner().invoke(cli, ["validate", "--tei-all-schema", str(tei_all)]).exit_code == 0
    # A file outside our subset that tei_all also rejects gets a [tei_all] problem too.
    add_letter(edition, "letter-2.xml", "<p>Text <div><p>inside</p></div>.</p>")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--tei-all-schema", str(tei_all), "tei/letter-2.xml"])
    assert result.exit_code == 1
    rules = [(p["rule"], p["line"]) for p in json.loads(result.stdout)]
    assert ("schema", 25) in rules and ("tei_all", 25) in rules


def test_tei_all_without_java_falls_back_to_lxml(edition, monkeypatch, tei_all_schema):
    import teipress.validate as validate_module

    monkeypatch.setattr(validate_module, "_jing_command", lambda: None)
    monkeypatch.setattr(validate_module, "_lxml_tei_all", lambda schema: tei_all_schema)  # the session's copy: loaded once
    add_letter(edition, "letter-2.xml", "<p>Text <div><p>inside</p></div>.</p>")
    config = load_config(edition, tei_all=str(shared_path("schemas", "tei_all.rng")))
    result = validate_paths([edition / "tei"], config, tei_all=True)
    assert [(p.file, p.line, p.rule) for p in result.problems] == [("tei/letter-2.xml", 25, "schema"), ("tei/letter-2.xml", 25, "tei_all")]


def test_seed_edition_validates(monkeypatch):
    """The edition in tei/ (encoded by hand) is valid: exit 0."""
    if not (REPO / "tei").is_dir() or not any((REPO / "tei").glob("*.xml")):
        pytest.skip("the seed edition tei/ is not there yet")
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output


def test_an_included_part_is_validated_once_inside_its_document(edition, monkeypatch):
    monkeypatch.chdir(edition)
    (edition / "tei" / "parts").mkdir()
    (edition / "tei" / "parts" / "part.xml").write_text('<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="included-paragraph">Included.</p>', encoding="utf-8")
    add_letter(edition, "letter-2.xml", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="parts/part.xml"/>')
    for paths in ([edition / "tei"], [edition / "tei" / "letter-2.xml"]):
        result = validate_paths(paths, load_config(edition))
        assert result.problems == [], [str(p) for p in result.problems]


def test_every_pointer_of_a_list_is_checked_by_teipress(edition):
    """ref="#tito #nobody": the second pointer is wrong although the first resolves."""
    add_letter(edition, "letter-2.xml", '<p>Dear <persName ref="#tito #nobody">Comrade</persName>, <ref target="#nothing #tito">see</ref>.</p>')
    result = validate_paths([edition / "tei"], load_config(edition))
    assert [(p.file, p.line, p.rule) for p in result.problems] == [("tei/letter-2.xml", 25, "ref-resolves"), ("tei/letter-2.xml", 25, "target-resolves")]


def test_files_checked_in_worker_processes_give_the_problems_of_one_process(edition, monkeypatch):
    import dataclasses

    from teipress import validate

    add_letter(edition, "letter-2.xml", '<p><persName ref="#tito2 #kim-il-sng">B</persName> <underline>u</underline></p>')
    add_letter(edition, "letter-3.xml", '<p xml:id="p-1"><placeName ref="#nowhere">A</placeName> <date when="1975-02-30">x</date></p>')
    add_letter(edition, "letter-4.xml", '<p xml:id="p-1"><persName ref="tito">C</persName></p> <p xml:id="p-1">D</p>')
    config = load_config(edition)
    alone = validate_paths([edition / "tei"], dataclasses.replace(config, jobs=1))
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    monkeypatch.setattr(validate, "FILES_PER_TASK", 2)
    in_workers = validate_paths([edition / "tei"], dataclasses.replace(config, jobs=2))
    assert len(alone.problems) >= 7 and {p.rule for p in alone.problems} >= {"ref-resolves", "schema", "iso-date", "unique-id"}
    assert lines(in_workers) == lines(alone)


# --- corresp-addressee says what is missing ---------------------------------------------------------

ADDRESSEE_FIXTURE = SCHEMA_FIXTURES / "invalid-corresp-addressee.xml"
RECEIVED = """        <correspAction type="received">
          <date when="1975-11-10">10 November 1975</date>
        </correspAction>
"""


@pytest.mark.parametrize(("sent_extra", "received", "expected"), [
    ("", RECEIVED, 'correspAction[@type="received"] names no addressee (no persName, orgName, name, rs or placeName in it): add a persName or orgName '
                   'naming the addressee (or, where the source names only the destination, a placeName) to correspAction[@type="received"]'),
    ("", "", 'correspDesc has no correspAction[@type="received"]: add a persName or orgName naming the addressee '
             '(or, where the source names only the destination, a placeName) to a new correspAction type="received"'),
    ('<persName type="addressee">Josip Broz Tito</persName>', "",
     'correspDesc has no correspAction[@type="received"]: the addressee <persName type="addressee"> "Josip Broz Tito" '
     'is tagged inside correspAction[@type="sent"]; move it into a new correspAction type="received"'),
    ('<orgName type="addressee">Anonym</orgName>', RECEIVED,
     'correspAction[@type="received"] names no addressee (no persName, orgName, name, rs or placeName in it): the addressee <orgName type="addressee"> '
     '"Anonym" is tagged inside correspAction[@type="sent"]; move it into correspAction[@type="received"]'),
], ids=["receiving names nobody", "no receiving", "addressee in the sending, no receiving", "addressee in the sending, receiving without it"])
def test_corresp_addressee_says_what_is_missing(tmp_path, monkeypatch, sent_extra, received, expected):
    """As the Escher letters tag the addressee inside the sending action (<orgName type="addressee">), the message names it and where it belongs."""
    text = ADDRESSEE_FIXTURE.read_text(encoding="utf-8").replace(RECEIVED, received)
    text = text.replace('<date when="1975-11-04">', sent_extra + '<date when="1975-11-04">')
    (tmp_path / "letter.xml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = validate_paths([Path("letter.xml")], load_config(tmp_path, source="letter.xml"))
    assert [(p.rule, p.message) for p in result.problems if p.rule.startswith("corresp")] == [("corresp-addressee", expected)]
