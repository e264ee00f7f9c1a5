"""When no single answer can change the outcome: the rule nearest to settling, and its facts.

Each rule that keeps the outcome open waits on two or more facts (or a presumption settled
the outcome and only several facts together can rebut it). The interview then works on the
rule with the fewest facts still to ask: a fact one answer to which settles the rule, when
there is one; else a fact that takes part in settling it with the others. Taking part is
read off the rule's condition (``_takes_part``): an ``all`` is made true by making every
part true and false by making any part false, an ``any`` the other way round, a ``not``
swaps them, and a test on one fact is made to hold or fail by the answers that settle that
fact. A fact answered "not known" is never asked again, so a rule its remaining facts cannot
settle is passed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scr_rules.case import BASE_FACTS, asked_facts
from scr_rules.decide import _readings as readings
from scr_rules.decide._decision import STRENGTH
from scr_rules.decide._lookahead import Lookahead
from scr_rules.law import (
    All,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Rule,
    evaluate,
    presumed,
    waiting_on,
)


@dataclass(frozen=True)
class Settling:
    """A rule the interview works towards settling, and the facts it would ask for that."""

    rule: Rule
    outcome: str  # what the rule gives when met, or (presumed) the outcome once rebutted
    facts: tuple[str, ...]  # in interview order


def nearest(look: Lookahead, skipped: frozenset[str], rank: dict[str, int]) -> Settling | None:
    """Return the open (or presumed) rule nearest to settling, with the facts to ask for it."""
    for rule, rebut in _ordered(look, skipped):
        askable = _askable(look, rule, skipped)
        facts = sorted(_settlers(look, rule, rebut, askable), key=rank.__getitem__)
        if facts:
            outcome = _rebutted_outcome(look, rule) if rebut else outcome_of(look, rule)
            return Settling(rule, outcome, tuple(facts))
    return None


def _ordered(look: Lookahead, skipped: frozenset[str]) -> list[tuple[Rule, bool]]:
    """Return the rules to settle, nearest first (fewest facts, strongest, then by id)."""
    found = [(rule, False) for rule in open_rules(look)]
    found += [(rule, True) for rule in _presumed_rules(look)]
    return sorted(
        found,
        key=lambda item: (
            len(_askable(look, item[0], skipped)),
            -STRENGTH[outcome_of(look, item[0])],
            item[0].id,
        ),
    )


def _in_force(look: Lookahead) -> Iterator[tuple[str, list[Rule]]]:
    for candidate in look.selection.candidates:
        rules = look.book.rules_for(candidate.regime.id, candidate.day)
        yield candidate.regime.id, [rule for rule in rules if rule.spec.kind == "criterion"]


def open_rules(look: Lookahead) -> list[Rule]:
    """Return the unknown rules that could still make the outcome stronger."""
    found: dict[str, Rule] = {}
    for regime, criteria in _in_force(look):
        settled = readings.settle(criteria, look.truths, look.values, look.declared, regime)
        found.update({rule.id: rule for rule in settled.verdict.open_rules})
    return list(found.values())


def _presumed_rules(look: Lookahead) -> list[Rule]:
    """Return the met rules a decided outcome rests on when every one rests on a presumption."""
    if look.decision.outcome == "undetermined":
        return []
    values = look.values
    found: list[Rule] = []
    for _, criteria in _in_force(look):
        met = [r for r in criteria if readings.enabled(r, values) and look.truths[r.id] is True]
        best = max((STRENGTH[readings.outcome_of(r, values)] for r in met), default=0)
        strongest = [r for r in met if STRENGTH[readings.outcome_of(r, values)] == best]
        if strongest and all(presumed(r.condition, look.known) for r in strongest):
            found += strongest
    return found


def _askable(look: Lookahead, rule: Rule, skipped: frozenset[str]) -> list[str]:
    """Return the facts still to ask that the rule waits on or that a presumption stands in for.

    A fact the rule reads that cannot be asked (answered "not known", or derived) is stood in
    for by the facts that settle it: a suicide or a place of death settles that the child
    died; a list of kinds, or sexual abuse, that abuse or neglect is known or suspected.
    """
    found: list[str] = []
    for name in [*waiting_on(rule.condition, look.known), *presumed(rule.condition, look.known)]:
        direct = [base for base in asked_facts(name) if _open(look, base, skipped)]
        found += direct or _standing_in_for(look, name, skipped)
    return list(dict.fromkeys(found))


def _open(look: Lookahead, name: str, skipped: frozenset[str]) -> bool:
    return name in BASE_FACTS and name not in look.known and name not in skipped


def _standing_in_for(look: Lookahead, name: str, skipped: frozenset[str]) -> list[str]:
    """Return the facts still to ask some answer to which settles ``name`` (entailments)."""
    return [
        other
        for other, domain in BASE_FACTS.items()
        if domain.kind != "date"
        and _open(look, other, skipped)
        and any(name in known for _, known in look.answered(other))
    ]


def _settlers(look: Lookahead, rule: Rule, rebut: bool, askable: list[str]) -> set[str]:
    """Return the facts one answer to which settles the rule; else those that take part."""
    targets = (False,) if rebut else (True, False)
    alone = {
        fact
        for fact in askable
        for _, known in look.answered(fact)
        if evaluate(rule.condition, known) in targets
    }
    if alone:
        return alone
    found: set[str] = set()
    for target in targets:
        found |= _takes_part(look, rule.condition, target, askable) or set()
    return found


def _takes_part(
    look: Lookahead, node: Condition, target: bool, askable: list[str]
) -> set[str] | None:
    """Return the facts that take part in making ``node`` ``target`` (None: it cannot be)."""
    if isinstance(node, Comparison):
        return _reach(look, node, target, askable)
    if isinstance(node, Not):
        return _takes_part(look, node.part, not target, askable)
    parts = [_takes_part(look, part, target, askable) for part in node.parts]
    every = isinstance(node, All) == target  # all parts must reach it (else any one may)
    assert isinstance(node, All | AnyOf)  # noqa: S101 - exhaustive union
    if every:
        return None if None in parts else set().union(*(p for p in parts if p))
    reachable = [p for p in parts if p is not None]
    if not reachable:
        return None
    if any(not p for p in reachable):
        return set()  # a part already gives it: nothing need be asked
    return set().union(*reachable)


def _reach(look: Lookahead, test: Comparison, target: bool, askable: list[str]) -> set[str] | None:
    """Return the facts whose answer makes the test ``target`` (empty: it already is)."""
    if evaluate(test, look.known) is target:
        return set()
    if test.fact in look.known:
        return None
    found = {
        fact
        for fact in askable
        for _, known in look.answered(fact)
        if test.fact in known and test.holds(known[test.fact]) is target
    }
    return found or None


def outcome_of(look: Lookahead, rule: Rule) -> str:
    return readings.outcome_of(rule, look.values)


def _rebutted_outcome(look: Lookahead, rule: Rule) -> str:
    """Return the outcome were a presumed rule rebutted (every other truth as it is)."""
    truths = {**look.truths, rule.id: False}
    outcomes = {
        readings.settle(criteria, truths, look.values, look.declared, regime).verdict.outcome
        for regime, criteria in _in_force(look)
    }
    return outcomes.pop() if len(outcomes) == 1 else "undetermined"
