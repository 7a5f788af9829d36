"""DTS 1.0 (Distributed Text Services): the edition's texts for other tools, static and live.

Every `teipress build --html` writes a Level 0 DTS into the site (`api/dts/`, see `write_dts`):
the entry point, the collections (the edition, its documents by kind), each document as a
Resource with its citation tree, the navigation responses, and the document and each citable unit
as TEI. The same responses come live, with `start`/`end` ranges, any `down`, pagination and media
type negotiation, from `teipress serve --api` or from the ASGI application `teipress.dts:app`
(`TEIPRESS_SITE` names the built site; default `output/html`), which read only the built site.

A document's citation tree is the tree of its passages (xslt/common/passages.xsl): a reference is
the passage's anchor in the site (`p3` is `documents/{id}.html#p3`), its citeType the TEI element
(div, p, opener, closer, head ...), its parent the nearest enclosing passage. `export/dts.xsl`
lists them; this module answers requests from that list and the document's TEI.

Static URL templates follow the specification's section on static sites (RFC 6570):
    collection  api/dts/collection{/id}{;nav,page}.json
    navigation  api/dts/navigation{/resource}{;tree,down}{/ref}.json
    document    api/dts/document{/resource}{/ref}.xml
Only what a static site can hold is written: the collections (paginated), for each Resource the
tree down to 1 and to the bottom (-1), for each citable unit the unit itself and its children
(down=1), and each citable unit as TEI.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, unquote

from lxml import etree

from . import __version__
from .errors import DtsRequestError, InputError
from .resources import XSLT_DIR
from .saxon import Stylesheets
from .xmlio import NS, TEI_NS, safe_parser

DTS_VERSION = "1.0"
CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_NS = "https://w3id.org/api/dts#"
EXPORT_NS = "https://teipress.org/ns/export"
DC_NS = "http://purl.org/dc/elements/1.1/"
TEI_MEDIA_TYPE = "application/tei+xml"
# What the Document endpoint answers in: TEI, also under the generic XML name.
DOCUMENT_MEDIA_TYPES = (TEI_MEDIA_TYPE, "application/xml")
JSON_MEDIA_TYPES = ("application/ld+json", "application/json")
API_PATH = "api/dts/"
MODEL_FILE = Path(".teipress") / "dts.json"
ROOT_COLLECTION = "edition"  # outputs.RESERVED_NAMES: no document is named so
PAGE_SIZE = 100
# Dublin Core terms whose values are words in the document's language (DTS: {lang, value}); the
# others (language, format, type, a URI) are codes.
_WORDED_TERMS = frozenset({"title", "creator", "contributor", "subject", "description", "publisher", "source", "coverage", "rights"})


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


@dataclass
class Resource:
    """A document of the edition, named as in every output (outputs.output_names)."""

    id: str
    title: str
    kind: str
    collection: str
    dublin_core: dict[str, list[Any]]
    units: list[Unit] = field(default_factory=list)
    digest: str = ""  # of the document's TEI and the code that read it: an unchanged resource keeps its files

    def __post_init__(self) -> None:
        self.by_ref = {unit.identifier: unit for unit in self.units}

    @cached_property
    def citation_trees(self) -> list[dict[str, Any]]:
        return _citation_trees(self)


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

    def to_json(self) -> str:
        return json.dumps({
            "static_root": self.static_root,
            "collections": [vars(c) for c in self.collections.values()],
            "resources": [{**{k: v for k, v in vars(r).items() if k not in ("units", "by_ref", "citation_trees")},
                           "units": [vars(u) for u in r.units]} for r in self.resources.values()],
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        collections = {c["id"]: Collection(**c) for c in data["collections"]}
        resources = {}
        for item in data["resources"]:
            units = [Unit(**{**u, "path": tuple(u["path"])}) for u in item.pop("units")]
            resources[item["id"]] = Resource(**item, units=units)
        return cls(collections, resources, data.get("static_root", ""))


def build_model(documents: Sequence[tuple[str, etree._ElementTree]], edition_tree: etree._ElementTree | None, title: str,
                description: str = "", stylesheets: Stylesheets | None = None, previous: Model | None = None) -> Model:
    """The collections and resources of `documents` (name, tree), passages by export/dts.xsl.

    A document whose digest is that of its resource in `previous` is not read again.
    """
    code = _code_key()
    digests = {name: _digest(code, etree.tostring(tree, encoding="utf-8")) for name, tree in documents}
    known = {name: previous.resources[name] for name, _tree in documents
             if previous is not None and name in previous.resources and previous.resources[name].digest == digests[name]}
    read = _read_resources([(name, tree) for name, tree in documents if name not in known], stylesheets)
    taken = {ROOT_COLLECTION, *(name for name, _tree in documents)}
    kinds: dict[str, Collection] = {}
    resources: dict[str, Resource] = {}
    for name, _tree in documents:
        resource = known.get(name) or read[name]
        resource.digest = digests[name]
        kind = resource.kind
        if kind not in kinds:
            kinds[kind] = Collection(id=_unique(f"{ROOT_COLLECTION}.{re.sub(r'[^A-Za-z0-9._-]+', '-', kind)}", taken), title=kind,
                                     members=[], parents=[ROOT_COLLECTION], description=f"The documents of the kind \u201c{kind}\u201d.")
        kinds[kind].members.append(name)
        resource.collection = kinds[kind].id
        resources[name] = resource
    title = title or _edition_title(edition_tree) or "Edition"
    root = Collection(id=ROOT_COLLECTION, title=title, members=[c.id for c in kinds.values()], parents=[], description=description,
                      dublin_core=_edition_dublin_core(edition_tree, title))
    return Model({root.id: root, **{c.id: c for c in kinds.values()}}, resources)


def _read_resources(documents: Sequence[tuple[str, etree._ElementTree]], stylesheets: Stylesheets | None) -> dict[str, Resource]:
    """Title, kind, Dublin Core and passages of each document, in one run of export/dts.xsl."""
    if not documents:
        return {}
    collection = etree.Element(f"{{{EXPORT_NS}}}collection", nsmap={"tpe": EXPORT_NS})
    for name, tree in documents:
        etree.SubElement(collection, f"{{{EXPORT_NS}}}document", id=name).append(deepcopy(tree.getroot()))
    listing = etree.fromstring((stylesheets or Stylesheets()).transform("export/dts.xsl", collection, base_url="").encode("utf-8"),
                               etree.XMLParser(huge_tree=True))
    return {item.get("id"): Resource(id=item.get("id"), title=item.get("title") or item.get("id"), kind=item.get("kind"), collection="",
                                     dublin_core=_dublin_core(item.find("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")), units=_units(item))
            for item in listing}


def _code_key() -> str:
    """The stylesheets and this module, which decide what a document's DTS files hold."""
    parts = [__version__.encode(), Path(__file__).read_bytes()]
    for path in sorted([*(XSLT_DIR / "common").rglob("*.xsl"), *(XSLT_DIR / "export").glob("*.xsl")]):
        parts.append(path.read_bytes())
    return _digest(*parts)


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


def _edition_title(edition_tree: etree._ElementTree | None) -> str:
    title = edition_tree.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS) if edition_tree is not None else None
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


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
                "navigation": f"{self.root}navigation{{/resource}}{{;tree,down}}{{/ref}}.json",
                "document": f"{self.root}document{{/resource}}{{/ref}}.xml"}

    def collection_template(self, collection: str) -> str:
        return f"{self.root}collection/{_q(collection)}{{;nav,page}}.json"

    def resource_templates(self, resource: str) -> dict[str, str]:
        return {"collection": f"{self.root}collection/{_q(resource)}{{;nav}}.json",
                "navigation": f"{self.root}navigation/{_q(resource)}{{;tree,down}}{{/ref}}.json",
                "document": f"{self.root}document/{_q(resource)}{{/ref}}.xml"}

    def collection(self, id: str | None, *, page: int | None = None, nav: str | None = None) -> str:
        parameters = "".join(f";{key}={value}" for key, value in (("nav", nav), ("page", page)) if value is not None)
        return f"{self.root}collection{'/' + _q(id) if id else ''}{parameters}.json"

    def navigation(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None,
                   down: int | None = None) -> str:
        if start is not None or end is not None:
            raise DtsRequestError(400, "a static DTS (Level 0) answers no start/end ranges; use the live API (teipress serve --api)")
        return f"{self.root}navigation/{_q(resource)}{f';down={down}' if down is not None else ''}{'/' + _q(ref) if ref else ''}.json"

    def document(self, resource: str, *, ref: str | None = None, start: str | None = None, end: str | None = None) -> str:
        if start is not None or end is not None:
            raise DtsRequestError(400, "a static DTS (Level 0) answers no start/end ranges; use the live API (teipress serve --api)")
        return f"{self.root}document/{_q(resource)}{'/' + _q(ref) if ref else ''}.xml"

    def file(self, url: str) -> Path:
        """Where the response to `url` lies below the site's `api/dts/`."""
        return Path(unquote(url[len(self.root):]))


# --- the API: one response for each request ----------------------------------------------------------


@dataclass
class Response:
    status: int
    media_type: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


class DtsApi:
    """Answers DTS 1.0 requests from a built site (its `.teipress/dts.json` and `api/dts/document/*.xml`)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        model_file = site / MODEL_FILE
        try:
            self.model = Model.from_json(model_file.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise InputError(f"{site} holds no DTS data ({MODEL_FILE}); run `teipress build --html` first") from error
        self._trees: dict[str, etree._ElementTree] = {}

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

    def navigation(self, params: Mapping[str, str], urls: Urls) -> dict[str, Any]:
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
        url = urls.navigation(resource.id, ref=ref, start=start, end=end, down=down)
        response: dict[str, Any] = {"@context": CONTEXT, "dtsVersion": DTS_VERSION, "@type": "Navigation", "@id": url,
                                    "resource": self._navigation_resource(resource, urls)}
        if ref is not None:
            unit = self._unit(resource, ref)
            response["ref"] = _citable_unit(unit)
            if down is not None:
                response["member"] = [_citable_unit(u) for u in _below(resource, unit, down)]
        elif start is not None and end is not None:
            first, last = self._unit(resource, start), self._unit(resource, end)
            if first.position > last.position:
                raise DtsRequestError(400, f"start {start!r} comes after end {end!r} in the document")
            response["start"], response["end"] = _citable_unit(first), _citable_unit(last)
            if down is not None:
                deepest = max(first.level, last.level)
                span = _span(resource, first, last)
                response["member"] = [_citable_unit(u) for u in span if down == -1 or u.level <= deepest + down]
        else:
            response["member"] = [_citable_unit(u) for u in resource.units if down == -1 or u.level <= down]
        return response

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
        if ref is not None:
            units = [self._unit(resource, ref)]
        else:
            first, last = self._unit(resource, start), self._unit(resource, end)  # type: ignore[arg-type]
            if first.position > last.position:
                raise DtsRequestError(400, f"start {start!r} comes after end {end!r} in the document")
            span = _span(resource, first, last)
            inside = {u.identifier for u in span}
            units = [u for u in span if u.parent not in inside]
        return _wrapped([_element(tree, unit.path) for unit in units])

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
            answer = {"entry": lambda: self.entry(urls), "collection": lambda: self.collection(params, urls),
                      "navigation": lambda: self.navigation(params, urls)}[endpoint]()
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

    def _unit(self, resource: Resource, ref: str) -> Unit:
        unit = resource.by_ref.get(ref)
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
            return self._resource_object(self.model.resources[identifier], urls)
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

    def _resource_object(self, resource: Resource, urls: Urls) -> dict[str, Any]:
        item: dict[str, Any] = {"@id": resource.id, "@type": "Resource", "dtsVersion": DTS_VERSION, "title": resource.title,
                                "totalParents": 1, "totalChildren": 0}
        if resource.dublin_core:
            item["dublinCore"] = resource.dublin_core
        item.update(urls.resource_templates(resource.id))
        item["download"] = urls.document(resource.id)
        item["citationTrees"] = resource.citation_trees
        item["mediaTypes"] = list(DOCUMENT_MEDIA_TYPES)
        return item

    def _navigation_resource(self, resource: Resource, urls: Urls) -> dict[str, Any]:
        """The Resource as a Navigation response names it: what the specification requires, so that each
        of the many static navigation files stays small (its metadata is in the collection response)."""
        return {"@id": resource.id, "@type": "Resource", **urls.resource_templates(resource.id), "citationTrees": resource.citation_trees}

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


def _citable_unit(unit: Unit) -> dict[str, Any]:
    item: dict[str, Any] = {"identifier": unit.identifier, "@type": "CitableUnit", "level": unit.level, "parent": unit.parent,
                            "citeType": unit.cite_type}
    if unit.title:
        item["dublinCore"] = {"title": [unit.title]}
    return item


def _below(resource: Resource, unit: Unit, down: int) -> list[Unit]:
    """The unit and its descendants `down` levels deep (-1: all), or with 0 the unit and its siblings."""
    if down == 0:
        return [u for u in resource.units if u.parent == unit.parent]
    subtree = resource.units[unit.position: unit.end + 1]
    return [u for u in subtree if down == -1 or u.level <= unit.level + down]


def _span(resource: Resource, first: Unit, last: Unit) -> list[Unit]:
    """The units from `first` to the end of `last`, in document order, without the ones that enclose either."""
    return [u for u in resource.units[first.position: last.end + 1] if not u.position < first.position <= u.end and not u.position < last.position <= u.end]


def _citation_trees(resource: Resource) -> list[dict[str, Any]]:
    """One tree: for each level, the types met there, each with the types met below it."""
    if not resource.units:
        return []
    children: dict[str | None, list[Unit]] = {}
    for unit in resource.units:
        children.setdefault(unit.parent, []).append(unit)

    def structure(units: list[Unit]) -> list[dict[str, Any]]:
        by_type: dict[str, list[Unit]] = {}
        for unit in units:
            by_type.setdefault(unit.cite_type, []).append(unit)
        result = []
        for cite_type, group in by_type.items():
            below = [child for unit in group for child in children.get(unit.identifier, [])]
            entry: dict[str, Any] = {"@type": "CiteStructure", "citeType": cite_type}
            if below:
                entry["citeStructure"] = structure(below)
            result.append(entry)
        return result

    return [{"@type": "CitationTree", "citeStructure": structure(children[None])}]


def _element(tree: etree._ElementTree, path: tuple[int, ...]) -> etree._Element:
    element = tree.getroot()
    for step in path:
        element = [child for child in element if isinstance(child.tag, str)][step - 1]
    return element


def _wrapped(elements: Iterable[etree._Element]) -> bytes:
    """A TEI document whose dts:wrapper holds copies of `elements` (DTS: a part of a document)."""
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS, "dts": DTS_NS})
    wrapper = etree.SubElement(tei, f"{{{DTS_NS}}}wrapper")
    for element in elements:
        copy = deepcopy(element)
        copy.tail = None
        wrapper.append(copy)
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8") + b"\n"


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


# --- the static Level 0 DTS in the site ---------------------------------------------------------------


def api_root(base_url: str) -> str:
    """Where `api/dts/` is published: below the edition's public address, else below the site's root."""
    return f"{base_url.rstrip('/')}/{API_PATH}" if base_url else f"/{API_PATH}"


def write_dts(site: Path, documents: Sequence[tuple[str, etree._ElementTree]], edition_tree: etree._ElementTree | None,
              *, title: str, description: str = "", base_url: str = "", stylesheets: Stylesheets | None = None) -> int:
    """Write the static DTS of `documents` (name, tree) into `site/api/dts/` and its data into `site/.teipress/`; returns the files written.

    `site` is a build's staging folder, a hard-linked copy of the previous site: no file is written
    in place (each is removed first, which leaves the previous site's copy alone). The files of a
    document that did not change since the previous build (same TEI, same code) are kept.
    """
    urls = StaticUrls(api_root(base_url))
    folder = site / API_PATH
    previous: Model | None = None
    try:
        previous = Model.from_json((site / MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        previous = None
    if previous is not None and (previous.static_root != urls.root or not folder.is_dir()):
        previous = None
    model = build_model(documents, edition_tree, title, description, stylesheets, previous)
    model.static_root = urls.root
    unchanged = {name for name, resource in model.resources.items()
                 if previous is not None and name in previous.resources and previous.resources[name].digest == resource.digest}
    if previous is None:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        for name in set(previous.resources) - unchanged:
            for path in _resource_paths(folder, name):
                _remove(path)
        for path in [folder / "index.json", folder / "collection.json", folder / "collection;nav=parents.json", folder / "collection"]:
            _remove(path)
    _remove(site / MODEL_FILE)
    _write(site / MODEL_FILE, model.to_json().encode("utf-8"))
    changed = [(name, tree) for name, tree in documents if name not in unchanged]
    for name, tree in changed:
        _write(folder / "document" / f"{name}.xml", etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n")
    api = DtsApi(site)
    written = len(changed)
    for path, data in static_responses(api, urls, resources=[name for name, _tree in changed]):
        _write(folder / path, data)
        written += 1
    return written


def _resource_paths(folder: Path, name: str) -> list[Path]:
    """The files and folders that hold one resource's navigation and document responses."""
    return [folder / "navigation" / f"{name}{suffix}" for suffix in (";down=1.json", ";down=-1.json", "", ";down=1")] + \
        [folder / "document" / f"{name}.xml", folder / "document" / name]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def static_responses(api: DtsApi, urls: StaticUrls, resources: Iterable[str] | None = None) -> Iterable[tuple[Path, bytes]]:
    """Every response a Level 0 static DTS holds, with its file below `api/dts/`: the entry point and
    collections, and the navigation and passages of `resources` (default: all)."""
    yield urls.file(urls.entry()), json_bytes(api.entry(urls))
    for collection in [None, *api.model.collections, *api.model.resources]:
        params = {"id": collection} if collection else {}
        for nav in ("children", "parents"):
            if nav == "children" and collection in api.model.resources:
                yield urls.file(urls.collection(collection)), json_bytes(api.collection(params, urls))
                continue
            nav_param = None if nav == "children" else nav
            first = api.collection({**params, **({"nav": nav} if nav_param else {})}, urls)
            yield urls.file(urls.collection(collection, nav=nav_param)), json_bytes(first)
            if "view" in first:
                last = int(re.search(r"page=(\d+)", first["view"]["last"]).group(1))  # type: ignore[union-attr]
                for page in range(1, last + 1):
                    response = api.collection({**params, "page": str(page), **({"nav": nav} if nav_param else {})}, urls)
                    yield urls.file(urls.collection(collection, page=page, nav=nav_param)), json_bytes(response)
    for name in api.model.resources if resources is None else resources:
        resource = api.model.resources[name]
        for down in (1, -1):
            yield urls.file(urls.navigation(resource.id, down=down)), json_bytes(api.navigation({"resource": resource.id, "down": str(down)}, urls))
        for unit in resource.units:
            for down in (None, 1):
                params = {"resource": resource.id, "ref": unit.identifier, **({"down": str(down)} if down is not None else {})}
                yield urls.file(urls.navigation(resource.id, ref=unit.identifier, down=down)), json_bytes(api.navigation(params, urls))
            yield urls.file(urls.document(resource.id, ref=unit.identifier)), api.document({"resource": resource.id, "ref": unit.identifier})


def _write(path: Path, data: bytes) -> None:
    """A new file: one left by the previous build is a hard link to the published site's, which must not change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(data)


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
