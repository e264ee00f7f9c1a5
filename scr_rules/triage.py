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
from typing import Literal

from scr_rules import reasons
from scr_rules.case import Case
from scr_rules.conditions import Truth, evaluate
from scr_rules.decision import STRENGTH, Alternative, Decision, Duty, Outcome
from scr_rules.facts import FactValue, known_facts
from scr_rules.regimes import Candidate, Selection, select_regimes
from scr_rules.rulebook import Regime, Rule, RuleBook, load_rulebook
from scr_rules.settings import SettingValue, resolve_settings

Evaluator = Literal["durable-rules", "reference"]
STATUTORY_DHR_START = date(2011, 4, 13)  # Domestic Violence, Crime and Victims Act 2004 s9


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
    evaluator: Evaluator = "durable-rules",
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
    selection = select_regimes(case, book, regime, decision_date)
    known = known_facts(case.facts)
    regimes = {candidate.regime.id for candidate in selection.candidates}
    if evaluator == "durable-rules":
        truths = book.engine().evaluate(known, regimes)
    else:
        truths = {
            rule.id: evaluate(rule.condition, known)
            for rule in book.rules
            if rule.spec.regime in regimes
        }
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
        evaluator: Evaluator,
        today: date | None,
        decision_day: date | None,
    ) -> None:
        self.case, self.book, self.values, self.known = case, book, values, known
        self.truths, self.evaluator, self.today = truths, evaluator, today
        self.decision_day = decision_day


def _decide(ctx: _Context, selection: Selection, candidate: Candidate) -> Decision:
    regime, truths, known = candidate.regime, ctx.truths, ctx.known
    rules = ctx.book.rules_for(regime.id, candidate.day)
    active = [rule for rule in rules if _enabled(rule, ctx.values)]
    criteria = [rule for rule in active if rule.spec.kind == "criterion"]
    outcome_of = {rule.id: _outcome(rule, ctx.values) for rule in criteria}
    met = [rule for rule in criteria if truths[rule.id] is True]
    unknown = [rule for rule in criteria if truths[rule.id] is None]
    best = max((outcome_of[r.id] for r in met), key=STRENGTH.__getitem__, default="not_required")
    open_rules = [r for r in unknown if STRENGTH[outcome_of[r.id]] > STRENGTH[best]]
    possible = sorted(
        {best, *(outcome_of[r.id] for r in open_rules)}, key=STRENGTH.__getitem__, reverse=True
    )
    outcome: Outcome = "undetermined" if open_rules else best  # type: ignore[assignment]
    strongest = [r for r in met if outcome_of[r.id] == best]
    missing, questions = reasons.missing(open_rules, known, outcome_of)
    explained = sorted(
        [reasons.reason(r, "met", known, outcome_of[r.id]) for r in met]
        + [reasons.reason(r, "unknown", known, outcome_of[r.id]) for r in unknown],
        key=lambda item: (item.status != "met", -STRENGTH[item.outcome], item.rule_id),
    )
    return Decision(
        case_ref=ctx.case.case_ref,
        outcome=outcome,
        possible_outcomes=tuple(possible),  # type: ignore[arg-type]
        force=strongest[0].spec.force if strongest and not open_rules else None,
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
            reasons.disabled(r, ctx.values) for r in rules if not _enabled(r, ctx.values)
        ),
        missing_facts=tuple(missing),
        questions=tuple(questions),
        advice=_advice(outcome, regime),
        warnings=_warnings(ctx.case, candidate.day),
        settings=dict(ctx.values),
        evaluator=ctx.evaluator,
        rulebook=ctx.book.digest,
        engine_version=engine_version(),
        jurisdiction=ctx.case.jurisdiction,
        review_type=_review_type(strongest, open_rules),
        duties=_duties(ctx, active, outcome),
        factors=tuple(
            reasons.factor(r, truths[r.id])
            for r in active
            if r.spec.kind == "factor" and outcome != "not_required"
        ),
        today=ctx.today,
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
    if len(outcomes) == 1 and first.outcome != "undetermined":
        return first.model_copy(update={"alternatives": alternatives})
    possible = {o for d in decisions for o in d.possible_outcomes}
    missing = [selection.undecided_by or "decision_date"]
    missing += [f for d in decisions for f in d.missing_facts if f not in missing]
    return first.model_copy(
        update={
            "outcome": "undetermined",
            "possible_outcomes": tuple(sorted(possible, key=STRENGTH.__getitem__, reverse=True)),
            "force": None,
            "missing_facts": tuple(dict.fromkeys(missing)),
            "alternatives": alternatives,
            "advice": (
                "The regimes the dates allow decide differently: give "
                f"{missing[0]} to settle which law applies.",
                *first.advice,
            ),
        }
    )


def _enabled(rule: Rule, values: Mapping[str, SettingValue]) -> bool:
    switch = rule.spec.enabled_when
    return switch is None or values[switch.setting] == switch.equals


def _outcome(rule: Rule, values: Mapping[str, SettingValue]) -> str:
    if rule.spec.outcome_setting is None:
        return rule.spec.outcome or "discretionary"
    return str(values[rule.spec.outcome_setting])


def _review_type(
    strongest: list[Rule], open_rules: list[Rule]
) -> Literal["concise", "extended"] | None:
    types = {rule.spec.review_type for rule in strongest} - {None}
    if len(types) == 1 and not open_rules:
        return types.pop()  # type: ignore[return-value]
    return None


def _duties(ctx: _Context, active: list[Rule], outcome: str) -> tuple[Duty, ...]:
    duties: list[Duty] = []
    for rule in active:
        spec = rule.spec.duty
        truth = ctx.truths[rule.id]
        if rule.spec.kind != "duty" or spec is None or truth is False:
            continue
        if spec.when_outcome is not None and outcome not in spec.when_outcome:
            continue
        duties.append(reasons.duty(rule, truth, ctx.case, ctx.decision_day, ctx.known, ctx.today))
    return tuple(sorted(duties, key=lambda d: (d.due or date.max, d.rule_id)))


def _advice(outcome: str, regime: Regime) -> tuple[str, ...]:
    if outcome == "not_required":
        return (regime.not_required_advice,)
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


def _warnings(case: Case, day: date | None) -> tuple[str, ...]:
    warnings: list[str] = []
    if case.facts.dhr_initiated == "statutory" and day is not None and day < STATUTORY_DHR_START:
        warnings.append(
            "dhr_initiated is 'statutory', but statutory domestic homicide reviews began on "
            "2011-04-13; before then only a non-statutory homicide review was possible"
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


def select_regime(
    case: Case, book: RuleBook, regime: str | None = None, override: date | None = None
) -> Selection:
    """Return the regime selection for a case (see ``scr_rules.regimes``)."""
    return select_regimes(case, book, regime, override)
