"""Faults: a worker killed mid-build, a full disk, a read-only output folder, an interrupted export, an
output below a file. Each ends promptly with one clear error line and exit 2, and leaves the previous
output as it was, with no partial or temporary file anywhere.

The disk faults are real where the platform allows it (a small tmpfs, a read-only bind mount: root
on Linux); elsewhere the same errors are raised by patched functions of this process.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import teipress
from teipress import export as exporter
from teipress import html as site_writer
from teipress import pdf as pdf_writer
from teipress.cli import cli

from conftest import FIXTURES

SITE_FIXTURE = FIXTURES / "site" / "edition"
LETTER = "letter-1950-03-04-northtown"
VICTIM = "telegram-1950-05-06-southport"
WORKER_KILLED = f"error: document {VICTIM}: the worker process working on it was killed by SIGKILL (the system may have run out of memory); the build stopped"

_page_task = site_writer._page_task
_typeset_document = pdf_writer._typeset_document


# --- what the worker processes run instead (module level, so that they can import it) ---------------


def page_task_that_dies_on_the_victim(document_id: str, *args: object) -> None:
    if document_id == VICTIM:
        os.kill(os.getpid(), signal.SIGKILL)
    return _page_task(document_id, *args)  # type: ignore[arg-type]


def typesetting_that_dies_on_the_victim(*args: object) -> object:
    source_path = args[0] if isinstance(args[0], str) else args[0][0]  # type: ignore[index]
    if Path(source_path).stem == VICTIM:
        os.kill(os.getpid(), signal.SIGKILL)
    return _typeset_document(*args)  # type: ignore[arg-type]


# --- helpers ----------------------------------------------------------------------------------------


def run(*args: str, timeout: float = 120) -> Result:
    """The command, in a thread of its own: a build that hangs fails the test instead of hanging it."""
    outcome: list[Result] = []
    thread = threading.Thread(target=lambda: outcome.append(CliRunner().invoke(cli, list(args))), daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"teipress {' '.join(args)} still runs after {timeout} s"
    return outcome[0]


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder` (hidden ones too), files with a hash of their bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def leftovers(folder: Path) -> list[str]:
    """Staging folders and temporary files of teipress below `folder`."""
    return sorted(p.name for p in folder.rglob("*") if re.search(r"\.(building|previous)-\d+$|^\.tp-.*\.tmp$", p.name))


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of a successful build and export of the site fixture, made once and copied by each test."""
    root = tmp_path_factory.mktemp("previous")
    shutil.copytree(SITE_FIXTURE, root / "tei")
    for command in (["build", "--no-validate", "-q", "-j", "2"], ["export", "tei"]):
        result = CliRunner().invoke(cli, ["--root", str(root), *command])
        assert result.exit_code == 0, result.output
    return root / "output"


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous: Path) -> Path:
    """The edition in the current folder with its previous output in output/; temporary files go to tmp/."""
    shutil.copytree(SITE_FIXTURE, tmp_path / "tei")
    shutil.copytree(previous, tmp_path / "output")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # the worker processes
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # this process
    monkeypatch.chdir(tmp_path)
    victim = tmp_path / "tei" / f"{VICTIM}.xml"
    victim.write_text(victim.read_text(encoding="utf-8").replace("</body>", "<p>A new paragraph to typeset.</p></body>"), encoding="utf-8")
    return tmp_path


def published(files: dict[str, str]) -> dict[str, str]:
    """What `tree` found, but the mirrors: the folder a swap retires, which teipress keeps to start its next build
    from (outputs.py); a failed build's staging folder takes its place, and no reader ever sees it."""
    return {name: value for name, value in files.items() if not any(part.endswith(".mirror") for part in name.split("/"))}


def assert_left_as_it_was(edition: Path, before: dict[str, str]) -> None:
    assert published(tree(edition / "output")) == published(before)
    assert leftovers(edition) == []
    assert list((edition / "tmp").iterdir()) == []


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def full_disk(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """`folder` on a small file system (room for the outputs and their mirrors, copied without their hard links)
    filled to the last byte; yields whether that is real (a tmpfs).

    Else every temporary file this process makes below `folder` is /dev/full, where writing fails with ENOSPC.
    """
    contents = folder.with_name(folder.name + ".contents")
    folder.rename(contents)
    folder.mkdir()
    real = os.geteuid() == 0 and mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder))
    try:
        shutil.copytree(contents, folder, dirs_exist_ok=True)
        # Without the mirrors (outputs.py), which a build brings up to date before it writes: the space their
        # stale files free would let a build on this full disk succeed, and the test is of one that cannot.
        for mirror in sorted(folder.rglob("*.mirror"), reverse=True):
            shutil.rmtree(mirror)
        if real:
            descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                for size in (1 << 20, 1 << 12, 1):
                    try:
                        while True:
                            os.write(descriptor, b"\0" * size)
                    except OSError as error:
                        assert error.errno == errno.ENOSPC
            finally:
                os.close(descriptor)
        else:
            make_temporary = tempfile.mkstemp

            def on_a_full_disk(*args, dir=None, **kwargs):  # type: ignore[no-untyped-def]
                descriptor, name = make_temporary(*args, dir=dir, **kwargs)
                if dir is not None and Path(dir).resolve().is_relative_to(folder.resolve()):
                    full = os.open("/dev/full", os.O_WRONLY)
                    os.dup2(full, descriptor)
                    os.close(full)
                return descriptor, name

            monkeypatch.setattr(tempfile, "mkstemp", on_a_full_disk)
        yield real
    finally:
        (folder / "filler").unlink(missing_ok=True)
        if real:
            shutil.rmtree(contents)
            shutil.copytree(folder, contents, dirs_exist_ok=True)
            subprocess.run(["umount", "-l", str(folder)], check=True)
        folder.rmdir()
        contents.rename(folder)


@contextmanager
def read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`folder` read-only: a read-only bind mount where possible, else no folder can be made below it (EROFS)."""
    real = os.geteuid() == 0 and mount("--bind", str(folder), str(folder))
    if real and not mount("-o", "remount,ro,bind", str(folder)):
        subprocess.run(["umount", str(folder)], check=True)
        real = False
    if not real:
        make_folder = os.mkdir

        def refused(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(path).resolve().is_relative_to(folder.resolve()):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return make_folder(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", refused)
    try:
        yield
    finally:
        if real:
            subprocess.run(["umount", "-l", str(folder)], check=True)


# --- a worker killed mid-build ----------------------------------------------------------------------


def test_a_killed_html_worker_ends_the_build_naming_its_document(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(edition / "output")
    monkeypatch.setattr(site_writer, "_page_task", page_task_that_dies_on_the_victim)
    monkeypatch.setattr(site_writer._Workers, "INLINE_BATCH", 0)  # worker processes even for one page
    result = run("build", "--html", "--no-validate", "-q", "-j", "2")
    assert (result.exit_code, result.output.splitlines()) == (2, [WORKER_KILLED])
    assert_left_as_it_was(edition, before)


def test_a_killed_pdf_worker_ends_the_build_naming_its_document(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(edition / "output")
    monkeypatch.setattr(pdf_writer, "_typeset_document", typesetting_that_dies_on_the_victim)
    result = run("build", "--pdf", "--no-validate", "-q", "-j", "2")
    assert (result.exit_code, result.output.splitlines()) == (2, [WORKER_KILLED])
    assert_left_as_it_was(edition, before)


def descendants(pid: int) -> set[int]:
    """The processes below `pid` that have not ended (a zombie has), read from /proc."""
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, set()).add(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        below = children.get(pending.pop(), set()) - found
        found |= below
        pending.extend(below)
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the processes from /proc (Linux)")
def test_the_workers_of_a_killed_build_end_with_it(tmp_path: Path) -> None:
    """`kill -9` of a build leaves no worker typesetting for no one (workers.die_with_parent)."""
    shutil.copytree(SITE_FIXTURE, tmp_path / "tei")
    (tmp_path / "tmp").mkdir()
    environment = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": str(Path(teipress.__file__).parents[1])}
    build = subprocess.Popen([sys.executable, "-c", "from teipress.cli import main; main()", "--root", str(tmp_path),
                              "build", "--pdf", "--no-validate", "-q", "-j", "2"], env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        # A worker notes its task in the pool's ledger (tmp/tp-*/PID) once it is set up and at work.
        working = lambda: [p for p in (tmp_path / "tmp").glob("tp-*/*") if p.name.isdigit()]  # noqa: E731
        assert until(working, 120), "no worker of the build began to typeset"
        workers = descendants(build.pid)
        assert {int(p.name) for p in working()} <= workers
        build.kill()
        build.wait()
        # Within a second: a worker left to itself would also end, but only once its task is done (a volume: minutes).
        assert until(lambda: not any(alive(pid) for pid in workers), 1), \
            f"still running 1 s after their build was killed: {sorted(pid for pid in workers if alive(pid))}"
    finally:
        build.kill()
        for pid in workers | descendants(build.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- a full disk --------------------------------------------------------------------------------------


def test_a_full_disk_stops_the_html_build_and_the_export(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(edition / "output")
    with full_disk(edition / "output", monkeypatch):
        site = run("build", "--html", "--no-validate", "-q", "-j", "1")
        replaced_export = run("export", "tei", "--force")
        new_export = run("export", "tei", "-o", "output/elsewhere")
    assert site.exit_code == 2
    # (the store of facts beside the site, output/.html.facts.sqlite, may be the first file the build cannot write)
    assert re.fullmatch(r"error: cannot write output/(html/\S+|\.html\.facts\.sqlite): No space left on device; output/html is unchanged\n", site.output), site.output
    assert replaced_export.exit_code == 2
    assert re.fullmatch(r"error: cannot write output/export/tei/\S+\.xml: No space left on device; output/export/tei is unchanged\n", replaced_export.output)
    assert new_export.exit_code == 2
    assert re.fullmatch(r"error: cannot write output/elsewhere/\S+\.xml: No space left on device; nothing was written\n", new_export.output)
    assert_left_as_it_was(edition, before)


def test_a_full_disk_stops_the_pdf_build(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(edition / "output")
    with full_disk(edition / "output", monkeypatch) as real:
        if not real:
            pytest.skip("the PDFs are written by worker processes, which a patched function cannot reach: this needs a tmpfs (root on Linux)")
        result = run("build", "--pdf", "--no-validate", "-q", "-j", "2")
    assert result.exit_code == 2
    assert re.fullmatch(rf"error: cannot write output/pdf/({LETTER}|{VICTIM})\.pdf: No space left on device; output/pdf is unchanged\n", result.output), result.output
    assert_left_as_it_was(edition, before)


# --- a read-only output folder -----------------------------------------------------------------------


@pytest.mark.parametrize(("command", "folder"), [
    (["build", "--html", "--no-validate", "-q"], "output/html"),
    (["build", "--pdf", "--no-validate", "-q"], "output/pdf"),
    (["export", "tei", "--force"], "output/export/tei"),
])
def test_a_read_only_output_folder_is_reported_in_one_line(edition: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], folder: str) -> None:
    before = tree(edition / "output")
    with read_only(edition / "output", monkeypatch):
        result = run(*command)
    assert (result.exit_code, result.output) == (2, f"error: cannot write {folder}: Read-only file system; {folder} is unchanged\n")
    assert_left_as_it_was(edition, before)


# --- an interrupted export ---------------------------------------------------------------------------


@pytest.mark.parametrize("interruption", [OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), KeyboardInterrupt()])
def test_an_interrupted_export_writes_nothing(edition: Path, monkeypatch: pytest.MonkeyPatch, interruption: BaseException) -> None:
    before = tree(edition / "output")
    write = exporter.write_atomic
    calls: list[Path] = []

    def interrupted_at_the_third_file(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise interruption
        write(path, data)

    monkeypatch.setattr(exporter, "write_atomic", interrupted_at_the_third_file)
    replaced = run("export", "tei", "--force")
    calls.clear()
    new = run("export", "tei", "-o", "elsewhere")
    if isinstance(interruption, OSError):
        assert (replaced.exit_code, replaced.output) == (2, "error: cannot write output/export/tei: No space left on device; output/export/tei is unchanged\n")
        assert (new.exit_code, new.output) == (2, "error: cannot write elsewhere: No space left on device; nothing was written\n")
    else:
        assert replaced.exit_code != 0 and new.exit_code != 0
    assert not (edition / "elsewhere").exists()
    assert_left_as_it_was(edition, before)


# --- an output folder below a file ------------------------------------------------------------------


@pytest.mark.parametrize(("command", "message"), [
    (["build", "--html", "--no-validate", "-q", "-o", "notes.txt/site"], "error: cannot write notes.txt/site: Not a directory; nothing was written\n"),
    (["export", "csv", "-o", "notes.txt/csv"], "error: cannot write notes.txt: Not a directory; nothing was written\n"),
])
def test_an_output_folder_below_a_file_is_reported_in_one_line(edition: Path, command: list[str], message: str) -> None:
    (edition / "notes.txt").write_text("my notes", encoding="utf-8")
    result = run(*command)
    assert (result.exit_code, result.output) == (2, message)
    assert (edition / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert leftovers(edition) == []


def test_a_worker_dead_before_its_pool_is_given_work_is_reported_as_such() -> None:
    """Validation starts its workers while the edition is read: one that dies meanwhile (killed by the system) is a
    WorkerDied, the editor's message, when the work is handed out, not a traceback of the executor's."""
    from teipress.errors import WorkerDied
    from teipress.validate import _started, _use_edition_ids
    from teipress.workers import WorkerPool

    with WorkerPool(1, _use_edition_ids, ({},)) as pool:
        pool.executor.submit(_started).result(timeout=120)
        (worker,) = pool.executor._processes.values()
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(timeout=30)
        with pytest.raises(WorkerDied, match="the build stopped"):
            list(pool.map(str, [("a task", (1,))]))


SCRIPT_WITHOUT_MAIN_GUARD = """import sys
from pathlib import Path

from teipress import html
from teipress.build import build_edition
from teipress.config import load_config

html._Workers.INLINE_BATCH = 0  # the pool starts for the fixture's few documents too
build_edition(load_config(Path(sys.argv[1])), formats={"html"}, validate=False, jobs=2)
"""


def test_a_script_without_a_main_guard_stops_saying_what_to_do(tmp_path: Path) -> None:
    # Each spawned worker imports the script again, which builds again and cannot start a pool of its own: the worker ends.
    from teipress.workers import UNGUARDED_SCRIPT

    shutil.copytree(SITE_FIXTURE, tmp_path / "tei")
    (tmp_path / "build_site.py").write_text(SCRIPT_WITHOUT_MAIN_GUARD, encoding="utf-8")
    try:
        finished = subprocess.run([sys.executable, "build_site.py", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        pytest.fail("a script without `if __name__ == '__main__':` still builds after 180 s")
    assert (finished.returncode, finished.stderr.splitlines()[-1]) == (1, f"teipress.errors.WorkerDied: {UNGUARDED_SCRIPT}")
    assert not (tmp_path / "output" / "html").exists()
    assert leftovers(tmp_path) == []
    # Each worker stopped its build before it made a staging folder, not when it could not start a pool of its own.
    assert "bootstrapping phase" not in finished.stderr


SCRIPT_WITH_LARGE_WORKER_SETUP = """from teipress.workers import WorkerPool

with WorkerPool(1, len, (b"x" * 1_000_000,)) as pool:  # as large as a large edition's registers
    print(list(pool.map(str, [("a task", (1,))])))
"""


def test_a_worker_that_ends_as_it_starts_stops_the_pool_whatever_the_size_of_its_setup(tmp_path: Path) -> None:
    # Python writes a spawned worker's whole start into a pipe before it looks at the worker: with the setup in that pipe,
    # a worker that ended before reading it all left its pool waiting for ever once the setup passed the pipe's 64 KB.
    from teipress.workers import UNGUARDED_SCRIPT

    (tmp_path / "pool.py").write_text(SCRIPT_WITH_LARGE_WORKER_SETUP, encoding="utf-8")
    try:
        finished = subprocess.run([sys.executable, "pool.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("a pool whose worker ended as it started still waits after 120 s")
    assert (finished.returncode, finished.stderr.splitlines()[-1]) == (1, f"teipress.errors.WorkerDied: {UNGUARDED_SCRIPT}")
