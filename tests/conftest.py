"""Fixtures shared by all tests: paths of the repository, of ../shared, and a tei_all schema loaded once."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "tests" / "artifacts"


def shared_path(*parts: str) -> Path:
    """A file in ../shared, or a skip with the reason when this checkout has none beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is only beside the checkout in development and CI")
    return path


@pytest.fixture(scope="session")
def tei_all_schema():
    """The TEI Consortium's tei_all RELAX NG schema, loaded once per test session (it takes ~10 s)."""
    from lxml import etree

    path = shared_path("schemas", "tei_all.rng")
    return etree.RelaxNG(etree.parse(str(path)))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests keep screenshots and page images for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@functools.cache
def _cjk_fonts_found() -> bool:
    """Whether Typst, searching where teipress's PDFs do, finds one of the Noto CJK fonts teipress falls back to."""
    import typst

    from teipress.pdf import DEFAULT_FONT_PATHS, DEFAULT_FONTS

    families = set(typst.Fonts(font_paths=[path for path in DEFAULT_FONT_PATHS if Path(path).is_dir()]).families())
    return any(font in families for font in DEFAULT_FONTS if "CJK" in font)


@pytest.fixture()
def needs_cjk_font() -> None:
    """For tests that typeset Korean: a skip with the reason where the Noto CJK fonts are not installed."""
    if not _cjk_fonts_found():
        pytest.skip("the Noto CJK fonts are not installed (Debian: apt-get install fonts-noto-cjk); Korean text would print as empty boxes")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium, one for the whole session (Playwright's sync API allows only one running at a time)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) for the browser tests")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
