"""Which rules the text shows by default: those that can change the outcome (render/_relevance).

Every other rule waits behind --detail, and nothing that matters for safety is ever hidden:
missing facts, unresolved law, other readings, duties, the regimes the dates allow, advice,
warnings, and every rule that could still raise the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from scr_rules.case import BASE_FACTS, Case, contradictions, load_case
from scr_rules.decide import STRENGTH, Decision, triage
from scr_rules.law import parse_assignments
from scr_rules.render import UNWRAPPED, relevant, render_text
from scr_rules.testing import random_cases
from tests._shared import BOOK, CASE_FILES, CASES_DIR


def golden(name: str) -> Decision:
    """Decide a golden case under the settings its expect block names."""
    path = CASES_DIR / f"{name}.yaml"
    return _decide_file(path)


def _decide_file(path: Path) -> Decision:
    expect = yaml.safe_load(path.read_text())["expect"]
    settings = [f"{k}={str(v).lower()}" for k, v in expect.get("settings", {}).items()]
    return triage(load_case(str(path)), rulebook=BOOK, settings=parse_assignments(settings))


def every_decision() -> Iterator[Decision]:
    """Every golden case, then 300 generated ones (England and Wales, every regime)."""
    for path in CASE_FILES:
        yield _decide_file(path)
    for case in random_cases(300, seed=12):
        yield triage(case, rulebook=BOOK, evaluator="reference")


DECISIONS = list(every_decision())


def unwrapped(decision: Decision, *, detail: bool = False) -> str:
    console = Console(width=UNWRAPPED, highlight=False, no_color=True)
    return render_text(decision, console, detail=detail)


def weakest(decision: Decision) -> int:
    return min(STRENGTH[o] for o in decision.possible_outcomes)


# --- the simplest mandatory case ----------------------------------------------------------


def test_a_death_with_neglect_known_shows_only_the_rule_that_requires_the_review() -> None:
    """
    WT 2006 ch. 8: a child's death with neglect known to be a factor requires a review; no
    other limb can make it more than mandatory, so the six undecided rules and the switched-off
    regulation layer cannot change it and wait behind --detail.
    """
    decision = golden("death-neglect-factor-2008")
    shown = relevant(decision)

    assert [r.rule_id for r in shown.met] == ["england.wt-2006.ch8-child-death"]
    assert shown.unknown == ()
    assert shown.disabled == ()
    assert (shown.hidden_unknown, shown.hidden_disabled, shown.hidden) == (6, 1, 7)
    text = unwrapped(decision)
    assert "UNKNOWN " not in text
    assert "Switched off" not in text
    assert "Not shown: 7 rules that cannot change this outcome" in text
    assert "--detail lists them" in text


def test_detail_lists_every_rule() -> None:
    decision = golden("death-neglect-factor-2008")
    everything = relevant(decision, detail=True)

    assert everything.hidden == 0
    text = unwrapped(decision, detail=True)
    for reason in decision.reasons:
        assert reason.rule_id in text
    for rule_id in [n.rule_id for n in decision.not_met] + [d.rule_id for d in decision.disabled]:
        assert rule_id in text
    assert "Not shown" not in text


def test_a_met_rule_weaker_than_the_outcome_is_hidden() -> None:
    """
    Reg. 5(2)(b)(ii) read as mandatory (eng2010_harm_limb=mandatory) decides the case; the
    discretionary WT 2010 limb met beside it cannot change a mandatory outcome.
    """
    decision = golden("serious-harm-harm-limb-mandatory-2012")
    shown = relevant(decision)

    assert decision.outcome == "mandatory"
    assert [r.rule_id for r in shown.met] == ["england.lscb-regs-2010.reg-5-2-b-ii-serious-harm"]
    assert shown.hidden_met == 1


# --- what always shows ----------------------------------------------------------------------


def test_undecided_rules_that_could_require_a_review_are_shown() -> None:
    """WT 2006 ch. 8: while the death's factor is unknown, the death rules may still apply."""
    decision = golden("death-factor-unknown-2008")
    shown = relevant(decision)

    assert decision.outcome == "undetermined"
    assert {r.rule_id for r in shown.unknown} == {
        "england.wt-2006.ch8-child-death",
        "england.wt-2006.ch8-death-in-custody",
    }


def test_a_near_miss_names_the_one_fact_in_the_way() -> None:
    """
    An adult at the incident: every WT 2006 criterion needs a child, so each fails on that one
    fact; the officer sees the age that decided it, and can correct it if it is wrong.
    """
    decision = golden("adult-at-incident-2009")
    shown = relevant(decision)

    assert decision.outcome == "not_required"
    assert len(shown.not_met) == len(decision.not_met) == 7
    assert all(n.failed[0].fact == "is_child" for n in shown.not_met)


def test_rules_not_met_on_several_known_facts_are_hidden() -> None:
    decision = golden("harm-no-concern-2011")
    shown = relevant(decision)

    assert all(len(n.failed) == 1 for n in shown.not_met)
    assert shown.hidden_not_met == sum(1 for n in decision.not_met if len(n.failed) > 1) > 0


def test_rules_that_decide_the_welsh_review_type_are_shown() -> None:
    """
    LSCB (Wales) Regulations 2012 regs 4A and 4B: a review is required; whether the child was on
    the register or looked after decides concise or extended, so those rules stay in view.
    """
    decision = golden("w2012-register-status-unknown-physical-abuse")
    shown = relevant(decision)

    assert decision.outcome == "mandatory"
    assert decision.review_type_waiting_on
    assert {r.review_type for r in shown.unknown} == {"concise", "extended"}


def test_a_switch_whose_other_value_changes_the_outcome_is_shown() -> None:
    """WT 2015 ch. 4: the 'clear evidence' rebuttal rule is off by default, yet decides here."""
    decision = golden("boundary-first-day-of-2015-regime")
    shown = relevant(decision)

    assert [o.setting for o in decision.other_readings] == ["eng2015_rebuttal"]
    assert [d.setting for d in shown.disabled] == ["eng2015_rebuttal"]


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d.case_ref)
def test_nothing_that_matters_for_safety_is_hidden(decision: Decision) -> None:
    text = unwrapped(decision)
    shown = relevant(decision)
    shown_ids = {r.rule_id for r in (*shown.met, *shown.unknown)}
    shown_ids |= {n.rule_id for n in shown.not_met} | {d.rule_id for d in shown.disabled}
    for fact in decision.missing_facts:
        assert fact in text
    for question in decision.questions:
        assert set(question.rules) <= shown_ids
    for law in decision.unresolved_law:
        assert law.setting in text
        assert set(law.rule_ids) & {r.rule_id for r in decision.reasons} <= shown_ids
    for other in decision.other_readings:
        assert other.setting in text
    for duty in decision.duties:
        assert duty.action in text
        done = duty.done_on if duty.status in ("done", "done_late") else duty.due
        assert done is None or done.isoformat() in text
    for alternative in decision.alternatives:
        assert f"{alternative.regime} (from" in text
    for line in (*decision.advice, *decision.warnings, *decision.review_type_waiting_on):
        assert line in text
    floor = weakest(decision)
    for reason in decision.reasons:
        if reason.status == "unknown" and STRENGTH[reason.outcome] > floor:
            assert reason.rule_id in shown_ids, "a rule that could raise the outcome is hidden"
        if reason.status == "met" and STRENGTH[reason.outcome] >= floor:
            assert reason.rule_id in shown_ids, "a rule that decides the outcome is hidden"


@pytest.mark.parametrize("decision", DECISIONS, ids=lambda d: d.case_ref)
def test_the_text_counts_what_it_leaves_out(decision: Decision) -> None:
    shown = relevant(decision)
    text = unwrapped(decision)
    if shown.hidden:
        noun = "rule" if shown.hidden == 1 else "rules"
        assert f"Not shown: {shown.hidden} {noun} that cannot change this outcome" in text
    else:
        assert "Not shown: " not in text or shown.hidden_factors


# --- what is hidden really cannot change the outcome ---------------------------------------


def _answers(case: Case, fact: str) -> Iterator[Case]:
    """Yield the case with ``fact`` answered each way it can be, skipping contradictions."""
    domain = BASE_FACTS[fact]
    values: Any = (0, 17, 18) if domain.kind == "int" else domain.values
    if domain.kind == "set":
        values = [[v] for v in domain.values]
    for value in values:
        document = case.model_dump(mode="json", by_alias=True)
        document["facts"] = {**document["facts"], fact: value}
        changed = Case.model_validate(document)
        if not contradictions(changed):
            yield changed


GOLDEN_DECIDED = [path for path in CASE_FILES if _decide_file(path).outcome != "undetermined"]


@pytest.mark.parametrize("path", GOLDEN_DECIDED, ids=lambda p: p.stem)
def test_answering_a_hidden_rules_facts_never_makes_a_stronger_outcome_possible(
    path: Path,
) -> None:
    """A hidden undecided rule is no stronger than the outcome: no answer to its facts raises it."""
    decision = _decide_file(path)
    expect = yaml.safe_load(path.read_text())["expect"]
    settings = parse_assignments(
        [f"{k}={str(v).lower()}" for k, v in expect.get("settings", {}).items()]
    )
    shown = {r.rule_id for r in relevant(decision).unknown}
    hidden = [r for r in decision.reasons if r.status == "unknown" and r.rule_id not in shown]
    facts = sorted({f for r in hidden for f in r.waiting_on if f in BASE_FACTS})
    for fact in facts:
        for changed in _answers(load_case(str(path)), fact):
            after = triage(changed, rulebook=BOOK, settings=settings, evaluator="reference")
            strongest = max(STRENGTH[o] for o in after.possible_outcomes)
            assert strongest <= STRENGTH[decision.outcome], (fact, after.possible_outcomes)


def test_a_near_miss_is_ruled_out_by_one_known_fact_alone() -> None:
    """
    WT 2006 ch. 8: the child died and concern about joint working is recorded as absent; that
    answer alone rules out each discretionary limb shown, so answering 'present' reopens them.
    """
    path = CASES_DIR / "death-factor-unknown-2008.yaml"
    near = [n.rule_id for n in relevant(_decide_file(path)).not_met]
    assert near
    [present] = [
        c
        for c in _answers(load_case(str(path)), "interagency_concern")
        if c.facts.interagency_concern == "present"
    ]

    after = triage(present, rulebook=BOOK)

    still_ruled_out = {n.rule_id for n in after.not_met}
    assert not set(near) & still_ruled_out
