"""Exports an auditor can use: CSV for a spreadsheet, and a listing that shows regime and date."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from scr_rules.audit import AUDIT_KEY_ENV, CSV_COLUMNS
from tests._shared import DEATH_2008, Run


@pytest.fixture
def log(run: Run, tmp_path: Path) -> Path:
    """Three records: a mandatory review declined, the same initiated, one without a board."""
    path = tmp_path / "decisions.scrlog"
    long_ref = dict(DEATH_2008, case_ref="EX-LONG-REFERENCE-0000000000001")
    for document, extra in [
        (DEATH_2008, ["--human-decision", "declined", "--human-reason", "single-agency review"]),
        (DEATH_2008, ["--human-decision", "initiated"]),
        (long_ref, []),
    ]:
        case = tmp_path / "case.yaml"
        case.write_text(yaml.safe_dump(document))
        result = run("triage", str(case), "--record", str(path), "--by", "officer-1", *extra)
        assert result.exit_code == 0, result.output
    return path


def test_csv_export_has_a_row_per_record_with_the_agreement(
    run: Run, log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "decisions.csv"

    result = run("audit", "export", str(log), "--format", "csv", "-o", str(out))

    assert result.exit_code == 0
    assert result.stderr == "exported 3 records (csv)\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["id"], r["human_decision"], r["agreement"]) for r in rows] == [
        ("1", "declined", "disagrees"),
        ("2", "initiated", "agrees"),
        ("3", "", ""),
    ]
    first = rows[0]
    assert (first["case_ref"], first["regime"], first["decision_date"]) == (
        "EX-0001",
        "england-2006",
        "2008-05-20",
    )
    assert (first["outcome"], first["met_rules"]) == (
        "mandatory",
        "england.wt-2006.ch8-child-death",
    )
    assert first["recorded_at"].endswith("Z")


def test_csv_export_to_stdout_is_the_same_as_to_a_file(run: Run, log: Path, tmp_path: Path) -> None:
    out = tmp_path / "decisions.csv"
    assert run("audit", "export", str(log), "-f", "csv", "-o", str(out)).exit_code == 0

    result = run("audit", "export", str(log), "-f", "csv")

    assert result.exit_code == 0
    assert result.stdout == out.read_text()


def test_the_jsonl_export_of_a_keyed_log_still_checks_without_the_tool(
    run: Run, tmp_path: Path
) -> None:
    """Each line's hash is sha256 of its canonical JSON without hash and mac."""
    from scr_rules.vocabulary import canonical_json, sha256

    path, case = tmp_path / "keyed.scrlog", tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(DEATH_2008))
    env = {AUDIT_KEY_ENV: "board-key-for-tests-0123456789abcdef"}
    assert run("triage", str(case), "--record", str(path), env=env).exit_code == 0

    result = run("audit", "export", str(path))

    line = json.loads(result.stdout)
    assert line["mac"].startswith("hmac-sha256:")
    content = {k: v for k, v in line.items() if k not in ("hash", "mac")}
    assert line["hash"] == sha256(canonical_json(content))


def test_the_listing_shows_regime_and_decision_date_aligned_to_the_widest_value(
    run: Run, log: Path
) -> None:
    result = run("audit", "show", str(log))

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "recorded_at",
        "(UTC)",
        "case_ref",
        "regime",
        "decision",
        "date",
        "outcome",
        "human",
        "decision",
        "rulebook",
        "by",
    ]
    widest = "EX-LONG-REFERENCE-0000000000001"
    assert widest in lines[3]
    # every column starts where its header does, however wide the widest value
    for header in ("regime", "decision date", "outcome", "rulebook"):
        column = lines[0].index(header)
        assert {line[column - 2 : column] for line in lines} == {"  "}
        assert all(line[column] != " " for line in lines)
    assert "england-2006  2008-05-20" in lines[1]
