"""JSON as the builds keep it for the next build (the records of every document, the static DTS's model, the
catalogue of sources), publish it (the static DTS's responses) and hash it into cache keys.

orjson, not the standard library's `json`: a rebuild after one changed letter of 20,000 reads and writes about 70 MB of
it (the manifest's 29 MB, the DTS model's 33 MB, the catalogue's 7 MB) and hashes 20,000 pages' parameters, which took
the standard library about 2.5 s of a 10 s rebuild; orjson writes the same in a tenth of the time. Its output is compact
and UTF-8, as `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson


def dumps(data: Any, *, sort_keys: bool = False) -> bytes:
    """`data` as compact UTF-8 JSON; `sort_keys` for a text that hashes the same whatever the order it was made in."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else 0)


def loads(data: bytes | str) -> Any:
    """The value of the JSON text `data`; `ValueError` when it is not JSON.

    The cycle collector is paused meanwhile: a large file makes millions of objects, none of them garbage, and the
    collector's full passes, which each walk every object the process holds, took more time than the parsing
    (0.27 s of a 0.45 s read of the 29 MB manifest)."""
    with _collector_paused():
        return orjson.loads(data)


_pausing = threading.Lock()
_paused = 0  # reads under way, in any thread of the process
_was_enabled = False  # the collector's state as the first of them found it


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while any thread reads (`teipress serve --watch --api` answers the DTS API in threads of
    its own while a build runs in another), and as the first read found it when the last one ends."""
    global _paused, _was_enabled
    with _pausing:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
