"""Three-valued (Kleene) evaluation, explanations, and the compiled durable patterns."""

from __future__ import annotations

import itertools

import pytest

from scr_rules.engine._compile import certainly_false, certainly_true
from scr_rules.errors import Problem
from scr_rules.law import (
    All,
    AnyOf,
    Comparison,
    Not,
    evaluate,
    failures,
    parse_condition,
    waiting_on,
)

A = Comparison("child_died", "equals", True)
B = Comparison("sexual_abuse", "equals", True)
WORLDS = [None, True, False]


def _known(a: bool | None, b: bool | None) -> dict[str, bool]:
    known = {}
    if a is not None:
        known["child_died"] = a
    if b is not None:
        known["sexual_abuse"] = b
    return known


@pytest.mark.parametrize(("a", "b"), list(itertools.product(WORLDS, WORLDS)))
def test_kleene_truth_tables(a: bool | None, b: bool | None) -> None:
    known = _known(a, b)
    conj = False if False in (a, b) else (True if a is True and b is True else None)
    disj = True if True in (a, b) else (False if a is False and b is False else None)
    assert evaluate(All((A, B)), known) is conj
    assert evaluate(AnyOf((A, B)), known) is disj
    assert evaluate(Not(A), known) is (None if a is None else not a)


def test_a_test_on_an_unknown_fact_is_unknown_never_false() -> None:
    assert evaluate(A, {}) is None


def test_types_must_match_exactly() -> None:
    """1 is not true and "true" is not true: no coercion (durable-rules would coerce)."""
    assert evaluate(A, {"child_died": 1}) is False
    assert evaluate(A, {"child_died": "true"}) is False
    assert (
        evaluate(
            Comparison("child_age_at_incident", "at_most", 17), {"child_age_at_incident": True}
        )
        is False
    )


def test_numeric_tests() -> None:
    at_least = Comparison("child_age_at_incident", "at_least", 16)
    assert evaluate(at_least, {"child_age_at_incident": 16}) is True
    assert evaluate(at_least, {"child_age_at_incident": 15}) is False


def test_waiting_on_skips_decided_parts() -> None:
    condition = All((A, AnyOf((B, Comparison("parent_murdered", "equals", True)))))
    assert waiting_on(condition, {"sexual_abuse": True}) == ["child_died"]
    assert waiting_on(condition, {"child_died": False}) == []
    assert waiting_on(condition, {}) == ["child_died", "sexual_abuse", "parent_murdered"]


def test_failures_explain_negations() -> None:
    condition = All((A, Not(B)))
    found = failures(condition, {"child_died": True, "sexual_abuse": True})
    assert [(f.fact, f.value, f.expected) for f in found] == [("sexual_abuse", True, "not true")]


def test_compiled_patterns_are_plain_data() -> None:
    condition = All((A, Comparison("abuse_or_neglect", "in", ("known", "suspected"))))
    assert certainly_true(condition) == {
        "$and": [
            {"child_died": True},
            {"$or": [{"abuse_or_neglect": "known"}, {"abuse_or_neglect": "suspected"}]},
        ]
    }
    assert certainly_false(condition) == {
        "$or": [
            {"$neq": {"child_died": True}},
            {
                "$and": [
                    {"$neq": {"abuse_or_neglect": "known"}},
                    {"$neq": {"abuse_or_neglect": "suspected"}},
                ]
            },
        ]
    }
    assert certainly_true(Not(A)) == {"$neq": {"child_died": True}}


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"fact": "child_dead", "equals": True}, "did you mean 'child_died'"),
        ({"fact": "child_died", "equals": "yes"}, "'yes' is not a value of 'child_died'"),
        ({"fact": "abuse_or_neglect", "in": []}, "non-empty list"),
        ({"fact": "child_died", "at_least": 1}, "is not a number"),
        ({"fact": "child_died", "equals": True, "in": [True]}, "exactly one of"),
        ({"all": []}, "non-empty list"),
        ({"some": [1]}, "unknown condition keys"),
        ({"fact": "abuse_or_neglect", "equals": "unknown"}, "is not a value"),
    ],
)
def test_parse_errors_name_the_path(when: dict, message: str) -> None:
    problems: list[Problem] = []
    assert (
        parse_condition({"all": [{"fact": "child_died", "equals": True}, when]}, "when", problems)
        is None
    )
    assert problems
    assert message in problems[0].message
    assert problems[0].loc.startswith("when.all[1]")
