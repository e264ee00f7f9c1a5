"""Memoise a rule's explanation with ``functools.lru_cache``, keyed by the values it reads.

Building a rule's reason or "why not" walks its condition several times and validates
pydantic models: most of a decision's cost. The result is a pure function of the rule,
the other arguments and the values of the facts the rule reads (with their source facts,
which the explanation also shows), so each combination is built once and shared. Rules
are frozen and hashed by identity, so they are the cache key as they are; the facts
become a tuple of (name, value) pairs, and the function sees only those facts, which
proves it reads nothing else. Each cache is bounded (least recently used goes first).
The shared parts are frozen models: callers must not mutate their ``facts`` dicts.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from scr_rules.case import source_facts

F = TypeVar("F", bound=Callable[..., Any])

# Entries per memoised function, over every rule: real caseloads repeat combinations of a
# rule's facts, but generated or adversarial ones need not (measured: ~2 kB an entry).
MAX_ENTRIES = 8192
MAX_RULES = 4096  # rules whose fact lists are remembered (a few rulebooks' worth)
_CACHES: list[Any] = []


class _ReadsFacts(Protocol):
    def facts(self) -> list[str]: ...


@functools.lru_cache(maxsize=MAX_RULES)
def dependencies(rule: _ReadsFacts) -> tuple[str, ...]:
    """Return every fact whose value can change the rule's explanation."""
    return tuple(
        dict.fromkeys(base for name in rule.facts() for base in (*source_facts(name), name))
    )


@functools.lru_cache(maxsize=MAX_RULES)
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
    facts make fewer distinct keys, so many more hits. Call it positionally.
    """
    return _memoise(func, condition_facts)


def cached(func: F) -> F:
    """Memoise a function of hashable arguments (a rule and a value or two)."""
    memo = functools.lru_cache(maxsize=MAX_ENTRIES)(func)
    _CACHES.append(memo)
    return memo  # type: ignore[return-value]


def clear_caches() -> None:
    """Forget every memoised explanation (tests compare with and without the caches)."""
    for memo in _CACHES:
        memo.cache_clear()
    dependencies.cache_clear()
    condition_facts.cache_clear()


def _memoise(func: F, facts_of: Callable[[Any], tuple[str, ...]]) -> F:
    at = list(inspect.signature(func).parameters).index("known")

    def from_pairs(*args: Any) -> Any:
        return func(*args[:at], dict(args[at]), *args[at + 1 :])

    memo = functools.lru_cache(maxsize=MAX_ENTRIES)(from_pairs)
    _CACHES.append(memo)

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        known = args[at]
        pairs = tuple((name, known[name]) for name in facts_of(args[0]) if name in known)
        return memo(*args[:at], pairs, *args[at + 1 :])

    return wrapper  # type: ignore[return-value]
