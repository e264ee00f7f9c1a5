"""Decide one case: choose the regime by date, evaluate its rules, combine the outcomes.

Combination: the strongest met outcome wins (mandatory > discretionary > not required);
firing order never matters. If a rule with a stronger outcome is still unknown, the
decision is ``undetermined``: a wrong "not required" is the costly error.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from importlib import metadata
from typing import Literal

from scr_rules.case import Case
from scr_rules.conditions import Truth, evaluate, failures, waiting_on
from scr_rules.decision import (
    STRENGTH,
    Decision,
    Disabled,
    FailedTest,
    NotMet,
    Outcome,
    Question,
    Reason,
)
from scr_rules.errors import RegimeError
from scr_rules.facts import UNKNOWN, FactValue, known_facts, source_facts
from scr_rules.memo import by_rule_facts
from scr_rules.rulebook import Regime, Rule, RuleBook, load_rulebook
from scr_rules.settings import SettingValue, resolve_settings

Evaluator = Literal["durable-rules", "reference"]
STATUTORY_DHR_START = date(2011, 4, 13)  # Domestic Violence, Crime and Victims Act 2004 s9
BOUNDARY_WARNING_DAYS = 31  # decisions normally follow notification within one month


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
) -> Decision:
    """Decide whether a Serious Case Review is required for ``case``.

    Args:
        case: the validated case.
        regime: force a regime id (e.g. ``england-2010``) instead of choosing by date.
        rulebook: the rules to use (default: the bundled rules, compiled once per process).
        settings: overrides for the switches in ``rules/settings.yaml``.
        decision_date: the date the decision is taken, overriding the case file's.
        evaluator: ``durable-rules`` (default) or the pure-Python ``reference`` evaluator.

    The result depends only on these arguments: the clock is never read, and no fact of
    one call is visible to another (also across threads).
    """
    book = rulebook or load_rulebook()
    values = resolve_settings(book, settings)
    chosen, day, source, reason = select_regime(case, book, regime, decision_date)
    rules = book.rules_for(chosen.id, day)
    known = known_facts(case.facts)
    if evaluator == "durable-rules":
        truths = book.engine().evaluate(known)
    else:
        truths = {rule.id: evaluate(rule.condition, known) for rule in book.rules}
    return _decide(case, chosen, day, source, reason, rules, truths, known, values, book, evaluator)


def select_regime(
    case: Case, book: RuleBook, regime: str | None, override: date | None
) -> tuple[Regime, date | None, str, str]:
    """Return (regime, date used, where the date came from, reason in words).

    The date that picks the law is the date the decision is taken (regimes.md 0.4);
    without one, the notification date, then the incident date, stand in for it.
    """
    candidates = [
        ("--decision-date", override),
        ("decision_date", case.decision_date),
        ("notification_date", case.notification_date),
        ("incident_date", case.incident_date),
    ]
    source, day = next(((name, value) for name, value in candidates if value), ("none", None))
    if regime is not None:
        try:
            chosen = book.regime(regime)
        except KeyError:
            known = ", ".join(r.id for r in book.regimes)
            raise RegimeError(f"unknown regime {regime!r}; expected one of {known}") from None
        why = f"regime {chosen.id} chosen explicitly (--regime)"
        if day is not None and not chosen.in_force.covers(day):
            why += f"; note {source} {day.isoformat()} lies outside it ({chosen.in_force.span()})"
        return chosen, day if day and chosen.in_force.covers(day) else None, "--regime", why
    if day is None:
        raise RegimeError(
            "the case has no date to choose the law by: give decision_date (or "
            "notification_date / incident_date) in the case file, --decision-date, or --regime"
        )
    for chosen in book.regimes:
        if chosen.in_force.covers(day):
            why = f"{source} {day.isoformat()} falls in {chosen.id} ({chosen.in_force.span()})"
            if source not in ("decision_date", "--decision-date"):
                why += "; no decision_date given, so the " + source + " stands in for it"
            return chosen, day, source, why
    spans = "; ".join(f"{r.id} {r.in_force.span()}" for r in book.regimes)
    raise RegimeError(
        f"{source} {day.isoformat()} falls outside every supported regime ({spans}); "
        "later regimes are not encoded yet, so no decision is given rather than a guess"
    )


def _decide(
    case: Case,
    regime: Regime,
    day: date | None,
    source: str,
    regime_reason: str,
    rules: tuple[Rule, ...],
    truths: Mapping[str, Truth],
    known: Mapping[str, FactValue],
    values: Mapping[str, SettingValue],
    book: RuleBook,
    evaluator: Evaluator,
) -> Decision:
    active = [rule for rule in rules if _enabled(rule, values)]
    outcome_of = {rule.id: _outcome(rule, values) for rule in active}
    met = [rule for rule in active if truths[rule.id] is True]
    unknown = [rule for rule in active if truths[rule.id] is None]
    best = max((outcome_of[r.id] for r in met), key=STRENGTH.__getitem__, default="not_required")
    open_rules = [r for r in unknown if STRENGTH[outcome_of[r.id]] > STRENGTH[best]]
    possible = sorted(
        {best, *(outcome_of[r.id] for r in open_rules)}, key=STRENGTH.__getitem__, reverse=True
    )
    outcome: Outcome = "undetermined" if open_rules else best  # type: ignore[assignment]
    strongest = [r for r in met if outcome_of[r.id] == best]
    missing, questions = _missing(open_rules, known, outcome_of)
    reasons = sorted(
        [_reason(r, "met", known, outcome_of[r.id]) for r in met]
        + [_reason(r, "unknown", known, outcome_of[r.id]) for r in unknown],
        key=lambda reason: (reason.status != "met", -STRENGTH[reason.outcome], reason.rule_id),
    )
    return Decision(
        case_ref=case.case_ref,
        outcome=outcome,
        possible_outcomes=tuple(possible),  # type: ignore[arg-type]
        force=strongest[0].spec.force if strongest and not open_rules else None,
        regime=regime.id,
        regime_title=regime.title,
        regime_reason=regime_reason,
        decision_date=day,
        date_source=source,
        reasons=tuple(reasons),
        not_met=tuple(
            _not_met(r, known, outcome_of[r.id]) for r in active if truths[r.id] is False
        ),
        disabled=tuple(_disabled(r, values) for r in rules if not _enabled(r, values)),
        missing_facts=tuple(missing),
        questions=tuple(questions),
        advice=_advice(outcome, regime),
        warnings=_warnings(case, book, regime, day, source),
        settings=dict(values),
        evaluator=evaluator,
        rulebook=book.digest,
        engine_version=engine_version(),
    )


def _enabled(rule: Rule, values: Mapping[str, SettingValue]) -> bool:
    switch = rule.spec.enabled_when
    return switch is None or values[switch.setting] == switch.equals


def _outcome(rule: Rule, values: Mapping[str, SettingValue]) -> str:
    if rule.spec.outcome_setting is None:
        return rule.spec.outcome
    return str(values[rule.spec.outcome_setting])


def _shown(rule: Rule, known: Mapping[str, FactValue]) -> dict[str, FactValue]:
    shown: dict[str, FactValue] = {}
    for name in rule.facts():
        for base in (*source_facts(name), name):
            shown.setdefault(base, known.get(base, UNKNOWN))
    return shown


@by_rule_facts  # a pure function of the rule and the values it reads
def _reason(
    rule: Rule, status: Literal["met", "unknown"], known: Mapping[str, FactValue], outcome: str
) -> Reason:
    spec = rule.spec
    waits = [base for name in waiting_on(rule.condition, known) for base in source_facts(name)]
    return Reason(
        rule_id=rule.id,
        title=spec.title,
        outcome=outcome,  # type: ignore[arg-type]
        force=spec.force,
        status=status,
        citation=spec.citation.short(),
        evidence=spec.citation.evidence,
        catalogue=spec.citation.catalogue,
        reason=spec.reason,
        facts=_shown(rule, known),
        waiting_on=tuple(dict.fromkeys(waits)),
        notes=spec.notes,
    )


@by_rule_facts
def _not_met(rule: Rule, known: Mapping[str, FactValue], outcome: str) -> NotMet:
    spec = rule.spec
    return NotMet(
        rule_id=rule.id,
        title=spec.title,
        outcome=outcome,  # type: ignore[arg-type]
        citation=spec.citation.short(),
        evidence=spec.citation.evidence,
        failed=tuple(
            FailedTest(fact=f.fact, value=f.value, expected=f.expected)
            for f in failures(rule.condition, known)
        ),
    )


def _disabled(rule: Rule, values: Mapping[str, SettingValue]) -> Disabled:
    spec = rule.spec
    switch = spec.enabled_when
    assert switch is not None  # noqa: S101 - only switched rules are disabled
    current, wanted = _show(values[switch.setting]), _show(switch.equals)
    return Disabled(
        rule_id=rule.id,
        title=spec.title,
        outcome=spec.outcome,
        evidence=spec.citation.evidence,
        setting=switch.setting,
        why=f"off while setting {switch.setting} is {current} ({spec.citation.evidence} "
        f"evidence); evaluate it with --set {switch.setting}={wanted}",
    )


def _show(value: SettingValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _missing(
    open_rules: list[Rule], known: Mapping[str, FactValue], outcome_of: Mapping[str, str]
) -> tuple[list[str], list[Question]]:
    """Return the unknown facts that could still change the outcome, and what each leads to."""
    leads: dict[str, tuple[str, list[str]]] = {}
    for rule in sorted(open_rules, key=lambda r: -STRENGTH[outcome_of[r.id]]):
        for name in _waits(rule, known):
            for base in source_facts(name):
                _, ids = leads.setdefault(base, (outcome_of[rule.id], []))
                ids.append(rule.id)
    questions = [
        Question(fact=name, could_lead_to=outcome, rules=tuple(ids))  # type: ignore[arg-type]
        for name, (outcome, ids) in leads.items()
    ]
    return list(leads), questions


@by_rule_facts
def _waits(rule: Rule, known: Mapping[str, FactValue]) -> tuple[str, ...]:
    return tuple(waiting_on(rule.condition, known))


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
            "The decision rests with the LSCB chair; record the decision taken and its "
            "reasons beside this assessment.",
        )
    return ()


def _warnings(
    case: Case, book: RuleBook, regime: Regime, day: date | None, source: str
) -> tuple[str, ...]:
    warnings: list[str] = []
    if case.facts.dhr_initiated == "statutory" and day is not None and day < STATUTORY_DHR_START:
        warnings.append(
            "dhr_initiated is 'statutory', but statutory domestic homicide reviews began on "
            "2011-04-13; before then only a non-statutory homicide review was possible"
        )
    if day is not None and source not in ("decision_date", "--decision-date", "--regime"):
        window = day + timedelta(days=BOUNDARY_WARNING_DAYS)
        later = [r for r in book.regimes if day < r.in_force.from_ <= window]
        if later:
            warnings.append(
                f"no decision_date: the {source} {day.isoformat()} picked {regime.id}, but "
                f"{later[0].id} began on {later[0].in_force.from_.isoformat()}; a decision "
                f"taken from then on falls under it: give decision_date to be sure"
            )
    return tuple(warnings)
