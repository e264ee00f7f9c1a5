"""Benchmark the interview: time per ``next_question`` step over the golden cases.

Run: ``.venv/bin/python benchmarks/interview_bench.py`` (``--runs N``, ``--generated N``).

Each golden case (``cases/*.yaml``, with its settings) is interviewed from its jurisdiction
and dates alone, answering from its facts ("not known" where it leaves one out), as the
interview test does; every step is timed. The first run warms the process (rulebook,
engine, the rule-explanation memo); the figures are the median and 99th percentile of the
steps of the runs after it. ``--generated N`` adds N generated cases to each run. Every
loop is bounded: an interview has at most one step per fact.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from scr_rules.case import BASE_FACTS, UNKNOWN, Case, Facts, load_case
from scr_rules.decide import next_question
from scr_rules.testing import random_cases

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"
TARGET_MS = 50.0  # the target per step on a 2-core machine


def interview_steps(full: Case, settings: dict[str, Any]) -> list[float]:
    """Interview one case from its dates; return the seconds each step took."""
    case = full.model_copy(update={"facts": Facts(), "expect": None})
    skipped: set[str] = set()
    times = []
    for _ in range(len(BASE_FACTS) + 1):
        start = time.perf_counter()
        step = next_question(case, skipped=skipped, settings=settings)
        times.append(time.perf_counter() - start)
        if step.done or step.question is None:
            break
        fact = step.question.fact
        value = getattr(full.facts, fact)
        if value == UNKNOWN:
            skipped.add(fact)
        else:
            case = case.model_copy(update={"facts": case.facts.model_copy(update={fact: value})})
    return times


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs after the warm-up")
    parser.add_argument("--generated", type=int, default=0, help="generated cases per run")
    args = parser.parse_args()
    golden = [(c, dict(c.expect.settings) if c.expect else {}) for c in _golden()]
    cases = golden + [(c, {}) for c in random_cases(args.generated, seed=5)]
    for case, settings in cases:  # warm-up run, not measured
        interview_steps(case, settings)
    steps: list[float] = []
    for _ in range(max(1, args.runs)):
        for case, settings in cases:
            steps += interview_steps(case, settings)
    median = statistics.median(steps) * 1000
    p99 = percentile(steps, 0.99) * 1000
    print(
        f"next_question: {len(steps)} steps over {len(cases)} cases x {max(1, args.runs)} runs: "
        f"median {median:.1f} ms, p99 {p99:.1f} ms, max {max(steps) * 1000:.1f} ms "
        f"(target <= {TARGET_MS:.0f} ms per step)"
    )


def _golden() -> list[Case]:
    return [load_case(path) for path in sorted(CASES_DIR.glob("*.yaml"))]


if __name__ == "__main__":
    main()
