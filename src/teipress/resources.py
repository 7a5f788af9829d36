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
