"""A small local preview server for the built site (search needs http://, not file://)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import ConfigError, InputError

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site folder only; `.teipress/` (the build's cache) is not published."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".pf_meta": "application/octet-stream"}

    def send_head(self):  # type: ignore[no-untyped-def]
        if ".teipress" in Path(self.translate_path(self.path)).relative_to(self.directory).parts:
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(site: Path, port: int = 8000, *, verbose: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for `site` on 127.0.0.1 (port 0: any free port); call `serve_forever()` on it.

    Example: `make_server(Path("output/html"), 8000).serve_forever()`.
    """
    if not (site / "index.html").is_file():
        raise InputError(f"{site} holds no built site (no index.html); run `teipress build` first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise ConfigError(f"cannot listen on {HOST}:{port}: {error.strerror}; choose another port with --port") from error
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
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
