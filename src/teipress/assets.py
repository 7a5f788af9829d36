"""The files every page of the site links (`assets/`), each published under a name that carries a hash of its bytes.

`assets/site.css` is published as `assets/site.3f2a9c1e04b7.css`: after an upgrade of teipress, a page
links a file of another name, so no browser or proxy that kept the old file can pair it with
the new page (a new site.js with an old messages file showed the toolbar's raw keys). The hash is in
the file's name, not in a query string (`site.css?v=…`), which some proxies and CDNs leave out of their
cache key. The names are worked out once per build (`SiteAssets`) and reach the stylesheets as one
parameter, `$asset-urls` (html/layout.xsl's `tp:asset`); a page's key covers it, so a page is rendered
again when a file it links changed, and only then. The files the build does not publish this time
(an older hash, the unhashed names of earlier builds) leave `assets/` and `assets/edition/`.

The edition's own files (teipress.toml `css`, `logo`, `favicon`, in `assets/edition/`) keep fixed names:
editors change them often, and a new name would render every page again where copying the file is enough.
What a script fetches by a name it makes itself keeps its name too: the popovers' data
(`assets/entries/{file}.js`, written with the register pages), the map's places
(`overviews/places-map.js`) and Pagefind's bundle (`pagefind/`, which Pagefind names). No asset names
another file by a relative URL (a stylesheet's `url()`, a script's image folder): such a file would have to keep
its name too, and Leaflet's images, which its stylesheet named, are not shipped (assets/leaflet.css).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .resources import XSLT_DIR
from .xmlio import write_if_changed

ASSETS_DIR = "assets"
# teipress's own files for the site: its stylesheet, scripts, icon and the vendored libraries with their licences.
ASSETS_SOURCE = XSLT_DIR / "html" / "assets"
# The edition's own files (teipress.toml `css`, `logo`, `favicon`).
EDITION_ASSETS_DIR = f"{ASSETS_DIR}/edition"
# Hex digits of the SHA-256 in a name: 48 bits, as many as Vite's eight base64 characters; two versions of
# one file that a browser could confuse are one in 2^48.
HASH_LENGTH = 12


def fingerprinted(relative: str, data: bytes) -> str:
    """The path under which a file of the site is published: its hash before its last suffix
    (`assets/site.css` → `assets/site.3f2a9c1e04b7.css`; `openseadragon.min.js` → `openseadragon.min.….js`)."""
    folder, slash, name = relative.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{folder}{slash}{stem}.{digest}.{suffix}" if dot and stem else f"{folder}{slash}{name}.{digest}"


@dataclass(frozen=True)
class SiteAssets:
    """teipress's files and the scripts' words (`messages-{language}.js`) under the names the build publishes them:
    `urls` maps a file's name in `assets/` (`site.css`) to its path in the site; `files` each path to its bytes."""

    urls: dict[str, str]
    files: dict[str, bytes]

    @classmethod
    def of(cls, generated: dict[str, bytes]) -> SiteAssets:
        """teipress's files (ASSETS_SOURCE) and `generated` ones (name in assets/ → bytes), each under its hashed name."""
        named = {path.name: path.read_bytes() for path in sorted(ASSETS_SOURCE.iterdir()) if path.is_file()}
        named.update(generated)
        urls = {name: fingerprinted(f"{ASSETS_DIR}/{name}", data) for name, data in named.items()}
        return cls(urls, {urls[name]: data for name, data in named.items()})

    @property
    def parameter(self) -> str:
        """The stylesheets' `$asset-urls`: the names as JSON, sorted, so that the pages' keys hold still."""
        return json.dumps(self.urls, sort_keys=True, separators=(",", ":"))


def publish(staging: Path, files: dict[str, bytes]) -> None:
    """Write `files` (path in the site → bytes) into the site, leaving unchanged ones alone, and remove every other
    file directly in `assets/` and `assets/edition/`: the folders teipress fills with the files the pages link."""
    for relative, data in files.items():
        write_if_changed(staging / relative, data)
    for folder in (ASSETS_DIR, EDITION_ASSETS_DIR):
        try:
            with os.scandir(staging / folder) as entries:
                stale = [entry.path for entry in entries if not entry.is_dir() and f"{folder}/{entry.name}" not in files]
        except (FileNotFoundError, NotADirectoryError):
            continue
        for path in stale:
            os.unlink(path)


def cached_bytes(staging: Path, record: object, key: str) -> bytes | None:
    """A generated file the previous build published (`record`: the key it was made with and its path in the site, as
    the manifest keeps them), when it was made with the same `key` and is still in the site; else None."""
    if not (isinstance(record, list) and len(record) == 2 and record[0] == key and isinstance(record[1], str)):
        return None
    try:
        return (staging / record[1]).read_bytes()
    except OSError:
        return None
