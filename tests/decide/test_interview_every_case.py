"""Every golden case and 1,000 generated ones, interviewed from their dates alone.

Each interview starts from the case's jurisdiction and dates and answers from its facts ("not
known" where the case leaves a fact out). It must reach the outcome ``triage`` gives for the
whole case, ask no fact twice, and never ask a question that no answer could make matter:
checked here independently of the interview's own look-ahead, by deciding the case under
each answer (alone), or by evaluating the rule the question is asked for under sets of
answers to the facts it still waits on (together).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scr_rules.case import (
    BASE_FACTS,
    UNKNOWN,
    Case,
    Facts,
    contradictions,
    known_facts,
    load_case,
    source_facts,
)
from scr_rules.decide import NextStep, next_question, triage
from scr_rules.law import evaluate, presumed
from scr_rules.testing import random_cases
from tests._shared import BOOK, CASE_FILES

GENERATED = 1000
CHUNK = 100
MAX_SETS = 4096  # sets of answers tried for one rule (a bound on the test, not the interview)


def _values(fact: str) -> list[Any]:
    """Every answer to a fact (a list: empty, or one kind; a date: the switch's two ends)."""
    domain = BASE_FACTS[fact]
    if domain.kind == "int":
        return list(range(domain.minimum or 0, (domain.maximum or 0) + 1))
    if domain.kind == "set":
        return [(), *((kind,) for kind in domain.values)]
    if domain.kind == "date":
        return [date(2018, 6, 29), date(2019, 9, 29)]
    return list(domain.values)


def _with(case: Case, answers: dict[str, Any]) -> Case:
    return case.model_copy(update={"facts": case.facts.model_copy(update=answers)})


def _decided(case: Case, settings: dict[str, Any]) -> tuple[str, frozenset[str]]:
    decision = triage(case, settings=settings, evaluator="reference")
    return decision.outcome, frozenset(decision.possible_outcomes)


def _matters_alone(case: Case, fact: str, settings: dict[str, Any]) -> bool:
    """Some answer, allowed by the case, changes the outcome or narrows what is possible."""
    outcome, possible = _decided(case, settings)
    for value in _values(fact):
        answered = _with(case, {fact: value})
        if contradictions(answered):
            continue
        new_outcome, new_possible = _decided(answered, settings)
        if new_outcome != outcome or new_possible < possible:
            return True
    return False


def _waited_on(case: Case, skipped: set[str], rule_facts: list[str]) -> list[str]:
    """The facts still to ask that the rule reads: each fact it reads, or the facts it is
    derived from, or (when those cannot be asked) any fact some answer to which settles it."""
    known = known_facts(case.facts)
    found: list[str] = []
    for name in rule_facts:
        if name in known:
            continue
        direct = [f for f in source_facts(name) if f not in known and f not in skipped]
        found += direct or [
            fact
            for fact, domain in BASE_FACTS.items()
            if fact not in known
            and fact not in skipped
            and domain.kind != "date"
            and any(name in known_facts(_with(case, {fact: v}).facts) for v in _values(fact))
        ]
    return list(dict.fromkeys(found))


def _matters_with_its_rule(case: Case, skipped: set[str], step: NextStep) -> bool:
    """With answers to the other facts its rule waits on, the answer decides that rule."""
    assert step.question is not None
    fact = step.question.fact
    known = known_facts(case.facts)
    for why in step.question.why:
        rule = BOOK.rule(why.rule_id)
        if evaluate(rule.condition, known) is not None and not presumed(rule.condition, known):
            continue  # settled, and not by a presumption: no answer can change it
        others = [f for f in _waited_on(case, skipped, rule.facts()) if f != fact]
        combos = itertools.product(*([UNKNOWN, *_values(other)] for other in others))
        for combo in itertools.islice(combos, MAX_SETS):
            answers = dict(zip(others, combo, strict=True))
            before = evaluate(rule.condition, known_facts(_with(case, answers).facts))
            for value in _values(fact):
                answered = _with(case, {**answers, fact: value})
                after = evaluate(rule.condition, known_facts(answered.facts))
                if after != before and after is not None and not contradictions(answered):
                    return True
    return False


def _interview(full: Case, settings: dict[str, Any]) -> Iterator[tuple[Case, set[str], NextStep]]:
    """Yield each step of the interview of ``full``, answering from its facts."""
    case = full.model_copy(update={"facts": Facts(), "expect": None})
    skipped: set[str] = set()
    for _ in range(len(BASE_FACTS) + 1):
        step = next_question(case, skipped=skipped, settings=settings)
        yield case, set(skipped), step
        if step.done:
            return
        assert step.question is not None
        fact = step.question.fact
        value = getattr(full.facts, fact)
        if value == UNKNOWN:
            skipped.add(fact)
        else:
            chosen = [o for o in step.question.options if o.value == value]
            assert not any(o.disabled for o in chosen), (fact, value)
            case = _with(case, {fact: value})
    pytest.fail("the interview asked more questions than there are facts")


def _check(full: Case, settings: dict[str, Any]) -> None:
    asked: list[str] = []
    for case, skipped, step in _interview(full, settings):
        if step.done:
            expected = triage(full, settings=settings)
            assert step.decision.outcome == expected.outcome, (full.case_ref, asked)
            if expected.outcome == "undetermined":
                assert step.done_reason in ("not_known", "nothing_to_ask")
            else:
                assert step.done_reason == "decided"
            return
        assert step.question is not None
        fact = step.question.fact
        assert fact not in asked, (full.case_ref, fact, asked)
        assert step.question.why, (full.case_ref, fact)
        matters = _matters_alone(case, fact, settings) or _matters_with_its_rule(
            case, skipped, step
        )
        assert matters, (full.case_ref, fact, asked)
        asked.append(fact)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_golden_case_is_reached_by_its_interview(path: Path) -> None:
    case = load_case(path)
    _check(case, dict(case.expect.settings) if case.expect else {})


@functools.cache
def _generated() -> tuple[Case, ...]:
    return tuple(random_cases(GENERATED, seed=12))


@pytest.mark.parametrize("first", range(0, GENERATED, CHUNK))
def test_generated_cases_are_reached_by_their_interviews(first: int) -> None:
    for case in _generated()[first : first + CHUNK]:
        _check(case, {})
