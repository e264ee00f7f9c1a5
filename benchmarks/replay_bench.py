"""Benchmark the audit log: replay throughput (one and more workers) and peak memory.

Run: ``.venv/bin/python benchmarks/replay_bench.py`` (``--sizes 10000,100000``,
``--jobs 1,2``, ``--keep DIR``, ``--json``).

For each size a log is built from generated cases (each decided, then recorded in batches of
one transaction each; half carry a synthetic board decision, so ``--keep`` leaves a log to
try ``scr audit report`` on), and then, in a fresh process per ``--jobs`` value, replayed under its
recorded rules (as ``scr replay --jobs N`` does) and verified. Each phase runs in its own
process so the peak memory (``ru_maxrss``) of the replay is the replay's alone; ``baseline``
is that process's peak after replaying record 1 (imports, rulebook and engine loaded). ``per
CPU s`` divides by the CPU time of the replay and its workers, which a busy machine disturbs
less than the wall-clock ``records/s``; ``x jobs 1`` is the wall-clock speed-up over one
worker. The replay streams, so its own memory does not grow with the log; the peak above the
baseline is mostly the engine's explanation memo, which fills up to its cap.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from scr_rules.audit import AuditLog, make_entry
from scr_rules.decide import triage
from scr_rules.law import load_rulebook
from scr_rules.testing import random_cases

BATCH = 5000  # records per append transaction while building
SEED = 1


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


FOLLOWS = {"mandatory": "initiated", "not_required": "declined"}  # the criteria followed
AGAINST = {"mandatory": "declined", "not_required": "initiated"}


def board_decision(rng: random.Random, outcome: str) -> Any:
    """Return a synthetic board decision: half the records have one, mostly following."""
    if rng.random() < 0.5:
        return None
    if outcome in FOLLOWS:
        return FOLLOWS[outcome] if rng.random() < 0.8 else AGAINST[outcome]
    return rng.choice(["initiated", "declined", "alternative_review"])


def entry(case: Any, book: Any, rng: random.Random) -> Any:
    """Decide a case and return its log entry, with a synthetic board decision."""
    decision = triage(case, rulebook=book)
    return make_entry(case, decision, book, human_decision=board_decision(rng, decision.outcome))


def build(path: Path, count: int) -> dict[str, Any]:
    """Decide ``count`` generated cases and record them; return the timings."""
    book = load_rulebook()
    log = AuditLog(path, key=None)
    cases, rng = random_cases(count, SEED), random.Random(SEED)
    start = time.perf_counter()
    while batch := list(islice(cases, BATCH)):
        log.record_many((entry(c, book, rng) for c in batch), [book])
    seconds = time.perf_counter() - start
    log.close()
    return {"build_s": seconds, "log_mb": path.stat().st_size / 1e6}


def cpu_seconds() -> float:
    """Return the CPU time of this process and of its finished worker processes."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def replay(path: Path, jobs: int) -> dict[str, Any]:
    """Replay the whole log under its recorded rules, then verify it; return the figures."""
    log = AuditLog(path, key=None)
    log.replay("recorded", record_id=1)
    baseline = peak_mb()
    start, cpu = time.perf_counter(), cpu_seconds()
    report = log.replay("recorded", jobs=jobs)  # the workers have ended when it returns
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peak = peak_mb()
    start = time.perf_counter()
    verified = log.verify()
    verify_s = time.perf_counter() - start
    return {
        "jobs": jobs,
        "records": report.summary.total,
        "identical": report.summary.identical,
        "exact": report.summary.exact,
        "replay_s": seconds,
        "records_per_s": report.summary.total / seconds,
        "records_per_cpu_s": report.summary.total / cpu,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "verify_s": verify_s,
        "verified": verified.ok,
    }


def child(*args: str) -> dict[str, Any]:
    """Run one phase in a fresh interpreter and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return dict(json.loads(done.stdout))


HEAD = (
    f"{'records':>9} {'log MB':>7} {'build s':>8} {'jobs':>5} {'replay s':>9} {'records/s':>10} "
    f"{'x jobs 1':>9} {'per CPU s':>10} {'exact':>9} {'verify s':>9} {'baseline MB':>12} "
    f"{'peak MB':>8}"
)


def row_line(r: dict[str, Any]) -> str:
    """Return one measured replay as a line of the table."""
    return (
        f"{r['records']:>9,} {r['log_mb']:>7.0f} {r['build_s']:>8.1f} {r['jobs']:>5} "
        f"{r['replay_s']:>9.1f} {r['records_per_s']:>10,.0f} {r['speedup']:>9.2f} "
        f"{r['records_per_cpu_s']:>10,.0f} {r['exact']:>9,} {r['verify_s']:>9.1f} "
        f"{r['baseline_mb']:>12.1f} {r['peak_mb']:>8.1f}"
    )


def table(rows: list[dict[str, Any]]) -> str:
    """Return the figures as a small fixed-width table."""
    return "\n".join([HEAD, "-" * len(HEAD), *(row_line(r) for r in rows)])


def main() -> None:
    """Parse the options and run each size, or one phase when called as a child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="log sizes, comma-separated")
    parser.add_argument(
        "--jobs", default="1,2", help="worker counts to replay with, comma-separated"
    )
    parser.add_argument("--keep", type=Path, help="build the logs in this directory and keep them")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--phase", choices=["build", "replay"], help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "build":
        print(json.dumps(build(args.log, args.count)))
        return
    if args.phase == "replay":
        print(json.dumps(replay(args.log, int(args.jobs))))
        return
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.keep or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            path = directory / f"replay-bench-{size}.scrlog"
            for old in directory.glob(path.name + "*"):
                old.unlink()
            built = child("--phase", "build", "--log", str(path), "--count", str(size))
            first: float | None = None
            for jobs in args.jobs.split(","):
                replayed = child("--phase", "replay", "--log", str(path), "--jobs", jobs)
                first = first or replayed["records_per_s"]
                rows.append({**built, **replayed, "speedup": replayed["records_per_s"] / first})
                print(row_line(rows[-1]), file=sys.stderr, flush=True)
    print(json.dumps(rows, indent=2) if args.json else table(rows))


if __name__ == "__main__":
    main()
