"""The board's report: self-contained HTML (or Markdown), the same bytes on every run."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
from pathlib import Path

import pytest
import yaml

from scr_rules.audit import CHARTS_HINT
from tests._shared import DEATH_2008, Run

NOT_REQUIRED_2008 = {
    "schema": "scr-case/1",
    "case_ref": "EX-0002",
    "decision_date": "2008-07-01",
    "facts": {"child_age_at_incident": 19, "child_died": False},
}
# anything that would fetch from elsewhere; the chart's own references (#clip1) stay inside
EXTERNAL = re.compile(
    r"""(src|href)\s*=\s*["'](?!#)|url\((?!#)|@import|<script|<link|<img""", re.IGNORECASE
)



@pytest.fixture
def log(run: Run, tmp_path: Path) -> Path:
    """A mandatory review declined (a disagreement), one initiated, one not required declined."""
    path = tmp_path / "decisions.scrlog"
    for document, human in [
        (DEATH_2008, "declined"),
        (DEATH_2008, "initiated"),
        (NOT_REQUIRED_2008, "declined"),
    ]:
        case = tmp_path / "case.yaml"
        case.write_text(yaml.safe_dump(document))
        result = run("triage", str(case), "--record", str(path), "--human-decision", human)
        assert result.exit_code == 0, result.output
    return path


def test_the_html_report_is_self_contained_and_names_the_disagreement(
    run: Run, log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"

    result = run("audit", "report", str(log), "-o", str(out))

    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not EXTERNAL.search(page)  # no script, stylesheet, image or font from elsewhere
    assert page.count("<svg") == 1  # the chart, inline
    assert 'style="background:#' in page  # shaded cells
    assert "<h2>Disagreements (1)</h2>" in page
    assert "<td class='text'>EX-0001</td>" in page
    assert "intact as far as this file shows" in page
    assert "67%" in page  # 2 of the 3 judgeable decisions followed the criteria


def test_rerunning_the_report_gives_the_same_bytes(run: Run, log: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.html", tmp_path / "two.html"

    assert run("audit", "report", str(log), "-o", str(first)).exit_code == 0
    assert run("audit", "report", str(log), "-o", str(second)).exit_code == 0

    assert first.read_bytes() == second.read_bytes()


def test_the_markdown_report_has_the_same_tables(run: Run, log: Path) -> None:
    result = run("audit", "report", str(log), "--format", "md")

    assert result.exit_code == 0
    assert "| england-2006 | 2 | 1 | 0 | 0 | 67% ███████░░░ |" in result.stdout
    assert "## Disagreements (1)" in result.stdout
    assert "| 1 | EX-0001 | england-2006 | 2008-05-20 | mandatory |" in result.stdout


def test_without_matplotlib_the_report_renders_and_says_how_to_get_the_chart(
    run: Run, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails

    result = run("audit", "report", str(log))

    assert result.exit_code == 0
    assert "<svg" not in result.stdout
    assert CHARTS_HINT in result.stdout
    assert "<h2>Disagreements (1)</h2>" in result.stdout


def test_a_report_on_a_damaged_chain_says_so_and_exits_1(
    run: Run, log: Path, tmp_path: Path
) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db, db:
        db.execute("UPDATE records SET human_decision = 'initiated' WHERE id = 1")

    result = run("audit", "report", str(log), "--format", "md")

    assert result.exit_code == 1
    assert "FAILED: first bad record 1" in result.stdout
    assert "its content does not match its hash" in result.stdout
