"""Build the parts of a decision that explain it: reasons, why-nots, questions, duties."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

from scr_rules.case import UNKNOWN, Case, FactValue, asked_facts, source_facts
from scr_rules.decide._decision import (
    STRENGTH,
    Disabled,
    Duty,
    DutyStatus,
    Factor,
    FailedTest,
    NotMet,
    Question,
    Reason,
)
from scr_rules.decide._duties import describe, due_date
from scr_rules.decide._memo import by_condition_facts, by_rule_facts, cached
from scr_rules.law import Rule, SettingValue, Truth, failures, presumed, waiting_on
from scr_rules.vocabulary import value_text


def shown_facts(rule: Rule, known: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """Return every fact the rule reads (and the base facts behind derived ones)."""
    shown: dict[str, FactValue] = {}
    for name in rule.facts():
        for base in (*source_facts(name), name):
            shown.setdefault(base, known.get(base, UNKNOWN))
    return shown


@by_rule_facts  # a pure function of the rule and the values it reads
def reason(
    rule: Rule, status: Literal["met", "unknown"], known: Mapping[str, FactValue], outcome: str
) -> Reason:
    """Explain a met (or still possible) criterion."""
    spec = rule.spec
    waits = [base for name in waiting_on(rule.condition, known) for base in asked_facts(name)]
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
        facts=shown_facts(rule, known),
        waiting_on=tuple(dict.fromkeys(waits)),
        notes=spec.notes,
        presumed=tuple(presumed(rule.condition, known)),
        review_type=spec.review_type,
    )


@by_rule_facts  # the failed tests, and the facts a derived one came from
def not_met(rule: Rule, known: Mapping[str, FactValue], outcome: str) -> NotMet:
    """Explain why a criterion cannot apply: each failed condition with its value."""
    spec = rule.spec
    return NotMet(
        rule_id=rule.id,
        title=spec.title,
        outcome=outcome,  # type: ignore[arg-type]
        citation=spec.citation.short(),
        evidence=spec.citation.evidence,
        failed=tuple(
            FailedTest(
                fact=f.fact,
                value=f.value,
                expected=f.expected,
                because={
                    base: known[base]
                    for base in source_facts(f.fact)
                    if base != f.fact and base in known
                },
            )
            for f in failures(rule.condition, known)
        ),
    )


def disabled(rule: Rule, values: Mapping[str, SettingValue]) -> Disabled:
    """Say that a switched-off rule was not evaluated, and how to evaluate it."""
    switch = rule.spec.enabled_when
    assert switch is not None  # noqa: S101 - only switched rules are disabled
    return _disabled(rule, values[switch.setting])


@cached  # the rule and its switch's value are all it reads
def _disabled(rule: Rule, value: SettingValue) -> Disabled:
    spec = rule.spec
    switch = spec.enabled_when
    assert switch is not None  # noqa: S101 - only switched rules are disabled
    current, wanted = value_text(value), value_text(switch.equals)
    return Disabled(
        rule_id=rule.id,
        title=spec.title,
        outcome=spec.outcome or "discretionary",
        evidence=spec.citation.evidence,
        setting=switch.setting,
        why=f"off while setting {switch.setting} is {current} ({spec.citation.evidence} "
        f"evidence); evaluate it with --set {switch.setting}={wanted}",
    )


def missing(
    open_rules: list[Rule], known: Mapping[str, FactValue], outcome_of: Mapping[str, str]
) -> tuple[list[str], list[Question]]:
    """Return the unknown facts that could still change the outcome, and what each leads to."""
    leads: dict[str, tuple[str, list[str]]] = {}
    for rule in sorted(open_rules, key=lambda r: -STRENGTH[outcome_of[r.id]]):
        for name in _waits(rule, known):
            for base in asked_facts(name):
                _, ids = leads.setdefault(base, (outcome_of[rule.id], []))
                ids.append(rule.id)
    questions = [
        Question(fact=name, could_lead_to=outcome, rules=tuple(ids))  # type: ignore[arg-type]
        for name, (outcome, ids) in leads.items()
    ]
    return list(leads), questions


@by_condition_facts
def _waits(rule: Rule, known: Mapping[str, FactValue]) -> tuple[str, ...]:
    return tuple(waiting_on(rule.condition, known))


@cached
def factor(rule: Rule, truth: Truth) -> Factor:
    """Report a matter to weigh, met or not or unknown."""
    status = "unknown" if truth is None else ("met" if truth else "not_met")
    return Factor(
        rule_id=rule.id,
        title=rule.spec.title,
        status=status,  # type: ignore[arg-type]
        citation=rule.spec.citation.short(),
        evidence=rule.spec.citation.evidence,
    )


def duty(
    rule: Rule,
    truth: Truth,
    case: Case,
    decision_day: date | None,
    known: Mapping[str, FactValue],
    today: date | None,
) -> Duty:
    """Turn a met (or possible) duty rule into a dated step, with its status (regimes.md 14)."""
    spec = rule.spec.duty
    assert spec is not None  # noqa: S101 - only duty rules come here
    start = None
    if spec.due is not None:
        start = decision_day if spec.due.from_ == "decision_date" else getattr(case, spec.due.from_)
    done_on = case.duties_done.get(spec.name)
    if done_on is None and spec.done_by == "decision_date":
        done_on = case.decision_date  # the decision taken is the decision duty done
    return _duty(rule, truth, start, case.jurisdiction, known, today, done_on)


@by_condition_facts  # the case counts only by its start date, jurisdiction and done date
def _duty(
    rule: Rule,
    truth: Truth,
    start: date | None,
    jurisdiction: str,
    known: Mapping[str, FactValue],
    today: date | None,
    done_on: date | None,
) -> Duty:
    spec = rule.spec.duty
    assert spec is not None  # noqa: S101 - only duty rules come here
    due, rule_text = None, None
    if spec.due is not None:
        rule_text = describe(spec.due.within, spec.due.unit, spec.due.from_)
        if start is not None:
            due = due_date(start, spec.due.within, spec.due.unit, jurisdiction)
    return Duty(
        rule_id=rule.id,
        duty=spec.name,
        action=spec.action,
        who=spec.who,
        due=due,
        due_rule=rule_text,
        basis=rule.spec.citation.short(),
        evidence=rule.spec.citation.evidence,
        status=duty_status(truth, due, today, done_on, has_deadline=spec.due is not None),
        waiting_on=tuple(
            dict.fromkeys(
                b
                for n in ([] if truth is not None else waiting_on(rule.condition, known))
                for b in asked_facts(n)
            )
        ),
        done_on=done_on,
    )


def duty_status(
    truth: Truth, due: date | None, today: date | None, done_on: date | None, *, has_deadline: bool
) -> DutyStatus:
    """Say where a duty stands: done, due, overdue, possible, possibly overdue, date unknown."""
    if done_on is not None:
        return "done_late" if due is not None and done_on > due else "done"
    late = due is not None and today is not None and today > due
    if truth is None:
        return "possible_overdue" if late else "possible"
    if due is None and has_deadline:
        return "date_unknown"
    return "overdue" if late else "due"


waits = _waits  # the facts a rule's condition waits on (memoised)
