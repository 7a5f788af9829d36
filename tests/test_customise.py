"""Customising without forking: teipress.toml's css, logo, favicon, footer, nav, pages, xslt and typst.

Each setting changes the built site or PDF as the README says, a second (incremental) build keeps
it, and a wrong setting is one line naming it, exit 2.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from teipress.assets import ASSETS_SOURCE, fingerprinted
from teipress.build import BuildResult, build_edition
from teipress.cli import cli
from teipress.config import load_config

from conftest import REPO, without_hash
from test_build import LETTER, TELEGRAM, broken_links, copy_fixture, parse, visible_text

BUILT_IN_MENU = [("Documents", "index.html"), ("Persons", "registers/persons.html"), ("Places", "registers/places.html"),
                 ("Organisations", "registers/organizations.html"), ("Cited documents", "registers/bibliography.html"),
                 ("Chronology", "chronology.html"), ("Overviews", "overviews/time.html"), ("Search", "search.html")]
# Without `pages`, the divisions of edition.xml are pages of their own, after teipress's entries.
EDITION_PAGES = [("Introduction", "pages/introduction.html"), ("Editorial principles", "pages/editorial-principles.html")]
OWN_STYLESHEET = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tp="https://teipress.org/ns/xslt">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{$teipress}html/document.xsl"/>
  <xsl:template name="tp:citation">
    <xsl:param name="root"/><xsl:param name="id"/><xsl:param name="title"/>
    <p class="own-citation">CITATION</p>
  </xsl:template>
</xsl:stylesheet>
"""


def readme_example(language: str, after: str) -> str:
    """The README's first code block in `language` after the words `after` (so that the README's examples work)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"\n( *)```{language}\n(.*?)\n\1```", readme[readme.index(after):], re.S)
    assert block, f"no {language} example after {after!r} in README.md"
    return textwrap.dedent(block.group(2)) + "\n"


def edition(root: Path, settings: str, files: dict[str, str | bytes] | None = None) -> Path:
    """The fixture edition in `root/tei` with `teipress.toml` and the edition's own files (paths relative to `root`)."""
    copy_fixture(root)
    for relative, content in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (root / "teipress.toml").write_text(settings, encoding="utf-8")
    return root


def build_html(root: Path) -> BuildResult:
    return build_edition(load_config(root), formats={"html"}, validate=False, jobs=1)


def menu(page: Path) -> list[tuple[str, str]]:
    return [(a.text_content(), a.get("href")) for a in parse(page).xpath("//nav[@class='site-nav']//a")]


# --- the look: css, logo, favicon, footer --------------------------------------------------------------


def test_css_logo_favicon_and_footer_reach_every_page_and_a_rebuild_keeps_them(tmp_path: Path) -> None:
    root = edition(tmp_path, 'css = "look/edition.css"\nlogo = "look/logo.png"\nfavicon = "look/icon.svg"\nfooter = "Funded by <b>the Fixture Society</b>"\n',
                   {"look/edition.css": ".site-header { background: #123456; }\n", "look/logo.png": b"\x89PNG fixture", "look/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    build_html(root)
    site = root / "output" / "html"
    for page, prefix in ((site / "index.html", ""), (site / "documents" / f"{LETTER}.html", "../"), (site / "registers" / "persons.html", "../")):
        head = parse(page)
        assert head.xpath("//head/link[@rel='stylesheet']/@href") == [prefix + fingerprinted("assets/site.css", (ASSETS_SOURCE / "site.css").read_bytes()),
                                                                     prefix + "assets/edition/edition.css"]
        assert head.xpath("//head/link[@rel='icon']/@href") == [prefix + "assets/edition/favicon.svg"]
        assert head.xpath("//head/link[@rel='icon']/@type") == ["image/svg+xml"]
        assert head.xpath("//header//p[@class='site-title']/a/img[@class='site-logo']/@src") == [prefix + "assets/edition/logo.png"]
        assert head.xpath("//footer//p[@class='edition-footer']/text()") == ["Funded by <b>the Fixture Society</b>"]  # text, not markup
        assert not head.xpath("//footer//b")
    assert broken_links(site) == []

    again = build_html(root)
    assert again.pages_written == [] and again.documents_rendered == []
    assert [without_hash(href) for href in parse(site / "index.html").xpath("//head/link[@rel='stylesheet']/@href")] == ["assets/site.css", "assets/edition/edition.css"]

    # The edition's CSS changed: its copy under the same name is the new one (teipress's own site.css stays as shipped).
    (root / "look" / "edition.css").write_text(".site-header { background: #654321; }\n", encoding="utf-8")
    build_html(root)
    [site_css, edition_css] = parse(site / "index.html").xpath("//head/link[@rel='stylesheet']/@href")
    assert (site / edition_css).read_text(encoding="utf-8") == ".site-header { background: #654321; }\n"
    assert (site / site_css).read_bytes() == (ASSETS_SOURCE / "site.css").read_bytes()

    # Settings removed: the pages lose the link, logo and footer, and the copies go.
    (root / "teipress.toml").write_text("", encoding="utf-8")
    build_html(root)
    home = parse(site / "index.html")
    assert [without_hash(href) for href in home.xpath("//head/link[@rel='stylesheet']/@href")] == ["assets/site.css"]
    assert [without_hash(href) for href in home.xpath("//head/link[@rel='icon']/@href")] == ["assets/favicon.svg"]
    assert not home.xpath("//img[@class='site-logo'] | //p[@class='edition-footer']")
    assert not (site / "assets" / "edition").exists() or list((site / "assets" / "edition").iterdir()) == []


# --- the menu: nav and pages ----------------------------------------------------------------------------


def test_nav_adds_menu_entries_in_order_after_teipress_own(tmp_path: Path) -> None:
    root = edition(tmp_path, 'nav = [{label = "Project", href = "https://project.example.org/"}, {label = "Data", href = "data/letters.zip"}, {label = "<b>Bold</b>", href = "#x"}]\n')
    build_html(root)
    site = root / "output" / "html"
    assert menu(site / "index.html") == [*BUILT_IN_MENU, *EDITION_PAGES, ("Project", "https://project.example.org/"), ("Data", "data/letters.zip"), ("<b>Bold</b>", "#x")]
    assert not parse(site / "index.html").xpath("//nav//b")  # a label is text
    assert menu(site / "documents" / f"{LETTER}.html") == [*((label, "../" + href) for label, href in [*BUILT_IN_MENU, *EDITION_PAGES]),
                                                           ("Project", "https://project.example.org/"), ("Data", "../data/letters.zip"), ("<b>Bold</b>", "../#x")]
    build_html(root)
    assert menu(site / "chronology.html")[-3:-1] == [("Project", "https://project.example.org/"), ("Data", "data/letters.zip")]


def test_pages_make_each_division_of_edition_xml_and_each_markdown_file_a_page(tmp_path: Path) -> None:
    markdown = ("# Our *team*\n\nWe are *two* editors. <script>alert(1)</script> [bad](javascript:alert(1)) [good](https://example.org/)\n\n"
                "## Funding\n\nNone.\n")
    root = edition(tmp_path, 'pages = ["tei/edition.xml", "about/team.md"]\n', {"about/team.md": markdown})
    build_html(root)
    site = root / "output" / "html"
    assert sorted(p.name for p in (site / "pages").iterdir()) == ["editorial-principles.html", "introduction.html", "team.html"]
    extra = [("Introduction", "pages/introduction.html"), ("Editorial principles", "pages/editorial-principles.html"), ("Our team", "pages/team.html")]
    assert menu(site / "index.html") == [*BUILT_IN_MENU, *extra]

    # Said once: the divisions that have pages leave the home page (and the header's editorialDecl does not stand in for them).
    home = visible_text(site / "index.html")
    assert "This small edition holds two letters" not in home and "linked to its register entry" not in home and "Spelling is kept" not in home
    assert "See the documents below." in home

    principles = parse(site / "pages" / "editorial-principles.html")
    assert principles.xpath("string(//main//h1)") == "Editorial principles"
    assert principles.xpath("//main//p/text()") == ["Every person, place and organisation is linked to its register entry."]
    assert principles.xpath("//nav//a[@aria-current='page']/text()") == ["Editorial principles"]
    assert principles.xpath("string(//title)") == "Editorial principles · Letters of the Fixture Correspondence"

    team = parse(site / "pages" / "team.html")
    assert team.xpath("string(//main//h1)") == "Our team"
    assert team.xpath("//main//h2/text()") == ["Funding"]
    assert not team.xpath("//script[not(@src)][not(@type = 'application/json')] | //main//script")  # the words of site.js are data
    assert "<script>alert(1)</script>" in team.xpath("string(//main//p[1])")  # raw HTML stays text
    assert team.xpath("//main//a/@href") == ["https://example.org/"]  # no javascript: link is made
    assert broken_links(site) == []

    again = build_html(root)
    assert again.pages_written == []
    assert menu(site / "search.html")[-3:] == extra

    (root / "about" / "team.md").write_text(markdown.replace("*two*", "*three*"), encoding="utf-8")
    changed = build_html(root)
    assert [p.relative_to(site).as_posix() for p in changed.pages_written] == ["pages/team.html"]
    assert parse(site / "pages" / "team.html").xpath("//main//em/text()") == ["three"]

    (root / "teipress.toml").write_text('pages = ["about/team.md"]\n', encoding="utf-8")
    build_html(root)
    assert sorted(p.name for p in (site / "pages").iterdir()) == ["team.html"]
    assert menu(site / "index.html") == [*BUILT_IN_MENU, ("Our team", "pages/team.html")]
    assert "This small edition holds two letters" in visible_text(site / "index.html")  # back on the home page


# --- the edition's own stylesheets and Typst --------------------------------------------------------------


def test_the_readme_example_stylesheet_overrides_the_citation(tmp_path: Path) -> None:
    root = edition(tmp_path, 'xslt = "xslt"\n', {"xslt/html/document.xsl": readme_example("xml", "overrides named templates or template rules, e.g.")})
    build_html(root)
    letter = parse(root / "output" / "html" / "documents" / f"{LETTER}.html")
    assert letter.xpath("//p[@class='citation']/text()") == ["Cite as: Letter from Alma Sender to Bruno Receiver, 4 March 1950, in the Fixture Edition."]


def test_own_stylesheet_overrides_a_named_template_and_editing_it_renders_the_pages_again(tmp_path: Path) -> None:
    root = edition(tmp_path, 'xslt = "own-xslt"\n', {"own-xslt/html/document.xsl": OWN_STYLESHEET})
    build_html(root)
    site = root / "output" / "html"
    letter = parse(site / "documents" / f"{LETTER}.html")
    assert letter.xpath("//p[@class='own-citation']/text()") == ["CITATION"]
    assert not letter.xpath("//p[@class='citation']")
    assert letter.xpath("string(//h1)") == "Letter from Alma Sender to Bruno Receiver, 4 March 1950"  # the rest is teipress's

    again = build_html(root)
    assert again.documents_rendered == []
    assert parse(site / "documents" / f"{TELEGRAM}.html").xpath("//p[@class='own-citation']/text()") == ["CITATION"]

    (root / "own-xslt" / "html" / "document.xsl").write_text(OWN_STYLESHEET.replace("CITATION", "CITE ME"), encoding="utf-8")
    edited = build_html(root)
    assert sorted(edited.documents_rendered) == [LETTER, TELEGRAM]
    assert parse(site / "documents" / f"{LETTER}.html").xpath("//p[@class='own-citation']/text()") == ["CITE ME"]


def test_typst_overrides_and_own_pdf_stylesheet_reach_the_pdfs(tmp_path: Path) -> None:
    typst = readme_example("typ", "to wrap teipress's functions, e.g.")
    stylesheet = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{$teipress}pdf/document.xsl"/>
  <xsl:template match="*" mode="tp:pdf-document" xmlns:tp="https://teipress.org/ns/xslt">
    <xsl:next-match/>
    <xsl:if test="$part eq 'standalone'">#"Printed for the Fixture Society";</xsl:if>
  </xsl:template>
</xsl:stylesheet>
"""
    root = edition(tmp_path, 'typst = "print/edition.typ"\nxslt = "own-xslt"\n', {"print/edition.typ": typst, "own-xslt/pdf/document.xsl": stylesheet})
    for _ in range(2):  # the second build keeps it
        build_edition(load_config(root), formats={"pdf"}, validate=False, jobs=1)
        for name in (f"{LETTER}.pdf", "edition.pdf"):
            with pymupdf.open(root / "output" / "pdf" / name) as pdf:
                assert pdf.metadata["keywords"] == "Letters"
                assert (round(pdf[0].rect.width), round(pdf[0].rect.height)) == (420, 595)  # A5
                text = "".join(page.get_text() for page in pdf)
            assert ("Printed for the Fixture Society" in text) == (name != "edition.pdf")


# --- the README ------------------------------------------------------------------------------------------


def test_the_readme_settings_name_every_customisation_and_load_as_written(tmp_path: Path) -> None:
    import tomllib

    settings = readme_example("toml", "## Settings: `teipress.toml`")
    data = tomllib.loads(settings)
    assert {"css", "logo", "favicon", "footer", "nav", "pages", "xslt", "typst"} <= set(data)
    for relative in ("look/edition.css", "look/logo.svg", "look/icon.png", "look/team.md", "look/print.typ"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("", encoding="utf-8")
    (tmp_path / "look" / "xslt").mkdir()
    copy_fixture(tmp_path)
    (tmp_path / "teipress.toml").write_text(settings, encoding="utf-8")
    config = load_config(tmp_path)
    assert config.logo == tmp_path.resolve() / "look" / "logo.svg"  # relative to the edition's root
    assert [(entry.label, entry.href) for entry in config.nav] == [("Project", "https://project.example.org/"), ("Data", "data/letters.zip")]
    assert config.pages == (tmp_path.resolve() / "tei" / "edition.xml", tmp_path.resolve() / "look" / "team.md")


# --- wrong settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "message"), [
    ('css = "missing.css"', "`css`: the file"),
    ('css = "look/logo.png"', "`css` must be a .css file, not logo.png"),
    ('logo = "look/edition.css"', "`logo` must be a .svg, .png, .jpg, .jpeg, .gif, .webp file, not edition.css"),
    ('favicon = "look/logo.png.txt"', "`favicon`: the file"),
    ("footer = 3", "`footer` must be a string, not 3"),
    ('nav = [{label = "Evil", href = "javascript:alert(1)"}]', "`nav`: the link 'javascript:alert(1)' of 'Evil' must be relative to the site or begin with http:// or https://"),
    ('nav = [{label = "Far", href = "//elsewhere.example/"}]', "`nav`: the link '//elsewhere.example/' of 'Far'"),
    ('nav = [{href = "about.html"}]', "`nav`: each entry must be a table"),
    ('nav = "about.html"', "`nav` must be a list"),
    ('pages = ["look/edition.css"]', "`pages`: edition.css is neither the edition file (edition.xml) nor a Markdown file (.md)"),
    ('pages = ["about.md"]', "`pages`: the file"),
    ('xslt = "no-such-folder"', "`xslt`: the folder"),
    ('typst = "look/edition.css"', "`typst` must be a .typ file, not edition.css"),
])
def test_a_wrong_setting_is_one_line_naming_it_and_exit_2(tmp_path: Path, settings: str, message: str) -> None:
    root = edition(tmp_path, settings + "\n", {"look/edition.css": "", "look/logo.png": b""})
    result = CliRunner().invoke(cli, ["--root", str(root), "build", "--html", "--no-validate"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (root / "output").exists()
