"""Unverified law is an unknown too (regimes.md 0.5), and a default never decides silently."""

from __future__ import annotations

import pytest

from scr_rules.decide import triage
from scr_rules.render import render_text
from tests._shared import BOOK, case_on

CUSTODY_DEATH = {
    "child_age_at_incident": 16,
    "child_died": True,
    "died_in": "young_offender_institution",
    "abuse_or_neglect": "not_suspected",
    "abuse_or_neglect_factor_in_death": "not_a_factor",
    "interagency_concern": "absent",
    "parent_murdered": False,
}
PARENT_MURDERED_CHILD_NOT_HARMED = {
    "child_age_at_incident": 8,
    "child_died": False,
    "child_seriously_harmed": False,
    "potentially_life_threatening_injury": False,
    "serious_permanent_impairment": False,
    "abuse_or_neglect": "not_suspected",
    "parent_murdered": True,
    "dhr_initiated": "non_statutory",
    "interagency_concern": "present",
}


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("eng2006_custody_trigger", "unresolved"),
        ("eng2010_custody_trigger", "unresolved"),
        ("wal2012_extended_requires_abuse", "unresolved"),
        ("parent_murdered_requires_child_harm", "unresolved"),
        ("dols_16_17_limb", True),
    ],
)
def test_defaults_follow_the_evidence(name: str, default: object) -> None:
    setting = next(s for s in BOOK.settings if s.name == name)
    assert setting.default == default
    if default == "unresolved":
        assert setting.evidence is not None
    else:
        assert setting.evidence == "secondary"


def test_an_unverified_trigger_that_could_catch_the_case_leaves_it_undetermined() -> None:
    decision = triage(case_on("2008-07-07", **CUSTODY_DEATH))
    assert decision.outcome == "undetermined"
    assert decision.possible_outcomes == ("mandatory", "not_required")
    [law] = decision.unresolved_law
    assert law.setting == "eng2006_custody_trigger"
    assert law.outcomes == {"true": "mandatory", "false": "not_required"}
    assert law.evidence == "unverified"
    assert law.regime == "england-2006"


def test_an_unverified_trigger_still_unknown_for_the_case_is_unresolved_law_too() -> None:
    """Place of death unknown: the trigger could still catch it, so never not_required."""
    facts = {k: v for k, v in CUSTODY_DEATH.items() if k != "died_in"}
    decision = triage(case_on("2008-07-07", **facts))
    assert decision.outcome == "undetermined"
    [law] = decision.unresolved_law
    assert law.outcomes == {"true": "undetermined", "false": "not_required"}
    assert "died_in" in decision.missing_facts


def test_a_case_the_provision_cannot_catch_is_decided_as_before() -> None:
    facts = dict(CUSTODY_DEATH, died_in="none", detained_under_mental_health_act=False)
    decision = triage(case_on("2008-07-07", **facts))
    assert decision.outcome == "not_required"
    assert decision.unresolved_law == ()


def test_a_provision_that_does_not_change_the_answer_is_not_reported() -> None:
    """A custody death with abuse a factor is mandatory under the death rule either way."""
    facts = dict(CUSTODY_DEATH, abuse_or_neglect="known", abuse_or_neglect_factor_in_death="known")
    decision = triage(case_on("2008-07-07", **facts))
    assert decision.outcome == "mandatory"
    assert decision.unresolved_law == ()


@pytest.mark.parametrize(("value", "outcome"), [(True, "mandatory"), (False, "not_required")])
def test_a_board_that_settled_the_point_gets_its_reading(value: bool, outcome: str) -> None:
    decision = triage(
        case_on("2008-07-07", **CUSTODY_DEATH), settings={"eng2006_custody_trigger": value}
    )
    assert decision.outcome == outcome
    assert decision.settings["eng2006_custody_trigger"] is value
    assert decision.unresolved_law == ()


def test_the_text_says_plainly_what_each_reading_gives() -> None:
    text = render_text(triage(case_on("2008-07-07", **CUSTODY_DEATH)))
    assert text.startswith(" UNDETERMINED - the law here is unverified")
    flat = " ".join(text.split())
    assert (
        "The law here is unverified (eng2006_custody_trigger, england-2006): with true the "
        "answer is MANDATORY, with false the answer is NOT REQUIRED; take legal advice or set "
        "it with --set eng2006_custody_trigger=VALUE." in flat
    )


@pytest.mark.parametrize("day", ["2009-06-01", "2012-06-01"])
def test_the_parent_murdered_lead_in_is_a_disputed_reading(day: str) -> None:
    decision = triage(case_on(day, **PARENT_MURDERED_CHILD_NOT_HARMED))
    assert decision.outcome == "undetermined"
    [law] = decision.unresolved_law
    assert law.setting == "parent_murdered_requires_child_harm"
    assert law.outcomes == {"true": "not_required", "false": "discretionary"}
    harmed = dict(
        PARENT_MURDERED_CHILD_NOT_HARMED,
        child_seriously_harmed=True,
        potentially_life_threatening_injury="unknown",
        serious_permanent_impairment="unknown",
    )
    both_readings = triage(case_on(day, **harmed))
    assert both_readings.unresolved_law == ()
    assert both_readings.outcome == "discretionary"


def test_the_deprivation_of_liberty_limb_is_on_by_default() -> None:
    facts = {
        "child_age_at_incident": 17,
        "child_died": True,
        "dols_order_16_17": True,
        "abuse_or_neglect": "not_suspected",
    }
    decision = triage(case_on("2016-05-05", **facts))
    assert decision.outcome == "mandatory"
    assert "england.wt-2015.ch4-death-deprivation-of-liberty" in decision.met_rules()
    reason = next(r for r in decision.reasons if r.rule_id.endswith("deprivation-of-liberty"))
    assert reason.evidence == "secondary"


def test_no_deprivation_of_liberty_limb_in_2013() -> None:
    assert not [
        rule for rule in BOOK.rules_for("england-2013") if "dols_order_16_17" in rule.facts()
    ]


HARM_WITH_CONCERN_2012 = {
    "child_age_at_incident": 9,
    "abuse_or_neglect": "known",
    "child_died": False,
    "child_seriously_harmed": True,
    "potentially_life_threatening_injury": False,
    "serious_permanent_impairment": False,
    "sexual_abuse": False,
    "violent_assault_by": "none",
    "parent_murdered": False,
    "interagency_concern": "present",
}


def test_other_readings_name_the_setting_that_would_change_the_outcome() -> None:
    decision = triage(case_on("2012-06-06", **HARM_WITH_CONCERN_2012))
    assert decision.outcome == "discretionary"
    [other] = decision.other_readings
    assert (other.setting, other.value, other.outcome) == (
        "eng2010_harm_limb",
        "mandatory",
        "mandatory",
    )
    lines = render_text(decision).splitlines()
    assert lines[1] == (
        "DISCRETIONARY under the default reading; MANDATORY with eng2010_harm_limb=mandatory"
    )


def test_other_readings_after_an_override_say_the_readings_were_set() -> None:
    decision = triage(
        case_on("2012-06-06", **HARM_WITH_CONCERN_2012), settings={"eng2010_harm_limb": "mandatory"}
    )
    assert decision.outcome == "mandatory"
    assert [(o.setting, o.value) for o in decision.other_readings] == [
        ("eng2010_harm_limb", "discretionary")
    ]
    assert decision.settings_overridden == ("eng2010_harm_limb",)
    assert "MANDATORY under the readings set; DISCRETIONARY with" in render_text(decision)


def test_a_setting_that_changes_nothing_is_not_another_reading() -> None:
    facts = dict(HARM_WITH_CONCERN_2012, interagency_concern="absent")
    decision = triage(case_on("2012-06-06", **facts))
    assert decision.outcome == "not_required"
    assert decision.other_readings == ()


def test_unresolved_is_not_a_value_a_rule_may_be_switched_on_by() -> None:
    for rule in BOOK.rules:
        switch = rule.spec.enabled_when
        assert switch is None or switch.equals != "unresolved", rule.id
