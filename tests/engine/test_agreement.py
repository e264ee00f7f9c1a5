"""The durable-rules engine and the pure-Python reference evaluator always agree."""

from __future__ import annotations

import random

from scr_rules.case import Facts, known_facts
from scr_rules.engine import evaluator_for
from scr_rules.law import RuleBook, evaluate
from scr_rules.testing import random_cases, random_facts

GENERATED_CASES = 10_000


def test_agree_on_every_rule_for_ten_thousand_generated_cases(rulebook: RuleBook) -> None:
    engine = evaluator_for(rulebook)
    statuses = {True: 0, False: 0, None: 0}
    for case in random_cases(GENERATED_CASES, seed=20):
        known = known_facts(case.facts)
        durable = engine.evaluate(known)
        for rule in rulebook.rules:
            expected = evaluate(rule.condition, known)
            assert durable[rule.id] == expected, (case.case_ref, rule.id)
            statuses[expected] += 1
    # the generator must exercise all three statuses, or agreement proves little
    assert min(statuses.values()) > GENERATED_CASES // 2


def test_agree_on_raw_fact_maps_including_contradictory_ones(rulebook: RuleBook) -> None:
    """Fact maps that a case file would reject still evaluate identically on both."""
    rng = random.Random(7)
    for _ in range(2_000):
        known = known_facts(Facts.model_validate(random_facts(rng)))
        durable = evaluator_for(rulebook).evaluate(known)
        assert durable == {rule.id: evaluate(rule.condition, known) for rule in rulebook.rules}
