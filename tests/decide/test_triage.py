"""How rules combine into a decision, how the regime is chosen, and what is reported."""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta
from typing import Any

import pytest

from scr_rules.case import BASE_FACTS, UNKNOWN, Facts, contradictions
from scr_rules.decide import triage
from scr_rules.errors import RegimeError
from scr_rules.law import SettingError
from scr_rules.testing import random_cases
from tests._shared import BOOK, case_on, make_case

JUNE_2008 = "2008-06-01"  # WT 2006 (england-2006)


DEATH_NOT_A_FACTOR = {
    "child_age_at_incident": 6,
    "child_died": True,
    "died_in": "none",  # so the unresolved custody trigger of 2006/2010 cannot catch it
    "detained_under_mental_health_act": False,
    "abuse_or_neglect": "suspected",
    "abuse_or_neglect_factor_in_death": "not_a_factor",
    "interagency_concern": "absent",
}


def test_death_with_suspected_neglect_as_a_factor_requires_review() -> None:
    """WT 2006 ch. 8: the LSCB should always conduct an SCR when a child dies and abuse or
    neglect is known or suspected to be a factor in the death."""
    case = case_on(
        JUNE_2008,
        child_age_at_incident=2,
        child_died=True,
        abuse_or_neglect_factor_in_death="suspected",
    )
    decision = triage(case)
    assert decision.outcome == "mandatory"
    assert decision.force == "statutory_guidance"
    assert decision.met_rules() == ["england.wt-2006.ch8-child-death"]
    assert decision.missing_facts == ()


@pytest.mark.parametrize(
    ("day", "regime", "outcome"),
    [
        ("2006-03-31", None, None),  # before the 2006 regulations: no supported regime
        ("2006-04-01", "england-2006", "not_required"),
        ("2010-03-16", "england-2006", "not_required"),
        ("2010-03-17", "england-2010", "mandatory"),
        ("2013-04-14", "england-2010", "mandatory"),
        ("2013-04-15", "england-2013", "mandatory"),
    ],
)
def test_regime_boundaries(day: str, regime: str | None, outcome: str | None) -> None:
    """A death where abuse was suspected but not a factor: WT 2006 asks about the factor in
    the death, reg. 5(2)(b)(i) as amended in 2010 only about abuse or neglect."""
    case = case_on(day, **DEATH_NOT_A_FACTOR)
    if regime is None:
        with pytest.raises(RegimeError, match="outside every supported"):
            triage(case)
        return
    decision = triage(case)
    assert (decision.regime, decision.outcome) == (regime, outcome)
    assert decision.decision_date == date.fromisoformat(day)
    assert day in decision.regime_reason


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_rules_apply_only_inside_their_in_force_dates(rule) -> None:
    """Each rule is evaluated on its first and last day and never the day outside them."""
    start, end = rule.spec.in_force.from_, rule.spec.in_force.to
    assert rule in BOOK.rules_for(rule.spec.regime, start)
    assert rule not in BOOK.rules_for(rule.spec.regime, start - timedelta(days=1))
    if end is not None:  # open-ended rules are in force today
        assert rule in BOOK.rules_for(rule.spec.regime, end)
        assert rule not in BOOK.rules_for(rule.spec.regime, end + timedelta(days=1))


def test_date_fallbacks_are_stated() -> None:
    case = make_case("T-2", incident_date="2011-01-03", facts={})
    decision = triage(case)
    assert decision.date_source == "incident_date"
    assert "no decision_date given" in decision.regime_reason


def test_without_a_decision_date_every_regime_of_the_month_is_evaluated() -> None:
    """The notification date opens a one-month decision window; if it spans a regime
    change and the regimes disagree, the decision date is what is missing."""
    case = make_case("T-3", notification_date="2010-03-01", facts=DEATH_NOT_A_FACTOR)
    decision = triage(case)
    assert decision.outcome == "undetermined"
    assert decision.missing_facts[0] == "decision_date"
    assert [(a.regime, a.outcome) for a in decision.alternatives] == [
        ("england-2006", "not_required"),
        ("england-2010", "mandatory"),
    ]
    assert "england-2006 or england-2010" in decision.regime_reason


def test_candidate_regimes_that_agree_give_their_outcome() -> None:
    facts = dict(DEATH_NOT_A_FACTOR, abuse_or_neglect_factor_in_death="known")
    case = make_case("T-4", notification_date="2010-03-01", facts=facts)
    decision = triage(case)
    assert decision.outcome == "mandatory"
    assert {a.regime for a in decision.alternatives} == {"england-2006", "england-2010"}


def test_no_date_and_no_regime_is_an_error_not_a_guess() -> None:
    with pytest.raises(RegimeError, match="no date"):
        triage(case_on(None, child_died=True))


def test_regime_override_and_decision_date_override() -> None:
    case = case_on("2008-01-01", **DEATH_NOT_A_FACTOR)
    assert triage(case, regime="england-2010").outcome == "mandatory"
    assert triage(case, decision_date=date(2011, 1, 1)).regime == "england-2010"
    with pytest.raises(RegimeError, match="unknown regime"):
        triage(case, regime="england-1999")


HARM_WITH_CONCERN = {
    "child_age_at_incident": 9,
    "child_died": False,
    "abuse_or_neglect": "known",
    "child_seriously_harmed": True,
    "potentially_life_threatening_injury": False,
    "serious_permanent_impairment": False,
    "sexual_abuse": False,
    "parent_murdered": False,
    "violent_assault_by": "none",
    "interagency_concern": "present",
}


@pytest.mark.parametrize(
    ("setting", "outcome"), [("discretionary", "discretionary"), ("mandatory", "mandatory")]
)
def test_harm_limb_switch_eng10_h1(setting: str, outcome: str) -> None:
    """regimes.md 4.3: sources conflict on reg. 5(2)(b)(ii) under WT 2010; default may decide."""
    decision = triage(
        case_on("2012-01-01", **HARM_WITH_CONCERN), settings={"eng2010_harm_limb": setting}
    )
    assert decision.outcome == outcome
    assert decision.settings["eng2010_harm_limb"] == setting


@pytest.mark.parametrize("day", ["2008-01-01", "2012-01-01"])
def test_custody_trigger_is_unresolved_by_default_and_visible(day: str) -> None:
    facts = {
        "child_age_at_incident": 16,
        "child_died": True,
        "died_in": "remand",
        "abuse_or_neglect": "not_suspected",
        "abuse_or_neglect_factor_in_death": "not_a_factor",
        "killed_by_relative_with_risk_factor": False,
        "interagency_concern": "absent",
    }
    setting = "eng2006_custody_trigger" if day < "2010" else "eng2010_custody_trigger"
    unresolved = triage(case_on(day, **facts))
    assert unresolved.settings[setting] == "unresolved"
    assert unresolved.outcome == "undetermined"
    [law] = unresolved.unresolved_law
    assert (law.setting, law.evidence) == (setting, "unverified")
    assert law.outcomes == {"true": "mandatory", "false": "not_required"}
    assert law.rule_ids == (
        f"england.wt-{'2006' if day < '2010' else '2010'}.ch8-death-in-custody",
    )
    off = triage(case_on(day, **facts), settings={setting: False})
    assert off.outcome == "not_required"
    assert setting in {d.setting for d in off.disabled}
    on = triage(case_on(day, **facts), settings={setting: True})
    assert on.outcome == "mandatory"
    assert on.reasons[0].evidence == "unverified"


def test_unknown_setting_is_refused_with_a_suggestion() -> None:
    with pytest.raises(SettingError, match="did you mean 'eng2010_harm_limb'"):
        triage(case_on(JUNE_2008), settings={"eng2010_harm_limp": "mandatory"})


def test_why_not_lists_the_failed_conditions_with_values() -> None:
    decision = triage(case_on(JUNE_2008, **DEATH_NOT_A_FACTOR))
    death = next(n for n in decision.not_met if n.rule_id == "england.wt-2006.ch8-child-death")
    assert [(f.fact, f.value, f.expected) for f in death.failed] == [
        ("abuse_or_neglect_factor_in_death", "not_a_factor", "one of ['known', 'suspected']")
    ]


def test_unknown_rules_say_what_they_wait_on() -> None:
    decision = triage(case_on(JUNE_2008, child_age_at_incident=3, child_died=True))
    death = next(r for r in decision.reasons if r.rule_id == "england.wt-2006.ch8-child-death")
    assert death.status == "unknown"
    assert death.waiting_on == ("abuse_or_neglect_factor_in_death",)
    assert decision.outcome == "undetermined"
    assert "abuse_or_neglect_factor_in_death" in decision.missing_facts


def test_unknown_age_is_reported_as_the_base_fact() -> None:
    decision = triage(case_on(JUNE_2008, child_died=True, abuse_or_neglect_factor_in_death="known"))
    assert decision.outcome == "undetermined"
    assert "child_age_at_incident" in decision.missing_facts
    assert "is_child" not in decision.missing_facts


def test_missing_facts_are_only_those_that_could_change_the_outcome() -> None:
    """Once mandatory is met, nothing unknown can change it: nothing is missing."""
    decision = triage(
        case_on(
            JUNE_2008,
            child_age_at_incident=3,
            child_died=True,
            abuse_or_neglect_factor_in_death="known",
        )
    )
    assert decision.outcome == "mandatory"
    assert decision.missing_facts == ()
    assert any(r.status == "unknown" for r in decision.reasons)  # still shown as possible


def test_two_rules_firing_at_once_take_the_strongest_outcome() -> None:
    facts = dict(
        HARM_WITH_CONCERN,
        child_died=True,
        abuse_or_neglect_factor_in_death="known",
        potentially_life_threatening_injury=True,
    )
    decision = triage(case_on("2008-01-01", **facts))
    assert decision.outcome == "mandatory"
    assert set(decision.met_rules()) == {
        "england.wt-2006.ch8-child-death",
        "england.wt-2006.ch8-serious-injury-or-impairment",
    }
    assert decision.reasons[0].outcome == "mandatory"  # strongest first


def test_statutory_homicide_review_before_april_2011_warns() -> None:
    decision = triage(case_on("2009-01-01", dhr_initiated="statutory"))
    assert any("2011-04-13" in warning for warning in decision.warnings)


def test_two_triages_share_no_facts() -> None:
    death = case_on(
        JUNE_2008,
        child_age_at_incident=3,
        child_died=True,
        abuse_or_neglect_factor_in_death="known",
    )
    empty = case_on(JUNE_2008)
    assert triage(death).outcome == "mandatory"
    after = triage(empty)
    assert after.outcome == "undetermined"
    assert after.met_rules() == []


def test_triage_is_isolated_across_threads() -> None:
    cases = list(random_cases(400, seed=3))
    expected = [
        triage(case, evaluator="reference").model_dump(exclude={"evaluator"}) for case in cases
    ]
    results: dict[int, dict[str, Any]] = {}

    def work(offset: int) -> None:
        for index in range(offset, len(cases), 4):
            results[index] = triage(cases[index]).model_dump(exclude={"evaluator"})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(cases))] == expected


def test_deterministic() -> None:
    for case in random_cases(200, seed=9):
        assert triage(case) == triage(case)


def test_not_required_is_never_given_while_an_enabled_rule_is_unknown() -> None:
    for case in random_cases(3_000, seed=11):
        decision = triage(case)
        if decision.outcome == "not_required":
            assert not [r for r in decision.reasons if r.status == "unknown"], case.case_ref
            assert decision.missing_facts == ()


def test_learning_a_missing_fact_never_leaves_the_possible_outcomes() -> None:
    """Soundness of 'undetermined': any answer to an unknown fact gives an outcome that was
    listed as possible, and a decided outcome never changes when an unknown is learnt."""
    rng = random.Random(5)
    checked = 0
    for case in random_cases(1_500, seed=13):
        before = triage(case)
        unknown = [name for name, value in case.facts if value == UNKNOWN]
        if not unknown:
            continue
        # subject_status is presumed born alive while unknown (the side that can require a
        # review), so learning 'stillborn' may lower a decided outcome by design
        name = rng.choice([n for n in unknown if n != "subject_status"] or ["subject_status"])
        if name == "subject_status":
            continue
        domain = BASE_FACTS[name]
        if domain.kind == "date":
            continue
        values: Any = {
            "int": range(0, 26),
            "set": [(), *((value,) for value in domain.values)],
        }.get(domain.kind, domain.values)
        for value in values:
            facts = {**case.facts.model_dump(), name: value}
            learnt = case.model_copy(update={"facts": Facts(**facts)})
            if contradictions(learnt):
                continue  # the value denies what the known facts entail (regimes.md 12.1)
            after = triage(learnt)
            checked += 1
            if name in {fact for reason in before.reasons for fact in reason.presumed}:
                continue  # a presumption settled it (WT 2013/2015): rebuttal may change it
            if before.outcome != "undetermined" or name not in before.missing_facts:
                assert after.outcome == before.outcome, (case.case_ref, name, value)
            else:
                assert after.outcome in (*before.possible_outcomes, "undetermined")
    assert checked > 1_000
