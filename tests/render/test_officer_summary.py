"""The summary an officer reads first: outcome, the deciding reason and its source, open law,
the next step by its date, and the facts still needed (render/_summary)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from scr_rules.case import load_case
from scr_rules.decide import Decision, triage
from scr_rules.law import parse_assignments
from scr_rules.render import UNWRAPPED, render_text
from tests._shared import BOOK, CASE_FILES, CASES_DIR, make_case


def decide(path: Path) -> Decision:
    expect = yaml.safe_load(path.read_text())["expect"]
    settings = [f"{k}={str(v).lower()}" for k, v in expect.get("settings", {}).items()]
    return triage(load_case(str(path)), rulebook=BOOK, settings=parse_assignments(settings))


def summary(decision: Decision, *, detail: bool = False) -> list[str]:
    """Return the lines before the first blank line, each logical line whole."""
    console = Console(width=UNWRAPPED, highlight=False, no_color=True)
    text = render_text(decision, console, detail=detail)
    return text.split("\n\n", 1)[0].splitlines()


def golden(name: str) -> list[str]:
    return summary(decide(CASES_DIR / f"{name}.yaml"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_decision_opens_with_three_to_six_lines(path: Path) -> None:
    decision = decide(path)
    lines = summary(decision)

    assert 3 <= len(lines) <= 6, lines
    assert lines[0].strip().startswith(decision.outcome.replace("_", " ").upper())
    where = f"case {decision.case_ref} | regime {decision.regime}"
    assert any(line.startswith(where) for line in lines)
    assert summary(decision, detail=True) == lines  # --detail adds rules below, not above


def test_a_mandatory_review_names_its_reason_source_and_next_deadline() -> None:
    """WT 2006 ch. 8: the LSCB should always conduct an SCR; WT 2006: complete it in 4 months."""
    lines = golden("death-neglect-factor-2008")

    assert lines[0] == " MANDATORY - a review must be held"
    assert lines[1] == "case EX-0001 | regime england-2006 | date 2008-05-20 (decision_date)"
    assert lines[2] == (
        "Why: A child has died and abuse or neglect is known or suspected to be a factor in the "
        "death. Source: Working Together to Safeguard Children (2006), chapter 8, serious case "
        "reviews (paragraph number unverified, believed 8.9) [secondary evidence]."
    )
    assert lines[3] == (
        "Next: Complete the serious case review (target: 4 months from the decision to proceed)"
        " - the LSCB, by 2008-09-20."
    )
    assert len(lines) == 4


def test_unverified_law_is_said_beside_the_headline() -> None:
    """WT 2006 gives no paragraph for deaths in custody: the reading is the board's to take."""
    lines = golden("custody-death-default-settings-2008")

    assert lines[0].strip().startswith("UNDETERMINED")
    assert lines[1].startswith("The law here is unverified (eng2006_custody_trigger, england-2006)")
    assert lines[3].startswith("So far: A child has died in custody")


def test_another_reading_that_changes_the_outcome_is_said_beside_the_headline() -> None:
    """Reg. 5(2)(b)(ii) 2010: before April 2013 the harm limb may be read as discretionary."""
    lines = golden("serious-harm-harm-limb-mandatory-2012")

    assert lines[1] == (
        "MANDATORY under the readings set; DISCRETIONARY with eng2010_harm_limb=discretionary"
    )


def test_an_undetermined_case_says_what_it_turns_on_and_what_is_still_needed() -> None:
    lines = golden("death-factor-unknown-2008")

    assert lines[2].startswith(
        "Open: A child has died and abuse or neglect is known or suspected to be a factor in the "
        "death, waiting on abuse_or_neglect_factor_in_death. Source: Working Together"
    )
    assert lines[3] == (
        "Still needed: abuse_or_neglect_factor_in_death, died_in, "
        "detained_under_mental_health_act (could lead to MANDATORY)."
    )


def test_many_missing_facts_are_counted_after_the_first_five() -> None:
    lines = golden("age-unknown-2009")
    [needed] = [line for line in lines if line.startswith("Still needed: ")]

    assert "and 6 more (below)" in needed
    assert needed.endswith("(could lead to MANDATORY).")


def test_no_review_required_names_the_nearest_rule_and_the_fact_against_it() -> None:
    """An adult at the incident: WT 2006 ch. 8 covers children only."""
    lines = golden("adult-at-incident-2009")

    assert lines[2].startswith(
        "Why: no review criterion applies; the nearest, england.wt-2006.ch8-child-death "
        "(mandatory), fails as is_child is false (from child_age_at_incident = 18); needs true. "
        "Source: Working Together"
    )


def test_the_welsh_review_type_is_in_the_headline() -> None:
    """LSCB (Wales) Regulations 2012 reg. 4B: a child on the register gets an extended review."""
    lines = golden("w2012-extended-review-physical-abuse")

    assert lines[0] == (
        " MANDATORY - a review must be held   review type: extended child practice review"
    )


def test_an_open_review_type_says_which_facts_decide_it() -> None:
    lines = golden("w2012-register-status-unknown-physical-abuse")

    assert lines[-1] == (
        "Still needed: for the review type (concise or extended), "
        "on_cp_register_within_6_months, looked_after_within_6_months."
    )


def test_an_overdue_step_comes_first_and_says_so() -> None:
    """WT 2006 ch. 8: the chair decides within one month of the notification."""
    facts = {
        "child_age_at_incident": 2,
        "child_died": True,
        "abuse_or_neglect": "known",
        "abuse_or_neglect_factor_in_death": "known",
    }
    case = make_case(notification_date="2008-05-05", facts=facts)
    decision = triage(case, rulebook=BOOK, today=date(2008, 7, 1))
    [next_step] = [line for line in summary(decision) if line.startswith("Next: ")]

    assert next_step.startswith("Next: Decide whether to hold a serious case review")
    assert "by 2008-06-05 OVERDUE" in next_step
