"""teipress entities: register names not yet tagged, register entries nobody mentions."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from teipress.cli import cli
from teipress.config import load_config
from teipress import entities
from teipress.entities import NameMatcher, find_untagged, untagged_in
from teipress.xmlio import TEI_NS

EDITION = FIXTURES / "exchange" / "edition"


def test_untagged_names_with_their_place():
    report = find_untagged(load_config(EDITION))
    found = {document: [(i.line, i.column, i.surface, i.entity, i.kind) for i in items] for document, items in report.untagged.items()}
    assert found == {
        "essay-tito-kim-correspondence": [(30, 56, "Kim", "kim-il-sung", "person")],
        "telegram-1967-05-01-pyongyang": [(53, 320, "KWP", "kwp", "org")],
    }
    line = (EDITION / "tei" / "telegram-1967-05-01-pyongyang.xml").read_text(encoding="utf-8").splitlines()[52]
    assert line[319:322] == "KWP"


def test_entries_nobody_mentions():
    report = find_untagged(load_config(EDITION))
    assert [(e.entity, e.kind, e.name, e.line) for e in report.unmentioned] == [("lima", "place", "Lima", 27)]
    assert report.unmentioned[0].file.endswith("tei/registers/places.xml")


def test_tagging_a_name_removes_it_from_the_report(tmp_path):
    edition = tmp_path / "edition"
    shutil.copytree(EDITION, edition)
    path = edition / "tei" / "essay-tito-kim-correspondence.xml"
    path.write_text(path.read_text(encoding="utf-8").replace(", Kim wrote to", ', <persName ref="#kim-il-sung">Kim</persName> wrote to'), encoding="utf-8")
    report = find_untagged(load_config(edition))
    assert "essay-tito-kim-correspondence" not in report.untagged


def test_longest_name_first_and_whole_words_only():
    registers = etree.fromstring(
        '<registers xmlns:tei="http://www.tei-c.org/ns/1.0">'
        '<tei:person xml:id="kim"><tei:persName type="standard">Kim Il Sung</tei:persName><tei:persName type="variant">Kim</tei:persName></tei:person>'
        '<tei:org xml:id="kwp"><tei:orgName type="standard">Korean Workers\' Party</tei:orgName><tei:orgName type="variant">KWP</tei:orgName></tei:org>'
        "</registers>"
    )
    matcher = NameMatcher.from_registers(registers)
    text = "Kim Il Sung met Kimball; the Korean Workers’ Party (KWP) and KWPs."
    assert [(m.surface, m.entity) for m in matcher.find(text)] == [("Kim Il Sung", "kim"), ("Korean Workers’ Party", "kwp"), ("KWP", "kwp")]


def test_a_name_two_entries_share_is_not_guessed():
    registers = etree.fromstring(
        '<registers xmlns:tei="http://www.tei-c.org/ns/1.0">'
        '<tei:person xml:id="a"><tei:persName>Popa</tei:persName></tei:person>'
        '<tei:person xml:id="b"><tei:persName>Popa</tei:persName></tei:person>'
        "</registers>"
    )
    matcher = NameMatcher.from_registers(registers)
    assert list(matcher.find("Popa wrote.")) == []
    assert matcher.ambiguous == {"Popa"}


def test_entities_command(monkeypatch):
    monkeypatch.chdir(EDITION)
    result = CliRunner().invoke(cli, ["entities"])
    assert result.exit_code == 0, result.output
    assert "tei/telegram-1967-05-01-pyongyang.xml:53:320: untagged org name 'KWP' (#kwp)" in result.output
    assert "place #lima (Lima)" in result.output
    data = json.loads(CliRunner().invoke(cli, ["entities", "--format", "json"]).output)
    assert [e["entity"] for e in data["unmentioned"]] == ["lima"]


KIM_REGISTER = etree.fromstring(
    '<registers xmlns:tei="http://www.tei-c.org/ns/1.0">'
    '<tei:person xml:id="kim"><tei:persName>Kim</tei:persName></tei:person>'
    "</registers>"
)
CORPUS = """<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader/>
  <TEI><teiHeader/><text><body><p>Nobody here.</p></body></text></TEI>
  <TEI><teiHeader/><text><body>
    <p>Then <hi>Kim</hi> wrote.</p>
    <p>A <persName>the leader</persName> tagged; Kim again.</p>
  </body></text></TEI>
</teiCorpus>"""


def test_every_text_of_a_corpus_is_searched():
    root = etree.fromstring(CORPUS)
    found = untagged_in(root, NameMatcher.from_registers(KIM_REGISTER), "corpus", "corpus.xml", CORPUS.splitlines())
    assert [(i.line, i.column, i.surface) for i in found] == [(5, 17, "Kim"), (6, 50, "Kim")]


def test_lines_are_computed_only_for_matches(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(entities, "_line_of_text", lambda element, real=entities._line_of_text: calls.append("text") or real(element))
    monkeypatch.setattr(entities, "_line_of_tail", lambda child, real=entities._line_of_tail: calls.append("tail") or real(child))
    document = etree.fromstring(CORPUS).xpath("/tei:teiCorpus/tei:TEI[2]", namespaces={"tei": TEI_NS})[0]
    root = etree.fromstring(etree.tostring(document))
    found = list(untagged_in(root, NameMatcher.from_registers(KIM_REGISTER), "letter", "letter.xml", []))
    assert len(found) == 2
    # Kim in <hi>'s text, and in the tail after <persName>: one line each, nothing for the other texts.
    assert calls == ["text", "tail"]


def test_an_unreadable_file_is_named_and_the_others_still_searched(tmp_path, monkeypatch):
    shutil.copytree(EDITION, tmp_path / "edition")
    (tmp_path / "edition" / "tei" / "broken.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "edition")
    result = CliRunner().invoke(cli, ["entities"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "tei/broken.xml:1:53: error: not well-formed XML: Premature end of data in tag teiHeader line 1 [xml-syntax]"
    assert "  tei/telegram-1967-05-01-pyongyang.xml:53:320: untagged org name 'KWP' (#kwp)" in lines
    assert result.stderr.splitlines()[-1] == "1 file(s) could not be read and were left out (see the errors above)."
    data = json.loads(CliRunner().invoke(cli, ["entities", "--format", "json"]).stdout)
    assert [(p["file"], p["line"], p["rule"]) for p in data["problems"]] == [("tei/broken.xml", 1, "xml-syntax")]
    assert [e["entity"] for e in data["unmentioned"]] == ["lima"]
