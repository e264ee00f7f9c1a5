"""Without a decision date, every regime a later decision could fall under is a candidate."""

from __future__ import annotations

from datetime import date

from scr_rules.decide import decision_window_end, triage
from tests._shared import make_case

HARM_CONCERN_UNCERTAIN = {
    "child_age_at_incident": 7,
    "abuse_or_neglect": "known",
    "child_died": False,
    "child_seriously_harmed": True,
    "potentially_life_threatening_injury": False,
    "serious_permanent_impairment": False,
    "sexual_abuse": False,
    "violent_assault_by": "none",
    "parent_murdered": False,
    "interagency_concern": "uncertain",
}


def test_a_decision_still_to_be_taken_may_fall_under_the_next_regime() -> None:
    """Notified 2013-03-10: not required under WT 2010, mandatory under WT 2013 (15 April)."""
    decision = triage(make_case(notification_date="2013-03-10", facts=HARM_CONCERN_UNCERTAIN))
    assert decision.outcome == "undetermined"
    assert decision.missing_facts[0] == "decision_date"
    assert [(a.regime, a.outcome) for a in decision.alternatives] == [
        ("england-2010", "not_required"),
        ("england-2013", "mandatory"),
    ]
    dated = triage(
        make_case(
            notification_date="2013-03-10",
            decision_date="2013-03-20",
            facts=HARM_CONCERN_UNCERTAIN,
        )
    )
    assert dated.outcome == "not_required"


def test_the_window_runs_twelve_months_or_to_today() -> None:
    assert decision_window_end(date(2013, 3, 10)) == date(2014, 3, 10)
    assert decision_window_end(date(2013, 3, 10), today=date(2015, 1, 1)) == date(2015, 1, 1)
    assert decision_window_end(date(2013, 3, 10), today=date(2013, 4, 1)) == date(2014, 3, 10)


def test_the_reason_states_the_bound() -> None:
    decision = triage(make_case(notification_date="2013-03-10", facts=HARM_CONCERN_UNCERTAIN))
    assert "decision taken by 2014-03-10 (12 months from notification_date)" in (
        decision.regime_reason
    )


def test_a_known_area_switch_inside_the_window_makes_the_new_regime_a_candidate() -> None:
    facts = dict(HARM_CONCERN_UNCERTAIN, area_new_arrangements_start_date="2019-03-01")
    decision = triage(make_case(notification_date="2018-10-01", facts=facts))
    assert [a.regime for a in decision.alternatives] == ["england-2015", "england-2018"]
