"""The site in a real browser: headless Chromium driven by Playwright, the site served by `teipress.serve`.

Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from teipress.serve import serving

from test_build import LETTER, TELEGRAM, build, copy_fixture
from test_customise import build_html, edition

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture edition, built once per session and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser-site")
    build(copy_fixture(root), root / "out")
    with serving(root / "out" / "html") as url:
        yield url


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records console errors and uncaught exceptions; the test fails on any."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"console errors: {errors}"


def test_home_lists_and_filters_the_documents(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "index.html")
    rows = page.locator("table.document-list tbody tr")
    assert rows.count() == 2
    page.screenshot(path=str(artifacts_dir / "site-home.png"), full_page=True)
    page.select_option("#filter-type", "Telegram")
    assert page.locator("table.document-list tbody tr:visible").count() == 1
    assert page.locator(".document-count .shown").inner_text() == "1"
    page.click("form.document-filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('table.document-list tbody tr:not([hidden])').length === 2")
    page.click("th[data-sort='date'] button")  # ascending -> descending
    assert page.locator("table.document-list tbody tr").first.get_attribute("data-title").startswith("Telegram")


def test_marks_take_the_focus_the_page_leaves_to_the_script(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    # The page holds no tabindex for its marked names and readings (issue 11); site.js makes every one focusable,
    # in the text and in the notes alike, but none inside a link.
    page.goto(site_url + f"documents/{LETTER}.html")
    marks = page.evaluate("""Array.from(document.querySelectorAll('[data-entity], .tei-choice')).filter(mark => !mark.closest('a')).map(
        mark => [mark.textContent.trim(), mark.getAttribute('tabindex')])""")
    assert len(marks) > 3
    assert [tabindex for _text, tabindex in marks] == ["0"] * len(marks)


def test_entity_popover_opens_with_mouse_and_keyboard(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{LETTER}.html")
    place = page.locator(".reading-text [data-entity='southport']")
    place.click()
    popover = page.locator("#tp-popover")
    popover.wait_for(state="visible")
    assert popover.get_attribute("role") == "dialog"
    assert "Southport" in popover.inner_text() and "A harbour in the south." in popover.inner_text()
    assert place.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(artifacts_dir / "site-document-popover.png"), full_page=True)
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.entity") == "southport"  # focus returns to the name

    organisation = page.locator(".reading-text [data-entity='guild']")
    organisation.focus()
    page.keyboard.press("Enter")
    popover.wait_for(state="visible")
    assert "Guild of Letter Writers" in popover.inner_text() and "GLW" in popover.inner_text()
    page.keyboard.press("Escape")

    unregistered = page.locator(".reading-text [data-entity][data-href]")
    unregistered.click()
    popover.wait_for(state="visible")
    assert "no entry in the edition's registers" in popover.inner_text()
    assert popover.locator(".popover-kind").text_content() == "Person"  # a persName's kind, from its tei- class alone
    assert popover.locator("a[rel~='external']").get_attribute("href") == "https://authority.example.org/people/42"
    page.keyboard.press("Escape")

    page.locator(".reading-text .tei-choice").first.click()
    popover.wait_for(state="visible")
    assert "Sept." in popover.inner_text() and "September" in popover.inner_text()


def test_markup_toggle_hides_the_markup(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{LETTER}.html")
    entity = page.locator(".reading-text .tei-persName[data-entity]").first
    assert "underline" in entity.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.click(".markup-toggle")
    assert page.locator(".markup-toggle").get_attribute("aria-pressed") == "true"
    assert entity.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"


def test_register_back_link_leads_to_the_passage(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + f"documents/{LETTER}.html")
    page.locator(".reading-text [data-entity='alma-sender']").click()
    page.locator("#tp-popover a", has_text="Register entry").click()
    page.wait_for_url("**/registers/persons/alma-sender.html")
    page.screenshot(path=str(artifacts_dir / "site-register.png"), full_page=True)
    assert page.locator("#alma-sender .mention-context").nth(1).inner_text() == "ARRIVING TENTH STOP ALMA PLEASE BRING ZEPHYRANTHES STOP"
    page.locator("#alma-sender a.mention").nth(1).click()
    page.wait_for_url(f"**/documents/{TELEGRAM}.html#p1")
    assert "ZEPHYRANTHES" in page.locator("#p1").inner_text()


def test_search_finds_a_word_and_its_document(page, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "search.html")
    page.locator("#search-input").fill("marmalade")
    result = page.locator(".search-result-link").first
    result.wait_for(timeout=15_000)
    assert result.get_attribute("href").endswith(f"documents/{LETTER}.html")
    page.screenshot(path=str(artifacts_dir / "site-search.png"), full_page=True)
    result.click()
    page.wait_for_url(f"**/documents/{LETTER}.html")


def test_document_page_on_a_phone(browser, site_url: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(site_url + f"documents/{LETTER}.html")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    tab.locator(".reading-text [data-entity='northtown']").first.tap()
    tab.locator("#tp-popover").wait_for(state="visible")
    tab.screenshot(path=str(artifacts_dir / "site-document-phone.png"), full_page=True)
    context.close()


def test_a_schnitzler_letter_reads_as_a_letter(browser, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A letter of another project (schnitzler-briefe): its kind, its letterhead line by line, its lists as entries."""
    from conftest import shared_path

    source = tmp_path / "tei"
    source.mkdir()
    shutil.copy(shared_path("foreign-tei", "schnitzler-briefe", "L00001.xml"), source)
    build(source, tmp_path / "out")
    with serving(tmp_path / "out" / "html") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.goto(url + "documents/L00001.html")
        assert tab.locator(".kicker span").first.inner_text().lower() == "letter"
        assert tab.locator("aside.document-meta dd").first.inner_text() == "Letter"

        # The letterhead: each part on a line of its own, "Redaction." and the place and date at the two ends of one line.
        opener = tab.locator(".reading-text .tei-opener")
        lines = [" ".join(line.split()) for line in opener.inner_text().splitlines() if line.strip()]
        assert lines == ["page break", "Frankfurter Zeitung", "und", "Handelsblatt.", "Redaction.", "Frankfurt a. M., 2. Aug. 1889",
                         "Telegramm-Adresse:", "Zeitung Frankfurt Main", "Hochgeehrter Herr Doctor!"]
        left = opener.locator(".rend-left").bounding_box()
        right = opener.locator(".rend-right").bounding_box()
        assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"]

        # The lists of the back: no longer in the reading text, but entries after the notes.
        assert "48,208333" not in tab.locator(".reading-text").inner_text()
        register = tab.locator("section.document-register")
        assert register.locator("h3").all_text_contents() == ["Persons", "Works", "Places", "Organisations"]
        schnitzler = register.locator("li#pmb2121")
        assert [" ".join(part.split()) for part in schnitzler.locator(":scope > *").all_inner_texts()] == [
            "Schnitzler, Arthur", "BORN: 15. 5. 1862, Wien (48,208333 16,373056)", "DIED: 21. 10. 1931, Wien (48,208333 16,373056)",
            "OCCUPATIONS: Schriftsteller/Schriftstellerin; Mediziner/Medizinerin", "GND https://d-nb.info/gnd/118609807/"]
        assert schnitzler.locator("a.authority-link").get_attribute("href") == "https://d-nb.info/gnd/118609807/"
        notes = tab.locator("section.notes").bounding_box()
        assert register.bounding_box()["y"] > notes["y"] + notes["height"] - 1
        tab.screenshot(path=str(artifacts_dir / "site-foreign-letter.png"), full_page=True)
        context.close()
ALIGNED_LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="aligned"><teiHeader><fileDesc><titleStmt><title>Aligned</title></titleStmt>
<publicationStmt><p>Invented for the tests</p></publicationStmt><sourceDesc><p>Invented</p></sourceDesc></fileDesc></teiHeader>
<text><front><div type="dateline"><p rend="right">Winterthur den 30. October</p></div><div type="opener"><p rend="indent">Hochgeehrter Herr!</p></div></front>
<body><p>Einige Tage Aufenthalt in jüngster Zeit.</p><p rend="center">Ihr Ergebener</p><p>Rieter <hi rend="right">und</hi> so fort</p></body></text></TEI>"""


def test_a_block_is_aligned_and_indented_as_the_source_sets_it(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """rend="right", "center" and "indent" on a block (as Escher's letters set datelines, salutations and closers), in
    each paragraph's computed style; a paragraph without them, or a phrase with one, as the text runs."""
    source = tmp_path / "tei"
    source.mkdir()
    (source / "aligned.xml").write_text(ALIGNED_LETTER, encoding="utf-8")
    build(source, tmp_path / "out")
    with serving(tmp_path / "out" / "html") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.goto(url + "documents/aligned.html")
        styles = tab.eval_on_selector_all(".reading-text p", """ps => ps.map(p => [p.textContent.trim(), getComputedStyle(p).textAlign,
            Math.round(parseFloat(getComputedStyle(p).textIndent) / parseFloat(getComputedStyle(p).fontSize) * 10) / 10])""")
        context.close()
    # The indent in the paragraph's own ems.
    assert styles == [["Winterthur den 30. October", "right", 0], ["Hochgeehrter Herr!", "start", 1.5],
                      ["Einige Tage Aufenthalt in jüngster Zeit.", "start", 0], ["Ihr Ergebener", "center", 0],
                      ["Rieter und so fort", "start", 0]]


# --- a customised site (test_customise.py has the rest) ---------------------------------------------


def test_the_edition_css_wins_over_teipress_own_in_a_browser(tmp_path: Path, page, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    logo = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100'><rect width='200' height='100' fill='#7a1f1f'/></svg>"
    root = edition(tmp_path, 'css = "look/edition.css"\nlogo = "look/logo.svg"\n',
                   {"look/edition.css": ".site-header { background: rgb(18, 52, 86); }\n", "look/logo.svg": logo})
    build_html(root)
    page.goto((root / "output" / "html" / "index.html").as_uri())
    assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") == "rgb(18, 52, 86)"
    assert page.eval_on_selector(".site-logo", "e => [e.naturalWidth, e.getBoundingClientRect().height]") == [200, 32]  # loaded, 2rem high
    page.screenshot(path=str(artifacts_dir / "customised-header.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 120})


def _search_state(browser, url: str, term: str | None, filter_label: str | None) -> dict:  # type: ignore[no-untyped-def]
    """What the search page shows for a term or a filter value: results with their excerpts, the filters, the count."""
    context = browser.new_context()  # nothing cached from the index searched before
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(url + "search.html")
    tab.locator(".search-filter-label").first.wait_for(state="attached", timeout=15_000)
    for details in tab.locator("details.search-filter").all():
        details.evaluate("element => { element.open = true; }")
    if filter_label is not None:
        tab.locator(".search-filter-label", has_text=filter_label).first.click()
    if term is not None:
        tab.locator("#search-input").fill(term)
    tab.locator(".search-status").filter(has_text="found").wait_for(timeout=15_000)
    state = tab.evaluate("""() => ({status: document.querySelector('.search-status').textContent,
        filters: [...document.querySelectorAll('.search-filter-label')].map(e => e.textContent),
        results: [...document.querySelectorAll('.search-result')].map(e => [e.querySelector('.search-result-link').getAttribute('href'),
                                                                          e.querySelector('.search-result-title').textContent,
                                                                          e.querySelector('.search-result-excerpt').textContent]).sort()})""")
    context.close()
    assert errors == []
    return state


def test_search_across_index_chunks_finds_what_one_index_finds(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from teipress.search import build_search_index

    build(copy_fixture(tmp_path), tmp_path / "out")
    site = tmp_path / "out" / "html"
    queries = [("marmalade", None), ("Bruno", None), (None, "1950"), (None, "Telegram")]
    with serving(site) as url:
        whole = [_search_state(browser, url, term, label) for term, label in queries]
        chunked = build_search_index(site, {p.stem: "" for p in (site / "documents").glob("*.html")}, chunks=2)
        assert chunked.chunks == 2 and (site / "pagefind-chunks" / "1" / "pagefind-entry.json").is_file()
        in_chunks = [_search_state(browser, url, term, label) for term, label in queries]
    assert [len(state["results"]) for state in whole] == [1, 2, 2, 1]
    # type, year, sender, addressee, person, place: the letter is Alma's to Bruno, the telegram Bruno's to Alma
    assert whole[2]["filters"] == ["Letter (1)", "Telegram (1)", "1950 (2)", "Alma Sender (1)", "Bruno Receiver (1)",
                                   "Alma Sender (1)", "Bruno Receiver (1)", "Alma Sender (2)", "Northtown (1)", "Southport (1)"]
    assert in_chunks == whole  # the same results, excerpts and filter counts from two bundles merged in the browser


def test_search_after_a_rebuild_finds_the_changed_words_and_those_of_the_unchanged_chunk(browser, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rebuild indexes again only the chunk of the changed letter: the search page then finds its new words, and
    still the words of the chunk that was kept as it was."""
    from teipress import search

    monkeypatch.setattr(search, "chunk_count", lambda places, wanted=None: 2)  # the letter in one chunk, the telegram in the other
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site = tmp_path / "out" / "html"
    kept = site / search.chunk_folder(search.place_of(LETTER) % 2) / "pagefind-entry.json"
    before = kept.stat().st_ino
    telegram = source / f"{TELEGRAM}.xml"
    telegram.write_text(telegram.read_text(encoding="utf-8").replace("ZEPHYRANTHES", "HYACINTHS"), encoding="utf-8")
    build(source, tmp_path / "out")
    assert kept.stat().st_ino == before  # the letter's chunk was not indexed again
    with serving(site) as url:
        found = {term: _search_state(browser, url, term, None)["results"] for term in ("HYACINTHS", "marmalade", "Bruno")}
    assert [[href for href, _title, _excerpt in found[term]] for term in ("HYACINTHS", "marmalade", "Bruno")] == [
        [f"/documents/{TELEGRAM}.html"], [f"/documents/{LETTER}.html"], sorted([f"/documents/{LETTER}.html", f"/documents/{TELEGRAM}.html"])]
    assert "HYACINTHS" in found["HYACINTHS"][0][2].upper()
