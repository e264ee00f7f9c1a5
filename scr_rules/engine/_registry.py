"""Build evaluators once per rulebook digest and name (the seam's one factory)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Literal, Protocol, get_args

from scr_rules.case import FactValue
from scr_rules.errors import EngineError
from scr_rules.law import RuleBook, Truth

EvaluatorName = Literal["durable-rules", "reference"]
EVALUATOR_NAMES: tuple[EvaluatorName, ...] = get_args(EvaluatorName)
DEFAULT_EVALUATOR: EvaluatorName = EVALUATOR_NAMES[0]  # the Rete engine decides by default


class Evaluator(Protocol):
    """What an evaluator offers: a name and each rule's truth for a case's known facts."""

    name: str

    def evaluate(
        self, known: Mapping[str, FactValue], regimes: Iterable[str] | None = None
    ) -> dict[str, Truth]:
        """Return each rule's truth (None: unknown) for the rules of ``regimes`` (or all)."""
        ...


_built: dict[tuple[str, str], Evaluator] = {}
_lock = threading.Lock()


def evaluator_for(book: RuleBook, name: EvaluatorName = DEFAULT_EVALUATOR) -> Evaluator:
    """Return the evaluator ``name`` for this rulebook, built once per digest and name."""
    key = (book.digest, name)
    found = _built.get(key)
    if found is not None:
        return found
    with _lock:
        found = _built.get(key)
        if found is None:
            found = _built[key] = _build(book, name)
    return found


def _build(book: RuleBook, name: str) -> Evaluator:
    if name == "reference":
        from scr_rules.engine._reference import ReferenceEvaluator

        return ReferenceEvaluator(book.rules, book.digest)
    if name == "durable-rules":
        from scr_rules.engine._durable import DurableEngine  # the only durable import

        return DurableEngine(book.rules, book.digest)
    raise EngineError(f"unknown evaluator {name!r}; expected one of {', '.join(EVALUATOR_NAMES)}")
