"""Benchmark one-case triage: latency, throughput against plain-Python baselines, CLI cold start.

Run: ``.venv/bin/python benchmarks/triage_bench.py`` (``--cases N``, ``--runs N``, ``--json``).

Everything runs in one process on the same generated cases, so the ratios are robust
even on a noisy machine where the absolute figures are not. Rows:

- ``triage``: the public ``triage(case)``, building the whole Decision, on durable-rules
  and on the pure-Python reference evaluator;
- ``engine only``: durable-rules' verdict for every rule, no Decision;
- ``plain Python``: the reference evaluator alone over the same rules, no Decision (the
  baseline: what a hand-written three-valued if/else of the same rules costs).

The ratios the performance targets are stated in: ``x plain`` compares throughput and
``median x plain`` the median latencies (target for ``triage``: at most 2); the cold start
is ``scr triage CASE --format json`` against a process that only imports pydantic and
defines one model (the stack's floor: target at most 1.5), and the text output against the
JSON one (target at most 1.2), run in turn so that both see the same machine.

Every row first decides 10,000 other generated cases (a process that has been running a
while: the rule-explanation memo holds what it has seen), then each measured case once,
timing each call: latency is the median and 99th percentile of those calls, throughput
the number of cases over their total time. Every measured case is new to the process
(each row decides its own generated cases, so no row reuses another's explanations).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scr_rules.case import Case, known_facts
from scr_rules.decide import select_regimes, triage
from scr_rules.engine import evaluator_for
from scr_rules.law import RuleBook, evaluate, load_rulebook
from scr_rules.testing import random_cases

WARMUP_CASES = 10_000  # decided before measuring: different cases, same generator
COLD_START_CASE = {
    "schema": "scr-case/1",
    "case_ref": "BENCH-0001",
    "decision_date": "2008-05-20",
    "facts": {
        "child_age_at_incident": 2,
        "child_died": True,
        "abuse_or_neglect": "suspected",
        "abuse_or_neglect_factor_in_death": "suspected",
    },
}


def percentile(samples: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile of the samples (share in 0..1)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def latencies(func: Callable[[Case], Any], cases: Sequence[Case]) -> list[float]:
    """Return the wall time of ``func(case)`` for each case, in microseconds."""
    clock = time.perf_counter_ns
    samples = []
    for case in cases:
        start = clock()
        func(case)
        samples.append((clock() - start) / 1000)
    return samples


def contenders(book: RuleBook) -> dict[str, Callable[[Case], Any]]:
    """Return the functions measured, by row name.

    The two rows without a Decision do what ``triage`` does before building one: the
    known facts, the regimes the dates allow, and the truth of those regimes' rules.
    """
    engine = evaluator_for(book)

    def regimes(case: Case) -> set[str]:
        return {c.regime.id for c in select_regimes(case, book, None, None).candidates}

    def plain(case: Case) -> dict[str, Any]:
        known, chosen = known_facts(case.facts), regimes(case)
        return {r.id: evaluate(r.condition, known) for r in book.rules if r.spec.regime in chosen}

    return {
        "triage, durable-rules": lambda case: triage(case, rulebook=book),
        "triage, reference": lambda case: triage(case, rulebook=book, evaluator="reference"),
        "engine only, durable-rules": lambda c: engine.evaluate(known_facts(c.facts), regimes(c)),
        "plain Python (reference evaluator, no Decision)": plain,
    }


def scr_command() -> list[str]:
    """Return the command that runs the CLI of this interpreter's environment."""
    script = Path(sys.executable).with_name("scr")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scr_rules"]


FLOOR = "import pydantic\n\nclass Model(pydantic.BaseModel):\n    x: int\n"


def cold_starts(runs: int) -> dict[str, list[float]]:
    """Return the wall times in ms of each one-case start, the three run in turn per round.

    ``json`` is ``scr triage CASE --format json``, ``text`` the same without ``--format``,
    ``floor`` a Python that imports pydantic and defines one model. Compiled modules may be
    cached (as an installed package has them) and the rulebook cache lives in a temporary
    directory; one priming round is not counted.
    """
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
        env["SCR_CACHE_DIR"] = str(Path(folder) / "cache")
        path = Path(folder) / "case.json"
        path.write_text(json.dumps(COLD_START_CASE), encoding="utf-8")
        commands = {
            "json": [*scr_command(), "triage", str(path), "--format", "json"],
            "text": [*scr_command(), "triage", str(path)],
            "floor": [sys.executable, "-c", FLOOR],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(runs + 1):
            for name, command in commands.items():
                start = time.perf_counter()
                done = subprocess.run(command, capture_output=True, check=False, env=env)
                elapsed = (time.perf_counter() - start) * 1000
                if done.returncode != 0:
                    raise SystemExit(f"{name} failed: {done.stderr.decode(errors='replace')}")
                if round_:
                    samples[name].append(elapsed)
    return samples


def measure(count: int, runs: int, seed: int = 1) -> dict[str, Any]:
    """Run every measurement and return the figures."""
    book = load_rulebook()
    funcs = contenders(book)
    warmup = list(random_cases(WARMUP_CASES, seed=seed + 1000))
    for func in funcs.values():
        for case in warmup:
            func(case)
    rows: dict[str, dict[str, float]] = {}
    for index, (name, func) in enumerate(funcs.items()):
        # each row its own new cases: what one row decided would be memoised for the next
        samples = latencies(func, list(random_cases(count, seed=seed + index)))
        rows[name] = {
            "median_us": statistics.median(samples),
            "p99_us": percentile(samples, 0.99),
            "cases_per_s": len(samples) / (sum(samples) / 1e6),
        }
    plain = rows["plain Python (reference evaluator, no Decision)"]
    for row in rows.values():
        row["x_plain"] = plain["cases_per_s"] / row["cases_per_s"]
        row["median_x_plain"] = row["median_us"] / plain["median_us"]
    durable = rows["triage, durable-rules"]["cases_per_s"]
    reference = rows["triage, reference"]["cases_per_s"]
    starts = cold_starts(runs)
    medians = {name: statistics.median(times) for name, times in starts.items()}
    return {
        "cases": count,
        "rules": len(book.rules),
        "rows": rows,
        "durable_vs_reference": reference / durable,
        "cold_start_ms": {
            "median": medians["json"],
            "runs": runs,
            "min": min(starts["json"]),
            "text_median": medians["text"],
            "floor_median": medians["floor"],
            "x_floor": medians["json"] / medians["floor"],
            "text_x_json": medians["text"] / medians["json"],
        },
        "python": sys.version.split()[0],
    }


def print_table(result: dict[str, Any]) -> None:
    """Print the figures as a table."""
    print(f"triage benchmark: {result['cases']:,} generated cases, {result['rules']} rules")
    header = f"{'':48} {'median us':>10} {'p99 us':>9} {'cases/s':>10} {'x plain':>8}"
    print(header + f" {'median x plain':>15}")
    for name, row in result["rows"].items():
        print(
            f"{name:48} {row['median_us']:10.1f} {row['p99_us']:9.1f} "
            f"{row['cases_per_s']:10,.0f} {row['x_plain']:8.1f} {row['median_x_plain']:15.2f}"
        )
    print(f"triage durable-rules / reference time ratio: {result['durable_vs_reference']:.2f}")
    cold = result["cold_start_ms"]
    print(
        f"CLI cold start (scr triage CASE --format json): median {cold['median']:.0f} ms of "
        f"{cold['runs']} runs (min {cold['min']:.0f} ms) = {cold['x_floor']:.2f} x the floor "
        f"(pydantic and one model: median {cold['floor_median']:.0f} ms; target <= 1.5)"
    )
    print(
        f"  text output (scr triage CASE): median {cold['text_median']:.0f} ms = "
        f"{cold['text_x_json']:.2f} x the JSON path (target <= 1.2); the three run in turn"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="generated cases (10,000)")
    parser.add_argument("--runs", type=int, default=15, help="CLI cold-start runs (15)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)
    result = measure(options.cases, options.runs, options.seed)
    if options.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
