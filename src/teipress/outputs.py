"""Output folders: which ones teipress may replace, how it replaces them whole, and the names of the files in them.

Ownership: every folder teipress writes (`html/`, `pdf/`, each export folder) holds `.teipress/`,
its mark. teipress replaces or deletes files only in a marked folder, a new one or an empty one
(or, with `--force`, one the user hands over); it never writes into `/`, the home folder, the
source folder or a folder that holds it, and the edition's loader skips marked folders, so that an
output inside the source folder is never read as sources.

Atomic: a folder is written as a sibling (`.NAME.building-PID`, starting empty or as a hard-linked
copy of the previous folder) and swapped into place only when everything succeeded, so a failure,
a full disk or a killed worker leaves the previous folder as it was. An `OSError` anywhere on the way
becomes one `OutputError` naming the file (as it would be in the target) and the system's reason.
The folder a swap retires is kept as its mirror, which the next build brings up to date and starts from (mirror.py).

Names: one function gives every published file its name (`documents/{name}.html`, `{name}.pdf`,
`{name}.xml` of the exports), unique, safe, the same in every output, reported when it had to change.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from . import __version__
from .edition import SAFE_ID, Edition, SourceFile
from .errors import ConfigError, OutputError, OutputExistsError
from .mirror import CatchUp, MirrorCopy, catch_up, journal_text, link_modified, read_journal
from .problems import Problem, Severity, display_path
from .workers import refuse_in_a_starting_worker
from .xmlio import write_atomic

MARKER = ".teipress"
OWNER_FILE = Path(MARKER) / "output.json"
# Files of the outputs that are not a document's: a document with such an id gets another name.
RESERVED_NAMES = {"edition": "the book, edition.pdf", "edition-corpus": "the corpus of `export tei`, edition-corpus.xml"}
# Names come from ids and file names; longer ones are cut so that `name.html` and its temporary file fit any file system.
MAX_NAME_LENGTH = 100
# The sibling folders of a build keep at most this much of the target's name, so that they never get too long.
_SIBLING_NAME_LENGTH = 40
JOURNAL_FILE = Path(MARKER) / "folders.json"


# --- ownership --------------------------------------------------------------------------------------


def is_output_folder(folder: Path) -> bool:
    """Whether teipress made `folder` (it holds teipress's mark)."""
    return (folder / MARKER).is_dir()


def check_output_location(folder: Path, source: Path) -> None:
    """A `ConfigError` when writing `folder` could harm what is not output: `/`, the home folder, the sources."""
    folder, source = folder.resolve(), source.resolve()
    shown = display_path(folder)
    if folder == Path(folder.anchor):
        raise ConfigError(f"the output folder {shown} is the root of the file system; choose a folder of its own with -o or `output` in teipress.toml")
    if folder == Path.home().resolve():
        raise ConfigError(f"the output folder {shown} is your home folder; choose a folder of its own with -o or `output` in teipress.toml")
    if folder == source:
        raise ConfigError(f"the output folder {shown} is the source folder; choose another with -o or `output` in teipress.toml")
    if source.is_relative_to(folder):
        raise ConfigError(f"the output folder {shown} holds the source folder {display_path(source)}; choose another with -o or `output` in teipress.toml")


def check_output_folder(folder: Path, *, source: Path, force: bool) -> None:
    """Refuse `folder` unless teipress may replace what is in it: its own, new or empty (any, with `force`), and not a place `check_output_location` refuses."""
    folder = folder.resolve()
    check_output_location(folder, source)
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError(str(folder), "it is not a folder")
        if folder.is_dir() and not force and not is_output_folder(folder) and any(folder.iterdir()):
            raise OutputExistsError(
                f"{display_path(folder)} holds files that teipress did not write; choose a new or empty folder, "
                f"or add --force to hand it over to teipress")
    except OSError as error:
        raise OutputError(str(folder), error.strerror or str(error)) from error


# --- atomic replacement ------------------------------------------------------------------------------


@contextmanager
def replaced_folder(target: Path, *, source: Path, force: bool = False, keep_previous: bool) -> Iterator[Path]:
    """Yield a staging folder that replaces `target` whole when the block ends without an error.

    With `keep_previous` the staging folder starts as a hard-linked copy of `target` (cheap; files
    are replaced, never edited in place; see the mirror in the module's docstring), else empty. On any
    error `target` is left as it was and the staging folder becomes the mirror (any folder of files
    serves as one) or is removed; an `OSError` becomes an `OutputError` naming the file as it would lie in `target`.
    """
    refuse_in_a_starting_worker()
    target = target.resolve()
    check_output_folder(target, source=source, force=force)
    staging = _sibling(target, "building")
    started = _file_system_now(target)
    try:
        _remove_abandoned(target)
        previous = target if keep_previous and target.is_dir() else None
        folders = _start(staging, previous, _mirror(target), _catching_up.pop(target, None) if keep_previous else None)
        if keep_previous and previous is None:
            _first_builds[staging] = _FirstBuild(target)
        yield staging
        write_atomic(staging / OWNER_FILE, json.dumps({"teipress": __version__}) + "\n")
        if keep_previous:
            write_atomic(staging / JOURNAL_FILE, journal_text(staging, folders, started, retired=previous))
        first = _first_builds.get(staging)
        _swap(staging, target, keep_mirror=keep_previous, copy=first.copy if first else None)
    except BaseException as error:
        if (first := _first_builds.get(staging)) is not None and first.copy is not None:
            first.copy.abandon()
        if not (keep_previous and _kept_as_mirror(staging, target)):
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, (OSError, OutputError)):
            raise _in_target(error, staging, target) from error
        raise
    finally:
        _first_builds.pop(staging, None)


@dataclass
class _FirstBuild:
    """A build under way that retires no folder: the folder it makes, and the copy of it that becomes the mirror, once started."""

    target: Path
    copy: MirrorCopy | None = None


_first_builds: dict[Path, _FirstBuild] = {}  # by staging folder


def start_mirror(staging: Path) -> None:
    """Start the copy of `staging` that becomes its folder's first mirror, where `replaced_folder` makes a first build's
    folder and the copy has not started yet (else nothing): called once the files most of the folder holds are written,
    it takes the cores the build's last phases leave idle (mirror.py)."""
    first = _first_builds.get(staging)
    if first is not None and first.copy is None:
        first.copy = MirrorCopy(staging, _sibling(first.target, "mirroring"), _file_system_now(first.target))


_catching_up: dict[Path, CatchUp] = {}  # by target folder: its mirror, taken for this process's next build of it


def prepare_staging(target: Path) -> None:
    """Begin the slowest step of the `replaced_folder(target, keep_previous=True)` that follows, before it is entered:
    take the mirror of `target` and bring it up to date in a process of its own (mirror.py), beside what the build reads
    first (0.85 s of a one-letter rebuild at 20,000 letters). Nothing where there is no mirror to take. Pair it with
    `release_staging`, for a build that stops before it writes."""
    refuse_in_a_starting_worker()
    target = target.resolve()
    mirror, staging = _mirror(target), _sibling(target, "building")
    if target in _catching_up or not target.is_dir() or not is_output_folder(mirror) or mirror.is_symlink():
        return
    _remove_abandoned(target)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.replace(mirror, staging)  # taken by one build only, also when two run at once
    except OSError:
        return
    _catching_up[target] = CatchUp(target, staging, target / JOURNAL_FILE)


def release_staging(target: Path) -> None:
    """Give back the mirror `prepare_staging` took where no `replaced_folder` started from it (the build stopped before):
    as it is, half brought up to date or whole, it serves the next build as a mirror."""
    target = target.resolve()
    catching_up = _catching_up.pop(target, None)
    if catching_up is not None:
        catching_up.stop()
        if not _kept_as_mirror(catching_up.staging, target):
            shutil.rmtree(catching_up.staging, ignore_errors=True)


def _file_system_now(target: Path) -> int:
    """The time by the clock that stamps the folders' times: a network file system's server's, not this machine's,
    read from a file made and removed at once beside `target` (this machine's clock where that cannot be)."""
    probe = _sibling(target, "clock")
    try:
        probe.touch()
    except OSError:  # not writable, or below a file: the build reports it where it writes
        return time.time_ns()
    try:
        return probe.stat().st_mtime_ns
    finally:
        probe.unlink()


def _in_target(error: OSError | OutputError, staging: Path, target: Path) -> OutputError:
    """The error as the user sees it: the file named where it would have been written, and that nothing changed."""
    if isinstance(error, OutputError):
        path, reason = Path(error.path), error.reason
    else:
        path, reason = Path(error.filename) if error.filename else target, error.strerror or str(error)
    if path.is_relative_to(staging):
        path = target / path.relative_to(staging)
    return OutputError(str(path), f"{reason}; " + (f"{display_path(target)} is unchanged" if target.exists() else "nothing was written"))


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name[:_SIBLING_NAME_LENGTH]}.{kind}-{os.getpid()}"


def _mirror(target: Path) -> Path:
    """The folder the last swap retired, kept to start the next build from (see the module's docstring)."""
    return beside(target, "mirror")


def beside(target: Path, kind: str) -> Path:
    """A file or folder kept beside the output folder `target` for its next build (`.html.mirror`, `.html.facts.sqlite`):
    outside the folder a build stages and swaps into place."""
    return target.parent / f".{target.name[:_SIBLING_NAME_LENGTH]}.{kind}"


def _start(staging: Path, previous: Path | None, mirror: Path, catching_up: CatchUp | None) -> list[str] | None:
    """Make `staging` a copy of `previous` (or an empty folder); return the folders it holds when the
    previous build's journal told them (relative POSIX paths, "" the folder itself), else None. `catching_up`: the
    mirror, already taken as `staging` and being brought up to date (`prepare_staging`)."""
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a file stands where a folder must be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), error.filename) from error
    if catching_up is not None and previous is not None and catching_up.finished():
        found = read_journal(previous / JOURNAL_FILE, staging)
        return found[0] if found is not None else None
    if catching_up is not None:
        catching_up.stop()
    shutil.rmtree(staging, ignore_errors=True)  # one that failed to catch up is copied whole below
    if previous is None:
        staging.mkdir()
        return [""]
    if catching_up is None and is_output_folder(mirror) and not mirror.is_symlink():
        try:
            os.replace(mirror, staging)  # taken by one build only, also when two run at once
        except OSError:
            pass
        else:
            try:
                return catch_up(previous, staging, previous / JOURNAL_FILE)
            except OSError:
                shutil.rmtree(staging, ignore_errors=True)  # copied whole below
    try:
        shutil.copytree(previous, staging, symlinks=True, copy_function=os.link)
    except OSError:
        # No hard links on this file system: a real copy (which fails, too, on a full or read-only disk).
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(previous, staging, symlinks=True)
    return None


def _remove_abandoned(target: Path) -> None:
    """Sibling folders left by builds that were killed (their process is gone), so that they do not pile up."""
    for folder in target.parent.glob(f".{glob.escape(target.name[:_SIBLING_NAME_LENGTH])}.*-[0-9]*"):
        kind, _, pid = folder.name.rpartition("-")
        if not pid.isdigit() or not kind.endswith((".building", ".previous", ".mirroring")) or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # another user's live process: leave its folder alone


def _swap(staging: Path, target: Path, *, keep_mirror: bool, copy: MirrorCopy | None = None) -> None:
    """Put the new folder in place of the old one with two renames; the old one becomes the mirror (`_start`)
    of the next build that starts from the previous folder, or is removed (`copy`: see `_keep_mirror`)."""
    if copy is not None:
        copy.finished()  # before the rename: the copy reads the folder by the staging folder's name
    retired = _sibling(target, "previous")
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.replace(target, retired)
    try:
        os.replace(staging, target)
    except OSError:
        if retired.exists():
            os.replace(retired, target)
        raise
    if keep_mirror:
        _keep_mirror(target, retired, copy)
    elif copy is not None:
        copy.abandon()
    shutil.rmtree(retired, ignore_errors=True)


def _kept_as_mirror(staging: Path, target: Path) -> bool:
    """Whether the staging folder of a failed build became the mirror (only where there is none)."""
    mirror = _mirror(target)
    if not is_output_folder(staging) or mirror.exists() or mirror.is_symlink():
        return False
    try:
        os.replace(staging, mirror)
    except OSError:
        return False
    return True


def _keep_mirror(target: Path, retired: Path, copy: MirrorCopy | None) -> None:
    """Keep the retired folder as the mirror; after a first build, which retired none, a hard-linked copy of
    the new one (a whole build takes far longer), so that already the first rebuild starts from a mirror: `copy`,
    made while the build ended (`start_mirror`) and brought up to date here, or else made now."""
    mirror = _mirror(target)
    shutil.rmtree(mirror, ignore_errors=True)  # one left by a build that found another one's
    try:
        if retired.exists():
            os.replace(retired, mirror)
            return
        folders = json.loads((target / JOURNAL_FILE).read_bytes())["folders"]
        made = copy.finished() if copy is not None else None
        if made is not None:
            link_modified(target, made, folders, copy.started)  # type: ignore[union-attr]
            os.replace(made, mirror)
        else:
            shutil.copytree(target, mirror, symlinks=True, copy_function=os.link)
        # The copy is the target as of now: the journal says so, for the next build to read little.
        write_atomic(target / JOURNAL_FILE, journal_text(target, folders, _file_system_now(target), retired=mirror))
    except (OSError, ValueError, KeyError, OutputError):
        shutil.rmtree(mirror, ignore_errors=True)  # no mirror: the next build copies the folder whole
        if copy is not None:
            copy.abandon()


# --- names ------------------------------------------------------------------------------------------


@dataclass
class OutputNames:
    """The name of each published file in every output, and a warning for each name that had to change."""

    by_path: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __getitem__(self, source: SourceFile) -> str:
        return self.by_path[source.path]


def published_files(edition: Edition) -> list[SourceFile]:
    """The files that get pages of their own: the documents, and registers from other projects (ours have the register pages)."""
    own_registers = (edition.source / "registers").resolve()
    return [f for f in edition.files if f.role == "document" or (f.role == "register" and not f.path.resolve().is_relative_to(own_registers))]


def output_names(edition: Edition) -> OutputNames:
    """Name every published file: its id (root `xml:id`, else file name) made safe, short and unique.

    Unique ignoring case (two names that differ only in case are one file on macOS and Windows),
    never a name of the edition's own files (RESERVED_NAMES). The same edition always gets the
    same names, so the site's links to PDFs and exports hold.
    """
    names = OutputNames()
    taken = set(RESERVED_NAMES)
    for source in published_files(edition):
        wanted = source.id if SAFE_ID.fullmatch(source.id) else re.sub(r"[^A-Za-z0-9._-]+", "-", source.path.stem).strip("-._")
        wanted = wanted[:MAX_NAME_LENGTH].rstrip("-._") or "document"
        name = wanted
        if name.casefold() in taken:
            name = next(f"{wanted}-{n}" for n in count(2) if f"{wanted}-{n}".casefold() not in taken)
        taken.add(name.casefold())
        names.by_path[source.path] = name
        if name != source.id:
            names.problems.append(Problem(display_path(source.path), 1, 1, Severity.WARNING, _renamed(source.id, wanted, name), "document-name"))
    return names


def _renamed(document_id: str, wanted: str, name: str) -> str:
    published = f"its outputs are named {name} (documents/{name}.html, {name}.pdf, {name}.xml)"
    if wanted.casefold() in RESERVED_NAMES:
        return f"the id {wanted!r} is the name of {RESERVED_NAMES[wanted.casefold()]}; {published}"
    if wanted != name:
        return f"another file already has the id {wanted!r}; {published}"
    return f"the id {document_id!r} is no safe file name; {published}"
