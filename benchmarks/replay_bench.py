"""Benchmark the audit log: replay throughput and peak memory for logs of generated decisions.

Run: ``.venv/bin/python benchmarks/replay_bench.py`` (``--sizes 10000,100000``, ``--keep DIR``,
``--json``).

For each size a log is built from generated cases (each decided, then recorded in batches of
one transaction each), and then, in a fresh process, replayed under its recorded rules and
verified. Each phase runs in its own process so the peak memory (``ru_maxrss``) of the replay
is the replay's alone; ``baseline`` is that process's peak after replaying record 1 (imports,
rulebook and engine loaded). ``per CPU s`` divides by the replay's CPU time, which a busy
machine disturbs less than the wall-clock ``records/s``. The replay streams, so its own memory
does not grow with the log; the peak above the baseline is mostly the engine's explanation
memo (``scr_rules.memo``), which fills up to its cap as new fact combinations appear.
"""

from __future__ import annotations

import argparse
import json
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


def build(path: Path, count: int) -> dict[str, Any]:
    """Decide ``count`` generated cases and record them; return the timings."""
    book = load_rulebook()
    log = AuditLog(path)
    cases = random_cases(count, SEED)
    start = time.perf_counter()
    while batch := list(islice(cases, BATCH)):
        log.record_many((make_entry(c, triage(c, rulebook=book), book) for c in batch), [book])
    seconds = time.perf_counter() - start
    log.close()
    return {"build_s": seconds, "log_mb": path.stat().st_size / 1e6}


def replay(path: Path) -> dict[str, Any]:
    """Replay the whole log under its recorded rules, then verify it; return the figures."""
    log = AuditLog(path)
    log.replay("recorded", record_id=1)
    baseline = peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    report = log.replay("recorded")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_mb()
    start = time.perf_counter()
    verified = log.verify()
    verify_s = time.perf_counter() - start
    return {
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


def table(rows: list[dict[str, Any]]) -> str:
    """Return the figures as a small fixed-width table."""
    head = (
        f"{'records':>9} {'log MB':>7} {'build s':>8} {'replay s':>9} {'records/s':>10} "
        f"{'per CPU s':>10} {'exact':>9} {'verify s':>9} {'baseline MB':>12} {'peak MB':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['records']:>9,} {r['log_mb']:>7.0f} {r['build_s']:>8.1f} {r['replay_s']:>9.1f} "
            f"{r['records_per_s']:>10,.0f} {r['records_per_cpu_s']:>10,.0f} {r['exact']:>9,} "
            f"{r['verify_s']:>9.1f} "
            f"{r['baseline_mb']:>12.1f} {r['peak_mb']:>8.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse the options and run each size, or one phase when called as a child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="log sizes, comma-separated")
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
        print(json.dumps(replay(args.log)))
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
            rows.append({**built, **child("--phase", "replay", "--log", str(path))})
            print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(json.dumps(rows, indent=2) if args.json else table(rows))


if __name__ == "__main__":
    main()
