"""The only module that imports durable-rules: evaluate rule conditions on its Rete engine.

Design (see the project's notes on durable-rules):
- one ruleset per regime of a rulebook, created once on durable-rules' C engine when a
  case first needs it (one ruleset for every regime overflowed the engine's 64-entry
  match stack, error 303); no ``Host``, so no global host and no background threads
  that could steal an action;
- each rule is two durable rules, "certainly true" and "certainly false"; when neither
  fires the rule is unknown (three-valued logic over a two-valued engine);
- a case is asserted as a fact (never posted as an event, which would fire one rule only)
  under one fixed session id and retracted straight after, so no state outlives a call;
- the fired rules are read from the engine's action queue on the calling thread: each
  queued action names its durable rule and is completed at once. This is what durable's
  Python ``Host`` does per action, minus a JSON round trip of the state and two clock
  reads, which made up most of a case's cost (measured: ~250 -> ~20 us per case);
- calls are serialised with a lock: the C engine has no locks of its own.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import durable_rules_engine as rete
import orjson  # durable-rules' C engine (its Python layer is bypassed)

from scr_rules.case import FactValue
from scr_rules.engine._compile import case_pattern
from scr_rules.errors import EngineError
from scr_rules.law import Rule, Truth

SESSION_ID = "scr"
_HANDLED, _NOT_HANDLED = 0, 1  # assert_fact result codes (rules.h); others are failures


class DurableEngine:
    """A rulebook compiled once into one durable-rules ruleset per regime."""

    name = "durable-rules"

    def __init__(self, rules: Iterable[Rule], digest: str) -> None:
        self._by_regime: dict[str, list[Rule]] = {}
        for rule in rules:
            self._by_regime.setdefault(rule.spec.regime, []).append(rule)
        prefix = "scr_" + digest.removeprefix("sha256:")[:16]
        self._names = {
            regime: f"{prefix}_{index}" for index, regime in enumerate(sorted(self._by_regime))
        }
        self._lock = threading.Lock()  # the C engine has no locks of its own
        # each regime's ruleset is compiled when first asked for (one case needs one or two)
        self._rulesets: dict[str, _Ruleset] = {}

    def evaluate(
        self, known: Mapping[str, FactValue], regimes: Iterable[str] | None = None
    ) -> dict[str, Truth]:
        """Return each rule's truth (True, False or None for unknown) for the known facts.

        Only the rules of ``regimes`` are evaluated (default: every regime).
        """
        chosen = list(self._by_regime if regimes is None else regimes)
        results: dict[str, Truth] = {}
        with self._lock:
            for regime in chosen:
                ruleset = self._rulesets.get(regime) or self._compile(regime)
                results.update(ruleset.evaluate(ruleset.fact(known)))
        return results

    def _compile(self, regime: str) -> _Ruleset:
        """Compile one regime's rules (the caller holds the lock)."""
        if regime not in self._by_regime:
            raise KeyError(regime)
        ruleset = self._rulesets[regime] = _Ruleset(self._names[regime], self._by_regime[regime])
        return ruleset


class _Ruleset:
    """One regime's rules as a durable-rules ruleset."""

    def __init__(self, name: str, rules: list[Rule]) -> None:
        self._rule_ids = [rule.id for rule in rules]
        self._reads = frozenset(fact for rule in rules for fact in rule.facts())
        self._fired: dict[str, tuple[str, bool]] = {}  # durable rule name -> (rule id, truth)
        # fixed-width names ("r007t"), so an action's name is a slice of its message
        digits = len(str(len(self._rule_ids)))
        self._name_end = 2 + 1 + digits + 1  # after '{"', "r", the index and "t"/"f"
        definition: dict[str, Any] = {}
        for index, rule in enumerate(rules):
            for want in (True, False):
                rule_name = f"r{index:0{digits}d}{'t' if want else 'f'}"
                definition[rule_name] = {"all": [{"m": case_pattern(rule.condition, want)}]}
                self._fired[rule_name] = (rule.id, want)
        self._name, self._definition, self._rebuilt = name, json.dumps(definition), 0
        self._handle = self._create(name)

    def _create(self, name: str) -> Any:
        try:
            return rete.create_ruleset(name, self._definition)
        except Exception as exc:
            ids = ", ".join(self._rule_ids[:3]) + (" ..." if len(self._rule_ids) > 3 else "")
            raise EngineError(f"durable-rules rejected the compiled rules ({ids}): {exc}") from exc

    def fact(self, known: Mapping[str, FactValue]) -> str:
        """Return the case as this ruleset's fact, with only the facts its rules read.

        A fact no rule tests changes no result, and every field costs the engine time to
        parse, and again each time it copies the fact into an action (measured: a third of
        a case's engine time with every known fact in).
        """
        fact: dict[str, FactValue] = {"kind": "case", "sid": SESSION_ID}
        reads = self._reads
        for name, value in known.items():
            if name in reads:
                fact[name] = value
        return orjson.dumps(fact).decode()

    def evaluate(self, fact: str) -> dict[str, Truth]:
        """Assert, read and retract one case (the caller holds the engine's lock)."""
        try:
            results = self._fire(fact)
        except Exception as exc:
            self._reset()
            if isinstance(exc, EngineError):
                raise
            raise EngineError(f"durable-rules failed on a case: {exc}") from exc
        try:
            rete.retract_fact(self._handle, fact)
        except Exception as exc:
            self._reset()
            raise EngineError(f"durable-rules could not retract a case: {exc}") from exc
        truths: dict[str, Truth] = dict.fromkeys(self._rule_ids)  # unknown unless one fired
        truths.update(results)
        return truths

    def _fire(self, fact: str) -> dict[str, bool]:
        """Assert the fact and collect (rule id, truth) from every action it queued."""
        code, state = rete.assert_fact(self._handle, fact)
        if code == _NOT_HANDLED:
            return {}  # no rule matched: every rule is unknown
        if code != _HANDLED:
            raise EngineError(f"durable-rules refused a case (code {code})")
        results: dict[str, bool] = {}
        handle, fired, end, complete = self._handle, self._fired, self._name_end, _complete
        started = rete.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message is not None:
            # the C engine writes {"<name>":{"m":{...}}}; parse it in full only if not
            found = fired.get(message[2:end]) if message[end] == '"' else None
            rule_id, value = found or fired[_action_name(message)]
            results[rule_id] = value
            message = complete(handle, state)
        return results

    def _reset(self) -> None:
        """Start again on a fresh ruleset after a failed call.

        Never ``delete_state`` after a durable-rules error: measured, it frees memory the
        engine has already freed (``free(): invalid pointer``, then a crash). The old
        ruleset is abandoned instead (a small leak, only after an engine failure).
        """
        self._rebuilt += 1
        self._handle = self._create(f"{self._name}_{self._rebuilt}")


_complete = rete.complete_and_start_action


def _action_name(message: str) -> str:
    """Return the name of the durable rule an action message is for."""
    name: str = next(iter(json.loads(message)))
    return name
