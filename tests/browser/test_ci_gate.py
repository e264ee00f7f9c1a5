"""Without Chromium the journeys are skipped, saying why; with ``CI=true`` they fail instead."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests._shared import ROOT

REASON = (
    r"(Chromium is not on PATH \(Debian: apt-get install chromium\)"
    r"|the playwright Python package is not installed \(pip install playwright\))"
)
JOURNEY = "tests/browser/test_journeys.py::test_the_browser_back_button_shows_the_question_before"


def run_without_chromium(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """Run one journey in a pytest of its own, with no ``chromium`` on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PATH")}
    env["PATH"] = str(Path(sys.executable).parent)  # this Python, and no browser
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", JOURNEY,
         f"--basetemp={tmp_path / 'inner'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_without_chromium_the_journeys_are_skipped_with_the_reason(tmp_path: Path) -> None:
    done = run_without_chromium(tmp_path, None)

    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert re.search(REASON, done.stdout), done.stdout


def test_with_ci_true_a_missing_chromium_fails_the_run(tmp_path: Path) -> None:
    done = run_without_chromium(tmp_path, "true")

    assert done.returncode == 1, done.stdout
    assert re.search(REASON + "; CI=true, so the browser tests must run", done.stdout)
    assert "skipped" not in done.stdout
