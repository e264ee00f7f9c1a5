"""Compile rule conditions to durable-rules JSON patterns (pure data, no engine import).

durable-rules is two-valued and tests only facts that are present, so each condition is
compiled twice: one pattern that matches when the condition is certainly true, one that
matches when it is certainly false (Kleene). When neither matches, the condition is
unknown. Unknown facts are absent from the asserted fact, and a comparison on an absent
field never matches in durable-rules (``$neq`` included), which is what Kleene needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scr_rules.law import All, AnyOf, Comparison, Condition, Not

CASE_MARKER = {"kind": "case"}  # every pattern needs a positive test (see durable notes 0.7)

Pattern = dict[str, Any]


def certainly_true(condition: Condition) -> Pattern:
    """Return a pattern that matches exactly when the condition is true."""
    return _compile(condition, want=True)


def certainly_false(condition: Condition) -> Pattern:
    """Return a pattern that matches exactly when the condition is false."""
    return _compile(condition, want=False)


def case_pattern(condition: Condition, want: bool) -> Pattern:
    """Return the full pattern for one durable rule: the case marker and the condition."""
    return {"$and": [CASE_MARKER, _compile(condition, want)]}


def _compile(condition: Condition, want: bool) -> Pattern:
    if isinstance(condition, Comparison):
        return _test(condition, want)
    if isinstance(condition, Not):
        return _compile(condition.part, not want)
    parts = [_compile(part, want) for part in condition.parts]
    conjunctive = isinstance(condition, All) == want  # true-all and false-any are "and"
    assert isinstance(condition, All | AnyOf)  # noqa: S101 - exhaustive union
    return _join("$and" if conjunctive else "$or", parts)


def _test(test: Comparison, want: bool) -> Pattern:
    pattern = _known_test(test, want)
    if test.unknown_as is want:  # a presumption: an absent fact also gives this result
        return {"$or": [pattern, {"$nex": {test.fact: 1}}]}
    return pattern


def _known_test(test: Comparison, want: bool) -> Pattern:
    name, value = test.fact, test.value
    if test.op == "equals":
        return {name: value} if want else {"$neq": {name: value}}
    if test.op == "in":
        if want:
            return _join("$or", [{name: option} for option in value])
        return _join("$and", [{"$neq": {name: option}} for option in value])
    if test.op == "at_least":
        return {"$gte" if want else "$lt": {name: value}}
    return {"$lte" if want else "$gt": {name: value}}


def _join(operator: str, parts: Sequence[Pattern]) -> Pattern:
    return parts[0] if len(parts) == 1 else {operator: list(parts)}
