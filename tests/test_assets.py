"""The files the pages link (assets.py): each under a name that carries a hash of its bytes, so that after an upgrade or
a change of the edition's stylesheet no browser or proxy pairs a page with a file it kept from an earlier build.

Every address into `assets/` of every kind of page names a file of the site whose name holds the first 12 hex digits
of the SHA-256 of its bytes; a changed file gets a new name in every page and the old one leaves the site; a rebuild
with nothing changed writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from teipress import assets as site_assets
from teipress import html as site_writer
from teipress.assets import ASSETS_SOURCE, fingerprinted
from teipress.build import BuildResult, build_edition
from teipress.cli import cli
from teipress.config import load_config
from teipress.errors import TransformError
from teipress.saxon import Stylesheets, to_xdm
from teipress.serve import serving

from conftest import FIXTURES, without_hash
from test_build import LETTER, html_pages, parse
from test_customise import build_html, edition
from test_overviews import fixture_with_places

LOOK = {"look/edition.css": b".site-header { background: #123456; }\n", "look/logo.png": b"\x89PNG fixture",
        "look/icon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
SETTINGS = 'map_tiles = ""\ncss = "look/edition.css"\nlogo = "look/logo.png"\nfavicon = "look/icon.svg"\n'
# A published name: the file's own name with 12 hex digits before its suffix.
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.[^.]+)$")
# What every page links, in order: the icon, the stylesheets, the scripts' words, the script, the logo.
HEAD = ["edition/favicon.svg", "site.css", "edition/edition.css", "messages-en.js", "site.js", "edition/logo.png"]
MAP = ["leaflet.css", "leaflet.js", "map.js"]


def edition_with_look(root: Path) -> Path:
    """The fixture edition with coordinates for its places (a map on the places' pages) and its own css, logo and favicon."""
    fixture_with_places(root, SETTINGS)
    for relative, content in LOOK.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    return root


def linked_assets(site: Path, page: Path) -> list[Path]:
    """The files in assets/ that a page links (stylesheets, icons, scripts, images, links), in the page's order."""
    found = []
    for address in parse(page).xpath("//link/@href | //script/@src | //img/@src | //a/@href"):
        parts = urlsplit(address)
        if parts.scheme or address.startswith("//") or not parts.path:
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_relative_to(site / "assets"):
            found.append(target)
    return found


def unhashed(site: Path, published: Path) -> str:
    """A published file's name in assets/ as the page's author knows it (site.css), after checking that the hash in its
    name is the hash of its bytes; the edition's own files (assets/edition/) keep their names, without a hash."""
    assert published.is_file(), f"{published} does not exist"
    if published.parent == site / "assets" / "edition":
        assert not HASHED.match(published.name), f"{published.name}: an edition's file under a hash"
        return published.relative_to(site / "assets").as_posix()
    match = HASHED.match(published.name)
    assert match, f"{published.name} carries no hash"
    assert match["hash"] == hashlib.sha256(published.read_bytes()).hexdigest()[:12], f"{published.name}: not the hash of its bytes"
    return published.parent.relative_to(site / "assets").joinpath(match["stem"] + match["suffix"]).as_posix()


def files(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site outside the build's cache, with its inode and modification time (a rewrite changes both)."""
    return {path.relative_to(site).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns) for path in sorted(site.rglob("*"))
            if path.is_file() and ".teipress" not in path.relative_to(site).parts}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = edition_with_look(tmp_path_factory.mktemp("assets"))
    return (root / "output" / "html").resolve(), build_html(root)


def test_a_published_name_holds_the_hash_of_the_bytes_before_the_last_suffix() -> None:
    digest = hashlib.sha256(b"body {}").hexdigest()[:12]
    assert fingerprinted("assets/site.css", b"body {}") == f"assets/site.{digest}.css"
    assert fingerprinted("assets/openseadragon.min.js", b"body {}") == f"assets/openseadragon.min.{digest}.js"
    assert fingerprinted("assets/edition/edition.css", b"body {}") == f"assets/edition/edition.{digest}.css"
    assert fingerprinted("assets/LICENSE", b"body {}") == f"assets/LICENSE.{digest}"
    assert fingerprinted("assets/site.css", b"body { }") != fingerprinted("assets/site.css", b"body {}")
    assert without_hash(f"../assets/openseadragon.min.{digest}.js") == "../assets/openseadragon.min.js"


def test_every_kind_of_page_links_its_assets_by_names_that_carry_the_hash_of_their_bytes(built: tuple[Path, BuildResult]) -> None:
    site, _result = built
    expected = {
        "index.html": HEAD,
        f"documents/{LETTER}.html": HEAD,
        "registers/persons.html": HEAD,
        "registers/persons/alma-sender.html": HEAD,
        "registers/places/northtown.html": HEAD[:4] + ["overviews.css"] + MAP + HEAD[4:] + ["leaflet-LICENSE.txt"],
        "chronology.html": HEAD,
        "chronology/1950.html": HEAD,
        "pages/introduction.html": HEAD,
        "overviews/time.html": HEAD[:4] + ["overviews.css"] + HEAD[4:],
        "overviews/places.html": HEAD[:4] + ["overviews.css"] + MAP + HEAD[4:] + ["leaflet-LICENSE.txt"],
        "search.html": HEAD,
        "guide.html": HEAD,
    }
    assert {page: [unhashed(site, path) for path in linked_assets(site, site / page)] for page in expected} == expected
    # And every other page: whatever it links in assets/ is there, under the hash of its bytes.
    for page in html_pages(site):
        for path in linked_assets(site, page):
            unhashed(site, path)


def test_assets_holds_the_published_files_only(built: tuple[Path, BuildResult]) -> None:
    site, _result = built
    shipped = {path.name: path.read_bytes() for path in ASSETS_SOURCE.iterdir() if path.is_file()}
    messages = [path for path in (site / "assets").iterdir() if path.name.startswith("messages-")]
    assert [unhashed(site, path) for path in messages] == ["messages-en.js"]
    assert sorted(path.name for path in (site / "assets").iterdir() if path.is_file()) == sorted(
        [Path(fingerprinted(name, data)).name for name, data in shipped.items()] + [messages[0].name])
    assert {unhashed(site, path): path.read_bytes() for path in (site / "assets").iterdir() if path.name in
            {Path(fingerprinted(name, data)).name for name, data in shipped.items()}} == shipped
    assert sorted(unhashed(site, path) for path in (site / "assets" / "edition").iterdir()) == ["edition/edition.css", "edition/favicon.svg", "edition/logo.png"]
    assert (site / "assets" / "edition" / "edition.css").read_bytes() == LOOK["look/edition.css"]
    assert messages[0].read_text(encoding="utf-8").startswith("window.teipressMessages = {")


@pytest.fixture(scope="module")
def facsimile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facsimile")
    source = root / "tei"
    shutil.copytree(FIXTURES / "facsimile" / "edition", source)
    build_edition(load_config(root, source=source, output=root / "out"), formats={"html"}, validate=False, jobs=1)
    return (root / "out" / "html").resolve()


def test_a_facsimile_page_links_the_viewer_by_hashed_names(facsimile_site: Path) -> None:
    site = facsimile_site
    linked = [unhashed(site, path) for path in linked_assets(site, site / "documents" / "letter-with-pages.html")]
    assert linked == ["favicon.svg", "site.css", "messages-en.js", "openseadragon.min.js", "facsimile.js", "site.js", "openseadragon-LICENSE.txt"]


def test_a_rebuild_with_nothing_changed_writes_nothing_and_makes_no_scripts_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = edition_with_look(tmp_path)
    build_html(root)
    site = (root / "output" / "html").resolve()
    before = files(site)

    def fail(*args: object) -> str:
        raise AssertionError("the scripts' words made again")

    monkeypatch.setattr(site_writer, "_messages_task", fail)
    again = build_html(root)
    assert (again.pages_written, again.documents_rendered) == ([], [])
    assert files(site) == before


def test_a_changed_edition_css_is_copied_under_its_name_and_renders_no_page_again(tmp_path: Path) -> None:
    # Editors change their stylesheet often, watching the site: a copy, not every page rendered again.
    root = edition_with_look(tmp_path)
    build_html(root)
    site = (root / "output" / "html").resolve()
    css = site / "assets" / "edition" / "edition.css"
    pages = html_pages(site)
    before = {page: page.read_bytes() for page in pages}
    assert [page for page in pages if css not in linked_assets(site, page)] == []

    new_css = b".site-header { background: #654321; }\n"
    (root / "look" / "edition.css").write_bytes(new_css)
    result = build_html(root)
    assert (result.documents_rendered, result.pages_written) == ([], [])
    assert {page: page.read_bytes() for page in html_pages(site)} == before
    assert css.read_bytes() == new_css
    assert sorted(path.name for path in (site / "assets" / "edition").iterdir()) == ["edition.css", "favicon.svg", "logo.png"]


def test_a_changed_teipress_asset_renders_every_page_with_its_new_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An upgrade of teipress that changes site.js alone (the stylesheets' digest does not see this copy of the assets):
    # the name every page links is all that tells the pages apart, and it must render them again.
    root = edition_with_look(tmp_path)
    build_html(root)
    site = (root / "output" / "html").resolve()
    upgraded = tmp_path / "upgraded-assets"
    shutil.copytree(ASSETS_SOURCE, upgraded)
    with (upgraded / "site.js").open("a", encoding="utf-8") as script:
        script.write("/* upgraded */\n")
    old_name = Path(fingerprinted("site.js", (ASSETS_SOURCE / "site.js").read_bytes())).name
    new_name = Path(fingerprinted("site.js", (upgraded / "site.js").read_bytes())).name
    monkeypatch.setattr(site_assets, "ASSETS_SOURCE", upgraded)
    result = build_html(root)
    assert sorted(result.documents_rendered) == sorted(result.documents)
    for page in html_pages(site):
        assert [path.name for path in linked_assets(site, page) if path.name.startswith("site.") and path.suffix == ".js"] == [new_name], page
    assert not (site / "assets" / old_name).exists()


def test_a_site_of_an_earlier_build_loses_the_files_no_page_links(tmp_path: Path) -> None:
    # The unhashed names of the builds before, and a hash no page links any more: gone, the popovers' data stays.
    root = edition_with_look(tmp_path)
    build_html(root)
    site = (root / "output" / "html").resolve()
    for relative in ("assets/site.css", "assets/messages-en.js", "assets/edition/edition.css", "assets/site.0123456789ab.css"):
        (site / relative).write_text("old", encoding="utf-8")
    entries = sorted(path.name for path in (site / "assets" / "entries").iterdir())
    (root / "teipress.toml").write_text(SETTINGS.replace('css = "look/edition.css"\n', "") + 'language = "de"\n', encoding="utf-8")
    build_html(root)
    names = [path.name for path in (site / "assets").iterdir() if path.is_file()]
    assert [name for name in names if not HASHED.match(name) or name.startswith("site.0123")] == []
    [messages] = [name for name in names if name.startswith("messages-")]
    assert unhashed(site, site / "assets" / messages) == "messages-de.js"
    assert '"close":"Schließen"' in (site / "assets" / messages).read_text(encoding="utf-8")  # the scripts' words made anew, in German
    assert sorted(unhashed(site, path) for path in (site / "assets" / "edition").iterdir()) == ["edition/favicon.svg", "edition/logo.png"]
    assert sorted(path.name for path in (site / "assets" / "entries").iterdir()) == entries


# --- what the pages and the assets name is there ------------------------------------------------------


def styled_classes(css: str) -> set[str]:
    """The classes a stylesheet's selectors name."""
    selectors = re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    return {name for selector in selectors for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selector)}


# Each kind of page, and whether it shows what overviews.css styles (charts, the overviews' menu, a map).
PAGE_KINDS = {
    "index.html": False,
    f"documents/{LETTER}.html": False,
    "registers/persons.html": False,
    "registers/persons/alma-sender.html": False,
    "registers/places.html": False,
    "registers/places/northtown.html": True,
    "chronology.html": False,
    "chronology/1950.html": False,
    "pages/introduction.html": False,
    "overviews/time.html": True,
    "overviews/correspondents.html": True,
    "overviews/places.html": True,
    "search.html": False,
    "guide.html": False,
}


@pytest.mark.parametrize(("page", "shows_overview_styles"), PAGE_KINDS.items())
def test_a_page_links_overviews_css_when_it_shows_what_only_overviews_css_styles(built: tuple[Path, BuildResult], page: str,
                                                                                 shows_overview_styles: bool) -> None:
    site, _result = built
    only_there = styled_classes((ASSETS_SOURCE / "overviews.css").read_text(encoding="utf-8")) - styled_classes((ASSETS_SOURCE / "site.css").read_text(encoding="utf-8"))
    shown = sorted({name for value in parse(site / page).xpath("//@class") for name in value.split()} & only_there)
    linked = "overviews.css" in [unhashed(site, path) for path in linked_assets(site, site / page)]
    assert (bool(shown), linked) == (shows_overview_styles, shows_overview_styles), f"{page} shows {shown}"


def test_every_url_in_the_published_stylesheets_names_a_file_of_the_site(built: tuple[Path, BuildResult]) -> None:
    site, _result = built
    stylesheets = sorted((site / "assets").glob("*.css"))
    assert sorted(unhashed(site, path) for path in stylesheets) == sorted(path.name for path in ASSETS_SOURCE.glob("*.css"))
    missing = []
    for stylesheet in stylesheets:
        for address in re.findall(r"url\(\s*['\"]?([^'\")]*)", stylesheet.read_text(encoding="utf-8")):
            parts = urlsplit(address)
            if parts.scheme != "data" and not (stylesheet.parent / unquote(parts.path)).resolve().is_file():
                missing.append(f"{unhashed(site, stylesheet)}: {address}")
    assert missing == []


@pytest.mark.browser
def test_the_map_and_the_facsimile_viewer_find_every_file_of_the_site_they_ask_for(browser, built: tuple[Path, BuildResult],  # type: ignore[no-untyped-def]
                                                                                  facsimile_site: Path, artifacts_dir: Path) -> None:
    # Leaflet's and OpenSeadragon's images (markers, the layers control, the viewer's buttons) are not shipped:
    # map.js draws circle markers, facsimile.js has buttons of its own. Nothing asks for them.
    pages = [(built[0], "overviews/places.html", ".tp-map path[role='link']"), (built[0], "registers/places/northtown.html", ".tp-map path[role='link']"),
             (facsimile_site, "documents/letter-with-pages.html", ".facsimile[data-ready] canvas")]
    failed: list[str] = []
    for site, page, drawn in pages:
        with serving(site) as url:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
            tab.on("response", lambda response: failed.append(f"{response.url}: {response.status}") if response.status >= 400 else None)
            try:
                tab.goto(url + page)
                tab.locator(drawn).first.wait_for()
                tab.wait_for_load_state("networkidle")
                tab.screenshot(path=str(artifacts_dir / f"assets-{page.replace('/', '-')}.png"))
            finally:
                context.close()
    assert failed == []


# --- a name teipress did not publish ----------------------------------------------------------------


def published_names() -> str:
    """The names of the files a build of an English site publishes in assets/, as tp:asset's error lists them."""
    return ", ".join(sorted([path.name for path in ASSETS_SOURCE.iterdir() if path.is_file()] + ["messages-en.js"]))


def test_tp_asset_stops_at_a_name_the_build_did_not_publish_and_outside_a_build_gives_the_name_in_assets() -> None:
    sheets = Stylesheets()
    letter = to_xdm((FIXTURES / "site" / "edition" / f"{LETTER}.xml").read_bytes())
    published = {"site.css": "assets/site.0123456789ab.css", "site.js": "assets/site.0123456789ab.js", "messages-en.js": "assets/messages-en.0123456789ab.js"}
    with pytest.raises(TransformError) as raised:
        sheets.transform("html/document.xsl", letter, site_root="../", asset_urls=json.dumps(published))
    assert str(raised.value) == ("html/document.xsl: tp:asset('favicon.svg'): teipress publishes no file of that name in assets/ "
                                 "(it publishes messages-en.js, site.css, site.js)")
    # A stylesheet run alone, outside a build (the tests', bench/step.py's): the file's own name.
    page = lxml.html.fromstring(sheets.transform("html/document.xsl", letter, site_root="../"))
    assert page.xpath("//head/link/@href | //head/script/@src") == ["../assets/favicon.svg", "../assets/site.css", "../assets/messages-en.js", "../assets/site.js"]


OWN_PAGE_WITH_A_FILE_NOT_PUBLISHED = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tp="https://teipress.org/ns/xslt" expand-text="yes">
  <xsl:param name="teipress" static="yes" as="xs:string" required="yes"/>
  <xsl:import _href="{$teipress}html/document.xsl"/>
  <xsl:template name="tp:citation">
    <xsl:param name="root"/><xsl:param name="id"/><xsl:param name="title"/>
    <p class="citation"><a href="{tp:asset('print.css')}">Print</a></p>
  </xsl:template>
</xsl:stylesheet>
"""


def test_an_editions_stylesheet_linking_a_file_teipress_does_not_publish_stops_the_build_in_one_line(tmp_path: Path) -> None:
    root = edition(tmp_path, 'xslt = "xslt"\n', {"xslt/html/document.xsl": OWN_PAGE_WITH_A_FILE_NOT_PUBLISHED})
    result = CliRunner().invoke(cli, ["--root", str(root), "build", "--html", "--no-validate", "-q", "-j", "1"])
    stylesheet = load_config(root).xslt / "html" / "document.xsl"  # type: ignore[operator]
    assert (result.exit_code, result.output) == (2, f"error: document {LETTER}: {stylesheet}: tp:asset('print.css'): teipress publishes no file of that name "
                                                    f"in assets/ (it publishes {published_names()})\n")
    assert not (root / "output" / "html").exists()


def test_the_scripts_words_that_fail_are_named_by_their_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stopping = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
      <xsl:template match="/"><xsl:message>on the way</xsl:message><xsl:message terminate="yes">no words today</xsl:message></xsl:template>
    </xsl:stylesheet>"""
    root = edition(tmp_path, 'xslt = "xslt"\n', {"xslt/html/messages-script.xsl": stopping})
    with pytest.raises(TransformError) as raised:
        build_html(root)
    assert str(raised.value) == f"messages-en.js: {load_config(root).xslt / 'html' / 'messages-script.xsl'}: no words today"  # type: ignore[operator]
    assert capsys.readouterr().err == "on the way\n"  # what the stylesheet said before, as Saxon prints it
