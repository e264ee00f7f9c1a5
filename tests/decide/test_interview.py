"""The next question of an interview: asked only when an answer can change the outcome."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from scr_rules import NextStep, next_question
from scr_rules.case import BASE_FACTS, Case, load_case
from scr_rules.decide import triage
from scr_rules.errors import UsageError
from tests._shared import BOOK, CASES_DIR, case_on

WT2006_DAY = "2008-05-20"
WT2015_DAY = "2016-05-05"

# The public contract of `scr next --format json` and of the HTTP service's
# POST /v1/interview/next: exactly these keys, nothing more.
STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["done", "done_reason", "question", "decision"],
    "properties": {
        "done": {"type": "boolean"},
        "done_reason": {"enum": [None, "decided", "not_known", "nothing_to_ask"]},
        "question": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["fact", "text", "hint", "options", "why"],
                    "properties": {
                        "fact": {"type": "string"},
                        "text": {"type": "string"},
                        "hint": {"type": "string"},
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["value", "label", "disabled"],
                                "properties": {
                                    "value": {},
                                    "label": {"type": "string"},
                                    "disabled": {"type": ["string", "null"]},
                                },
                            },
                        },
                        "why": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["rule_id", "citation", "could_lead_to"],
                                "properties": {
                                    "rule_id": {"type": "string"},
                                    "citation": {"type": "string"},
                                    "could_lead_to": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            ]
        },
        "decision": {
            "type": "object",
            "additionalProperties": False,
            "required": ["outcome", "possible_outcomes", "missing_facts"],
            "properties": {
                "outcome": {"type": "string"},
                "possible_outcomes": {"type": "array", "items": {"type": "string"}},
                "missing_facts": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


def _asked(step: NextStep) -> str:
    assert not step.done, step.done_reason
    assert step.question is not None
    return step.question.fact


def _with(case: Case, **facts: Any) -> Case:
    return case.model_copy(update={"facts": case.facts.model_copy(update=facts)})


def test_a_death_with_the_factor_unknown_asks_about_the_factor() -> None:
    """WT 2006 ch. 8: a child's death needs abuse or neglect as a factor in the death; that
    is the one fact that decides this case, so it is the question, and the death rule is why."""
    case = load_case(CASES_DIR / "death-factor-unknown-2008.yaml")
    step = next_question(case)
    assert _asked(step) == "abuse_or_neglect_factor_in_death"
    assert step.question is not None
    why = {w.rule_id: w for w in step.question.why}
    rule = BOOK.rule("england.wt-2006.ch8-child-death")
    assert why[rule.id].citation == rule.spec.citation.short()
    assert why[rule.id].could_lead_to == "mandatory"
    assert step.decision.outcome == "undetermined"


def test_an_interview_starting_from_nothing_asks_about_the_child_first() -> None:
    """Nothing known: the born-alive default and the age (a child is under 18) can each end
    the case on their own, and the child comes first in the topic order."""
    step = next_question(case_on(WT2006_DAY))
    assert _asked(step) == "subject_status"
    step = next_question(case_on(WT2006_DAY), skipped=["subject_status"])
    assert _asked(step) == "child_age_at_incident"


def test_a_decided_case_is_done_once_the_born_alive_default_was_asked() -> None:
    """The born-alive default could be rebutted (a stillbirth is not covered, regimes.md
    13.6), so the interview asks it before it is done; "not known" keeps the default."""
    case = load_case(CASES_DIR / "death-neglect-factor-2008.yaml")
    assert _asked(next_question(case)) == "subject_status"
    step = next_question(case, skipped=["subject_status"])
    assert step.done
    assert step.done_reason == "decided"
    assert step.question is None
    assert step.decision.outcome == "mandatory"


def test_the_wt2013_presumption_is_not_final_until_the_concern_was_asked() -> None:
    """WT 2013 ch. 4: an SCR unless it is clear there are no concerns about inter-agency
    working. An unknown concern is presumed (mandatory), but the facts that could rebut it are
    asked: the concern, then how clear the evidence is; "not known" keeps the presumption."""
    case = load_case(CASES_DIR / "e2013-harm-concern-unknown-presumed.yaml")
    assert triage(case).outcome == "mandatory"
    skipped = ["subject_status"]
    step = next_question(case, skipped=skipped)
    assert _asked(step) == "interagency_concern"
    assert step.question is not None
    assert [w.rule_id for w in step.question.why] == ["england.wt-2013.ch4-serious-harm"]
    assert step.question.why[0].could_lead_to == "not_required"
    absent = _with(case, interagency_concern="absent")
    assert _asked(next_question(absent, skipped=skipped)) == "absence_evidence"
    kept = next_question(case, skipped=[*skipped, "interagency_concern"])
    assert kept.done
    assert kept.done_reason == "decided"
    assert kept.decision.outcome == "mandatory"


def test_a_concern_shown_absent_ends_the_presumption_questions() -> None:
    """With concern about working together present, no evidence of its absence can rebut."""
    case = _with(
        load_case(CASES_DIR / "e2013-harm-concern-unknown-presumed.yaml"),
        interagency_concern="present",
    )
    step = next_question(case, skipped=["subject_status"])
    assert step.done
    assert step.decision.outcome == "mandatory"


def test_an_answer_that_contradicts_the_case_is_offered_disabled_with_the_reason() -> None:
    """WT 2015: a deprivation-of-liberty order is for a child aged 16 or 17 (regimes.md
    12.1), so every other age is offered disabled, saying why."""
    case = case_on(
        WT2015_DAY, dols_order_16_17=True, child_died=True, abuse_or_neglect="not_suspected"
    )
    step = next_question(case, skipped=["subject_status"])
    assert _asked(step) == "child_age_at_incident"
    assert step.question is not None
    options = {o.value: o for o in step.question.options}
    assert options[16].disabled is None
    assert options[17].disabled is None
    assert options[15].disabled is not None
    assert "16- and 17-year-olds only" in options[15].disabled
    assert options["unknown"].disabled is None


WALES_REGISTER_DEATH: dict[str, Any] = {
    "child_age_at_incident": 10,
    "child_died": True,
    "within_board_area": True,
    "on_cp_register_within_6_months": True,
}


def test_a_list_of_kinds_offers_each_kind_and_none_of_them() -> None:
    """Wales 2012: an extended review needs "abuse" (the kinds tell abuse from neglect)."""
    step = next_question(
        case_on("2014-01-10", "wales", **WALES_REGISTER_DEATH), skipped=["subject_status"]
    )
    assert _asked(step) == "abuse_or_neglect_types"
    assert step.question is not None
    values = [o.value for o in step.question.options]
    assert values == [*BASE_FACTS["abuse_or_neglect_types"].values, (), "unknown"]
    assert step.question.options[-1].label == "Not known yet"
    assert all(o.disabled is None for o in step.question.options)


def test_none_of_the_kinds_is_disabled_once_sexual_abuse_is_known() -> None:
    case = case_on("2014-01-10", "wales", **WALES_REGISTER_DEATH, sexual_abuse=True)
    step = next_question(case, skipped=["subject_status"])
    assert _asked(step) == "abuse_or_neglect_types"
    assert step.question is not None
    options = {o.value: o for o in step.question.options}
    assert options[()].disabled is not None
    assert "sexual_abuse" in options[()].disabled
    assert options["physical"].disabled is None


def test_a_fact_no_answer_can_change_is_never_asked() -> None:
    """A recorded-only fact (agency involvement) or a factor to weigh never changes the
    outcome, so it is never the question, however many facts are open."""
    case = case_on("2020-01-10")
    seen = set()
    skipped: list[str] = []
    for _ in range(len(BASE_FACTS)):
        step = next_question(case, skipped=skipped)
        if step.done:
            break
        seen.add(_asked(step))
        skipped.append(_asked(step))
    assert "agency_involvement" not in seen
    assert "lcspr_improvements_needed" not in seen
    assert "child_recovered" not in seen


def test_every_candidate_answered_not_known_ends_undetermined_with_what_is_needed() -> None:
    case = load_case(CASES_DIR / "death-factor-unknown-2008.yaml")
    skipped: list[str] = []
    for _ in range(len(BASE_FACTS)):
        step = next_question(case, skipped=skipped)
        if step.done:
            break
        skipped.append(_asked(step))
    assert step.done
    assert "abuse_or_neglect_factor_in_death" in skipped
    assert step.done_reason == "not_known"
    assert step.decision.outcome == "undetermined"
    assert "abuse_or_neglect_factor_in_death" in step.decision.missing_facts


def test_unresolved_law_with_nothing_left_to_ask_is_done_undetermined() -> None:
    """The 2010 custody trigger is unverified law: no fact can settle it (regimes.md 0.5)."""
    case = load_case(CASES_DIR / "custody-death-unresolved-2011.yaml")
    step = next_question(case, skipped=["subject_status"])
    assert step.done
    assert step.done_reason == "nothing_to_ask"
    assert step.decision.outcome == "undetermined"


def test_an_unknown_area_switch_date_is_asked_when_it_picks_the_regime() -> None:
    """2018-2019: an area moved to the 2018 regime on its own date (regimes.md 0.4)."""
    case = load_case(CASES_DIR / "transition-area-switch-date-unknown.yaml")
    step = next_question(case, skipped=["subject_status"])
    assert _asked(step) == "area_new_arrangements_start_date"
    assert step.question is not None
    assert step.question.kind == "date"
    assert [o.value for o in step.question.options] == ["unknown"]


def test_the_step_document_has_exactly_the_public_shape() -> None:
    for path in ("death-factor-unknown-2008.yaml", "death-neglect-factor-2008.yaml"):
        case = load_case(CASES_DIR / path)
        for skipped in ([], ["subject_status"]):
            document = next_question(case, skipped=skipped).as_document()
            jsonschema.validate(document, STEP_SCHEMA)
            assert json.loads(json.dumps(document)) == document


def test_next_question_is_pure_and_deterministic() -> None:
    case = load_case(CASES_DIR / "e2013-harm-concern-unknown-presumed.yaml")
    before = case.model_dump()
    first = next_question(case, skipped=["subject_status"])
    second = next_question(case, skipped=["subject_status"])
    assert first == second
    assert case.model_dump() == before


def test_an_unknown_fact_to_skip_is_refused_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match=r"child_dead.*did you mean 'child_died'"):
        next_question(case_on(WT2006_DAY), skipped=["child_dead"])


def test_settings_and_the_regime_reach_the_decision() -> None:
    """--set eng2010_custody_trigger=true settles the unverified 2010 custody law."""
    case = load_case(CASES_DIR / "custody-death-unresolved-2011.yaml")
    step = next_question(
        case, skipped=["subject_status"], settings={"eng2010_custody_trigger": True}
    )
    assert step.done
    assert step.decision.outcome == "mandatory"
    forced = next_question(case_on(None), regime="england-2015", skipped=["subject_status"])
    assert forced.decision.regime == "england-2015"


def test_a_wt2015_case_asks_for_definitive_evidence_after_no_concern() -> None:
    """WT 2015 ch. 4: only definitive evidence of no concern rebuts the presumption."""
    case = case_on(
        WT2015_DAY,
        child_age_at_incident=3,
        child_died=False,
        abuse_or_neglect="known",
        child_seriously_harmed=True,
        interagency_concern="absent",
    )
    step = next_question(case, skipped=["subject_status"])
    assert _asked(step) == "absence_evidence"
    assert step.question is not None
    assert step.question.why[0].could_lead_to == "not_required"
    rebutted = _with(case, absence_evidence="definitive")
    assert next_question(rebutted, skipped=["subject_status"]).decision.outcome == "not_required"
