"""Every `examples:` entry of every rule file holds on both evaluators."""

from __future__ import annotations

import pytest

from scr_rules.case import UNKNOWN
from scr_rules.engine import evaluator_for
from scr_rules.law import evaluate, example_facts
from tests._shared import BOOK

EXAMPLES = [(rule, example) for rule in BOOK.rules for example in rule.spec.examples]


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{r.id}: {e.name}" for r, e in EXAMPLES]
)
def test_rule_example(rule, example) -> None:
    known = example_facts(example.facts)
    reference = evaluate(rule.condition, known)
    durable = evaluator_for(BOOK).evaluate(known)[rule.id]
    expected = None if example.fires == UNKNOWN else example.fires
    assert reference == expected
    assert durable == expected


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_rule_has_met_not_met_and_unknown_examples(rule) -> None:
    assert {True, False, UNKNOWN} <= {example.fires for example in rule.spec.examples}


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_rule_cites_its_source(rule) -> None:
    citation = rule.spec.citation
    assert citation.instrument
    assert citation.reference
    assert citation.text
    assert citation.evidence in ("primary", "secondary", "unverified")
    assert citation.catalogue


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_unverified_criteria_are_switched_off_by_default(rule) -> None:
    """regimes.md 0.1: an unverified provision never decides an outcome silently (duties
    and factors only inform, and show their evidence tag)."""
    if rule.spec.citation.evidence != "unverified" or rule.spec.kind != "criterion":
        return
    switch = rule.spec.enabled_when
    assert switch is not None
    default = next(s.default for s in BOOK.settings if s.name == switch.setting)
    assert default != switch.equals
