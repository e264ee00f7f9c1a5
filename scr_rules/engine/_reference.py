"""The reference evaluator: the rule conditions' own three-valued semantics, in pure Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scr_rules.case import FactValue
from scr_rules.law import Rule, Truth, evaluate


class ReferenceEvaluator:
    """Evaluate each rule with ``scr_rules.law.evaluate``: the meaning every evaluator keeps."""

    name = "reference"

    def __init__(self, rules: Iterable[Rule], digest: str) -> None:
        self.digest = digest
        self._by_regime: dict[str, tuple[Rule, ...]] = {}
        for rule in rules:
            self._by_regime[rule.spec.regime] = (*self._by_regime.get(rule.spec.regime, ()), rule)

    def evaluate(
        self, known: Mapping[str, FactValue], regimes: Iterable[str] | None = None
    ) -> dict[str, Truth]:
        """Return each rule's truth (True, False or None for unknown) for the known facts."""
        chosen = self._by_regime if regimes is None else {r: self._by_regime[r] for r in regimes}
        return {
            rule.id: evaluate(rule.condition, known) for rules in chosen.values() for rule in rules
        }
