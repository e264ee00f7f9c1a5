"""The interview's look-ahead: what each answer to an unknown fact would make of a decision.

A ``Lookahead`` holds one case, its decision and the truth of every criterion in force for it
(the reference semantics, which every evaluator is proven to agree with). Trying an answer
sets one more fact. An answer the entailments refuse (``contradictions``) is disabled, with
the reason. An answer that changes no criterion's truth cannot change the outcome, so
``triage`` runs only for the answers that change one, and each distinct case is decided once
per look-ahead. Answers that make every criterion equally true are one answer for the
ranking: the ages 0 to 17 usually, or every place of death in custody.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from scr_rules.case import (
    BASE_FACTS,
    UNKNOWN,
    Case,
    FactValue,
    consistent,
    contradictions,
    known_facts,
)
from scr_rules.decide._decision import Decision
from scr_rules.decide._regimes import select_regimes
from scr_rules.law import Rule, RuleBook, SettingValue, Truth, evaluate, resolve_settings

Facts = Mapping[str, Any]  # base facts to set on the case: name to value
Answer = FactValue | date  # a value a fact can take (a date for a date fact)


@dataclass(frozen=True)
class Tried:
    """One answer tried: whether the case allows it, and the outcome it leads to."""

    value: Answer
    allowed: bool  # False: it contradicts the case (the entailments)
    outcome: str
    possible: frozenset[str]
    changed: tuple[str, ...]  # the criteria whose truth this answer changes


class Lookahead:
    """One case's decision, and what each answer to each unknown fact would make of it."""

    def __init__(
        self,
        case: Case,
        decision: Decision,
        book: RuleBook,
        *,
        regime: str | None,
        decision_date: date | None,
        settings: Mapping[str, SettingValue] | None,
    ) -> None:
        self.case, self.decision, self.book = case, decision, book
        self._triage_args = (regime, decision_date, settings)
        self.values = resolve_settings(book, settings)
        self.declared = {setting.name: setting for setting in book.settings}
        self.selection = select_regimes(case, book, regime, decision_date)
        self.criteria: dict[str, Rule] = {
            rule.id: rule
            for candidate in self.selection.candidates
            for rule in book.rules_for(candidate.regime.id, candidate.day)
            if rule.spec.kind == "criterion"
        }
        self._readers: dict[str, list[Rule]] = {}
        for rule in self.criteria.values():
            for name in rule.facts():
                self._readers.setdefault(name, []).append(rule)
        self.known = self.known_with({})
        self.truths = {
            rule_id: evaluate(r.condition, self.known) for rule_id, r in self.criteria.items()
        }
        self.possible = frozenset(decision.possible_outcomes)
        self._decided: dict[tuple[Any, ...], tuple[str, frozenset[str]]] = {}
        self._tried: dict[str, tuple[Tried, ...]] = {}
        self._answered: dict[str, tuple[tuple[Answer, dict[str, FactValue]], ...]] = {}

    # --- cases with more facts ---------------------------------------------------------------

    def with_facts(self, facts: Facts) -> Case:
        """Return the case with these facts set (unchecked: ``conflict`` says if it holds)."""
        return self.case.model_copy(update={"facts": self.case.facts.model_copy(update=facts)})

    def known_with(self, facts: Facts) -> dict[str, FactValue]:
        """Return the known facts (derived ones too) once these facts are set."""
        merged = self.case.facts.model_copy(update=facts) if facts else self.case.facts
        return known_facts(merged, self.book.values.child_age_limit.value)

    def conflict(self, facts: Facts) -> str | None:
        """Say why these facts would contradict the case (the entailments), or None."""
        if self.consistent(facts):
            return None  # the usual case, without building a message
        problems = contradictions(self.with_facts(facts))
        return str(problems[0]).split("; expected ")[0] if problems else None

    def consistent(self, facts: Facts) -> bool:
        """Say whether these facts may be set together on the case (``conflict`` is None)."""
        given = {k: v for k, v in self.case.facts.__dict__.items() if v != UNKNOWN}
        return consistent({**given, **facts})

    def truths_with(self, known: Mapping[str, FactValue]) -> dict[str, Truth]:
        """Return every criterion's truth over ``known``, re-evaluating only what changed."""
        changed = {name for name, value in known.items() if self.known.get(name, UNKNOWN) != value}
        changed |= {name for name in self.known if name not in known}
        truths = dict(self.truths)
        for name in changed:
            for rule in self._readers.get(name, ()):
                truths[rule.id] = evaluate(rule.condition, known)
        return truths

    def decide(self, facts: Facts) -> tuple[str, frozenset[str]]:
        """Return the outcome and possible outcomes once these facts are set (cached)."""
        from scr_rules.decide._triage import triage  # triage's module is above this one

        case = self.with_facts(facts)
        key = tuple(case.facts.__dict__.items())
        found = self._decided.get(key)
        if found is None:
            regime, day, settings = self._triage_args
            decision = triage(
                case,
                regime,
                rulebook=self.book,
                settings=settings,
                decision_date=day,
                evaluator="reference",  # agrees with durable-rules on every case, and is faster
            )
            found = self._decided[key] = (decision.outcome, frozenset(decision.possible_outcomes))
        return found

    # --- answers to one fact -----------------------------------------------------------------

    def candidate_values(self, fact: str) -> tuple[Answer, ...]:
        """Return the values to try for a fact: each value, a list empty or of one kind."""
        domain = BASE_FACTS[fact]
        if domain.kind == "int" and domain.minimum is not None and domain.maximum is not None:
            return tuple(range(domain.minimum, domain.maximum + 1))
        if domain.kind == "set":
            lists: list[Answer] = [(), *((str(kind),) for kind in domain.values)]
            return tuple(lists)
        if domain.kind == "date":
            return self._switch_dates(fact)
        return domain.values

    def _switch_dates(self, fact: str) -> tuple[date, ...]:
        """A date that picks the regime: the first and last day an area could switch on."""
        days = {
            day
            for regime in self.book.regimes
            if regime.area_switch is not None and regime.area_switch.fact == fact
            for day in (regime.in_force.from_, regime.area_switch.latest)
        }
        return tuple(sorted(days))

    def answered(self, fact: str) -> tuple[tuple[Answer, dict[str, FactValue]], ...]:
        """Return every answer the case allows to a fact, with the known facts it gives."""
        if fact not in self._answered:
            self._answered[fact] = tuple(
                (value, self.known_with({fact: value}))
                for value in self.candidate_values(fact)
                if self.consistent({fact: value})
            )
        return self._answered[fact]

    def tried(self, fact: str) -> tuple[Tried, ...]:
        """Return one allowed answer per class of equal effect, and every refused one."""
        if fact not in self._tried:
            self._tried[fact] = tuple(self._try_all(fact))
        return self._tried[fact]

    def _try_all(self, fact: str) -> Iterable[Tried]:
        dates = BASE_FACTS[fact].kind == "date"  # a date picks the regime: always decide it
        classes: set[tuple[Truth, ...]] = set()
        for value in self.candidate_values(fact):
            truths = self.truths_with(self.known_with({fact: value}))
            signature = tuple(truths.values())
            allowed = self.consistent({fact: value})
            if not allowed or (signature == tuple(self.truths.values()) and not dates):
                yield Tried(value, allowed, self.decision.outcome, self.possible, ())
                continue
            if signature in classes and not dates:
                continue
            classes.add(signature)
            outcome, possible = self.decide({fact: value})
            changed = tuple(r for r, truth in truths.items() if truth != self.truths[r])
            yield Tried(value, True, outcome, possible, changed)

    def matters(self, answer: Tried) -> bool:
        """Say whether an answer changes the outcome or narrows the possible outcomes."""
        if not answer.allowed:
            return False
        return answer.outcome != self.decision.outcome or answer.possible < self.possible

    def options(self, fact: str) -> list[tuple[FactValue, str | None]]:
        """Return every value a person may pick for a fact, each with why it is disabled.

        A list fact offers each kind (answered as a list of the kinds picked) and the empty
        list; a date is typed in, so it offers none.
        """
        domain = BASE_FACTS[fact]
        if domain.kind == "set":
            kinds = [(kind, self.conflict({fact: (kind,)})) for kind in domain.values]
            return [*kinds, ((), self.conflict({fact: ()}))]
        values = [value for value in self.candidate_values(fact) if not isinstance(value, date)]
        return [(value, self.conflict({fact: value})) for value in values]
