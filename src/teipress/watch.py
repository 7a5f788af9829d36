"""`teipress serve --watch`: rebuild the site when a source file changes, and tell the open pages.

The watcher polls the modification times of the source folder's files (no dependency, works on
every file system, also network and container mounts); a change rebuilds the HTML site, which
transforms only what changed. The preview server (serve.py) asks `status()` for the version of
the site, bumped by every rebuild, and the problems of the last build, which the open pages
show as a banner.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import EditionInvalid, build_edition
from .config import CONFIG_FILE, Config, load_config
from .errors import TeipressError
from .outputs import is_output_folder
from .problems import Problem

# A file's state as the watcher sees it: modification time (ns) and size.
Snapshot = dict[Path, tuple[int, int]]


@dataclass(frozen=True)
class WatchStatus:
    """What the open pages need: the site's version and the problems of the last build."""

    version: int
    problems: tuple[Problem, ...] = ()
    error: str | None = None  # a build that could not run at all (unreadable folder, full disk ...)

    def as_json(self) -> bytes:
        problems = [{"text": str(p), **p.as_dict()} for p in self.problems]
        return json.dumps({"version": self.version, "problems": problems, "error": self.error}, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Rebuild:
    """One build the watcher ran: what changed, what it rendered, what it found."""

    status: WatchStatus
    built: bool  # False when validation or the build failed and the site stayed as it was
    changed: tuple[Path, ...] = ()
    rendered: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass
class EditionWatcher:
    """Rebuilds `config`'s HTML site whenever a file of its source folder changes.

    Example: `watcher = EditionWatcher(config); watcher.build(); watcher.start()` (then `watcher.stop()`).
    """

    config: Config
    on_rebuild: Callable[[Rebuild], None] | None = None
    interval: float = 0.5
    jobs: int | None = None
    _status: WatchStatus = field(default_factory=lambda: WatchStatus(version=0), init=False, repr=False)
    _snapshot: Snapshot = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    def status(self) -> WatchStatus:
        with self._lock:
            return self._status

    def snapshot(self) -> Snapshot:
        """Every file the site is made of, with its time and size: the source folder's (not hidden, not in
        an output folder teipress made), teipress.toml, and the edition's own css, logo, favicon, pages,
        Typst file and stylesheets (`xslt` folder), wherever they lie."""
        output = self.config.output.resolve()
        source = self.config.source
        files: Snapshot = {}
        candidates = [*sorted(source.rglob("*")), *self._settings_files()]
        for path in candidates:
            inside = path.is_relative_to(source)
            if inside and any(part.startswith(".") or part.endswith("~") for part in path.relative_to(source).parts):
                continue  # editors' swap and backup files, version control
            try:
                if path.resolve().is_relative_to(output) or not path.is_file():
                    continue
                if inside and any(is_output_folder(folder) for folder in path.parents if folder != source and folder.is_relative_to(source)):
                    continue  # another build's output below the sources (`teipress build -o tei/out`)
                state = path.stat()
            except OSError:
                continue  # removed while we looked
            files[path] = (state.st_mtime_ns, state.st_size)
        return files

    def _settings_files(self) -> list[Path]:
        """teipress.toml and the customisation files it names (config.py), the `xslt` folder's files one by one."""
        config = self.config
        named = [config.root / CONFIG_FILE, config.css, config.logo, config.favicon, config.typst, *config.pages]
        stylesheets = sorted(config.xslt.rglob("*")) if config.xslt and config.xslt.is_dir() else []
        return [path for path in (*named, *stylesheets) if path is not None]

    def build(self, changed: tuple[Path, ...] = ()) -> Rebuild:
        """Validate and build the HTML site now; the site's version goes up when it was rebuilt.

        A changed teipress.toml is read again first (its `source` and `output` stay those the watcher
        started with: the server serves that folder); a setting it cannot read is shown like an error.
        """
        self._snapshot = self.snapshot()
        started = time.perf_counter()
        version = self.status().version
        try:
            if self.config.root / CONFIG_FILE in changed:
                self.config = load_config(self.config.root, source=self.config.source, output=self.config.output)
                self._snapshot = self.snapshot()  # the files it names now
            result = build_edition(self.config, formats={"html"}, validate=True, jobs=self.jobs)
        except EditionInvalid as invalid:
            status, rebuilt, rendered = WatchStatus(version, tuple(invalid.problems)), False, ()
        except TeipressError as error:
            status, rebuilt, rendered = WatchStatus(version, error=str(error)), False, ()
        else:
            status, rebuilt, rendered = WatchStatus(version + 1, tuple(result.problems)), True, tuple(result.documents_rendered)
        with self._lock:
            self._status = status
        rebuild = Rebuild(status=status, built=rebuilt, changed=changed, rendered=rendered, seconds=time.perf_counter() - started)
        if self.on_rebuild is not None:
            self.on_rebuild(rebuild)
        return rebuild

    def poll(self) -> Rebuild | None:
        """Build when some file changed since the last build (waiting until saving has finished); else None."""
        current = self.snapshot()
        if current == self._snapshot:
            return None
        # An editor may write a file in several steps (temporary file, rename): wait until it holds still.
        while not self._stop.wait(self.interval):
            settled = self.snapshot()
            if settled == current:
                break
            current = settled
        changed = tuple(sorted(path for path in current.keys() | self._snapshot.keys() if current.get(path) != self._snapshot.get(path)))
        return self.build(changed)

    def start(self) -> None:
        """Poll in a background thread until `stop()`."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="teipress-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()
