"""DTS 1.0 (Distributed Text Services): the edition's texts for other tools, static and live.

Every `teipress build --html` writes a Level 0 DTS into the site (`api/dts/`): the entry point, the
collections (the edition, its documents by kind), each document as a Resource with its citation
tree, the navigation responses, and the document and each citable unit as TEI. The same responses
come live, with `start`/`end` ranges, any `down`, pagination and media type negotiation, from
`teipress serve --api` or from the ASGI application `teipress.dts:app` (`TEIPRESS_SITE` names the
built site; default `output/html`), which read only the built site.

A document's citation tree is the tree of its passages (xslt/common/passages.xsl): a reference is
the passage's anchor in the site (`p3` is `documents/{id}.html#p3`), its citeType the TEI element
(div, p, opener, closer, head ...), its parent the nearest enclosing passage. `export/dts.xsl`
lists them; this module answers requests from that list and the document's TEI.

Static URL templates follow the specification's section on static sites (RFC 6570):
    collection  api/dts/collection{/id}{;nav,page}.json
    navigation  api/dts/navigation{/resource}{;tree,down}.json
    document    api/dts/document{/resource}{/ref}.xml
What a reader of the static files cannot get otherwise is written, a few files for each document
besides its parts: the collections (paginated, and each one's parents); for each Resource its tree
to each of its depths and to the bottom (-1), the document as TEI, and each citable unit as TEI.
The navigation about one unit (`ref`) is not written: the tree (down=-1) holds each unit with its
level and parent, hence the unit's own response and its children, and a file for each would more
than double the site's files (an Escher letter has about 21 units); the navigation template has no
`{/ref}`, so no client is sent to a file that is not there. A unit's TEI stays: a static client
cannot cut it from the document (its identifier may be an anchor the site made, `p3`), and the
specification's Level 0 exempts only navigation ranges. The live API answers every request.

The build writes them in two parts, so that the work runs on every core and no process holds the
edition (`StaticDts`): the worker that renders a document's page writes that document's files
(`write_resource`: its tree, its TEI and its parts, its Resource object, its citable units
in `.teipress/dts/{id}.json`) and hands back the small Resource; the build then writes the entry
point and the collections from those (`StaticDts.finish`), and keeps them in `.teipress/dts.json`.
A document whose source and the code that reads it did not change keeps its files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, unquote

from lxml import etree
from saxonche import PyXdmNode

from . import __version__, jsonfiles
from .errors import DtsRequestError, InputError, OutputError
from .resources import XSLT_DIR
from .saxon import Stylesheets
from .xmlio import NS, TEI_NS, safe_parser, write_atomic, write_if_changed

DTS_VERSION = "1.0"
CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_NS = "https://w3id.org/api/dts#"
EXPORT_NS = "https://teipress.org/ns/export"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
TEI_MEDIA_TYPE = "application/tei+xml"
# What the Document endpoint answers in: TEI, also under the generic XML name.
DOCUMENT_MEDIA_TYPES = (TEI_MEDIA_TYPE, "application/xml")
JSON_MEDIA_TYPES = ("application/ld+json", "application/json")
API_PATH = "api/dts/"
MODEL_FILE = Path(".teipress") / "dts.json"
UNITS_DIR = Path(".teipress") / "dts"  # a document's citable units, one file each: {id}.json
ROOT_COLLECTION = "edition"  # outputs.RESERVED_NAMES: no document is named so
PAGE_SIZE = 100
# Dublin Core terms whose values are words in the document's language (DTS: {lang, value}); the
# others (language, format, type, a URI) are codes.
_WORDED_TERMS = frozenset({"title", "creator", "contributor", "subject", "description", "publisher", "source", "coverage", "rights"})
_XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"
# A part of a document: the specification's dts:wrapper in a TEI root element.
_WRAPPER_START = _XML_DECLARATION + f'<TEI xmlns="{TEI_NS}" xmlns:dts="{DTS_NS}"><dts:wrapper>'.encode()
_WRAPPER_END = b"</dts:wrapper></TEI>\n"


# --- the model: what the build found in the edition -------------------------------------------------


@dataclass
class Unit:
    """A citable unit: a passage of a document."""

    identifier: str
    cite_type: str
    level: int
    parent: str | None
    path: tuple[int, ...]
    title: str = ""
    position: int = 0  # in document order
    end: int = 0  # position of its last descendant (itself when it has none)


class Units:
    """A resource's citable units, in document order and by identifier."""

    def __init__(self, units: list[Unit]) -> None:
        self.all = units
        self.by_ref = {unit.identifier: unit for unit in units}

    def to_json(self) -> bytes:
        return _compact([{**vars(unit), "path": list(unit.path)} for unit in self.all])

    @classmethod
    def from_json(cls, data: bytes) -> Units:
        return cls([Unit(**{**item, "path": tuple(item["path"])}) for item in jsonfiles.loads(data)])


@dataclass
class Resource:
    """A document of the edition, named as in every output (outputs.output_names): what the collections
    say of it. Its citable units are kept apart (`Units`, `.teipress/dts/{id}.json`): only its own
    responses need them."""

    id: str
    title: str
    kind: str
    # Its Dublin Core and citation trees as compact JSON ({"dublin_core": …, "citation_trees": …}), decoded by the few
    # responses that show them: a build holds every resource until it writes the collections, and as dictionaries
    # 20,000 letters' took 175 MB of the build's process, as text 40 MB.
    metadata: str
    depth: int  # of its citation tree (`_tree_depth`): the build lists every resource's files, and decoding each one's trees took longer
    digest: str = ""  # of what its files are made from (`resource_digest`): an unchanged resource keeps its files
    collection: str = ""  # the collection of its kind, named by `build_model`

    @classmethod
    def described(cls, id: str, title: str, kind: str, dublin_core: dict[str, list[Any]], citation_trees: list[dict[str, Any]]) -> Resource:
        return cls(id, title, kind, _compact_text({"dublin_core": dublin_core, "citation_trees": citation_trees}), _tree_depth(citation_trees))

    @property
    def citation_trees(self) -> list[dict[str, Any]]:
        return jsonfiles.loads(self.metadata)["citation_trees"]  # type: ignore[no-any-return]


@dataclass
class Collection:
    """The edition (root) or its documents of one kind."""

    id: str
    title: str
    members: list[str]
    parents: list[str]
    description: str = ""
    dublin_core: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Model:
    collections: dict[str, Collection]
    resources: dict[str, Resource]

    static_root: str = ""  # where the static files that go with this model are published

    def to_json(self) -> bytes:
        return _compact({"static_root": self.static_root, "collections": [vars(c) for c in self.collections.values()],
                         "resources": [vars(r) for r in self.resources.values()]})

    @classmethod
    def from_json(cls, text: str | bytes) -> Model:
        data = jsonfiles.loads(text)
        collections = {c["id"]: Collection(**c) for c in data["collections"]}
        resources = {r["id"]: Resource(**r) for r in data["resources"]}
        return cls(collections, resources, data.get("static_root", ""))


def build_model(resources: Sequence[Resource], edition_tree: etree._ElementTree | None, title: str, description: str = "") -> Model:
    """The edition's collections: the root, titled `title` (edition.py `edition_titles`; "Edition" for none), and one for
    each kind of document, its members in the order of `resources`."""
    taken = {ROOT_COLLECTION, *(resource.id for resource in resources)}
    kinds: dict[str, Collection] = {}
    for resource in resources:
        kind = resource.kind
        if kind not in kinds:
            kinds[kind] = Collection(id=_unique(f"{ROOT_COLLECTION}.{re.sub(r'[^A-Za-z0-9._-]+', '-', kind)}", taken), title=kind,
                                     members=[], parents=[ROOT_COLLECTION], description=f"The documents of the kind \u201c{kind}\u201d.")
        kinds[kind].members.append(resource.id)
        resource.collection = kinds[kind].id
    title = title or "Edition"
    root = Collection(id=ROOT_COLLECTION, title=title, members=[c.id for c in kinds.values()], parents=[], description=description,
                      dublin_core=_edition_dublin_core(edition_tree, title))
    return Model({root.id: root, **{c.id: c for c in kinds.values()}}, {resource.id: resource for resource in resources})


def read_resource(name: str, document: PyXdmNode | etree._ElementTree, stylesheets: Stylesheets) -> tuple[Resource, Units]:
    """Title, kind, Dublin Core and passages of the document `name` (an XDM node or lxml tree), by export/dts.xsl."""
    listing = etree.fromstring(stylesheets.transform("export/dts.xsl", document, base_url="").encode("utf-8"), etree.XMLParser(huge_tree=True))
    units = Units(_units(listing))
    return Resource.described(name, listing.get("title") or name, listing.get("kind"), _dublin_core(listing.find(f"{{{OAI_DC_NS}}}dc")),
                              _citation_trees(units.all)), units


@cache
def _code_key() -> str:
    """The stylesheets and this module, which decide what a document's DTS files hold."""
    parts = [__version__.encode(), Path(__file__).read_bytes()]
    for path in sorted([*(XSLT_DIR / "common").rglob("*.xsl"), *(XSLT_DIR / "export").glob("*.xsl")]):
        parts.append(path.read_bytes())
    return _digest(*parts)


def resource_digest(source_key: str, base_url: str) -> str:
    """What a document's DTS files are made of: `source_key` names its TEI as the build read it (the build's
    facts key hashes it), the code that reads it, and where the files are published."""
    return _digest(_code_key(), api_root(base_url), source_key)


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _unique(wanted: str, taken: set[str]) -> str:
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted}-{number}", number + 1
    taken.add(name)
    return name


def _units(resource: etree._Element) -> list[Unit]:
    """The passages as citable units, in document order; an anchor a file repeats (an `xml:id` given twice,
    which validation reports) gets a number, since DTS identifiers must be unique."""
    units: list[Unit] = []
    taken: set[str] = set()

    def visit(element: etree._Element, parent: str | None, level: int) -> None:
        for child in element.iterchildren(f"{{{EXPORT_NS}}}unit"):
            unit = Unit(identifier=_unique(child.get("ref"), taken), cite_type=child.get("type"), level=level, parent=parent,
                        path=tuple(int(step) for step in child.get("path").split()), title=child.get("title", ""), position=len(units))
            units.append(unit)
            visit(child, unit.identifier, level + 1)
            unit.end = len(units) - 1

    visit(resource, None, 1)
    return units


def _dublin_core(record: etree._Element | None) -> dict[str, list[Any]]:
    """The document's Dublin Core record (export/dc.xsl) as a DTS MetadataObject; its site address is not its DTS identifier."""
    terms: dict[str, list[Any]] = {}
    if record is None:
        return terms
    language = record.findtext(f"{{{DC_NS}}}language")
    for element in record:
        term = etree.QName(element).localname
        value = element.text or ""
        if term == "identifier" or not value.strip():
            continue
        worded = term in _WORDED_TERMS and language and not re.match(r"^[a-z]+://", value)
        terms.setdefault(term, []).append({"lang": language, "value": value} if worded else value)
    return terms


def _edition_dublin_core(edition_tree: etree._ElementTree | None, title: str) -> dict[str, list[Any]]:
    terms: dict[str, list[Any]] = {"title": [title]}
    if edition_tree is None:
        return terms
    header = edition_tree.find("tei:teiHeader/tei:fileDesc", NS)
    if header is None:
        return terms
    for term, path in (("creator", "tei:titleStmt/tei:editor"), ("publisher", "tei:publicationStmt/tei:publisher")):
        values = [" ".join("".join(e.itertext()).split()) for e in header.findall(path, NS)]
        if values := [v for v in values if v]:
            terms[term] = values
    licences = [e.get("target") for e in header.findall("tei:publicationStmt/tei:availability/tei:licence[@target]", NS)]
    if licences:
        terms["license"] = licences
    return terms


# --- URLs: query parameters (live) or paths (static) ------------------------------------------------


class Urls(Protocol):
    root: str

    def entry(self) -> str: ...
    def templates(self) -> dict[str, str]: ...
    def resource_templates(self, resource: str) -> dict[str, str]: ...
    def collection_template(self, collection: str) -> str: ...
    def collection(self, id: str | None, *, page: int | None = None, nav: str | None = None) -> str: ...
    def navigation(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None,
                   down: int | None = None) -> str: ...
    def document(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None) -> str: ...


def _q(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True)
class QueryUrls:
    """The live API's URLs: the specification's query parameters."""

    root: str

    def entry(self) -> str:
        return self.root

    def templates(self) -> dict[str, str]:
        return {"collection": f"{self.root}collection{{?id,page,nav}}",
                "navigation": f"{self.root}navigation{{?resource,ref,start,end,down,tree,page}}",
                "document": f"{self.root}document{{?resource,ref,start,end,tree,mediaType}}"}

    def collection_template(self, collection: str) -> str:
        return f"{self.root}collection?id={_q(collection)}{{&page,nav}}"

    def resource_templates(self, resource: str) -> dict[str, str]:
        return {"collection": f"{self.root}collection?id={_q(resource)}{{&nav}}",
                "navigation": f"{self.root}navigation?resource={_q(resource)}{{&ref,start,end,down,tree,page}}",
                "document": f"{self.root}document?resource={_q(resource)}{{&ref,start,end,tree,mediaType}}"}

    def collection(self, id: str | None, *, page: int | None = None, nav: str | None = None) -> str:
        return self._url("collection", id=id, page=page, nav=nav)

    def navigation(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None,
                   down: int | None = None) -> str:
        return self._url("navigation", resource=resource, ref=ref, start=start, end=end, down=down)

    def document(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None) -> str:
        return self._url("document", resource=resource, ref=ref, start=start, end=end)

    def _url(self, endpoint: str, **params: object) -> str:
        given = [f"{key}={_q(str(value))}" for key, value in params.items() if value is not None]
        return f"{self.root}{endpoint}" + (f"?{'&'.join(given)}" if given else "")


@dataclass(frozen=True)
class StaticUrls:
    """The static site's URLs: path segments and `;name=value` parameters, one file each."""

    root: str

    def entry(self) -> str:
        return f"{self.root}index.json"

    def templates(self) -> dict[str, str]:
        return {"collection": f"{self.root}collection{{/id}}{{;nav,page}}.json",
                "navigation": f"{self.root}navigation{{/resource}}{{;tree,down}}.json",
                "document": f"{self.root}document{{/resource}}{{/ref}}.xml"}

    def collection_template(self, collection: str) -> str:
        return f"{self.root}collection/{_q(collection)}{{;nav,page}}.json"

    def resource_templates(self, resource: str) -> dict[str, str]:
        return {"collection": f"{self.root}collection/{_q(resource)}{{;nav}}.json",
                "navigation": f"{self.root}navigation/{_q(resource)}{{;tree,down}}.json",
                "document": f"{self.root}document/{_q(resource)}{{/ref}}.xml"}

    def collection(self, id: str | None, *, page: int | None = None, nav: str | None = None) -> str:
        parameters = "".join(f";{key}={value}" for key, value in (("nav", nav), ("page", page)) if value is not None)
        return f"{self.root}collection{'/' + _q(id) if id else ''}{parameters}.json"

    def navigation(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None,
                   down: int | None = None) -> str:
        if start is not None or end is not None:
            raise DtsRequestError(400, "a static DTS (Level 0) answers no start/end ranges; use the live API (teipress serve --api)")
        if ref is not None:
            raise DtsRequestError(400, "the static DTS answers navigation about a whole document only (its tree, down=-1, "
                                       "holds each unit); use the live API (teipress serve --api) for a ref")
        return f"{self.root}navigation/{_q(resource)}{f';down={down}' if down is not None else ''}.json"

    def document(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None) -> str:
        if start is not None or end is not None:
            raise DtsRequestError(400, "a static DTS (Level 0) answers no start/end ranges; use the live API (teipress serve --api)")
        return f"{self.root}document/{_q(resource)}{'/' + _q(ref) if ref else ''}.xml"

    def file(self, url: str) -> str:
        """Where the response to `url` lies below the site's `api/dts/` (a POSIX path relative to it).

        Each segment of the URL names one file or folder: a name from a source that would be none or several once
        decoded ("..", a "/" in it) is refused, whatever made it (passage anchors are NCNames, common/passages.xsl)."""
        segments = [unquote(segment) for segment in url[len(self.root):].split("/")]
        if any(segment in ("", ".", "..") or "/" in segment for segment in segments):
            # Named as written in the reason too: an OutputError shows its path as the system resolves it ("a/../b" as "b").
            relative = url[len(self.root):]
            raise OutputError(relative, f"{relative} names no file of its own inside the static DTS's folder")
        return "/".join(segments)


# --- the API: one response for each request ----------------------------------------------------------


@dataclass
class Response:
    status: int
    media_type: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


class DtsApi:
    """Answers DTS 1.0 requests from a built site (its `.teipress/dts.json`, `.teipress/dts/*.json` and `api/dts/document/*.xml`)."""

    def __init__(self, site: Path, model: Model | None = None) -> None:
        """The API of the site `site`, with its `model` when the caller has it already (the build)."""
        self.site = site
        if model is None:
            try:
                model = Model.from_json((site / MODEL_FILE).read_bytes())
            except FileNotFoundError as error:
                raise InputError(f"{site} holds no DTS data ({MODEL_FILE}); run `teipress build --html` first") from error
        self.model = model
        self._trees: dict[str, etree._ElementTree] = {}
        self._units: dict[str, Units] = {}

    # -- the four endpoints, as JSON-LD objects (or TEI) -----------------------------------------

    def entry(self, urls: Urls) -> dict[str, Any]:
        return {"@context": CONTEXT, "dtsVersion": DTS_VERSION, "@id": urls.entry(), "@type": "EntryPoint", **urls.templates()}

    def collection(self, params: Mapping[str, str], urls: Urls) -> dict[str, Any]:
        _allowed(params, {"id", "page", "nav"})
        identifier = params.get("id", ROOT_COLLECTION)
        nav = params.get("nav", "children")
        if nav not in ("children", "parents"):
            raise DtsRequestError(400, f"nav must be 'children' or 'parents', not {nav!r}")
        page = _integer(params, "page", minimum=1)
        item = self._object(identifier, urls)
        members = self._parents(identifier) if nav == "parents" else self._children(identifier)
        if nav == "children" and identifier in self.model.resources:
            if page is not None:
                raise DtsRequestError(404, f"the resource {identifier!r} has no members to page through")
            return {"@context": CONTEXT, **item}
        last = max(1, -(-len(members) // PAGE_SIZE))
        if page is not None and page > last:
            raise DtsRequestError(404, f"page {page} does not exist; the last is {last}")
        response = {"@context": CONTEXT, **item}
        if len(members) > PAGE_SIZE:
            current = page or 1
            members = members[(current - 1) * PAGE_SIZE: current * PAGE_SIZE]
            nav_param = None if nav == "children" else nav
            view = {"@id": urls.collection(identifier, page=current, nav=nav_param), "@type": "Pagination",
                    "first": urls.collection(identifier, page=1, nav=nav_param)}
            if current > 1:
                view["previous"] = urls.collection(identifier, page=current - 1, nav=nav_param)
            if current < last:
                view["next"] = urls.collection(identifier, page=current + 1, nav=nav_param)
            view["last"] = urls.collection(identifier, page=last, nav=nav_param)
            response["view"] = view
        response["member"] = [self._object(member, urls) for member in members]
        return response

    def navigation(self, params: Mapping[str, str], urls: Urls) -> bytes:
        """The Navigation response, serialized (`_navigation_body`, which the static files are made with too)."""
        _allowed(params, {"resource", "ref", "start", "end", "down", "tree", "page"})
        resource = self._resource(params)
        ref, start, end = (params.get(name) for name in ("ref", "start", "end"))
        down = _integer(params, "down", minimum=-1)
        _check_range(ref, start, end)
        if down is None and ref is None and start is None:
            raise DtsRequestError(400, "navigation needs ref, start and end, or down")
        if down == 0 and ref is None:
            raise DtsRequestError(400, "down=0 asks for the siblings of a ref: give ref")
        if params.get("page") not in (None, "1"):
            _integer(params, "page", minimum=1)
            raise DtsRequestError(404, "navigation responses are not paginated: there is only page 1")
        self._tree_parameter(params)
        units = self.units(resource)
        url = urls.navigation(resource.id, ref=ref, start=start, end=end, down=down)
        focus: list[tuple[str, Unit]] = []
        members: list[Unit] | None = None
        if ref is not None:
            unit = self._unit(units, resource, ref)
            focus = [("ref", unit)]
            if down is not None:
                members = _below(units.all, unit, down)
        elif start is not None and end is not None:
            first, last = self._unit(units, resource, start), self._unit(units, resource, end)
            if first.position > last.position:
                raise DtsRequestError(400, f"start {start!r} comes after end {end!r} in the document")
            focus = [("start", first), ("end", last)]
            if down is not None:
                deepest = max(first.level, last.level)
                members = [u for u in _span(units.all, first, last) if down == -1 or u.level <= deepest + down]
        else:
            members = [u for u in units.all if down == -1 or u.level <= down]
        return _navigation_body(url, _compact_text(_navigation_resource(resource, urls)),
                                [(name, _compact_text(_citable_unit(unit))) for name, unit in focus],
                                None if members is None else [_compact_text(_citable_unit(unit)) for unit in members])

    def document(self, params: Mapping[str, str]) -> bytes:
        _allowed(params, {"resource", "ref", "start", "end", "tree", "mediaType"})
        resource = self._resource(params)
        ref, start, end = (params.get(name) for name in ("ref", "start", "end"))
        _check_range(ref, start, end)
        self._tree_parameter(params)
        media_type = params.get("mediaType")
        if media_type is not None and media_type not in DOCUMENT_MEDIA_TYPES:
            raise DtsRequestError(404, f"the document is not available as {media_type!r}; ask for {TEI_MEDIA_TYPE}")
        tree = self._tree(resource)
        if ref is None and start is None:
            root = tree.getroot()
            if etree.QName(root).namespace == TEI_NS and etree.QName(root).localname == "TEI":
                return self._document_file(resource).read_bytes()
            return _wrapped([root])
        units = self.units(resource)
        if ref is not None:
            chosen = [self._unit(units, resource, ref)]
        else:
            first, last = self._unit(units, resource, start), self._unit(units, resource, end)  # type: ignore[arg-type]
            if first.position > last.position:
                raise DtsRequestError(400, f"start {start!r} comes after end {end!r} in the document")
            span = _span(units.all, first, last)
            inside = {u.identifier for u in span}
            chosen = [u for u in span if u.parent not in inside]
        return _wrapped(_located(tree.getroot(), [unit.path for unit in chosen]))

    # -- HTTP: routing, negotiation and errors, shared by serve --api and the ASGI app -------------

    def respond(self, path: str, query: str, accept: str | None, root: str) -> Response | None:
        """The response to `GET {path}?{query}`; None when `path` is no DTS endpoint. `root` is the API's address."""
        endpoint = _endpoint(path)
        if endpoint is None:
            return None
        urls = QueryUrls(root)
        try:
            params = _single_values(query)
            if endpoint == "document":
                body = self.document(params)
                media_type = params.get("mediaType") or _negotiate(accept, DOCUMENT_MEDIA_TYPES)
                link = f'<{urls.collection(params["resource"])}>; rel="collection"'
                return Response(200, media_type, body, [("Link", link)])
            media_type = _negotiate(accept, JSON_MEDIA_TYPES)
            if endpoint == "navigation":
                return Response(200, media_type, self.navigation(params, urls))
            answer = self.entry(urls) if endpoint == "entry" else self.collection(params, urls)
            return Response(200, media_type, json_bytes(answer))
        except DtsRequestError as error:
            problem = {"type": "about:blank", "title": HTTPStatus(error.status).phrase, "status": error.status, "detail": error.message}
            return Response(error.status, "application/problem+json", json_bytes(problem))

    # -- helpers ------------------------------------------------------------------------------

    def _resource(self, params: Mapping[str, str]) -> Resource:
        if "resource" not in params:
            raise DtsRequestError(400, "the resource parameter is required")
        resource = self.model.resources.get(params["resource"])
        if resource is None:
            raise DtsRequestError(404, f"no resource {params['resource']!r}")
        return resource

    def _tree_parameter(self, params: Mapping[str, str]) -> None:
        if "tree" in params:
            raise DtsRequestError(404, f"no citation tree {params['tree']!r}: each resource has only its default tree")

    def units(self, resource: Resource) -> Units:
        """The resource's citable units, read from the file the build left (once for this API)."""
        units = self._units.get(resource.id)
        if units is None:
            units = Units.from_json((self.site / UNITS_DIR / f"{resource.id}.json").read_bytes())
            self._units[resource.id] = units
        return units

    def _unit(self, units: Units, resource: Resource, ref: str) -> Unit:
        unit = units.by_ref.get(ref)
        if unit is None:
            raise DtsRequestError(404, f"no citable unit {ref!r} in {resource.id!r}")
        return unit

    def _children(self, identifier: str) -> list[str]:
        collection = self.model.collections.get(identifier)
        return collection.members if collection else []

    def _parents(self, identifier: str) -> list[str]:
        if identifier in self.model.resources:
            return [self.model.resources[identifier].collection]
        return self.model.collections[identifier].parents

    def _object(self, identifier: str, urls: Urls) -> dict[str, Any]:
        if identifier in self.model.resources:
            return _resource_object(self.model.resources[identifier], urls)
        collection = self.model.collections.get(identifier)
        if collection is None:
            raise DtsRequestError(404, f"no collection or resource {identifier!r}")
        item: dict[str, Any] = {"@id": collection.id, "@type": "Collection", "dtsVersion": DTS_VERSION, "title": collection.title,
                                "totalParents": len(collection.parents), "totalChildren": len(collection.members)}
        if collection.description:
            item["description"] = collection.description
        if collection.dublin_core:
            item["dublinCore"] = collection.dublin_core
        item["collection"] = urls.collection_template(collection.id)
        return item

    def _document_file(self, resource: Resource) -> Path:
        return self.site / API_PATH / "document" / f"{resource.id}.xml"

    def _tree(self, resource: Resource) -> etree._ElementTree:
        tree = self._trees.get(resource.id)
        if tree is None:
            tree = etree.ElementTree(etree.fromstring(self._document_file(resource).read_bytes(), safe_parser()))
            self._trees[resource.id] = tree
        return tree


def _endpoint(path: str) -> str | None:
    match = re.fullmatch(r"/api/dts/?(collection|navigation|document)?/?", path)
    if match is None:
        return None
    return match.group(1) or "entry"


def _single_values(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, values in parse_qs(query, keep_blank_values=True).items():
        if len(values) > 1:
            raise DtsRequestError(400, f"the parameter {key} is given {len(values)} times")
        params[key] = values[0]
    return params


def _allowed(params: Mapping[str, str], names: set[str]) -> None:
    unknown = sorted(set(params) - names)
    if unknown:
        raise DtsRequestError(400, f"unknown parameter(s) {', '.join(unknown)}; this endpoint takes {', '.join(sorted(names))}")


def _integer(params: Mapping[str, str], name: str, *, minimum: int) -> int | None:
    if name not in params:
        return None
    try:
        value = int(params[name])
    except ValueError:
        raise DtsRequestError(400, f"{name} must be a whole number, not {params[name]!r}") from None
    if value < minimum:
        raise DtsRequestError(400, f"{name} must be at least {minimum}, not {value}")
    return value


def _check_range(ref: str | None, start: str | None, end: str | None) -> None:
    if ref is not None and (start is not None or end is not None):
        raise DtsRequestError(400, "ref cannot be combined with start or end")
    if (start is None) != (end is None):
        raise DtsRequestError(400, "start and end must be given together")


def _negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """The first of `offered` that the Accept header admits (all, when there is none), or a 406."""
    if not accept:
        return offered[0]
    ranges = []
    for part in accept.split(","):
        media_range, *options = [p.strip() for p in part.split(";")]
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))

    def quality_of(media_type: str) -> float:
        kind = media_type.split("/")[0]
        matching = [(r, q) for r, q in ranges if r in (media_type, f"{kind}/*", "*/*")]
        if not matching:
            return 0.0
        # The most specific range decides.
        return max(matching, key=lambda rq: (rq[0] == media_type, rq[0] != "*/*"))[1]

    best = max(offered, key=lambda m: (quality_of(m), -offered.index(m)))
    if quality_of(best) <= 0:
        raise DtsRequestError(406, f"this endpoint answers in {', '.join(offered)}, which the Accept header {accept!r} refuses")
    return best


def _resource_object(resource: Resource, urls: Urls) -> dict[str, Any]:
    """The Resource as the Collection endpoint shows it."""
    item: dict[str, Any] = {"@id": resource.id, "@type": "Resource", "dtsVersion": DTS_VERSION, "title": resource.title,
                            "totalParents": 1, "totalChildren": 0}
    metadata = jsonfiles.loads(resource.metadata)
    if metadata["dublin_core"]:
        item["dublinCore"] = metadata["dublin_core"]
    item.update(urls.resource_templates(resource.id))
    item["download"] = urls.document(resource.id)
    item["citationTrees"] = metadata["citation_trees"]
    item["mediaTypes"] = list(DOCUMENT_MEDIA_TYPES)
    return item


def _navigation_resource(resource: Resource, urls: Urls) -> dict[str, Any]:
    """The Resource as a Navigation response names it: what the specification requires (identifier, type, the
    three templates, the citation trees), so that each of the many static navigation files stays small (its
    metadata is in the collection response)."""
    return {"@id": resource.id, "@type": "Resource", **urls.resource_templates(resource.id), "citationTrees": resource.citation_trees}


def _citable_unit(unit: Unit) -> dict[str, Any]:
    item: dict[str, Any] = {"identifier": unit.identifier, "@type": "CitableUnit", "level": unit.level, "parent": unit.parent,
                            "citeType": unit.cite_type}
    if unit.title:
        item["dublinCore"] = {"title": [unit.title]}
    return item


def _navigation_body(url: str, resource: str, focus: Sequence[tuple[str, str]], members: Sequence[str] | None) -> bytes:
    """A Navigation response from its parts already serialized: the Resource (`resource`), the units asked about
    (`focus`: ref, or start and end) and the `members`. A document's static files repeat its Resource and each
    unit in several responses: each is serialized once (`StaticDts`), and the live API answers through the same
    function, so that both give the same bytes."""
    parts = [f'{{"@context":{_compact_text(CONTEXT)},"dtsVersion":{_compact_text(DTS_VERSION)},"@type":"Navigation",'
             f'"@id":{_compact_text(url)},"resource":{resource}']
    parts.extend(f',"{name}":{unit}' for name, unit in focus)
    if members is not None:
        parts.append(f',"member":[{",".join(members)}]')
    parts.append("}\n")
    return "".join(parts).encode("utf-8")


def _below(units: list[Unit], unit: Unit, down: int) -> list[Unit]:
    """The unit and its descendants `down` levels deep (-1: all), or with 0 the unit and its siblings."""
    if down == 0:
        return [u for u in units if u.parent == unit.parent]
    subtree = units[unit.position: unit.end + 1]
    return [u for u in subtree if down == -1 or u.level <= unit.level + down]


def _span(units: list[Unit], first: Unit, last: Unit) -> list[Unit]:
    """The units from `first` to the end of `last`, in document order, without the ones that enclose either."""
    return [u for u in units[first.position: last.end + 1] if not u.position < first.position <= u.end and not u.position < last.position <= u.end]


def _citation_trees(units: list[Unit]) -> list[dict[str, Any]]:
    """One tree: for each level, the types met there, each with the types met below it."""
    if not units:
        return []
    children: dict[str | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit)

    def structure(group_of_units: list[Unit]) -> list[dict[str, Any]]:
        by_type: dict[str, list[Unit]] = {}
        for unit in group_of_units:
            by_type.setdefault(unit.cite_type, []).append(unit)
        result = []
        for cite_type, group in by_type.items():
            below = [child for unit in group for child in children.get(unit.identifier, [])]
            # No "@type": the specification's CiteStructure has none (only citeType and citeStructure), and every
            # navigation file repeats the tree.
            entry: dict[str, Any] = {"citeType": cite_type}
            if below:
                entry["citeStructure"] = structure(below)
            result.append(entry)
        return result

    return [{"@type": "CitationTree", "citeStructure": structure(children[None])}]


def _located(root: etree._Element, paths: Iterable[tuple[int, ...]]) -> list[etree._Element]:
    """The elements at `paths` (from `root`, the position among the element children at each step); the
    element children of each element on the way are listed once, however many paths pass through it."""
    children: dict[tuple[int, ...], list[etree._Element]] = {}
    found = []
    for path in paths:
        element = root
        for depth, step in enumerate(path):
            above = path[:depth]
            if above not in children:
                children[above] = list(element.iterchildren(etree.Element))
            element = children[above][step - 1]
        found.append(element)
    return found


def _wrapped(elements: Iterable[etree._Element]) -> bytes:
    """A TEI document whose dts:wrapper holds `elements` (DTS: a part of a document). Each is serialized
    where it stands (with the namespaces it is in, declared on it), not copied into a new tree first."""
    return _WRAPPER_START + b"".join(etree.tostring(element, with_tail=False) for element in elements) + _WRAPPER_END


def _compact_text(data: object) -> str:
    return _compact(data).decode("utf-8")


def _compact(data: object) -> bytes:
    return jsonfiles.dumps(data)


def json_bytes(data: object) -> bytes:
    """A JSON response: compact (the static site holds hundreds of thousands of them), one line."""
    return _compact(data) + b"\n"


# --- the static Level 0 DTS in the site ---------------------------------------------------------------


def api_root(base_url: str) -> str:
    """Where `api/dts/` is published: below the edition's public address, else below the site's root."""
    return f"{base_url.rstrip('/')}/{API_PATH}" if base_url else f"/{API_PATH}"


@dataclass(frozen=True)
class ResourceJob:
    """What a worker needs to write a document's DTS files: the build's staging folder, where the files are published, their digest."""

    site: str
    base_url: str
    digest: str


def write_resource(name: str, tree: etree._ElementTree, source: bytes, document: PyXdmNode | etree._ElementTree, job: ResourceJob,
                   stylesheets: Stylesheets) -> Resource:
    """Write the static DTS files of the document `name` into the build's staging folder and return its Resource.

    `tree` is the document as the build read it, `source` its bytes (`etree.tostring(tree)`), `document`
    the same as an XDM node or lxml tree for export/dts.xsl. The files the previous build left for this
    document are removed first: they are hard links to the published site's, which must not change, and
    a passage may be gone.
    """
    resource, units = read_resource(name, document, stylesheets)
    resource.digest = job.digest
    urls = StaticUrls(api_root(job.base_url))
    folder = os.path.join(job.site, API_PATH)
    # Files of depths the document no longer has are left to `StaticDts.finish`, which keeps only the current ones. The
    # folder of its parts is emptied, not removed: made again, it would cost a new inode, the dearest of these system calls.
    parts = f"document/{name}"
    for path in _resource_paths(resource):
        _remove(os.path.join(folder, path), emptied=path == parts)
    units_file = os.path.join(job.site, UNITS_DIR, f"{name}.json")
    _remove(units_file)
    _write_new(units_file, units.to_json())
    _write_new(os.path.join(folder, f"{parts}.xml"), _XML_DECLARATION + source + b"\n")
    _write_new(os.path.join(folder, urls.file(urls.collection(name))), json_bytes({"@context": CONTEXT, **_resource_object(resource, urls)}))
    resource_json = _compact_text(_navigation_resource(resource, urls))
    unit_json = [_compact_text(_citable_unit(unit)) for unit in units.all]
    for down in _static_depths(resource):
        members = [unit_json[unit.position] for unit in units.all if down == -1 or unit.level <= down]
        url = urls.navigation(name, down=down)
        _write_new(os.path.join(folder, urls.file(url)), _navigation_body(url, resource_json, [], members))
    elements = _located(tree.getroot(), [unit.path for unit in units.all])
    for unit, element in zip(units.all, elements):
        _write_new(os.path.join(folder, urls.file(urls.document(name, ref=unit.identifier))), _wrapped([element]))
    if not units.all:
        _remove(os.path.join(folder, parts))  # the emptied folder of parts it no longer has
    return resource


def _write_new(path: str, data: bytes) -> None:
    """Write a file that does not exist yet, with as few system calls as a file allows: its folder is made only when
    the file cannot be made for want of it (the few folders every document writes into exist after the first)."""
    # O_EXCL: a file left in place would be a hard link to the published site's.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def _tree_depth(citation_trees: list[dict[str, Any]]) -> int:
    """How deep citation trees go (0 without citable units): the nesting of their cite structures."""
    depth, level = 0, [structure for tree in citation_trees for structure in tree.get("citeStructure", [])]
    while level:
        depth, level = depth + 1, [below for structure in level for below in structure.get("citeStructure", [])]
    return depth


def _static_depths(resource: Resource) -> list[int]:
    """The `down` of the resource's static navigation files: the bottom (-1) and each depth its tree has (at
    least 1, the table of contents a client asks for first), so that the template's `{;down}` expands, for
    every level the tree lists, to a file."""
    return [-1, *range(1, max(1, resource.depth) + 1)]


def _resource_paths(resource: Resource) -> list[str]:
    """The files and folders below `api/dts/` that hold the responses about one resource (POSIX paths relative to it:
    a build lists these for every document, which as `Path`s cost more than the rest of the API's bookkeeping)."""
    name = resource.id
    return [f"navigation/{name};down={down}.json" for down in _static_depths(resource)] + \
        [f"document/{name}.xml", f"document/{name}", f"collection/{name}.json", f"collection/{name};nav=parents.json"]


def _remove(path: str, *, emptied: bool = False) -> None:
    """Remove the file or link at `path`, or the folder with what it holds (`emptied`: only what it holds), if there
    is one: a single system call when there is none."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):  # what unlink says of a folder: EISDIR on Linux, EPERM elsewhere
        if not os.path.isdir(path):
            raise
        if emptied:
            with os.scandir(path) as entries:
                for entry in list(entries):
                    _remove(entry.path)
        else:
            shutil.rmtree(path)


class StaticDts:
    """The build's static DTS: which documents' files are current, and at the end the entry point and collections.

    Example, as `html.write_site` does it:
        dts = StaticDts(staging, config.base_url)
        job = dts.job("letter-1", facts_key)           # None: the files of the previous build are current
        dts.add(write_resource("letter-1", tree, source, node, job, stylesheets))   # in a worker
        dts.finish(["letter-1", ...], edition_tree, title="...")
    """

    def __init__(self, site: Path, base_url: str) -> None:
        self.site = site
        self.base_url = base_url
        self.urls = StaticUrls(api_root(base_url))
        self.previous: Model | None = None
        try:
            self.previous = Model.from_json((site / MODEL_FILE).read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            self.previous = None
        if self.previous is not None and (self.previous.static_root != self.urls.root or not (site / API_PATH).is_dir()):
            self.previous = None
        self.resources: dict[str, Resource] = {}
        self.rewritten: set[str] = set()

    def job(self, name: str, source_key: str) -> ResourceJob | None:
        """What a worker needs to write the document's files, or None when the previous build's are current
        (`source_key` names its TEI as the build read it, see `resource_digest`)."""
        digest = resource_digest(source_key, self.base_url)
        known = self.previous.resources.get(name) if self.previous else None
        if known is not None and known.digest == digest:
            self.resources[name] = Resource(**{**vars(known), "collection": ""})
            return None
        return ResourceJob(str(self.site), self.base_url, digest)

    def add(self, resource: Resource) -> None:
        """A resource whose files a worker has just written."""
        self.resources[resource.id] = resource
        self.rewritten.add(resource.id)

    def finish(self, names: Sequence[str], edition_tree: etree._ElementTree | None, *, title: str, description: str = "") -> None:
        """Write the entry point, the collections and `.teipress/dts.json` for the documents `names` (in reading
        order, each given by `job` or `add`), and remove the files of documents that are gone.

        Of the responses about a single resource, only the parents (`;nav=parents`) are written here, and only
        where the resource or its kind's collection changed; a collection's pages are made only when what they show
        may have changed (`_shows_as_before`: after one changed letter, most often none of the thousands of its kind),
        and rewritten when they changed.
        """
        model = build_model([self.resources[name] for name in names], edition_tree, title, description)
        model.static_root = self.urls.root
        folder = self.site / API_PATH
        api = DtsApi(self.site, model)
        kinds = {c: api._object(c, self.urls) for c in model.collections}
        old_kinds = {c: DtsApi(self.site, self.previous)._object(c, self.urls) for c in self.previous.collections} if self.previous else {}
        responses = [(self.urls.file(self.urls.entry()), json_bytes(api.entry(self.urls)))]
        keep = {"navigation", "document", "collection"}
        for identifier in [None, *model.collections]:
            if identifier is not None and identifier != ROOT_COLLECTION and self._shows_as_before(model, identifier, folder):
                keep.update(_collection_files(self.urls, model.collections[identifier]))
            else:
                responses.extend(_collection_pages(api, self.urls, identifier))
        for resource in model.resources.values():
            keep.update(_resource_paths(resource))
            old = self.previous.resources.get(resource.id) if self.previous else None
            if old is None or resource.id in self.rewritten or old.collection != resource.collection \
                    or old_kinds.get(resource.collection) != kinds[resource.collection]:
                responses.append((self.urls.file(self.urls.collection(resource.id, nav="parents")),
                                  json_bytes(api.collection({"id": resource.id, "nav": "parents"}, self.urls))))
        for path, data in responses:
            keep.add(path)
            write_if_changed(folder / path, data)
        if self.previous is None:
            _remove_others(folder, keep)
            _remove_others(self.site / UNITS_DIR, {f"{name}.json" for name in names})
        else:
            # The previous build left exactly the files its model names: those this one does not keep go. (Cheaper than
            # a look at every file: a scan of 20,000 letters' 140,000 took 0.2 s of a 3 s rebuild.)
            for path in sorted(_model_files(self.previous, self.urls) - keep):
                _remove(os.path.join(folder, path))
            for name in sorted(self.previous.resources.keys() - set(names)):
                _remove(os.path.join(self.site, UNITS_DIR, f"{name}.json"))
        write_atomic(self.site / MODEL_FILE, model.to_json())

    def _shows_as_before(self, model: Model, identifier: str, folder: Path) -> bool:
        """Whether the pages of a collection of documents of one kind, which the previous build wrote and are there,
        are what `model` makes of them: the collection and the root (its parent) as they were, and each member as
        the collection shows it (`_resource_object`: its title, metadata and citation trees, not its files' digest)."""
        previous = self.previous
        if previous is None or previous.collections.get(identifier) != model.collections[identifier] \
                or previous.collections.get(ROOT_COLLECTION) != model.collections.get(ROOT_COLLECTION):
            return False
        for member in model.collections[identifier].members:
            now, before = model.resources[member], previous.resources.get(member)
            if before is None or (now.title, now.metadata) != (before.title, before.metadata):
                return False
        return all((folder / path).is_file() for path in _collection_files(self.urls, model.collections[identifier]))


def _collection_files(urls: StaticUrls, collection: Collection, *, named: bool = True) -> list[str]:
    """The files `_collection_pages` writes of a collection: its members and its parents, each paged when long
    (not `named`: the root's, as the entry point's URL of collections names it, without its identifier)."""
    identifier = collection.id if named else None
    files = []
    for nav, total in ((None, len(collection.members)), ("parents", len(collection.parents))):
        files.append(urls.file(urls.collection(identifier, nav=nav)))
        if total > PAGE_SIZE:
            files += [urls.file(urls.collection(identifier, page=page, nav=nav)) for page in range(1, -(-total // PAGE_SIZE) + 1)]
    return files


def _model_files(model: Model, urls: StaticUrls) -> set[str]:
    """Every file below `api/dts/` that `StaticDts.finish` leaves for `model`: the entry point, each collection's
    pages (the root's also without its identifier) and each resource's files."""
    files = {urls.file(urls.entry())}
    if ROOT_COLLECTION in model.collections:
        files.update(_collection_files(urls, model.collections[ROOT_COLLECTION], named=False))
    for collection in model.collections.values():
        files.update(_collection_files(urls, collection))
    for resource in model.resources.values():
        files.update(_resource_paths(resource))
    return files


def _collection_pages(api: DtsApi, urls: StaticUrls, identifier: str | None) -> Iterator[tuple[str, bytes]]:
    """The responses about a collection (`None`: the root): its members, page by page, and its parents."""
    params = {"id": identifier} if identifier else {}
    for nav in (None, "parents"):
        first = api.collection({**params, **({"nav": nav} if nav else {})}, urls)
        yield urls.file(urls.collection(identifier, nav=nav)), json_bytes(first)
        if "view" in first:
            last = -(-first["totalChildren" if nav is None else "totalParents"] // PAGE_SIZE)
            for page in range(1, last + 1):
                response = api.collection({**params, "page": str(page), **({"nav": nav} if nav else {})}, urls)
                yield urls.file(urls.collection(identifier, page=page, nav=nav)), json_bytes(response)


def _remove_others(folder: Path, keep: set[str]) -> None:
    """Remove what lies in `folder` and in its subfolders named in `keep` but is not in `keep` itself (POSIX paths
    relative to `folder`): the files of documents removed since the previous build, the pages of collections that shrank.
    (Names compared folder by folder, and a folder told by its directory entry: a static DTS of 20,000 letters holds
    140,000 files, and its folder of units 20,000.)"""
    names: dict[str, set[str]] = {"": set()}
    for path in keep:
        below, _, name = path.rpartition("/")
        names.setdefault(below, set()).add(name)
    pending = [""]
    while pending:
        below = pending.pop()
        wanted = names.get(below, set())
        try:
            with os.scandir(os.path.join(folder, below)) as entries:
                found = list(entries)
        except FileNotFoundError:
            continue
        for entry in found:
            if entry.name not in wanted:
                _remove(entry.path)
            elif not below and entry.is_dir(follow_symlinks=False):
                pending.append(entry.name)


# --- ASGI ---------------------------------------------------------------------------------------------

Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]


class LiveApi:
    """A DtsApi that reads the site again when a build replaced it (serve --watch rebuilds while it serves)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._api: DtsApi | None = None
        self._stamp: tuple[int, int] | None = None

    def current(self) -> DtsApi:
        stat = os.stat(self.site / MODEL_FILE) if (self.site / MODEL_FILE).exists() else None
        stamp = (stat.st_ino, stat.st_mtime_ns) if stat else None
        if self._api is None or stamp != self._stamp:
            self._api, self._stamp = DtsApi(self.site), stamp
        return self._api


def make_app(site: Path) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """An ASGI application answering DTS 1.0 below /api/dts/ from the built site `site`.

    Example: `app = make_app(Path("output/html"))`, then `uvicorn mymodule:app`.
    """
    live = LiveApi(site)

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
        host = headers.get("host") or "{}:{}".format(*(scope.get("server") or ("localhost", 80)))
        root = f"{scope.get('scheme', 'http')}://{host}/{API_PATH}"
        if scope["method"] not in ("GET", "HEAD"):
            response = Response(405, "text/plain; charset=utf-8", b"DTS answers GET requests only\n", [("Allow", "GET, HEAD")])
        else:
            response = live.current().respond(scope["path"], scope.get("query_string", b"").decode("latin-1"), headers.get("accept"), root) \
                or Response(404, "text/plain; charset=utf-8", b"Not found\n")
        await send({"type": "http.response.start", "status": response.status,
                    "headers": [(b"content-type", response.media_type.encode()), (b"content-length", str(len(response.body)).encode()),
                                *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers)]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else response.body})

    return application


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI application for a production server: `uvicorn teipress.dts:app`, the site named by TEIPRESS_SITE (default output/html)."""
    global _app
    if _app is None:
        _app = make_app(Path(os.environ.get("TEIPRESS_SITE", "output/html")).resolve())
    await _app(scope, receive, send)


_app: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None
