"""Remember explanations, keyed by the values they read, in one store bounded by bytes.

Building a rule's reason or "why not" walks its condition and validates pydantic models:
most of a decision's cost. The result is a pure function of the rule, the other
arguments and the values of the facts the rule reads (with their source facts, which the
explanation also shows), so each combination is built once and shared. Rules are frozen
and hashed by identity, so they are keys as they are; the facts become the tuple of the
values of exactly the facts the rule reads (``None`` for an unknown fact, a value no fact
takes), so an entry cannot depend on anything else.

Every entry of every kind sits in one store with its approximate size (its JSON's length
for an explanation); past ``MAX_BYTES`` the older half is dropped, so memory stays flat
however many distinct cases go through. The shared parts are frozen models: callers must
not mutate their ``facts`` dicts.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol, TypeVar

from scr_rules.case import FactValue, source_facts

T = TypeVar("T")

# The store's budget, in the sizes entries report (measured: a worker holding it full sits
# about 1.6x this above its start; two workers and the parent stay under 200 MB).
MAX_BYTES = 28 << 20
ENTRY_BYTES = 400  # what an entry that does not report its size counts for (its key too)
MAX_RULES = 4096  # rules whose fact lists are remembered (a few rulebooks' worth)


class _ReadsFacts(Protocol):
    def facts(self) -> list[str]: ...

    def __hash__(self) -> int: ...


class _Store:
    """Entries of every kind, oldest first, with the total of their sizes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entries: dict[Hashable, tuple[Any, int]] = {}
        self.size = 0
        self._lock = threading.Lock()

    def add(self, key: Hashable, value: T, size: int) -> T:
        with self._lock:
            if key not in self.entries:
                self.entries[key] = (value, size)
                self.size += size
                if self.size > self.max_bytes:
                    self._drop_older_half()
        return value

    def _drop_older_half(self) -> None:
        kept = list(self.entries.items())[len(self.entries) // 2 :]
        self.entries = dict(kept)
        self.size = sum(size for _, size in self.entries.values())

    def clear(self) -> None:
        with self._lock:
            self.entries = {}
            self.size = 0


STORE = _Store(MAX_BYTES)


def recall(key: Hashable) -> Any:
    """Return the value remembered under ``key``, or None."""
    found = STORE.entries.get(key)
    return None if found is None else found[0]


def remember(key: Hashable, value: T, size: int = ENTRY_BYTES) -> T:
    """Remember ``value`` under ``key`` (counted as ``size`` bytes) and return it."""
    return STORE.add(key, value, size)


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


def shown_values(rule: _ReadsFacts, known: Mapping[str, FactValue]) -> tuple[Any, ...]:
    """Return the values of every fact the rule's explanation shows (None: unknown)."""
    return tuple(map(known.get, dependencies(rule)))


def tested_values(rule: _ReadsFacts, known: Mapping[str, FactValue]) -> tuple[Any, ...]:
    """Return the values of the facts the rule's condition tests (None: unknown)."""
    return tuple(map(known.get, condition_facts(rule)))


def cached(func: Callable[..., T]) -> Callable[..., T]:
    """Memoise a function of hashable arguments (a rule and a value or two) in the store."""

    @functools.wraps(func)
    def wrapper(*args: Any) -> T:
        key = (wrapper, *args)
        found = STORE.entries.get(key)
        if found is not None:
            return found[0]  # type: ignore[no-any-return]
        return STORE.add(key, func(*args), ENTRY_BYTES)

    return wrapper


def clear_caches() -> None:
    """Forget every remembered explanation (tests compare with and without the caches)."""
    STORE.clear()
    dependencies.cache_clear()
    condition_facts.cache_clear()
