"""Reading files from other archives: what a DOCTYPE or an `xi:include` names is read inside the source folder only,
a part that is absent is replaced by its fallback or (outside `<text>`) left out with a warning, and a build
without validation publishes every document it can read and reports, leaves out and counts the others."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teipress.cli import cli
from teipress.edition import Edition, load_edition
from teipress.problems import Problem
from teipress.xmlio import MAX_INCLUDED_CHARACTERS, MAX_INCLUDED_ELEMENTS, XMLInputError, parse_file

TEI_NS = "http://www.tei-c.org/ns/1.0"
HEADER = "<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>"
ENTITIES_DTD = '<!ENTITY ed "Editor Name">\n<!ENTITY mdash "&#x2014;">\n'


def tei(body: str, *, doctype: str = "", header: str = HEADER, doc_id: str = "") -> str:
    identifier = f' xml:id="{doc_id}"' if doc_id else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<TEI xmlns="{TEI_NS}" xmlns:xi="http://www.w3.org/2001/XInclude"{identifier}>\n'
            f"{header}\n<text><body>\n{body}\n</body></text>\n</TEI>\n")


def words(tree: etree._ElementTree) -> list[str]:
    body = tree.getroot().find(f"{{{TEI_NS}}}text")
    return " ".join(body.itertext()).split()


def only(problems: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.severity.value, p.rule) for p in problems]


# --- DTDs and entities ---------------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project whose documents in tei/ declare their entities in ../schema/entities.dtd."""
    (tmp_path / "tei").mkdir()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "entities.dtd").write_text(ENTITIES_DTD, encoding="utf-8")
    doctype = '<!DOCTYPE TEI [<!ENTITY % entities SYSTEM "../schema/entities.dtd"> %entities;]>'
    (tmp_path / "tei" / "letter.xml").write_text(tei("<p>From &ed; &mdash; greetings.</p>", doctype=doctype), encoding="utf-8")
    return tmp_path


def test_entities_of_a_dtd_inside_the_source_folder_are_read(project: Path) -> None:
    warnings: list[Problem] = []
    tree = parse_file(project / "tei" / "letter.xml", xinclude_root=project, warnings=warnings)
    assert words(tree) == ["From", "Editor", "Name", "\u2014", "greetings."]
    assert warnings == []


def test_a_dtd_outside_the_source_folder_is_refused_with_the_reason(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    with pytest.raises(XMLInputError) as raised:
        parse_file(project / "tei" / "letter.xml", xinclude_root=project / "tei")
    assert str(raised.value.problem) == (
        "tei/letter.xml:6:13: error: the entity &ed; is not defined, because the DTD that may declare it was not read "
        f"({(project / 'schema' / 'entities.dtd').as_uri()} was not read: schema/entities.dtd lies outside the source folder tei/, "
        "and teipress reads no file outside it) [external-entity]"
    )


def test_a_dtd_outside_whose_entities_are_unused_is_a_warning(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "tei" / "letter.xml").write_text(tei("<p>No entity here.</p>", doctype='<!DOCTYPE TEI [<!ENTITY % e SYSTEM "../schema/entities.dtd"> %e;]>'), encoding="utf-8")
    warnings: list[Problem] = []
    tree = parse_file(project / "tei" / "letter.xml", xinclude_root=project / "tei", warnings=warnings)
    assert words(tree) == ["No", "entity", "here."]
    assert only(warnings) == [(2, 1, "warning", "external-dtd")]
    assert "schema/entities.dtd lies outside the source folder tei/" in warnings[0].message


@pytest.mark.parametrize(
    ("doctype", "reason"),
    [
        ('<!DOCTYPE TEI SYSTEM "tei_all.dtd">', "tei_all.dtd does not exist"),
        ('<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "http://www.tei-c.org/release/xml/tei/custom/schema/dtd/tei_all.dtd">',
         "http://www.tei-c.org/release/xml/tei/custom/schema/dtd/tei_all.dtd is not a local file, and teipress reads no URLs"),
    ],
)
def test_an_absent_dtd_whose_entities_are_unused_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doctype: str, reason: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.xml").write_text(tei("<p>Plain text.</p>", doctype=doctype), encoding="utf-8")
    edition = load_edition(tmp_path)
    assert [words(f.tree) for f in edition.documents] == [["Plain", "text."]]
    assert only(edition.warnings) == [(2, 1, "warning", "external-dtd")]
    assert reason in edition.warnings[0].message and edition.unreadable == []


def test_an_absent_dtd_whose_entities_are_used_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.xml").write_text(tei("<p>From &ed;.</p>", doctype='<!DOCTYPE TEI SYSTEM "entities.dtd">'), encoding="utf-8")
    edition = load_edition(tmp_path)
    assert [(e.problem.line, e.problem.rule) for e in edition.unreadable] == [(6, "external-entity")]
    assert "the entity &ed; is not defined" in edition.unreadable[0].problem.message and "entities.dtd does not exist" in edition.unreadable[0].problem.message


def test_a_bomb_in_a_dtd_inside_the_folder_is_still_stopped(project: Path) -> None:
    levels = ['<!ENTITY ed "lol">'.replace("ed", "a0")] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    (project / "schema" / "entities.dtd").write_text("\n".join(levels), encoding="utf-8")
    (project / "tei" / "letter.xml").write_text(tei("<p>&a9;</p>", doctype='<!DOCTYPE TEI [<!ENTITY % e SYSTEM "../schema/entities.dtd"> %e;]>'), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(XMLInputError) as raised:
        parse_file(project / "tei" / "letter.xml", xinclude_root=project)
    problem = raised.value.problem
    assert (problem.line, problem.column, problem.rule) == (6, 4, "unsafe-input") and "entity expansion bomb" in problem.message
    assert time.perf_counter() - started < 5


def test_an_external_entity_inside_the_folder_is_read_and_one_outside_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "signature.txt").write_text("Yours, Ada", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    inside = tmp_path / "tei" / "inside.xml"
    inside.write_text(tei("<p>&sig;</p>", doctype='<!DOCTYPE TEI [<!ENTITY sig SYSTEM "signature.txt">]>'), encoding="utf-8")
    assert words(parse_file(inside, xinclude_root=tmp_path / "tei")) == ["Yours,", "Ada"]
    outside = tmp_path / "tei" / "outside.xml"
    outside.write_text(tei("<p>&s;</p>", doctype='<!DOCTYPE TEI [<!ENTITY s SYSTEM "../secret.txt">]>'), encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(outside, xinclude_root=tmp_path / "tei")
    assert str(raised.value.problem) == (
        'tei/outside.xml:6:7: error: the external entity &s; (SYSTEM "../secret.txt") was refused: secret.txt lies outside the source folder tei/, '
        "and teipress reads no file outside it; replace the entity by the text it stands for [external-entity]"
    )


# --- xi:include: fallbacks, absent parts, amplification -------------------------------------------


def test_an_absent_include_with_a_fallback_takes_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "part.xml").write_text(f'<p xmlns="{TEI_NS}">Included part.</p>', encoding="utf-8")
    fallback = ('<p>Before <xi:include href="taxonomy.xml"><xi:fallback>the <hi>fallback</hi> text, '
                '<xi:include href="part-absent.xml"><xi:fallback>nested</xi:fallback></xi:include></xi:fallback></xi:include> after.</p>\n'
                '<xi:include href="missing.xml" parse="text"><xi:fallback><xi:include href="part.xml"/></xi:fallback></xi:include>')
    path = tmp_path / "letter.xml"
    path.write_text(tei(fallback), encoding="utf-8")
    warnings: list[Problem] = []
    included: set[Path] = set()
    tree = parse_file(path, xinclude_root=tmp_path, included=included, warnings=warnings)
    assert words(tree) == ["Before", "the", "fallback", "text,", "nested", "after.", "Included", "part."]
    assert tree.getroot().xpath("//*[namespace-uri() = 'http://www.w3.org/2001/XInclude']") == []
    assert warnings == [] and included == {(tmp_path / "part.xml").resolve()}


def test_an_include_refused_for_safety_takes_its_fallback_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "letter.xml"
    path.write_text(tei('<p><xi:include href="https://epidoc.example.org/taxonomy.xml"><xi:fallback>Taxonomy not available.</xi:fallback></xi:include></p>'), encoding="utf-8")
    warnings: list[Problem] = []
    tree = parse_file(path, xinclude_root=tmp_path, warnings=warnings)
    assert words(tree) == ["Taxonomy", "not", "available."]
    assert [str(w) for w in warnings] == [
        "letter.xml:6:4: warning: xi:include of 'https://epidoc.example.org/taxonomy.xml' points outside the edition's source folder ./; "
        "its xi:fallback is used instead [unsafe-xinclude]"
    ]


@pytest.mark.parametrize(
    ("include", "named"),
    [
        ('<xi:include href="shared/header.xml" xpointer="header"/>', "xi:include of 'shared/header.xml' (xpointer 'header'): there is no such file"),
        ('<xi:include href="shared.xml" xpointer="header"/>', "xi:include xpointer 'header' names no element of shared.xml"),
    ],
)
def test_an_absent_header_part_is_left_out_with_a_warning_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, include: str, named: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared.xml").write_text(f'<teiHeader xmlns="{TEI_NS}" xml:id="other"/>', encoding="utf-8")
    (tmp_path / "letter.xml").write_text(tei("<p>The whole text.</p>", header=include), encoding="utf-8")
    edition = load_edition(tmp_path)
    letter = next(f for f in edition.documents if f.path.name == "letter.xml")
    assert words(letter.tree) == ["The", "whole", "text."]
    assert [str(w) for w in edition.warnings] == [f"letter.xml:4:1: warning: {named}; that part lies outside <text> and is left out [{edition.warnings[0].rule}]"]
    assert [child.tag for child in letter.tree.getroot()] == [f"{{{TEI_NS}}}text"]


def test_an_absent_part_inside_the_text_without_fallback_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "letter.xml").write_text(tei('<p>Text</p>\n<xi:include href="chapter.xml"/>'), encoding="utf-8")
    edition = load_edition(tmp_path)
    assert edition.files == []
    assert [str(e.problem) for e in edition.unreadable] == ["letter.xml:7:1: error: xi:include of 'chapter.xml': there is no such file [xinclude-target]"]


def test_an_absent_part_in_an_included_file_names_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "chapter.xml").write_text(f'<div xmlns="{TEI_NS}" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="gone.xml"/></div>', encoding="utf-8")
    (tmp_path / "letter.xml").write_text(tei('<xi:include href="parts/chapter.xml"/>'), encoding="utf-8")
    with pytest.raises(XMLInputError) as raised:
        parse_file(tmp_path / "letter.xml", xinclude_root=tmp_path)
    assert str(raised.value.problem) == "letter.xml:6:1: error: in parts/chapter.xml, xi:include of 'gone.xml': there is no such file [xinclude-target]"


@pytest.mark.parametrize(
    ("part", "crossing"),
    [
        (f'<p xmlns="{TEI_NS}">{"x" * 1_000_000}</p>', MAX_INCLUDED_CHARACTERS // 1_000_000 + 1),
        (f'<div xmlns="{TEI_NS}">{"<p/>" * 29_999}</div>', MAX_INCLUDED_ELEMENTS // 30_000 + 1),
    ],
    ids=["characters", "elements"],
)
def test_include_amplification_is_stopped_at_the_include_that_crosses_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str, crossing: int) -> None:
    """A small file including a large one a thousand times (the attack: 47 KB, 11 s and 2.1 GB before)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.xml").write_text(part, encoding="utf-8")
    includes = "\n".join('  <xi:include href="big.xml"/>' for _ in range(1000))
    (tmp_path / "amplifier.xml").write_text(tei(includes), encoding="utf-8")
    assert (tmp_path / "amplifier.xml").stat().st_size < 50_000
    started = time.perf_counter()
    with pytest.raises(XMLInputError) as raised:
        parse_file(tmp_path / "amplifier.xml", xinclude_root=tmp_path)
    assert time.perf_counter() - started < 30
    assert str(raised.value.problem) == (
        f"amplifier.xml:{5 + crossing}:3: error: the xi:includes of this document copy in more than {MAX_INCLUDED_ELEMENTS:,} elements or "
        f"{MAX_INCLUDED_CHARACTERS:,} characters of text (the limit against include amplification); include each part once [xinclude-limit]"
    )


def test_a_part_included_many_times_within_the_limits_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "seal.xml").write_text(f'<p xmlns="{TEI_NS}">Seal.</p>', encoding="utf-8")
    (tmp_path / "letter.xml").write_text(tei("\n".join('<xi:include href="seal.xml"/>' for _ in range(200))), encoding="utf-8")
    assert words(parse_file(tmp_path / "letter.xml", xinclude_root=tmp_path)) == ["Seal."] * 200


# --- symbolic links -------------------------------------------------------------------------------


def test_a_symlink_out_of_the_source_folder_is_refused_and_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "private.xml").write_text(tei("<p>Private words.</p>", doc_id="private"), encoding="utf-8")
    source = tmp_path / "tei"
    source.mkdir()
    (source / "letter.xml").write_text(tei("<p>Public words.</p>", doc_id="letter"), encoding="utf-8")
    (source / "link.xml").symlink_to(tmp_path / "elsewhere" / "private.xml")
    edition = load_edition(source)
    assert [f.path.name for f in edition.files] == ["letter.xml"]
    assert [str(e.problem) for e in edition.unreadable] == [
        "tei/link.xml:1:1: error: link.xml is a symbolic link to elsewhere/private.xml, outside the folder tei; "
        "teipress reads only files inside it, so this file is left out [unsafe-symlink]"
    ]
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--no-validate", "--html", "--quiet"])
    assert result.exit_code == 1, result.output
    published = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "html").rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json"))
    assert "Public words." in published and "Private words." not in published


def test_a_folder_linked_into_the_source_folder_is_not_entered(tmp_path: Path) -> None:
    """As `Path.rglob` does: the files of a folder linked from elsewhere are no sources (nor problems)."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "private.xml").write_text(tei("<p>Private words.</p>", doc_id="private"), encoding="utf-8")
    source = tmp_path / "tei"
    (source / "letters").mkdir(parents=True)
    (source / "letters" / "letter.xml").write_text(tei("<p>Public words.</p>", doc_id="letter"), encoding="utf-8")
    (source / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    edition = load_edition(source)
    assert [f.path.relative_to(source).as_posix() for f in edition.files] == ["letters/letter.xml"]
    assert edition.unreadable == []


# --- the terminal ---------------------------------------------------------------------------------


def test_file_names_and_messages_print_as_written_never_as_markup_or_emoji(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "l00001.xml").write_text("<r>\n" * 99 + "<p>a</b>" + "</r>" * 100, encoding="utf-8")
    (tmp_path / "[red]x:fire:.xml").write_text("<r>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "l00001.xml", "[red]x:fire:.xml"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("[red]x:fire:.xml:1:4: error: not well-formed XML:")
    assert lines[1] == "l00001.xml:100:9: error: not well-formed XML: Opening and ending tag mismatch: p line 100 and b [xml-syntax]"


# --- a build of files from elsewhere --------------------------------------------------------------

# Each kind of file: its content (given the file's own word) and the rule it is left out for (None: published).
KINDS: dict[str, tuple[str | None, str]] = {
    "plain": (None, "<p>{word}</p>"),
    "header-part": (None, "<p>{word}</p>"),
    "fallback": (None, '<p>{word} <xi:include href="taxonomies/missing.xml"><xi:fallback>fallback</xi:fallback></xi:include></p>'),
    "dtd-inside": (None, "<p>{word} &ed;</p>"),
    "dtd-absent": (None, "<p>{word}</p>"),
    "broken": ("xml-syntax", "<p>{word}</b>"),
    "absent-in-text": ("xinclude-target", '<p>{word}</p><xi:include href="chapters/missing.xml"/>'),
    "dtd-outside-used": ("external-entity", "<p>{word} &far;</p>"),
    "bomb": ("unsafe-input", "<p>{word} &a9;</p>"),
}
DOCTYPES = {
    "dtd-inside": '<!DOCTYPE TEI [<!ENTITY % entities SYSTEM "schema/entities.dtd"> %entities;]>',
    "dtd-absent": '<!DOCTYPE TEI SYSTEM "tei_all.dtd">',
    "dtd-outside-used": '<!DOCTYPE TEI [<!ENTITY % far SYSTEM "../far.dtd"> %far;]>',
    "bomb": "<!DOCTYPE TEI [" + "".join(['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]) + "]>",
}
HEADERS = {"header-part": '<xi:include href="shared/header.xml" xpointer="h"/>'}
READABLE = [kind for kind, (rule, _) in KINDS.items() if rule is None]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=7).filter(lambda kinds: any(kind in READABLE for kind in kinds)))
def test_a_build_publishes_every_readable_document_and_reports_the_others(kinds: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "source"
        (source / "schema").mkdir(parents=True)
        (source / "schema" / "entities.dtd").write_text(ENTITIES_DTD, encoding="utf-8")
        (root / "far.dtd").write_text('<!ENTITY far "far away">', encoding="utf-8")
        expected: dict[str, str | None] = {}
        for number, kind in enumerate(kinds):
            name = f"d{number:02d}-{kind}"
            word = f"word{number:02d}x"
            body = KINDS[kind][1].format(word=word)
            (source / f"{name}.xml").write_text(tei(body, doctype=DOCTYPES.get(kind, ""), header=HEADERS.get(kind, HEADER), doc_id=name), encoding="utf-8")
            expected[name] = KINDS[kind][0]
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(root / "out"), "--no-validate", "--html", "--quiet", "-j", "1"], catch_exceptions=False)
        left_out = {name for name, rule in expected.items() if rule is not None}
        assert result.exit_code == (1 if left_out else 0), result.output
        for number, (name, rule) in enumerate(expected.items()):
            page = root / "out" / "html" / "documents" / f"{name}.html"
            if rule is None:
                assert f"word{number:02d}x" in page.read_text(encoding="utf-8"), name
            else:
                assert not page.exists(), name
                assert re.search(rf"^(.*/)?{re.escape(name)}\.xml:\d+:\d+: error: .+ \[{rule}\]$", result.output, re.MULTILINE), result.output
        reported = set(re.findall(r"^(?:.*/)?(d\d\d-[\w-]+)\.xml:\d+:\d+: error:", result.output, re.MULTILINE))
        assert reported == left_out
        last = result.output.strip().splitlines()[-1]
        if left_out:
            assert last.endswith(f"; {len(left_out)} file(s) could not be read and were left out (see the errors above).")
        else:
            assert last.startswith("Built ") and "left out" not in last


def an_edition_of_every_kind_of_file(folder: Path) -> Path:
    """Letters (one without an id), a part that a letter listed after it includes, a header part left out with a warning,
    a register, edition.xml, a file that is no XML, one that includes a missing file, and a link to a file outside."""
    source = folder / "tei"
    (source / "registers").mkdir(parents=True)
    (source / "a-part.xml").write_text(f'<div xmlns="{TEI_NS}"><p>The included part.</p></div>', encoding="utf-8")
    (source / "letter-1.xml").write_text(tei('<p>One <persName ref="#p1">Ada</persName>.</p>\n<xi:include href="a-part.xml"/>', doc_id="letter-1"), encoding="utf-8")
    (source / "letter-2.xml").write_text(tei("<p>Two.</p>", header='<xi:include href="shared/header.xml" xpointer="header"/>', doc_id="letter-2"), encoding="utf-8")
    (source / "no-id.xml").write_text(tei("<p>Three.</p>"), encoding="utf-8")
    (source / "broken.xml").write_text("<TEI><text>", encoding="utf-8")
    (source / "missing-part.xml").write_text(tei('<p>Four.</p>\n<xi:include href="gone.xml"/>'), encoding="utf-8")
    (source / "registers" / "persons.xml").write_text(
        f'<TEI xmlns="{TEI_NS}">{HEADER}<text><body><listPerson><person xml:id="p1"><persName>Ada</persName></person></listPerson></body></text></TEI>',
        encoding="utf-8")
    (source / "edition.xml").write_text(f'<TEI xmlns="{TEI_NS}">{HEADER}<text><body><p>About.</p></body></text></TEI>', encoding="utf-8")
    (folder / "outside.xml").write_text(tei("<p>Elsewhere.</p>"), encoding="utf-8")
    (source / "link.xml").symlink_to(folder / "outside.xml")
    return source


def what_was_read(edition: Edition) -> dict[str, object]:
    return {
        "files": [(f.path, f.role, f.id, f.holds_entries, [(s.path, s.size, s.mtime_ns, s.inode, s.sha256) for s in f.record.states], f.record.warnings,
                   f.xinclude_root) for f in edition.files],  # the states but when each file was read
        "trees": [etree.tostring(f.tree) for f in edition.files],
        "unreadable": [e.problem for e in edition.unreadable],
        "warnings": edition.warnings,
        "included": sorted(edition.included),
    }


def test_files_read_by_worker_processes_make_the_edition_reading_them_here_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build of a large edition has its files parsed by worker processes: the same files, roles, ids, states,
    warnings and problems, in the same order, and the part a letter includes is no document of its own."""
    from teipress import edition as sources

    monkeypatch.chdir(tmp_path)
    source = an_edition_of_every_kind_of_file(tmp_path)
    here = load_edition(source, hold_trees=False, jobs=1)
    read_by_workers: list[int] = []
    read_in_workers = sources._read_in_workers
    monkeypatch.setattr(sources, "_read_in_workers", lambda files, jobs: (read_by_workers.append(len(files)), read_in_workers(files, jobs))[1])
    assert what_was_read(load_edition(source, hold_trees=False, jobs=2)) == what_was_read(here)
    assert read_by_workers == []  # fewer files than READ_IN_WORKERS_FROM: read here
    monkeypatch.setattr(sources, "READ_IN_WORKERS_FROM", 2)
    elsewhere = load_edition(source, hold_trees=False, jobs=2)
    assert read_by_workers == [8]  # every file but the link that leaves the folder
    assert what_was_read(elsewhere) == what_was_read(here)
    assert [f.path.name for f in elsewhere.files] == ["edition.xml", "letter-1.xml", "letter-2.xml", "no-id.xml", "persons.xml"]
    assert sorted(e.problem.rule for e in elsewhere.unreadable) == ["unsafe-symlink", "xinclude-target", "xml-syntax"]
    seen: list[str] = []  # validation gathers the ids from each tree as it is read: those files are read here
    load_edition(source, hold_trees=False, jobs=2, on_read=lambda file, tree: seen.append(f"{file.path.name} {tree.getroot().tag}"), digests=False)
    assert read_by_workers == [8]
    assert sorted(seen) == [f"{name} {{{TEI_NS}}}{root}" for name, root in
                            [("a-part.xml", "div"), ("edition.xml", "TEI"), ("letter-1.xml", "TEI"), ("letter-2.xml", "TEI"), ("no-id.xml", "TEI"), ("persons.xml", "TEI")]]
