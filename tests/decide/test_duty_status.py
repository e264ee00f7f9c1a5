"""Duties that tell the truth (regimes.md 14): done, late, possible, possibly overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scr_rules.case import case_from_document
from scr_rules.decide import triage
from scr_rules.errors import CaseFileError
from scr_rules.render import render_text
from tests._shared import make_case

DEATH_2008 = {
    "child_age_at_incident": 2,
    "child_died": True,
    "abuse_or_neglect": "known",
    "abuse_or_neglect_factor_in_death": "known",
}
LOOKED_AFTER_DEATH_2020 = {
    "child_age_at_incident": 4,
    "child_died": True,
    "abuse_or_neglect": "suspected",
    "looked_after": True,
}


def _duty(decision: Any, name: str) -> Any:
    return next(d for d in decision.duties if d.duty == name)


def test_a_decision_taken_is_the_decision_duty_done_never_overdue() -> None:
    decision = triage(
        make_case(notification_date="2008-05-05", decision_date="2008-05-20", facts=DEATH_2008),
        today=date(2026, 1, 1),
    )
    decide = _duty(decision, "decide_whether_to_review")
    assert (decide.status, decide.done_on) == ("done", date(2008, 5, 20))


def test_a_decision_taken_after_its_month_is_done_late() -> None:
    decision = triage(
        make_case(notification_date="2008-05-05", decision_date="2008-07-20", facts=DEATH_2008)
    )
    assert _duty(decision, "decide_whether_to_review").status == "done_late"
    assert "done 2008-07-20 LATE" in render_text(decision)


def test_an_undecided_case_past_its_month_is_overdue() -> None:
    decision = triage(
        make_case(notification_date="2008-05-05", facts=DEATH_2008), today=date(2008, 7, 1)
    )
    assert _duty(decision, "decide_whether_to_review").status == "overdue"


def test_a_possible_duty_goes_possible_overdue_once_its_date_has_passed() -> None:
    """Where the incident happened is unknown: the Panel notification must not go quiet."""
    case = make_case(notification_date="2020-01-06", facts=LOOKED_AFTER_DEATH_2020)
    before = _duty(triage(case, today=date(2020, 1, 8)), "notify_panel")
    assert before.status == "possible"
    after = triage(case, today=date(2020, 2, 1))
    panel = _duty(after, "notify_panel")
    assert panel.status == "possible_overdue"
    assert "incident_in_la_area" in panel.waiting_on
    assert "OVERDUE if it applies" in render_text(after)


def test_duties_done_in_the_case_file_are_done() -> None:
    case = make_case(
        notification_date="2020-01-06",
        decision_date="2020-01-20",
        duties_done={"notify_looked_after_death": "2020-01-08", "notify_panel": "2020-01-31"},
        facts=dict(LOOKED_AFTER_DEATH_2020, incident_in_la_area=True),
    )
    decision = triage(case, today=date(2020, 6, 1))
    assert _duty(decision, "notify_looked_after_death").status == "done"
    assert _duty(decision, "notify_panel").status == "done_late"  # due 2020-01-13
    assert _duty(decision, "rapid_review").status == "overdue"


def test_duties_done_must_be_named_and_dated() -> None:
    document = {
        "schema": "scr-case/1",
        "case_ref": "D-3",
        "decision_date": "2020-01-20",
        "duties_done": {"Notify Panel": "2020-01-08", "notify_panel": "yesterday"},
    }
    with pytest.raises(CaseFileError) as raised:
        case_from_document(document)
    locs = [p.loc for p in raised.value.problems]
    assert any(loc.startswith("duties_done") for loc in locs)


def test_a_duty_certainly_not_met_is_not_shown() -> None:
    """A 4-year-old is not a care leaver: no care-leaver notification."""
    decision = triage(
        make_case(notification_date="2024-03-04", facts=LOOKED_AFTER_DEATH_2020),
        today=date(2024, 6, 1),
    )
    assert "notify_care_leaver_death" not in {d.duty for d in decision.duties}


def test_from_29_june_2018_an_area_not_yet_switched_notifies_the_panel() -> None:
    case = make_case(
        notification_date="2018-09-03",
        decision_date="2018-09-20",
        facts=dict(
            LOOKED_AFTER_DEATH_2020,
            incident_in_la_area=True,
            area_new_arrangements_start_date="2019-06-01",
        ),
    )
    decision = triage(case)
    assert decision.regime == "england-2015"
    names = {d.duty for d in decision.duties}
    assert {"notify_panel", "notify_looked_after_death"} <= names
    assert "notify_ofsted_and_lscb" not in names  # the WT 2015 notification ended 28 Jun 2018


def test_while_two_regimes_are_possible_both_regimes_duties_are_shown_and_labelled() -> None:
    case = make_case(
        notification_date="2018-09-03",
        decision_date="2018-09-20",
        facts=dict(LOOKED_AFTER_DEATH_2020, incident_in_la_area=True),
    )
    decision = triage(case)
    assert {a.regime for a in decision.alternatives} == {"england-2015", "england-2018"}
    regimes = {d.regime for d in decision.duties}
    assert regimes == {"england-2015", "england-2018"}
    assert "[england-2018] " in render_text(decision)


def test_wales_says_its_timescales_are_not_encoded() -> None:
    case = make_case(
        jurisdiction="wales",
        decision_date="2017-05-05",
        facts={
            "child_age_at_incident": 3,
            "within_board_area": True,
            "abuse_or_neglect": "known",
            "child_died": True,
        },
    )
    decision = triage(case)
    assert decision.outcome == "mandatory"
    assert any("not encoded" in note for note in decision.duty_notes)
    assert "Welsh timescales" in render_text(decision)
