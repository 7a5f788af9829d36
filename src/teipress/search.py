"""The full-text search index of the site, written by Pagefind's Python API into `pagefind/`.

Only pages marked `data-pagefind-body` (the document pages) are indexed; their
`data-pagefind-filter` elements give the type, year and person filters.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from .errors import TransformError


def build_search_index(site: Path, *, language: str = "en") -> Path:
    """Index the document pages of `site` and write the search bundle to `site/pagefind/`.

    Example: `build_search_index(Path("output/html"))`.
    """
    bundle = site / "pagefind"
    shutil.rmtree(bundle, ignore_errors=True)
    try:
        asyncio.run(_index(site, bundle, language))
    except Exception as error:  # the service reports its own errors as plain exceptions
        raise TransformError(f"Pagefind could not index {site}: {error}") from error
    return bundle


async def _index(site: Path, bundle: Path, language: str) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    # The edition's interface language (config.LANGUAGES), for stemming and the search interface's words.
    config = IndexConfig(output_path=str(bundle), force_language=language)
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site), glob="documents/*.html")
