"""The files the pages link (assets.py): each under a name that carries a hash of its bytes, so that after an upgrade or
a change of the edition's stylesheet no browser or proxy pairs a page with a file it kept from an earlier build.

Every address into `assets/` of every kind of page names a file of the site whose name holds the first 12 hex digits
of the SHA-256 of its bytes; a changed file gets a new name in every page and the old one leaves the site; a rebuild
with nothing changed writes nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from teipress import assets as site_assets
from teipress import html as site_writer
from teipress.assets import ASSETS_SOURCE, fingerprinted
from teipress.build import BuildResult, build_edition
from teipress.config import load_config

from conftest import FIXTURES, without_hash
from test_build import LETTER, html_pages, parse
from test_customise import build_html
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
        "registers/places/northtown.html": HEAD[:4] + MAP + HEAD[4:] + ["leaflet-LICENSE.txt"],
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


def test_a_facsimile_page_links_the_viewer_by_hashed_names(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    shutil.copytree(FIXTURES / "facsimile" / "edition", source)
    build_edition(load_config(tmp_path, source=source, output=tmp_path / "out"), formats={"html"}, validate=False, jobs=1)
    site = (tmp_path / "out" / "html").resolve()
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
