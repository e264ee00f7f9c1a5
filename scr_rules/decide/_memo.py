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

from scr_rules.case import source_facts

F = TypeVar("F", bound=Callable[..., Any])

# Entries per memoised function, over every rule: real caseloads repeat combinations of a
# rule's facts, but generated or adversarial ones need not, so the oldest entries go once
# this many are kept (measured: ~2 kB each, so a few tens of MB at most per process).
MAX_ENTRIES = 8192
MAX_RULES = 1024  # rules remembered per function; more means many rulebooks were loaded


class _ReadsFacts(Protocol):
    def facts(self) -> list[str]: ...


def dependencies(rule: _ReadsFacts) -> tuple[str, ...]:
    """Return every fact whose value can change the rule's explanation."""
    return tuple(
        dict.fromkeys(base for name in rule.facts() for base in (*source_facts(name), name))
    )


def condition_facts(rule: _ReadsFacts) -> tuple[str, ...]:
    """Return the facts the rule's condition tests (derived ones without their sources)."""
    return tuple(rule.facts())


def by_rule_facts(func: F) -> F:
    """Memoise ``func(rule, ..., known, ...)`` by the facts the rule reads and their sources.

    For what shows the facts behind a rule: a derived fact's source (the age behind
    ``is_child``) appears there too. Call it positionally.
    """
    return _memoise(func, dependencies)


def by_condition_facts(func: F) -> F:
    """Memoise ``func(rule, ..., known, ...)`` by the facts the rule's condition tests only.

    For what reads the condition alone (the failed tests, the facts waited on): fewer
    facts make fewer distinct keys, so many more hits (the age behind ``is_child`` is
    one of 26 values, ``is_child`` one of two). Call it positionally.
    """
    return _memoise(func, condition_facts)


def by_rule_and(extra: Callable[..., Hashable]) -> Callable[[F], F]:
    """Memoise ``func(rule, *args)`` by the rule and ``extra(rule, *args)``: all else it reads.

    For small explanation parts that read the rule and one value (a setting, a truth).
    """

    def decorate(func: F) -> F:
        return _memoise(func, lambda _rule: (), lambda rule, _deps, args: extra(rule, *args))

    return decorate


def _memoise(
    func: F,
    dependencies: Callable[[Any], tuple[str, ...]],
    arguments: Callable[[Any, tuple[str, ...], tuple[Any, ...]], Hashable] | None = None,
) -> F:
    """Memoise ``func(rule, *args)`` by the rule's identity and ``arguments(rule, deps, args)``.

    By default the parameter named ``known`` counts by ``dependencies(rule)`` only and every
    other argument as it is.
    """
    if arguments is None:
        at = list(inspect.signature(func).parameters).index("known") - 1  # in *args

        def arguments(_rule: Any, deps: tuple[str, ...], args: tuple[Any, ...]) -> Hashable:
            return (*args[:at], tuple(map(args[at].get, deps)), *args[at + 1 :])

    rules: dict[int, tuple[Any, tuple[str, ...]]] = {}  # id(rule) -> (rule, dependencies)
    entries: dict[Hashable, Any] = {}  # (id(rule), arguments) -> result, oldest first
    lock = threading.Lock()

    def dependencies_of(rule: Any) -> tuple[str, ...]:
        # keyed by identity (hashing a rule hashes its whole spec); the entry keeps the
        # rule alive, so its id cannot be reused while remembered
        known = rules.get(id(rule))
        if known is None or known[0] is not rule:
            with lock:
                if len(rules) >= MAX_RULES or known is not None:
                    rules.clear()
                    entries.clear()  # their ids may now be reused by other rules
                known = rules[id(rule)] = (rule, dependencies(rule))
        return known[1]

    @functools.wraps(func)
    def wrapper(rule: Any, *args: Any) -> Any:
        key = (id(rule), arguments(rule, dependencies_of(rule), args))
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
