"""Rule conditions: parse them from rule files and evaluate them in three-valued logic.

This module is also the pure-Python *reference evaluator*: the durable-rules path in
``engine.py`` must agree with ``evaluate`` on every case (tests check it on thousands).

Kleene logic: ``all`` is false if any part is false, true if every part is true, else
unknown; ``any`` is the dual; ``not`` swaps true and false. A test on an unknown fact is
unknown, never false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union

from scr_rules.case import ALL_FACTS, FactValue
from scr_rules.errors import Problem
from scr_rules.vocabulary import did_you_mean, literal_text

Truth = bool | None  # None is "unknown"
Operator = Literal["equals", "in", "at_least", "at_most"]
OPERATORS: tuple[Operator, ...] = ("equals", "in", "at_least", "at_most")


@dataclass(frozen=True)
class Comparison:
    """One comparison of a fact with a literal."""

    fact: str
    op: Operator
    value: Any  # a FactValue, or a tuple of them for ``in``
    unknown_as: bool | None = None  # a presumption: the result while the fact is unknown

    def holds(self, actual: FactValue) -> bool:
        """Say whether a known value passes this test (types must match exactly)."""
        if self.op == "equals":
            return _same(actual, self.value)
        if self.op == "in":
            return any(_same(actual, option) for option in self.value)
        if isinstance(actual, bool) or not isinstance(actual, int):
            return False
        bound: int = self.value  # at_least and at_most hold whole numbers
        return actual >= bound if self.op == "at_least" else actual <= bound

    def expected(self) -> str:
        """Describe what the test wants, e.g. "in ['known', 'suspected']"."""
        shown = literal_text(list(self.value)) if self.op == "in" else literal_text(self.value)
        words = {"equals": "", "in": "one of ", "at_least": "at least ", "at_most": "at most "}
        presumed = self.unknown_as
        return f"{words[self.op]}{shown}" + (
            "" if presumed is None else f" (unknown counts as {literal_text(presumed)})"
        )


@dataclass(frozen=True)
class All:
    """Every part must hold."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one part must hold."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The part must not hold."""

    part: Condition


Condition = Union[Comparison, All, AnyOf, Not]  # noqa: UP007 - a forward-referenced alias


def _same(actual: Any, wanted: Any) -> bool:
    return type(actual) is type(wanted) and actual == wanted


# --- evaluation (the reference evaluator) -------------------------------------------


def evaluate(condition: Condition, known: Mapping[str, FactValue]) -> Truth:
    """Return True, False or None (unknown) for a condition over the known facts."""
    if isinstance(condition, Comparison):
        if condition.fact not in known:
            return condition.unknown_as
        return condition.holds(known[condition.fact])
    if isinstance(condition, Not):
        inner = evaluate(condition.part, known)
        return None if inner is None else not inner
    results = [evaluate(part, known) for part in condition.parts]
    decisive = isinstance(condition, AnyOf)  # True decides an any, False decides an all
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def facts_read(condition: Condition) -> list[str]:
    """Return the facts a condition reads, in order of first appearance."""
    if isinstance(condition, Comparison):
        return [condition.fact]
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    names: list[str] = []
    for part in parts:
        names += [n for n in facts_read(part) if n not in names]
    return names


def presumed(condition: Condition, known: Mapping[str, FactValue]) -> list[str]:
    """Return the unknown facts that a presumption (``unknown_as``) settled in this condition."""
    if isinstance(condition, Comparison):
        unknown = condition.unknown_as is not None and condition.fact not in known
        return [condition.fact] if unknown else []
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    names: list[str] = []
    for part in parts:
        names += [n for n in presumed(part, known) if n not in names]
    return names


def waiting_on(condition: Condition, known: Mapping[str, FactValue]) -> list[str]:
    """Return the unknown facts that keep an unknown condition from being decided.

    A part that is already decided contributes nothing: in ``all`` every unknown part
    counts (each must become true), in ``any`` likewise (any could become true).
    """
    if evaluate(condition, known) is not None:
        return []
    if isinstance(condition, Comparison):
        return [condition.fact]
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    names: list[str] = []
    for part in parts:
        names += [n for n in waiting_on(part, known) if n not in names]
    return names


@dataclass(frozen=True)
class Failure:
    """A test that failed: the fact, its value and what the rule expected."""

    fact: str
    value: FactValue
    expected: str


def failures(condition: Condition, known: Mapping[str, FactValue]) -> list[Failure]:
    """Return the tests that make a false condition false (the "why not")."""
    return _failures(condition, known, negated=False)


def _failures(condition: Condition, known: Mapping[str, FactValue], negated: bool) -> list[Failure]:
    value = evaluate(condition, known)
    if value is None or value is not negated:
        return []  # this part does not make the whole false (under ``negated``, true)
    if isinstance(condition, Comparison):
        expected = condition.expected()
        return [
            Failure(
                condition.fact, known[condition.fact], f"not {expected}" if negated else expected
            )
        ]
    if isinstance(condition, Not):
        return _failures(condition.part, known, not negated)
    found: list[Failure] = []
    for part in condition.parts:
        found += _failures(part, known, negated)
    return found


# --- parsing -------------------------------------------------------------------------


def parse_condition(data: Any, loc: str, problems: list[Problem]) -> Condition | None:
    """Parse a ``when`` block; append a Problem (with its path) for everything wrong."""
    if not isinstance(data, dict):
        problems.append(
            Problem(loc, f"expected a mapping with all, any, not or fact; got {data!r}")
        )
        return None
    keys = set(data)
    for group, cls in (("all", All), ("any", AnyOf)):
        if keys == {group}:
            items = data[group]
            if not isinstance(items, list) or not items:
                problems.append(
                    Problem(f"{loc}.{group}", "expected a non-empty list of conditions")
                )
                return None
            parts = [
                parse_condition(item, f"{loc}.{group}[{i}]", problems)
                for i, item in enumerate(items)
            ]
            if any(part is None for part in parts):
                return None
            return cls(tuple(p for p in parts if p is not None))
    if keys == {"not"}:
        part = parse_condition(data["not"], f"{loc}.not", problems)
        return None if part is None else Not(part)
    if "fact" in keys:
        return _parse_test(data, loc, problems)
    problems.append(
        Problem(
            loc,
            f"unknown condition keys {sorted(keys)}; expected exactly one of "
            "all, any, not, or fact with one of " + ", ".join(OPERATORS),
        )
    )
    return None


def _parse_test(data: dict[str, Any], loc: str, problems: list[Problem]) -> Comparison | None:
    fact = data["fact"]
    unknown_as = data.get("unknown_as")
    if "unknown_as" in data and not isinstance(unknown_as, bool):
        problems.append(Problem(f"{loc}.unknown_as", f"expected true or false; got {unknown_as!r}"))
        return None
    ops = [key for key in data if key not in ("fact", "unknown_as")]
    if not isinstance(fact, str):
        kind = type(fact).__name__
        problems.append(Problem(f"{loc}.fact", f"expected a fact name; got a {kind}"))
        return None
    if fact not in ALL_FACTS:
        hint = did_you_mean(fact, ALL_FACTS)
        problems.append(Problem(f"{loc}.fact", f"unknown fact {fact!r}{hint}"))
        return None
    if len(ops) != 1 or ops[0] not in OPERATORS:
        problems.append(
            Problem(loc, f"expected exactly one of {', '.join(OPERATORS)} beside 'fact'; got {ops}")
        )
        return None
    op: Operator = ops[0]
    value = data[op]
    domain = ALL_FACTS[fact]
    literals = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        problems.append(Problem(f"{loc}.in", "expected a non-empty list of values"))
        return None
    if op in ("at_least", "at_most") and domain.kind != "int":
        problems.append(Problem(f"{loc}.{op}", f"{fact!r} is not a number; use equals or in"))
        return None
    bad = [v for v in literals if not domain.accepts(v)]
    if bad:
        problems.append(
            Problem(
                f"{loc}.{op}",
                f"{literal_text(bad[0])} is not a value of {fact!r}; expected "
                f"{domain.describe(with_unknown=False)}",
            )
        )
        return None
    return Comparison(fact, op, tuple(value) if op == "in" else value, unknown_as)
