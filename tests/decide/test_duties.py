"""Deadlines: working days skip weekends and England and Wales bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from scr_rules.decide import add_months, add_working_days, due_date, is_working_day, triage
from tests._shared import make_case


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2019, 1, 7), 5, date(2019, 1, 14)),  # Monday: a plain working week
        (date(2019, 1, 11), 1, date(2019, 1, 14)),  # Friday: the weekend is skipped
        (date(2019, 12, 20), 5, date(2019, 12, 31)),  # Christmas Day and Boxing Day
        (date(2020, 12, 24), 5, date(2021, 1, 5)),  # Boxing Day substitute (28 Dec), New Year
        (date(2020, 5, 4), 5, date(2020, 5, 12)),  # the early May bank holiday moved to 8 May
        (date(2022, 5, 27), 5, date(2022, 6, 7)),  # spring holiday moved to 2 June; Jubilee 3 June
        (date(2019, 4, 17), 3, date(2019, 4, 24)),  # Good Friday and Easter Monday
        (date(2021, 12, 31), 1, date(2022, 1, 4)),  # year end: New Year's Day substitute
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due


def test_wales_shares_the_england_bank_holidays() -> None:
    assert not is_working_day(date(2019, 8, 26), "wales")  # summer bank holiday
    assert add_working_days(date(2019, 12, 20), 5, "wales") == date(2019, 12, 31)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2010, 8, 31), 6, date(2011, 2, 28)),  # a shorter month ends the period
        (date(2011, 12, 15), 1, date(2012, 1, 15)),  # across the year end
        (date(2012, 1, 31), 1, date(2012, 2, 29)),  # leap year
    ],
)
def test_months_clamp_to_the_end_of_a_shorter_month(start: date, months: int, due: date) -> None:
    assert add_months(start, months) == due
    assert due_date(start, months, "months") == due


LOOKED_AFTER_DEATH = {
    "child_age_at_incident": 4,
    "child_died": True,
    "abuse_or_neglect": "suspected",
    "incident_in_la_area": True,
    "looked_after": True,
}


def test_notification_duties_are_dated_from_the_notification_date() -> None:
    decision = triage(
        make_case(
            notification_date="2019-12-20", decision_date="2020-01-10", facts=LOOKED_AFTER_DEATH
        )
    )
    due = {d.duty: d.due for d in decision.duties}
    assert due["notify_panel"] == date(2019, 12, 31)
    assert due["notify_looked_after_death"] == date(2019, 12, 31)
    assert due["rapid_review"] == date(2020, 1, 15)
    assert due["publish_review"] == date(2020, 7, 10)
    assert {d.status for d in decision.duties} == {"due"}


def test_overdue_duties_are_flagged_against_today() -> None:
    decision = triage(
        make_case(
            notification_date="2019-12-20", decision_date="2020-01-10", facts=LOOKED_AFTER_DEATH
        ),
        today=date(2020, 1, 6),
    )
    status = {d.duty: d.status for d in decision.duties}
    assert status["notify_panel"] == "overdue"
    assert status["rapid_review"] == "due"
    assert decision.today == date(2020, 1, 6)


def test_a_duty_without_its_start_date_says_so() -> None:
    decision = triage(make_case(decision_date="2020-01-10", facts=LOOKED_AFTER_DEATH))
    panel = next(d for d in decision.duties if d.duty == "notify_panel")
    assert panel.due is None
    assert panel.status == "date_unknown"
    assert panel.due_rule == "5 working days from notification_date"


def test_a_duty_waiting_on_facts_is_possible_and_says_what_it_waits_on() -> None:
    facts = dict(LOOKED_AFTER_DEATH)
    del facts["incident_in_la_area"]
    decision = triage(
        make_case(notification_date="2019-12-20", decision_date="2020-01-10", facts=facts)
    )
    panel = next(d for d in decision.duties if d.duty == "notify_panel")
    assert panel.status == "possible"
    assert "incident_in_la_area" in panel.waiting_on


def test_review_completion_follows_the_outcome() -> None:
    """The completion target is a duty only when a review is (or may be) held."""
    death = {
        "child_age_at_incident": 2,
        "child_died": True,
        "died_in": "none",
        "detained_under_mental_health_act": False,
        "abuse_or_neglect": "known",
        "abuse_or_neglect_factor_in_death": "not_a_factor",
        "interagency_concern": "absent",
    }
    decision = triage(
        make_case(notification_date="2008-05-05", decision_date="2008-05-20", facts=death)
    )
    assert decision.outcome == "not_required"
    assert [d.duty for d in decision.duties] == []
