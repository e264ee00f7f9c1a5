"""Hostile case files: odd file kinds, YAML tags, far dates, floods of problems (hardening)."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scr_rules import CaseFileError, load_case, triage
from scr_rules.case import parse_rule_document
from scr_rules.errors import InputError


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text)
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_as_a_case_file_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseFileError, match="is not a regular file"):
        load_case(fifo)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symlink_loop_as_a_case_file_is_not_called_missing(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(CaseFileError) as raised:
        load_case(loop)
    assert "no such file" not in str(raised.value)
    assert "cannot be read" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        "schema: scr-case/1\ncase_ref: !!map X-1\nfacts: {}\n",
        "schema: scr-case/1\ncase_ref: X-1\nfacts: !!map [1, 2]\n",
        "!!map scalar\n",
    ],
)
def test_a_map_tag_on_a_scalar_or_list_is_bad_input(tmp_path: Path, text: str) -> None:
    with pytest.raises(CaseFileError, match="a !!map tag on something that is not a mapping"):
        load_case(_write(tmp_path, text))
    with pytest.raises(InputError, match="a !!map tag"):
        parse_rule_document(text, "rule.yaml")


@pytest.mark.parametrize("field", ["decision_date", "notification_date"])
def test_dates_near_year_9999_decide_without_overflowing(tmp_path: Path, field: str) -> None:
    case = load_case(
        _write(
            tmp_path,
            f"schema: scr-case/1\ncase_ref: X-9\n{field}: 9999-12-30\nfacts:\n"
            "  child_age_at_incident: 2\n  child_died: true\n  abuse_or_neglect: known\n",
        )
    )
    decision = triage(case, today=date(9999, 12, 31))
    assert decision.outcome in ("discretionary", "undetermined")
    assert all(d.due is None or d.due <= date.max for d in decision.duties)


def test_a_flood_of_unknown_facts_reports_a_hundred_and_counts_the_rest(tmp_path: Path) -> None:
    names = "".join(f"  unknown_fact_{i}: true\n" for i in range(5000))
    with pytest.raises(CaseFileError) as raised:
        load_case(_write(tmp_path, f"schema: scr-case/1\ncase_ref: X-1\nfacts:\n{names}"))
    problems: Any = raised.value.problems
    assert len(problems) == 101
    assert "and 4900 more problems not shown" in str(problems[-1])


def test_dates_near_year_9999_in_compare_batch_and_import(tmp_path: Path, run: Any) -> None:
    case = _write(
        tmp_path,
        "schema: scr-case/1\ncase_ref: X-9\ndecision_date: 9999-12-31\nfacts:\n"
        "  child_age_at_incident: 2\n  child_died: true\n  abuse_or_neglect: known\n",
    )
    assert run("compare", str(case)).exit_code == 0
    far = tmp_path / "far.jsonl"
    far.write_text(json.dumps(load_case(case).dump()) + "\n")
    batch = run("batch", str(far), "--out", str(tmp_path / "out.jsonl"))
    assert batch.exit_code == 0, batch.output
    assert '"outcome"' in (tmp_path / "out.jsonl").read_text()
    rows = tmp_path / "past.csv"
    rows.write_text(
        "case_ref,decision_date,child_age_at_incident,child_died,abuse_or_neglect,human_decision\n"
        "A-1,2008-05-20,2,true,known,initiated\n"
        "A-2,9999-12-31,2,true,known,initiated\n"
        "A-3,2008-05-20,2,true,known,declined\n"
    )
    imported = run("audit", "import", str(rows), "--log", str(tmp_path / "log"))
    assert imported.exit_code == 0, imported.output  # one far date does not abort the rest
    assert "imported 3 of 3 rows" in imported.stdout
