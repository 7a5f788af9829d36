"""Every kind of page at a phone's width (375 px) and a desktop's (1280 px), in a real browser.

For the seed edition (tei/) and 200 letters of the Escher corpus (../shared/corpora, unpacked under
a temporary folder): no page scrolls sideways at 375 px, and a screenshot of each page kind at both
widths is kept in tests/artifacts/ for a person to look at. On the seed edition every interactive
control of each page kind is reached by Tab.
"""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from teipress import aggregates
from teipress.build import build_edition
from teipress.config import load_config
from teipress.serve import serving

from conftest import REPO, shared_path

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# Letters of the Escher corpus in the sample: every 25th of the 5,019, so that they span its years.
ESCHER_SAMPLE_STEP = 25
ESCHER_SAMPLE_SIZE = 200
# Documents a page of the home page's list holds in the Escher sample: small enough that the sample shows
# the pages of a long list and the chronology's pages per year, as a large edition has them.
ESCHER_LIST_PAGE_SIZE = 50
# Taller pages get a screenshot of their first screens only (Chromium's images stop at 16,384 px).
FULL_PAGE_LIMIT = 12000


def built_site(source: Path, root: Path) -> Path:
    """`source` built as HTML under `root`, with no map tiles (no test reaches the network)."""
    (root / "teipress.toml").write_text('map_tiles = ""\n', encoding="utf-8")
    config = load_config(root, source=source, output=root / "out", jobs=2)
    result = build_edition(config, formats={"html"}, validate=False, jobs=2)
    assert not [p for p in result.problems if p.severity.name == "ERROR"], result.problems
    return root / "out" / "html"


@pytest.fixture(scope="module")
def seed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("seed-widths")
    shutil.copytree(REPO / "tei", root / "tei")
    with serving(built_site(root / "tei", root)) as url:
        yield url


@pytest.fixture(scope="module")
def escher_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    archive = shared_path("corpora", "escher.tar.xz")
    root = tmp_path_factory.mktemp("escher-widths")
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        letters = sorted(m.name for m in members if m.name.startswith("escher/briefe/") and m.name.endswith(".xml"))
        wanted = set(letters[::ESCHER_SAMPLE_STEP][:ESCHER_SAMPLE_SIZE])
        registers = ("escher/people/", "escher/places/", "escher/bibliography/", "escher/events.xml")
        tar.extractall(root, members=[m for m in members if m.name in wanted or m.name.startswith(registers)], filter="data")
    source = root / "escher"
    assert len(list((source / "briefe").glob("*.xml"))) == ESCHER_SAMPLE_SIZE
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(aggregates, "LIST_PAGE_SIZE", ESCHER_LIST_PAGE_SIZE)
        site = built_site(source, root)
    with serving(site) as url:
        yield url


def page_kinds(url: str, browser) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One page of each kind, by name: fixed ones, and a document and an edition page found from the home page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "index.html")
    document = page.locator("table.document-list tbody a").first.get_attribute("href")
    extra = page.locator("nav.edition-actions a[href^='pages/']")
    kinds = {"home": "index.html", "document": document, "persons": "registers/persons.html", "places": "registers/places.html",
             "organizations": "registers/organizations.html", "bibliography": "registers/bibliography.html", "chronology": "chronology.html",
             "overview-time": "overviews/time.html", "overview-correspondents": "overviews/correspondents.html",
             "overview-places": "overviews/places.html", "search": "search.html", "guide": "guide.html"}
    if extra.count():
        kinds["edition-page"] = extra.first.get_attribute("href")
    # A long edition's other pages of the list and a year of its chronology.
    list_pages = page.locator("nav.list-pages a")
    if list_pages.count() > 1:
        kinds["list-page"] = list_pages.nth(1).get_attribute("href")
    page.goto(url + "chronology.html")
    years = page.locator("nav.chronology-years a")
    if years.count():
        kinds["chronology-year"] = years.first.get_attribute("href")
    context.close()
    return kinds


def check_widths(browser, url: str, edition: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kinds = page_kinds(url, browser)
    too_wide = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for kind, path in kinds.items():
            page.goto(url + path)
            page.wait_for_load_state("load")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if width == 375 and scroll_width > width:
                too_wide.append(f"{path}: {scroll_width} px")
            full = page.evaluate("document.documentElement.scrollHeight") <= FULL_PAGE_LIMIT
            page.screenshot(path=str(artifacts_dir / f"{edition}-{kind}-{width}.png"), full_page=full)
        context.close()
    assert too_wide == [], f"pages wider than the phone's 375 px: {too_wide}"


def test_no_page_of_the_seed_edition_scrolls_sideways_on_a_phone(browser, seed_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    check_widths(browser, seed_url, "seed", artifacts_dir)


def test_no_page_of_200_escher_letters_scrolls_sideways_on_a_phone(browser, escher_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    check_widths(browser, escher_url, "escher", artifacts_dir)


def test_a_correspondent_with_a_long_name_keeps_the_filters_within_a_phones_width(browser, seed_url: str) -> None:  # type: ignore[no-untyped-def]
    """A filter's select is as wide as its longest option: Escher's editorial essays name their authors as "Bruno Fischer /
    Katrin Rigort / Sandra Wiederkehr, unter der Leitung von Prof. Dr. Joseph Jung", which made the home page 746 px
    wide on a 375 px phone. Each select stays within the panel, and no wider than 20rem (320 px) on a desktop."""
    long_name = "Bruno Fischer / Katrin Rigort / Sandra Wiederkehr, unter der Leitung von Prof. Dr. Joseph Jung"
    measure = """name => {
      for (const select of document.querySelectorAll('.document-filters select')) select.add(new Option(name));
      const panel = document.querySelector('.document-filters').getBoundingClientRect();
      return [document.documentElement.scrollWidth, panel.right,
              Array.from(document.querySelectorAll('.document-filters select'), e => [e.getBoundingClientRect().right, e.getBoundingClientRect().width])];
    }"""
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(seed_url + "index.html")
        scroll_width, panel_right, selects = page.evaluate(measure, long_name)
        context.close()
        assert len(selects) == 3 and scroll_width <= width, (width, scroll_width)
        assert all(right <= panel_right and select_width <= 320.5 for right, select_width in selects), (width, panel_right, selects)


# Every control a keyboard user can operate, as the browser shows it (hidden ones and those in a folded
# details element excluded: its summary opens them), in the
# document's order (teipress sets no positive tabindex, so that is the Tab order); each is numbered,
# and the page records the number of each control that takes the focus.
CONTROLS = """() => {
  window.tpFocused = [];
  document.addEventListener('focusin', event => window.tpFocused.push(event.target.dataset ? event.target.dataset.tpControl || '' : ''));
  // Inside a closed details (at any depth) only that details' own summary can take the focus.
  const folded = e => { for (let box = e.closest('details'); box; box = box.parentElement && box.parentElement.closest('details')) {
    if (!box.open && !(e.closest('summary') && e.closest('summary').parentElement === box)) return true; } return false; };
  return Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
    .filter(e => !e.disabled && !folded(e) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
    .map((e, i) => { e.dataset.tpControl = String(i); return e.getAttribute('href') || e.id || e.getAttribute('aria-label') || e.tagName; });
}"""
# Tab through this many controls of a page (a register's hundreds of links take minutes, and repeat each other).
TAB_CONTROLS = 120


@pytest.mark.parametrize("width", WIDTHS)
def test_every_control_of_each_page_kind_is_reached_by_tab(browser, seed_url: str, width: int) -> None:  # type: ignore[no-untyped-def]
    unreached: dict[str, list[str]] = {}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for kind, path in page_kinds(seed_url, browser).items():
        page.goto(seed_url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # the scripts' controls (filters, map markers) in place
        controls = page.evaluate(CONTROLS)[:TAB_CONTROLS]
        wanted = {str(index) for index in range(len(controls))}
        for _ in range(3 * len(controls) + 10):  # scrolling boxes take the focus too
            page.keyboard.press("Tab")
            if wanted <= set(page.evaluate("window.tpFocused")):
                break
        reached = set(page.evaluate("window.tpFocused"))
        missed = [name for index, name in enumerate(controls) if str(index) not in reached]
        if missed:
            unreached[kind] = missed
    context.close()
    assert unreached == {}


def test_the_document_list_sorts_with_enter_and_space(browser, seed_url: str) -> None:  # type: ignore[no-untyped-def]
    """(On a phone the list shows no column headers to sort by.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(seed_url + "index.html")
    header = page.locator("th[data-sort='date']")
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "ascending"
    context.close()
