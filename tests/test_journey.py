"""A new user's journey, as README's "From an empty folder to a published edition" tells it: `teipress init`
a German edition, `build` it, preview it with `serve --watch` in a browser while editing the example letter
(the page reloads; a bad pointer is a banner with its file:line:column), add a letter with `teipress new`,
change the look through teipress.toml only, and find the interface in German throughout.

Every command is the real `teipress` console command, run in the edition's folder as a user types it there.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pymupdf
import pytest

# `teipress ARGS`, by the console script's entry point, with whichever teipress this Python imports.
TEIPRESS = [sys.executable, "-c", "import sys; from teipress.cli import main; sys.argv[0] = 'teipress'; main()"]
# The same, with Ctrl+C turned back into KeyboardInterrupt, as a terminal gives it: a test run started in the
# background of a script (`python -m pytest &`) ignores SIGINT, and its children inherit that, so `serve` would
# never stop.
INTERRUPTIBLE_TEIPRESS = [sys.executable, "-c", "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                          "from teipress.cli import main; sys.argv[0] = 'teipress'; main()"]
TITLE = "Briefe der Anna Example"
LETTER = "tei/example-letter.xml"
# teipress's entries, then the divisions of the new edition's edition.xml, pages of their own (headed in English by the template).
GERMAN_MENU = ["Dokumente", "Personen", "Orte", "Organisationen", "Zitierte Dokumente", "Chronologie", "Übersichten", "Suche", "Introduction", "Editorial principles"]
GERMAN_LIST_HEADINGS = ["Datum", "Titel", "Typ", "Von", "An"]
SOCIETY = '<orgName ref="#example-society">Example Society</orgName> read it aloud'
BAD_SOCIETY = '<orgName ref="#example-societty">Example Society</orgName> read it aloud'


def teipress(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TEIPRESS, *args], cwd=folder, capture_output=True, text=True, timeout=300, env=_environment())


def _environment() -> dict[str, str]:
    # Wide lines (no wrapping of file:line:column messages) and output as it is printed, not when the pipe's buffer fills.
    return {**os.environ, "COLUMNS": "500", "PYTHONUNBUFFERED": "1"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


class Preview:
    """`teipress serve --port 0 ARGS` running in `folder`: its address, its terminal output, Ctrl+C to stop it."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.output: list[str] = []
        self.process = subprocess.Popen([*INTERRUPTIBLE_TEIPRESS, "serve", "--port", "0", *args], cwd=folder, env=_environment(),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.url = self.wait_for_line(r"Serving \S+ at (http://127\.0\.0\.1:\d+/)", seconds=120).group(1)
        except BaseException:
            self.stop()  # no server left running when it did not start as it should
            raise

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.output.append(line)

    def wait_for_line(self, pattern: str, seconds: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = next((m for m in map(re.compile(pattern).search, list(self.output)) if m), None)
            if found:
                return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.1)
        pytest.fail(f"`teipress serve` printed no line matching {pattern!r}:\n{''.join(self.output)}")

    def stop(self) -> int:
        """Ctrl+C, as a user stops it; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        return self.process.returncode


def menu(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("nav.site-nav a").all_inner_texts()


@pytest.mark.browser
def test_from_an_empty_folder_to_a_customised_german_edition(tmp_path: Path, browser, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    # 1. Start the edition and build it.
    started = teipress(tmp_path, "init", "my-edition", "--title", TITLE, "--language", "de")
    assert started.returncode == 0, started.stdout + started.stderr
    root = tmp_path / "my-edition"
    # The editors' XML editor finds the schema: every file names the edition's own copy.
    assert (root / "schema" / "teipress.rng").is_file()
    assert (root / LETTER).read_text(encoding="utf-8").count('<?xml-model href="../schema/teipress.rng"') == 2
    built = teipress(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert sorted(p.name for p in (root / "output" / "pdf").glob("*.pdf")) == ["edition.pdf", "example-letter.pdf"]

    # 2. Preview it while editing: the open page reloads after a save.
    preview = Preview(root, "--watch")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(preview.url + "documents/example-letter.html")
        assert page.locator("html").get_attribute("lang") == "de"
        assert menu(page) == GERMAN_MENU
        assert "14. März 1888" in page.locator("main").inner_text()
        assert "read it aloud" in page.locator("main").inner_text()
        page.evaluate("window.journeyMark = 'before the edit'")

        edit(root / LETTER, "read it aloud", "read it softly")
        page.wait_for_function("document.body.innerText.includes('read it softly')", timeout=60_000)
        assert page.evaluate("window.journeyMark") is None  # the page reloaded itself
        assert "read it aloud" not in page.locator("main").inner_text()

        # 3. A mistake: a pointer to no register entry is a banner on the page and a line in the terminal,
        # with the file, line and column of the attribute; the page keeps the last good build.
        page.evaluate("window.journeyMark = 'before the mistake'")
        edit(root / LETTER, SOCIETY.replace("aloud", "softly"), BAD_SOCIETY.replace("aloud", "softly"))
        lines = (root / LETTER).read_text(encoding="utf-8").splitlines()
        line = next(number for number, text in enumerate(lines, start=1) if "#example-societty" in text)
        column = lines[line - 1].index('ref="#example-societty"') + 1
        problem = (f'{LETTER}:{line}:{column}: error: orgName/@ref "#example-societty" points to no person, place, organisation '
                   "or bibliographic entry of the edition; did you mean #example-society or #example-editors? [ref-resolves]")
        banner = page.locator("#teipress-problems")
        banner.wait_for(timeout=60_000)
        assert banner.locator("li").all_inner_texts() == [problem]
        assert preview.wait_for_line(re.escape(problem))
        assert page.evaluate("window.journeyMark") == "before the mistake"  # no reload to a broken site
        page.screenshot(path=str(artifacts_dir / "journey-banner.png"))

        edit(root / LETTER, BAD_SOCIETY.replace("aloud", "softly"), SOCIETY.replace("aloud", "softly"))
        page.wait_for_function("window.journeyMark === undefined && !document.getElementById('teipress-problems')", timeout=60_000)
        assert "read it softly" in page.locator("main").inner_text()

        # 4. A second letter, its correspondents taken from the registers: the home page lists it after the rebuild.
        page.goto(preview.url)
        assert page.locator("main table thead th").all_text_contents() == GERMAN_LIST_HEADINGS
        assert page.locator("main table tbody tr").count() == 1
        page.evaluate("window.journeyMark = 'before the new letter'")
        added = teipress(root, "new", "letter", "--id", "letter-1888-04-02", "--date", "1888-04-02", "--from", "Ben Sample", "--to", "anna-example")
        assert (added.returncode, added.stdout) == (0, "wrote tei/letter-1888-04-02.xml\n"), added.stderr
        page.wait_for_function("window.journeyMark === undefined", timeout=60_000)
        rows = page.locator("main table tbody tr")
        assert [row.get_attribute("id") for row in rows.all()] == ["example-letter", "letter-1888-04-02"]
        new_row = rows.nth(1).locator("td")
        assert new_row.all_inner_texts()[0] == "2. April 1888"
        assert [new_row.nth(2).inner_text(), new_row.nth(3).inner_text(), new_row.nth(4).inner_text()] == ["Brief", "Ben Sample", "Anna Example"]
        assert rows.nth(1).locator("a").get_attribute("href") == "documents/letter-1888-04-02.html"
        assert errors == []
    finally:
        context.close()
        stopped = preview.stop()
    assert stopped == 0, "".join(preview.output)
    assert preview.output[-1].strip() == "Stopped."

    # 5. The look, through teipress.toml only: the edition's stylesheet, a footer and a menu entry, kept by `build`.
    (root / "look").mkdir()
    (root / "look" / "edition.css").write_text(".site-header { background: rgb(238, 230, 210); }\n", encoding="utf-8")
    with (root / "teipress.toml").open("a", encoding="utf-8") as settings:
        settings.write('\ncss = "look/edition.css"\nfooter = "Gefördert von der Beispiel-Stiftung"\n'
                       'nav = [{label = "Projekt", href = "https://project.example.org/"}]\n')
    rebuilt = teipress(root, "build")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert sorted(p.name for p in (root / "output" / "pdf").glob("*.pdf")) == ["edition.pdf", "example-letter.pdf", "letter-1888-04-02.pdf"]
    with pymupdf.open(root / "output" / "pdf" / "letter-1888-04-02.pdf") as pdf:
        assert "\nDatum\n2. April 1888\nVon\nBen Sample\nAn\nAnna Example\n" in "".join(pdf_page.get_text() for pdf_page in pdf)

    published = Preview(root)
    context = browser.new_context()
    try:
        page = context.new_page()
        for address in ("", "documents/letter-1888-04-02.html"):
            page.goto(published.url + address)
            assert page.locator("html").get_attribute("lang") == "de"
            assert menu(page) == [*GERMAN_MENU, "Projekt"]
            assert page.locator("nav.site-nav a", has_text="Projekt").get_attribute("href") == "https://project.example.org/"
            assert page.locator(".site-header").evaluate("header => getComputedStyle(header).backgroundColor") == "rgb(238, 230, 210)"
            assert page.locator("footer .edition-footer").inner_text() == "Gefördert von der Beispiel-Stiftung"
            assert "Mit teipress aus TEI-XML-Quellen veröffentlicht" in page.locator("footer").inner_text()
        assert "2. April 1888" in page.locator("main").inner_text()
        assert page.locator("#teipress-problems").count() == 0  # the plain preview adds no live script
        page.screenshot(path=str(artifacts_dir / "journey-customised.png"))
    finally:
        context.close()
        published.stop()
