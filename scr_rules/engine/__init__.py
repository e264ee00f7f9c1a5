"""Evaluators behind one seam: each turns known facts into every rule's truth.

An evaluator answers one question, ``evaluate(known, regimes) -> {rule_id: True | False |
None}``, for the rules of one rulebook; combining the truths into a decision is
``scr_rules.decide``'s job, never an evaluator's. Two implementations sit side by side:
``reference`` (pure Python, the conditions' own semantics) and ``durable-rules`` (the Rete
engine, the default; ``_durable`` is the only module that imports it, and only when first
asked for). ``evaluator_for`` builds each once per rulebook digest and evaluator name;
``load_cached`` keeps the loaded rulebook in the user's cache directory for the next process.
"""

from scr_rules.engine._cache import load_cached
from scr_rules.engine._checks import check_rulebook
from scr_rules.engine._registry import (
    DEFAULT_EVALUATOR,
    EVALUATOR_NAMES,
    Evaluator,
    EvaluatorName,
    evaluator_for,
)

__all__ = [
    "DEFAULT_EVALUATOR",
    "EVALUATOR_NAMES",
    "Evaluator",
    "EvaluatorName",
    "check_rulebook",
    "evaluator_for",
    "load_cached",
]
