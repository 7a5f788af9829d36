"""The build's worker pool: fresh processes when asked, each task let go of once its result is taken, and the
memory a process frees given back to the system."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from teipress import workers
from teipress.workers import WorkerPool, release_freed_memory


def test_a_restarted_pool_runs_its_tasks_in_fresh_processes_and_says_their_size() -> None:
    with WorkerPool(1, int, ()) as pool:
        first = pool.call(os.getpid, "a task")
        assert pool.largest_resident_mb() > 0
        assert pool.call(os.getpid, "a task") == first
        pool.restart()
        assert pool.largest_resident_mb() == 0  # none started yet: the executor starts its processes with their first task
        second = pool.call(os.getpid, "a task")
        assert second != first and pool.largest_resident_mb() > 0


def test_the_pool_lets_go_of_each_task_once_its_result_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A phase hands out a task per document: each task's future is let go of as its result is taken, not held to the
    end of the phase (20,000 futures: 30 MB of the build's own process)."""
    with WorkerPool(1, int, ()) as pool:
        futures: list[weakref.ref] = []  # type: ignore[type-arg]
        submit = pool.executor.submit
        monkeypatch.setattr(pool.executor, "submit", lambda *args: (future := submit(*args), futures.append(weakref.ref(future)))[0])
        results = pool.map(len, [(f"task {n}", ("x" * n,)) for n in range(4)])
        taken = [next(results), next(results)]
        gc.collect()
        assert taken == [0, 1] and [future() is None for future in futures] == [True, True, False, False]
        assert list(results) == [2, 3]


@pytest.mark.skipif(workers._malloc_trim is None, reason="a C library without malloc_trim (not glibc)")
def test_memory_the_process_freed_is_given_back_to_the_system() -> None:
    """glibc keeps what a process frees for its later allocations (resident, in the figures of the process tree), until trimmed."""
    blocks = [bytes(1000) + bytes([number % 256]) for number in range(100_000)]  # 100 MB in blocks malloc holds, not Python's arenas
    # Every 16th kept: the freed blocks are holes of 15 KB between live ones, which free() cannot give back itself (it
    # gives back only the end of the heap); trimmed, each hole's whole pages go back, about 70 MB in all.
    kept = blocks[::16]
    del blocks
    freed = workers._resident_mb(os.getpid())
    release_freed_memory()
    assert freed - workers._resident_mb(os.getpid()) > 40 and len(kept) == 6250
