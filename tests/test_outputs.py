"""No user file lost: teipress replaces only output folders it made, never writes into the sources, `/` or
home, and gives every document one unique, safe name in the site, the PDFs and the exports."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner, Result
from lxml import etree, html

from teipress.cli import cli

from conftest import FIXTURES

SITE_FIXTURE = FIXTURES / "site" / "edition"
LETTER = "letter-1950-03-04-northtown"
TELEGRAM = "telegram-1950-05-06-southport"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder` (hidden ones too), files with a hash of their bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def invented_document(title: str, words: str, document_id: str | None = None) -> str:
    """A minimal TEI document with obviously invented content."""
    id_attribute = f' xml:id="{document_id}"' if document_id else ""
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"{id_attribute}><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
            "<publicationStmt><p>The teipress test suite</p></publicationStmt><sourceDesc><p>Invented for a test.</p></sourceDesc></fileDesc></teiHeader>"
            f"<text><body><p>{words}</p></body></text></TEI>")


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site fixture as `tei/` of an edition in the current folder (so that messages show short paths)."""
    shutil.copytree(SITE_FIXTURE, tmp_path / "tei")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- folders teipress did not make -----------------------------------------------------------------


def users_folder(folder: Path) -> dict[str, str]:
    """A folder a user keeps their own things in, under the names teipress's site uses."""
    for name, text in {"index.html": "my home page", "tei/notes.xml": "<notes/>", "documents/draft.html": "draft", "media/photo.jpg": "jpeg"}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return tree(folder)


@pytest.mark.parametrize("what", ["--html", "--pdf"])
def test_build_leaves_a_folder_it_did_not_make_alone(edition: Path, what: str) -> None:
    folder = edition / "mine" / what[2:]
    before = users_folder(folder)
    result = run("build", "--no-validate", "-q", what, "-o", "mine")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"error: mine/{what[2:]} holds files that teipress did not write; choose a new or empty folder, or add --force to hand it over to teipress"]
    assert tree(folder) == before
    assert sorted(p.name for p in (edition / "mine").iterdir()) == [what[2:]]


def test_build_with_force_takes_a_folder_over_and_then_owns_it(edition: Path) -> None:
    users_folder(edition / "mine" / "html")
    assert run("build", "--no-validate", "-q", "--html", "-o", "mine", "--force").exit_code == 0
    site = edition / "mine" / "html"
    assert sorted(p.name for p in (site / "documents").iterdir()) == [f"{LETTER}.html", f"{TELEGRAM}.html"]
    assert (site / "index.html").read_text(encoding="utf-8") != "my home page"
    again = run("build", "--no-validate", "-q", "--html", "-o", "mine")
    assert again.exit_code == 0, again.output
    (edition / "empty" / "html").mkdir(parents=True)  # an empty folder needs no --force, nor does a new one
    assert run("build", "--no-validate", "-q", "--html", "-o", "empty").exit_code == 0
    assert run("export", "json", "-o", "new/json").exit_code == 0
    assert (edition / "empty" / "html" / "documents" / f"{LETTER}.html").is_file()
    assert (edition / "new" / "json" / "facts.json").is_file()


def test_export_leaves_a_folder_it_did_not_make_alone_unless_forced(edition: Path) -> None:
    mine = edition / "mine"
    mine.mkdir()
    (mine / "letter.txt").write_text("my own", encoding="utf-8")
    refused = run("export", "csv", "-o", "mine")
    assert refused.exit_code == 2
    assert refused.output.splitlines() == ["error: mine holds files that teipress did not write; choose a new or empty folder, or add --force to hand it over to teipress"]
    assert sorted(p.name for p in mine.iterdir()) == ["letter.txt"]
    forced = run("export", "csv", "-o", "mine", "--force")
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in mine.iterdir()) == [".teipress", "events.csv", "letter.txt", "mentions.csv"]
    assert (mine / "letter.txt").read_text(encoding="utf-8") == "my own"


# --- places no output may go -----------------------------------------------------------------------


@pytest.mark.parametrize(("out", "message"), [
    ("tei", "the output folder tei is the source folder; choose another with -o or `output` in teipress.toml"),
    (".", "the output folder . holds the source folder tei; choose another with -o or `output` in teipress.toml"),
    ("home", "the output folder home is your home folder; choose a folder of its own with -o or `output` in teipress.toml"),
    ("/", "the output folder / is the root of the file system; choose a folder of its own with -o or `output` in teipress.toml"),
])
@pytest.mark.parametrize("command", [["build", "--html", "--no-validate", "-q"], ["build", "--pdf", "--no-validate", "-q"], ["export", "tei"]])
def test_the_sources_home_and_root_are_never_output_folders(edition: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], out: str, message: str) -> None:
    (edition / "home").mkdir()
    monkeypatch.setenv("HOME", str(edition / "home"))
    before = tree(edition)
    result = run(*command, "-o", out)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"error: {message}"]
    assert tree(edition) == before


def test_a_source_folder_holding_the_output_never_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SITE_FIXTURE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "teipress.toml").write_text('source = "."\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        built = run("build", "--html", "-q")
        assert built.exit_code == 0, built.output
        assert "Built 2 document page(s)" in built.output
    assert run("export", "tei").exit_code == 0  # output/export/tei/ holds copies of every document
    validated = run("validate")
    assert validated.exit_code == 0, validated.output
    assert "8 file(s) checked: 0 error(s)" in validated.output  # 2 documents, edition.xml and 5 registers: no copy in output/


# --- the PDF folder --------------------------------------------------------------------------------


def test_pdfs_of_removed_documents_leave_the_pdf_folder(edition: Path) -> None:
    assert run("build", "--pdf", "--no-validate", "-q").exit_code == 0
    (edition / "tei" / f"{TELEGRAM}.xml").unlink()
    result = run("build", "--pdf", "--no-validate", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (edition / "output" / "pdf").iterdir()) == [".teipress", "edition.pdf", f"{LETTER}.pdf"]
    assert "Built 2 PDF(s) in output/pdf" in result.output


# --- one unique name per document, the same in every output ---------------------------------------


def test_every_document_gets_one_unique_name_in_site_pdf_and_export(edition: Path) -> None:
    source = edition / "tei"
    shutil.copy(source / f"{LETTER}.xml", source / "letter-copy.xml")  # the same root id twice (no validation)
    (source / "clash.xml").write_text(invented_document("A document whose id is the book's name", "Words of the clash.", "edition"), encoding="utf-8")
    (source / "документ.xml").write_text(invented_document("A document with a Cyrillic file name", "Words of the Cyrillic file."), encoding="utf-8")
    (source / "back\\slash.xml").write_text(invented_document("A document with a backslash in its file name", "Words of the backslash."), encoding="utf-8")
    names = {LETTER, TELEGRAM, f"{LETTER}-2", "edition-2", "document", "back-slash"}

    built = run("build", "--no-validate", "-q", "-j", "2")
    assert built.exit_code == 0, built.output
    published = "its outputs are named {0} (documents/{0}.html, {0}.pdf, {0}.xml) [document-name]"
    assert built.output.splitlines()[:4] == [
        f"tei/back\\slash.xml:1:1: warning: the id 'back\\\\slash' is no safe file name; {published.format('back-slash')}",
        f"tei/clash.xml:1:1: warning: the id 'edition' is the name of the book, edition.pdf; {published.format('edition-2')}",
        f"tei/letter-copy.xml:1:1: warning: another file already has the id '{LETTER}'; {published.format(LETTER + '-2')}",
        f"tei/документ.xml:1:1: warning: the id 'документ' is no safe file name; {published.format('document')}",
    ]
    assert "Built 6 document page(s) (6 transformed) and the registers, chronology and search index in output/html and 7 PDF(s) in output/pdf" in built.output

    site, pdfs = edition / "output" / "html", edition / "output" / "pdf"
    assert {p.stem for p in (site / "documents").glob("*.html")} == names
    assert {p.stem for p in pdfs.glob("*.pdf")} == names | {"edition"}
    for page in (site / "documents").glob("*.html"):
        links = html.parse(str(page)).getroot().xpath("//a[@type='application/pdf']/@href")
        assert links == [f"../../pdf/{page.stem}.pdf"] and (page.parent / links[0]).resolve().is_file()
    with pymupdf.open(pdfs / "edition.pdf") as book:
        bookmarks = [title for _, title, _ in book.get_toc()]
    assert "A document whose id is the book's name" in bookmarks and "Index of persons" in bookmarks
    with pymupdf.open(pdfs / "edition-2.pdf") as clash:
        assert "Words of the clash." in clash[0].get_text()

    exported = run("export", "tei")
    assert exported.exit_code == 0, exported.output
    export = edition / "output" / "export" / "tei"
    assert {p.stem for p in export.glob("*.xml")} == names | {"edition-corpus"}
    corpus = etree.parse(str(export / "edition-corpus.xml"), etree.XMLParser(collect_ids=False)).getroot()  # the same root id twice stays so
    assert corpus.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus" and len(corpus.findall("{http://www.tei-c.org/ns/1.0}TEI")) == 7  # edition.xml too
    assert "tei: 7 file(s) for 6 document(s) written" in exported.output


def test_a_very_long_file_name_is_published_under_a_shorter_name(edition: Path) -> None:
    long_name = "a-letter-with-a-very-long-file-name-" * 6 + "end"
    (edition / "tei" / f"{long_name[:236]}.xml").write_text(invented_document("A long name", "Words of the long name."), encoding="utf-8")
    result = run("build", "--html", "--no-validate", "-q")
    assert result.exit_code == 0, result.output
    short = long_name[:100].rstrip("-")
    assert (edition / "output" / "html" / "documents" / f"{short}.html").is_file()
    assert (edition / "output" / "html" / "tei" / f"{short}.xml").is_file()


def test_names_that_differ_only_in_case_are_made_unique(edition: Path) -> None:
    """On macOS and Windows `Note.html` and `note.html` are one file."""
    (edition / "tei" / "a.xml").write_text(invented_document("The first note", "Words of the first note.", "Note"), encoding="utf-8")
    (edition / "tei" / "b.xml").write_text(invented_document("The second note", "Words of the second note.", "note"), encoding="utf-8")
    result = run("build", "--html", "--no-validate", "-q")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "tei/b.xml:1:1: warning: another file already has the id 'note'; its outputs are named note-2 (documents/note-2.html, note-2.pdf, note-2.xml) [document-name]"
    assert {p.stem for p in (edition / "output" / "html" / "documents").glob("*.html")} == {LETTER, TELEGRAM, "Note", "note-2"}
