"""The one-walk explanation says exactly what the reference semantics of ``law`` say."""

from __future__ import annotations

from scr_rules.case import known_facts
from scr_rules.decide._explain import explain
from scr_rules.law import evaluate, failures, presumed, waiting_on
from scr_rules.testing import random_cases
from tests._shared import BOOK


def test_explain_agrees_with_evaluate_failures_waiting_on_and_presumed() -> None:
    checked = 0
    for case in random_cases(3000, seed=41):
        known = known_facts(case.facts)
        for rule in BOOK.rules:
            found = explain(rule.condition, known)
            truth = evaluate(rule.condition, known)
            assert found.truth is truth, rule.id
            expected = [(f.fact, f.value, f.expected) for f in failures(rule.condition, known)]
            assert [(f.fact, f.value, f.expected) for f in found.failures] == expected
            assert list(found.waiting_on) == waiting_on(rule.condition, known)
            assert list(found.presumed) == presumed(rule.condition, known)
            checked += 1
    assert checked == 3000 * len(BOOK.rules)


def test_every_status_occurs() -> None:
    """The agreement above covers met, failed and open conditions, with presumptions."""
    seen = set()
    for case in random_cases(500, seed=42):
        known = known_facts(case.facts)
        for rule in BOOK.rules:
            found = explain(rule.condition, known)
            seen.add(found.truth)
            if found.presumed:
                seen.add("presumed")
    assert seen == {True, False, None, "presumed"}
