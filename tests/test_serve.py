"""`teipress serve`: the local preview server publishes the site, and nothing but the site."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

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


def raw_request(base: str, target: str) -> tuple[int, bytes]:
    """The status and body of `GET target`, sent byte for byte as given (no client normalises it)."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(b"GET " + target.encode("latin-1") + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture()
def site_with_links_out(tiny_site: Path) -> Path:
    outside = tiny_site.parent / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text("private", encoding="utf-8")
    (tiny_site / "documents").mkdir()
    (tiny_site / "documents" / "a.html").write_text("page a", encoding="utf-8")
    (tiny_site / "secret-link.txt").symlink_to(tiny_site.parent / "secret.txt")
    (tiny_site / "folder-link").symlink_to(outside, target_is_directory=True)
    (tiny_site / "cache-link").symlink_to(tiny_site / ".teipress", target_is_directory=True)
    (tiny_site / "inner-link.html").symlink_to(tiny_site / "documents" / "a.html")
    (tiny_site / "empty").mkdir()
    return tiny_site


@pytest.mark.parametrize(
    "target",
    [
        "/secret-link.txt",
        "/folder-link/private.txt",
        "/folder-link/",
        "/cache-link/manifest.json",
        "/../secret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/documents/..%2F..%2Fsecret.txt",
        "/%00",
        "/index.html%00.txt",
        "/documents/a.html%00",
        "/%ff%fe",
        "/documents%2F..%2F..%2Fsecret.txt",
        "/empty/",
        "/documents/",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
    ],
)
def test_serves_nothing_outside_the_site_and_no_traceback_for_any_request(site_with_links_out: Path, target: str, capfd: pytest.CaptureFixture[str]) -> None:
    with serving(site_with_links_out) as base:
        status, body = raw_request(base, target)
        assert status == 404
        assert b"private" not in body and b"outside the site" not in body and b"{}" != body
        assert raw_request(base, "/index.html")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_links_inside_the_site_and_folders_with_an_index_are_served(site_with_links_out: Path) -> None:
    with serving(site_with_links_out) as base:
        assert raw_request(base, "/inner-link.html") == (200, b"page a")
        assert raw_request(base, "/") == (200, b"<!DOCTYPE html><title>home</title>")
        assert raw_request(base, "/documents/a.html?q=1#x") == (200, b"page a")
        assert raw_request(base, "/pagefind")[0] == 301


def test_refuses_a_folder_without_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no built site .* run `teipress build` first"):
        make_server(tmp_path)


def test_static_dts_files_are_served_in_the_media_types_of_the_dts_specification(tiny_site: Path) -> None:
    """Without --api the static Level 0 files answer: JSON-LD and TEI, as the live API does; other JSON and XML stay as they are."""
    (tiny_site / "api" / "dts" / "document").mkdir(parents=True)
    (tiny_site / "api" / "dts" / "index.json").write_text("{}", encoding="utf-8")
    (tiny_site / "api" / "dts" / "document" / "letter.xml").write_text("<TEI/>", encoding="utf-8")
    (tiny_site / "tei").mkdir()
    (tiny_site / "tei" / "letter.xml").write_text("<TEI/>", encoding="utf-8")
    (tiny_site / "data.json").write_text("{}", encoding="utf-8")
    with serving(tiny_site) as base:
        types = [fetch(base + path)[2].split(";")[0] for path in ("api/dts/index.json", "api/dts/document/letter.xml", "tei/letter.xml", "data.json")]
    assert types == ["application/ld+json", "application/tei+xml", "application/xml", "application/json"]
