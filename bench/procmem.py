"""Resident memory of a process tree, read from /proc: what parallel workers use together.

Two sums: of each process's resident set (RSS), which counts a page as often as processes map it (the libraries the
workers share, the whole parent again in a child between its fork and its exec, as when Pagefind is started), and of
each process's proportional share (PSS, /proc/PID/smaps_rollup: a page shared by n processes counts 1/n in each), which
is what the tree holds of the machine's memory."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Process:
    parent: int
    cpu_seconds: float  # its own (utime + stime), not its children's
    resident: int  # bytes


def processes() -> dict[int, Process]:
    """Every process of the machine, read from /proc (none where there is no /proc)."""
    found: dict[int, Process] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (name) ": state, ppid, ... utime (11), stime (12)
        found[int(entry.name)] = Process(int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, pages * PAGE_SIZE)
    return found


def tree(root_pid: int, table: dict[int, Process]) -> set[int]:
    """A process and all its descendants in `table`."""
    members, grew = {root_pid}, True
    while grew:
        grew = False
        for pid, process in table.items():
            if process.parent in members and pid not in members:
                members.add(pid)
                grew = True
    return members


def tree_resident(root_pid: int) -> dict[int, int]:
    """The resident bytes (RSS) of a process and of each of its descendants, by pid (none where there is no /proc)."""
    table = processes()
    return {pid: table[pid].resident for pid in tree(root_pid, table) if pid in table}


def proportional_sum(resident: dict[int, int]) -> int:
    """The sum of the PSS of the processes of `tree_resident`, in bytes: a process whose smaps_rollup cannot be read
    (before Linux 4.14) counts with its RSS. Reading it walks each process's page tables: 10-40 ms for a build's tree."""
    return sum(size if (share := _proportional(pid)) is None else share for pid, size in resident.items())


def tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 where there is no /proc)."""
    return sum(tree_resident(root_pid).values())


def _proportional(pid: int) -> int | None:
    """A process's proportional set size in bytes, None where the system does not say."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class PeakSampler:
    """Samples this process's tree every `interval` seconds in a thread; `take()` returns the peak so far and starts anew."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        pid = os.getpid()
        while not self._stop.wait(self.interval):
            rss = tree_rss(pid)
            with self._lock:
                self.peak = max(self.peak, rss)

    def take(self) -> int:
        with self._lock:
            peak = max(self.peak, tree_rss(os.getpid()))
            self.peak = 0
        return peak
