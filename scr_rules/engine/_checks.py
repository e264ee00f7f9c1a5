"""``scr rules check``: run every rule's examples through both evaluators."""

from __future__ import annotations

from scr_rules.case import UNKNOWN
from scr_rules.engine._registry import evaluator_for
from scr_rules.law import RuleBook, evaluate, example_facts


def check_rulebook(book: RuleBook) -> tuple[list[str], int]:
    """Return (failures, number of examples run); the rulebook itself was validated on load.

    Each example must give the outcome it states on the reference evaluator and on the
    durable-rules engine.
    """
    engine = evaluator_for(book, "durable-rules")
    failures: list[str] = []
    count = 0
    for rule in book.rules:
        for example in rule.spec.examples:
            count += 1
            known = example_facts(example.facts, book.values.child_age_limit.value)
            for name, result in (
                ("reference", evaluate(rule.condition, known)),
                ("durable-rules", engine.evaluate(known)[rule.id]),
            ):
                got = UNKNOWN if result is None else result
                if got != example.fires:
                    failures.append(
                        f"{rule.path} ({rule.id}): {example.name!r}: expected "
                        f"fires={example.fires}, {name} gave {got}"
                    )
    return failures, count
