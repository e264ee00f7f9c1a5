"""Who disagreed: a log of 1,200 decisions whose disagreements are known, replayed and reported.

Every tenth record carries a board decision against the criteria (a mandatory review
declined, or a review initiated where none was required); the others agree, leave the
choice to the board, or carry no board decision. Replay and the board's report must name
exactly those records, and replay on two worker processes must give the same report.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from scr_rules.audit import AuditLog, make_entry
from scr_rules.audit._replay_text import write_replay
from scr_rules.decide import Decision, triage
from scr_rules.testing import random_cases
from tests._shared import BOOK

RECORDS = 1200
AGAINST = {"mandatory": "declined", "not_required": "initiated"}
FOLLOWING = {"mandatory": "initiated", "not_required": "declined"}


def board_decision(index: int, decision: Decision) -> str | None:
    """Return the board's decision for the index-th record: known to agree or disagree."""
    if index % 10 == 3:
        return AGAINST.get(decision.outcome, "declined")
    if index % 10 in (1, 5, 8):
        return FOLLOWING.get(decision.outcome, "alternative_review")
    return None


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The log, and the ids of its disagreements and unassessable records, known in advance."""
    path = tmp_path_factory.mktemp("disagreements") / "decisions.scrlog"
    entries, disagree, unassessable = [], [], []
    for index, case in enumerate(random_cases(RECORDS, 16)):
        decision = triage(case, rulebook=BOOK)
        human = board_decision(index, decision)
        entries.append(make_entry(case, decision, BOOK, human_decision=human))
        if human is not None and decision.outcome in AGAINST and index % 10 == 3:
            disagree.append(index + 1)
        elif human is not None and decision.outcome == "undetermined":
            unassessable.append(index + 1)
    AuditLog(path, key=None).record_many(entries, [BOOK])
    return {"path": path, "disagree": disagree, "unassessable": unassessable}


def test_the_log_holds_enough_of_each_kind_to_mean_something(known: dict[str, Any]) -> None:
    assert len(known["disagree"]) > 50
    assert len(known["unassessable"]) > 20


def test_replay_names_exactly_the_known_disagreements(known: dict[str, Any]) -> None:
    report = AuditLog(known["path"], key=None).replay()

    summary = report.summary
    assert [item.record_id for item in summary.disagreements] == known["disagree"]
    assert [item.record_id for item in summary.not_assessable] == known["unassessable"]
    assert summary.human_agreement["disagrees"] == len(known["disagree"])
    assert all(item.why and item.why.startswith("undetermined") for item in summary.not_assessable)
    assert all((item.engine, item.board) in AGAINST.items() for item in summary.disagreements)


def test_the_board_report_lists_exactly_the_known_disagreements(known: dict[str, Any]) -> None:
    report = AuditLog(known["path"], key=None).report()

    assert [item.record_id for item in report.disagreements] == known["disagree"]
    assert [item.record_id for item in report.not_assessable] == known["unassessable"]
    assert sum(c["disagrees"] for c in report.by_year.values()) == len(known["disagree"])
    assert sum(c["disagrees"] for c in report.by_regime.values()) == len(known["disagree"])
    assert report.verify.ok


def replayed_text(path: Path, jobs: int, json_mode: bool) -> str:
    out = io.StringIO()
    with AuditLog(path, key=None) as log:
        write_replay(out, log.iter_replay("recorded", None, jobs), "recorded", json_mode, True)
    return out.getvalue()


@pytest.mark.parametrize("json_mode", [False, True], ids=["text", "json"])
def test_replay_on_two_workers_gives_the_same_report_as_on_one(
    known: dict[str, Any], json_mode: bool
) -> None:
    one = replayed_text(known["path"], 1, json_mode)
    two = replayed_text(known["path"], 2, json_mode)

    assert two == one
    assert f"record {RECORDS}  " in one or f'"record_id": {RECORDS}' in one  # all of them


def test_records_that_cannot_be_read_are_counted_and_listed_and_the_rest_replayed(
    known: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "damaged.scrlog"
    path.write_bytes(known["path"].read_bytes())
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE records SET case_json = '[1, 2]' WHERE id = 7")
        db.execute("UPDATE records SET decision_json = 'not json' WHERE id = 900")

    results = {jobs: AuditLog(path, key=None).replay(jobs=jobs).summary for jobs in (1, 2)}

    for summary in results.values():
        assert summary.total == RECORDS
        assert summary.unreadable == 2
        assert [rid for rid, _ in summary.unreadable_records] == [7, 900]
        assert "case_json is not a JSON object" in summary.unreadable_records[0][1]
        assert summary.identical == RECORDS - 2
    assert results[1].to_dict() == results[2].to_dict()
