"""Wales (regimes.md 9): reg. 4 of 2006 as its words say, review types as complements."""

from __future__ import annotations

from scr_rules.decide import triage
from tests._shared import BOOK, case_on


def test_the_2006_mandatory_head_adds_no_factor_in_the_death_wording() -> None:
    rule = BOOK.rule("wales.lscb-regs-2006.reg-4-serious-case")
    assert "factor" not in rule.spec.reason
    assert "factor" not in rule.spec.citation.text.split("[")[0]


def test_the_2006_discretionary_head_needs_only_harm_and_no_abuse() -> None:
    rule = BOOK.rule("wales.lscb-regs-2006.reg-4-other-harm")
    assert set(rule.facts()) == {"is_child", "within_board_area", "child_harmed"}
    decision = triage(
        case_on(
            "2009-01-01",
            jurisdiction="wales",
            child_age_at_incident=6,
            within_board_area=True,
            child_harmed=True,
            abuse_or_neglect="not_suspected",
            child_died=False,
            potentially_life_threatening_injury=False,
            serious_permanent_impairment=False,
        )
    )
    assert decision.outcome == "discretionary"


def test_serious_harm_is_harm_for_the_2006_head() -> None:
    decision = triage(
        case_on(
            "2009-01-01",
            jurisdiction="wales",
            child_age_at_incident=6,
            within_board_area=True,
            child_seriously_harmed=True,
            abuse_or_neglect="not_suspected",
            child_died=False,
            potentially_life_threatening_injury=False,
            serious_permanent_impairment=False,
        )
    )
    assert decision.outcome == "discretionary"


def test_a_review_is_mandatory_while_only_its_type_is_open() -> None:
    decision = triage(
        case_on(
            "2017-01-01",
            jurisdiction="wales",
            child_age_at_incident=6,
            within_board_area=True,
            abuse_or_neglect="suspected",
            child_died=True,
        )
    )
    assert decision.outcome == "mandatory"
    assert decision.review_type is None
    assert set(decision.review_type_waiting_on) == {
        "on_cp_register_within_6_months",
        "looked_after_within_6_months",
    }
    assert decision.missing_facts == ()


def test_neglect_of_a_child_on_the_register_in_2014_is_never_not_required() -> None:
    facts = {
        "child_age_at_incident": 3,
        "within_board_area": True,
        "abuse_or_neglect": "known",
        "abuse_or_neglect_types": ["neglect"],
        "child_died": True,
        "on_cp_register_within_6_months": True,
    }
    unresolved = triage(case_on("2014-01-01", jurisdiction="wales", **facts))
    assert unresolved.outcome == "undetermined"
    [law] = unresolved.unresolved_law
    assert law.outcomes == {"true": "not_required", "false": "mandatory"}
    purposive = triage(
        case_on("2014-01-01", jurisdiction="wales", **facts),
        settings={"wal2012_extended_requires_abuse": False},
    )
    assert (purposive.outcome, purposive.review_type) == ("mandatory", "extended")


def test_a_person_of_18_looked_after_within_six_months_has_an_extended_review() -> None:
    decision = triage(
        case_on(
            "2020-01-01",
            jurisdiction="wales",
            child_age_at_incident=19,
            within_board_area=True,
            abuse_or_neglect="suspected",
            child_died=True,
            looked_after_within_6_months=True,
        )
    )
    assert (decision.outcome, decision.review_type) == ("mandatory", "extended")
    not_looked_after = triage(
        case_on(
            "2020-01-01",
            jurisdiction="wales",
            child_age_at_incident=19,
            within_board_area=True,
            abuse_or_neglect="suspected",
            child_died=True,
            looked_after_within_6_months=False,
        )
    )
    assert not_looked_after.outcome == "not_required"
