"""Memoise the explanation of one rule, which depends only on the values of the facts it reads.

Building a rule's reason or "why not" walks its condition several times and validates
pydantic models: most of a decision's cost. The result is a pure function of the rule,
the other arguments and the values of the facts the rule reads (with their source facts,
which the explanation also shows), so it is built once per such combination and shared.
The shared parts are frozen models: callers must not mutate their ``facts`` dicts.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar

from scr_rules.facts import source_facts

F = TypeVar("F", bound=Callable[..., Any])

# Entries per rule and memoised function: a rule reads at most a handful of facts, so real
# caseloads repeat combinations; the cap bounds memory (a few MB) on adversarial inputs.
MAX_ENTRIES = 4096
MAX_RULES = 1024  # rules remembered per function; more means many rulebooks were loaded


class _ReadsFacts(Protocol):
    def facts(self) -> list[str]: ...


_Memo = tuple[Any, tuple[str, ...], dict[Hashable, Any]]


def dependencies(rule: _ReadsFacts) -> tuple[str, ...]:
    """Return every fact whose value can change the rule's explanation."""
    return tuple(
        dict.fromkeys(base for name in rule.facts() for base in (*source_facts(name), name))
    )


def by_rule_facts(func: F) -> F:
    """Memoise ``func(rule, ..., known, ...)``, called positionally, by the facts the rule reads.

    The parameter named ``known`` (the known facts) counts only by the values of the
    rule's dependencies; every other argument after the rule counts as it is.
    """
    names = list(inspect.signature(func).parameters)
    at = names.index("known") - 1  # its position in *args, after the rule
    memos: dict[int, _Memo] = {}
    lock = threading.Lock()

    def memo_of(rule: Any) -> _Memo:
        # keyed by identity (hashing a rule hashes its whole spec); the entry keeps the
        # rule alive, so its id cannot be reused while remembered
        memo = memos.get(id(rule))
        if memo is None or memo[0] is not rule:
            with lock:
                if len(memos) >= MAX_RULES:
                    memos.clear()
                memo = memos[id(rule)] = (rule, dependencies(rule), {})
        return memo

    @functools.wraps(func)
    def wrapper(rule: Any, *args: Any) -> Any:
        _, deps, entries = memo_of(rule)
        key = (*args[:at], tuple(map(args[at].get, deps)), *args[at + 1 :])
        try:
            return entries[key]
        except KeyError:
            pass
        result = func(rule, *args)
        if len(entries) >= MAX_ENTRIES:
            entries.pop(next(iter(entries), None), None)  # forget the oldest
        entries[key] = result
        return result

    return wrapper  # type: ignore[return-value]
