"""Fixtures shared by all tests: paths of the repository, of ../shared, and a tei_all schema loaded once."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "tests" / "artifacts"
# Set by .ci/run: there every tool and file the tests need is installed, so a skip means a broken setup.
REQUIRE_ALL_TESTS = "TEIPRESS_REQUIRE_ALL_TESTS"


def require_all_tests() -> bool:
    return os.environ.get(REQUIRE_ALL_TESTS, "") not in ("", "0")


def skip_missing(reason: str) -> NoReturn:
    """Skip a test whose tool or file is absent here, with the reason; a failure where every test must run (CI)."""
    if require_all_tests():
        pytest.fail(f"{reason} ({REQUIRE_ALL_TESTS} is set: no test may be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Where every test must run, a skip that did not go through skip_missing (importorskip ...) fails too."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and require_all_tests() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but {REQUIRE_ALL_TESTS} is set (no test may be skipped): {reason}"


def without_hash(address: str) -> str:
    """An address into the site's assets/ without the hash of the file's bytes in its name (`../assets/site.css`; see
    teipress/assets.py and tests/test_assets.py), for the tests of which files a page links."""
    return re.sub(r"\.[0-9a-f]{12}(?=\.[^./]+$)", "", address)


def shared_path(*parts: str) -> Path:
    """A file in ../shared, or a skip with the reason when this checkout has none beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_missing(f"{path} is absent: ../shared is only beside the checkout in development and CI")
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
        skip_missing(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) for the browser tests")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


ESCHER_LETTERS = 200


@pytest.fixture(scope="session")
def escher_letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `tei/` folder with the first 200 letters of the Escher corpus (by file name) and its person and place registers."""
    import shutil
    import tarfile

    archive = shared_path("corpora", "escher.tar.xz")
    unpacked = tmp_path_factory.mktemp("escher-corpus")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        letters = sorted((m for m in members if m.name.startswith("escher/briefe/")), key=lambda m: m.name)[:ESCHER_LETTERS]
        registers = [m for m in members if m.name in ("escher/people/people.xml", "escher/places/places.xml")]
        tar.extractall(unpacked, members=letters + registers, filter="data")
    tei = unpacked / "tei"
    shutil.move(unpacked / "escher" / "briefe", tei)
    for register in ("people", "places"):
        shutil.move(unpacked / "escher" / register, tei / register)
    return tei
