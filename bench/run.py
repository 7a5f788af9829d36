"""Measure teipress on synthetic editions and print the figures beside the project's targets.

For each size N it generates an edition of N letters (`bench/generate.py`) and runs every step in
a fresh process (`bench/step.py`): validation, a full HTML build, a rebuild after one changed
letter (three times, each after one more change: the median, with the three times in its note), our HTML document stylesheet alone (seconds per MB of TEI), the PDFs (per document, then
the book's volumes, timed as two phases of one `build_pdfs`: pdf-documents and pdf-volumes), the
volumes alone again from those documents (pdf-book: what a change of the front matter or registers
costs, and the book's figure at a size where typesetting every document takes too long to repeat),
and the tei, cmif and dc exports. Each volume is measured by its own process: pages, time, CPU, peak.

Columns: wall time (what a user waits for, Python start and stylesheet compilation included);
CPU time of the step and all its workers (user + system: on a machine shared with other work,
wall time grows with the others' load, CPU time hardly); documents/s and MB/s of TEI; peak memory
as the largest sum of resident memory over the step's process tree (sampled every 0.1 s, so
parallel workers count together), as the largest sum of their proportional shares (PSS: a page
that processes share counts once, see procmem.py; the memory targets judge this one) and as the
largest single process (`ru_maxrss` from wait4).

Nothing is removed while the run measures: earlier editions, sites and outputs are moved into the work folder's
`.set-aside` and removed after the last step (step.set_aside says why: a removal slows the making of files for minutes
after it on some file systems). For the same reason, measure all editions in one run rather than in runs one after
the other.

Targets are printed, never asserted: a miss is a figure to look into, not a failure. After the
table of steps, the targets of the real-scale issue (11) are printed one per line, each with its
figure, "meets"/"MISSES" where the issue sets it, and beside it the time of the TEI Consortium's
Stylesheets converting the same files to bare pages in the same run (`--tei-stylesheets`, by
default ../shared/baselines/tei_stylesheets_html.py, run after each full HTML build): the ratio
of teipress's whole site to that, CPU/wall, peak memory, the largest page, the median document
page against its source, the rebuild, the validation and the growth from 5,000 to 20,000 letters;
then the print edition's (issue 13): all volumes < 30 s and < 1.5 GB at 1,000 letters, the volumes
(how many, their pages, the largest's time and peak), the per-document phase beside them, and the
volumes' growth from 1,000 to 20,000 letters (linear: <= 20 x).

`--corpus PATH.tar.xz` measures a real edition too (e.g. `../shared/corpora/escher.tar.xz`), so that
no path that grows faster than the edition hides behind synthetic data: the archive is unpacked into
the work folder and each step runs on it as on a synthetic edition (an edition root whose
`teipress.toml` names the corpus as its source folder); `--corpus-subsets 100,500,1000` adds
subsets of it (the first N files of its largest folder, every other file whole) to show how a
step grows. A rebuild there changes the middle file of the largest folder of the unpacked copy
(never a folder given as the corpus: that one is yours).

Example:

    python bench/run.py --sizes 100,1000 --json bench-results.json
    python bench/run.py --sizes 0 --corpus ../shared/corpora/escher.tar.xz --corpus-subsets 100,500,1000 --steps validate
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import os
import platform
import re
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402
from procmem import PAGE_SIZE, proportional_sum, tree_resident  # noqa: E402
from step import PHASE_PREFIX, RESULT_PREFIX, STEPS, clear_site, page_sizes, remove_set_aside, set_aside, site_of  # noqa: E402

MB = 1e6
# The folder of the work folder where the run moves what it would remove (earlier editions, sites, outputs) until it has
# measured everything: step.set_aside says why.
SET_ASIDE = ".set-aside"
# Issue 13: all the book's volumes of 1,000 letters in < 30 s and < 1.5 GB of the process tree; at 20,000 linear, same peak.
VOLUMES_SECONDS, VOLUMES_MB = 30, 1500
# The volumes as the pdf step's second phase, and the pdf-book step (the volumes alone, again, from the documents' PDFs).
VOLUMES_STEPS = ("pdf-volumes", "pdf-book")
TEI_STYLESHEETS_S_PER_MB = 0.41  # the TEI Stylesheets' html5 conversion on the same files, compiled once under saxonche
CHANGED_LETTER_NOTE = "A postscript added to measure a rebuild after one change. "


@dataclass
class Measurement:
    """One step on one edition: how long, how much memory, what it did."""

    step: str
    size: int
    status: str
    edition: str = "synthetic"
    wall_s: float = 0.0
    cpu_s: float = 0.0
    max_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    tree_pss_mb: float = 0.0  # the peak of the tree's proportional sum (procmem.py); 0: not measured
    documents: int = 0
    source_mb: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall_s if self.wall_s else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.source_mb / self.wall_s if self.wall_s else 0.0


def run_step(step: str, root: Path, size: int, documents: int, source_mb: float, timeout: float, log: Path, edition: str = "synthetic", *,
             aside: Path) -> Measurement:
    """Run `bench/step.py STEP ROOT` as a child; time it and watch its memory until it ends. The html-full step starts
    from no site (a previous one set aside into the folder `aside`), and its site's page sizes are read once it has
    ended: neither is in its time."""
    if step == "html-full":
        clear_site(root, aside)
    measurement, output, status = _measured_child([sys.executable, str(BENCH / "step.py"), step, str(root)], step, size, documents, source_mb, timeout, log, edition)
    if status is None:
        measurement.reason = f"timed out after {timeout:.0f} s"
        measurement.status = "timed out"
        phases = [json.loads(line[len(PHASE_PREFIX):]) for line in output.splitlines() if line.startswith(PHASE_PREFIX)]
        for phase in phases:
            measurement.detail.update(phase)
        return measurement
    results = [line[len(RESULT_PREFIX):] for line in output.splitlines() if line.startswith(RESULT_PREFIX)]
    if not results:
        measurement.reason = f"exit code {os.waitstatus_to_exitcode(status)}, no result (see {log})"
        return measurement
    outcome = json.loads(results[-1])
    measurement.status = outcome.pop("status")
    measurement.reason = outcome.pop("reason", "")
    measurement.detail = outcome
    if step == "html-full" and measurement.status == "ok":
        measurement.detail.update(page_sizes(site_of(root)))
    return measurement


def _measured_child(command: list[str], step: str, size: int, documents: int, source_mb: float, timeout: float, log: Path,
                    edition: str) -> tuple[Measurement, str, int | None]:
    """Run a command as a child, watching its memory until it ends: its figures (status "failed" until its output is read), its output and wait status."""
    with log.open("ab") as log_file:
        log_file.write(f"\n=== {step} {edition} N={size}: {' '.join(command)}\n".encode())
        log_file.flush()
        stdout_path = log.with_suffix(f".{edition.replace(':', '-')}-{size}.{step}.out")
        with stdout_path.open("wb") as stdout_file:
            started = time.perf_counter()
            child = subprocess.Popen(command, stdout=stdout_file, stderr=log_file, start_new_session=True)
            tree_peak, proportional_peak, status, usage = _watch(child, timeout)
            wall = time.perf_counter() - started
    output = stdout_path.read_text(encoding="utf-8", errors="replace")
    max_rss = usage.ru_maxrss * 1024 if usage else 0  # Linux counts ru_maxrss in KiB
    # Sampling can miss a short peak; the tree's peak is at least its largest process's.
    cpu = (usage.ru_utime + usage.ru_stime) if usage else 0.0  # the step and its workers, whatever else the machine runs
    measurement = Measurement(step=step, size=size, status="failed", edition=edition, wall_s=wall, cpu_s=cpu, tree_rss_mb=max(tree_peak, max_rss) / MB,
                              tree_pss_mb=proportional_peak / MB, max_rss_mb=max_rss / MB, documents=documents, source_mb=source_mb)
    return measurement, output, status


# The TEI Consortium's Stylesheets converting the same files in the same run (../shared/baselines/README.md).
TEI_STYLESHEETS = BENCH.parent.parent / "shared" / "baselines" / "tei_stylesheets_html.py"
TEI_STYLESHEETS_STEP = "tei-stylesheets"


def run_tei_stylesheets(script: Path, source: Path, size: int, documents: int, source_mb: float, timeout: float, log: Path,
                        edition: str = "synthetic", *, aside: Path) -> Measurement:
    """The reference conversion of every file of `source` to bare HTML pages (one process, the stylesheet compiled once)."""
    if not script.is_file():
        return Measurement(step=TEI_STYLESHEETS_STEP, size=size, status="unavailable", edition=edition, documents=documents, source_mb=source_mb,
                           reason=f"{script} is absent (../shared/baselines/)")
    out = log.parent / f"tei-stylesheets-{edition.replace(':', '-')}-{size}"
    set_aside(out, aside)
    command = [sys.executable, str(script), str(source), "-o", str(out)]
    measurement, output, status = _measured_child(command, TEI_STYLESHEETS_STEP, size, documents, source_mb, timeout, log, edition)
    set_aside(out, aside)
    if status is None:
        measurement.status, measurement.reason = "timed out", f"timed out after {timeout:.0f} s"
        return measurement
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if not lines:
        measurement.reason = f"exit code {os.waitstatus_to_exitcode(status)}, no result (see {log})"
        return measurement
    measurement.status, measurement.detail = "ok", json.loads(lines[-1])
    return measurement


# How often the watch reads the child tree's memory. What it costs comes out of the cores the build runs on: a reading
# of every process's RSS takes 2-5 ms of CPU, of the tree's PSS (smaps_rollup walks each process's page tables, and the
# process waits meanwhile) 10-40 ms; both every 50 ms took a quarter of a core, and a 1,000-letter build's CPU/wall was
# 1.75 so watched and 1.90 unwatched.
RSS_SECONDS = 0.1
PSS_SECONDS = 0.5


def _watch(child: subprocess.Popen, timeout: float):  # type: ignore[no-untyped-def, type-arg]
    """Sample the memory of the child's process tree until it exits; return (peak bytes of its RSS sum, of its PSS sum,
    wait status, rusage).

    The RSS sum is read every RSS_SECONDS; the PSS sum whenever the RSS sum reaches a peak, and between while the RSS sum
    is above the PSS peak so far (a process's PSS is never above its RSS, so no other reading could raise that peak), at
    most every PSS_SECONDS."""
    peak = proportional_peak = 0
    proportional_read = -float("inf")
    deadline = time.monotonic() + timeout
    with _end_of(child) as ended:
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                return peak, proportional_peak, status, usage
            resident = tree_resident(child.pid)
            total, now = sum(resident.values()), time.monotonic()
            if total > proportional_peak and (total >= peak or now - proportional_read >= PSS_SECONDS):
                proportional_peak, proportional_read = max(proportional_peak, proportional_sum(resident)), now
            peak = max(peak, total)
            if now > deadline:
                os.killpg(child.pid, signal.SIGKILL)
                _, status, usage = os.wait4(child.pid, 0)
                return peak, proportional_peak, None, usage
            ended(RSS_SECONDS)


@contextlib.contextmanager
def _end_of(child: subprocess.Popen) -> Iterator[Callable[[float], None]]:  # type: ignore[type-arg]
    """A wait of up to so many seconds for the child to end, which returns as soon as it has (its time is the step's wall
    time): on the child's pidfd, opened once; without one (before Linux 5.3, or not Linux), a short sleep."""
    try:
        descriptor = os.pidfd_open(child.pid)
    except (AttributeError, OSError):
        yield lambda seconds: time.sleep(min(seconds, 0.02))
        return

    def wait(seconds: float) -> None:
        select.select([descriptor], [], [], seconds)

    try:
        yield wait
    finally:
        os.close(descriptor)


# Rebuilds measured, each after one more change: the figure is their median (the machine's speed varies from second
# to second; the first rebuild after a build from nothing has nothing in common with a later one but its site).
REBUILDS = 3


def rebuilds(change: Callable[[], Path], measure: Callable[[], Measurement]) -> Measurement:
    """REBUILDS times a change and the rebuild after it: the rebuild of the median time, with every time in order."""
    measured = []
    for _ in range(REBUILDS):
        change()
        measured.append(measure())
        if measured[-1].status != "ok":
            return measured[-1]
    median = sorted(measured, key=lambda m: m.wall_s)[len(measured) // 2]
    median.detail["rebuilds_s"] = [round(m.wall_s, 2) for m in measured]
    return median


def change_one_letter(tei: Path, size: int) -> Path:
    """Add a sentence to the first paragraph of the middle letter, as an editor's small correction would."""
    letter = tei / f"letter-{(size + 1) // 2:05d}.xml"
    text = letter.read_text(encoding="utf-8")
    opener_end = text.index("</opener>")
    paragraph = text.index("<p>", opener_end) + len("<p>")
    letter.write_text(text[:paragraph] + CHANGED_LETTER_NOTE + text[paragraph:], encoding="utf-8")
    return letter


_PARAGRAPH = re.compile(r"<p(\s[^>]*)?>")


def change_one_file(path: Path) -> Path:
    """Add the same sentence to the first paragraph of a real corpus's file (a copy unpacked for the bench)."""
    text = path.read_text(encoding="utf-8")
    paragraph = _PARAGRAPH.search(text, max(text.find("<body"), 0))
    if paragraph is None:
        raise ValueError(f"{path} has no <p> in its <body> to change")
    path.write_text(text[:paragraph.end()] + CHANGED_LETTER_NOTE + text[paragraph.end():], encoding="utf-8")
    return path


# --- real corpora ----------------------------------------------------------------------------------


@dataclass
class Corpus:
    """A real edition unpacked for measuring: an edition root whose teipress.toml names the source folder."""

    name: str
    root: Path
    source: Path
    documents: int
    source_mb: float
    changed_file: Path | None = None  # the file the rebuild step changes: the middle one of the largest folder


def unpack_corpus(archive: Path, workdir: Path) -> Path:
    """The corpus's source folder: a folder as given, an archive unpacked (its one top folder, else all it holds)."""
    if archive.is_dir():
        return archive.resolve()
    target = workdir / "corpus-unpacked"
    set_aside(target, workdir / SET_ASIDE)
    target.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        # The "data" filter (Python 3.11.4+) refuses members that would land outside the folder.
        tar.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    entries = [p for p in target.iterdir() if not p.name.startswith(".")]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target


def corpus_editions(source: Path, subsets: list[int], workdir: Path, name: str) -> list[Corpus]:
    """The whole corpus and each subset: the first N files of its largest folder, every other file whole."""
    files = sorted(p for p in source.rglob("*.xml") if p.is_file())
    by_folder: dict[Path, list[Path]] = {}
    for file in files:
        by_folder.setdefault(file.parent, []).append(file)
    largest = max(by_folder, key=lambda folder: len(by_folder[folder]))
    others = [f for f in files if f.parent != largest]
    editions = []
    for size in sorted(set(subsets)):
        if size >= len(by_folder[largest]):
            continue
        subset = workdir / f"corpus-{name}-first-{size}" / "source"
        set_aside(subset.parent, workdir / SET_ASIDE)
        for file in others + by_folder[largest][:size]:
            copy = subset / file.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, copy)
        editions.append(_corpus_root(f"{name}:{size}", subset, workdir))
        editions[-1].changed_file = subset / by_folder[largest][size // 2].relative_to(source)
    editions.append(_corpus_root(name, source, workdir))
    editions[-1].changed_file = by_folder[largest][len(by_folder[largest]) // 2]
    return editions


def _corpus_root(name: str, source: Path, workdir: Path) -> Corpus:
    root = workdir / f"corpus-{name.replace(':', '-')}"
    root.mkdir(parents=True, exist_ok=True)
    (root / "teipress.toml").write_text(f"source = {json.dumps(str(source))}\noutput = \"output\"\n", encoding="utf-8")
    files = [p for p in source.rglob("*.xml") if p.is_file()]
    return Corpus(name=name, root=root, source=source, documents=len(files), source_mb=sum(p.stat().st_size for p in files) / MB)


# --- targets ---------------------------------------------------------------------------------------

def target_of(m: Measurement, by_key: dict[tuple[str, int], Measurement]) -> tuple[str, bool | None]:
    """The project's target for this figure, and whether it is met (None: no target here, or not known)."""
    if m.status not in ("ok", "timed out"):
        return "", None
    target, seconds, megabytes = _corpus_target(m) if m.edition != "synthetic" else _target(m, by_key)
    if m.status == "timed out":
        # Stopped before the end: the time so far is a lower bound, the memory so far too.
        too_long = seconds is not None and m.wall_s >= seconds
        too_big = megabytes is not None and _tree_mb(m) >= megabytes
        return target, False if (too_long or too_big) else None
    if m.step == "xslt":
        return target, m.detail.get("s_per_mb", 1e9) <= TEI_STYLESHEETS_S_PER_MB / 3
    if seconds is None:
        return target, None
    return target, m.wall_s < seconds and (megabytes is None or _tree_mb(m) < megabytes)


def _corpus_target(m: Measurement) -> tuple[str, float | None, float | None]:
    """A real corpus's targets concern the whole corpus (a subset is named `corpus:N`)."""
    if m.step == "validate" and ":" not in m.edition:
        return "< 30 s", 30, None
    return "", None, None


def _target(m: Measurement, by_key: dict[tuple[str, int], Measurement]) -> tuple[str, float | None, float | None]:
    """(the target as printed, its time limit in seconds, its memory limit in MB) for this step and size."""
    if m.step == "validate" and m.size == 1000:
        return "< 5 s", 5, None
    if m.step == "html-full" and m.size == 1000:
        return "< 20 s, < 1500 MB", 20, 1500
    if m.step == "html-full" and m.size == 5000:
        base = by_key.get(("html-full", 1000))
        if base is None or base.status != "ok":
            return "<= 5.5 x N=1000 (not measured)", None, None
        return f"<= 5.5 x N=1000 ({m.wall_s / base.wall_s:.1f} x)", 5.5 * base.wall_s, None
    if m.step == "html-rebuild" and m.size == 1000:
        return "< 1.5 s", 1.5, None
    if m.step == "html-rebuild" and m.size == 20000:
        return "< 3 s", 3, None
    if m.step == "xslt":
        return f"<= {TEI_STYLESHEETS_S_PER_MB / 3:.3f} s/MB", None, None
    if m.step in VOLUMES_STEPS and m.size == 1000:
        return "< 30 s, < 1500 MB", VOLUMES_SECONDS, VOLUMES_MB
    if m.step == "pdf-documents" and m.size == 1000:
        return "< 60 s", 60, None
    if m.step == "export (all 3)" and m.size == 1000:
        return "< 10 s", 10, None
    return "", None, None


# --- the targets of issue 11, each with its figure, beside the TEI Stylesheets' time on the same files ----

@dataclass
class Verdict:
    """One target on one edition: the figure measured and whether it meets the target (None: not judged at this size)."""

    target: str
    edition: str
    figure: str
    met: bool | None
    reference: str = ""


def _tree_mb(m: Measurement) -> float:
    """The tree's peak memory as the targets judge it: its proportional sum, what it holds of the machine's memory
    (the sum of RSS, where that was not measured, counts shared pages once per process: procmem.py)."""
    return m.tree_pss_mb or m.tree_rss_mb


def _tree_figure(m: Measurement) -> str:
    return f"{m.tree_pss_mb:.0f} MB PSS ({m.tree_rss_mb:.0f} MB RSS)" if m.tree_pss_mb else f"{m.tree_rss_mb:.0f} MB"


def _edition_label(m: Measurement) -> str:
    return f"synthetic {m.size:,}" if m.edition == "synthetic" else f"{m.edition} ({m.documents:,} files)"


def targets(measurements: list[Measurement]) -> list[Verdict]:
    """Every target of the real-scale issue that the measurements allow to judge, edition by edition.

    A target set for one size (e.g. memory at 20,000 letters) is printed at every size as a figure
    to follow, and judged only there; the real corpus is judged as the 5,000-letter edition is.
    """
    found = {(m.edition, m.step, m.size): m for m in measurements if m.status == "ok"}
    verdicts: list[Verdict] = []
    editions = list(dict.fromkeys((m.edition, m.size) for m in measurements if m.step != TEI_STYLESHEETS_STEP or m.status == "ok"))
    for edition, size in editions:
        real = edition != "synthetic"
        whole_corpus = real and ":" not in edition
        full, rebuild, validate = (found.get((edition, step, size)) for step in ("html-full", "html-rebuild", "validate"))
        reference = found.get((edition, TEI_STYLESHEETS_STEP, size))
        label = _edition_label(next(m for m in measurements if (m.edition, m.size) == (edition, size)))
        beside = f"TEI Stylesheets {reference.wall_s:.1f} s ({reference.detail.get('s_per_mb')} s/MB)" if reference else "TEI Stylesheets not run"

        def add(target: str, figure: str, met: bool | None, judged: bool) -> None:
            verdicts.append(Verdict(target, label, figure, met if judged else None, beside))

        if full is not None:
            if reference is not None:
                ratio = reference.wall_s / full.wall_s
                add("1. whole HTML build >= 3 x faster than the TEI Stylesheets' bare pages", f"{ratio:.2f} x ({full.wall_s:.1f} s)", ratio >= 3,
                    size == 5000 or whole_corpus)
            cores = full.cpu_s / full.wall_s if full.wall_s else 0.0
            add("2. CPU / wall >= 1.8 over the whole build (2 cores)", f"{cores:.2f} ({full.cpu_s:.1f} s CPU / {full.wall_s:.1f} s)", cores >= 1.8, size >= 1000 or real)
            add("3. peak memory of the build's process tree < 1,200 MB", _tree_figure(full), _tree_mb(full) < 1200, size == 20000)
            largest = full.detail.get("largest_page_mb")
            if largest is not None:
                add("4. no HTML page over 1 MB", f"{largest:.2f} MB ({full.detail.get('largest_page')})", largest <= 1, size == 20000 or whole_corpus)
            median = full.detail.get("median_page_to_source")
            if median is not None:
                add("4. median document page <= 2 x its TEI source", f"{median:.2f} x", median <= 2, True)
        if rebuild is not None:
            limit = 1.5 if size <= 1000 else 3.0
            add(f"5. rebuild after one changed letter < {limit:g} s (search included)", f"{rebuild.wall_s:.2f} s", rebuild.wall_s < limit, size in (1000, 20000) or real)
        if validate is not None:
            if whole_corpus:
                add("6. validation of the whole corpus < 30 s", f"{validate.wall_s:.1f} s", validate.wall_s < 30, True)
            add("6. validation < 1,000 MB", _tree_figure(validate), _tree_mb(validate) < 1000, size == 20000)
        verdicts += _volume_verdicts(found, edition, size, label)
        if edition == "synthetic" and size == 20000:
            for step, number in (("html-full", "3"), ("validate", "6")):
                large, base = found.get((edition, step, 20000)), found.get((edition, step, 5000))
                if large is not None and base is not None:
                    growth = large.wall_s / base.wall_s
                    # Beside it, the growth of a conversion that is linear by design (one file at a time, the same files, the
                    # same run): what the machine itself does to the larger edition's time.
                    control = [found.get((edition, TEI_STYLESHEETS_STEP, n)) for n in (20000, 5000)]
                    verdicts.append(Verdict(f"{number}. {step}: 20,000 letters <= 4.2 x the 5,000 time", label,
                                            f"{growth:.2f} x ({large.wall_s:.1f} s / {base.wall_s:.1f} s)", growth <= 4.2,
                                            f"TEI Stylesheets, a file at a time: {control[0].wall_s / control[1].wall_s:.2f} x"
                                            if step == "html-full" and control[0] and control[1] else ""))
    return verdicts


def _volumes_of(found: dict[tuple[str, str, int], Measurement], edition: str, size: int) -> Measurement | None:
    """The volumes' figures: the pdf-book step's (the volumes alone) where it ran, else the pdf step's second phase."""
    return found.get((edition, "pdf-book", size)) or found.get((edition, "pdf-volumes", size))


def _volume_verdicts(found: dict[tuple[str, str, int], Measurement], edition: str, size: int, label: str) -> list[Verdict]:
    """Issue 13's targets for the book in volumes: all volumes < 30 s and < 1.5 GB at 1,000 letters,
    linear in time and the same peak at 20,000; the per-document phase beside them."""
    volumes = _volumes_of(found, edition, size)
    documents = found.get((edition, "pdf-documents", size))
    verdicts: list[Verdict] = []
    beside = ""
    if documents is not None:
        beside = f"per-document phase {documents.wall_s:.1f} s, {documents.tree_rss_mb:.0f} MB"
    if volumes is None:
        return verdicts
    d = volumes.detail
    judged = size == 1000 and edition == "synthetic"
    cpu = f", {volumes.cpu_s:.1f} s CPU" if volumes.cpu_s else ""
    verdicts.append(Verdict(f"13. all volumes < {VOLUMES_SECONDS} s ({volumes.step})", label, f"{volumes.wall_s:.1f} s{cpu}",
                            volumes.wall_s < VOLUMES_SECONDS if judged else None, beside))
    verdicts.append(Verdict(f"13. volumes' peak memory (process tree) < {VOLUMES_MB:,} MB", label, f"{volumes.tree_rss_mb:.0f} MB",
                            volumes.tree_rss_mb < VOLUMES_MB if (judged or size == 20000) else None, beside))
    verdicts.append(Verdict("13. the volumes", label, volume_summary(d), None, beside))
    base = _volumes_of(found, edition, 1000)
    if edition == "synthetic" and size == 20000 and base is not None and base.step == volumes.step:
        growth = volumes.wall_s / base.wall_s
        verdicts.append(Verdict("13. volumes: 20,000 letters linear, <= 20 x the 1,000 time", label,
                                f"{growth:.1f} x ({volumes.wall_s:.1f} s / {base.wall_s:.1f} s)", growth <= 20, beside))
    return verdicts


def print_targets(verdicts: list[Verdict]) -> list[str]:
    """The targets as lines: target, edition, figure, meets/misses, the TEI Stylesheets' time on the same files."""
    rows = [("target", "edition", "figure", "", "beside")]
    rows += [(v.target, v.edition, v.figure, "" if v.met is None else ("meets" if v.met else "MISSES"), v.reference) for v in verdicts]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    print("\n".join(lines))
    return lines


def pdf_phases(m: Measurement) -> list[Measurement]:
    """The pdf step's two phases as figures of their own: all per-document PDFs (and the volumes' markup), then the volumes."""
    d = m.detail
    # The largest single process is known for the whole step only, so the phases leave that column empty.
    common = dict(size=m.size, status="ok", edition=m.edition, documents=m.documents, source_mb=m.source_mb)
    if m.status == "timed out" and "documents_s" in d:
        return [
            Measurement(step="pdf-documents", wall_s=d["documents_s"], tree_rss_mb=d["documents_peak_mb"],
                        detail={"pdf_files": m.documents, "pages": None, "phase": "start to the last document PDF"}, **common),
            Measurement(step="pdf-volumes", **(common | {"status": "timed out"}),
                        wall_s=m.wall_s - d["documents_s"], tree_rss_mb=m.tree_rss_mb,
                        reason=f"still typesetting {m.wall_s - d['documents_s']:.0f} s after the documents were done, when the step's timeout stopped it"),
        ]
    if m.status != "ok" or "book_s" not in d:
        return []
    return [
        Measurement(step="pdf-documents", wall_s=d["documents_s"], tree_rss_mb=d["documents_peak_mb"],
                    detail={"pdf_files": d["pdf_files"] - d["volumes"], "pages": (d["pages"] or 0) - (d["book_pages"] or 0),
                            "phase": "start to the last document PDF and the volumes' markup"}, **common),
        Measurement(step="pdf-volumes", wall_s=d["book_s"], tree_rss_mb=d["book_peak_mb"], cpu_s=d.get("volumes_cpu_s", 0.0),
                    detail=d | {"phase": "compiling the volumes"}, **common),
    ]


def volume_summary(d: dict[str, Any]) -> str:
    """The volumes as the pdf and pdf-book steps measured them: how many, their pages, the largest's time and peak, and
    the highest peak of any volume's process (an index volume's may be the highest)."""
    largest = d.get("largest_volume")
    if not largest:
        return f"{d.get('volumes')} volume(s), none typeset (all reused)"
    pages = d.get("volume_pages") or []
    twice = sum(1 for f in d.get("volume_figures", []) if f.get("compilations", 1) > 1)
    highest = max(d.get("volume_figures") or [largest | {"file": "?"}], key=lambda f: f["peak_mb"])
    return (f"{d.get('volumes_typeset')} of {d.get('volumes')} volume(s) typeset, {min(pages)}-{max(pages)} pages each ({sum(pages)} in all), "
            f"{d.get('volumes_cpu_s')} s CPU; largest {largest['pages']} pages: {largest['s']} s ({largest['cpu_s']} s CPU), "
            f"peak {largest['peak_mb']} MB; highest peak {highest['peak_mb']} MB ({highest['file']}, {highest['pages']} pages)"
            + (f"; {twice} compiled twice (line numbers)" if twice else ""))


def export_total(measurements: list[Measurement], size: int) -> Measurement | None:
    """tei + cmif + dc together, the figure the export target is about."""
    parts = [m for m in measurements if m.size == size and m.edition == "synthetic" and m.step in ("export-tei", "export-cmif", "export-dc")]
    if len(parts) != 3:
        return None
    ok = all(m.status == "ok" for m in parts)
    total = Measurement(step="export (all 3)", size=size, status="ok" if ok else "failed",
                        wall_s=sum(m.wall_s for m in parts), cpu_s=sum(m.cpu_s for m in parts), max_rss_mb=max(m.max_rss_mb for m in parts),
                        tree_rss_mb=max(m.tree_rss_mb for m in parts), documents=parts[0].documents, source_mb=parts[0].source_mb,
                        reason="" if ok else "a part failed or is not available")
    return total


def _note(m: Measurement) -> str:
    if m.status != "ok":
        return f"{'not available' if m.status == 'unavailable' else m.status}: {m.reason}" + (f" (peak {m.tree_rss_mb:.0f} MB)" if m.status == "timed out" else "")
    d = m.detail
    if m.step == "validate":
        per_file = f", {1000 * m.wall_s / d['files']:.1f} ms/file" if d.get("files") else ""
        return f"{d.get('files')} files, {d.get('errors')} errors, {d.get('warnings')} warnings{per_file}"
    if m.step.startswith("html"):
        runs = f"; the median of {', '.join(f'{wall:.2f}' for wall in d['rebuilds_s'])} s" if "rebuilds_s" in d else ""
        return f"{d.get('rendered')} rendered, {d.get('reused')} reused; " + ", ".join(f"{k} {v:.1f}s" for k, v in d.get("timings", {}).items()) + runs
    if m.step == "xslt":
        return f"{d.get('s_per_mb')} s/MB ({d.get('transform_s')} s for {d.get('source_mb')} MB; compile {d.get('compile_s')} s)"
    if m.step == "pdf":
        phases = f"; documents {d['documents_s']:.1f} s, volumes {d['book_s']:.1f} s" if "book_s" in d else "; phases not seen"
        return f"{d.get('pdf_files')} PDFs, {d.get('pages')} pages{phases}"
    if m.step in VOLUMES_STEPS:
        return volume_summary(d)
    if m.step.startswith("pdf-"):
        return f"{d.get('pdf_files')} PDF(s), {d.get('pages')} pages ({d.get('phase')})"
    if m.step.startswith("export-"):
        return f"{d.get('files')} files, {d.get('output_mb')} MB"
    if m.step == TEI_STYLESHEETS_STEP:
        return f"{d.get('files')} files ({d.get('failed')} failed), {d.get('s_per_mb')} s/MB: bare pages, no registers, no search"
    return ""


def print_table(measurements: list[Measurement]) -> list[str]:
    by_key = {(m.step, m.size): m for m in measurements if m.edition == "synthetic"}
    rows = [("step", "N", "wall s", "CPU s", "docs/s", "MB/s", "peak MB", "PSS MB", "max RSS MB", "target", "", "notes")]
    for m in measurements:
        target, met = target_of(m, by_key)
        verdict = "" if met is None else ("meets" if met else "MISSES")
        step = m.step if m.edition == "synthetic" else f"{m.step} ({m.edition})"
        if m.status == "ok":
            rows.append((step, str(m.size), f"{m.wall_s:.2f}", f"{m.cpu_s:.1f}" if m.cpu_s else "", f"{m.docs_per_s:.0f}", f"{m.mb_per_s:.2f}",
                         f"{m.tree_rss_mb:.0f}", f"{m.tree_pss_mb:.0f}" if m.tree_pss_mb else "", f"{m.max_rss_mb:.0f}" if m.max_rss_mb else "",
                         target, verdict, _note(m)))
        elif m.status == "timed out":
            rows.append((step, str(m.size), f">{m.wall_s:.0f}", "", "-", "-", f">{m.tree_rss_mb:.0f}", "-", "-", target, verdict, _note(m)))
        else:
            rows.append((step, str(m.size), "-", "-", "-", "-", "-", "-", "-", target, verdict, _note(m)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for index, row in enumerate(rows):
        line = "  ".join(cell.rjust(w) if 1 <= i <= 8 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        lines.append(f"{line}  {row[-1]}".rstrip())
        if index == 0:
            lines.append("-" * len(lines[0]))
    print("\n".join(lines))
    return lines


def machine() -> str:
    memory = os.sysconf("SC_PHYS_PAGES") * PAGE_SIZE if hasattr(os, "sysconf") else 0
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory / 2**30:.0f} GiB, Python {platform.python_version()}"


# A step's time grows with the edition: the PDFs of 20,000 synthetic letters take about 32 minutes on two idle cores,
# the documents' own PDFs 25 of them, and a fixed 30 minutes stopped them.
TIMEOUT_S_PER_DOCUMENT = 0.2
MIN_TIMEOUT_S = 1800


def step_timeout(given: float | None, documents: int) -> float:
    """The seconds after which a step on an edition of `documents` is stopped: `--timeout`, else TIMEOUT_S_PER_DOCUMENT
    a document and at least MIN_TIMEOUT_S."""
    return given if given is not None else max(MIN_TIMEOUT_S, TIMEOUT_S_PER_DOCUMENT * documents)


def measure_corpus(archive: Path, subsets: list[int], steps: list[str], workdir: Path, timeout: float | None, log: Path, baseline: Path) -> list[Measurement]:
    """Every step on each subset of a real corpus, then on the whole, and the TEI Stylesheets on the same files."""
    started = time.perf_counter()
    name = archive.name.split(".")[0]
    source = unpack_corpus(archive, workdir)
    editions = corpus_editions(source, subsets, workdir, name)
    print(f"corpus {name}: {editions[-1].documents} files, {editions[-1].source_mb:.1f} MB of TEI, ready in {time.perf_counter() - started:.1f} s", flush=True)
    measurements = []
    for corpus in editions:
        for step in steps:
            if step == "html-rebuild":
                if archive.is_dir() and corpus.source == source:
                    print(f"  {step:<14} skipped: the corpus is a folder of yours, which the bench does not change (give an archive)", flush=True)
                    continue
            measure = functools.partial(run_step, step, corpus.root, corpus.documents, corpus.documents, corpus.source_mb, step_timeout(timeout, corpus.documents), log,
                                        edition=corpus.name, aside=workdir / SET_ASIDE)
            m = rebuilds(functools.partial(change_one_file, corpus.changed_file), measure) if step == "html-rebuild" else measure()  # type: ignore[arg-type]
            print(f"  {step:<14} {corpus.name:<14} {m.status:<11} {m.wall_s:7.2f} s ({m.cpu_s:6.1f} s CPU)  {m.tree_rss_mb:6.0f} MB  {_note(m)}", flush=True)
            measurements.extend([m, *pdf_phases(m)] if step == "pdf" else [m])
        if "html-full" in steps:
            measurements.append(_reference(baseline, corpus.source, corpus.documents, corpus.documents, corpus.source_mb, step_timeout(timeout, corpus.documents), log,
                                           corpus.name, workdir / SET_ASIDE))
    return measurements


def _reference(baseline: Path, source: Path, size: int, documents: int, source_mb: float, timeout: float, log: Path, edition: str,
               aside: Path) -> Measurement:
    m = run_tei_stylesheets(baseline, source, size, documents, source_mb, timeout, log, edition, aside=aside)
    name = "" if edition == "synthetic" else edition
    print(f"  {TEI_STYLESHEETS_STEP:<14} {name:<14} {m.status:<11} {m.wall_s:7.2f} s ({m.cpu_s:6.1f} s CPU)  {m.tree_rss_mb:6.0f} MB  {_note(m)}", flush=True)
    return m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated numbers of letters (default: 100,1000,5000)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated steps (default: all: {','.join(STEPS)})")
    parser.add_argument("--workdir", type=Path, help="where to generate the editions (default: a temporary folder, removed afterwards)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic editions (default: 1)")
    parser.add_argument("--timeout", type=float, help=f"seconds after which a step is stopped (default: {TIMEOUT_S_PER_DOCUMENT} s a document, at least {MIN_TIMEOUT_S})")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument("--corpus", type=Path, help="a real edition to measure too: a .tar.xz (or .tar.gz, .tar) archive or a folder of TEI files")
    parser.add_argument("--tei-stylesheets", type=Path, default=TEI_STYLESHEETS,
                        help="the TEI Stylesheets' timing script, run on the same files beside each full HTML build (default: ../shared/baselines/tei_stylesheets_html.py)")
    parser.add_argument("--corpus-subsets", default="", help="comma-separated numbers of files: subsets of the corpus measured before the whole (e.g. 100,500,1000)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip() and int(s) > 0]
        subsets = [int(s) for s in args.corpus_subsets.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes and --corpus-subsets must be whole numbers separated by commas, not {args.sizes!r}, {args.corpus_subsets!r}")
    if args.corpus is not None and not args.corpus.exists():
        parser.error(f"--corpus {args.corpus} does not exist")
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown or not (sizes or args.corpus):
        parser.error(f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}" if unknown else "--sizes needs numbers of at least 1, or give --corpus")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="teipress-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "bench.log"
    aside = workdir / SET_ASIDE
    print(f"teipress bench, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(f"editions and step logs in {workdir}\n")
    measurements: list[Measurement] = []
    try:
        for size in sizes:
            root = workdir / f"edition-{size}"
            set_aside(root, aside)
            started = time.perf_counter()
            letters = generate(size, root, seed=args.seed)
            source_mb = sum(p.stat().st_size for p in (root / "tei").rglob("*.xml")) / MB
            print(f"N={size}: generated {len(letters)} letters, {source_mb:.1f} MB of TEI, in {time.perf_counter() - started:.1f} s", flush=True)
            for step in steps:
                if step == "html-rebuild":
                    m = rebuilds(lambda: change_one_letter(root / "tei", size),
                                 lambda: run_step(step, root, size, len(letters), source_mb, step_timeout(args.timeout, len(letters)), log, aside=aside))
                else:
                    m = run_step(step, root, size, len(letters), source_mb, step_timeout(args.timeout, len(letters)), log, aside=aside)
                print(f"  {step:<14} {m.status:<11} {m.wall_s:7.2f} s ({m.cpu_s:6.1f} s CPU)  {m.tree_rss_mb:6.0f} MB  {_note(m)}", flush=True)
                measurements.extend([m, *pdf_phases(m)] if step == "pdf" else [m])
            if "html-full" in steps:
                measurements.append(_reference(args.tei_stylesheets, root / "tei", size, len(letters), source_mb, step_timeout(args.timeout, len(letters)), log,
                                               "synthetic", aside))
            total = export_total(measurements, size)
            if total is not None:
                measurements.append(total)
        if args.corpus is not None:
            measurements += measure_corpus(args.corpus, subsets, steps, workdir, args.timeout, log, args.tei_stylesheets)
    finally:
        # What the run set aside goes only now, when nothing more is measured (step.set_aside says why).
        print(f"\nremoved what the run set aside (earlier sites and editions) in {remove_set_aside(aside):.1f} s", flush=True)
        failed = any(m.status == "failed" for m in measurements)
        if args.workdir is None and not failed:
            shutil.rmtree(workdir, ignore_errors=True)
        elif failed:
            print(f"\na step failed: its log is {log}")
    print()
    lines = print_table(measurements)
    print()
    lines += [""] + print_targets(targets(measurements))
    if args.json:
        args.json.write_text(json.dumps({"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
                                         "measurements": [asdict(m) | {"docs_per_s": m.docs_per_s, "mb_per_s": m.mb_per_s} for m in measurements],
                                         "table": lines}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
