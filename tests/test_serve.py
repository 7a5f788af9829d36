"""`teipress serve`: the local preview server publishes the site, and nothing but the site."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from teipress.errors import InputError
from teipress.serve import make_server, serving


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


@pytest.fixture()
def tiny_site(tmp_path: Path) -> Path:
    site = tmp_path / "html"
    (site / ".teipress").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    (site / ".teipress" / "manifest.json").write_text("{}", encoding="utf-8")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "pagefind.js").write_text("export {}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    return site


def test_serves_the_site_on_localhost(tiny_site: Path) -> None:
    with serving(tiny_site) as base:
        assert base.startswith("http://127.0.0.1:")
        status, body, _ = fetch(base + "index.html")
        assert (status, body) == (200, b"<!DOCTYPE html><title>home</title>")
        status, _, content_type = fetch(base + "pagefind/pagefind.js")
        assert status == 200 and content_type.startswith("text/javascript")


def test_does_not_serve_the_build_cache_or_files_outside(tiny_site: Path) -> None:
    with serving(tiny_site) as base:
        assert fetch(base + ".teipress/manifest.json")[0] == 404
        assert fetch(base + "%2Eteipress/manifest.json")[0] == 404
        assert fetch(base + "../secret.txt")[0] == 404
        assert fetch(base + "%2e%2e/secret.txt")[0] == 404


def test_refuses_a_folder_without_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no built site .* run `teipress build` first"):
        make_server(tmp_path)
