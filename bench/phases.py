"""Where a build's wall time, CPU and memory go, phase by phase: `python bench/phases.py ROOT [--rebuild] [--json OUT]`.

Runs `build_edition(formats={"html"}, validate=False)` on the edition at ROOT (from nothing, unless `--rebuild`) with
the parent's phases timed (its functions wrapped here, the build's progress stages noted), while a thread samples
every process of the build's tree from /proc every SAMPLE_SECONDS: its role (parent, worker, pagefind), CPU
(utime + stime) and resident memory. Prints each phase's wall time and CPU by role, the peak of the tree's memory
and who held it, and the cores busy in 5 s steps. The sampler's own CPU (reading /proc) is counted in the
parent's: about 0.05 of a core on a machine running some hundreds of processes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import procmem  # bench/ is this script's folder, hence on sys.path
from step import clear_site, remove_set_aside, site_of

STARTED = time.perf_counter()
SAMPLE_SECONDS = 0.2
# The parent's functions timed: (module, name, label). A phase of the workers shows in the stages and in their CPU.
PHASES = [("build", "load_edition", "read the edition"), ("mirror", "CatchUp.finished", "wait for the mirror's catch-up"),
          ("html", "_read_manifest", "read the manifest"), ("html", "merged_registers", "merge the registers"),
          ("html", "_correspondence_neighbours", "neighbours"), ("factstore", "FactsStore.update", "store of facts"),
          ("aggregates", "register_plan", "register plan"), ("html", "write_registers", "register pages"),
          ("aggregates", "chronology_events", "chronology plan"), ("aggregates", "_aggregate_units", "summaries' files"),
          ("html", "_write_aggregates", "aggregate pages"), ("search", "build_search_index", "Pagefind (thread)"),
          ("html", "write_iiif", "IIIF"), ("dts", "StaticDts.finish", "DTS API"), ("html", "_write_manifest", "manifest"),
          ("outputs", "journal_text", "journal of folders"), ("outputs", "_swap", "swap into place")]


def _now() -> float:
    return time.perf_counter() - STARTED


def _role(pid: int, parent: int) -> str:
    if pid == parent:
        return "parent"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    return "pagefind" if b"pagefind" in command else "worker" if b"multiprocessing" in command else "other"


def _sample(samples: list[dict[str, Any]], stop: threading.Event) -> None:
    """Every SAMPLE_SECONDS: each process of this one's tree as (role, CPU seconds, resident bytes)."""
    me = os.getpid()
    roles: dict[int, str] = {}
    while not stop.is_set():
        table = procmem.processes()
        members = procmem.tree(me, table) & table.keys()
        processes = {}
        for pid in members:
            roles.setdefault(pid, _role(pid, me))
            processes[pid] = (roles[pid], table[pid].cpu_seconds, table[pid].resident)
        samples.append({"t": _now(), "processes": processes})
        stop.wait(SAMPLE_SECONDS)


def _timed(spans: list[tuple[str, float, float]], label: str, function: Any) -> Any:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = _now()
        try:
            return function(*args, **kwargs)
        finally:
            spans.append((label, started, _now()))
    return timed


def _wrap(spans: list[tuple[str, float, float]]) -> None:
    import importlib

    for module_name, name, label in PHASES:
        module = importlib.import_module(f"teipress.{module_name}")
        owner_name, _, attribute = name.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        setattr(owner, attribute, _timed(spans, label, getattr(owner, attribute)))


def cpu_between(samples: list[dict[str, Any]], start: float, end: float) -> dict[str, float]:
    """CPU seconds by role from the last sample at or before `start` to the first at or after `end` (a process that ended
    meanwhile: until its last sample); a phase shorter than SAMPLE_SECONDS is not resolved."""
    first_index = max((i for i, s in enumerate(samples) if s["t"] <= start), default=0)
    last_index = min((i for i, s in enumerate(samples) if s["t"] >= end), default=len(samples) - 1)
    inside = samples[first_index:last_index + 1] or samples[-1:]
    first = inside[0]["processes"]
    last: dict[int, tuple[str, float, int]] = {}
    for sample in inside:
        last.update(sample["processes"])
    by_role: dict[str, float] = {}
    for pid, (role, cpu, _resident) in last.items():
        by_role[role] = by_role.get(role, 0.0) + cpu - (first[pid][1] if pid in first else 0.0)
    return by_role


def report(trace: dict[str, Any]) -> list[str]:
    samples, lines = trace["samples"], []
    lines.append(f"{'phase':32} {'start':>7} {'end':>7} {'wall':>7} {'CPU':>7} {'parent':>7} {'workers':>7} {'Pagefind':>8} {'CPU/wall':>8}")
    for label, start, end in sorted(trace["spans"], key=lambda span: span[1]):
        cpu = cpu_between(samples, start, end)
        total = sum(cpu.values())
        lines.append(f"{label[:32]:32} {start:7.1f} {end:7.1f} {end - start:7.1f} {total:7.1f} {cpu.get('parent', 0):7.1f} "
                     f"{cpu.get('worker', 0):7.1f} {cpu.get('pagefind', 0):8.1f} {total / max(end - start, 1e-9):8.2f}")
    peak = max(samples, key=lambda s: sum(p[2] for p in s["processes"].values()))
    held: dict[str, list[int]] = {}
    for role, _cpu, resident in peak["processes"].values():
        held.setdefault(role, []).append(round(resident / 2**20))
    lines.append(f"peak of the tree {sum(p[2] for p in peak['processes'].values()) / 2**20:.0f} MB at {peak['t']:.1f} s: "
                 + ", ".join(f"{role} {sorted(sizes, reverse=True)} MB" for role, sizes in sorted(held.items())))
    lines.append("cores busy, 5 s steps:")
    step, end = 0.0, samples[-1]["t"]
    while step < end:
        cpu = cpu_between(samples, step, min(step + 5, end))
        width = min(step + 5, end) - step
        lines.append(f"{step:7.0f} s " + " ".join(f"{role} {seconds / width:4.2f}" for role, seconds in sorted(cpu.items())) + f"  all {sum(cpu.values()) / width:4.2f}")
        step += 5
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the edition's folder (with its teipress.toml)")
    parser.add_argument("--rebuild", action="store_true", help="build over the previous output (else from nothing)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: the edition's setting)")
    parser.add_argument("--json", type=Path, help="also write the spans, stages and samples to this file")
    options = parser.parse_args(argv)
    from teipress.build import build_edition
    from teipress.config import load_config

    spans: list[tuple[str, float, float]] = []
    _wrap(spans)
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        stages.setdefault(stage, [_now(), _now()])[1] = _now()

    config = load_config(options.root)
    # Beside the site, on its file system, until the build is measured (step.set_aside says why).
    aside = site_of(options.root).parent / ".bench-set-aside"
    if not options.rebuild:
        # The site with its mirror and store of facts, as run.py clears them: removed by the build, the previous site and
        # its mirror (300,000 files at 20,000 letters) took the swap 43 s, which a build from nothing never spends.
        clear_site(options.root, aside)
    samples: list[dict[str, Any]] = []
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(samples, stop), daemon=True)
    sampler.start()
    started = _now()
    result = build_edition(config, formats={"html"}, validate=False, jobs=options.jobs, progress=progress)
    spans.append(("the whole build", started, _now()))
    stop.set()
    sampler.join()
    spans.extend((f"stage: {stage}", first, last) for stage, (first, last) in stages.items())
    trace = {"spans": spans, "samples": samples, "rendered": len(result.documents_rendered)}
    print("\n".join(report(trace)))
    if options.json:
        options.json.write_text(json.dumps(trace), encoding="utf-8")
    remove_set_aside(aside)
    return 0


if __name__ == "__main__":  # the workers are spawned: they import this file again, and must not build
    sys.exit(main())
