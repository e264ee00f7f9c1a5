"""Importing past cases with the board's decisions: bad rows named, good rows all or none."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from scr_rules.audit import AuditLog
from scr_rules.case import BASE_FACTS
from scr_rules.decide import triage
from scr_rules.errors import InputError
from scr_rules.testing import random_cases
from tests._shared import BOOK

COLUMNS = ["case_ref", "jurisdiction", "decision_date", "human_decision", "human_reason"]
HUMAN = ("initiated", "declined", "alternative_review", "")
# (row index, column, bad value, what the report must say about it)
BAD_CELLS = [
    (3, "child_died", "yes", "facts.child_died: 'yes'"),
    (50, "abuse_or_neglect", "suspect", "facts.abuse_or_neglect: 'suspect'"),
    (101, "decision_date", "2009-02-30", "decision_date: '2009-02-30'"),
    (250, "case_ref", "", "case_ref"),
    (333, "child_age_at_incident", "two", "facts.child_age_at_incident: 'two'"),
    (404, "human_decision", "maybe", "human_decision: 'maybe' is not one of"),
    (512, "case_ref", "SYN 0000512", "case_ref: 'SYN 0000512' is not a valid reference"),
    (640, "decision_date", "1999-01-01", "1999-01-01"),
    (777, "human_reason", "\tsee\nnotes", "human_reason"),
    (999, "jurisdiction", "scotland", "jurisdiction"),
]


def cell(value: Any) -> str:
    """Spell a fact value as a spreadsheet cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value) or "none"
    return str(value)


def write_csv(path: Path, count: int, bad: list[tuple[int, str, str, str]]) -> Path:
    """Write ``count`` generated cases as CSV rows, then spoil the cells in ``bad``."""
    rows = []
    for index, case in enumerate(random_cases(count, 21)):
        data = case.dump()
        row = {name: cell(data.get(name, "")) for name in COLUMNS[:3]}
        row["human_decision"] = HUMAN[index % 4]
        row["human_reason"] = "recorded at the time" if HUMAN[index % 4] else ""
        row.update({name: cell(data["facts"].get(name, "")) for name in BASE_FACTS})
        rows.append(row)
    for index, column, value, _ in bad:
        rows[index][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, *BASE_FACTS])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_1000_row_csv_with_10_bad_rows_imports_990_and_names_the_10(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "referrals.csv", 1000, BAD_CELLS)
    log = AuditLog(tmp_path / "decisions.scrlog")

    result = log.import_file(source, by="audit-team")

    assert (result.rows, result.appended.count) == (1000, 990)
    # a reason spread over two lines shifts text-editor line numbers, so those are named too
    assert [p.where.split(" (")[0] for p in result.problems] == [
        f"row {i + 2}" for i, *_ in BAD_CELLS
    ]
    assert result.problems[-1].where == "row 1001 (line 1002)"
    for problem, (_, _, _, said) in zip(result.problems, BAD_CELLS, strict=True):
        assert any(said in reason for reason in problem.reasons), problem
    records = list(log.records())
    assert len(records) == 990
    assert {r.origin for r in records} == {"import"}
    assert {r.by for r in records} == {"audit-team"}
    assert log.verify().ok


def test_an_imported_row_keeps_its_facts_and_the_boards_decision(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "referrals.csv", 8, [])
    cases = list(random_cases(8, 21))

    AuditLog(tmp_path / "log").import_file(source)

    records = list(AuditLog(tmp_path / "log").records())
    assert [r.case for r in records] == [c.dump() for c in cases]
    assert [r.decision["outcome"] for r in records] == [
        triage(c, rulebook=BOOK).outcome for c in cases
    ]
    assert [r.human_decision for r in records] == [h or None for h in HUMAN * 2]
    assert records[1].human_reason == "recorded at the time"


def test_an_interrupted_import_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The good rows go in together: a failure at row 500 leaves the log as it was."""
    source = write_csv(tmp_path / "referrals.csv", 1000, [])
    log = AuditLog(tmp_path / "log")
    log.import_file(write_csv(tmp_path / "first.csv", 3, []))
    calls = []

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 500:
            raise RuntimeError("the machine stopped")
        return real(*args)

    import scr_rules.audit._log as audit

    real = audit.import_entry
    monkeypatch.setattr(audit, "import_entry", failing)
    with pytest.raises(RuntimeError):
        log.import_file(source)

    assert len(calls) == 500
    assert log.verify().records == 3
    assert log.verify().ok


def test_a_misspelt_column_rejects_the_whole_file_before_the_log_is_touched(
    tmp_path: Path,
) -> None:
    source = tmp_path / "referrals.csv"
    source.write_text("case_ref,decision_date,child_dead\nSYN-1,2008-01-01,true\n")
    log = AuditLog(tmp_path / "log")

    with pytest.raises(
        InputError, match="unknown column 'child_dead' \\(did you mean 'child_died'"
    ):
        log.import_file(source)
    assert not log.path.exists()


def test_json_lines_are_imported_and_bad_lines_named(tmp_path: Path) -> None:
    cases = list(random_cases(4, 8))
    lines = [json.dumps({**c.dump(), "human_decision": "declined"}) for c in cases]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"schema": "scr-case/1", "case_ref": "SYN-9", "facts": {"x": 1}}))
    source = tmp_path / "referrals.jsonl"
    source.write_text("\n".join(lines) + "\n")

    result = AuditLog(tmp_path / "log").import_file(source)

    assert result.appended.count == 4
    assert [p.where for p in result.problems] == ["line 3", "line 6"]
    assert "not valid JSON" in result.problems[0].reasons[0]
    assert "unknown fact 'x'" in result.problems[1].reasons[0]


def test_an_export_imports_into_a_new_log_with_the_same_cases(tmp_path: Path) -> None:
    first = AuditLog(tmp_path / "first")
    for case in random_cases(5, 4):
        first.record(case, triage(case, rulebook=BOOK), human_decision="initiated")
    export = tmp_path / "export.jsonl"
    with export.open("w") as handle:
        first.export_jsonl(handle)

    result = AuditLog(tmp_path / "second").import_file(export)

    assert result.appended.count == 5
    assert [r.case for r in AuditLog(tmp_path / "second").records()] == [
        r.case for r in first.records()
    ]


def test_a_dry_run_checks_every_row_and_records_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "referrals.csv", 60, BAD_CELLS[:2])
    log = AuditLog(tmp_path / "log")

    result = log.import_file(source, dry_run=True)

    assert (result.appended.count, len(result.problems)) == (58, 2)
    assert not log.path.exists()
