"""The core every command builds on: settings, safe XML reading, XInclude confinement, atomic writes, Saxon."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from teipress.config import load_config
from teipress.edition import is_register, load_edition, merged_registers
from teipress.errors import ConfigError, TransformError
from teipress.problems import Problem, Severity
from teipress.saxon import Stylesheets
from teipress.xmlio import XMLInputError, parse_file, write_atomic

from conftest import FIXTURES

CORE = FIXTURES / "core"


def test_defaults_need_no_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source == tmp_path / "tei"
    assert config.html_dir == tmp_path / "output" / "html"
    assert config.pdf_dir == tmp_path / "output" / "pdf"
    assert config.paper == "a4"
    assert config.jobs >= 1


def test_config_file_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "teipress.toml").write_text(
        'source = "sources"\nbase_url = "https://edition.example.org"\npaper = "A5"\nfont_paths = ["fonts"]\n', encoding="utf-8"
    )
    config = load_config(tmp_path, output=tmp_path / "elsewhere")
    assert config.source == tmp_path / "sources"
    assert config.base_url == "https://edition.example.org/"
    assert config.paper == "a5"
    assert config.font_paths == (tmp_path / "fonts",)
    assert config.output == tmp_path / "elsewhere"


def test_empty_settings_mean_the_default(tmp_path: Path) -> None:
    (tmp_path / "teipress.toml").write_text('title = ""\ntei_all = ""\nfont_paths = []\n', encoding="utf-8")
    config = load_config(tmp_path)
    assert (config.title, config.tei_all, config.font_paths) == (None, None, ())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('colour = "red"\n', "unknown setting(s) colour"),
        ('paper = "napkin"\n', "paper must be one of"),
        ("jobs = 0\n", "jobs must be a whole number"),
        ("source = [\n", "teipress.toml"),
    ],
)
def test_config_errors_name_the_file_and_the_setting(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "teipress.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(tmp_path)


def test_internal_entities_are_expanded(tmp_path: Path) -> None:
    path = tmp_path / "entity.xml"
    path.write_text('<!DOCTYPE r [<!ENTITY ed "Editor">]><r>&ed;</r>', encoding="utf-8")
    assert parse_file(path).getroot().text == "Editor"


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(path)
    assert "root:" not in str(raised.value)
    assert raised.value.problem.rule in {"xml-syntax", "unsafe-input"}


def test_entity_bomb_is_stopped_and_reported_at_its_reference(tmp_path: Path) -> None:
    levels = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    path = tmp_path / "bomb.xml"
    path.write_text('<!DOCTYPE r [<!ENTITY small "fine">\n' + "\n".join(levels) + ']>\n<r>\n  <p>&small;</p>\n  <p>before &a9;</p>\n</r>', encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(path)
    problem = raised.value.problem
    assert (problem.line, problem.column, problem.rule) == (14, 13, "unsafe-input")
    assert problem.message == "refused: the file's entities expand to an excessive size (an entity expansion bomb); remove the DOCTYPE's entity declarations"


def test_a_nul_character_is_one_line_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "nul.xml"
    path.write_bytes(b"<r>\n<p>a\x00b</p></r>")
    with pytest.raises(XMLInputError) as raised:
        parse_file(path)
    assert str(raised.value.problem).endswith("nul.xml:2:5: error: not well-formed XML: Invalid character: Char 0x0 out of allowed range [xml-syntax]")


def test_a_problem_is_one_line_whatever_its_file_name_and_message_hold() -> None:
    problem = Problem("a\nb\u202e.xml", 3, 4, Severity.ERROR, "first\n  second\x1b[31m", "rule")
    assert str(problem) == "a\\x0ab\\u202e.xml:3:4: error: first second\\x1b[31m [rule]"


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<r>\n  <a></b>\n</r>", encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(path)
    problem = raised.value.problem
    assert (problem.line, problem.severity.value, problem.rule) == (2, "error", "xml-syntax")
    assert problem.column > 1
    assert "Opening and ending tag mismatch" in problem.message


def test_duplicate_ids_are_not_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.xml"
    path.write_text('<r><a xml:id="x"/><b xml:id="x"/></r>', encoding="utf-8")
    assert len(parse_file(path).getroot()) == 2


def test_xinclude_inside_the_source_folder_is_resolved() -> None:
    tree = parse_file(CORE / "xinclude" / "main.xml", xinclude_root=CORE / "xinclude")
    texts = [p.text for p in tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")]
    assert texts == ["Before.", "Included paragraph.", "After."]


@pytest.mark.parametrize(("name", "rule"), [("escape.xml", "unsafe-xinclude"), ("remote.xml", "unsafe-xinclude"), ("loop.xml", "xinclude-loop")])
def test_xinclude_cannot_leave_the_edition_or_loop(name: str, rule: str) -> None:
    with pytest.raises(XMLInputError) as raised:
        parse_file(CORE / "xinclude" / name, xinclude_root=CORE / "xinclude")
    assert raised.value.problem.rule == rule
    assert "root:x:0:0" not in str(raised.value)


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    write_atomic(target, "old")

    class Boom(Exception):
        pass

    def failing():
        yield "new"
        raise Boom

    from teipress.xmlio import atomic_output

    with pytest.raises(Boom):
        with atomic_output(target, "w") as stream:
            for chunk in failing():
                stream.write(chunk)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_stylesheets_are_compiled_once_and_take_typed_parameters(tmp_path: Path) -> None:
    stylesheet = tmp_path / "echo.xsl"
    stylesheet.write_text(
        """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
             xmlns:xs="http://www.w3.org/2001/XMLSchema" expand-text="yes">
             <xsl:param name="greeting" as="xs:string"/>
             <xsl:param name="count" as="xs:integer"/>
             <xsl:param name="flag" as="xs:boolean" select="false()"/>
             <xsl:output method="text"/>
             <xsl:template match="/">{$greeting}:{$count + 1}:{$flag}:{count(//*)}</xsl:template>
           </xsl:stylesheet>""",
        encoding="utf-8",
    )
    stylesheets = Stylesheets()
    document = etree.fromstring("<a><b/></a>")
    assert stylesheets.transform(stylesheet, document, greeting="hi", count=41, flag=True) == "hi:42:true:2"
    first = stylesheets.executable(stylesheet)
    assert stylesheets.transform(stylesheet, document, greeting="again", count=0) == "again:1:false:2"
    assert stylesheets.executable(stylesheet) is first


def test_broken_stylesheet_is_a_transform_error(tmp_path: Path) -> None:
    stylesheet = tmp_path / "broken.xsl"
    stylesheet.write_text('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="1 +"/></xsl:template></xsl:stylesheet>')
    with pytest.raises(TransformError, match="cannot compile"):
        Stylesheets().executable(stylesheet)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("mailto:editor@example.org", "mailto:editor@example.org"),
        ("other.xml#p3", "other.xml#p3"),
        ("a/../b.html", "a/../b.html"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox", ""),
        ("../../etc/passwd", ""),
        ("/etc/passwd", ""),
        ("//evil.example/x", ""),
        ("file:///etc/passwd", ""),
    ],
)
def test_safe_url(tmp_path: Path, url: str, safe: str) -> None:
    stylesheet = tmp_path / "safe.xsl"
    stylesheet.write_text(
        f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
             xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tp="https://teipress.org/ns/xslt" expand-text="yes">
             <xsl:import href="{(Path(__file__).parents[1] / 'xslt' / 'common' / 'functions.xsl').as_uri()}"/>
             <xsl:param name="url" as="xs:string"/>
             <xsl:output method="text"/>
             <xsl:template match="/">{{tp:safe-url($url)}}</xsl:template>
           </xsl:stylesheet>""",
        encoding="utf-8",
    )
    assert Stylesheets().transform(stylesheet, etree.fromstring("<a/>"), url=url) == safe


def test_edition_roles_and_merged_registers(tmp_path: Path) -> None:
    tei = "http://www.tei-c.org/ns/1.0"
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "persons.xml").write_text(
        f'<TEI xmlns="{tei}"><teiHeader/><text><body><listPerson><person xml:id="ada"><persName>Ada</persName></person></listPerson></body></text></TEI>'
    )
    (tmp_path / "letter.xml").write_text(
        f'<TEI xmlns="{tei}" xml:id="letter"><teiHeader/><standOff><listPlace><place xml:id="rome"><placeName>Rome</placeName></place></listPlace></standOff>'
        f'<text><body><p><persName ref="#ada">Ada</persName></p></body></text></TEI>'
    )
    (tmp_path / "edition.xml").write_text(f'<TEI xmlns="{tei}"><teiHeader/><text><body><p>About</p></body></text></TEI>')
    (tmp_path / "broken.xml").write_text("<TEI>")
    edition = load_edition(tmp_path)
    assert [f.id for f in edition.documents] == ["letter"]
    assert [f.path.name for f in edition.registers] == ["persons.xml"]
    assert edition.edition_file is not None
    assert [e.problem.file.endswith("broken.xml") for e in edition.unreadable] == [True]
    registers = merged_registers(edition)
    ids = [entry.get("{http://www.w3.org/XML/1998/namespace}id") for entry in registers]
    assert sorted(ids) == ["ada", "rome"]
    assert not is_register(edition.documents[0].tree.getroot())


def test_an_edition_loaded_without_its_trees_parses_each_document_where_it_is_needed(tmp_path: Path) -> None:
    """A build holds no document's tree (memory bounded by the workers, not the edition), yet reads the same
    documents, ids, register entries (those a document's standOff holds too) and XIncludes as one that holds them."""
    tei = "http://www.tei-c.org/ns/1.0"
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "persons.xml").write_text(
        f'<TEI xmlns="{tei}"><teiHeader/><text><body><listPerson><person xml:id="ada"><persName>Ada</persName></person></listPerson></body></text></TEI>'
    )
    (tmp_path / "letter.xml").write_text(
        f'<TEI xmlns="{tei}" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="letter"><teiHeader/>'
        f'<standOff><listPlace><place xml:id="rome"><placeName>Rome</placeName></place></listPlace></standOff>'
        f'<text><body><xi:include href="part.xml"/></body></text></TEI>'
    )
    (tmp_path / "part.xml").write_text(f'<p xmlns="{tei}"><persName ref="#ada">Ada</persName> in Rome.</p>')
    held, streamed = load_edition(tmp_path), load_edition(tmp_path, hold_trees=False)
    document = streamed.documents[0]
    assert [(f.id, f.role) for f in streamed.files] == [(f.id, f.role) for f in held.files] == [("letter", "document"), ("persons", "register")]
    assert document.tree is not document.tree  # parsed anew each time, never kept
    assert streamed.registers[0].tree is streamed.registers[0].tree
    assert etree.tostring(document.tree) == etree.tostring(held.documents[0].tree)
    assert b"Ada</persName> in Rome." in etree.tostring(document.tree)
    assert etree.tostring(merged_registers(streamed)) == etree.tostring(merged_registers(held))
    held.let_go_of_trees()
    assert held.documents[0].tree is not held.documents[0].tree


def test_included_content_is_reported_at_the_include_and_its_file_is_no_document(tmp_path: Path) -> None:
    tei = "http://www.tei-c.org/ns/1.0"
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part.xml").write_text(f'<div xmlns="{tei}">\n\n\n<p xml:id="inc">Part</p></div>', encoding="utf-8")
    (tmp_path / "letter.xml").write_text(
        f'<TEI xmlns="{tei}" xmlns:xi="http://www.w3.org/2001/XInclude"><teiHeader/>\n<text><body>\n<xi:include href="parts/part.xml"/></body></text></TEI>',
        encoding="utf-8",
    )
    edition = load_edition(tmp_path)
    assert [f.path.name for f in edition.files] == ["letter.xml"]
    included = edition.files[0].tree.getroot().find(f".//{{{tei}}}p")
    assert included.text == "Part" and included.sourceline == 3


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ('<xi:include href="missing.txt" parse="text"/>', "cannot be read as text"),
        ('<xi:include href="part.txt" parse="text" encoding="bogus"/>', "cannot be read as text"),
        ('<xi:include href="missing.xml"/>', "there is no such file"),
    ],
)
def test_a_broken_xinclude_is_a_problem_at_the_include(tmp_path: Path, include: str, message: str) -> None:
    (tmp_path / "part.txt").write_text("text", encoding="utf-8")
    path = tmp_path / "letter.xml"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">\n<text>{include}</text></TEI>', encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(path, xinclude_root=tmp_path)
    problem = raised.value.problem
    assert (problem.file.endswith("letter.xml"), problem.line, problem.rule) == (True, 2, "xinclude-target")
    assert message in problem.message


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>A</p></body></text></TEI>', encoding="utf-8")
    edition = load_edition(tmp_path, [tmp_path, tmp_path / "a.xml"])
    assert len(edition.files) == 1


def test_an_empty_source_folder_setting_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "teipress.toml").write_text('source = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="`source` must name a folder"):
        load_config(tmp_path)


def test_element_column_finds_the_start_tag_not_a_longer_name() -> None:
    from teipress.xmlio import element_column

    line = '<fileDesc><titleStmt><title type="main">T</title></titleStmt>'
    title = etree.fromstring(line + "</fileDesc>")[0][0]
    assert element_column(title, [line]) == line.index("<title ") + 1


def test_facts_count_each_date_and_name_of_nested_texts_once() -> None:
    tei = "http://www.tei-c.org/ns/1.0"
    document = etree.fromstring(
        f'<TEI xmlns="{tei}"><teiHeader/><text><group><text><body><p><date when="1900-01-01">New Year</date> '
        f'<persName ref="#ada">Ada</persName></p></body></text><text><body><p><date when="1901">next year</date></p>'
        f'<floatingText><body><p><placeName ref="#rome">Rome</placeName></p></body></floatingText></body></text></group></text></TEI>'
    )
    facts = etree.fromstring(Stylesheets().transform("common/facts.xsl", document).encode())
    facts_ns = {"f": "https://teipress.org/ns/facts"}
    assert facts.xpath("f:event/@sort", namespaces=facts_ns) == ["1900-01-01", "1901-01-01"]
    assert facts.xpath("f:mention/@entity", namespaces=facts_ns) == ["ada", "rome"]


@pytest.mark.parametrize("root_id", ['")#panic("PWN")//', "../../escape", ".hidden", ""])
def test_a_document_id_that_is_no_safe_file_name_falls_back_to_the_file_name(tmp_path: Path, root_id: str) -> None:
    path = tmp_path / "letter-7.xml"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id=\'{root_id}\'><text><body><p>x</p></body></text></TEI>', encoding="utf-8")
    assert load_edition(tmp_path).files[0].id == "letter-7"
