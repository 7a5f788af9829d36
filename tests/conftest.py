"""Fixtures shared by all tests: paths of the repository, of ../shared, and a tei_all schema loaded once."""

from __future__ import annotations

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
