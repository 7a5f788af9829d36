"""A small local preview server for the built site (search needs http://, not file://)."""

from __future__ import annotations

import functools
import os
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError, InputError

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the regular files of the site folder and nothing else.

    A path is followed to the file it names, links included, and served only when that file lies
    inside the site; `.teipress/` (the build's cache) is not published, nor are folder listings.
    Any request it cannot serve, however malformed, is a 404.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream"}

    def send_head(self):  # type: ignore[no-untyped-def]
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
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-type", self.guess_type(str(target)))
        self.send_header("Content-Length", str(os.fstat(stream.fileno()).st_size))
        self.end_headers()
        return stream

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


class _SiteServer(ThreadingHTTPServer):
    """No traceback on the console for a request that fails (a reader closing the tab mid-download)."""

    daemon_threads = True
    verbose = False

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.verbose:
            error = sys.exc_info()[1]
            sys.stderr.write(f"{client_address[0]}: request failed: {type(error).__name__}: {error}\n")


def make_server(site: Path, port: int = 8000, *, verbose: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for `site` on 127.0.0.1 (port 0: any free port); call `serve_forever()` on it.

    Example: `make_server(Path("output/html"), 8000).serve_forever()`.
    """
    if not (site / "index.html").is_file():
        raise InputError(f"{site} holds no built site (no index.html); run `teipress build` first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = _SiteServer((HOST, port), handler)
    except OSError as error:
        raise ConfigError(f"cannot listen on {HOST}:{port}: {error.strerror}; choose another port with --port") from error
    server.verbose = verbose
    return server


@contextmanager
def serving(site: Path, port: int = 0) -> Iterator[str]:
    """Serve `site` in a background thread for the duration of a `with` block; yields the base URL."""
    server = make_server(site, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
