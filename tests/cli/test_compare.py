"""``scr compare``: one case decided under every regime, and where the regimes differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._shared import CASE_FILES, CASES_DIR, Run


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_compare_works_on_every_example_case(run: Run, path: Path) -> None:
    result = run("compare", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"regime"' in result.output


def test_compare_shows_where_the_regimes_differ(run: Run) -> None:
    result = run("compare", str(CASES_DIR / "e2013-harm-concern-unknown-presumed.yaml"))
    assert result.exit_code == 0
    assert "england-2013" in result.output
    assert "The regimes disagree on the outcome." in result.output
