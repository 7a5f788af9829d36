"""Where the schema and stylesheets shipped with teipress live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """A wheel carries the folder inside the package; a checkout keeps it at the repository root."""
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


SCHEMA_DIR = _shipped("schema")
XSLT_DIR = _shipped("xslt")
SCHEMA_FILE = SCHEMA_DIR / "teipress.rng"


def stylesheet_identity(path: str) -> str:
    """A stylesheet as a page's cache key names it: teipress's own by its place in `xslt/`, an edition's own
    (teipress.toml `xslt`) by its folder and name there. Not its absolute path: a moved edition (or teipress) would
    render every page again. The keys cover the stylesheets' bytes apart (html.py, `code_key`)."""
    place = Path(path)
    if place.is_relative_to(XSLT_DIR):
        return "teipress:" + place.relative_to(XSLT_DIR).as_posix()
    return "edition:" + "/".join(place.parts[-2:])
