"""DTS 1.0, tested against the specification (distributed-text-services/specifications, versions/v1.0).

The requirements tested, as the specification states them:
- Entry: `@context`, `@id`, `@type` "EntryPoint", `dtsVersion` "1.0", and the URI templates `collection`,
  `navigation`, `document` (RFC 6570); Content-Type application/ld+json.
- Collection / Resource: `@id`, `@type`, `dtsVersion`, `title` (string), `totalParents` (int), `totalChildren`
  (int, for a Collection), `collection` template; a Resource also `navigation`, `document`, `citationTrees`
  (array of CitationTree: `@type` "CitationTree", `citeStructure` of CiteStructure with a `citeType`);
  `mediaTypes` values the Document endpoint accepts; `nav=parents` lists the parents; a paginated response has
  `view` (Pagination: `@id`, `@type`, `first`, `previous`, `next`, `last`).
- Navigation: `@id`, `@type` "Navigation", `dtsVersion`, `resource` (with `collection`, `navigation`, `document`,
  `citationTrees`); CitableUnit: `identifier`, `@type`, `level`, `parent` (null at the top); the table of
  `down`/`ref`/`start`/`end`: no member without `down`, `down=0` the siblings, `down>0` the tree to that depth
  (the ref itself first), `-1` to the bottom; members in document order (pre-order, depth first); 400 without
  `resource`, for `ref` with `start`/`end`, for `start` without `end`, without `ref`, `start` and `down`, for
  `down=0` without `ref`; 404 for an unknown `ref`/`start`/`end` or `tree`.
- Document: TEI (`application/tei+xml`), root `TEI` in the TEI namespace, a part inside `dts:wrapper`; `Link`
  header rel="collection"; 400 without `resource`, 404 for an unknown `ref`, `tree` or `mediaType`.
- Level 0: a static implementation needs no `start`/`end`; its URI templates as the section "URI Templates
  examples for static website" shows (path segments, `;name=value`).
Ours besides: the citable units are the site's passages (same anchors), nothing of a document's text is lost
in its passages, the static files equal the live answers, and text from a source reaches JSON as text.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest
from lxml import etree

from conftest import REPO
from teipress.build import build_edition
from teipress.config import load_config
from teipress.errors import OutputError
from teipress.dts import CONTEXT, DTS_NS, MODEL_FILE, PAGE_SIZE, DtsApi, Model, StaticUrls, json_bytes, make_app
from teipress.serve import serving

uritemplate = pytest.importorskip("uritemplate", reason="uritemplate (the test extra) expands the RFC 6570 templates")

TEI = "{http://www.tei-c.org/ns/1.0}"
HOST = "dts.test"
LIVE_ROOT = f"http://{HOST}/api/dts/"


# --- fixtures: the seed edition and 200 Escher letters, built -------------------------------------------


def build_site(root: Path) -> Path:
    config = load_config(root, source=root / "tei", output=root / "out")
    build_edition(config, formats={"html"}, validate=False, jobs=1)
    return root / "out" / "html"


# Session-scoped: the parametrised `site` fixture must not make pytest build them again for each group of tests.
@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed")
    shutil.copytree(REPO / "tei", root / "tei")
    return build_site(root)


@pytest.fixture(scope="session")
def escher_site(tmp_path_factory: pytest.TempPathFactory, escher_letters: Path) -> Path:
    root = tmp_path_factory.mktemp("escher")
    shutil.copytree(escher_letters, root / "tei")
    return build_site(root)


@pytest.fixture(scope="module", params=["seed", pytest.param("escher", marks=pytest.mark.slow)])
def site(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_site")


# --- clients: the ASGI app (live) and the static files ---------------------------------------------------


class Live:
    def __init__(self, site: Path) -> None:
        self.app = make_app(site)
        self.templates: dict[str, str] = {}

    def get(self, url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
        path, _, query = url.removeprefix(f"http://{HOST}").partition("?")
        scope = {"type": "http", "method": "GET", "scheme": "http", "path": path, "query_string": query.encode(),
                 "headers": [(b"host", HOST.encode())] + ([(b"accept", accept.encode())] if accept else [])}
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        # In a thread of its own: a test before this one may have left an event loop running in this thread (Playwright).
        with ThreadPoolExecutor(max_workers=1) as runner:
            runner.submit(asyncio.run, self.app(scope, receive, send)).result()
        headers = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
        return sent[0]["status"], headers, sent[1]["body"]

    def json(self, url: str) -> dict[str, Any]:
        status, headers, body = self.get(url)
        assert status == 200, body
        assert headers["content-type"] == "application/ld+json"
        return json.loads(body)

    def endpoint(self, name: str, **params: object) -> str:
        """The URL of a request, made from the entry point's template."""
        if not self.templates:
            self.templates = self.json(LIVE_ROOT)
        template = self.templates[name]
        return uritemplate.expand(template, {k: str(v) for k, v in params.items()})


@pytest.fixture(scope="module")
def live(site: Path) -> Live:
    return Live(site)


def static_json(site: Path, url: str) -> dict[str, Any]:
    return json.loads(static_file(site, url).read_bytes())


def static_file(site: Path, url: str) -> Path:
    """The file a static URL (root-relative: base_url is not set) names in the site."""
    assert url.startswith("/api/dts/"), url
    return site / unquote(url.lstrip("/"))


def static_entry(site: Path) -> dict[str, Any]:
    return json.loads((site / "api" / "dts" / "index.json").read_bytes())


def resources(live: Live) -> list[dict[str, Any]]:
    """Every Resource, through the collections (all pages)."""
    found = []
    root = live.json(live.endpoint("collection"))
    for kind in root["member"]:
        page = 1
        while True:
            response = live.json(live.endpoint("collection", id=kind["@id"], page=page))
            found += response["member"]
            if "view" not in response or response["view"]["last"] == response["view"]["@id"]:
                break
            page += 1
    return found


def document_ids(site: Path) -> list[str]:
    return sorted(path.stem for path in (site / "documents").glob("*.html"))


# --- the entry point ---------------------------------------------------------------------------------------


def test_entry_point_has_the_required_fields_and_templates(site: Path, live: Live) -> None:
    entry = live.json(LIVE_ROOT)
    assert entry == {"@context": CONTEXT, "dtsVersion": "1.0", "@id": LIVE_ROOT, "@type": "EntryPoint",
                     "collection": f"{LIVE_ROOT}collection{{?id,page,nav}}",
                     "navigation": f"{LIVE_ROOT}navigation{{?resource,ref,start,end,down,tree,page}}",
                     "document": f"{LIVE_ROOT}document{{?resource,ref,start,end,tree,mediaType}}"}
    static = static_entry(site)
    assert static == {"@context": CONTEXT, "dtsVersion": "1.0", "@id": "/api/dts/index.json", "@type": "EntryPoint",
                      "collection": "/api/dts/collection{/id}{;nav,page}.json",
                      "navigation": "/api/dts/navigation{/resource}{;tree,down}.json",
                      "document": "/api/dts/document{/resource}{/ref}.xml"}
    # The templates are RFC 6570: parsed by a library, with the variables the specification names.
    assert uritemplate.URITemplate(entry["navigation"]).variable_names == {"resource", "ref", "start", "end", "down", "tree", "page"}
    # The static navigation is about whole documents: a unit's own response is read from the tree (down=-1).
    assert uritemplate.URITemplate(static["navigation"]).variable_names == {"resource", "tree", "down"}


def test_static_templates_expand_as_the_specification_shows(site: Path) -> None:
    static = static_entry(site)
    assert uritemplate.expand(static["collection"], {}) == "/api/dts/collection.json"
    assert uritemplate.expand(static["collection"], id="edition", nav="parents") == "/api/dts/collection/edition;nav=parents.json"
    assert uritemplate.expand(static["navigation"], resource="doc", down="-1") == "/api/dts/navigation/doc;down=-1.json"
    assert uritemplate.expand(static["document"], resource="doc", ref="p5") == "/api/dts/document/doc/p5.xml"


class StaticWalk:
    """A client of the static files alone: from the entry point, every link a response gives and every URI template
    it advertises, expanded for every value the static files list (the collections' and resources' identifiers, a
    paginated response's pages, each resource's citable units and the depths of its tree, the parents as `nav`),
    fetched from the built folder. `tree` is never given (each resource has only its default tree), nor `nav=children`
    (the default: the URL without `nav`), nor `down` without a value (the specification refuses it)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.fetched: dict[str, Path] = {}
        self.data: dict[str, Any] = {}  # each JSON response, by URL
        self.links: set[str] = set()
        # (endpoint, template, the identifier of the Collection or Resource that advertises it; None: the entry point)
        self.templates: set[tuple[str, str, str | None]] = set()
        self.ids: set[str] = set()
        self.resources: set[str] = set()
        self.levels: dict[str, dict[str, int]] = {}  # resource -> citable unit -> level

    def run(self) -> set[Path]:
        """Fetch until nothing new is named; the files reached."""
        pending = {"/api/dts/index.json"}
        while pending:
            for url in sorted(pending):
                self.fetch(url)
            named = self.links | {url for template in sorted(self.templates) for url in self.expansions(*template)}
            pending = named - set(self.fetched)
        return set(self.fetched.values())

    def fetch(self, url: str) -> None:
        path = static_file(self.site, url)
        assert path.is_file(), f"{url} is named by the static API, but no file answers it"
        self.fetched[url] = path
        if path.suffix == ".xml":
            assert etree.fromstring(path.read_bytes()).tag == f"{TEI}TEI", url
        else:
            self.data[url] = json.loads(path.read_bytes())
            self.note(self.data[url])

    def note(self, data: Any) -> None:
        if isinstance(data, list):
            for item in data:
                self.note(item)
            return
        if not isinstance(data, dict):
            return
        kind = data.get("@type")
        bound = data["@id"] if kind in ("Collection", "Resource") else None
        if bound is not None:
            self.ids.add(bound)
            if kind == "Resource":
                self.resources.add(bound)
        if kind in ("EntryPoint", "Navigation"):
            self.links.add(data["@id"])
        if kind == "Navigation":
            self.levels.setdefault(data["resource"]["@id"], {}).update((u["identifier"], u["level"]) for u in data.get("member", []))
        for endpoint in ("collection", "navigation", "document"):
            if isinstance(data.get(endpoint), str):
                self.templates.add((endpoint, data[endpoint], bound))
        if "download" in data:
            self.links.add(data["download"])
        self.links.update(url for name, url in data.get("view", {}).items() if name != "@type")
        for value in data.values():
            self.note(value)

    def expansions(self, endpoint: str, template: str, bound: str | None) -> set[str]:
        variables = uritemplate.URITemplate(template).variable_names
        urls = set()

        def expand(**values: str | None) -> str:
            return uritemplate.expand(template, {k: v for k, v in values.items() if v is not None and k in variables})

        if endpoint == "collection":
            assert variables <= {"id", "nav", "page"}, template
            for identifier in ([None, *sorted(self.ids)] if "id" in variables else [bound]):
                for nav in ([None, "parents"] if "nav" in variables else [None]):
                    first = expand(id=identifier, nav=nav)
                    urls.add(first)
                    if "view" in self.data.get(first, {}):
                        assert "page" in variables, template
                        total = self.data[first]["totalChildren" if nav is None else "totalParents"]
                        urls.update(expand(id=identifier, nav=nav, page=str(page)) for page in range(1, -(-total // PAGE_SIZE) + 1))
            return urls
        assert variables <= {"resource", "tree", "down", "ref"}, template
        for resource in (sorted(self.resources) if "resource" in variables else [bound]):
            assert resource is not None, template
            levels = self.levels.get(resource, {})
            if endpoint == "navigation":
                assert "down" in variables, template
                downs = ["-1", *map(str, range(1, max([1, *levels.values()]) + 1))]
                refs = [None, *levels] if "ref" in variables else [None]
                urls.update(expand(resource=resource, down=down, ref=ref) for down in downs for ref in refs)
            else:
                urls.update(expand(resource=resource, ref=ref) for ref in [None, *(levels if "ref" in variables else [])])
        return urls


def assert_static_api_is_closed(site: Path) -> None:
    """Every link and template expansion of the static API is a file, and every file of it is named by one."""
    reached = StaticWalk(site).run()
    files = {path for path in (site / "api" / "dts").rglob("*") if path.is_file()}
    assert sorted(str(path.relative_to(site)) for path in files - reached) == [], "files of the static API that no link or template names"
    assert reached == files


def test_every_link_and_template_of_the_static_api_names_a_file(site: Path) -> None:
    assert_static_api_is_closed(site)


# --- collections ---------------------------------------------------------------------------------------


def assert_collection_object(item: dict[str, Any]) -> None:
    assert item["@type"] in ("Collection", "Resource")
    assert isinstance(item["@id"], str) and item["@id"]
    assert isinstance(item["title"], str) and item["title"]
    assert item["dtsVersion"] == "1.0"
    assert isinstance(item["totalParents"], int) and isinstance(item["totalChildren"], int)
    assert isinstance(item["collection"], str)
    if item["@type"] == "Resource":
        for template in ("navigation", "document"):
            assert isinstance(item[template], str)
        assert isinstance(item["citationTrees"], list)
        for tree in item["citationTrees"]:
            assert tree["@type"] == "CitationTree" and "identifier" not in tree  # the single, default tree
            assert_cite_structure(tree["citeStructure"])
        assert item["mediaTypes"] == ["application/tei+xml", "application/xml"]
    for values in item.get("dublinCore", {}).values():
        assert isinstance(values, list)
        for value in values:
            assert isinstance(value, str) or (set(value) == {"lang", "value"} and isinstance(value["value"], str))


def assert_cite_structure(structures: list[dict[str, Any]]) -> None:
    assert structures
    for structure in structures:
        assert isinstance(structure["citeType"], str)
        assert set(structure) <= {"citeType", "citeStructure"}  # what the specification's CiteStructure holds, no more
        if "citeStructure" in structure:
            assert_cite_structure(structure["citeStructure"])


def test_collections_list_every_document_once_by_kind(site: Path, live: Live) -> None:
    root = live.json(live.endpoint("collection"))
    assert root["@context"] == CONTEXT and root["@type"] == "Collection" and root["totalParents"] == 0
    assert root["totalChildren"] == len(root["member"]) > 0
    assert_collection_object(root)
    found = resources(live)
    for item in [*root["member"], *found]:
        assert_collection_object(item)
    assert sorted(item["@id"] for item in found) == document_ids(site)
    assert sum(kind["totalChildren"] for kind in root["member"]) == len(found)
    # Each resource's parent is its kind; the kind's parent the edition.
    resource = found[0]
    parents = live.json(live.endpoint("collection", id=resource["@id"], nav="parents"))
    assert parents["@id"] == resource["@id"] and parents["totalParents"] == 1
    assert [p["@id"] for p in parents["member"]] == [kind["@id"] for kind in root["member"]
                                                     if resource["@id"] in [m["@id"] for m in resources_of(live, kind["@id"])]]
    kind_parents = live.json(live.endpoint("collection", id=root["member"][0]["@id"], nav="parents"))
    assert [p["@id"] for p in kind_parents["member"]] == [root["@id"]]


def resources_of(live: Live, collection: str) -> list[dict[str, Any]]:
    response = live.json(live.endpoint("collection", id=collection))
    pages = [response]
    while "view" in pages[-1] and "next" in pages[-1]["view"]:
        pages.append(live.json(pages[-1]["view"]["next"]))
    return [member for page in pages for member in page["member"]]


@pytest.mark.slow
def test_a_long_collection_is_paginated(escher_site: Path) -> None:
    live = Live(escher_site)
    root = live.json(live.endpoint("collection"))
    letters = max(root["member"], key=lambda kind: kind["totalChildren"])
    assert letters["totalChildren"] > PAGE_SIZE
    first = live.json(live.endpoint("collection", id=letters["@id"]))
    last_page = -(-letters["totalChildren"] // PAGE_SIZE)
    assert first["view"] == {"@id": live.endpoint("collection", id=letters["@id"], page=1), "@type": "Pagination",
                             "first": live.endpoint("collection", id=letters["@id"], page=1),
                             "next": live.endpoint("collection", id=letters["@id"], page=2),
                             "last": live.endpoint("collection", id=letters["@id"], page=last_page)}
    assert len(first["member"]) == PAGE_SIZE and first["totalChildren"] == letters["totalChildren"]
    second = live.json(first["view"]["next"])
    assert second["view"]["previous"] == first["view"]["@id"]
    members = [m["@id"] for m in resources_of(live, letters["@id"])]
    assert len(members) == len(set(members)) == letters["totalChildren"]
    assert live.get(live.endpoint("collection", id=letters["@id"], page=last_page + 1))[0] == 404
    # The static site holds the same pages.
    static = static_entry(escher_site)
    for page in range(1, last_page + 1):
        url = uritemplate.expand(static["collection"], id=letters["@id"], page=str(page))
        assert [m["@id"] for m in static_json(escher_site, url)["member"]] == members[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]


# --- navigation ----------------------------------------------------------------------------------------


def assert_citable_unit(unit: dict[str, Any]) -> None:
    assert unit["@type"] == "CitableUnit"
    assert isinstance(unit["identifier"], str) and unit["identifier"]
    assert isinstance(unit["level"], int) and unit["level"] >= 1
    assert unit["parent"] is None or isinstance(unit["parent"], str)
    assert (unit["parent"] is None) == (unit["level"] == 1)


def all_units(live: Live, resource: str) -> list[dict[str, Any]]:
    return live.json(live.endpoint("navigation", resource=resource, down=-1))["member"]


def test_navigation_responses_have_the_required_fields(site: Path, live: Live) -> None:
    for resource in document_ids(site)[:20]:
        response = live.json(live.endpoint("navigation", resource=resource, down=1))
        assert response["@type"] == "Navigation" and response["dtsVersion"] == "1.0" and response["@context"] == CONTEXT
        assert response["@id"] == live.endpoint("navigation", resource=resource, down=1)
        assert set(response["resource"]) == {"@id", "@type", "collection", "navigation", "document", "citationTrees"}
        assert response["resource"]["@id"] == resource and response["resource"]["@type"] == "Resource"
        collection = live.json(live.endpoint("collection", id=resource))
        assert response["resource"]["citationTrees"] == collection["citationTrees"]
        for tree in response["resource"]["citationTrees"]:
            assert tree["@type"] == "CitationTree"
            assert_cite_structure(tree["citeStructure"])
        assert "ref" not in response and "start" not in response
        assert response["member"] and all(unit["level"] == 1 and unit["parent"] is None for unit in response["member"])
        for unit in all_units(live, resource):
            assert_citable_unit(unit)


def test_the_citable_units_are_the_sites_passages(site: Path, live: Live) -> None:
    """Same anchors: every reference is an id of the document's page (notes are set apart there, so not in the same order)."""
    for resource in document_ids(site)[:20]:
        units = all_units(live, resource)
        page = lxml.html.parse(str(site / "documents" / f"{resource}.html")).getroot()
        ids = page.xpath("//@id")
        identifiers = [unit["identifier"] for unit in units]
        assert len(identifiers) == len(set(identifiers))
        assert set(identifiers) <= set(ids), sorted(set(identifiers) - set(ids))


def test_members_follow_the_table_of_down_ref_start_end(live: Live, site: Path) -> None:
    resource = max(document_ids(site)[:20], key=lambda r: len({u["level"] for u in all_units(live, r)}))
    units = all_units(live, resource)
    by_id = {unit["identifier"]: unit for unit in units}

    def ancestors(unit: dict[str, Any]) -> list[str]:
        chain = []
        while unit["parent"] is not None:
            chain.append(unit["parent"])
            unit = by_id[unit["parent"]]
        return chain

    parent = next(u for u in units if any(v["parent"] == u["identifier"] for v in units))
    children = [u for u in units if u["parent"] == parent["identifier"]]
    # Pre-order, depth first: each unit after its parent, and a parent's subtree before its next sibling.
    for index, unit in enumerate(units):
        if unit["parent"] is not None:
            assert units.index(by_id[unit["parent"]]) < index
    # ref alone: the unit, no member.
    only = live.json(live.endpoint("navigation", resource=resource, ref=parent["identifier"]))
    assert only["ref"] == parent and "member" not in only
    # ref and down=1: the unit and its children.
    below = live.json(live.endpoint("navigation", resource=resource, ref=parent["identifier"], down=1))
    assert below["member"] == [parent, *children]
    # down=-1 with a ref: its whole subtree.
    subtree = live.json(live.endpoint("navigation", resource=resource, ref=parent["identifier"], down=-1))["member"]
    assert subtree == [parent] + [u for u in units if parent["identifier"] in ancestors(u)]
    # down=0: the siblings, the unit among them.
    siblings = live.json(live.endpoint("navigation", resource=resource, ref=children[0]["identifier"], down=0))["member"]
    assert siblings == children
    # down=n without ref: the tree to depth n.
    assert live.json(live.endpoint("navigation", resource=resource, down=2))["member"] == [u for u in units if u["level"] <= 2]
    # A leaf with down=1: only itself.
    leaf = next(u for u in units if not any(v["parent"] == u["identifier"] for v in units))
    assert live.json(live.endpoint("navigation", resource=resource, ref=leaf["identifier"], down=1))["member"] == [leaf]
    # start/end: both units, and with down the range to that depth below the deeper of them.
    top = [u for u in units if u["level"] == 1]
    start, end = top[0], top[min(2, len(top) - 1)]
    ranged = live.json(live.endpoint("navigation", resource=resource, start=start["identifier"], end=end["identifier"]))
    assert ranged["start"] == start and ranged["end"] == end and "member" not in ranged
    ranged = live.json(live.endpoint("navigation", resource=resource, start=start["identifier"], end=end["identifier"], down=1))
    first, last = units.index(start), units.index(end)
    last_of_end = max([last] + [units.index(u) for u in units if end["identifier"] in ancestors(u)])
    assert ranged["member"] == [u for u in units[first: last_of_end + 1] if u["level"] <= 2]


ERRORS = [
    ("navigation", {}, 400),  # no resource
    ("navigation", {"resource": "{r}"}, 400),  # neither ref, start nor down
    ("navigation", {"resource": "{r}", "ref": "{u}", "start": "{u}", "end": "{u}"}, 400),
    ("navigation", {"resource": "{r}", "start": "{u}"}, 400),
    ("navigation", {"resource": "{r}", "end": "{u}", "down": 1}, 400),
    ("navigation", {"resource": "{r}", "down": 0}, 400),
    ("navigation", {"resource": "{r}", "start": "{u}", "end": "{u}", "down": 0}, 400),
    ("navigation", {"resource": "{r}", "down": "deep"}, 400),
    ("navigation", {"resource": "{r}", "down": -2}, 400),
    ("navigation", {"resource": "{r}", "ref": "no-such-unit"}, 404),
    ("navigation", {"resource": "{r}", "start": "{u}", "end": "no-such-unit"}, 404),
    ("navigation", {"resource": "{r}", "ref": "{u}", "tree": "other"}, 404),
    ("navigation", {"resource": "no-such-resource", "down": 1}, 404),
    ("document", {}, 400),
    ("document", {"resource": "{r}", "ref": "{u}", "end": "{u}"}, 400),
    ("document", {"resource": "{r}", "start": "{u}"}, 400),
    ("document", {"resource": "{r}", "ref": "no-such-unit"}, 404),
    ("document", {"resource": "{r}", "ref": "{u}", "tree": "other"}, 404),
    ("document", {"resource": "{r}", "mediaType": "text/html"}, 404),
    ("document", {"resource": "no-such-resource"}, 404),
    ("collection", {"id": "no-such-collection"}, 404),
    ("collection", {"nav": "sideways"}, 400),
    ("collection", {"page": "0"}, 400),
    ("collection", {"page": "2"}, 404),
]


@pytest.mark.parametrize(("endpoint", "params", "status"), ERRORS, ids=[f"{e}-{'-'.join(p) or 'none'}-{s}" for e, p, s in ERRORS])
def test_requests_the_specification_refuses(seed_site: Path, endpoint: str, params: dict[str, object], status: int) -> None:
    live = Live(seed_site)
    resource = document_ids(seed_site)[0]
    unit = all_units(live, resource)[0]["identifier"]
    values = {k: str(v).format(r=resource, u=unit) for k, v in params.items()}
    code, headers, body = live.get(live.endpoint(endpoint, **values))
    assert code == status, body
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == status


def test_media_type_negotiation(seed_site: Path) -> None:
    live = Live(seed_site)
    resource = document_ids(seed_site)[0]
    entry = LIVE_ROOT
    assert live.get(entry, accept="application/json")[1]["content-type"] == "application/json"
    assert live.get(entry, accept="application/ld+json, application/json;q=0.5")[1]["content-type"] == "application/ld+json"
    assert live.get(entry, accept="*/*")[1]["content-type"] == "application/ld+json"
    assert live.get(entry, accept="text/html")[0] == 406
    document = live.endpoint("document", resource=resource)
    assert live.get(document, accept="application/xml")[1]["content-type"] == "application/xml"
    assert live.get(document)[1]["content-type"] == "application/tei+xml"
    assert live.get(document, accept="application/json")[0] == 406
    assert live.get(live.endpoint("document", resource=resource, mediaType="application/tei+xml"))[1]["content-type"] == "application/tei+xml"
    # A parameter given twice is ambiguous.
    assert live.get(f"{LIVE_ROOT}collection?id=edition&id=edition")[0] == 400


# --- documents -----------------------------------------------------------------------------------------


def text_of(element: etree._Element) -> str:
    return re.sub(r"\s+", "", "".join(element.itertext()))


def test_documents_and_their_passages_are_tei_and_lose_nothing(site: Path, live: Live) -> None:
    for resource in document_ids(site)[:40]:
        status, headers, body = live.get(live.endpoint("document", resource=resource))
        assert status == 200 and headers["content-type"] == "application/tei+xml"
        assert headers["link"] == f'<{live.endpoint("collection", id=resource)}>; rel="collection"'
        document = etree.fromstring(body)
        assert document.tag == f"{TEI}TEI"
        units = all_units(live, resource)
        pieces = []
        for unit in units:
            status, _headers, body = live.get(live.endpoint("document", resource=resource, ref=unit["identifier"]))
            assert status == 200
            fragment = etree.fromstring(body)
            assert fragment.tag == f"{TEI}TEI"
            wrapped = fragment.find(f"{{{DTS_NS}}}wrapper")
            assert [etree.QName(e).localname for e in wrapped] == [unit["citeType"]]
            if unit["level"] == 1:
                pieces.append(text_of(wrapped))
        # Nothing lost: the top passages hold the text of the document's <text>, in order.
        texts = document.findall(f"{TEI}text")
        assert "".join(pieces) == "".join(text_of(t) for t in texts), resource


def test_a_range_is_the_passages_from_start_to_end(site: Path, live: Live) -> None:
    resource = max(document_ids(site)[:20], key=lambda r: len(all_units(live, r)))
    units = all_units(live, resource)
    top = [u for u in units if u["level"] == 1]
    start, end = top[1 if len(top) > 2 else 0], top[-1]
    body = live.get(live.endpoint("document", resource=resource, start=start["identifier"], end=end["identifier"]))[2]
    wrapped = etree.fromstring(body).find(f"{{{DTS_NS}}}wrapper")
    expected = top[top.index(start): top.index(end) + 1]
    assert len(wrapped) == len(expected)
    for element, unit in zip(wrapped, expected):
        single = etree.fromstring(live.get(live.endpoint("document", resource=resource, ref=unit["identifier"]))[2])
        assert etree.tostring(element) == etree.tostring(single.find(f"{{{DTS_NS}}}wrapper")[0])


# --- static = live -------------------------------------------------------------------------------------

# The properties that hold addresses: the static site's differ from the live server's.
ADDRESSES = {"@id", "collection", "navigation", "document", "download", "view"}


def without_addresses(data: Any) -> Any:
    if isinstance(data, dict):
        kept = {k: without_addresses(v) for k, v in data.items() if k not in ADDRESSES or k == "@id" and data.get("@type") not in ("Navigation", "EntryPoint")}
        return kept
    if isinstance(data, list):
        return [without_addresses(item) for item in data]
    return data


STATIC_COLLECTION = re.compile(r"collection(?:/(?P<id>[^;/]+))?(?:;nav=(?P<nav>\w+))?(?:;page=(?P<page>\d+))?\.json")
STATIC_NAVIGATION = re.compile(r"navigation/(?P<resource>[^;/]+);down=(?P<down>-?\d+)\.json")
STATIC_DOCUMENT = re.compile(r"document/(?P<resource>[^/]+?)(?:/(?P<ref>[^/]+))?\.xml")


def test_static_responses_equal_the_live_ones(site: Path, live: Live) -> None:
    """The build writes each document's files in the worker that renders its page and the collections at the end,
    from its own serialization: each file is, byte for byte, the API's answer to the static URL, and with the
    live server's addresses, the live answer."""
    folder = site / "api" / "dts"
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len(files) > 10
    api, urls = DtsApi(site), StaticUrls("/api/dts/")
    for path in files:
        relative = path.relative_to(folder).as_posix()
        if relative == "index.json":
            assert path.read_bytes() == json_bytes(api.entry(urls))
            continue
        for pattern, endpoint in ((STATIC_COLLECTION, "collection"), (STATIC_NAVIGATION, "navigation"), (STATIC_DOCUMENT, "document")):
            match = pattern.fullmatch(relative)
            if match:
                break
        else:
            raise AssertionError(f"a static file no template names: {relative}")
        params = {k: v for k, v in match.groupdict().items() if v is not None}
        answer = {"collection": lambda: json_bytes(api.collection(params, urls)), "navigation": lambda: api.navigation(params, urls),
                  "document": lambda: api.document(params)}[endpoint]()
        assert path.read_bytes() == answer, relative
        status, _headers, body = live.get(live.endpoint(endpoint, **params))
        assert status == 200, relative
        if endpoint == "document":
            assert path.read_bytes() == body, relative
        else:
            assert without_addresses(json.loads(path.read_bytes())) == without_addresses(json.loads(body)), relative


# --- text from sources, the live server ------------------------------------------------------------------


def test_text_from_a_source_reaches_json_as_text(tmp_path: Path) -> None:
    hostile = 'Letter "quoted" </script><script>alert(1)</script> \\ \u2028 & {x}'
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "hostile.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="hostile"><teiHeader><fileDesc><titleStmt>'
        '<title type="main">Letter "quoted" &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; \\ \u2028 &amp; {x}</title></titleStmt>'
        '<publicationStmt><p>Invented for a test.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><div><head>Head "one" &lt;b&gt;</head><p>Text.</p></div></body></text></TEI>', encoding="utf-8")
    # A file from elsewhere that gives one xml:id twice: DTS identifiers stay unique.
    (tmp_path / "tei" / "twice.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="twice"><teiHeader><fileDesc><titleStmt><title>Twice</title></titleStmt>'
        '<publicationStmt><p>Invented.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p xml:id="same">One.</p><p xml:id="same">Two.</p></body></text></TEI>', encoding="utf-8")
    site = build_site(tmp_path)
    live = Live(site)
    assert [u["identifier"] for u in all_units(live, "twice")] == ["same", "same-2"]
    assert "Two." in live.get(live.endpoint("document", resource="twice", ref="same-2"))[2].decode()
    resource = live.json(live.endpoint("collection", id="hostile"))
    assert resource["title"] == hostile
    assert resource["dublinCore"]["title"] == [hostile]
    top = live.json(live.endpoint("navigation", resource="hostile", down=1))["member"]
    assert top == [{"identifier": "p1", "@type": "CitableUnit", "level": 1, "parent": None, "citeType": "div",
                    "dublinCore": {"title": ['Head "one" <b>']}}]
    assert static_json(site, "/api/dts/collection/hostile.json")["title"] == hostile


def test_a_passage_whose_xml_id_names_a_path_writes_nothing_outside_the_site(tmp_path: Path) -> None:
    """A passage's static file is named by its anchor: an xml:id that is no NCName (a "/", "..") is not its anchor,
    which would have written (and on the next build removed) a file above the site, wherever the id pointed."""
    (tmp_path / "tei").mkdir()
    climb = "../" * 12 + str(tmp_path / "escaped").lstrip("/")
    (tmp_path / "tei" / "climbing.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Climbing</title></titleStmt>'
        '<publicationStmt><p>Invented.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>'
        f'<text><body><p xml:id="{climb}">One.</p><p xml:id="a/b">Two.</p><p xml:id="kept.id">Three.</p></body></text></TEI>',
        encoding="utf-8")
    site = build_site(tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "tei"]
    assert [u["identifier"] for u in all_units(Live(site), "climbing")] == ["p1", "p2", "kept.id"]
    assert sorted(path.name for path in (site / "api" / "dts" / "document" / "climbing").iterdir()) == ["kept.id.xml", "p1.xml", "p2.xml"]
    page = lxml.html.parse(str(site / "documents" / "climbing.html")).getroot()
    assert [p.get("id") for p in page.iter("p") if p.text_content() in ("One.", "Two.", "Three.")] == ["p1", "p2", "kept.id"]


@pytest.mark.parametrize(("resource", "ref"), [("..", "p1"), (".", "p1"), ("", "p1"), ("letter", "a/b"), ("letter", "../../x"), ("a/b", None)])
def test_a_static_url_names_one_file_per_segment(resource: str, ref: str | None) -> None:
    urls = StaticUrls("/api/dts/")
    with pytest.raises(OutputError, match="names no file of its own"):
        urls.file(urls.document(resource, ref=ref))
    assert urls.file(urls.document("letter", ref="p1.a-b_c")) == "document/letter/p1.a-b_c.xml"
    assert urls.file(urls.document("letter", ref="..")) == "document/letter/...xml"  # one file, however it looks
    # The error names the file inside the static folder, also where the site's address is absolute.
    absolute = StaticUrls("https://example.org/api/dts/")
    with pytest.raises(OutputError) as refused:
        absolute.file(absolute.document("letter", ref="../../x"))
    assert str(refused.value) == ("cannot write document/letter/..%2F..%2Fx.xml: document/letter/..%2F..%2Fx.xml names no file of its own inside"
                                  " the static DTS's folder")
    with pytest.raises(OutputError) as refused:
        absolute.file(absolute.document("..", ref="p1"))
    assert str(refused.value).endswith(": document/../p1.xml names no file of its own inside the static DTS's folder")


def test_serve_api_answers_beside_the_static_files(seed_site: Path) -> None:
    import urllib.request

    with serving(seed_site, api=True) as url:
        with urllib.request.urlopen(f"{url}api/dts/") as response:
            entry = json.loads(response.read())
            assert response.headers["Content-Type"] == "application/ld+json"
        assert entry["@id"] == f"{url}api/dts/"
        with urllib.request.urlopen(f"{url}api/dts/index.json") as response:
            assert json.loads(response.read())["@id"] == "/api/dts/index.json"
        resource = document_ids(seed_site)[0]
        with urllib.request.urlopen(uritemplate.expand(entry["document"], resource=resource, ref="p1")) as response:
            assert etree.fromstring(response.read()).find(f"{{{DTS_NS}}}wrapper") is not None
            assert response.headers["Link"].endswith('; rel="collection"')


def test_a_rebuild_rewrites_only_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    site = build_site(root)
    names = document_ids(site)
    kept, changed = names[0], names[1]
    kept_file = site / "api" / "dts" / "document" / kept / "p1.xml"
    kept_inode = kept_file.stat().st_ino
    source = next(p for p in (root / "tei").glob("*.xml") if p.stem == changed or f'xml:id="{changed}"' in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    body = text.index("<body")
    source.write_text(text[:body] + text[body:].replace("</p>", " An invented sentence for the test.</p>", 1), encoding="utf-8")
    site = build_site(root)
    assert kept_file.stat().st_ino == kept_inode  # not written again
    live = Live(site)
    first = next(u for u in all_units(live, changed) if u["citeType"] == "p")
    fragment = static_file(site, f"/api/dts/document/{changed}/{first['identifier']}.xml").read_text(encoding="utf-8")
    assert "An invented sentence for the test." in fragment
    # A document removed: its files go, and the collections no longer list it.
    source.unlink()
    site = build_site(root)
    assert not (site / "api" / "dts" / "document" / changed).exists()
    assert not (site / "api" / "dts" / "navigation" / f"{changed};down=1.json").exists()
    live = Live(site)
    assert [r["@id"] for r in resources(live)] == [kept]
    assert live.get(live.endpoint("navigation", resource=changed, down=1))[0] == 404


def dts_files(site: Path) -> dict[str, int]:
    """Each file of the static DTS (below api/dts/) and its inode: a file written anew gets a new one."""
    folder = site / "api" / "dts"
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def files_of(files: dict[str, int], resource: str) -> set[str]:
    """The files that answer about one resource: its navigation, its TEI and its parts, its collection responses."""
    return {name for name in files if re.match(rf"(navigation|document|collection)/{re.escape(resource)}(;[^/]*)?(/|\.json$|\.xml$)", name)}


def test_the_model_names_every_file_of_the_static_api(site: Path) -> None:
    """A rebuild removes the files the previous build's model names and this one's does not, without looking at the
    others: the model names each file (and each folder of a document's parts) the build left, long collections' pages too."""
    from teipress.dts import _model_files

    model = Model.from_json((site / MODEL_FILE).read_bytes())
    named = _model_files(model, StaticUrls(model.static_root))
    parts = {name for name in named if (site / "api" / "dts" / name).is_dir()}
    assert parts and all(re.fullmatch("document/[^/]+", name) for name in parts)
    # Named but not there: only the folder of parts of a document that has none (a register).
    absent = {name for name in named if not (site / "api" / "dts" / name).exists()}
    assert absent <= {f"document/{name}" for name in model.resources}
    files = dts_files(site)
    assert sorted(name for name in files if name.rpartition("/")[0] not in parts) == sorted(named - parts - absent)
    assert all(name in named or name.rpartition("/")[0] in parts for name in files)


def test_a_rebuild_after_one_changed_document_writes_its_files_only(tmp_path: Path) -> None:
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    site = build_site(root)
    names = document_ids(site)
    before = dts_files(site)
    changed = names[1]
    source = next(p for p in (root / "tei").glob("*.xml") if f'xml:id="{changed}"' in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    body = text.index("<body")
    source.write_text(text[:body] + text[body:].replace("</p>", " An invented sentence for the test.</p>", 1), encoding="utf-8")
    site = build_site(root)
    after = dts_files(site)
    assert sorted(after) == sorted(before)
    # Its title, kind and metadata are the same: no collection changed, and no other document's file was written.
    assert sorted(name for name in after if after[name] != before[name]) == sorted(files_of(after, changed))
    assert len(files_of(after, changed)) > 6


def test_a_rebuild_makes_only_the_collections_whose_members_show_otherwise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection's pages are made again (then compared) only when a member's title, metadata or citation trees
    changed: after a sentence, none of its kind; after a new title, that kind's; a page removed by hand is written again."""
    from teipress import dts

    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    site = build_site(root)
    changed = document_ids(site)[1]
    source = next(p for p in (root / "tei").glob("*.xml") if f'xml:id="{changed}"' in p.read_text(encoding="utf-8"))
    made: list[str | None] = []
    pages = dts._collection_pages
    monkeypatch.setattr(dts, "_collection_pages", lambda api, urls, identifier: made.append(identifier) or pages(api, urls, identifier))
    text = source.read_text(encoding="utf-8")
    body = text.index("<body")
    source.write_text(text[:body] + text[body:].replace("</p>", " An invented sentence for the test.</p>", 1), encoding="utf-8")
    site = build_site(root)
    assert made == [None, dts.ROOT_COLLECTION]
    kind = dts.Model.from_json((site / MODEL_FILE).read_bytes()).resources[changed].collection
    made.clear()
    title = re.search(r"<title[^>]*>([^<]+)</title>", source.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
    source.write_text(source.read_text(encoding="utf-8").replace(f">{title}</title>", ">A title of the test</title>", 1), encoding="utf-8")
    site = build_site(root)
    assert made == [None, dts.ROOT_COLLECTION, kind]
    assert "A title of the test" in (site / "api" / "dts" / "collection" / f"{kind}.json").read_text(encoding="utf-8")
    made.clear()
    (site / "api" / "dts" / "collection" / f"{kind};nav=parents.json").unlink()
    site = build_site(root)
    assert made == [None, dts.ROOT_COLLECTION, kind]
    assert (site / "api" / "dts" / "collection" / f"{kind};nav=parents.json").is_file()


def test_a_rebuild_keeps_a_navigation_file_for_each_depth_the_tree_has_now(tmp_path: Path) -> None:
    """The static navigation has a file for each depth of a document's tree: a rebuild after the tree grew or shrank
    writes the new depths and removes the files of the depths it no longer has."""
    (tmp_path / "tei").mkdir()
    source = tmp_path / "tei" / "nested.xml"

    def write(body: str) -> None:
        source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="nested"><teiHeader><fileDesc><titleStmt><title>Nested</title>'
                          '</titleStmt><publicationStmt><p>Invented for a test.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc>'
                          f'</fileDesc></teiHeader><text><body>{body}</body></text></TEI>', encoding="utf-8")

    def navigation_files(site: Path) -> list[str]:
        return sorted(path.name for path in (site / "api" / "dts" / "navigation").iterdir())

    write("<div><p>One.</p></div>")
    site = build_site(tmp_path)
    assert navigation_files(site) == ["nested;down=-1.json", "nested;down=1.json", "nested;down=2.json"]
    # Deeper, below a paragraph that comes first: the depth is the deepest branch's.
    write("<p>Zero.</p><div><div><div><p>One.</p></div></div></div>")
    site = build_site(tmp_path)
    assert navigation_files(site) == ["nested;down=-1.json", "nested;down=1.json", "nested;down=2.json", "nested;down=3.json",
                                      "nested;down=4.json"]
    assert [u["level"] for u in static_json(site, "/api/dts/navigation/nested;down=3.json")["member"]] == [1, 1, 2, 3]
    assert_static_api_is_closed(site)
    write("<p>One.</p><p>Two.</p>")
    site = build_site(tmp_path)
    assert navigation_files(site) == ["nested;down=-1.json", "nested;down=1.json"]
    assert_static_api_is_closed(site)


def test_a_document_written_again_gets_new_files_in_the_folder_of_its_parts(tmp_path: Path) -> None:
    """The worker writes a changed document's files into the staging copy of the site, whose files are hard links to the
    published site's: each is made anew, never written into, and a passage gone takes its file with it. The folder of its
    parts is emptied rather than made again (a new inode costs more than all its files' other system calls); a document
    left without passages has none."""
    from teipress.dts import ResourceJob, write_resource
    from teipress.saxon import Stylesheets

    stylesheets = Stylesheets()
    site, published = tmp_path / "staging", tmp_path / "published"
    parts = site / "api" / "dts" / "document" / "nested"

    def write(body: str) -> None:
        tree = etree.ElementTree(etree.fromstring(
            '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="nested"><teiHeader><fileDesc><titleStmt><title>Nested</title></titleStmt>'
            '<publicationStmt><p>Invented for a test.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>'
            f'<text><body>{body}</body></text></TEI>'))
        write_resource("nested", tree, etree.tostring(tree, encoding="utf-8"), tree, ResourceJob(str(site), "", "digest"), stylesheets)

    def texts(folder: Path) -> dict[str, str]:
        return {path.name: "".join(etree.parse(str(path)).getroot().itertext()) for path in sorted(folder.iterdir())}

    write("<p>One.</p><p>Two.</p><p>Three.</p>")
    published.mkdir()
    for path in parts.iterdir():
        (published / path.name).hardlink_to(path)
    folder = os.open(parts, os.O_RDONLY)  # held open, so that a folder made again could not have the old one's inode
    try:
        write("<p>One, changed.</p><p>Two.</p>")
        assert os.fstat(folder).st_ino == parts.stat().st_ino and os.fstat(folder).st_nlink > 0
    finally:
        os.close(folder)
    assert texts(parts) == {"p1.xml": "One, changed.", "p2.xml": "Two."}
    assert texts(published) == {"p1.xml": "One.", "p2.xml": "Two.", "p3.xml": "Three."}
    assert [path.stat().st_nlink for path in sorted(parts.iterdir())] == [1, 1]
    write("<gap/>")
    assert not parts.exists() and (site / "api" / "dts" / "document" / "nested.xml").is_file()


def test_a_change_of_the_dts_code_alone_rewrites_the_dts_files_beside_the_reused_pages(tmp_path: Path) -> None:
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    site = build_site(root)
    stale, current = document_ids(site)[:2]
    before = dts_files(site)
    # As if the code that writes the DTS of `stale` had changed since: its digest is not what the build now computes.
    model = json.loads((site / MODEL_FILE).read_bytes())
    next(r for r in model["resources"] if r["id"] == stale)["digest"] = "written by other code"
    (site / MODEL_FILE).write_text(json.dumps(model), encoding="utf-8")
    config = load_config(root, source=root / "tei", output=root / "out")
    result = build_edition(config, formats={"html"}, validate=False, jobs=1)
    assert sorted(result.documents_reused) == document_ids(site) and result.documents_rendered == []
    after = dts_files(site)
    assert sorted(name for name in after if after[name] != before[name]) == sorted(files_of(after, stale))
    assert files_of(after, current) and all(after[name] == before[name] for name in files_of(after, current))
    # The digest is the build's again: the next build leaves every file alone.
    build_site(root)
    assert dts_files(site) == after


def test_the_asgi_app_reads_the_site_named_by_the_environment(seed_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import teipress.dts

    monkeypatch.setenv("TEIPRESS_SITE", str(seed_site))
    monkeypatch.setattr(teipress.dts, "_app", None)
    live = Live(seed_site)
    live.app = teipress.dts.app
    assert live.json(LIVE_ROOT)["@type"] == "EntryPoint"
    assert live.get(f"http://{HOST}/elsewhere")[0] == 404
