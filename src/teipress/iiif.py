"""IIIF Presentation 3 manifests of the documents with page images, and the edition's collection of them.

A document has page images when its text's page breaks name one (`pb/@facs`: a URL, or a pointer to a
`surface`, `zone` or `graphic` of the file's `facsimile`), or, where no page break does, when its
`facsimile` has surfaces with a `graphic`. Each such page becomes a canvas (in page-break order, else
in surface order) painted with its image: the site's copy of a local file (under media/, as html.py
copies them), a web address as it is, or a IIIF Image API service when the address is one's
`info.json` or an image request (`…/full/max/0/default.jpg`). Nothing is fetched while building: the
service's version comes from the graphic's `mimeType` (the Image API's media type names its profile),
else from the address (an Image API 2 request asks for the size `full`, a 3 one for `max`; many servers
serve `/iiif/2/` and `/iiif/3/`).

A canvas has the size the source gives (the surface's `lrx`/`lry`, else the graphic's `width`/`height`
in pixels) or, for a local PNG, JPEG, GIF or SVG, its size in pixels, read from the file. A page whose size
nothing says gets a canvas without width and height (never a guessed one), and a warning at its element.

Each canvas carries the page's transcription as `supplementing` annotations on the document page: the
range from its page break to the next one (W3C `RangeSelector` of `CssSelector`s on the page's HTML,
`[data-canvas="p2"]`), and, per zone the text links with `@facs`, the zone's region (`#xywh=`) with the
elements linked to it (`[data-facs~="zone-id"]`). The site's facsimile viewer (assets/facsimile.js)
reads these same manifests.

Addresses are absolute when the edition has a `base_url`; without one they are relative to the
manifest (`../media/…`): enough for the site's own viewer, while other IIIF software needs the
absolute addresses a `base_url` gives.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from .config import Config
from .edition import Edition, SourceFile, edition_titles
from .problems import Problem, Severity, display_path
from .resources import XSLT_DIR
from .xmlio import NS, XML_ID, element_column, source_lines, write_if_changed

IIIF_DIR = "iiif"
COLLECTION = "collection.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
TEI_PROFILE = "http://www.tei-c.org/ns/1.0"
# The licences IIIF's `rights` accepts: Creative Commons and RightsStatements.org, each in its http form.
_RIGHTS = re.compile(r"^https?://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)[A-Za-z0-9./_-]+$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s\"<>\\^`{|}]+$", re.I)
_IMAGE_SUFFIX = re.compile(r"\.(jpe?g|png|gif|webp|svg|tiff?|jp2|avif)$", re.I)
_FORMATS = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
            "tif": "image/tiff", "tiff": "image/tiff", "jp2": "image/jp2", "avif": "image/avif"}
_INFO_JSON = re.compile(r"^(?P<service>https?://.+?)/info\.json$", re.I)
_IMAGE_REQUEST = re.compile(
    r"^(?P<service>https?://.+?)/(full|square|\d+,\d+,\d+,\d+|pct:[\d.]+,[\d.]+,[\d.]+,[\d.]+)"
    r"/(?P<size>\^?max|full|\^?\d*,\d*|\^?!\d+,\d+|\^?pct:[\d.]+)/!?\d+(\.\d+)?/(default|color|gray|bitonal)\.[a-z0-9]+$", re.I)
_VERSION_IN_MEDIA_TYPE = re.compile(r"iiif\.io/api/image/([23])/context\.json")
_VERSION_IN_PATH = re.compile(r"/iiif/([23])/")
_PIXELS = re.compile(r"^\s*(\d+)\s*(px)?\s*$")


@dataclass(frozen=True)
class PageImage:
    """The image of one page: a local file (path inside the sources), a web address, or an Image API service."""

    reference: str
    local: Path | None = None
    service: str = ""
    service_version: int = 0
    width: int | None = None
    height: int | None = None

    @property
    def format(self) -> str:
        """The media type by the address's suffix (an Image API request asks for .jpg); JPEG when none says."""
        suffix = None if self.service else _IMAGE_SUFFIX.search(self.reference.split("?", 1)[0])
        return _FORMATS.get(suffix.group(1).lower(), "image/jpeg") if suffix else "image/jpeg"


@dataclass(frozen=True)
class Zone:
    """A region of a page that elements of the text point to (`@facs="#id"`), in the page's coordinates."""

    id: str
    x: int
    y: int
    width: int
    height: int


@dataclass
class Page:
    """One canvas: its name in the manifest (p{n}: the n-th `pb[@facs]`; s{n}: the n-th surface), label, image and size."""

    name: str
    label: str
    image: PageImage
    width: int | None
    height: int | None
    from_page_break: bool
    element: etree._Element
    zones: list[Zone] = field(default_factory=list)


def has_page_images(root: etree._Element) -> bool:
    """Whether a document may have page images (a facsimile or a page break naming one): only those need `page_images`."""
    return bool(root.xpath("boolean(//tei:facsimile | //tei:text//tei:pb[@facs])", namespaces=NS))


def page_images(source: SourceFile, source_root: Path) -> list[Page]:
    """The pages of a document that have an image, in reading order ([] when it has none)."""
    root = source.tree.getroot()
    if not has_page_images(root):
        return []
    by_id = {element.get(XML_ID): element for element in root.iter() if element.get(XML_ID)}
    folder = source.path.resolve().parent
    pages: list[Page] = []
    breaks = root.xpath("//tei:text//tei:pb[@facs]", namespaces=NS)
    surfaces_of_pages: dict[int, Page] = {}
    if breaks:
        for number, pb in enumerate(breaks, start=1):
            pointer = (pb.get("facs") or "").split()[0:1]
            found = _resolve(pointer[0] if pointer else "", by_id, folder, source_root)
            if found is None:
                continue
            surface, image = found
            pages.append(_page(f"p{number}", pb.get("n", "").strip() or str(number), surface, image, True, pb))
            if surface is not None:
                surfaces_of_pages.setdefault(id(surface), pages[-1])
    else:
        for number, surface in enumerate(root.xpath("//tei:facsimile/tei:surface", namespaces=NS), start=1):
            graphic = next(iter(surface.xpath(".//tei:graphic[@url]", namespaces=NS)), None)
            image = _image(graphic.get("url", ""), graphic, folder, source_root) if graphic is not None else None
            if image is None:
                continue
            label = " ".join("".join(surface.xpath("tei:label[1]//text()", namespaces=NS)).split()) or surface.get("n", "").strip() or str(number)
            pages.append(_page(f"s{number}", label, surface, image, False, surface))
            surfaces_of_pages[id(surface)] = pages[-1]
    _attach_zones(root, by_id, surfaces_of_pages)
    return pages


def _resolve(pointer: str, by_id: dict[str, etree._Element], folder: Path, source_root: Path) -> tuple[etree._Element | None, PageImage] | None:
    """The surface (if any) and image a `@facs` value names: a pointer to a surface, zone or graphic, or an address."""
    if pointer.startswith("#"):
        target = by_id.get(pointer[1:])
        if target is None:
            return None
        name = etree.QName(target).localname
        surface = target if name == "surface" else next(iter(target.xpath("ancestor::tei:surface[1]", namespaces=NS)), None)
        graphic = target if name == "graphic" else next(iter((surface if surface is not None else target).xpath(".//tei:graphic[@url]", namespaces=NS)), None)
        if graphic is None:
            return None
        image = _image(graphic.get("url", ""), graphic, folder, source_root)
        return (surface, image) if image else None
    if _WEB_ADDRESS.match(pointer.strip()) or _IMAGE_SUFFIX.search(pointer.split("#", 1)[0]):
        image = _image(pointer, None, folder, source_root)
        return (None, image) if image else None
    return None


def _image(reference: str, graphic: etree._Element | None, folder: Path, source_root: Path) -> PageImage | None:
    """A page's image from an address: a local file inside the sources, a web address, or an Image API service."""
    reference = reference.split("#", 1)[0].strip()
    width, height = (_pixels(graphic.get("width")), _pixels(graphic.get("height"))) if graphic is not None else (None, None)
    if not reference:
        return None
    if _WEB_ADDRESS.match(reference):
        service = _INFO_JSON.match(reference) or _IMAGE_REQUEST.match(reference)
        if service is None:
            return PageImage(reference, width=width, height=height)
        version = _service_version(reference, service, graphic)
        return PageImage(reference, service=service.group("service"), service_version=version, width=width, height=height)
    if ":" in reference or reference.startswith(("/", "\\")):
        return None
    path = (folder / reference).resolve()
    # Images missing or outside the sources are reported by html.py, which copies the others under media/.
    if not path.is_file() or not path.is_relative_to(source_root):
        return None
    if width is None or height is None:
        width, height = local_image_size(path) or (None, None)
    return PageImage(reference, local=path, width=width, height=height)


def _service_version(reference: str, match: re.Match[str], graphic: etree._Element | None) -> int:
    """The Image API version as the source says it (the graphic's mimeType) or the address shows it; 0 when neither does."""
    said = _VERSION_IN_MEDIA_TYPE.search(graphic.get("mimeType", "")) if graphic is not None else None
    if said:
        return int(said.group(1))
    size = match.groupdict().get("size") or ""
    if size.lower() == "full":  # Image API 3 has no size "full"
        return 2
    if size.startswith("^"):  # upscaling exists only in Image API 3
        return 3
    in_path = _VERSION_IN_PATH.search(reference)
    return int(in_path.group(1)) if in_path else 0


def _page(name: str, label: str, surface: etree._Element | None, image: PageImage, from_page_break: bool, element: etree._Element) -> Page:
    """A page's canvas: the surface's size where it gives one, else the image's."""
    width = height = None
    if surface is not None and _number(surface.get("lrx")) is not None and _number(surface.get("lry")) is not None:
        width = round(_number(surface.get("lrx")) - (_number(surface.get("ulx")) or 0))  # type: ignore[operator]
        height = round(_number(surface.get("lry")) - (_number(surface.get("uly")) or 0))  # type: ignore[operator]
    if not width or not height:
        width, height = image.width, image.height
    return Page(name, label, image, width if width and width > 0 else None, height if height and height > 0 else None, from_page_break, element)


def _attach_zones(root: etree._Element, by_id: dict[str, etree._Element], pages_by_surface: dict[int, Page]) -> None:
    """Each zone the text links to, on the page of its surface, in the surface's coordinates."""
    seen: set[str] = set()
    for element in root.xpath("//tei:text//*[@facs]", namespaces=NS):
        for token in (element.get("facs") or "").split():
            zone = by_id.get(token[1:]) if token.startswith("#") else None
            if zone is None or etree.QName(zone).localname != "zone" or token in seen:
                continue
            surface = next(iter(zone.xpath("ancestor::tei:surface[1]", namespaces=NS)), None)
            page = pages_by_surface.get(id(surface)) if surface is not None else None
            box = _box(zone)
            if page is None or box is None:
                continue
            seen.add(token)
            left, top = (_number(surface.get("ulx")) or 0), (_number(surface.get("uly")) or 0)  # type: ignore[union-attr]
            x1, y1, x2, y2 = box
            page.zones.append(Zone(token[1:], round(x1 - left), round(y1 - top), round(x2 - x1), round(y2 - y1)))


def _box(zone: etree._Element) -> tuple[float, float, float, float] | None:
    """A zone's bounding box (ulx, uly, lrx, lry), from its corners or its polygon's points."""
    corners = [_number(zone.get(name)) for name in ("ulx", "uly", "lrx", "lry")]
    if all(value is not None for value in corners):
        x1, y1, x2, y2 = corners  # type: ignore[misc]
        return (x1, y1, x2, y2) if x2 > x1 and y2 > y1 else None
    points = [tuple(_number(v) for v in pair.split(",")) for pair in (zone.get("points") or "").split()]
    if len(points) >= 3 and all(len(p) == 2 and None not in p for p in points):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys)) if max(xs) > min(xs) and max(ys) > min(ys) else None  # type: ignore[type-var,return-value]
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def _pixels(value: str | None) -> int | None:
    """A graphic's width or height when it is a number of pixels ("1200", "1200px"); other units say no pixel size."""
    found = _PIXELS.match(value or "")
    return int(found.group(1)) or None if found else None


def local_image_size(path: Path) -> tuple[int, int] | None:
    """Width and height in pixels of a PNG, GIF or JPEG file, read from its header, or of an SVG file (its
    root's width and height in pixels, else its viewBox); None for other files."""
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    try:
        with path.open("rb") as image:
            head = image.read(26)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                return struct.unpack(">II", head[16:24])
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return struct.unpack("<HH", head[6:10])
            if head.startswith(b"\xff\xd8"):
                image.seek(2)
                return _jpeg_size(image)
    except (OSError, struct.error):
        return None
    return None


def _svg_size(path: Path) -> tuple[int, int] | None:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    if width and height:
        return (width, height)
    box = [_number(value) for value in (root.get("viewBox") or "").replace(",", " ").split()]
    return (round(box[2]), round(box[3])) if len(box) == 4 and None not in box and box[2] > 0 and box[3] > 0 else None  # type: ignore[operator]


def _jpeg_size(image) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """The size in a JPEG's start-of-frame segment (markers C0–CF but C4, C8 and CC)."""
    while True:
        marker = image.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
            continue
        length = struct.unpack(">H", image.read(2))[0]
        if 0xC0 <= marker[1] <= 0xCF and marker[1] not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">xHH", image.read(5))
            return (width, height)
        image.seek(length - 2, 1)


# --- writing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestSource:
    """What a document's manifest is made of: its name in the site, source, summary (html/summary.xsl) and pages."""

    id: str
    source: SourceFile
    facts: str
    media_base: str
    pages: Sequence[Page]


def manifest_path(document_id: str) -> str:
    """The manifest's address relative to a document page (documents/{id}.html)."""
    return f"../{IIIF_DIR}/{quote(document_id, safe='')}.json"


def write_iiif(staging: Path, documents: Sequence[ManifestSource], edition: Edition, config: Config, problems: list[Problem]) -> list[Path]:
    """Write iiif/{id}.json for every document with pages and iiif/collection.json; remove what no document makes any more.

    Example: `write_iiif(Path("output/html"), documents, edition, config, problems)`.
    """
    site, language = config.base_url or "../", config.language
    words = _messages(language)
    written: list[Path] = []
    listed = []
    for document in documents:
        if not document.pages:
            continue
        _warn_unsized(document, problems)
        manifest = manifest_json(document, site=site, language=language, words=words)
        path = staging / IIIF_DIR / f"{document.id}.json"
        write_if_changed(path, json.dumps(manifest, ensure_ascii=False, indent=1))
        written.append(path)
        listed.append({"id": manifest["id"], "type": "Manifest", "label": manifest["label"]})
    if written:
        collection = {"@context": PRESENTATION_CONTEXT, "id": f"{site}{IIIF_DIR}/{COLLECTION}", "type": "Collection",
                      "label": {"none": [_edition_title(edition, config, words)]}, "items": listed}
        written.append(staging / IIIF_DIR / COLLECTION)
        write_if_changed(written[-1], json.dumps(collection, ensure_ascii=False, indent=1))
    folder = staging / IIIF_DIR
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path not in written:
                path.unlink()
    return written


def manifest_json(document: ManifestSource, *, site: str, language: str, words: dict[str, str]) -> dict[str, object]:
    """The manifest of one document as JSON data (see the module's docstring)."""
    summary = etree.fromstring(document.facts.encode("utf-8"))
    name = quote(document.id, safe="")
    manifest_id = f"{site}{IIIF_DIR}/{name}.json"
    page_url = f"{site}documents/{name}.html"
    title = summary.get("title") or document.id
    metadata = [_entry(words["meta.title"], [title], language)]
    if summary.get("date"):
        metadata.append(_entry(words["meta.date"], [summary.get("date", "")], language))
    for kind, key in (("sender", "meta.from"), ("addressee", "meta.to")):
        names = [" ".join("".join(party.itertext()).split()) for party in summary.iterfind(f"{{https://teipress.org/ns/site}}{kind}")]
        if any(names):
            metadata.append(_entry(words[key], [n for n in names if n], language))
    manifest: dict[str, object] = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": {"none": [title]},
        "metadata": metadata,
    }
    rights = _rights(document.source.tree.getroot())
    if rights:
        manifest["rights"] = rights
    manifest["homepage"] = [{"id": page_url, "type": "Text", "label": {"none": [title]}, "format": "text/html"}]
    manifest["seeAlso"] = [{"id": f"{site}tei/{name}.xml", "type": "Dataset", "format": "application/tei+xml", "profile": TEI_PROFILE}]
    manifest["partOf"] = [{"id": f"{site}{IIIF_DIR}/{COLLECTION}", "type": "Collection"}]
    canvases = []
    pages = list(document.pages)
    for index, page in enumerate(pages):
        canvas_id = f"{manifest_id[:-len('.json')]}/canvas/{page.name}"
        canvas: dict[str, object] = {"id": canvas_id, "type": "Canvas", "label": {language: [words["text.page-abbreviation"].replace("{1}", page.label)]}}
        if page.width and page.height:
            canvas.update(width=page.width, height=page.height)
        canvas["items"] = [{"id": f"{canvas_id}/painting", "type": "AnnotationPage", "items": [
            {"id": f"{canvas_id}/painting/image", "type": "Annotation", "motivation": "painting",
             "body": _image_body(page.image, site, document.media_base), "target": canvas_id}]}]
        following = pages[index + 1] if index + 1 < len(pages) else None
        annotations = [{"id": f"{canvas_id}/transcription", "type": "Annotation", "motivation": "supplementing",
                        "body": _page_text(page, following, page_url), "target": canvas_id}]
        annotations += [{"id": f"{canvas_id}/zone/{quote(zone.id, safe='')}", "type": "Annotation", "motivation": "supplementing",
                         "body": {"type": "SpecificResource", "source": _html(page_url), "selector": {"type": "CssSelector", "value": f'[data-facs~="{zone.id}"]'}},
                         "target": f"{canvas_id}#xywh={zone.x},{zone.y},{zone.width},{zone.height}"} for zone in page.zones]
        canvas["annotations"] = [{"id": f"{canvas_id}/text", "type": "AnnotationPage", "items": annotations}]
        canvases.append(canvas)
    manifest["items"] = canvases
    return manifest


def _entry(label: str, values: list[str], language: str) -> dict[str, object]:
    return {"label": {language: [label]}, "value": {"none": values}}


def _html(page_url: str) -> dict[str, object]:
    """The document page as the annotations' source."""
    return {"id": page_url, "type": "Text", "format": "text/html"}


def _page_text(page: Page, following: Page | None, page_url: str) -> dict[str, object]:
    """The page's part of the document page: from its page break to the next one (or the end of the text)."""
    if not page.from_page_break:
        return _html(page_url)
    end = f'[data-canvas="{following.name}"]' if following is not None and following.from_page_break else "[data-text-end]"
    return {"type": "SpecificResource", "source": _html(page_url),
            "selector": {"type": "RangeSelector", "startSelector": {"type": "CssSelector", "value": f'[data-canvas="{page.name}"]'},
                         "endSelector": {"type": "CssSelector", "value": end}}}


def _image_body(image: PageImage, site: str, media_base: str) -> dict[str, object]:
    """The painting annotation's body: the image's address, its format and size, and its Image API service."""
    if image.local is not None:
        url = site + media_base.removeprefix("../") + quote(image.reference, safe="/")
    elif image.service:
        size = "full" if image.service_version == 2 else "max"
        url = image.reference if _IMAGE_REQUEST.match(image.reference) else f"{image.service}/full/{size}/0/default.jpg"
    else:
        url = image.reference
    body: dict[str, object] = {"id": url, "type": "Image", "format": image.format}
    if image.width and image.height:
        body.update(width=image.width, height=image.height)
    if image.service and image.service_version == 3:
        body["service"] = [{"id": image.service, "type": "ImageService3", "profile": "level0"}]
    elif image.service and image.service_version == 2:
        body["service"] = [{"@id": image.service, "@type": "ImageService2", "profile": "http://iiif.io/api/image/2/level0.json"}]
    return body


def _rights(root: etree._Element) -> str:
    """The document's licence as IIIF's `rights` (a Creative Commons or RightsStatements.org URI, http form), or ''."""
    for target in root.xpath("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target", namespaces=NS):
        if _RIGHTS.match(target.strip()):
            return "http://" + target.strip().split("://", 1)[1]
    return ""


def _warn_unsized(document: ManifestSource, problems: list[Problem]) -> None:
    """A warning at each page whose canvas has no size, and at each image service whose version nothing says."""
    lines: list[str] = []
    for page in document.pages:
        if (page.width is None or page.height is None or (page.image.service and not page.image.service_version)) and not lines:
            lines = source_lines(document.source.path)
        column = element_column(page.element, lines) if lines else 1
        if page.width is None or page.height is None:
            where = "pb" if page.from_page_break else "surface"
            problems.append(Problem(display_path(document.source.path), page.element.sourceline or 1, column, Severity.WARNING,
                                    f"the image of page {page.label} has no known size, so its IIIF canvas has no width and height: "
                                    f"give the surface lrx and lry, or the graphic width and height in pixels ({where})", "facsimile-size"))
        if page.image.service and not page.image.service_version:
            problems.append(Problem(display_path(document.source.path), page.element.sourceline or 1, column, Severity.WARNING,
                                    f"the IIIF image service {page.image.service} does not say its Image API version, so the page shows one image "
                                    "instead of tiles: give its graphic the Image API's media type, e.g. "
                                    "mimeType='application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"' (or .../image/2/...)",
                                    "facsimile-service"))


def _edition_title(edition: Edition, config: Config, words: dict[str, str]) -> str:
    """The edition's title as the site shows it (`edition_titles`, else the site's default title)."""
    return edition_titles(edition, config.title, None)[0] or words["site.default-title"]


def _messages(language: str) -> dict[str, str]:
    """The interface's words in `language`, from the catalogue the stylesheets read."""
    catalogue = etree.parse(str(XSLT_DIR / "common" / "messages" / f"{language}.xml"))
    return {message.get("key", ""): message.text or "" for message in catalogue.getroot().iterfind("{https://teipress.org/ns/messages}message")}
