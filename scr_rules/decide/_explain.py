"""Explain a rule's condition in one walk: its truth, failed tests, facts waited on, presumptions.

``scr_rules.law`` defines each of these on its own (``evaluate``, ``failures``,
``waiting_on``, ``presumed``), and each of them re-evaluates every part at every level.
An explanation needs all four, so this walk computes them together, bottom up, each node
once. What it returns is exactly what the four functions return (the tests in
``tests/decide/test_explain.py`` compare them on thousands of generated cases).
"""

from __future__ import annotations

from collections.abc import Mapping

from scr_rules.case import FactValue
from scr_rules.law import All, AnyOf, Comparison, Condition, Not, Truth

# (truth, the tests behind a decided truth with each one's own truth, the facts waited on)
_Node = tuple[Truth, list[tuple[Comparison, bool]], list[str]]


class Failure:
    """A test that failed: the fact, its value and what the rule expected."""

    __slots__ = ("expected", "fact", "value")  # a plain class: a dataclass costs ~1 ms to import

    def __init__(self, fact: str, value: FactValue, expected: str) -> None:
        self.fact, self.value, self.expected = fact, value, expected


class Explanation:
    """What a condition gives on the known facts, and why."""

    __slots__ = ("failures", "presumed", "truth", "waiting_on")

    def __init__(
        self,
        truth: Truth,
        failures: tuple[Failure, ...],
        waiting_on: tuple[str, ...],
        presumed: tuple[str, ...],
    ) -> None:
        self.truth = truth
        self.failures = failures  # the tests that make a false condition false
        self.waiting_on = waiting_on  # the unknown facts that keep an unknown condition open
        self.presumed = presumed  # the unknown facts a presumption (``unknown_as``) settled


def explain(condition: Condition, known: Mapping[str, FactValue]) -> Explanation:
    """Return the truth of ``condition`` with its failures, the facts waited on and presumed."""
    truth, failed, waits = _walk(condition, known)
    presumed: list[str] = []
    _presumed(condition, known, presumed)
    failures: tuple[Failure, ...] = ()
    if truth is False:  # a presumed test among them has no value: KeyError, as in law
        failures = tuple(
            Failure(test.fact, known[test.fact], ("not " if holds else "") + test.expected())
            for test, holds in failed
        )
    return Explanation(truth, failures, tuple(waits) if truth is None else (), tuple(presumed))


def _walk(condition: Condition, known: Mapping[str, FactValue]) -> _Node:
    """Return (truth, why it is that truth when decided, the facts waited on when not).

    The failures of a decided node are those ``law.failures`` would list for it (under
    ``not``, a true node's tests are what fail): a test's own, or its decided parts' that
    share its truth.
    """
    if type(condition) is Comparison:
        fact = condition.fact
        if fact in known:
            holds = condition.holds(known[fact])
            return holds, [(condition, holds)], []
        presumed = condition.unknown_as
        return presumed, ([] if presumed is None else [(condition, presumed)]), [fact]
    if type(condition) is Not:
        inner, failed, waits = _walk(condition.part, known)
        return (None if inner is None else not inner), failed, waits
    assert isinstance(condition, All | AnyOf)  # noqa: S101 - exhaustive union
    nodes = [_walk(part, known) for part in condition.parts]
    truths = [node[0] for node in nodes]
    decisive = type(condition) is AnyOf  # True decides an any, False decides an all
    if decisive in truths:
        truth: Truth = decisive
    else:
        truth = None if None in truths else not decisive
    if truth is None:
        open_facts: list[str] = []
        for part_truth, _, part_waits in nodes:
            if part_truth is None:
                open_facts += [name for name in part_waits if name not in open_facts]
        return None, [], open_facts
    failed = [f for part_truth, part_failed, _ in nodes if part_truth is truth for f in part_failed]
    return truth, failed, []


def _presumed(condition: Condition, known: Mapping[str, FactValue], found: list[str]) -> None:
    if type(condition) is Comparison:
        fact = condition.fact
        if condition.unknown_as is not None and fact not in known and fact not in found:
            found.append(fact)
    elif type(condition) is Not:
        _presumed(condition.part, known, found)
    else:
        for part in condition.parts:  # type: ignore[union-attr]
            _presumed(part, known, found)
