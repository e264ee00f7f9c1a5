"""scr replay names who disagreed, runs on several workers, and replays past damaged records."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

from scr_rules.testing import random_cases
from tests._shared import DEATH_2008, Run


@pytest.fixture
def log(run: Run, tmp_path: Path) -> Path:
    """A declined mandatory review (record 1), an agreeing board, generated cases after."""
    path = tmp_path / "decisions.scrlog"
    documents = [DEATH_2008, DEATH_2008, *(c.dump() for c in random_cases(8, 4))]
    for index, document in enumerate(documents):
        case = tmp_path / "case.yaml"
        case.write_text(yaml.safe_dump(document))
        human = {0: ["--human-decision", "declined", "--human-reason", "below threshold"]}.get(
            index, ["--human-decision", "initiated"] if index == 1 else []
        )
        result = run("triage", str(case), "--record", str(path), *human)
        assert result.exit_code == 0, result.output
    return path


def test_replay_names_each_disagreement_in_text(run: Run, log: Path) -> None:
    result = run("replay", str(log))

    assert result.exit_code == 0
    assert "disagreements (the board's decision against the criteria): 1 record" in result.stdout
    assert (
        "  record 1  EX-0001  england-2006  2008-05-20  engine mandatory "
        '[england.wt-2006.ch8-child-death]  board declined ("below threshold")'
    ) in result.stdout


def test_disagreements_only_shows_the_disagreements_and_the_counts(run: Run, log: Path) -> None:
    result = run("replay", str(log), "--disagreements")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("10 records replayed under recorded rules; agreement: 1 agree; ")
    assert lines[1:] == [
        "disagreements (the board's decision against the criteria): 1 record",
        "  record 1  EX-0001  england-2006  2008-05-20  engine mandatory "
        '[england.wt-2006.ch8-child-death]  board declined ("below threshold")',
    ]


def test_the_json_report_lists_the_disagreements(run: Run, log: Path) -> None:
    full = json.loads(run("replay", str(log), "-f", "json").stdout)
    only = json.loads(run("replay", str(log), "-f", "json", "--disagreements").stdout)

    assert [d["record_id"] for d in full["disagreements"]] == [1]
    disagreement = full["disagreements"][0]
    assert disagreement == {
        "record_id": 1,
        "case_ref": "EX-0001",
        "regime": "england-2006",
        "decision_date": "2008-05-20",
        "engine": "mandatory",
        "rules": ["england.wt-2006.ch8-child-death"],
        "board": "declined",
        "board_reason": "below threshold",
        "agreement": "disagrees",
        "why": None,
    }
    assert "records" not in only
    assert only["disagreements"] == full["disagreements"]
    assert only["summary"] == full["summary"]


def test_jobs_2_prints_the_same_report_as_jobs_1(run: Run, log: Path) -> None:
    one = run("replay", str(log), "--all", "--jobs", "1")
    two = run("replay", str(log), "--all", "--jobs", "2")

    assert (one.exit_code, two.exit_code) == (0, 0)
    assert two.stdout == one.stdout


def test_an_unreadable_record_is_listed_and_the_rest_replayed(run: Run, log: Path) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db, db:
        db.execute("UPDATE records SET settings_json = '\"x\"' WHERE id = 4")

    result = run("replay", str(log), "--jobs", "2")

    assert result.exit_code == 1
    assert "record 4  ?" not in result.stdout
    assert "9 identical, 1 divergent (1 could not be replayed, 1 unreadable)" in result.stdout
    assert "unreadable (counted, not replayed): 1 record" in result.stdout
    assert "  record 4: the record cannot be read: settings_json is not a JSON object" in (
        result.stdout
    )
