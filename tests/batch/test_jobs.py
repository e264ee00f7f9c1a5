"""--jobs is bounded: a few workers per core at most, absurd values refused (hardening 12)."""

from __future__ import annotations

from typing import Any

from scr_rules.batch._run import JOBS_PER_CORE, default_jobs, max_jobs


def test_at_most_a_few_workers_per_core_are_started() -> None:
    assert max_jobs() == default_jobs() * JOBS_PER_CORE


def test_an_absurd_jobs_value_is_a_usage_error(run: Any) -> None:
    result = run("batch", "cases", "--out", "-", "--jobs", "1000000")
    assert result.exit_code == 2
    assert "--jobs" in " ".join(result.output.split())
