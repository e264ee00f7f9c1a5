"""The parts of a decision beside its outcome: review type, duties, advice and warnings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from scr_rules.case import Case, FactValue, asked_facts
from scr_rules.decide import _readings as readings
from scr_rules.decide import _reasons as reasons
from scr_rules.decide._decision import Duty, UnresolvedLaw
from scr_rules.decide._parts import Part
from scr_rules.law import (
    Regime,
    Rule,
)
from scr_rules.vocabulary import ReviewType

if TYPE_CHECKING:  # the context and plan are built by modules that import this one
    from scr_rules.decide._plan import Plan
    from scr_rules.decide._triage import _Context


def _review_type(
    strongest: Sequence[Rule],
    unknown: Sequence[Rule],
    known: Mapping[str, FactValue],
    outcome: str,
) -> tuple[ReviewType | None, tuple[str, ...]]:
    """Return the review type, or the facts that decide it while only the type is open.

    Wales: concise and extended reviews are complements once the event and abuse or
    neglect are established (regimes.md 9.2), so a review is required even while the
    register and looked-after facts that choose its type are unknown.
    """
    types = {rule.spec.review_type for rule in strongest} - {None}
    if len(types) == 1:
        return types.pop(), ()
    if outcome != "mandatory" or not strongest:
        return None, ()
    typed = [rule for rule in unknown if rule.spec.review_type is not None]
    waits = [
        base for rule in typed for name in reasons.waits(rule, known) for base in asked_facts(name)
    ]
    return None, tuple(dict.fromkeys(waits))


def _duties(ctx: _Context, plan: Plan, outcome: str) -> tuple[Part[Duty], ...]:
    duties: list[Part[Duty]] = []
    for rule in plan.duties:
        spec = rule.spec.duty
        truth = ctx.truths[rule.id]
        if spec is None or truth is False:
            continue
        if spec.when_outcome is not None and outcome not in spec.when_outcome:
            continue
        duties.append(
            reasons.duty(
                rule, truth, ctx.case, ctx.decision_day, ctx.known, ctx.today, plan.regime.id
            )
        )
    return tuple(sorted(duties, key=_due_order))


def _due_order(duty: Part[Duty]) -> tuple[date, str]:
    given = duty.given()
    return given["due"] or date.max, given["rule_id"]


def _duty_notes(case: Case, outcome: str) -> tuple[str, ...]:
    if case.jurisdiction == "wales" and outcome != "not_required":
        return (
            "Welsh timescales for child practice reviews are not encoded: no source read "
            "states them (regimes.md 14, unverified); follow the Board's own procedures.",
        )
    return ()


def _advice(outcome: str, regime: Regime, unresolved: tuple[UnresolvedLaw, ...]) -> tuple[str, ...]:
    if outcome == "not_required":
        return (regime.not_required_advice,)
    law = tuple(readings.unresolved_text(entry) for entry in unresolved)
    if outcome == "undetermined" and law:
        return (
            *law,
            "Do not record 'not required' while the law is unresolved: take legal advice, "
            "record the board's reading, and decide with --set.",
        )
    if outcome == "undetermined":
        return (
            "Establish the missing facts before deciding: until they are known a review "
            "may be required, so do not record 'not required'.",
        )
    if outcome == "discretionary":
        return (
            f"The decision rests with {regime.decider}; weigh the factors listed and record "
            "the decision taken and its reasons beside this assessment.",
        )
    return ()


def _warnings(case: Case, day: date | None, statutory_dhr_start: date) -> tuple[str, ...]:
    warnings: list[str] = []
    if case.facts.dhr_initiated == "statutory" and day is not None and day < statutory_dhr_start:
        warnings.append(
            "dhr_initiated is 'statutory', but statutory domestic homicide reviews began on "
            f"{statutory_dhr_start.isoformat()}; before then only a non-statutory homicide "
            "review was possible"
        )
    if case.facts.subject_status in ("unborn", "stillborn"):
        warnings.append(
            f"subject_status is {case.facts.subject_status!r}: no serious case review or "
            "practice review text covers an unborn child or a stillbirth, and sources "
            "disagree (regimes.md 13.6); route the case to pre-birth and maternal-harm "
            "processes, and consider notification"
        )
    if case.facts.child_recovered is True:
        warnings.append(
            "child_recovered is true: recovery does not mean serious harm did not occur "
            "(WT 2015 onwards); judge child_seriously_harmed on the harm itself"
        )
    return tuple(warnings)
