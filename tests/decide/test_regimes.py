"""Which law applies: every regime boundary, the 2018-2019 switch-over, unknown dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scr_rules.case import Case
from scr_rules.decide import triage
from scr_rules.errors import RegimeError
from tests._shared import BOOK, make_case

HARM = {
    "child_age_at_incident": 3,
    "child_died": False,
    "abuse_or_neglect": "known",
    "child_seriously_harmed": True,
}


def _boundaries() -> list[tuple[str, str, date]]:
    """Each regime's first and last day, with the regime expected on each side."""
    cases = []
    for regime in BOOK.regimes:
        cases.append((regime.jurisdiction, regime.id, regime.in_force.from_))
        if regime.in_force.to is not None:
            cases.append((regime.jurisdiction, regime.id, regime.in_force.to))
    return cases


def _expected(jurisdiction: str, day: date, area_switched: bool = True) -> str | None:
    covering = [
        r for r in BOOK.regimes if r.jurisdiction == jurisdiction and r.in_force.covers(day)
    ]
    if len(covering) > 1:  # the 2018 switch-over: a known early switch picks the new regime
        return next(r.id for r in covering if r.area_switch) if area_switched else None
    return covering[0].id if covering else None


@pytest.mark.parametrize(("jurisdiction", "regime", "day"), _boundaries(), ids=lambda v: str(v))
def test_day_before_on_and_after_each_boundary(jurisdiction: str, regime: str, day: date) -> None:
    facts = {"area_new_arrangements_start_date": "2018-06-29"}
    for offset in (-1, 0, 1):
        when = day + timedelta(days=offset)
        expected = _expected(jurisdiction, when)
        case = make_case(jurisdiction=jurisdiction, facts=facts, decision_date=when.isoformat())
        if expected is None:
            with pytest.raises(RegimeError, match="outside every supported"):
                triage(case)
        else:
            assert triage(case).regime == expected, when
    if _expected(jurisdiction, day, area_switched=False) is not None:  # not mid switch-over
        case = make_case(jurisdiction=jurisdiction, facts=facts, decision_date=day.isoformat())
        assert triage(case).regime == regime


@pytest.mark.parametrize(
    ("switch", "decided", "regime"),
    [
        ("2018-09-01", "2018-08-31", "england-2015"),  # the day before the area switched
        ("2018-09-01", "2018-09-01", "england-2018"),  # the day it switched
        ("2019-09-29", "2019-09-28", "england-2015"),  # the last area, on the last day
    ],
)
def test_an_area_moves_on_its_own_date(switch: str, decided: str, regime: str) -> None:
    case = make_case(
        facts={**HARM, "area_new_arrangements_start_date": switch}, decision_date=decided
    )
    decision = triage(case)
    assert decision.regime == regime
    assert "switched on" in decision.regime_reason


def test_an_unknown_switch_date_evaluates_both_regimes() -> None:
    decision = triage(make_case(facts=HARM, decision_date="2019-01-10"))
    assert decision.outcome == "undetermined"
    assert decision.missing_facts[0] == "area_new_arrangements_start_date"
    assert [(a.regime, a.outcome) for a in decision.alternatives] == [
        ("england-2015", "mandatory"),
        ("england-2018", "discretionary"),
    ]


def test_wales_before_its_2006_regulations_is_an_error() -> None:
    with pytest.raises(RegimeError, match="wales"):
        triage(make_case(jurisdiction="wales", decision_date="2006-09-30"))


def test_a_forced_regime_outside_the_case_date_uses_its_first_day() -> None:
    decision = triage(make_case(facts=HARM, decision_date="2008-01-01"), regime="england-2015")
    assert decision.regime == "england-2015"
    assert decision.decision_date == date(2015, 3, 26)
    assert "first day" in decision.regime_reason


def test_a_regime_of_the_other_jurisdiction_is_refused() -> None:
    wales = Case.model_validate(
        {"schema": "scr-case/1", "case_ref": "J-1", "jurisdiction": "wales", "facts": {}}
    )
    with pytest.raises(
        RegimeError, match="'england-2010' is england law, but the case is in wales"
    ):
        triage(wales, regime="england-2010")


def test_a_decision_date_option_before_the_case_dates_is_refused_as_in_a_file() -> None:
    from datetime import date

    case = Case.model_validate(
        {
            "schema": "scr-case/1",
            "case_ref": "J-2",
            "incident_date": "2012-01-10",
            "notification_date": "2012-01-12",
            "facts": {},
        }
    )
    with pytest.raises(RegimeError, match="is before notification_date 2012-01-12"):
        triage(case, decision_date=date(2012, 1, 11))
    incident_only = case.model_copy(update={"notification_date": None})
    with pytest.raises(RegimeError, match="is before incident_date 2012-01-10"):
        triage(incident_only, decision_date=date(2011, 12, 1))
