"""A small local preview server for the built site (search needs http://, not file://).

With a watcher (`teipress serve --watch`) the server also answers /__teipress__/status (the
site's version and the problems of the last build, as JSON) and adds to every HTML page it sends
a script that reloads the page when the version changes and shows the problems as a banner. The
script exists only in the server's responses: the site's files never hold it.
"""

from __future__ import annotations

import functools
import io
import re
import os
import stat
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .dts import API_PATH, TEI_MEDIA_TYPE, LiveApi, Response
from .errors import ConfigError, InputError

if TYPE_CHECKING:
    from .watch import EditionWatcher

HOST = "127.0.0.1"
# What the static DTS files are: JSON-LD (Entry, Collection, Navigation) and TEI (Document), as the live API answers.
STATIC_DTS_MEDIA_TYPES = {".json": "application/ld+json", ".xml": TEI_MEDIA_TYPE}


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the regular files of the site folder and nothing else.

    A path is followed to the file it names, links included, and served only when that file lies
    inside the site; `.teipress/` (the build's cache) is not published, nor are folder listings.
    Any request it cannot serve, however malformed, is a 404.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream"}

    def send_head(self):  # type: ignore[no-untyped-def]
        api = self.server.api  # type: ignore[attr-defined]
        if api is not None:
            parts = urlsplit(self.path)
            response = api.current().respond(parts.path, parts.query, self.headers.get("Accept"), f"http://{self.headers.get('Host') or HOST}/{API_PATH}")
            if response is not None:
                return self._send_response(response)
        try:
            target = self._published(Path(self.translate_path(self.path)))
            if target is not None and target.is_dir():
                if not urlsplit(self.path).path.endswith("/"):
                    return self._redirect_to_folder()
                target = self._published(target / "index.html")
            stream = open(target, "rb") if target is not None else None  # noqa: SIM115 - the base class closes it after copying
        except (OSError, ValueError):
            stream = None
        if stream is None or not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            if stream is not None:
                stream.close()
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        return self._send_file(target, stream)  # type: ignore[arg-type]

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The static DTS files (api/dts/) in the media types the DTS specification gives its responses."""
        site, target = Path(self.directory).resolve(), Path(path)
        if target.is_relative_to(site / API_PATH) and target.suffix.lower() in STATIC_DTS_MEDIA_TYPES:
            return STATIC_DTS_MEDIA_TYPES[target.suffix.lower()]
        return super().guess_type(path)

    def _send_file(self, target: Path, stream: BinaryIO) -> BinaryIO:
        """The headers of a published file; its stream, which the base class copies and closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-type", self.guess_type(str(target)))
        self.send_header("Content-Length", str(os.fstat(stream.fileno()).st_size))
        self.end_headers()
        return stream

    def _send_response(self, response: Response) -> BinaryIO:
        """A response of the live DTS API (serve --api)."""
        self.send_response(response.status)
        self.send_header("Content-type", response.media_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        return io.BytesIO(response.body)

    def _published(self, path: Path) -> Path | None:
        """What `path` names, links followed, when that lies inside the site and outside its cache; else None."""
        site = Path(self.directory).resolve()
        try:
            real = path.resolve(strict=True)
        except (OSError, ValueError, RuntimeError):
            return None
        return real if real.is_relative_to(site) and ".teipress" not in real.relative_to(site).parts else None

    def _redirect_to_folder(self) -> None:
        """As the base class does: a folder's relative links need the trailing slash."""
        parts = urlsplit(self.path)
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", parts._replace(path=parts.path + "/").geturl())
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


LIVE_PATH = "/__teipress__/"

# Polls the status once a second: a new version reloads the page; problems become a banner whose
# every line is set as text (textContent), never as HTML.
LIVE_SCRIPT = """(() => {
  "use strict";
  const version = document.currentScript.dataset.teipressVersion;
  const banner = (status) => {
    let box = document.getElementById("teipress-problems");
    const lines = status.problems.map((problem) => problem.text).concat(status.error ? [status.error] : []);
    if (lines.length === 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.id = "teipress-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:sticky;top:0;z-index:1000;margin:0;padding:0.75rem 1rem;background:#fff4f2;color:#5c0f0f;border-bottom:3px solid #b3261e;font:0.9rem/1.4 system-ui,sans-serif;max-height:40vh;overflow:auto";
      document.body.prepend(box);
    }
    const errors = status.error ? 1 : status.problems.filter((problem) => problem.severity === "error").length;
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 0.25rem;font-weight:700";
    title.textContent = errors > 0
      ? `teipress: ${lines.length} problem(s) in the sources; this page shows the last build that succeeded.`
      : `teipress: ${lines.length} warning(s) in the sources.`;
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem;font-family:ui-monospace,monospace";
    for (const line of lines) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    box.replaceChildren(title, list);
  };
  const poll = async () => {
    try {
      const response = await fetch("/__teipress__/status", {cache: "no-store"});
      const status = await response.json();
      if (String(status.version) !== version) {
        location.reload();
        return;
      }
      banner(status);
    } catch (error) {
      // The preview server was stopped or is busy: try again.
    }
    setTimeout(poll, 1000);
  };
  poll();
})();
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def with_live_script(page: bytes, version: int) -> bytes:
    """`page` with the live script before its last `</body>` (at its end when there is none)."""
    tag = f'<script src="{LIVE_PATH}live.js" data-teipress-version="{version}"></script>'.encode()
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + tag
    at = ends[-1].start()
    return page[:at] + tag + page[at:]


class _LiveHandler(_QuietHandler):
    """The site as _QuietHandler serves it, every HTML page with the live script, and the watcher's status."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if path == LIVE_PATH + "status":
            return self._send_bytes(self.server.watcher.status().as_json(), "application/json; charset=utf-8")  # type: ignore[attr-defined]
        if path == LIVE_PATH + "live.js":
            return self._send_bytes(LIVE_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        return super().send_head()

    def _send_file(self, target: Path, stream: BinaryIO) -> BinaryIO:
        if target.suffix.lower() not in (".html", ".htm"):
            return super()._send_file(target, stream)
        with stream:
            page = stream.read()
        version = self.server.watcher.status().version  # type: ignore[attr-defined]
        return self._send_bytes(with_live_script(page, version), "text/html; charset=utf-8")

    def _send_bytes(self, data: bytes, content_type: str) -> BinaryIO:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def end_headers(self) -> None:
        # Every rebuild may change any file: the browser must not keep one.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _SiteServer(ThreadingHTTPServer):
    """No traceback on the console for a request that fails (a reader closing the tab mid-download)."""

    daemon_threads = True
    verbose = False
    watcher: EditionWatcher | None = None
    api: LiveApi | None = None

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.verbose:
            error = sys.exc_info()[1]
            sys.stderr.write(f"{client_address[0]}: request failed: {type(error).__name__}: {error}\n")


def make_server(site: Path, port: int = 8000, *, verbose: bool = False, watcher: EditionWatcher | None = None, api: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for `site` on 127.0.0.1 (port 0: any free port); call `serve_forever()` on it.

    With a `watcher`, every page reloads itself when the watcher rebuilt the site and shows the
    problems of its last build. With `api`, /api/dts/, /api/dts/collection, /navigation and
    /document answer the full DTS 1.0 (teipress.dts) beside the site's static files.

    Example: `make_server(Path("output/html"), 8000).serve_forever()`.
    """
    if not (site / "index.html").is_file():
        raise InputError(f"{site} holds no built site (no index.html); run `teipress build` first")
    handler = functools.partial(_LiveHandler if watcher is not None else _QuietHandler, directory=str(site))
    try:
        server = _SiteServer((HOST, port), handler)
    except OSError as error:
        raise ConfigError(f"cannot listen on {HOST}:{port}: {error.strerror}; choose another port with --port") from error
    server.verbose = verbose
    server.watcher = watcher
    server.api = LiveApi(site) if api else None
    if server.api is not None and watcher is None:
        server.api.current()  # a site built without the DTS data is refused now, not at the first request
    return server


@contextmanager
def serving(site: Path, port: int = 0, *, watcher: EditionWatcher | None = None, api: bool = False) -> Iterator[str]:
    """Serve `site` in a background thread for the duration of a `with` block; yields the base URL."""
    server = make_server(site, port, watcher=watcher, api=api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
