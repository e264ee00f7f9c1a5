"""Benchmark ``scr batch`` JSONL -> JSONL end to end: throughput, peak memory, baselines.

Run: ``.venv/bin/python benchmarks/batch_bench.py`` (all sizes: 10k, 100k and 1M records;
``--sizes 10000 --no-single`` for a quick run; ``--json`` for machine-readable figures).
The 1M run reads a 1 GB file and writes ~5 GB of decisions (deleted after each pipeline).

For each size the same generated file goes through three pipelines, each a fresh
``scr batch`` process with ``--jobs`` workers, timed from start to exit:

- ``durable-rules``: the product;
- ``reference``: the same pipeline with the pure-Python reference evaluator (baseline a);
- ``I/O floor``: ``--validate-only``: read, validate and write every record, no decision
  (baseline b).

Peak memory is sampled every 20 ms over the whole process tree: the largest single
process (RSS) and the tree's total (PSS, which counts pages shared by the forked workers
once). The single-case figures (in-process latency, CLI cold start) come from
``triage_bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from triage_bench import measure, scr_command

from scr_rules.testing import random_cases

SIZES = (10_000, 100_000, 1_000_000)
PIPELINES = {
    "durable-rules": [],
    "reference": ["--evaluator", "reference"],
    "I/O floor": ["--validate-only"],
}
SAMPLE_SECONDS = 0.02


def generate(path: Path, count: int, seed: int) -> None:
    """Write ``count`` generated valid cases as JSON Lines (reused if already there)."""
    if path.exists() and sum(1 for _ in path.open("rb")) == count:
        return
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as out:
        for case in random_cases(count, seed=seed):
            out.write(json.dumps(case.dump(), separators=(",", ":")) + "\n")
    partial.replace(path)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(child) for child in text.split()]
    return found + [grandchild for child in found for grandchild in _children(child)]


def _memory(pid: int) -> tuple[int, int]:
    """Return (RSS, PSS) of one process in kB (PSS falls back to RSS)."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = pss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class PeakMemory(threading.Thread):
    """Sample a process tree's memory until stopped; keep the peaks (MB)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.largest_rss = 0.0
        self.total_pss = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            sizes = [_memory(pid) for pid in [self.pid, *_children(self.pid)]]
            self.largest_rss = max(self.largest_rss, max(rss for rss, _ in sizes) / 1024)
            self.total_pss = max(self.total_pss, sum(pss for _, pss in sizes) / 1024)
            self.done.wait(SAMPLE_SECONDS)


def run_pipeline(source: Path, out: Path, jobs: int, extra: list[str]) -> dict[str, Any]:
    """Run one ``scr batch`` and return its wall time, peak memory and output size."""
    command = [
        *scr_command(),
        "batch",
        str(source),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--no-progress",
        *extra,
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PeakMemory(process.pid)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"scr batch failed ({process.returncode}): {stderr.decode()}")
    with out.open("rb") as lines:
        written = sum(1 for _ in lines)
    return {
        "seconds": seconds,
        "largest_rss_mb": sampler.largest_rss,
        "total_pss_mb": sampler.total_pss,
        "lines": written,
        "summary": stderr.decode().strip().splitlines()[-1].strip(),
    }


def bench_size(folder: Path, count: int, jobs: int, seed: int) -> dict[str, Any]:
    """Run the three pipelines on one generated file."""
    source = folder / f"cases-{count}-{seed}.jsonl"
    generate(source, count, seed)
    rows = {}
    for name, extra in PIPELINES.items():
        out = folder / "out.jsonl"
        row = run_pipeline(source, out, jobs, extra)
        out.unlink()
        if row["lines"] != count:
            raise SystemExit(f"{name}: wrote {row['lines']} lines for {count} records")
        row["cases_per_s"] = count / row["seconds"]
        rows[name] = row
    durable = rows["durable-rules"]["seconds"]
    return {
        "records": count,
        "input_mb": source.stat().st_size / 1e6,
        "rows": rows,
        "x_reference": durable / rows["reference"]["seconds"],
        "x_io_floor": durable / rows["I/O floor"]["seconds"],
    }


def print_table(results: list[dict[str, Any]], jobs: int) -> None:
    """Print one block per size."""
    print(f"scr batch JSONL -> JSONL, --jobs {jobs}, {os.cpu_count()} cores, end to end")
    header = f"{'records':>10} {'pipeline':14} {'seconds':>8} {'cases/s':>9} "
    print(header + f"{'peak RSS MB':>12} {'tree PSS MB':>12}  outcomes")
    for result in results:
        for name, row in result["rows"].items():
            print(
                f"{result['records']:>10,} {name:14} {row['seconds']:8.2f} "
                f"{row['cases_per_s']:9,.0f} {row['largest_rss_mb']:12.0f} "
                f"{row['total_pss_mb']:12.0f}  {row['summary']}"
            )
        print(
            f"{'':>10} durable-rules time / reference {result['x_reference']:.2f}, "
            f"/ I/O floor {result['x_io_floor']:.2f} (input {result['input_mb']:.0f} MB)"
        )
    print_targets(results)


TARGET_RATE = 20_000  # cases/s end to end, --jobs 2, 100,000 records (issue 15)
TARGET_TREE_MB = 200  # the whole process tree at 1,000,000 records


def print_targets(results: list[dict[str, Any]]) -> None:
    """Print each target with its figure, and the ratio to the baselines of the same run."""
    by_size = {result["records"]: result for result in results}
    for result in results:
        row = result["rows"]["durable-rules"]
        print(
            f"target {TARGET_RATE:,} cases/s: {result['records']:,} records at "
            f"{row['cases_per_s']:,.0f} cases/s ({row['cases_per_s'] / TARGET_RATE:.2f} of it; "
            f"{1 / result['x_io_floor']:.2f} x the I/O floor's rate)"
        )
    largest = max(by_size)
    tree = by_size[largest]["rows"]["durable-rules"]["total_pss_mb"]
    smallest = min(by_size)
    flat = tree / by_size[smallest]["rows"]["durable-rules"]["total_pss_mb"]
    print(
        f"target tree < {TARGET_TREE_MB} MB: {tree:.0f} MB at {largest:,} records "
        f"({flat:.2f} x the tree at {smallest:,} records: flat when near 1)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in SIZES),
        help="comma-separated record counts (10000,100000,1000000)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="scr batch --jobs (2)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (7)")
    parser.add_argument("--data", type=Path, help="keep generated files here (default: temp)")
    parser.add_argument(
        "--no-single", action="store_true", help="skip the single-case figures (triage_bench)"
    )
    parser.add_argument("--runs", type=int, default=10, help="CLI cold-start runs (10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size]
    with tempfile.TemporaryDirectory() as temporary:
        folder = options.data or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        results = [bench_size(folder, size, options.jobs, options.seed) for size in sizes]
    single = None if options.no_single else measure(10_000, options.runs)
    if options.json:
        print(json.dumps({"batch": results, "single": single}, indent=2))
        return
    print_table(results, options.jobs)
    if single is not None:
        row = single["rows"]["triage, durable-rules"]
        cold = single["cold_start_ms"]
        print(
            f"single case in-process triage: median {row['median_us']:.0f} us, "
            f"p99 {row['p99_us']:.0f} us; CLI cold start median {cold['median']:.0f} ms "
            f"of {cold['runs']} runs"
        )


if __name__ == "__main__":
    main()
