"""Worker processes of the builds, and one clear error when the operating system kills one.

Documents are transformed in spawned processes (a forked child would inherit this process's Saxon
state, which is not fork-safe). When the system kills a worker (out of memory, `kill -9`),
`concurrent.futures` fails the pending tasks at once with `BrokenProcessPool`, where
`multiprocessing.Pool` would wait forever. `WorkerPool` turns that into one `WorkerDied` naming what
the dead worker was working on: each worker notes its current task in a ledger file of its own.

A worker dies with the process that started it (`die_with_parent`): a `teipress build` killed with
SIGKILL cannot shut its pool down, and its workers would go on typesetting for no one.

A spawned worker starts by importing the script that started the build. A script that calls teipress
outside `if __name__ == "__main__":` thus starts the build again in each worker, whose own pool Python
refuses while the worker starts (a RuntimeError): every worker ends before it started. The ledger tells
that apart from a worker the system killed, since each worker notes there that it started.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import WorkerDied

if TYPE_CHECKING:
    # multiprocessing and its executor are imported where a pool starts: a build that transforms a few pages in its
    # own process (html._Workers), or only runs Pagefind (parent_death_signal), does without them.
    import multiprocessing.process
    from concurrent.futures import ProcessPoolExecutor

# A task: what it works on in the user's terms ("document letter-3"), and the arguments of the function.
Task = tuple[str, tuple[Any, ...]]
# The ledger's note of each worker that started (its name + its pid): one that did not died as it started.
STARTED = "started-"
# The initializer's arguments, pickled into the ledger, which each worker reads as it starts. Handed over by
# multiprocessing they would go through the pipe a spawned process reads its start from, and Python writes the whole
# start into that pipe before it looks at the process: a worker that ends before it has read everything (a script without
# `if __name__ == "__main__":`) left a build hanging for ever once the arguments passed the pipe's 64 KB (an edition's registers).
INITARGS = "initargs.pickle"
UNGUARDED_SCRIPT = ("the worker processes ended as they started, before any took up work: a script that calls teipress "
                    "(build_edition …) must do so below `if __name__ == \"__main__\":`, since each worker process starts "
                    "by importing the script again; the build stopped")


def refuse_in_a_starting_worker() -> None:
    """Stop, before it writes anything, a build that a worker process starts as it imports the script again (a script
    without `if __name__ == "__main__":`): the worker would make a staging folder of its own beside the site, and lose
    it there when the pool ends the workers (multiprocessing marks a process that is still taking over its parent's
    state, the only time that import runs)."""
    process = sys.modules.get("multiprocessing.process")
    if process is not None and getattr(process.current_process(), "_inheriting", False):
        raise WorkerDied(UNGUARDED_SCRIPT)


class WorkerPool:
    """`jobs` spawned worker processes, each set up once by `initializer(*initargs)` (where there is one)."""

    def __init__(self, jobs: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
        self.jobs = jobs
        self.initializer = initializer
        self.ledger = Path(tempfile.mkdtemp(prefix="tp-"))
        try:
            (self.ledger / INITARGS).write_bytes(pickle.dumps(initargs, protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:
            shutil.rmtree(self.ledger, ignore_errors=True)
            raise
        self.processes: dict[int, multiprocessing.process.BaseProcess] = {}
        self.executor = self._start()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.ledger, ignore_errors=True)

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(), str(self.ledger), self.initializer))

    def restart(self) -> None:
        """Fresh worker processes (the old ones finish first), e.g. to let go of memory a library keeps."""
        self.executor.shutdown(wait=True)
        self.executor = self._start()

    def largest_resident_mb(self) -> int:
        """The resident memory of the largest worker process now, in MB (0 where the system does not say: no /proc)."""
        return max((_resident_mb(pid) for pid, process in self.processes.items() if process.is_alive()), default=0)

    def map(self, function: Callable[..., Any], tasks: Sequence[Task]) -> Iterator[Any]:
        """Hand every task to the workers now, and return an iterator of `function(*args)` of each task, in order;
        a worker's exception is raised there as it was.

        The tasks are submitted before their results are asked for, so that a caller can prepare the next tasks
        while the workers run these (aggregates._render_units: no barrier between its batches)."""
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        try:
            futures = [self.executor.submit(_run, function, what, args) for what, args in tasks]
        except BrokenProcessPool:
            # A worker started before (validate's workers start while the edition is read) died before this.
            raise self._death() from None
        # The executor starts its processes in `submit`: keep them, to read the exit code of one that died.
        self.processes.update((p.pid, p) for p in multiprocessing.active_children() if p.pid is not None)
        return self._results(futures)

    def _results(self, futures: list[Future[Any]]) -> Iterator[Any]:
        """Each future's result in order, the future let go of once its result is taken: a build's phase hands out a
        task per document, and 20,000 futures held to the end of the phase took 30 MB of the build's own process."""
        futures.reverse()
        while futures:
            yield self._result(futures.pop())

    def call(self, function: Callable[..., Any], what: str, *args: Any) -> Any:
        return next(self.map(function, [(what, args)]))

    def _result(self, future: Future[Any]) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise self._death() from None

    def _death(self) -> WorkerDied:
        """What the killed worker was working on, from the ledger entries of workers that died of something else than the pool's own SIGTERM."""
        self.executor.shutdown(wait=True, cancel_futures=True)  # every worker is joined: their exit codes are known
        working: dict[int, str] = {}
        started = False
        for entry in self.ledger.iterdir():
            started = started or entry.name.startswith(STARTED)
            if not entry.name.isdigit():
                continue  # a worker's scratch folder or note that it started
            try:
                working[int(entry.name)] = entry.read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue
        codes = {pid: self.processes[pid].exitcode for pid in working if pid in self.processes}
        killed = {pid: what for pid, what in working.items() if codes.get(pid) != -signal.SIGTERM} or working
        if not killed and not started:
            return WorkerDied(UNGUARDED_SCRIPT)
        if not killed:
            return WorkerDied("a worker process died before it took up any work (killed by the system, perhaps for lack of memory); the build stopped")
        causes = sorted({_cause(codes.get(pid)) for pid in killed})
        return WorkerDied(f"{', '.join(sorted(killed.values()))}: the worker process working on it was {' or '.join(causes)} "
                          f"(the system may have run out of memory); the build stopped")


def _resident_mb(pid: int) -> int:
    """A process's resident memory in MB, from /proc (0 where there is none, or the process ended)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // 2**20


def _cause(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    return "ended" if exit_code is None else f"ended with exit code {exit_code}"


# --- a child process dies with its parent ------------------------------------------------------------

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# How often a child without prctl looks whether its parent still lives.
PARENT_POLL_SECONDS = 1.0


def _load_libc(name: str) -> Callable[..., int] | None:
    """A function of Linux's C library, loaded once here: a child between fork and exec (`parent_death_signal`) must not load a library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The C library the interpreter runs on (glibc or musl), without find_library's ldconfig subprocess in every worker.
        return getattr(ctypes.CDLL(None, use_errno=True), name)  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_prctl = _load_libc("prctl")
_malloc_trim = _load_libc("malloc_trim")  # glibc's; musl has none


def release_freed_memory() -> None:
    """Give the system back what this process has freed: glibc keeps freed memory for later allocations, and a build's
    own process frees much at once between its phases (the merged registers' tree, 39 MB at 20,000 synthetic letters,
    stayed resident until trimmed; a phase's tasks). Nothing where the C library cannot (musl, other systems)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def settle() -> None:
    """Leave every object this process holds now out of the cycle collector's passes until `settling` ends (gc.freeze).

    A build holds what it reads first for its whole length: the edition's sources, the previous build's records of
    every document, the static DTS's model (about two million objects at 20,000 letters). Python's full pass walks
    every object it tracks, each time the younger ones have grown by a quarter: in a rebuild after one changed letter
    that was 9 passes of 0.22 s, 2 of its 14 s. Objects settled are still freed when no longer referenced, only a
    cycle among them waits for the end of `settling`."""
    gc.freeze()


@contextmanager
def settling() -> Iterator[None]:
    """The span within which `settle` may be called: at its end every settled object is collected as usual again."""
    try:
        yield
    finally:
        gc.unfreeze()


def die_with_parent(parent_pid: int) -> None:
    """End this process when the process `parent_pid` that started it dies, however it dies.

    Linux sends SIGKILL at the parent's death (PR_SET_PDEATHSIG; strictly at the end of the thread that
    started this process, so a pool lives in one thread of its parent). A parent that died before this call
    is seen by the parent's pid: this process has been handed over to another. Elsewhere a daemon thread
    looks for that every PARENT_POLL_SECONDS."""
    if _prctl is not None and _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
        if os.getppid() != parent_pid:
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="teipress-parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def parent_death_signal() -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess` that has the program killed when this process dies, or None where the
    system cannot do that (a program is not a Python process that could poll)."""
    if _prctl is None:
        return None
    prctl, parent_pid = _prctl, os.getpid()

    def set_signal() -> None:
        if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 and os.getppid() != parent_pid:
            os._exit(1)

    return set_signal


# --- in the worker processes ---------------------------------------------------------------------

_ledger_entry: Path | None = None


def _start_worker(parent_pid: int, ledger: str, initializer: Callable[..., None] | None) -> None:
    global _ledger_entry
    die_with_parent(parent_pid)
    try:
        (Path(ledger) / f"{STARTED}{os.getpid()}").touch()
    except OSError:
        pass  # a note only, as in _run
    _ledger_entry = Path(ledger) / str(os.getpid())
    if initializer is not None:
        initializer(*pickle.loads((Path(ledger) / INITARGS).read_bytes()))


def scratch_folder(prefix: str) -> Path:
    """A new folder for this process's temporary files; in a worker it lies in the pool's own folder,
    which the pool removes even when the worker was killed and could not clean up after itself."""
    if _ledger_entry is None:
        return Path(tempfile.mkdtemp(prefix=prefix))
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_ledger_entry.parent))


def _run(function: Callable[..., Any], what: str, args: tuple[Any, ...]) -> Any:
    """Run one task with its name in the ledger while it runs (a note only: a full disk must not stop the work)."""
    try:
        _ledger_entry.write_text(what, encoding="utf-8")  # type: ignore[union-attr]
    except OSError:
        pass
    try:
        return function(*args)
    finally:
        try:
            _ledger_entry.unlink()  # type: ignore[union-attr]
        except OSError:
            pass
