"""The first mirror of an output folder, made by a process of its own while the build still writes the folder.

A build that replaced nothing (the folder's first) leaves a hard-linked copy of its new folder as the mirror its next
build starts from (outputs.py). Made once the folder is swapped into place, that copy was the build's last step, on one
core: 3.2 s of a 5,074-letter edition's build, 12 s at 20,000 letters (a link per file, 170,000 and 600,000 files).
`MirrorCopy` makes it beside the build's last phases instead, in a process at the lowest priority, so that it takes
only the cores the build leaves idle; once the folder is in place, outputs.py brings the copy up to date with what
changed after it started (its folders' times tell which), as it brings any mirror up to date.

Run as `python -m teipress.mirror PARENT_PID SOURCE COPY`; its exit code says whether the copy is whole.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def copy_linked(source: str, copy: str) -> None:
    """Make the new folder `copy` hold a hard link to every file below `source`, which others may change meanwhile.

    An entry gone before it is linked is left out. Each folder of the copy takes the times its original had before it
    was read: a change of the original after the copy started shows in the original's time, and the copy's own links
    are not taken for changes (outputs._link_modified)."""
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


class MirrorCopy:
    """`copy_linked(source, copy)` in a process of its own, started at once; `started` is when, by the file system's clock."""

    def __init__(self, source: Path, copy: Path, started: int) -> None:
        self.copy = copy
        self.started = started
        shutil.rmtree(copy, ignore_errors=True)
        # The package's own folder first on the path: the copy runs the same teipress as the build, installed or not.
        package_root = str(Path(__file__).resolve().parents[1])
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "teipress.mirror", str(os.getpid()), str(source), str(copy)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)

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
    from .workers import die_with_parent

    parent, source, copy = arguments
    die_with_parent(int(parent))
    if hasattr(os, "nice"):
        os.nice(19)  # the cores the build leaves idle, not the build's
    try:
        copy_linked(source, copy)
    except OSError:
        return 1  # no hard links on this file system, a full disk …: the build copies the folder itself, or keeps no mirror
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
