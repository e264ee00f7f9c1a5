"""The only module that imports durable-rules: evaluate rule conditions on its Rete engine.

Design (see the project's notes on durable-rules):
- one private ``Host`` per rulebook, with its background timer threads disabled, so every
  action runs on the calling thread inside ``assert_fact``;
- each rule is two durable rules, "certainly true" and "certainly false"; when neither
  fires the rule is unknown (three-valued logic over a two-valued engine);
- a case is asserted as a fact (never posted as an event, which would fire one rule only)
  under one fixed session id and retracted straight after, so no state outlives a call;
- calls are serialised with a lock: the C engine has no locks of its own.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from durable import engine as durable_engine

from scr_rules.compile import case_pattern
from scr_rules.conditions import Truth
from scr_rules.errors import EngineError
from scr_rules.facts import FactValue
from scr_rules.rulebook import Rule

SESSION_ID = "scr"


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host without the dispatcher and timer threads, which can steal actions."""

    def _run(self) -> None:
        return None


class DurableEngine:
    """A rulebook compiled once into a durable-rules ruleset on a private host."""

    def __init__(self, rules: Iterable[Rule], digest: str) -> None:
        self._rule_ids = [rule.id for rule in rules]
        self._ruleset = "scr_" + digest.removeprefix("sha256:")[:16]
        self._lock = threading.Lock()
        self._results: dict[str, bool] = {}
        definition: dict[str, Any] = {}
        for index, rule in enumerate(rules):
            for want in (True, False):
                name = f"r{index}_{'true' if want else 'false'}"
                definition[name] = {
                    "all": [{"m": case_pattern(rule.condition, want)}],
                    "run": self._recorder(rule.id, want),
                }
        self._host = _QuietHost()
        try:
            # registration deletes "run" from the definition it is given
            self._host.set_rulesets({self._ruleset: copy.deepcopy(definition)})
        except Exception as exc:
            raise EngineError(f"durable-rules rejected the compiled rulebook: {exc}") from exc

    def _recorder(self, rule_id: str, value: bool) -> Callable[[Any], None]:
        def record(_context: Any) -> None:
            self._results[rule_id] = value

        return record

    def evaluate(self, known: Mapping[str, FactValue]) -> dict[str, Truth]:
        """Return each rule's truth (True, False or None for unknown) for the known facts."""
        fact = {"kind": "case", "sid": SESSION_ID, **known}
        with self._lock:
            self._results = {}
            try:
                state = self._host.assert_fact(self._ruleset, fact)
            except durable_engine.MessageNotHandledException:
                state = None  # no rule matched: every rule is unknown
            except Exception as exc:
                raise EngineError(f"durable-rules failed on a case: {exc}") from exc
            finally:
                self._retract(fact)
            results = self._results
        if isinstance(state, dict) and "exception" in state:
            with self._lock:  # the failure is kept in the session state: clear it
                self._host.delete_state(self._ruleset, SESSION_ID)
            raise EngineError(f"a rule action failed inside durable-rules: {state['exception']}")
        return {rule_id: results.get(rule_id) for rule_id in self._rule_ids}

    def _retract(self, fact: dict[str, Any]) -> None:
        try:
            self._host.retract_fact(self._ruleset, fact)
        except durable_engine.MessageNotHandledException:
            pass  # retracting a fact no rule observed is not an error
        except Exception as exc:
            raise EngineError(f"durable-rules could not retract a case: {exc}") from exc
