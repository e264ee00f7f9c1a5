"""Decide one case: choose the regime by date, evaluate its rules, combine the outcomes.

Combination: the strongest met outcome wins (mandatory > discretionary > not required);
firing order never matters. If a rule with a stronger outcome is still unknown, the
decision is ``undetermined``: a wrong "not required" is the costly error. When the dates
leave several regimes possible, each is evaluated and the decision is undetermined unless
they all agree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from importlib import metadata

from scr_rules.case import Case, FactValue, known_facts
from scr_rules.decide import _readings as readings
from scr_rules.decide import _reasons as reasons
from scr_rules.decide._decision import STRENGTH, Alternative, Decision
from scr_rules.decide._notes import _advice, _duties, _duty_notes, _review_type, _warnings
from scr_rules.decide._regimes import Candidate, Selection, select_regimes
from scr_rules.engine import DEFAULT_EVALUATOR, EvaluatorName, evaluator_for
from scr_rules.law import (
    RuleBook,
    SettingValue,
    Truth,
    load_rulebook,
    resolve_settings,
)


@functools.cache
def engine_version() -> str:
    """Return the versions of scr-rules and durable-rules that make decisions."""

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "unknown"

    return f"scr-rules {version('scr-rules')}; durable-rules {version('durable-rules')}"


def triage(
    case: Case,
    regime: str | None = None,
    *,
    rulebook: RuleBook | None = None,
    settings: Mapping[str, SettingValue] | None = None,
    decision_date: date | None = None,
    evaluator: EvaluatorName = DEFAULT_EVALUATOR,
    today: date | None = None,
) -> Decision:
    """Decide whether a Serious Case Review (or the review that replaced it) is required.

    Args:
        case: the validated case.
        regime: force a regime id (e.g. ``england-2010``) instead of choosing by date.
        rulebook: the rules to use (default: the bundled rules, compiled once per process).
        settings: overrides for the switches in ``rules/settings.yaml``.
        decision_date: the date the decision is taken, overriding the case file's.
        evaluator: ``durable-rules`` (default) or the pure-Python ``reference`` evaluator.
        today: the date to check duties' deadlines against (none: no overdue flags).

    The result depends only on these arguments: the clock is never read, and no fact of
    one call is visible to another (also across threads).
    """
    book = rulebook or load_rulebook()
    values = resolve_settings(book, settings)
    selection = select_regimes(case, book, regime, decision_date, today)
    known = known_facts(case.facts, book.values.child_age_limit.value)
    regimes = {candidate.regime.id for candidate in selection.candidates}
    truths = evaluator_for(book, evaluator).evaluate(known, regimes)
    context = _Context(
        case, book, values, known, truths, evaluator, today, decision_date or case.decision_date
    )
    decisions = [_decide(context, selection, candidate) for candidate in selection.candidates]
    decided = decisions[0] if len(decisions) == 1 else _merge(decisions, selection)
    if regime is None and decision_date is None:
        return decided
    # what the caller asked for, so a replay can ask the same (audit)
    return decided.model_copy(
        update={"requested_regime": regime, "requested_decision_date": decision_date}
    )


class _Context:
    """What every candidate regime's evaluation shares."""

    def __init__(
        self,
        case: Case,
        book: RuleBook,
        values: Mapping[str, SettingValue],
        known: Mapping[str, FactValue],
        truths: Mapping[str, Truth],
        evaluator: EvaluatorName,
        today: date | None,
        decision_day: date | None,
    ) -> None:
        self.case, self.book, self.values, self.known = case, book, values, known
        self.truths, self.evaluator, self.today = truths, evaluator, today
        self.decision_day = decision_day
        self.declared = {setting.name: setting for setting in book.settings}
        self.overridden = tuple(
            name
            for name, value in values.items()
            if not readings.same_value(value, self.declared[name].default)
        )


def _decide(ctx: _Context, selection: Selection, candidate: Candidate) -> Decision:
    regime, truths, known, values = candidate.regime, ctx.truths, ctx.known, ctx.values
    rules = ctx.book.rules_for(regime.id, candidate.day)
    in_force = [rule for rule in rules if rule.spec.kind == "criterion"]
    settled = readings.settle(in_force, truths, values, ctx.declared, regime.id)
    outcome = settled.verdict.outcome
    active = [rule for rule in rules if readings.enabled(rule, values)]
    criteria = [rule for rule in active if rule.spec.kind == "criterion"]
    outcome_of = {rule.id: readings.outcome_of(rule, values) for rule in criteria}
    met = [rule for rule in criteria if truths[rule.id] is True]
    unknown = [rule for rule in criteria if truths[rule.id] is None]
    open_rules = list(settled.verdict.open_rules)
    strongest = [r for r in met if outcome_of[r.id] == outcome]
    missing, questions = reasons.missing(open_rules, known, outcome_of)
    explained = sorted(
        [reasons.reason(r, "met", known, outcome_of[r.id]) for r in met]
        + [reasons.reason(r, "unknown", known, outcome_of[r.id]) for r in unknown],
        key=lambda item: (item.status != "met", -STRENGTH[item.outcome], item.rule_id),
    )
    review_type, type_waits = _review_type(strongest, unknown, known, outcome)
    return Decision(
        case_ref=ctx.case.case_ref,
        outcome=outcome,  # type: ignore[arg-type]
        possible_outcomes=tuple(
            sorted(settled.verdict.possible, key=STRENGTH.__getitem__, reverse=True)  # type: ignore[arg-type]
        ),
        force=strongest[0].spec.force if strongest else None,
        regime=regime.id,
        regime_title=regime.title,
        regime_reason=selection.reason,
        decision_date=candidate.day,
        date_source=selection.source,
        reasons=tuple(explained),
        not_met=tuple(
            reasons.not_met(r, known, outcome_of[r.id]) for r in criteria if truths[r.id] is False
        ),
        disabled=tuple(
            reasons.disabled(r, values) for r in rules if not readings.enabled(r, values)
        ),
        missing_facts=tuple(missing),
        questions=tuple(questions),
        advice=_advice(outcome, regime, settled.unresolved_law),
        warnings=_warnings(ctx.case, candidate.day, ctx.book.values.statutory_dhr_start.value),
        settings=dict(values),
        settings_overridden=ctx.overridden,
        evaluator=ctx.evaluator,
        rulebook=ctx.book.digest,
        engine_version=engine_version(),
        jurisdiction=ctx.case.jurisdiction,
        review_type=review_type,
        review_type_waiting_on=type_waits,
        duties=_duties(ctx, active, outcome, regime.id),
        duty_notes=_duty_notes(ctx.case, outcome),
        factors=tuple(
            reasons.factor(r, truths[r.id])
            for r in active
            if r.spec.kind == "factor" and outcome != "not_required"
        ),
        today=ctx.today,
        unresolved_law=settled.unresolved_law,
        other_readings=readings.other_readings(
            in_force, truths, values, ctx.declared, regime.id, outcome
        ),
    )


def _merge(decisions: list[Decision], selection: Selection) -> Decision:
    """Combine the candidates' decisions: a shared outcome stands, otherwise undetermined."""
    outcomes = {d.outcome for d in decisions}
    alternatives = tuple(
        Alternative(
            regime=d.regime,
            decision_date=d.decision_date,
            outcome=d.outcome,
            possible_outcomes=d.possible_outcomes,
            met_rules=tuple(d.met_rules()),
        )
        for d in decisions
    )
    first = decisions[0]
    shared = {
        "alternatives": alternatives,
        "unresolved_law": tuple(
            {(u.setting, u.regime): u for d in decisions for u in d.unresolved_law}.values()
        ),
        "other_readings": tuple(dict.fromkeys(o for d in decisions for o in d.other_readings)),
        # while the regimes differ, each one's duties are shown, labelled with it (14)
        "duties": tuple(dict.fromkeys(duty for d in decisions for duty in d.duties)),
    }
    if len(outcomes) == 1 and first.outcome != "undetermined":
        return first.model_copy(update=shared)
    possible = {o for d in decisions for o in d.possible_outcomes}
    missing = [selection.undecided_by or "decision_date"]
    missing += [f for d in decisions for f in d.missing_facts if f not in missing]
    return first.model_copy(
        update={
            **shared,
            "outcome": "undetermined",
            "possible_outcomes": tuple(sorted(possible, key=STRENGTH.__getitem__, reverse=True)),
            "force": None,
            "missing_facts": tuple(dict.fromkeys(missing)),
            "advice": (
                "The regimes the dates allow decide differently: give "
                f"{missing[0]} to settle which law applies.",
                *first.advice,
            ),
        }
    )


def select_regime(
    case: Case, book: RuleBook, regime: str | None = None, override: date | None = None
) -> Selection:
    """Return the regime selection for a case (see ``scr_rules.regimes``)."""
    return select_regimes(case, book, regime, override)
