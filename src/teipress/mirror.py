"""The mirror of an output folder: the folder its last build retired, kept beside it to start the next build from.

The folder a swap retires is kept as `.NAME.mirror` (hard links: no file's bytes twice on disk; outputs.py): the
next build brings it up to date, linking only the files whose inode differs from the target's and
removing those the target no longer has, which costs a directory read per folder instead of a link
and an unlink per file of the site (a tenth of the time at 60,000 files). The folder's journal
(`.teipress/folders.json`) spares even most of those reads: it lists the folder's folders, when the
build that wrote it started and which folder it retired (the mirror to be); a folder of the target or
the mirror not modified since that start (its modification time says so) holds the same entries in both,
so only the others are read. Without a journal that fits the mirror, every folder is read.

Both of a build's long steps on the mirror run in a process of their own, beside the build (`python -m teipress.mirror`):
- `CatchUp` brings the mirror up to date while the build reads the edition, before it writes (0.85 s of a one-letter
  rebuild at 20,000 letters, of which all but the process's start is off the build's path);
- `MirrorCopy` makes a folder's first mirror, after a build that retired none: a hard-linked copy of the new folder,
  made at the lowest priority beside the build's last phases. Made once the folder was in place, it was the build's
  last step, on one core: 3.2 s of a 5,074-letter edition's build, 12 s at 20,000 letters (170,000 and 600,000 files).
  It is brought up to date with what changed after it started, as any mirror is.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from . import __version__

# A folder's times come from the file system's coarse clock, which may lag the moment a build started by a tick:
# a folder modified this shortly before a build started is taken as modified by the build (only a directory read more).
_CLOCK_MARGIN_NS = 1_000_000_000


def _folder_identity(folder: Path) -> list[int]:
    status = os.stat(folder, follow_symlinks=False)
    return [status.st_dev, status.st_ino]


def journal_text(site: Path, folders: list[str] | None, started: int, *, retired: Path | None) -> str:
    """The journal of the build that started at `started` and leaves `site` (see the module's docstring), as JSON:
    `retired`, the folder it replaces, becomes the next build's mirror."""
    return json.dumps({
        "teipress": __version__,
        "started": started,
        "mirror": _folder_identity(retired) if retired is not None else None,
        "folders": _folders_now(site, folders, started),
    }, separators=(",", ":"))


def read_journal(file: Path, mirror: Path) -> tuple[list[str], int] | None:
    """The folders of a site and when the build that wrote it started, if its journal `file` is sound and names `mirror`."""
    try:
        journal = json.loads(file.read_bytes())
        if journal["mirror"] != _folder_identity(mirror) or journal["teipress"] != __version__:
            return None
        folders, started = journal["folders"], journal["started"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(started, int) and isinstance(folders, list) and all(isinstance(f, str) for f in folders)):
        return None
    return folders, started


def _folder_time(path: str) -> int | None:
    """When entries of the folder `path` were last added, removed or replaced; None when there is no folder.
    (Strings, not `Path`s: this is called for every folder of the site, and pathlib's joins cost more than the stat.)"""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return status.st_mtime_ns if stat.S_ISDIR(status.st_mode) else None


def link_modified(source: Path, copy: Path, folders: list[str], since: int) -> None:
    """`link_differences` for a `copy` that held what `source` holds as of `since`, except in folders of
    either modified after it: only those are read (a folder not in `folders` is new, and read whole)."""
    known, limit = set(folders), since - _CLOCK_MARGIN_NS
    for folder in sorted(folders):  # a folder before those inside it
        in_source, in_copy = _folder_time(os.path.join(source, folder)), _folder_time(os.path.join(copy, folder))
        # A folder missing from either is put right with the folder around it, which was modified.
        if in_source is not None and in_copy is not None and max(in_source, in_copy) >= limit:
            link_differences(source / folder, copy / folder, known_below=known, relative=folder)


def _folders_now(site: Path, folders: list[str] | None, since: int) -> list[str]:
    """The folders of `site` (relative POSIX paths): `folders` it held when the build started at `since`,
    without those gone, with those below a folder modified since; all found by a walk when not known."""
    if folders is None:
        relative = (Path(below).relative_to(site).as_posix() for below, _dirs, _files in os.walk(site))
        return sorted("" if folder == "." else folder for folder in relative)
    known, limit = set(folders), since - _CLOCK_MARGIN_NS
    found: set[str] = set()
    pending = sorted(known)
    while pending:
        folder = pending.pop()
        modified = _folder_time(os.path.join(site, folder)) if folder not in found else None
        if modified is None:
            continue
        found.add(folder)
        if folder in known and modified < limit:
            continue
        with os.scandir(os.path.join(site, folder)) as entries:
            pending.extend(f"{folder}/{e.name}".lstrip("/") for e in entries if e.is_dir(follow_symlinks=False))
    return sorted(found)


def link_differences(source: Path, copy: Path, *, known_below: set[str] | None = None, relative: str = "") -> None:
    """Make `copy` (a hard-linked copy of an earlier state of `source`) hold what `source` holds now.

    A name whose entry has the same inode in both is the same file (the copy's link keeps that inode
    in use, so no other file can have its number): only the others are linked or removed. Directory
    entries tell inodes and kinds without a stat of each file. A folder of both named in `known_below`
    (paths relative to `relative`'s root) is left to the caller, which knows whether it changed.
    """
    with os.scandir(source) as entries:
        wanted = {entry.name: entry for entry in entries}
    with os.scandir(copy) as entries:
        present = {entry.name: entry for entry in entries}
    for name, entry in list(present.items()):
        new = wanted.get(name)
        if new is None or new.is_dir(follow_symlinks=False) != entry.is_dir(follow_symlinks=False) or (
                not entry.is_dir(follow_symlinks=False) and new.inode() != entry.inode()):
            shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)
            del present[name]
    for name, entry in wanted.items():
        if entry.is_dir(follow_symlinks=False):
            if name not in present:
                os.mkdir(copy / name)
            elif known_below is not None and f"{relative}/{name}".lstrip("/") in known_below:
                continue
            link_differences(Path(entry.path), copy / name)
        elif name not in present:
            os.link(entry.path, copy / name, follow_symlinks=False)


def catch_up(previous: Path, staging: Path, journal: Path) -> list[str] | None:
    """Make `staging`, an earlier state of the folder `previous` (its mirror), hold what `previous` holds now, reading only
    the folders the `previous` folder's journal file does not vouch for; return the folders it lists (None without a
    journal that fits: then every folder was read)."""
    found = read_journal(journal, staging)
    if found is None:
        link_differences(previous, staging)
        return None
    folders, started = found
    link_modified(previous, staging, folders, started)
    return folders


def copy_linked(source: str, copy: str) -> None:
    """Make the new folder `copy` hold a hard link to every file below `source`, which others may change meanwhile.

    An entry gone before it is linked is left out. Each folder of the copy takes the times its original had before it
    was read: a change of the original after the copy started shows in the original's time, and the copy's own links
    are not taken for changes (`link_modified`)."""
    status = os.stat(source, follow_symlinks=False)
    os.mkdir(copy)
    with os.scandir(source) as entries:  # not listed first: a folder of the site holds up to 60,000 files
        for entry in entries:
            linked = os.path.join(copy, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    copy_linked(entry.path, linked)
                else:
                    os.link(entry.path, linked, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed since the folder was read: its folder's time says so
    os.utime(copy, ns=(status.st_atime_ns, status.st_mtime_ns), follow_symlinks=False)


def _process(*arguments: str) -> subprocess.Popen[bytes]:
    """`python -m teipress.mirror ARGUMENTS` started beside this process (which it does not outlive)."""
    # The package's own folder first on the path: the child runs the same teipress as the build, installed or not.
    package_root = str(Path(__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "teipress.mirror", str(os.getpid()), *arguments],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)


class CatchUp:
    """`catch_up(previous, staging, journal)` in a process of its own, started at once."""

    def __init__(self, previous: Path, staging: Path, journal: Path) -> None:
        self.staging = staging
        self.process = _process("catch-up", str(previous), str(staging), str(journal))

    def finished(self) -> bool:
        """Whether `staging` is up to date, after waiting for it (when not, it is half way: no copy to start from)."""
        return self.process.wait() == 0

    def stop(self) -> None:
        """Stop it where it is: half way, `staging` still serves as a mirror (the journal vouches only for folders no build modified)."""
        self.process.kill()
        self.process.wait()


class MirrorCopy:
    """`copy_linked(source, copy)` in a process of its own, started at once; `started` is when, by the file system's clock."""

    def __init__(self, source: Path, copy: Path, started: int) -> None:
        self.copy = copy
        self.started = started
        shutil.rmtree(copy, ignore_errors=True)
        self.process = _process("copy", str(source), str(copy))

    def finished(self) -> Path | None:
        """The copy once whole, after waiting for it; None (and no copy left) when it failed. The folder copied must keep
        its name until then (an entry gone is taken for one removed, which its folder's time tells: a renamed folder's
        own time tells nothing)."""
        if self.process.wait() == 0:
            return self.copy
        shutil.rmtree(self.copy, ignore_errors=True)
        return None

    def abandon(self) -> None:
        """Stop the copy and remove what it made (the build failed: its folder is no mirror)."""
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.copy, ignore_errors=True)


def main(arguments: list[str]) -> int:
    """`PARENT_PID catch-up PREVIOUS STAGING JOURNAL` or `PARENT_PID copy SOURCE COPY`; the exit code says whether it is done."""
    from .workers import die_with_parent

    parent, command, *paths = arguments
    die_with_parent(int(parent))
    try:
        if command == "catch-up":
            previous, staging, journal = paths
            catch_up(Path(previous), Path(staging), Path(journal))
        else:
            if hasattr(os, "nice"):
                os.nice(19)  # the cores the build leaves idle, not the build's
            copy_linked(*paths)
    except OSError:
        return 1  # no hard links on this file system, a full disk …: the build copies the folder itself, or keeps no mirror
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
