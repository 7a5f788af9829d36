"""The full-text search index of the site, written by Pagefind in chunks so that a rebuild re-indexes little.

Only pages marked `data-pagefind-body` (the document pages) are indexed; their
`data-pagefind-filter` elements give the type, year and person filters.

Pagefind cannot update an index, but its browser API merges several (`mergeIndex`). So the
document pages are split into chunks by a hash of their id, and each chunk is indexed into a
bundle of its own: `pagefind/` holds the first chunk with Pagefind's script and WebAssembly,
`pagefind-chunks/N/` the others, and `pagefind/chunks.json` names them for site.js, which merges
them into one search. A hash keeps each document in its chunk whatever is added or removed
around it (reading-order blocks would shift every later block), so after one letter changed only
its chunk is indexed again. The number of chunks is the smallest power of two at least a quarter
of the square root of the number of documents n (8 for 1,000, 64 for 20,000): a rebuild indexes
2·√n to 4·√n pages, and a search reads from √n/4 to √n/2 bundles.

Pagefind's program is run directly, one process per chunk (as many at once as `jobs`: the HTML build
gives one fewer than its workers): its Python API answers each request after a 0.1 s pause, three per bundle.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TransformError
from .workers import parent_death_signal
from .xmlio import write_atomic, write_if_changed

BUNDLE = "pagefind"
CHUNKS_DIR = "pagefind-chunks"
CHUNK_LIST = "chunks.json"
STATE = Path(".teipress") / "search.json"
# What a bundle needs beyond its index: the first loads the script and the WebAssembly; merged
# bundles use the first one's. Pagefind's own search interfaces (pagefind-ui.js ...) are not kept.
_SCRIPT_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
_INDEX_FILES = ("pagefind-entry.json", "pagefind.*.pf_meta", "index", "fragment", "filter")
# What the index leaves out of every document page, as data-pagefind-ignore="all" would, without repeating the
# attribute on each of a page's many elements (issue 11): a note's number in the text, and the readings the
# reading view does not show (an abbreviation beside its expansion), so that an excerpt reads as that view.
EXCLUDE_SELECTORS = (".note-ref", ".reading-secondary")


@dataclass
class SearchIndexResult:
    """What `build_search_index` did: how many chunks the index has and which it indexed anew."""

    chunks: int = 0
    indexed: list[int] = field(default_factory=list)


def chunk_count(places: list[int], wanted: int | None = None) -> int:
    """The number of chunks for the documents whose `place_of`s these are (`wanted`, else the smallest power of two
    ≥ √n/4), none of them empty. (Places, not ids: each id hashed once; 20,000 ids hashed twice took a rebuild's
    search thread 40 ms, beside the build's own work.)"""
    count = wanted or (1 << max(0, math.ceil(math.log2(math.sqrt(len(places)) / 4))) if places else 1)
    while count > 1 and len({place % count for place in places}) < count:
        count //= 2  # a chunk without pages would be a bundle Pagefind refuses to write
    return count


def place_of(document_id: str) -> int:
    """Where a document falls among the chunks: its chunk is this modulo their number. A hash of its id, so that it
    stays put when others come or go."""
    return int.from_bytes(hashlib.sha256(document_id.encode()).digest()[:8], "big")


def chunk_folder(chunk: int) -> str:
    """The bundle's folder, relative to the site."""
    return BUNDLE if chunk == 0 else f"{CHUNKS_DIR}/{chunk}"


def build_search_index(site: Path, pages: Mapping[str, str], *, language: str = "en", jobs: int = 1,
                       chunks: int | None = None) -> SearchIndexResult:
    """Index the pages `documents/{id}.html` of `site` whose chunk changed since the last call.

    `pages` maps each document id to a key that changes whenever its page does; `chunks` asks for
    a number of chunks (default: `chunk_count`'s; fewer if one would be empty).

    Example: `build_search_index(Path("output/html"), {"letter-1": "3f2a..."}, language="de", jobs=2)`.
    """
    ids = sorted(pages)
    places = [place_of(document_id) for document_id in ids]
    count = chunk_count(places, chunks)
    members: list[list[str]] = [[] for _ in range(count)]
    for document_id, place in zip(ids, places):
        members[place % count].append(document_id)
    settings = _digest([_pagefind_version(), language, str(count), *EXCLUDE_SELECTORS])
    keys = [_digest([settings, *(f"{d}\0{pages[d]}" for d in chunk)]) for chunk in members]
    previous = _read_state(site)
    old_keys = previous.get("keys", []) if previous.get("settings") == settings else []
    stale = [n for n, key in enumerate(keys)
             if n >= len(old_keys) or old_keys[n] != key or not (site / chunk_folder(n) / "pagefind-entry.json").is_file()]
    result = SearchIndexResult(chunks=count, indexed=stale if ids else [])
    if not ids:
        # Pagefind writes no index for no pages; the search page then says it cannot search.
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
        shutil.rmtree(site / CHUNKS_DIR, ignore_errors=True)
        (site / STATE).unlink(missing_ok=True)
        return result
    executable = _pagefind_program()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda n: _index_chunk(executable, site, n, members[n], language), stale))
    for folder in sorted((site / CHUNKS_DIR).iterdir()) if (site / CHUNKS_DIR).is_dir() else ():
        if not (folder.name.isdigit() and 0 < int(folder.name) < count):
            shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
    # Written only when it changed: a rebuild that changed nothing leaves every published file as it was.
    write_if_changed(site / BUNDLE / CHUNK_LIST, json.dumps({"chunks": [f"{chunk_folder(n)}/" for n in range(1, count)]}))
    write_atomic(site / STATE, json.dumps({"settings": settings, "keys": keys}))
    return result


def _index_chunk(executable: str, site: Path, chunk: int, document_ids: list[str], language: str) -> None:
    """Index one chunk's pages into a new folder, then put it in the place of the old bundle."""
    target = site / chunk_folder(chunk)
    building = target.with_name(f".{target.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    pages = _chunk_pages(site, chunk, document_ids)
    command = [executable, "--site", str(pages), "--glob", "documents/*.html", "--output-path", str(building), "--force-language", language, "--silent",
               *(argument for selector in EXCLUDE_SELECTORS for argument in ("--exclude-selectors", selector))]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False,
                                  preexec_fn=parent_death_signal())
    except OSError as error:
        raise TransformError(f"Pagefind could not be started ({executable}): {error}") from error
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    if finished.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        raise TransformError(f"Pagefind could not index {site} ({len(document_ids)} page(s) of chunk {chunk}): {(finished.stderr or finished.stdout).strip()}")
    kept = _INDEX_FILES + (_SCRIPT_FILES if chunk == 0 else ())
    for path in list(building.iterdir()):
        if not any(path.match(pattern) for pattern in kept):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    # The old bundle's files may be hard links into the previous site: it is removed, never written over.
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    building.rename(target)


def _chunk_pages(site: Path, chunk: int, document_ids: list[str]) -> Path:
    """A folder that holds the chunk's pages as the site does (`documents/{id}.html`, hard links), for Pagefind to
    index as the site (the same URLs): given the site itself, Pagefind walks all of its files, 150,000 on a real
    edition of 5,000 letters, for the few hundred pages of a chunk (0.4 s of a one-letter rebuild)."""
    pages = site / f".pagefind-pages-{chunk}"
    shutil.rmtree(pages, ignore_errors=True)
    (pages / "documents").mkdir(parents=True)
    for document_id in document_ids:
        page = f"documents/{document_id}.html"
        try:
            os.link(site / page, pages / page)
        except OSError:
            shutil.copyfile(site / page, pages / page)  # no hard links on this file system
    return pages


def _pagefind_program() -> str:
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise TransformError("Pagefind's program is not installed: install teipress again (pip install teipress), which brings `pagefind[extended]`")
    return str(executable)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return ""


def _read_state(site: Path) -> dict:  # type: ignore[type-arg]
    try:
        state = json.loads((site / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _digest(parts: list[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0\1")
    return digest.hexdigest()
