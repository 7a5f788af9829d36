"""Mutation testing: does the test suite notice a deliberate, named bug?

Each mutation of `bench/mutations.toml` changes one line of the stylesheets, the Schematron rules or the
Python core into a meaningful bug (a dropped note, a pointer checked on its first token only ...). For each,
this script copies the repository (the files git knows, as they are in the working tree) into a temporary
folder, applies the mutation there and runs the test suite against the copy, stopping at the first failure:

- killed: some test failed (first the mutation's suggested test files, which fail fastest; then the whole suite);
- survived: the whole suite passed, so no test pins the behaviour the mutation breaks;
- timeout: the suite took longer than --timeout seconds;
- error: pytest could not run (e.g. a collection error);
- not applicable: the original text no longer occurs exactly once (the code changed; update the list).

    python bench/mutate.py                       # every mutation, one at a time (takes a while)
    python bench/mutate.py --list                # the mutations and whether each still applies
    python bench/mutate.py --only pdf-no-footnotes,sch-first-token-only
    python bench/mutate.py --suggested-only      # only the suggested tests: a quick first pass

The kill rate is killed / (killed + survived + timeout). Not part of the normal test run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MUTATIONS = Path(__file__).with_name("mutations.toml")
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]


@dataclass(frozen=True)
class Mutation:
    id: str
    file: str
    original: str
    replacement: str
    bug: str
    tests: tuple[str, ...] = ()


@dataclass
class Outcome:
    id: str
    file: str
    status: str  # killed, survived, timeout, error, not applicable
    seconds: float
    detail: str  # the first failing test, or why the mutation did not apply


def load_mutations(path: Path = MUTATIONS) -> list[Mutation]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    mutations = [Mutation(id=m["id"], file=m["file"], original=m["original"], replacement=m["replacement"], bug=m["bug"],
                          tests=tuple(m.get("tests", ()))) for m in data["mutation"]]
    ids = [m.id for m in mutations]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"{path}: duplicate mutation id(s): {', '.join(duplicates)}")
    return mutations


def applicability(mutation: Mutation, root: Path = REPO) -> str | None:
    """None when the mutation applies to the files under root, else why not."""
    path = root / mutation.file
    if not path.is_file():
        return f"{mutation.file} does not exist"
    count = path.read_text(encoding="utf-8").count(mutation.original)
    if count != 1:
        return f"the original text occurs {count} times in {mutation.file} (must be once)"
    if mutation.original == mutation.replacement:
        return "the replacement equals the original"
    return None


def copy_repository(destination: Path) -> Path:
    """The files git knows (tracked and new, not ignored), as they are in the working tree, and ../shared beside them."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    copy = destination / REPO.name
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    shared = REPO.parent / "shared"
    if shared.is_dir():  # the tests find ../shared beside the checkout; without it they would skip
        (destination / "shared").symlink_to(shared)
    return copy


def run_pytest(copy: Path, arguments: list[str], timeout: float) -> tuple[str, str]:
    """(status, first failing test) of one pytest run in the copy."""
    environment = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        run = subprocess.run([*PYTEST, *arguments], cwd=copy, env=environment, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", f"more than {timeout:.0f} s"
    output = run.stdout + run.stderr
    failed = next((line for line in output.splitlines() if line.startswith(("FAILED ", "ERROR "))), "")
    if run.returncode == 0:
        return "survived", ""
    if run.returncode == 1:
        return "killed", failed[:160]
    return "error", (failed or output.strip().splitlines()[-1] if output.strip() else f"exit {run.returncode}")[:160]


def run_mutation(mutation: Mutation, copy: Path, timeout: float, suggested_only: bool) -> Outcome:
    started = time.monotonic()
    reason = applicability(mutation, copy)
    if reason:
        return Outcome(mutation.id, mutation.file, "not applicable", 0.0, reason)
    path = copy / mutation.file
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(mutation.original, mutation.replacement), encoding="utf-8")
    try:
        status, detail = "survived", ""
        suggested = [t for t in mutation.tests if (copy / t.split("::")[0]).exists()]  # a new test file may not be there yet
        if suggested:
            status, detail = run_pytest(copy, suggested, timeout)
        if status == "survived" and not suggested_only:
            status, detail = run_pytest(copy, [], timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    return Outcome(mutation.id, mutation.file, status, time.monotonic() - started, detail)


def kill_rate(outcomes: list[Outcome]) -> tuple[int, int]:
    counted = [o for o in outcomes if o.status in ("killed", "survived", "timeout")]
    return sum(o.status == "killed" for o in counted), len(counted)


def print_table(outcomes: list[Outcome]) -> None:
    width = max((len(o.id) for o in outcomes), default=10)
    for outcome in outcomes:
        print(f"{outcome.id:<{width}}  {outcome.status:<14}  {outcome.seconds:6.1f} s  {outcome.detail}")
    killed, counted = kill_rate(outcomes)
    rate = f"{100 * killed / counted:.1f} %" if counted else "n/a"
    others = {s: sum(o.status == s for o in outcomes) for s in ("survived", "timeout", "error", "not applicable")}
    print(f"\nkilled {killed} of {counted}: {rate}  (" + ", ".join(f"{n} {s}" for s, n in others.items()) + ")")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated mutation ids to run")
    parser.add_argument("--list", action="store_true", help="list the mutations and whether each applies, run nothing")
    parser.add_argument("--jobs", type=int, default=1, help="mutations run at the same time (each its own copy; default 1)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one pytest run may take (default 1800)")
    parser.add_argument("--suggested-only", action="store_true",
                        help="run only each mutation's suggested tests (a quick first pass: 'survived' then means 'maybe')")
    parser.add_argument("--json", type=Path, help="also write the outcomes to this JSON file")
    args = parser.parse_args(argv)

    mutations = load_mutations()
    if args.only:
        wanted = [i.strip() for i in args.only.split(",") if i.strip()]
        unknown = sorted(set(wanted) - {m.id for m in mutations})
        if unknown:
            parser.error(f"unknown mutation id(s): {', '.join(unknown)}")
        mutations = [m for m in mutations if m.id in wanted]
    if args.list:
        for mutation in mutations:
            reason = applicability(mutation)
            print(f"{mutation.id:<36} {mutation.file:<34} {'applies' if reason is None else 'NOT APPLICABLE: ' + reason}\n    {mutation.bug}")
        return 0

    with tempfile.TemporaryDirectory(prefix="teipress-mutants-") as temporary:
        copies = [copy_repository(Path(temporary) / f"worker-{n}") for n in range(max(1, args.jobs))]
        free = list(copies)
        outcomes: list[Outcome] = []

        def one(mutation: Mutation) -> Outcome:
            copy = free.pop()
            try:
                outcome = run_mutation(mutation, copy, args.timeout, args.suggested_only)
            finally:
                free.append(copy)
            print(f"{outcome.id}: {outcome.status} ({outcome.seconds:.0f} s) {outcome.detail}", file=sys.stderr, flush=True)
            return outcome

        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            outcomes = list(pool.map(one, mutations))
    print_table(outcomes)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2), encoding="utf-8")
    killed, counted = kill_rate(outcomes)
    return 0 if counted and killed == counted else 1


if __name__ == "__main__":
    sys.exit(main())
