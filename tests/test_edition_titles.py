"""The edition's title, chosen in one place (edition.py `edition_titles`) for every output: teipress.toml's `title` and
`subtitle` override edition.xml's, in the site, the print edition, the CMIF export, the DTS API and the IIIF collection
alike (the print edition took edition.xml's over teipress.toml's, and a subtitle written first was the site's title)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
from click.testing import CliRunner
from lxml import etree

from teipress.cli import cli
from teipress.edition import Edition, edition_titles, load_edition

TEI_NS = "http://www.tei-c.org/ns/1.0"


def titled(tmp_path: Path, title_stmt: str) -> Edition:
    """An edition whose edition.xml has this titleStmt's content."""
    (tmp_path / "edition.xml").write_text(
        f'<TEI xmlns="{TEI_NS}" xml:id="edition"><teiHeader><fileDesc><titleStmt>{title_stmt}</titleStmt>'
        '<publicationStmt><p>Invented.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p>About.</p></body></text></TEI>', encoding="utf-8")
    return load_edition(tmp_path)


def test_teipress_toml_overrides_edition_xml_and_the_main_title_is_never_a_subtitle(tmp_path: Path) -> None:
    edition = titled(tmp_path, '<title type="sub">Eine Auswahl</title><title>Briefe <hi>an</hi>\n  Anna</title><title type="main">Briefwechsel</title>')
    assert edition_titles(edition, None, None) == ("Briefwechsel", "Eine Auswahl")
    assert edition_titles(edition, "  Letters   of Anna ", "A selection") == ("Letters of Anna", "A selection")
    assert edition_titles(edition, "", "") == ("Briefwechsel", "Eine Auswahl")  # an empty setting is no setting
    # No main title: the first that is no subtitle, its words joined across markup.
    edition = titled(tmp_path, '<title type="subtitle">Eine Auswahl</title><title>Briefe <hi>an</hi>\n  Anna</title>')
    assert edition_titles(edition, None, None) == ("Briefe an Anna", "Eine Auswahl")
    assert edition_titles(titled(tmp_path, ""), None, None) == ("", "")
    (tmp_path / "edition.xml").unlink()
    assert edition_titles(load_edition(tmp_path), None, None) == ("", "")


def outputs_titles(root: Path) -> dict[str, str]:
    """The edition's title as each output states it."""
    built = CliRunner().invoke(cli, ["--root", str(root), "build", "-q", "-j", "1", "--base-url", "https://edition.example.org/"])
    assert built.exit_code == 0, built.output
    exported = CliRunner().invoke(cli, ["--root", str(root), "export", "cmif", "--force", "--base-url", "https://edition.example.org/"])
    assert exported.exit_code == 0, exported.output
    site, pdfs = root / "output" / "html", root / "output" / "pdf"
    home = etree.parse(str(site / "index.html"), etree.HTMLParser())
    with pymupdf.open(pdfs / "edition.pdf") as book:
        title_page = [line.strip() for line in book[0].get_text().splitlines() if line.strip()]
        book_metadata = book.metadata["title"]
    with pymupdf.open(pdfs / "example-letter.pdf") as letter:
        letter_text = " ".join(" ".join(page.get_text() for page in letter).split())
    cmif = etree.parse(str(next(root.glob("output/**/cmif.xml"))))
    return {
        "site": " ".join(home.xpath("string(//header//*[@class = 'site-title'])").split()),
        "home page": " ".join(home.xpath("string(//main//h1)").split()),
        "home page subtitle": " ".join(home.xpath("string(//*[@class = 'edition-subtitle'])").split()),
        "book": title_page[0],
        "book subtitle": title_page[1],
        "book metadata": book_metadata,
        "letter's citation": re.search(r"In (.+?), edited by", letter_text)[1],
        "cmif": " ".join(cmif.findtext(f".//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title").split()),
        "dts": json.loads((site / "api" / "dts" / "collection.json").read_bytes())["title"],
        "dts description": json.loads((site / "api" / "dts" / "collection.json").read_bytes())["description"],
        "iiif": json.loads((site / "iiif" / "collection.json").read_bytes())["label"]["none"][0],
    }


def test_every_output_states_the_title_teipress_toml_gives_else_edition_xmls(tmp_path: Path) -> None:
    root = tmp_path / "letters"
    started = CliRunner().invoke(cli, ["init", str(root), "--title", "Briefe der Anna Example"])
    assert started.exit_code == 0, started.output
    edition_xml = root / "tei" / "edition.xml"
    text = edition_xml.read_text(encoding="utf-8")
    assert text.count('<title type="main">') == 1
    # A subtitle before the main title, as some editions' headers have it.
    edition_xml.write_text(text.replace('<title type="main">', '<title type="sub">Eine Auswahl</title><title type="main">', 1), encoding="utf-8")
    settings = root / "teipress.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\ntitle = "Letters of Anna Example"\nsubtitle = "A selection"\n', encoding="utf-8")
    from_settings = outputs_titles(root)
    assert from_settings == {
        "site": "Letters of Anna Example", "home page": "Letters of Anna Example", "home page subtitle": "A selection", "book": "Letters of Anna Example", "book subtitle": "A selection",
        "book metadata": "Letters of Anna Example", "letter's citation": "Letters of Anna Example", "cmif": "Letters of Anna Example",
        "dts": "Letters of Anna Example", "dts description": "A selection", "iiif": "Letters of Anna Example"}
    settings.write_text(settings.read_text(encoding="utf-8").replace('title = "Letters of Anna Example"\nsubtitle = "A selection"\n', ""), encoding="utf-8")
    assert outputs_titles(root) == {
        "site": "Briefe der Anna Example", "home page": "Briefe der Anna Example", "home page subtitle": "Eine Auswahl", "book": "Briefe der Anna Example", "book subtitle": "Eine Auswahl",
        "book metadata": "Briefe der Anna Example", "letter's citation": "Briefe der Anna Example", "cmif": "Briefe der Anna Example",
        "dts": "Briefe der Anna Example", "dts description": "Eine Auswahl", "iiif": "Briefe der Anna Example"}
