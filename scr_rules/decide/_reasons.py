"""Build the parts of a decision that explain it: reasons, why-nots, questions, duties."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import orjson

from scr_rules.case import UNKNOWN, Case, FactValue, asked_facts, source_facts
from scr_rules.decide._decision import (
    Disabled,
    Duty,
    DutyStatus,
    Factor,
    FailedTest,
    NotMet,
    Question,
    Reason,
)
from scr_rules.decide._duties import Unit, describe, due_date
from scr_rules.decide._explain import Failure, explain
from scr_rules.decide._memo import (
    ENTRY_BYTES,
    cached,
    dependencies,
    recall,
    remember,
    tested_values,
)
from scr_rules.decide._parts import M, Part, complete, dumps
from scr_rules.law import Rule, SettingValue, Truth
from scr_rules.vocabulary import value_text


def shown_facts(rule: Rule, known: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """Return every fact the rule reads (and the base facts behind derived ones)."""
    return {name: known.get(name, UNKNOWN) for name in dependencies(rule)}


def reason(
    rule: Rule, status: Literal["met", "unknown"], known: Mapping[str, FactValue], outcome: str
) -> Part[Reason]:
    """Explain a met (or still possible) criterion.

    Everything but the facts shown is remembered by the values the condition tests; the
    facts (with the sources of derived ones) vary too much to be worth remembering, so
    the reason is put together around them for each case.
    """
    key = (reason, rule, status, outcome, tested_values(rule, known))
    shape: _ReasonShape | None = recall(key)
    if shape is None:
        shape = remember(key, _ReasonShape(rule, status, known, outcome))
    facts = shown_facts(rule, known)
    json = b"".join((shape.before, orjson.dumps(facts), shape.after))
    return Part(Reason, functools.partial(dict, shape.fields, facts=facts), json)


class _ReasonShape:
    """A reason's fields but its facts, and its JSON before and after them."""

    __slots__ = ("after", "before", "fields")

    def __init__(
        self, rule: Rule, status: str, known: Mapping[str, FactValue], outcome: str
    ) -> None:
        spec = rule.spec
        explained = explain(rule.condition, known)
        waits = [base for name in explained.waiting_on for base in asked_facts(name)]
        self.fields = {
            "rule_id": rule.id,
            "title": spec.title,
            "outcome": outcome,
            "force": spec.force,
            "status": status,
            "citation": spec.citation.short(),
            "evidence": spec.citation.evidence,
            "catalogue": spec.citation.catalogue,
            "reason": spec.reason,
            "waiting_on": tuple(dict.fromkeys(waits)),
            "notes": spec.notes,
            "presumed": explained.presumed,
            "review_type": spec.review_type,
        }
        self.before, self.after = _around(Reason, self.fields, "facts", {})


def _around(cls: type[M], fields: dict[str, Any], name: str, empty: Any) -> tuple[bytes, bytes]:
    """Return the model's JSON before and after the value of field ``name``."""
    marker = b'"' + name.encode() + b'":'
    blank = marker + dumps(empty)
    data = dumps(complete(cls, {**fields, name: empty}))
    before, found, after = data.partition(blank)  # a quote in text is escaped: one match
    if not found or blank in after:
        raise ValueError(f"{cls.__name__}: cannot find {name} in its JSON")
    return before + marker, after


def not_met(
    rule: Rule, known: Mapping[str, FactValue], outcome: str, sources: Sources
) -> Part[NotMet]:
    """Explain why a criterion cannot apply: each failed condition with its value.

    Remembered by the values the condition tests; a failed derived fact also shows the
    values it was derived from (``sources``, the case's), so a why-not with one is put
    together for each case around them.
    """
    key = (not_met, rule, outcome, tested_values(rule, known))
    shape: _NotMetShape | None = recall(key)
    if shape is None:
        shape = _NotMetShape(rule, explain(rule.condition, known).failures, outcome)
        remember(key, shape, shape.size)
    if shape.part is not None:
        return shape.part
    tests = [
        b"".join((before, sources.of(fields["fact"])[1], b"}")) if part is None else part.json
        for fields, before, part in shape.failed
    ]
    json = b"".join((shape.before, b",".join(tests), shape.after))
    return Part(NotMet, functools.partial(shape.given, sources), json)


class Sources:
    """The known facts behind each derived fact of one case, with their JSON (made once)."""

    __slots__ = ("_found", "known")

    def __init__(self, known: Mapping[str, FactValue]) -> None:
        self.known = known
        self._found: dict[str, tuple[dict[str, FactValue], bytes]] = {}

    def of(self, fact: str) -> tuple[dict[str, FactValue], bytes]:
        """Return the known facts ``fact`` is derived from, and their JSON."""
        found = self._found.get(fact)
        if found is None:
            known = self.known
            because = {b: known[b] for b in source_facts(fact) if b != fact and b in known}
            found = self._found[fact] = (because, orjson.dumps(because))
        return found


_FailedShape = tuple[dict[str, Any], bytes, Part[FailedTest] | None]


class _NotMetShape:
    """A why-not's fields but its failed tests, and each test that shows no derived fact."""

    __slots__ = ("after", "before", "failed", "fields", "part", "size")

    def __init__(self, rule: Rule, failures: tuple[Failure, ...], outcome: str) -> None:
        spec = rule.spec
        self.fields = {
            "rule_id": rule.id,
            "title": spec.title,
            "outcome": outcome,
            "citation": spec.citation.short(),
            "evidence": spec.citation.evidence,
        }
        self.failed: list[_FailedShape] = []
        for failure in failures:
            fields = {"fact": failure.fact, "value": failure.value, "expected": failure.expected}
            if any(b != failure.fact for b in source_facts(failure.fact)):
                before, _ = _around(FailedTest, fields, "because", {})
                self.failed.append((fields, before, None))
            else:
                self.failed.append((fields, b"", Part(FailedTest, {**fields, "because": {}})))
        self.before, after = _around(NotMet, self.fields, "failed", [])
        self.before += b"["
        self.after = b"]" + after
        self.part: Part[NotMet] | None = None
        self.size = ENTRY_BYTES + len(self.before) + len(self.after) + 600 * len(self.failed)
        if all(done is not None for _, _, done in self.failed):
            failed = tuple(done for _, _, done in self.failed)
            self.part = Part(NotMet, {**self.fields, "failed": failed})
            self.size += self.part.size

    def given(self, sources: Sources) -> dict[str, Any]:
        """Return the arguments of the why-not, with the facts behind its derived tests."""
        failed = tuple(
            part or Part(FailedTest, {**fields, "because": sources.of(fields["fact"])[0]})
            for fields, _, part in self.failed
        )
        return {**self.fields, "failed": failed}


def disabled(rule: Rule, values: Mapping[str, SettingValue]) -> Part[Disabled]:
    """Say that a switched-off rule was not evaluated, and how to evaluate it."""
    switch = rule.spec.enabled_when
    assert switch is not None  # noqa: S101 - only switched rules are disabled
    return _disabled(rule, values[switch.setting])


@cached  # the rule and its switch's value are all it reads
def _disabled(rule: Rule, value: SettingValue) -> Part[Disabled]:
    spec = rule.spec
    switch = spec.enabled_when
    assert switch is not None  # noqa: S101 - only switched rules are disabled
    current, wanted = value_text(value), value_text(switch.equals)
    return Part(
        Disabled,
        {
            "rule_id": rule.id,
            "title": spec.title,
            "outcome": spec.outcome or "discretionary",
            "evidence": spec.citation.evidence,
            "setting": switch.setting,
            "why": f"off while setting {switch.setting} is {current} ({spec.citation.evidence} "
            f"evidence); evaluate it with --set {switch.setting}={wanted}",
        },
    )


def missing(
    open_rules: Sequence[Rule], known: Mapping[str, FactValue], outcome_of: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[Part[Question], ...]]:
    """Return the unknown facts that could still change the outcome, and what each leads to.

    ``open_rules`` come strongest first (a stable sort by outcome).
    """
    leads: dict[str, tuple[str, list[str]]] = {}
    for rule in open_rules:
        for name in waits(rule, known):
            for base in asked_facts(name):
                _, ids = leads.setdefault(base, (outcome_of[rule.id], []))
                ids.append(rule.id)
    questions = tuple(_question(name, lead, tuple(ids)) for name, (lead, ids) in leads.items())
    return tuple(leads), questions


@cached
def _question(fact: str, outcome: str, rules: tuple[str, ...]) -> Part[Question]:
    return Part(Question, {"fact": fact, "could_lead_to": outcome, "rules": rules})


def waits(rule: Rule, known: Mapping[str, FactValue]) -> tuple[str, ...]:
    """Return the facts a rule's condition waits on (remembered by the values it tests)."""
    key = (waits, rule, tested_values(rule, known))
    found: tuple[str, ...] | None = recall(key)
    if found is None:
        found = remember(key, explain(rule.condition, known).waiting_on)
    return found


@cached
def factor(rule: Rule, truth: Truth) -> Part[Factor]:
    """Report a matter to weigh, met or not or unknown."""
    status = "unknown" if truth is None else ("met" if truth else "not_met")
    return Part(
        Factor,
        {
            "rule_id": rule.id,
            "title": rule.spec.title,
            "status": status,
            "citation": rule.spec.citation.short(),
            "evidence": rule.spec.citation.evidence,
        },
    )


def duty(
    rule: Rule,
    truth: Truth,
    case: Case,
    decision_day: date | None,
    known: Mapping[str, FactValue],
    today: date | None,
    regime: str,
) -> Part[Duty]:
    """Turn a met (or possible) duty rule into a dated step, with its status (regimes.md 14)."""
    spec = rule.spec.duty
    assert spec is not None  # noqa: S101 - only duty rules come here
    start = None
    if spec.due is not None:
        start = decision_day if spec.due.from_ == "decision_date" else getattr(case, spec.due.from_)
    done_on = case.duties_done.get(spec.name)
    if done_on is None and spec.done_by == "decision_date":
        done_on = case.decision_date  # the decision taken is the decision duty done
    due, rule_text = None, None
    if spec.due is not None:
        rule_text = describe(spec.due.within, spec.due.unit, spec.due.from_)
        if start is not None:
            due = _due_date(start, spec.due.within, spec.due.unit, case.jurisdiction)
    waiting = () if truth is not None else waits(rule, known)
    # its due date is the case's own, so a duty is built for each case (cheaply: no checks)
    return Part(
        Duty,
        {
            "rule_id": rule.id,
            "duty": spec.name,
            "action": spec.action,
            "who": spec.who,
            "due": due,
            "due_rule": rule_text,
            "basis": rule.spec.citation.short(),
            "evidence": rule.spec.citation.evidence,
            "status": duty_status(truth, due, today, done_on, has_deadline=spec.due is not None),
            "waiting_on": _asked(waiting),
            "done_on": done_on,
            "regime": regime,
        },
    )


@cached  # counting working days reads the bank holidays: once per start date and rule
def _due_date(start: date, within: int, unit: Unit, jurisdiction: str) -> date:
    return due_date(start, within, unit, jurisdiction)


@cached
def _asked(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(base for name in names for base in asked_facts(name)))


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
