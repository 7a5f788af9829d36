"""Hostile input does nothing: generated editions whose texts, attribute values, ids and file names come
from a hostile alphabet (markup, comment and script openers, quotes, Typst syntax, spreadsheet formulas,
control and bidi characters, very long strings, non-Latin scripts) go through every command.

For each generated edition: every command exits 0, 1 or 2 without a traceback; the site's pages, opened
in Chromium, run no script of the source's making and keep their text; every embedded data block is
inert JSON; the PDFs hold the text literally; CSV cells never start like a formula; nothing outside the
output folder changes. The targeted tests below pin the holes this suite found first (issue 8).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import tempfile
import traceback
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from teipress.cli import cli
from teipress.export import csv_bytes, spreadsheet_text
from teipress.serve import serving

from test_build import text_nodes, visible_text

BASE_URL = "https://edition.example.org/"

# Every payload that runs script calls this global; the browser tests define it and count the calls.
TRAP = "__hostile()"
PAYLOADS = [
    f"<img src=x onerror={TRAP}>", f"<script>{TRAP}</script>", "</script>", "<!--<script>", "<!--", "-->", "]]>",
    f'" onmouseover="{TRAP}" x="', f"' onfocus='{TRAP}' autofocus '", f"javascript:{TRAP}", f"<svg onload={TRAP}>",
    '#read("/etc/passwd")', "$x$", "*b*", "= h", "_em_", "#panic(\"x\")", "\\", "//", "{{x}}", "${x}",
    '=HYPERLINK("https://evil.example/","x")', "+1", "-1", "@SUM(1)", "=1+1",
    "&amp;", "&lt;b&gt;", "%00", "%22", "a&b", "<b>", "&", "<", ">", '"', "'", "`",
    "\u202e", "\u2066", "\u200f", "\u061c", "\ufeff",
    "한국어 문서", "Ελληνικά", "кириллица", "עברית", "العربية", "中文", "ș ț ă",
]
# Characters XML 1.0 allows that a renderer may trip over: tab, line feed, carriage return, NEL and C1 controls.
CONTROLS = ["\t", "\n", "\r", "\x85", "\x9f", "\x7f"]


def _text(pieces: list[str], *, long: bool = False) -> st.SearchStrategy[str]:
    piece = st.sampled_from(pieces)
    words = st.lists(st.one_of(piece, st.sampled_from(CONTROLS)), min_size=1, max_size=6).map(" ".join)
    very_long = st.tuples(piece, st.integers(200, 600)).map(lambda pair: " ".join([pair[0]] * pair[1]))
    return st.one_of(words, very_long) if long else words


HOSTILE_TEXT = _text(PAYLOADS, long=True)
HOSTILE_ATTRIBUTE = _text(PAYLOADS)
# Ids must be XML names to be ids at all; within that, any script and the punctuation a name may hold.
HOSTILE_ID = st.from_regex(r"\A[a-zà-öø-ÿ가-힣α-ωа-я_][a-z0-9à-öø-ÿ가-힣α-ωа-я_.\-]{0,40}\Z").filter(lambda s: not s.lower().startswith("xml"))
# File names: anything a file system allows in one name except "/" (and NUL), short enough for every system.
HOSTILE_FILE_NAME = st.text(
    alphabet=st.sampled_from(list("<>\"'&#%;$ ()[]{}!?*=+-@~`^,") + ["ä", "한", "д", "\u202e", "a", "b", "1"]), min_size=1, max_size=24
).filter(lambda s: s not in (".", "..") and not s.startswith("-"))


def xml_text(value: str) -> str:
    """Text as XML content that parses back to exactly `value` (a carriage return would become a line feed)."""
    return escape(value).replace("\r", "&#13;")


def xml_attribute(value: str) -> str:
    """A double-quoted XML attribute value that parses back to exactly `value` (no attribute-value normalisation)."""
    return '"' + escape(value, {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}) + '"'


@dataclass
class Edition:
    """What a generated edition holds, so that the tests know what to look for."""

    document_id: str
    person_id: str
    file_name: str
    edition_title: str
    document_title: str
    text_type: str
    person_name: str
    paragraph: str
    note: str
    attribute: str
    link: str

    def sources(self) -> dict[str, str]:
        """The edition's files by name below tei/."""
        files: dict[str, str] = {}
        tei = 'xmlns="http://www.tei-c.org/ns/1.0"'
        files["edition.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {tei} xml:id="edition">'
            + HEADER.format(title=xml_text(self.edition_title), profile="")
            + f'<text type="edition"><body><div type="introduction"><head>{xml_text(self.note)}</head><p>{xml_text(self.paragraph)}</p></div></body></text></TEI>\n'
        )
        files["registers/persons.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {tei} xml:id="persons">' + HEADER.format(title="Persons", profile="")
            + f'<text><body><listPerson><person xml:id="{self.person_id}"><persName type="standard">{xml_text(self.person_name)}</persName>'
            f'<note type="description">{xml_text(self.note)}</note></person></listPerson></body></text></TEI>\n'
        )
        profile = (f'<profileDesc><correspDesc><correspAction type="sent"><persName ref="#{self.person_id}">{xml_text(self.person_name)}</persName>'
                   f'<date when="1950-03-04">4 March 1950</date></correspAction><correspAction type="received"><persName>{xml_text(self.attribute)}</persName>'
                   "</correspAction></correspDesc></profileDesc>")
        files[f"{self.file_name}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {tei} xml:id="{self.document_id}">'
            + HEADER.format(title=xml_text(self.document_title), profile=profile)
            + f'<text type={xml_attribute(self.text_type)}><body>'
            f'<p n={xml_attribute(self.attribute)} rend={xml_attribute(self.attribute)}>{xml_text(self.paragraph)} '
            f'<persName ref="#{self.person_id}">{xml_text(self.person_name)}</persName> '
            f'<hi rend={xml_attribute(self.attribute)}>{xml_text(self.attribute)}</hi> '
            f'<ref target={xml_attribute(self.link)}>{xml_text(self.note)}</ref>'
            f'<note>{xml_text(self.note)}</note> <date when="1950-03-04">{xml_text(self.attribute)}</date></p>'
            f'<figure><graphic url={xml_attribute(self.link)}/><figDesc>{xml_text(self.attribute)}</figDesc></figure>'
            "</body></text></TEI>\n"
        )
        return files

    def write(self, root: Path) -> Path:
        for name, content in self.sources().items():
            path = root / "tei" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        return root / "tei"


HEADER = """<teiHeader><fileDesc><titleStmt><title type="main">{title}</title></titleStmt><publicationStmt><publisher>The teipress test suite</publisher></publicationStmt>
<sourceDesc><p>Generated by the hostile-input tests.</p></sourceDesc></fileDesc>{profile}</teiHeader>"""


@st.composite
def editions(draw: st.DrawFn) -> Edition:
    """An edition of one document, a person register and edition.xml, hostile in every field a source can fill."""
    edition = Edition(
        document_id=draw(HOSTILE_ID), person_id=draw(HOSTILE_ID), file_name=draw(HOSTILE_FILE_NAME),
        edition_title=draw(HOSTILE_ATTRIBUTE), document_title=draw(HOSTILE_ATTRIBUTE), text_type=draw(HOSTILE_ATTRIBUTE),
        person_name=draw(HOSTILE_ATTRIBUTE), paragraph=draw(HOSTILE_TEXT), note=draw(HOSTILE_TEXT), attribute=draw(HOSTILE_ATTRIBUTE),
        link=draw(st.sampled_from(PAYLOADS + [f"img/{p}.png" for p in PAYLOADS[:12]])),
    )
    if edition.person_id == edition.document_id:
        edition.person_id += "-p"
    return edition


# ---- running commands -------------------------------------------------------------------------------------

def run(root: Path, *arguments: str) -> Result:
    """One command in-process; it must end with exit 0, 1 or 2 and without a traceback."""
    result = CliRunner().invoke(cli, ["--root", str(root), *arguments], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"teipress {' '.join(arguments)} raised {result.exception!r}:\n{trace}")
    assert result.exit_code in (0, 1, 2), f"teipress {' '.join(arguments)}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, f"teipress {' '.join(arguments)}:\n{result.output}"
    return result


def tree_digest(root: Path, *, outside: Path) -> dict[str, str]:
    """A hash of every file below `root` except those in `outside` (the output folder)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and outside not in p.parents}


@contextmanager
def edition_folder(edition: Edition) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="teipress-hostile-") as folder:
        root = Path(folder)
        edition.write(root)
        (root / "out").mkdir()
        yield root


def normalised(text: str) -> str:
    """Whitespace as XPath's normalize-space() sees it (a NEL or C1 control is no space there)."""
    return re.sub(r"[ \t\n\r]+", " ", text).strip(" ")


# ---- every command, no traceback, nothing outside the output touched -------------------------------------

CASES_COMMANDS = 25


@settings(max_examples=CASES_COMMANDS, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edition=editions(), title=HOSTILE_ATTRIBUTE)
def test_every_command_ends_cleanly_and_touches_nothing_outside_its_output(edition: Edition, title: str) -> None:
    with edition_folder(edition) as root:
        out = root / "out"
        plain = root / "transcription.txt"
        plain.write_text(edition.paragraph + "\n\n" + edition.note + "\n", encoding="utf-8")
        before = tree_digest(root, outside=out)
        run(root, "validate")
        run(root, "validate", "--format", "json")
        for fmt in ("tei", "csv", "json", "cmif", "dc"):
            result = run(root, "export", fmt, "-o", str(out / fmt), "--base-url", BASE_URL)
            assert result.exit_code == 0, f"export {fmt}: {result.output}"  # well-formed sources always export
        source = root / "tei" / f"{edition.file_name}.xml"
        run(root, "import", "tei", str(source), "-o", str(out / "import"))
        run(root, "import", "text", str(plain), "-o", str(out / "text.xml"), "--title", title, "--author", edition.person_name,
            "--type", "letter", "--date", "1950-03-04")
        run(root, "entities")
        run(root, "entities", "--format", "json")
        assert tree_digest(root, outside=out) == before

        for name in ("mentions.csv", "events.csv"):
            with open(out / "csv" / name, encoding="utf-8-sig", newline="") as stream:
                for row in csv.reader(stream):
                    assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))], (name, row)
        facts = json.loads((out / "json" / "facts.json").read_text(encoding="utf-8"))
        assert any(m["surface"] == edition.person_name or normalised(m["surface"]) == normalised(edition.person_name) for m in facts["mentions"])


# ---- the site: inert data blocks, no script of the source's, every word kept --------------------------------

CASES_SITE = 12


def script_blocks(page: Path) -> list[str]:
    return [script.text or "" for script in lxml_html.parse(str(page)).getroot().iter("script") if not script.get("src")]


def assert_inert_json(text: str, where: str) -> object:
    """Embedded data: JSON without a character that lets the HTML parser leave or re-enter the script."""
    assert not re.search(r"[<>&]", text), f"{where}: {text[:200]!r}"
    return json.loads(text)


def entry_scripts(site: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Every register entry's popover data (assets/entries/*.js) by its id, each checked to be inert JSON."""
    data = {}
    for script in sorted((site / "assets" / "entries").glob("*.js")):
        call = re.fullmatch(r"window\.teipressEntry\((.*)\);\n", script.read_text(encoding="utf-8"), re.S)
        assert call, script.name
        entry = assert_inert_json(call.group(1), script.name)
        data[entry["id"]] = entry
    return data


def visit(browser, url: str, search: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Open a page with the trap set; what ran, which dialogs opened, and whether the page kept its frame."""
    context = browser.new_context()
    context.add_init_script("window.__ran = []; window.__hostile = function () { window.__ran.push(String(new Error().stack)); };")
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(url)
    if search is not None:
        tab.locator(".search-filter-label").first.wait_for(state="attached", timeout=15_000)
        for details in tab.locator("details.search-filter").all():
            details.evaluate("element => { element.open = true; }")
        tab.locator(".search-filter-label", has_text=search).first.click()  # the results of a filter show their titles and excerpts
        tab.locator(".search-status").filter(has_text="found").wait_for(timeout=15_000)
    tab.evaluate("document.querySelectorAll('[onmouseover], [onfocus]').forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))")
    facts = tab.evaluate("""() => ({ran: window.__ran.length, main: !!document.querySelector('main#main'), footer: !!document.querySelector('footer.site-footer'),
                                     text: document.body ? document.body.textContent : '', filters: [...document.querySelectorAll('.search-filter-label')].map(e => e.textContent),
                                     titles: [...document.querySelectorAll('.search-result-title')].map(e => e.textContent)})""")
    facts["dialogs"] = dialogs
    context.close()
    return facts


@pytest.mark.browser
@settings(max_examples=CASES_SITE, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(edition=editions())
def test_the_site_runs_no_script_of_the_sources_and_keeps_their_text(browser, edition: Edition) -> None:  # type: ignore[no-untyped-def]
    with edition_folder(edition) as root:
        out = root / "out"
        before = tree_digest(root, outside=out)
        result = run(root, "build", "--html", "--no-validate", "-q", "-j", "1", "-o", str(out), "--base-url", BASE_URL)
        assert result.exit_code == 0, result.output
        assert tree_digest(root, outside=out) == before
        site = out / "html"
        pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)
        documents = sorted((site / "documents").glob("*.html"))
        assert len(documents) == 1
        for page in pages:
            for block in script_blocks(page):
                assert_inert_json(block, str(page.relative_to(site)))
        data = entry_scripts(site)
        assert data[edition.person_id]["name"] == normalised(edition.person_name)
        # the entry's own page, whatever its id, inside registers/persons/ and named by its name
        entry_page = site / data[edition.person_id]["href"]
        assert entry_page.parent == site / "registers" / "persons" and entry_page.is_file()
        assert lxml_html.parse(str(entry_page)).getroot().xpath("string(//h1)") == normalised(edition.person_name)
        page_text = visible_text(documents[0])
        assert [n for n in text_nodes(root / "tei" / f"{edition.file_name}.xml") if n not in page_text] == []

        with serving(site) as url:
            for page in pages:
                relative = page.relative_to(site).as_posix()
                facts = visit(browser, url + quote(relative))
                assert facts["ran"] == 0 and facts["dialogs"] == [], relative
                assert facts["main"] and facts["footer"], f"{relative} lost its frame"
            document_text = normalised(visit(browser, url + "documents/" + quote(documents[0].name))["text"])
            assert normalised(edition.paragraph) in document_text
            facts = visit(browser, url + "search.html", search="1950")
            assert facts["ran"] == 0 and facts["dialogs"] == [], "search.html"
            # Pagefind collapses what Unicode calls white space (a NEL too) in a filter value or title, as str.split() does.
            def words(text: str) -> str:
                return " ".join(text.split())

            if words(edition.person_name):
                assert f"{words(edition.person_name)} (1)" in [words(label) for label in facts["filters"]]
            if words(edition.document_title):
                assert [words(title) for title in facts["titles"]] == [words(edition.document_title)]


# ---- ids that read as paths: no file outside the site ----------------------------------------------------

# An xml:id made of path steps (no NCName: RELAX NG refuses it, a build without validation reads it). The site lies
# nine folders below the box the test looks at (box/a/b/c/edition/out/html/api/dts/document/letter), so no
# nine steps up leave the box.
PATH_LIKE_ID = st.builds(lambda up, steps: "../" * up + "/".join(steps), st.integers(0, 9),
                         st.lists(st.sampled_from(["..", ".", "x", "%2e%2e", "..%2f", "\\", "~", ""]), min_size=1, max_size=4))


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(id_=PATH_LIKE_ID)
@example(id_="../" * 9 + "x")
def test_an_xml_id_that_reads_as_a_path_writes_nothing_outside_the_site(id_: str) -> None:
    with tempfile.TemporaryDirectory(prefix="teipress-hostile-") as folder:
        box = Path(folder)
        root = box / "a" / "b" / "c" / "edition"
        (root / "tei").mkdir(parents=True)
        (root / "tei" / "letter.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER.format(title="Letter", profile="")}<text><body>'
            f'<p xml:id={xml_attribute(id_)}>One.</p><div xml:id={xml_attribute(id_ + "/d")}><p>Two.</p></div></body></text></TEI>',
            encoding="utf-8")
        out = root / "out"
        for _ in range(2):  # a rebuild removes what the build before it wrote for the document
            result = run(root, "build", "--html", "--no-validate", "-q", "-j", "1", "-o", str(out), "--force")
            assert result.exit_code == 0, result.output
            outside = sorted(str(path.relative_to(box)) for path in box.rglob("*") if out not in path.parents and path != out)
            assert outside == ["a", "a/b", "a/b/c", "a/b/c/edition", "a/b/c/edition/tei", "a/b/c/edition/tei/letter.xml"]


# ---- the PDFs: the text as written ---------------------------------------------------------------------------

CASES_PDF = 8
# Text a PDF's text layer gives back as written: nothing right to left, no script and no mark (U+200F, U+061C), whose
# characters, and the neutral ones between two of them ("\u200f <!-- \u200f"), come back in visual order ("--!<").
PDF_PAYLOADS = [p for p in PAYLOADS if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in p)]


def pdf_text_of(path: Path) -> str:
    import pymupdf

    with pymupdf.open(path) as document:
        return "".join(page.get_text() for page in document)


def comparable(text: str) -> str:
    """Text as a PDF's text layer gives it back: without whitespace, hyphens and soft hyphens (line breaks) and
    without control and format characters (which have no glyph)."""
    return "".join(c for c in re.sub(r"[\s\u00ad\-‐]", "", text) if unicodedata.category(c) not in ("Cc", "Cf"))


# An edition of plain words, for an example of one field: a C1 control before "<!--" (print leaves the control
# characters out, xslt/pdf/typst.xsl).
PLAIN_EDITION = Edition(document_id="letter", person_id="ada", file_name="letter", edition_title="Letters", document_title="A letter",
                        text_type="letter", person_name="Ada", paragraph="Dear Ada", note="A note.", attribute="plain", link="img/a.png")


@settings(max_examples=CASES_PDF, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edition=editions(), paragraph=_text(PDF_PAYLOADS))
@example(edition=PLAIN_EDITION, paragraph="\x9f <!--")
def test_the_pdfs_hold_the_text_as_written(edition: Edition, paragraph: str) -> None:
    edition.paragraph = paragraph
    with edition_folder(edition) as root:
        out = root / "out"
        before = tree_digest(root, outside=out)
        result = run(root, "build", "--pdf", "--no-validate", "-q", "-j", "1", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert tree_digest(root, outside=out) == before
        pdfs = sorted((out / "pdf").glob("*.pdf"))
        document_pdfs = [p for p in pdfs if p.name != "edition.pdf"]
        assert len(document_pdfs) == 1, pdfs
        for pdf in (document_pdfs[0], out / "pdf" / "edition.pdf"):
            text = comparable(pdf_text_of(pdf))
            assert comparable(paragraph) in text, pdf.name
            assert "root:" not in text  # /etc/passwd was not read


def test_print_leaves_the_control_characters_out_and_every_other_character_in_place(tmp_path: Path) -> None:
    """C1 controls and DEL in a paragraph, a word and a recorded reading: the PDFs hold the text without them, exactly
    (tests/nothing_lost.py, rule 4), where Typst set a missing glyph for one (read back as U+0000 or U+0001) and
    broke the line at NEL."""
    from test_pdf import EDITION, LETTER as PDF_LETTER, assert_every_word_in_order, build

    source = tmp_path / "tei"
    shutil.copytree(EDITION / "tei", source, ignore=shutil.ignore_patterns("essay-*", "telegram-*"))
    letter = source / f"{PDF_LETTER}.xml"
    text = letter.read_text(encoding="utf-8")
    for old, new in (("repeats the point in other words", "repeats &#x9f;&lt;!-- the point in&#x85;other wo&#x7f;rds"),
                     ("a few more words", 'a few <choice><sic>mroe&#x80;</sic><corr>more</corr></choice> words')):
        assert old in text
        text = text.replace(old, new)
    letter.write_text(text, encoding="utf-8")
    assert_every_word_in_order(build(source, tmp_path / "out"))


# ---- the holes this suite found first (issue 8), pinned one by one ----------------------------------------------

SITE_FIXTURE = Path(__file__).parent / "fixtures" / "site" / "edition"
LETTER = "letter-1950-03-04-northtown"
HOSTILE_NAME = f"<img src=x onerror={TRAP}>"
HOSTILE_PERSON = f"{HOSTILE_NAME} &amp; & Alma Sender"  # "&amp;" as written, which must not show as "&"


def hostile_fixture(root: Path, *, type_: str = HOSTILE_NAME, name: str = HOSTILE_PERSON, title: str = "<!--<script>") -> Path:
    """The site fixture with a hostile text type, person name and titles (edition, document, register entry)."""

    source = root / "tei"
    shutil.copytree(SITE_FIXTURE, source)
    letter = source / f"{LETTER}.xml"
    text = letter.read_text(encoding="utf-8")
    text = text.replace('<text type="letter">', f"<text type={xml_attribute(type_)}>").replace("quince marmalade", f"quince marmalade {xml_text(title)} &amp;amp;")
    text = text.replace('<title type="main">', f'<title type="main">{xml_text(title)} ', 1)
    letter.write_text(text, encoding="utf-8")
    persons = source / "registers" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace('<persName type="standard">Alma Sender', f'<persName type="standard">{xml_text(name)}'), encoding="utf-8")
    places = source / "registers" / "places.xml"
    places.write_text(places.read_text(encoding="utf-8").replace("</listPlace>", f'<place xml:id="hostile-place"><placeName>{xml_text(name)}</placeName><location><geo>53.5 -2.25</geo></location></place></listPlace>'), encoding="utf-8")
    edition = source / "edition.xml"
    edition.write_text(edition.read_text(encoding="utf-8").replace('<title type="main">', f'<title type="main">{xml_text(title)} ', 1), encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-site")
    hostile_fixture(root)
    result = run(root, "build", "--html", "--no-validate", "-q", "-j", "1", "-o", str(root / "out"))
    assert result.exit_code == 0, result.output
    return root / "out" / "html"


def test_every_embedded_data_block_is_inert_json(hostile_site: Path) -> None:
    home, letter = hostile_site / "index.html", hostile_site / "documents" / f"{LETTER}.html"
    home_data = assert_inert_json(script_blocks(home)[0], "index.html")
    assert home_data["name"] == "<!--<script> Letters of the Fixture Correspondence"
    letter_data = assert_inert_json(script_blocks(letter)[0], LETTER)
    assert letter_data["name"].startswith("<!--<script> Letter from")
    assert lxml_html.parse(str(letter)).getroot().xpath("//meta[@name='DC.type']/@content") == [HOSTILE_NAME]  # the type: Dublin Core's, not JSON-LD's
    assert letter_data["sender"] == [{"@type": "Person", "name": HOSTILE_PERSON}]
    assert entry_scripts(hostile_site)["alma-sender"]["name"] == HOSTILE_PERSON
    maps = [assert_inert_json(places, f"{page} div.tp-map") for page in sorted(hostile_site.rglob("*.html"))
            for places in lxml_html.parse(str(page)).getroot().xpath("//div[@class='tp-map']/@data-places")]
    assert maps == [[{"id": "hostile-place", "name": HOSTILE_PERSON, "lat": 53.5, "lon": -2.25, "href": "../../registers/places/hostile-place.html"}]]
    for page in sorted(hostile_site.rglob("*.html")):
        if "pagefind" not in page.relative_to(hostile_site).parts:
            for block in script_blocks(page):
                assert_inert_json(block, str(page))


def test_search_filters_hand_pagefind_each_ampersand_escaped(hostile_site: Path) -> None:
    page = lxml_html.parse(str(hostile_site / "documents" / f"{LETTER}.html")).getroot()
    filters = [(e.get("data-pagefind-filter"), e.text_content()) for e in page.xpath("//*[@data-pagefind-filter]")]
    assert ("type", HOSTILE_NAME) in filters
    assert ("person", HOSTILE_PERSON.replace("&", "&amp;")) in filters
    # The filters are not searched as text; a name Pagefind would read otherwise than shown is no filter where it is shown.
    assert not page.xpath("//*[@data-pagefind-body]//*[@data-pagefind-filter][not(ancestor-or-self::*[@data-pagefind-ignore])]")
    assert not page.xpath("//*[@data-pagefind-body]//*[@data-pagefind-filter][contains(., '&')]")


@pytest.mark.browser
def test_the_search_page_shows_hostile_names_and_excerpts_as_text(browser, hostile_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(hostile_site) as url:
        context = browser.new_context()
        context.add_init_script("window.__ran = 0; window.__hostile = function () { window.__ran += 1; };")
        tab = context.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(url + "search.html")
        tab.locator("#search-input").fill("marmalade")
        tab.locator(".search-result-link").first.wait_for(timeout=15_000)
        for details in tab.locator("details.search-filter").all():
            details.evaluate("element => { element.open = true; }")
        labels = tab.locator(".search-filter-label").all_text_contents()
        assert f"{HOSTILE_PERSON} (2)" in labels and f"{HOSTILE_NAME} (1)" in labels
        excerpt = tab.locator(".search-result-excerpt").first.text_content()
        assert "quince marmalade <!--<script> &amp; is on the agenda" in excerpt  # as the page shows it, "&amp;" included
        assert tab.locator(".search-result-excerpt mark").first.text_content() == "marmalade"
        tab.locator("#search-input").fill("")
        tab.locator(".search-filter-label[for^=filter-person]", has_text="Alma Sender").click()  # both documents, by the filter alone
        tab.locator(".search-status", has_text="2 documents found").wait_for(timeout=15_000)
        assert tab.evaluate("window.__ran") == 0 and dialogs == []
        assert tab.locator("img").count() == 0
        context.close()


@pytest.mark.parametrize("arguments", [["build", "--html"], ["export", "tei"], ["export", "cmif"]])
@pytest.mark.parametrize("address", ["javascript:alert(1)//", "data:text/html,x", "https://e.org/a\"b", "ftp://e.org/", "https://", "e.org"])
def test_base_url_must_be_an_http_address(tmp_path: Path, arguments: list[str], address: str) -> None:
    shutil.copytree(SITE_FIXTURE, tmp_path / "tei")
    result = run(tmp_path, *arguments, "-o", str(tmp_path / "out"), "--base-url", address)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: base_url must be an http:// or https:// address such as \"https://edition.example.org/\", not {address!r}"]
    assert not (tmp_path / "out").exists()
    (tmp_path / "teipress.toml").write_text(f"base_url = {json.dumps(address)}\n", encoding="utf-8")
    assert run(tmp_path, *arguments, "-o", str(tmp_path / "out")).exit_code == 2


def test_a_base_url_without_slash_gets_one(tmp_path: Path) -> None:
    from teipress.config import load_config

    assert load_config(tmp_path, base_url="HTTPS://Edition.example.org/letters").base_url == "HTTPS://Edition.example.org/letters/"


def test_csv_cells_that_start_like_formulas_are_quoted() -> None:
    assert [spreadsheet_text(v) for v in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "", "'="]] == [
        "'=HYPERLINK(\"x\")", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", "'="]
    data = csv_bytes(["a", "b"], [{"a": "=1+1", "b": "fine"}]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data))) == [["a", "b"], ["'=1+1", "fine"]]


def test_export_csv_quotes_a_formula_in_a_name(tmp_path: Path) -> None:
    hostile_fixture(tmp_path, name="x", title="x")
    letter = tmp_path / "tei" / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace(">the Port<", '>=HYPERLINK("https://evil.example/","x")<'), encoding="utf-8")
    assert run(tmp_path, "export", "csv", "-o", str(tmp_path / "csv")).exit_code == 0
    assert run(tmp_path, "export", "json", "-o", str(tmp_path / "json")).exit_code == 0
    with open(tmp_path / "csv" / "mentions.csv", encoding="utf-8-sig", newline="") as stream:
        surfaces = [row["surface"] for row in csv.DictReader(stream)]
    assert "'=HYPERLINK(\"https://evil.example/\",\"x\")" in surfaces
    facts = json.loads((tmp_path / "json" / "facts.json").read_text(encoding="utf-8"))
    assert "=HYPERLINK(\"https://evil.example/\",\"x\")" in [m["surface"] for m in facts["mentions"]]  # JSON keeps the text as written


def test_export_tei_percent_encodes_a_link_a_uri_may_not_hold(tmp_path: Path) -> None:
    hostile_fixture(tmp_path, name="x", title="x")
    letter = tmp_path / "tei" / f"{LETTER}.xml"
    figure = '<figure><graphic url="img/a&quot;b%zz.png#x#y"/></figure><figure><graphic url="img/%41ok.png"/></figure>'
    letter.write_text(letter.read_text(encoding="utf-8").replace("<closer>", figure + "<closer>"), encoding="utf-8")
    result = run(tmp_path, "export", "tei", "-o", str(tmp_path / "tei-out"), "--base-url", BASE_URL)
    assert result.exit_code == 0, result.output
    exported = (tmp_path / "tei-out" / f"{LETTER}.xml").read_text(encoding="utf-8")
    assert re.findall(r'<graphic url="([^"]*)"', exported) == [f"{BASE_URL}img/a%22b%25zz.png#x%23y", f"{BASE_URL}img/%41ok.png"]
