"""Replay: recorded decisions reproduce exactly, and a rule change shows exactly whom it affects."""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from scr_rules.audit import AuditLog, make_entry
from scr_rules.case import Case
from scr_rules.decide import Decision, triage
from scr_rules.errors import AuditError
from scr_rules.law import RuleBook, bundled_rules_dir, load_rulebook
from scr_rules.testing import random_cases
from tests._shared import BOOK

RECORDS = 3000
CHANGED_RULE = "england.wt-2010.ch8-sexual-abuse"


def varied_triage(index: int, case: Case, book: RuleBook) -> Decision:
    """Decide with the options a board officer may use: dates, forced regimes, switches."""
    options: dict[str, Any] = {}
    if index % 5 == 1:
        options["decision_date"] = (case.decision_date or date(2008, 1, 1)) + timedelta(days=40)
    if index % 7 == 2 and case.jurisdiction == "england":  # a regime of its own law
        options["regime"] = ("england-2006", "england-2010")[index % 2]
        if index % 3 == 0:
            options["decision_date"] = date(2012, 6, 1)  # may lie outside the forced regime
    if index % 11 == 3:
        options["settings"] = {"eng2010_harm_limb": "mandatory", "eng2006_custody_trigger": True}
    if index % 13 == 4:
        options["evaluator"] = "reference"
    regime = options.pop("regime", None)
    return triage(case, regime, rulebook=book, **options)


def build_log(path: Path, count: int, book: RuleBook = BOOK, seed: int = 7) -> AuditLog:
    """Record ``count`` generated decisions in one transaction; every third has a human one."""
    log = AuditLog(path)
    entries = (
        make_entry(
            case,
            varied_triage(index, case, book),
            book,
            human_decision=(None, "initiated", "declined", "alternative_review")[index % 4],
        )
        for index, case in enumerate(random_cases(count, seed))
    )
    log.record_many(entries, [book])
    return log


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> AuditLog:
    return build_log(tmp_path_factory.mktemp("replay") / "decisions.scrlog", RECORDS)


@pytest.fixture(scope="module")
def changed_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the rules where one WT 2010 head becomes mandatory (its examples still hold)."""
    directory = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(bundled_rules_dir(), directory)
    rule = directory / "england" / "wt-2010" / "ch8-sexual-abuse.yaml"
    text, count = re.subn(r"(?m)^outcome: discretionary$", "outcome: mandatory", rule.read_text())
    assert count == 1
    rule.write_text(text)
    return directory


def test_replay_under_the_recorded_rules_reproduces_every_record_exactly(
    big_log: AuditLog,
) -> None:
    """Thousands of decisions, with date and regime overrides, switches and both evaluators."""
    report = big_log.replay("recorded")

    assert report.summary.total == RECORDS
    assert report.summary.exact == RECORDS
    assert report.all_agree
    assert report.records == ()  # only divergent records are kept
    assert sum(report.summary.confusion.values()) == RECORDS
    assert all(recorded == replayed for recorded, replayed in report.summary.confusion)


def test_replay_under_the_current_rules_agrees_when_they_have_not_changed(
    big_log: AuditLog,
) -> None:
    report = big_log.replay("current")

    assert report.rules == "current"
    assert report.summary.identical == RECORDS


def test_replay_after_a_rule_change_lists_exactly_the_affected_records(
    big_log: AuditLog, changed_rules: Path
) -> None:
    """Making a discretionary head mandatory changes a decision only where that head is met
    and no mandatory rule already was, or where it is still possible and the outcome was
    discretionary (it becomes undetermined: a mandatory review may yet be required)."""
    expected = set()
    for record in big_log.records():
        status = {r["rule_id"]: r["status"] for r in record.decision["reasons"]}.get(CHANGED_RULE)
        outcome = record.decision["outcome"]
        if (status == "met" and outcome != "mandatory") or (
            status == "unknown" and outcome == "discretionary"
        ):
            expected.add(record.id)

    report = big_log.replay(changed_rules)

    divergent = {r.record_id for r in report.records}
    assert 0 < len(expected) < RECORDS // 10
    assert divergent == expected
    assert report.summary.divergent == len(expected)
    assert report.summary.errors == 0
    for result in report.records:
        assert [c.rule_id for c in result.changes] == [CHANGED_RULE]
        change = result.changes[0]
        assert (change.recorded_outcome, change.replayed_outcome) == ("discretionary", "mandatory")
        assert change.recorded == change.replayed  # the facts did not change, only the law
        if change.replayed == "met":
            assert change.replayed_why.startswith("facts ")
            assert (
                "child_seriously_harmed = true, interagency_concern = present, is_child = true, "
                "sexual_abuse = true" in change.replayed_why
            )
        else:
            assert change.replayed == "unknown"
            assert change.replayed_why.startswith("waiting on ")
        assert result.replayed_outcome in ("mandatory", "undetermined")


def test_records_decided_under_a_changed_rule_replay_exactly_under_it(
    tmp_path: Path, changed_rules: Path
) -> None:
    """A log keeps its rules: deleting the directory they came from changes nothing."""
    copy = tmp_path / "rules"
    shutil.copytree(changed_rules, copy)
    book = load_rulebook(copy)
    log = build_log(tmp_path / "log", 200, book, seed=3)
    shutil.rmtree(copy)

    report = log.replay("recorded")

    assert report.summary.exact == 200
    assert {r.rulebook for r in log.records()} == {book.digest} != {BOOK.digest}


def test_the_summary_compares_the_engine_with_the_boards_decisions(tmp_path: Path) -> None:
    """A mandatory review must be initiated; declining follows 'not required'; a
    discretionary outcome is the board's call; an undetermined one cannot be judged."""
    cases = _one_case_per_outcome()
    log = AuditLog(tmp_path / "log")
    plan = [
        ("mandatory", "initiated"),
        ("mandatory", "declined"),
        ("not_required", "declined"),
        ("not_required", "alternative_review"),
        ("not_required", "initiated"),
        ("discretionary", "declined"),
        ("undetermined", "initiated"),
    ]
    for outcome, human in plan:
        log.record(cases[outcome], triage(cases[outcome], rulebook=BOOK), human_decision=human)

    summary = log.replay().summary

    assert dict(summary.human_agreement) == {
        "agrees": 3,
        "disagrees": 2,
        "discretion": 1,
        "not_assessable": 1,
    }
    assert summary.human[("not_required", "declined")] == 1
    assert summary.human[("mandatory", "declined")] == 1
    assert sum(summary.human.values()) == len(plan)


def test_one_record_can_be_replayed_alone(big_log: AuditLog) -> None:
    report = big_log.replay("recorded", record_id=17, keep_all=True)

    assert report.summary.total == 1
    assert [r.record_id for r in report.records] == [17]
    assert report.records[0].exact


def test_replaying_a_record_that_does_not_exist_is_an_error(big_log: AuditLog) -> None:
    with pytest.raises(AuditError, match="no record 999999"):
        big_log.replay("recorded", record_id=999_999)


def test_an_altered_stored_rulebook_is_reported_per_record_not_used(tmp_path: Path) -> None:
    log = build_log(tmp_path / "log", 5)
    log.close()
    with contextlib.closing(sqlite3.connect(log.path)) as db, db:
        db.execute("UPDATE rulebooks SET canonical = replace(canonical, 'mandatory', 'discr')")

    report = log.replay("recorded")

    assert report.summary.errors == 5
    assert not report.all_agree
    assert all("does not match its digest" in (r.error or "") for r in report.records)


def _one_case_per_outcome() -> dict[str, Case]:
    found: dict[str, Case] = {}
    for case in random_cases(2000, 5):
        found.setdefault(triage(case, rulebook=BOOK).outcome, case)
        if len(found) == 4:
            return found
    raise AssertionError(f"the generator gave only {sorted(found)}")
