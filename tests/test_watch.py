"""`teipress serve --watch`: rebuild on save, reload the open pages, show the problems on them."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from teipress.config import load_config
from teipress.serve import LIVE_PATH, serving, with_live_script
from teipress.watch import EditionWatcher, Rebuild

from conftest import FIXTURES

LETTER = "letter-1950-03-04-northtown"
OLD_WORDS = "quince marmalade is on the agenda"
NEW_WORDS = "plum jam is on the agenda"
BAD_POINTER = 'says <persName ref="#nobody&lt;b&gt;">Carla Witness</persName>'


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def status(base: str) -> dict:  # type: ignore[type-arg]
    return json.loads(fetch(base + LIVE_PATH.lstrip("/") + "status"))


def wait_for(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.1)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def edition(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "site" / "edition", tmp_path / "tei")
    return tmp_path


@pytest.fixture()
def watched(edition: Path) -> Iterator[tuple[EditionWatcher, str, list[Rebuild]]]:
    """The edition built once, served with a watcher polling every 0.1 s in its thread."""
    rebuilds: list[Rebuild] = []
    config = load_config(edition, source=edition / "tei", output=edition / "output")
    watcher = EditionWatcher(config, on_rebuild=rebuilds.append, interval=0.1, jobs=1)
    first = watcher.build()
    assert first.built and first.status.version == 1 and first.status.problems == ()
    with serving(config.html_dir, watcher=watcher) as base:
        watcher.start()
        try:
            yield watcher, base, rebuilds
        finally:
            watcher.stop()


def test_a_change_rebuilds_only_its_page_and_bumps_the_version(watched, edition: Path) -> None:  # type: ignore[no-untyped-def]
    watcher, base, rebuilds = watched
    page = base + f"documents/{LETTER}.html"
    assert OLD_WORDS in fetch(page).decode()
    assert status(base) == {"version": 1, "problems": [], "error": None}

    edit(edition / "tei" / f"{LETTER}.xml", OLD_WORDS, NEW_WORDS)
    wait_for(lambda: status(base)["version"] == 2)
    assert rebuilds[-1].built and rebuilds[-1].rendered == (LETTER,)
    assert rebuilds[-1].changed == (edition / "tei" / f"{LETTER}.xml",)
    served = fetch(page).decode()
    assert NEW_WORDS in served and OLD_WORDS not in served
    assert served.count(f'<script src="{LIVE_PATH}live.js" data-teipress-version="2"></script></body>') == 1
    # Only the preview server adds the script: the published file has none.
    assert "__teipress__" not in (edition / "output" / "html" / "documents" / f"{LETTER}.html").read_text(encoding="utf-8")


def test_an_error_is_served_for_the_banner_and_the_site_stays(watched, edition: Path) -> None:  # type: ignore[no-untyped-def]
    watcher, base, rebuilds = watched
    letter = edition / "tei" / f"{LETTER}.xml"
    line = next(number for number, text in enumerate(letter.read_text(encoding="utf-8").splitlines(), start=1) if OLD_WORDS in text)
    edit(letter, 'says <persName ref="https://authority.example.org/people/42">Carla Witness</persName>', BAD_POINTER)
    wait_for(lambda: status(base)["problems"] != [])
    problems = status(base)["problems"]
    assert [(p["line"], p["severity"], p["rule"]) for p in problems] == [(line, "error", "ref-resolves")]
    assert problems[0]["text"] == f'{problems[0]["file"]}:{line}:{problems[0]["column"]}: error: persName/@ref "#nobody<b>" points to no person, place, organisation or bibliographic entry of the edition [ref-resolves]'
    assert problems[0]["file"].endswith(f"{LETTER}.xml")
    assert status(base)["version"] == 1 and rebuilds[-1].built is False
    assert OLD_WORDS in fetch(base + f"documents/{LETTER}.html").decode()

    edit(letter, BAD_POINTER, 'says <persName ref="https://authority.example.org/people/42">Carla Witness</persName>')
    wait_for(lambda: status(base)["version"] == 2)
    assert status(base)["problems"] == []


def test_nothing_is_rebuilt_while_nothing_changes(watched) -> None:  # type: ignore[no-untyped-def]
    watcher, base, rebuilds = watched
    time.sleep(1.0)
    assert len(rebuilds) == 1 and watcher.poll() is None and status(base)["version"] == 1  # the first build only


def test_hidden_files_and_the_output_folder_are_not_watched(edition: Path) -> None:
    config = load_config(edition, source=edition / "tei", output=edition / "tei" / "output")
    (edition / "tei" / ".letter.xml.swp").write_bytes(b"x")
    (edition / "tei" / "output").mkdir()
    (edition / "tei" / "output" / "page.html").write_text("x", encoding="utf-8")
    watched_files = EditionWatcher(config).snapshot()
    assert sorted(p.relative_to(edition / "tei").as_posix() for p in watched_files) == sorted(
        p.relative_to(FIXTURES / "site" / "edition").as_posix() for p in (FIXTURES / "site" / "edition").rglob("*") if p.is_file())


def test_the_live_script_goes_before_the_last_body_end_only() -> None:
    assert with_live_script(b"<body><p>x</p></body></html>", 7) == b'<body><p>x</p><script src="/__teipress__/live.js" data-teipress-version="7"></script></body></html>'
    assert with_live_script(b"<p>no body</p>", 1) == b'<p>no body</p><script src="/__teipress__/live.js" data-teipress-version="1"></script>'
    assert with_live_script(b"<body>a</BODY>b</body >", 2).endswith(b'</BODY>b<script src="/__teipress__/live.js" data-teipress-version="2"></script></body >')


def test_without_watch_the_server_adds_nothing(edition: Path) -> None:
    from test_build import build

    build(edition / "tei", edition / "output")
    site = edition / "output" / "html"
    with serving(site) as base:
        assert fetch(base + "index.html") == (site / "index.html").read_bytes()
        with pytest.raises(urllib.error.HTTPError):
            fetch(base + LIVE_PATH.lstrip("/") + "status")


# --- in a browser -------------------------------------------------------------------------------------

@pytest.mark.browser
def test_the_page_shows_the_problems_as_text_and_reloads_after_the_fix(watched, edition: Path, artifacts_dir: Path, browser) -> None:  # type: ignore[no-untyped-def]
    _watcher, base, _rebuilds = watched
    letter = edition / "tei" / f"{LETTER}.xml"
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + f"documents/{LETTER}.html")
        page.evaluate("window.teipressTestMark = 'before'")

        edit(letter, 'says <persName ref="https://authority.example.org/people/42">Carla Witness</persName>', BAD_POINTER)
        banner = page.locator("#teipress-problems")
        banner.wait_for(timeout=60_000)
        item = banner.locator("li")
        assert item.count() == 1
        assert f"{LETTER}.xml:" in item.inner_text() and '"#nobody<b>" points to no person' in item.inner_text()
        assert banner.locator("b").count() == 0  # the message is text, not markup
        assert page.evaluate("window.teipressTestMark") == "before"  # a failed build does not reload
        page.screenshot(path=str(artifacts_dir / "watch-banner.png"))

        edit(letter, BAD_POINTER, 'says <persName ref="https://authority.example.org/people/42">Carla Witness</persName>')
        edit(letter, OLD_WORDS, NEW_WORDS)
        page.wait_for_function("document.body.innerText.includes('plum jam')", timeout=60_000)
        assert page.evaluate("window.teipressTestMark") is None  # reloaded
        assert page.locator("#teipress-problems").count() == 0
        assert errors == []
    finally:
        context.close()


def test_settings_and_the_edition_s_own_files_are_watched_and_read_again(edition: Path) -> None:
    """teipress.toml, the css it names and an `xslt` folder outside the sources; a changed title is built."""
    (edition / "theme").mkdir()
    (edition / "theme" / "edition.css").write_text("body { color: black; }", encoding="utf-8")
    (edition / "own-xslt" / "html").mkdir(parents=True)
    (edition / "own-xslt" / "html" / "notes.txt").write_text("x", encoding="utf-8")
    settings = edition / "teipress.toml"
    settings.write_text('title = "First title"\ncss = "theme/edition.css"\nxslt = "own-xslt"\n', encoding="utf-8")
    config = load_config(edition, source=edition / "tei", output=edition / "output")
    watcher = EditionWatcher(config, jobs=1)
    watched = {p.relative_to(edition).as_posix() for p in watcher.snapshot()}
    assert {"teipress.toml", "theme/edition.css", "own-xslt/html/notes.txt"} <= watched
    assert watcher.build().built
    assert "First title" in (edition / "output" / "html" / "index.html").read_text(encoding="utf-8")

    settings.write_text('title = "Second title"\ncss = "theme/edition.css"\nxslt = "own-xslt"\n', encoding="utf-8")
    rebuilt = watcher.poll()
    assert rebuilt is not None and rebuilt.built and rebuilt.changed == (settings,)
    assert "Second title" in (edition / "output" / "html" / "index.html").read_text(encoding="utf-8")

    settings.write_text('title = "Third title"\nnot_a_setting = 1\n', encoding="utf-8")
    refused = watcher.poll()
    assert refused is not None and not refused.built and "unknown setting(s) not_a_setting" in (refused.status.error or "")
    assert watcher.poll() is None  # the same broken file is not built again and again
    assert "Second title" in (edition / "output" / "html" / "index.html").read_text(encoding="utf-8")
