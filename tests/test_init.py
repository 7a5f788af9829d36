"""Starting an edition: `teipress init`, `teipress new`, schema paths that survive a move, and what a
new user meets first (an empty folder, no edition.xml, a missing image, PDFs typeset again only when changed)."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from conftest import REPO
from teipress.build import build_edition
from teipress.cli import cli
from teipress.config import Config, load_config
from teipress.resources import SCHEMA_FILE

TEI = "{http://www.tei-c.org/ns/1.0}"
TITLE = "Letters of Anna Example & <Friends>"
EDITION_FILES = [
    ".gitignore", ".vscode/settings.json", "README.md", "edition.xpr", "schema/teipress.rng", "tei/edition.xml",
    "tei/example-letter.xml", "tei/images/example-letter-1.svg", "tei/registers/bibliography.xml",
    "tei/registers/organizations.xml", "tei/registers/persons.xml", "tei/registers/places.xml", "teipress.toml",
]


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def in_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """The command run from `folder`, as a user types it there (paths in messages are relative to it)."""
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli, list(args))


def files_below(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new edition, started and built (site and PDFs) once for the module; tests that change it copy it."""
    root = tmp_path_factory.mktemp("started") / "letters"
    started = CliRunner().invoke(cli, ["init", str(root), "--title", TITLE])
    assert started.exit_code == 0, started.output
    assert files_below(root) == EDITION_FILES
    built = run(root, "build", "-q", "-j", "1")
    assert built.exit_code == 0, built.output
    return root


@pytest.fixture
def edition(built: Path, tmp_path: Path) -> Path:
    """A copy of the built edition for a test that changes it."""
    root = tmp_path / "edition"
    shutil.copytree(built, root)
    return root


# --- teipress init -----------------------------------------------------------------------------------


def test_a_new_edition_validates_and_builds_with_its_title(built: Path) -> None:
    validated = run(built, "validate")
    assert validated.exit_code == 0, validated.output
    assert "6 file(s) checked: 0 error(s), 0 warning(s)" in validated.output
    home = (built / "output" / "html" / "index.html").read_text(encoding="utf-8")
    assert "<title>Letters of Anna Example &amp; &lt;Friends&gt;</title>" in home
    assert (built / "output" / "html" / "documents" / "example-letter.html").is_file()
    assert (built / "output" / "html" / "media" / "images" / "example-letter-1.svg").read_bytes() == (built / "tei" / "images" / "example-letter-1.svg").read_bytes()
    assert sorted(p.name for p in (built / "output" / "pdf").glob("*.pdf")) == ["edition.pdf", "example-letter.pdf"]
    title = etree.parse(str(built / "tei" / "edition.xml")).find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title")
    assert title.text == TITLE


def test_the_example_letter_uses_every_element_of_the_encoding_guide(built: Path) -> None:
    schema_elements = set(re.findall(r'<element name="(\w+)"', SCHEMA_FILE.read_text(encoding="utf-8")))
    guide = (REPO / "docs" / "ENCODING.md").read_text(encoding="utf-8")
    described = {name for code in re.findall(r"`([^`]+)`", guide) for name in re.findall(r"[A-Za-z]+", code) if name in schema_elements}
    described.discard("edition")  # the guide names it as a value of text/@type, not as the element of editionStmt
    used = {etree.QName(element).localname for path in (built / "tei").rglob("*.xml")
            for element in etree.parse(str(path)).iter() if isinstance(element.tag, str)}
    assert len(described) > 60
    assert sorted(described - used) == []


def test_the_settings_file_names_every_setting_and_the_language(tmp_path: Path) -> None:
    root = tmp_path / "briefe"
    assert CliRunner().invoke(cli, ["init", str(root), "--title", "Briefe", "--language", "de"]).exit_code == 0
    settings = (root / "teipress.toml").read_text(encoding="utf-8")
    assert tomllib.loads(settings) == {"language": "de"}
    named = set(re.findall(r"^#? ?(\w+) = ", settings, flags=re.M))
    assert named == {f.name for f in fields(Config)} - {"root"}
    assert load_config(root).language == "de"
    assert etree.parse(str(root / "tei" / "edition.xml")).getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    validated = run(root, "validate")
    assert validated.exit_code == 0, validated.output


def test_the_editors_find_the_schema(built: Path) -> None:
    assert (built / "schema" / "teipress.rng").read_bytes() == SCHEMA_FILE.read_bytes()
    vscode = json.loads((built / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert vscode["xml.fileAssociations"] == [{"pattern": "tei/**/*.xml", "systemId": "${workspaceFolder}/schema/teipress.rng"}]
    project = etree.parse(str(built / "edition.xpr"))
    assert project.xpath("//validationUnitSchema/field[@name = 'uri']/String/text()") == ["${pdu}/schema/teipress.rng"]
    assert project.xpath("//scenarioAssociation/field[@name = 'url']/String/text()") == ["tei/"]
    assert (built / ".gitignore").read_text(encoding="utf-8") == "output/\n"
    assert (built / "README.md").read_text(encoding="utf-8").startswith(f"# {TITLE}\n")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = in_folder(tmp_path, monkeypatch, "init", "--title", "Letters")
    assert (refused.exit_code, refused.output) == (2, "error: . is not empty; give a new or empty folder, or add --force to write the edition's files into it (files of the same names are replaced)\n")
    assert files_below(tmp_path) == ["notes.txt"]
    forced = in_folder(tmp_path, monkeypatch, "init", "--title", "Letters", "--force")
    assert forced.exit_code == 0, forced.output
    assert files_below(tmp_path) == sorted([*EDITION_FILES, "notes.txt"])
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


# --- schema paths ------------------------------------------------------------------------------------


def test_every_file_points_at_the_editions_own_schema_and_a_moved_edition_still_validates(edition: Path, tmp_path: Path) -> None:
    added = run(edition, "new", "letter", "--id", "letter-1890-05-01", "--date", "1890-05-01", "--from", "Anna Example", "--to", "ben-sample")
    assert added.exit_code == 0, added.output
    moved = tmp_path / "elsewhere" / "renamed"
    shutil.move(edition, moved)
    for path in (moved / "tei").rglob("*.xml"):
        hrefs = re.findall(r'<\?xml-model href="([^"]+)"', path.read_text(encoding="utf-8"))
        assert len(hrefs) == 2, path
        assert {(path.parent / href).resolve() for href in hrefs} == {(moved / "schema" / "teipress.rng").resolve()}, path
    validated = run(moved, "validate")
    assert validated.exit_code == 0, validated.output
    assert "7 file(s) checked: 0 error(s), 0 warning(s)" in validated.output


# --- teipress new --------------------------------------------------------------------------------------


def test_new_letter_takes_correspondents_from_the_registers_and_validates(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    added = in_folder(edition, monkeypatch, "new", "letter", "--id", "letter-1890-05-01", "--date", "1890-05-01", "--from", "anna example", "--to", "#ben-sample")
    assert (added.exit_code, added.output) == (0, "wrote tei/letter-1890-05-01.xml\n")
    letter = etree.parse(str(edition / "tei" / "letter-1890-05-01.xml")).getroot()
    actions = letter.findall(f".//{TEI}correspDesc/{TEI}correspAction")
    assert [(a.get("type"), [(etree.QName(c).localname, c.get("ref"), c.text, c.get("when")) for c in a]) for a in actions] == [
        ("sent", [("persName", "#anna-example", "anna example", None), ("date", None, "1 May 1890", "1890-05-01")]),
        ("received", [("persName", "#ben-sample", "Ben Sample", None)]),
    ]
    assert letter.findtext(f".//{TEI}titleStmt/{TEI}title") == "Letter from anna example to Ben Sample, 1 May 1890"
    assert letter.find(f"{TEI}text").get("type") == "letter"
    validated = in_folder(edition, monkeypatch, "validate")
    assert validated.exit_code == 0, validated.output


def test_new_writes_a_german_edition_s_letter_in_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Title, date and the hints where the editor has still to write come from the edition's message catalogue."""
    root = tmp_path / "briefe"
    assert CliRunner().invoke(cli, ["init", str(root), "--title", "Briefe", "--language", "de"]).exit_code == 0
    added = in_folder(root, monkeypatch, "new", "letter", "--id", "brief-1", "--date", "1890-05-01", "--from", "Anna Example", "--to", "Ben Sample")
    assert added.exit_code == 0, added.output
    letter = etree.parse(str(root / "tei" / "brief-1.xml")).getroot()
    assert letter.findtext(f".//{TEI}titleStmt/{TEI}title") == "Brief von Anna Example an Ben Sample, 1. Mai 1890"
    assert [d.text for d in letter.iter(f"{TEI}date")] == ["1. Mai 1890", "1. Mai 1890"]
    assert [" ".join(p.text.split()) for p in letter.iter(f"{TEI}p")] == [
        "Nennen Sie hier, wer die Edition veröffentlicht und unter welcher Lizenz.",
        "Beschreiben Sie hier die Quelle: wo sie aufbewahrt wird (msDesc) oder wo sie veröffentlicht wurde (bibl).",
        "Transkribieren Sie hier den Text."]
    assert letter.findtext(f".//{TEI}revisionDesc/{TEI}change") == "Mit teipress new begonnen."
    assert in_folder(root, monkeypatch, "validate").exit_code == 0


def test_a_name_not_in_the_registers_is_reported_not_invented(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    added = in_folder(edition, monkeypatch, "new", "letter", "--id", "letter-2", "--date", "1890-06", "--from", "Carla Unknown", "--to", "Example Society")
    assert added.exit_code == 0, added.output
    assert added.output.splitlines() == [
        "tei/letter-2.xml:9:17: warning: no register entry has the name 'Carla Unknown': the sender is written without @ref; "
        "add the person or organisation to tei/registers/ and point @ref at it, or give the name of an entry [unknown-name]",
        "wrote tei/letter-2.xml",
    ]
    text = (edition / "tei" / "letter-2.xml").read_text(encoding="utf-8")
    assert text.splitlines()[8] == "        <author><persName>Carla Unknown</persName></author>"
    assert '<orgName ref="#example-society">Example Society</orgName>' in text


def test_new_refuses_an_id_that_exists_and_a_date_that_is_none(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = files_below(edition / "tei")
    taken = in_folder(edition, monkeypatch, "new", "essay", "--id", "example-letter")
    assert (taken.exit_code, taken.output) == (2, "error: tei/example-letter.xml exists already; choose another --id, or add --force to replace it\n")
    in_a_register = in_folder(edition, monkeypatch, "new", "essay", "--id", "anna-example")
    assert (in_a_register.exit_code, in_a_register.output) == (2, "error: the id 'anna-example' is taken in tei/registers/persons.xml; choose another --id\n")
    no_date = in_folder(edition, monkeypatch, "new", "letter", "--id", "letter-3", "--date", "1890-02-30", "--from", "Anna", "--to", "Ben")
    assert (no_date.exit_code, no_date.output) == (2, "error: --date '1890-02-30' is no calendar date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD)\n")
    incomplete = in_folder(edition, monkeypatch, "new", "letter", "--id", "letter-3", "--from", "Anna")
    assert (incomplete.exit_code, incomplete.output) == (2, "error: a letter needs --date, --from and --to: its correspDesc names the date, the sender and the addressee\n")
    assert files_below(edition / "tei") == before


# --- what a new user meets first -----------------------------------------------------------------------


def test_build_and_validate_say_the_same_about_a_missing_or_empty_source_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hint = "; start an edition with `teipress init`, or name the folder of your TEI files (`source` in teipress.toml)\n"
    for state in ("does not exist", "holds no TEI files"):
        results = [in_folder(tmp_path, monkeypatch, command) for command in ("build", "validate")]
        assert [(r.exit_code, r.output) for r in results] == [(2, f"error: the source folder tei {state}{hint}")] * 2
        (tmp_path / "tei").mkdir(exist_ok=True)


def test_a_missing_image_and_a_missing_edition_file_are_warnings(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (edition / "tei" / "images" / "example-letter-1.svg").unlink()
    (edition / "tei" / "edition.xml").unlink()
    lines = (edition / "tei" / "example-letter.xml").read_text(encoding="utf-8").splitlines()
    pb, graphic = ([(number, line.index(attribute) + 1) for number, line in enumerate(lines, start=1) if f"<{element} " in line and attribute in line]
                   for element, attribute in (("pb", 'facs="images/'), ("graphic", 'url="images/')))
    assert len(pb) == len(graphic) == 1
    result = in_folder(edition, monkeypatch, "build", "--html", "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    missing = "names the image 'images/example-letter-1.svg', which does not exist: the page links to nothing there [missing-image]"
    assert result.output.splitlines()[:3] == [
        'tei/edition.xml:1:1: warning: the edition has no edition.xml: the site is titled "Digital edition" and the book "Edition", '
        "with no editors, introduction or editorial principles; write tei/edition.xml (`teipress init` makes an edition with one) [edition-file]",
        f"tei/example-letter.xml:{pb[0][0]}:{pb[0][1]}: warning: pb/@facs {missing}",
        f"tei/example-letter.xml:{graphic[0][0]}:{graphic[0][1]}: warning: graphic/@url {missing}",
    ]


def test_pdfs_are_typeset_again_only_for_documents_that_changed(edition: Path) -> None:
    config = load_config(edition)
    added = run(edition, "new", "letter", "--id", "letter-2", "--date", "1890-06", "--from", "Ben Sample", "--to", "Anna Example")
    assert added.exit_code == 0, added.output
    first = build_edition(config, formats={"pdf"}, jobs=1)
    assert (first.pdfs_typeset, first.book_typeset) == (["letter-2"], True)
    example_pdf = (edition / "output" / "pdf" / "example-letter.pdf").read_bytes()

    again = build_edition(config, formats={"pdf"}, jobs=1)
    assert (again.pdfs_typeset, again.book_typeset) == ([], False)
    assert sorted(p.name for p in again.pdf_files) == ["edition.pdf", "example-letter.pdf", "letter-2.pdf"]

    letter = edition / "tei" / "letter-2.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Transcribe the text here.", "Dear Anna, thank you."), encoding="utf-8")
    changed = build_edition(config, formats={"pdf"}, jobs=1)
    assert (changed.pdfs_typeset, changed.book_typeset) == (["letter-2"], True)
    assert (edition / "output" / "pdf" / "example-letter.pdf").read_bytes() == example_pdf

    front = edition / "tei" / "edition.xml"
    front.write_text(front.read_text(encoding="utf-8").replace("Introduce the edition here", "Introduce the letters here"), encoding="utf-8")
    new_front = build_edition(config, formats={"pdf"}, jobs=1)
    assert (new_front.pdfs_typeset, new_front.book_typeset) == ([], True)


def test_a_new_edition_is_valid_against_tei_all(edition: Path) -> None:
    from conftest import shared_path

    tei_all = shared_path("schemas", "tei_all.rng")
    added = run(edition, "new", "letter", "--id", "letter-2", "--date", "1890-06", "--from", "Ben", "--to", "Anna")
    assert added.exit_code == 0, added.output
    validated = run(edition, "validate", "--tei-all-schema", str(tei_all))
    assert validated.exit_code == 0, validated.output
    assert "7 file(s) checked: 0 error(s), 0 warning(s)" in validated.output
