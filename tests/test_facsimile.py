"""Page images: the IIIF Presentation 3 manifests (iiif.py) and the facsimile beside the text (html/facsimile.xsl,
assets/facsimile.js, OpenSeadragon).

The fixture (tests/fixtures/facsimile/edition) has a letter with two local page images, zones linked from its
text and a figure; a letter whose page breaks name a IIIF image server (images.example.org: never reached,
the browser test answers for it); and a letter without images.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from teipress.assets import ASSETS_SOURCE, fingerprinted
from teipress.build import BuildResult, build_edition
from teipress.config import load_config
from teipress.edition import SourceFile
from teipress.iiif import local_image_size, page_images
from teipress.serve import serving

from conftest import FIXTURES, without_hash
from test_build import broken_links, parse

EDITION = FIXTURES / "facsimile" / "edition"
BASE = "https://edition.example.org/"
WITH_PAGES = "letter-with-pages"
IMAGE_SERVER = "letter-from-an-image-server"
WITHOUT_PAGES = "letter-without-pages"


def build(root: Path, *, base_url: str = "") -> BuildResult:
    """The fixture copied under `root` and built as HTML (validated: the fixture is valid TEI of the edition's schema)."""
    source = root / "tei"
    if not source.exists():
        shutil.copytree(EDITION, source)
    config = load_config(root, source=source, output=root / "out", base_url=base_url)
    return build_edition(config, formats={"html"}, validate=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("facsimile")
    result = build(root, base_url=BASE)
    return root / "out" / "html", result


def manifest(site_dir: Path, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((site_dir / "iiif" / f"{name}.json").read_text(encoding="utf-8"))


# --- the manifests ----------------------------------------------------------------------------------


def test_every_manifest_and_the_collection_pass_the_iiif_prezi3_models(site: tuple[Path, BuildResult]) -> None:
    prezi3 = pytest.importorskip("iiif_prezi3")
    site_dir, _ = site
    assert sorted(p.name for p in (site_dir / "iiif").iterdir()) == ["collection.json", f"{IMAGE_SERVER}.json", f"{WITH_PAGES}.json"]
    for name in (WITH_PAGES, IMAGE_SERVER):
        prezi3.Manifest.model_validate(manifest(site_dir, name))
    collection = manifest(site_dir, "collection")
    prezi3.Collection.model_validate(collection)
    assert collection["id"] == BASE + "iiif/collection.json"
    assert collection["label"] == {"none": ["Facsimile Test Letters"]}
    assert [(item["id"], item["type"], item["label"]) for item in collection["items"]] == [
        (BASE + f"iiif/{WITH_PAGES}.json", "Manifest", {"none": ["Letter from Ida Example to Otto Sample, 2 May 1901"]}),
        (BASE + f"iiif/{IMAGE_SERVER}.json", "Manifest", {"none": ["Letter from Otto Sample to Ida Example, 9 June 1901"]}),
    ]


def test_a_letter_with_local_images_has_a_canvas_per_page_break_with_its_zones(site: tuple[Path, BuildResult]) -> None:
    site_dir, _ = site
    data = manifest(site_dir, WITH_PAGES)
    home = BASE + f"documents/{WITH_PAGES}.html"
    canvas = BASE + f"iiif/{WITH_PAGES}/canvas/"
    assert data["id"] == BASE + f"iiif/{WITH_PAGES}.json"
    assert data["metadata"] == [
        {"label": {"en": ["Title"]}, "value": {"none": ["Letter from Ida Example to Otto Sample, 2 May 1901"]}},
        {"label": {"en": ["Date"]}, "value": {"none": ["1901-05-02"]}},
        {"label": {"en": ["From"]}, "value": {"none": ["Ida Example"]}},
        {"label": {"en": ["To"]}, "value": {"none": ["Otto Sample"]}},
    ]
    # The licence, a Creative Commons URI, in the http form IIIF's rights asks for.
    assert data["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert data["homepage"] == [{"id": home, "type": "Text", "label": {"none": ["Letter from Ida Example to Otto Sample, 2 May 1901"]}, "format": "text/html"}]
    assert data["seeAlso"] == [{"id": BASE + f"tei/{WITH_PAGES}.xml", "type": "Dataset", "format": "application/tei+xml", "profile": "http://www.tei-c.org/ns/1.0"}]
    # Page 1's size is its surface's (800 x 1200, twice the image's pixels); page 2's surface says none, so the PNG's.
    assert [(c["id"], c["label"], c.get("width"), c.get("height")) for c in data["items"]] == [
        (canvas + "p1", {"en": ["p. 1"]}, 800, 1200),
        (canvas + "p2", {"en": ["p. 2"]}, 400, 560),
    ]
    assert [c["items"][0]["items"][0]["body"] for c in data["items"]] == [
        {"id": BASE + "media/images/page-1.png", "type": "Image", "format": "image/png", "width": 400, "height": 600},
        {"id": BASE + "media/images/page-2.png", "type": "Image", "format": "image/png", "width": 400, "height": 560},
    ]
    assert [(a["motivation"], a["target"], a["body"]["selector"]) for c in data["items"] for a in c["annotations"][0]["items"]] == [
        ("supplementing", canvas + "p1", {"type": "RangeSelector", "startSelector": {"type": "CssSelector", "value": '[data-canvas="p1"]'},
                                          "endSelector": {"type": "CssSelector", "value": '[data-canvas="p2"]'}}),
        ("supplementing", canvas + "p1#xywh=80,120,640,160", {"type": "CssSelector", "value": '[data-facs~="zone-1a"]'}),
        ("supplementing", canvas + "p1#xywh=80,320,640,160", {"type": "CssSelector", "value": '[data-facs~="zone-1b"]'}),
        ("supplementing", canvas + "p2", {"type": "RangeSelector", "startSelector": {"type": "CssSelector", "value": '[data-canvas="p2"]'},
                                          "endSelector": {"type": "CssSelector", "value": "[data-text-end]"}}),
        ("supplementing", canvas + "p2#xywh=40,60,320,80", {"type": "CssSelector", "value": '[data-facs~="zone-2a"]'}),
    ]
    assert {json.dumps(a["body"]["source"]) for c in data["items"] for a in c["annotations"][0]["items"]} == {
        json.dumps({"id": home, "type": "Text", "format": "text/html"})}


def test_image_services_are_told_apart_by_the_address_and_sizes_are_never_guessed(site: tuple[Path, BuildResult]) -> None:
    site_dir, result = site
    data = manifest(site_dir, IMAGE_SERVER)
    assert "rights" not in data  # its licence is no URI IIIF's rights allows
    assert [(c["label"], "width" in c, "height" in c) for c in data["items"]] == [({"en": ["p. 1r"]}, False, False), ({"en": ["p. 1v"]}, False, False)]
    assert [c["items"][0]["items"][0]["body"] for c in data["items"]] == [
        {"id": "https://images.example.org/iiif/3/otto-1/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
         "service": [{"id": "https://images.example.org/iiif/3/otto-1", "type": "ImageService3", "profile": "level0"}]},
        {"id": "https://images.example.org/iiif/otto-2/full/full/0/default.jpg", "type": "Image", "format": "image/jpeg",
         "service": [{"@id": "https://images.example.org/iiif/otto-2", "@type": "ImageService2", "profile": "http://iiif.io/api/image/2/level0.json"}]},
    ]
    sizes = sorted(f"{Path(p.file).name}:{p.line}:{p.column}: {p.severity.value}: {p.message}" for p in result.problems if p.rule == "facsimile-size")
    assert sizes == [
        f"{IMAGE_SERVER}.xml:21:7: warning: the image of page 1r has no known size, so its IIIF canvas has no width and height: give the surface lrx and lry, or the graphic width and height in pixels (pb)",
        f"{IMAGE_SERVER}.xml:23:7: warning: the image of page 1v has no known size, so its IIIF canvas has no width and height: give the surface lrx and lry, or the graphic width and height in pixels (pb)",
    ]


def test_without_base_url_the_manifests_address_the_site_relative_to_themselves(tmp_path: Path) -> None:
    build(tmp_path)
    site_dir = tmp_path / "out" / "html"
    data = manifest(site_dir, WITH_PAGES)
    assert data["id"] == f"../iiif/{WITH_PAGES}.json"
    assert data["items"][0]["items"][0]["items"][0]["body"]["id"] == "../media/images/page-1.png"
    # Each relative address, resolved against the manifest's place, is a file of the site.
    assert (site_dir / "iiif" / "../media/images/page-1.png").resolve().is_file()
    assert (site_dir / "iiif" / data["homepage"][0]["id"]).resolve().is_file()
    assert (site_dir / "iiif" / data["seeAlso"][0]["id"]).resolve().is_file()


def test_a_manifest_goes_when_its_document_loses_its_images(tmp_path: Path) -> None:
    build(tmp_path)
    letter = tmp_path / "tei" / f"{IMAGE_SERVER}.xml"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace(' facs="https://images.example.org/iiif/3/otto-1/info.json"', "")
                          .replace(' facs="https://images.example.org/iiif/otto-2/full/full/0/default.jpg"', ""), encoding="utf-8")
    build(tmp_path)
    site_dir = tmp_path / "out" / "html"
    assert sorted(p.name for p in (site_dir / "iiif").iterdir()) == ["collection.json", f"{WITH_PAGES}.json"]
    assert not parse(site_dir / "documents" / f"{IMAGE_SERVER}.html").xpath("//section[@class='facsimile']")


def test_a_service_whose_version_nothing_says_is_one_image_with_a_warning(tmp_path: Path) -> None:
    shutil.copytree(EDITION, tmp_path / "tei")
    letter = tmp_path / "tei" / f"{IMAGE_SERVER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("/iiif/3/otto-1/info.json", "/otto-1/info.json"), encoding="utf-8")
    result = build(tmp_path)
    body = manifest(tmp_path / "out" / "html", IMAGE_SERVER)["items"][0]["items"][0]["items"][0]["body"]
    assert body == {"id": "https://images.example.org/otto-1/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg"}
    assert [f"{Path(p.file).name}:{p.line}:{p.column}: {p.message}" for p in result.problems if p.rule == "facsimile-service"] == [
        f"{IMAGE_SERVER}.xml:21:7: the IIIF image service https://images.example.org/otto-1 does not say its Image API version, so the page shows "
        "one image instead of tiles: give its graphic the Image API's media type, e.g. "
        "mimeType='application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"' (or .../image/2/...)"]


def test_page_images_read_surfaces_polygons_and_the_image_api_version_the_source_states(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(png(30, 20))
    source = tmp_path / "doc.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><facsimile>'
        '<surface xml:id="s1"><graphic url="scan.png"/><zone xml:id="z1" points="2,3 12,3 12,9 2,9"/></surface>'
        '<surface xml:id="s2"><graphic url="https://iiif.example.org/images/b/info.json" width="1000px" height="1500"'
        ' mimeType="application/ld+json;profile=&quot;http://iiif.io/api/image/3/context.json&quot;"/></surface>'
        '<surface xml:id="s3"><graphic url="https://iiif.example.org/images/c/info.json"/></surface>'
        '<surface xml:id="s4"><graphic url="missing.png"/></surface>'
        '</facsimile><text><body><p facs="#z1">Line</p></body></text></TEI>', encoding="utf-8")
    pages = page_images(SourceFile(source, etree.parse(str(source)), "document"), tmp_path.resolve())
    assert [(p.name, p.width, p.height, p.image.service, p.image.service_version, p.from_page_break) for p in pages] == [
        ("s1", 30, 20, "", 0, False),
        ("s2", 1000, 1500, "https://iiif.example.org/images/b", 3, False),
        ("s3", None, None, "https://iiif.example.org/images/c", 0, False),
    ]
    assert [(z.id, z.x, z.y, z.width, z.height) for z in pages[0].zones] == [("z1", 2, 3, 10, 6)]


def test_local_image_sizes_come_from_the_files_headers(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(png(7, 5))
    (tmp_path / "a.gif").write_bytes(b"GIF89a" + struct.pack("<HH", 33, 44) + b"\x00" * 10)
    (tmp_path / "a.txt").write_text("not an image")
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="420" height="594px"/>')
    (tmp_path / "b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 300 200"/>')
    (tmp_path / "c.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10cm"/>')
    assert [local_image_size(tmp_path / name) for name in ("a.png", "a.gif", "a.txt", "a.svg", "b.svg", "c.svg")] == [
        (7, 5), (33, 44), None, (420, 594), (300, 200), None]
    image = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    image.new("RGB", (64, 48)).save(buffer, "JPEG")
    (tmp_path / "a.jpg").write_bytes(buffer.getvalue())
    assert local_image_size(tmp_path / "a.jpg") == (64, 48)


def png(width: int, height: int) -> bytes:
    """A grey PNG of the given size, written byte by byte."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# --- the document page ------------------------------------------------------------------------------


def test_the_document_page_marks_what_the_manifest_selects(site: tuple[Path, BuildResult]) -> None:
    site_dir, _ = site
    page = parse(site_dir / "documents" / f"{WITH_PAGES}.html")
    assert page.xpath("//section[@class='facsimile']/@data-manifest") == [f"../iiif/{WITH_PAGES}.json"]
    assert [src for src in map(without_hash, page.xpath("//script/@src")) if "site.js" not in src and "registers.js" not in src] == ["../assets/messages-en.js", "../assets/openseadragon.min.js", "../assets/facsimile.js"]
    assert page.xpath("//*[@data-canvas]/@data-canvas") == ["p1", "p2"]
    assert [(e.tag, e.get("data-facs")) for e in page.xpath("//*[@data-facs]")] == [("div", "zone-1a"), ("p", "zone-1b"), ("p", "zone-2a")]
    assert len(page.xpath("//section[contains(@class, 'reading-text')]/span[@data-text-end]")) == 1
    assert page.xpath("//div[@class='facsimile-tabs']//button/text()") == ["Text", "Facsimile"]
    assert [without_hash(href) for href in page.xpath("//footer//p[@class='credits']//a/@href")] == ["../assets/openseadragon-LICENSE.txt"]
    # A graphic inside a figure shows in the text, its figDesc the alt text.
    assert [(img.get("src"), img.get("alt")) for img in page.xpath("//figure//img")] == [("../media/images/seal.png", "A drawing of a round seal")]
    for asset in ("openseadragon.min.js", "openseadragon-LICENSE.txt", "facsimile.js"):
        assert (site_dir / fingerprinted(f"assets/{asset}", (ASSETS_SOURCE / asset).read_bytes())).is_file()
    assert broken_links(site_dir) == []


def test_a_page_without_images_has_no_viewer(site: tuple[Path, BuildResult]) -> None:
    site_dir, _ = site
    page = parse(site_dir / "documents" / f"{WITHOUT_PAGES}.html")
    assert page.xpath("//section[@class='facsimile'] | //div[@class='facsimile-tabs'] | //p[@class='credits'] | //*[@data-canvas]") == []
    assert not [src for src in page.xpath("//script/@src") if "openseadragon" in src or "facsimile" in src]


def test_the_viewers_words_are_in_the_interface_language(tmp_path: Path) -> None:
    source = tmp_path / "tei"
    shutil.copytree(EDITION, source)
    build_edition(load_config(tmp_path, source=source, output=tmp_path / "out", language="de"), formats={"html"}, validate=False)
    page = parse(tmp_path / "out" / "html" / "documents" / f"{WITH_PAGES}.html")
    assert page.xpath("//div[@class='facsimile-tabs']//button/text()") == ["Text", "Faksimile"]
    assert page.xpath("//div[@class='facsimile-toolbar']/button/@title") == ["Vorherige Seite", "Nächste Seite", "Vergrößern", "Verkleinern", "Ganze Seite"]
    assert manifest(tmp_path / "out" / "html", WITH_PAGES)["metadata"][0]["label"] == {"de": ["Titel"]}


# --- in a browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(site: tuple[Path, BuildResult]) -> Iterator[str]:
    with serving(site[0]) as url:
        yield url


def open_page(browser, url: str, width: int, height: int):  # type: ignore[no-untyped-def]
    """A page at the given viewport that records console errors, with the IIIF image server answered locally."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.errors = []
    tab.requested = []
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.route("https://images.example.org/**", lambda route: answer_image_server(route, tab.requested))
    tab.goto(url)
    tab.wait_for_selector(".facsimile[data-ready]", state="attached")
    return tab


def answer_image_server(route, requested: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A tiny IIIF Image API 3 server: an info.json for any image, and one grey tile for any request."""
    url = route.request.url
    requested.append(url)
    if url.endswith("/info.json"):
        service = url[: -len("/info.json")]
        info = {"@context": "http://iiif.io/api/image/3/context.json", "id": service, "type": "ImageService3", "protocol": "http://iiif.io/api/image",
                "profile": "level0", "width": 300, "height": 400, "tiles": [{"width": 512, "scaleFactors": [1]}]}
        route.fulfill(status=200, content_type="application/json", headers={"Access-Control-Allow-Origin": "*"}, body=json.dumps(info))
    else:
        route.fulfill(status=200, content_type="image/png", headers={"Access-Control-Allow-Origin": "*"}, body=png(300, 400))


def box(tab, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return tab.locator(selector).first.bounding_box()


@pytest.mark.browser
def test_desktop_image_beside_the_text_turns_with_the_pages_and_outlines_zones(browser, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, site_url + f"documents/{WITH_PAGES}.html", 1280, 900)
    text, viewer = box(tab, ".reading-text"), box(tab, ".facsimile-viewer")
    assert viewer["x"] >= text["x"] + text["width"] and viewer["width"] > 300 and viewer["height"] > 500
    assert tab.locator(".facsimile-tabs").is_hidden()
    assert tab.locator(".facsimile-page").text_content() == "p. 1 of 2"
    tab.wait_for_function("document.querySelectorAll('.openseadragon-canvas canvas').length > 0")
    tab.screenshot(path=str(artifacts_dir / "facsimile-desktop.png"))

    # Scrolling the text past the second page break turns the image; back above it turns it back.
    tab.evaluate("window.scrollTo(0, document.querySelector('[data-canvas=\"p2\"]').getBoundingClientRect().top + window.scrollY - 100)")
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 2 of 2'")
    sticky = box(tab, ".facsimile-viewer")
    assert 0 <= sticky["y"] < 200  # the image stays in view beside the text
    tab.screenshot(path=str(artifacts_dir / "facsimile-desktop-page-2.png"))
    tab.evaluate("window.scrollTo(0, 0)")
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 1 of 2'")

    # A click on a paragraph drawn in a zone outlines the zone: zone-1b is (80, 320)-(720, 480) of an 800 x 1200 page.
    tab.locator('[data-facs~="zone-1b"]').click()
    tab.wait_for_selector(".facsimile-zone")
    tab.wait_for_timeout(1600)  # the viewer's zoom animation
    assert tab.locator('[data-facs~="zone-1b"]').get_attribute("class").split()[-1] == "facs-active"
    outline, viewer = box(tab, ".facsimile-zone"), box(tab, ".facsimile-viewer")
    assert outline["width"] > 0 and abs(outline["width"] / outline["height"] - 640 / 160) < 0.1
    assert viewer["x"] <= outline["x"] and outline["x"] + outline["width"] <= viewer["x"] + viewer["width"]
    tab.screenshot(path=str(artifacts_dir / "facsimile-desktop-zone.png"))

    # A zone on the other page: the image turns to it first.
    tab.locator('[data-facs~="zone-2a"]').click()
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 2 of 2'")
    tab.wait_for_selector(".facsimile-zone")
    # It stays while the reader scrolls a little within the same stretch of text.
    tab.mouse.wheel(0, 40)
    tab.wait_for_timeout(300)
    assert tab.locator(".facsimile-page").text_content() == "p. 2 of 2"
    assert tab.errors == []
    tab.context.close()


@pytest.mark.browser
def test_the_facsimile_is_reachable_by_keyboard(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, site_url + f"documents/{WITH_PAGES}.html", 1280, 900)
    tab.locator('[data-facs~="zone-1a"]').focus()
    tab.keyboard.press("Enter")
    tab.wait_for_selector(".facsimile-zone")
    assert tab.locator('[data-facs~="zone-1a"]').get_attribute("class").endswith("facs-active")
    # The toolbar's buttons are reached with Tab and work with Enter.
    tab.locator(".facsimile-toolbar [data-action=previous]").evaluate("button => button.closest('.facsimile-toolbar').querySelector('[data-action=next]').focus()")
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 2 of 2'")
    tab.keyboard.press("Shift+Tab")  # the page's number between the buttons is no stop
    assert tab.evaluate("document.activeElement.getAttribute('data-action')") == "previous"
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 1 of 2'")
    for action in ("zoom-in", "zoom-out", "home"):
        assert tab.locator(f".facsimile-toolbar [data-action={action}]").evaluate("b => b.tabIndex") == 0
    # The image itself takes the focus (OpenSeadragon pans it with the arrow keys, zooms with + and -).
    assert tab.locator(".facsimile-viewer .openseadragon-canvas").evaluate("c => c.tabIndex") == 0
    assert tab.errors == []
    tab.context.close()


@pytest.mark.browser
def test_an_image_server_gives_tiles(browser, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, site_url + f"documents/{IMAGE_SERVER}.html", 1280, 900)
    tab.wait_for_function("document.querySelectorAll('.openseadragon-canvas canvas').length > 0")
    tab.wait_for_timeout(800)
    assert tab.locator(".facsimile-page").text_content() == "p. 1r of 2"
    assert tab.requested[0] == "https://images.example.org/iiif/3/otto-1/info.json"
    # Tiles: the viewer asked the service for its info.json, then for images by the Image API.
    assert [url for url in tab.requested[1:] if url.startswith("https://images.example.org/iiif/3/otto-1/")] != []
    tab.screenshot(path=str(artifacts_dir / "facsimile-image-server.png"))
    tab.locator(".facsimile-toolbar [data-action=next]").click()
    tab.wait_for_function("document.querySelector('.facsimile-page').textContent === 'p. 1v of 2'")
    # The turned page's service is asked for its info.json (the old page's canvas may still stand meanwhile).
    for _ in range(100):
        if "https://images.example.org/iiif/otto-2/info.json" in tab.requested:
            break
        tab.wait_for_timeout(100)
    assert "https://images.example.org/iiif/otto-2/info.json" in tab.requested
    assert tab.errors == []
    tab.context.close()


@pytest.mark.browser
def test_on_a_phone_the_facsimile_is_a_tab(browser, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(browser, site_url + f"documents/{WITH_PAGES}.html", 375, 800)
    assert tab.locator(".facsimile-tabs").is_visible()
    assert tab.locator(".facsimile").is_hidden() and tab.locator(".reading-text").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.screenshot(path=str(artifacts_dir / "facsimile-phone-text.png"), full_page=True)

    tab.locator("#facsimile-tab-image").click()
    assert tab.locator(".facsimile").is_visible() and tab.locator(".reading-text").is_hidden()
    assert tab.locator("#facsimile-tab-image").get_attribute("aria-selected") == "true"
    viewer = box(tab, ".facsimile-viewer")
    assert viewer["width"] >= 320  # the page's width, not a squeezed column
    tab.wait_for_timeout(800)
    tab.screenshot(path=str(artifacts_dir / "facsimile-phone-image.png"), full_page=True)

    # Arrow keys move between the tabs; a zone's paragraph, clicked in the text, opens the image on its region.
    tab.keyboard.press("ArrowLeft")
    assert tab.evaluate("document.activeElement.id") == "facsimile-tab-text" and tab.locator(".reading-text").is_visible()
    tab.locator('[data-facs~="zone-1b"]').click()
    assert tab.locator(".facsimile").is_visible()
    tab.wait_for_selector(".facsimile-zone")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    assert tab.errors == []
    tab.context.close()
