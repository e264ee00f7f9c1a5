"""Facts that settle other facts (regimes.md 0.6, 12.1), read from ``entailments.yaml``.

The data file is parsed and validated once, when first needed (``_bundled``), and compiled
into plain tuples: ``derive`` in facts.py runs the entailments once per case. Two
functions serve the rest:

- ``entailed(known)``: the facts the known ones entail, to a fixpoint, so an entailed fact
  is never asked for. A fact derived from unknown facts stays unknown (absent).
- ``contradictions(given)``: each ``given`` that is true while what it ``entails`` is known
  and false, naming the two fields behind it (for a derived value, the field it came from).

Both are methods of a ``Table`` (the compiled entries); ``_bundled``'s ``entailed`` and
``contradictions`` (also reached here) are those of the bundled file. Mappings hold known
facts only: fact name to value, an unknown fact absent.

Its size (about 350 lines) is the evaluator, a quick check for the usual case with no
contradiction, and the messages that name both fields of one; parsing the data file is
in ``_entailment_file``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import combinations
from typing import Any

from scr_rules.case._entailment_file import (
    _MISSING,
    ANY,
    CONTAINS,
    EMPTY,
    IN,
    NOT,
    RANGE,
    TEST,
    Contradiction,
    Entailment,
    _or,
)
from scr_rules.case._facts import ALL_FACTS, FactDomain, FactValue
from scr_rules.vocabulary import literal_text


def _passes(kind: int, argument: Any, value: Any) -> bool:
    """Say whether a known value passes a compiled test."""
    if kind == IN:
        return value in argument
    if kind == CONTAINS:
        return isinstance(value, tuple | list) and argument in value
    if kind == EMPTY:
        return isinstance(value, tuple | list) and (not value) is argument
    if kind == RANGE:
        low, high = argument
        return (
            isinstance(value, date)
            and (low is None or low <= value)
            and (high is None or value <= high)
        )
    return True  # KNOWN


def _truth(node: tuple[Any, ...], values: Mapping[str, Any]) -> bool | None:
    """Evaluate a compiled condition in Kleene logic: True, False or None (unknown)."""
    tag = node[0]
    if tag == TEST:
        value = values.get(node[1], _MISSING)
        return None if value is _MISSING else _passes(node[2], node[3], value)
    if tag == NOT:
        inner = _truth(node[1], values)
        return None if inner is None else not inner
    results = [_truth(part, values) for part in node[1]]
    decisive: bool = tag == ANY  # True decides an any, False decides an all
    if decisive in results:
        return decisive
    return None if None in results else not decisive


def _one_test(node: tuple[Any, ...]) -> tuple[str, int, Any] | None:
    """Return (fact, kind, argument) when a condition is one test, or ``not`` of one.

    ``not`` of a membership test over a finite domain is membership of the rest: the same
    in three-valued logic, since both are unknown exactly while the fact is unknown.
    """
    if node[0] == TEST:
        return node[1], node[2], node[3]
    if node[0] == NOT and node[1][0] == TEST and node[1][2] == IN:
        fact, allowed = node[1][1], node[1][3]
        domain = ALL_FACTS[fact]
        if domain.kind == "int" and domain.minimum is not None and domain.maximum is not None:
            every: frozenset[Any] = frozenset(range(domain.minimum, domain.maximum + 1))
        else:
            every = frozenset(domain.values)
        return fact, IN, every - allowed
    return None


# A compiled row, flat for speed: (entry, entailed fact, its test kind, its test argument,
# the given's fact, kind and argument when the given is one test (else None, None, None),
# the given). Rows of every entry, and of those that derive a value, in file order.
_Row = tuple[Entailment, str, int, Any, str | None, int | None, Any, tuple[Any, ...]]


def _rows(entries: tuple[Entailment, ...]) -> tuple[_Row, ...]:
    rows = []
    for entry in entries:
        single = _one_test(entry.given) or (None, None, None)
        rows.append((entry, entry.fact, entry.test[0], entry.test[1], *single, entry.given))
    return tuple(rows)


def _holds(row: _Row, values: Mapping[str, Any]) -> bool:
    """Say whether a row's given is true (not false, not unknown)."""
    _, _, _, _, fact, kind, argument, node = row
    if fact is None or kind is None:  # both or neither (a given of one test)
        return _truth(node, values) is True
    actual = values.get(fact, _MISSING)
    if actual is _MISSING:
        return False
    return actual in argument if kind == IN else _passes(kind, argument, actual)


class Table:
    """Compiled entailments: what they derive, and the contradictions they find."""

    def __init__(self, entries: tuple[Entailment, ...]) -> None:
        self.entries = entries
        self._checking = _rows(entries)  # every entry, in file order
        self._deriving = tuple(row for row in self._checking if row[0].derives)
        readers: dict[str, list[_Row]] = {}
        for row in self._deriving:
            for name in row[0].reads:
                readers.setdefault(name, []).append(row)
        self._readers = {name: tuple(rows) for name, rows in readers.items()}
        self._order = {id(row): index for index, row in enumerate(self._deriving)}
        checks: dict[str, list[_Row]] = {}
        for row in self._checking:
            checks.setdefault(row[1], []).append(row)
        self._checks_of = {fact: tuple(rows) for fact, rows in checks.items()}
        self._checked_facts = frozenset(checks)
        # whether what is derived can depend on a date (then ``checked`` derives nothing)
        self._reads_dates = any(
            ALL_FACTS[name].kind == "date"
            for row in self._deriving
            for name in (*row[0].reads, row[1])
        )

    def entailed(self, known: Mapping[str, FactValue]) -> dict[str, FactValue]:
        """Return the facts that the known ones entail and that are not known themselves.

        Runs to a fixpoint; a fact derived from unknown facts stays unknown (absent). When
        the known facts contradict each other the first value derived stands (a case file
        with them is rejected anyway).
        """
        return self._fixpoint(dict(known))

    def _fixpoint(
        self, values: dict[str, Any], behind: dict[str, tuple[str, ...]] | None = None
    ) -> dict[str, Any]:
        """Add to ``values`` (in place) what they entail; return what was added.

        Rounds in the data file's order: the first tries every deriving entry, each later
        one only those reading a fact derived in the round before. When the facts
        contradict each other the first value derived stands. ``behind`` (when given)
        records for each derived fact the given fields it came from.
        """
        derived: dict[str, Any] = {}
        pending: Any = self._deriving
        while pending:
            newly = []
            for row in pending:
                entry, fact, _, _, tested, kind, argument, node = row
                if fact in values:
                    continue
                if tested is None:
                    if _truth(node, values) is not True:
                        continue
                else:  # one test, inline: most givens are one
                    actual = values.get(tested, _MISSING)
                    if actual is _MISSING:
                        continue
                    if kind == IN:
                        if actual not in argument:
                            continue
                    elif not _passes(kind, argument, actual):
                        continue
                values[fact] = derived[fact] = entry.value
                newly.append(fact)
                if behind is not None:
                    behind[fact] = tuple(
                        dict.fromkeys(
                            b for name in entry.reads if name in values for b in behind[name]
                        )
                    )
            if len(newly) == 1:
                pending = self._readers.get(newly[0], ())
            else:
                rows = {id(row): row for name in newly for row in self._readers.get(name, ())}
                pending = [rows[key] for key in sorted(rows, key=self._order.__getitem__)]
        return derived

    def _clashing(self, values: Mapping[str, Any]) -> list[Entailment]:
        """Return the entries whose given holds while their entailed fact is known and fails."""
        found = []
        for row in self._checking:
            entry, fact, kind, argument, _, _, _, _ = row
            actual = values.get(fact, _MISSING)
            if actual is _MISSING or (
                actual in argument if kind == IN else _passes(kind, argument, actual)
            ):
                continue
            if _holds(row, values):
                found.append(entry)
        return found

    def consistent(self, given: Mapping[str, Any]) -> bool:
        """Say whether the given facts deny no entailment: ``contradictions`` without messages.

        For a search over many sets of answers (the interview): a message costs far more.
        """
        values = dict(given)
        self._fixpoint(values)
        return not self._clashing(values)

    def checked(
        self, given: Mapping[str, Any]
    ) -> tuple[list[Contradiction], dict[str, FactValue] | None]:
        """Return ``contradictions(given)``, and what the facts entail when none is found.

        What is entailed is ``entailed`` of the given facts without their dates (None when
        a date could change it), so a checked case need not derive it again.
        """
        values = dict(given)
        derived = self._fixpoint(values)
        if self._clashes(values):
            return self.contradictions(given), None
        return [], None if self._reads_dates else derived

    def _clashes(self, values: Mapping[str, Any]) -> bool:
        """Say whether ``_clashing`` finds anything, reading only the rows of known facts."""
        for fact in self._checked_facts.intersection(values):
            for row in self._checks_of[fact]:
                _, _, kind, argument, _, _, _, _ = row
                actual = values[fact]
                entailed = actual in argument if kind == IN else _passes(kind, argument, actual)
                if not entailed and _holds(row, values):
                    return True
        return False

    def contradictions(self, given: Mapping[str, Any]) -> list[Contradiction]:
        """Return every entailment the given facts deny, once per pair of fields.

        ``given`` maps the known facts (dates included, as ``date``) to their values. A
        clash is named by the given fields behind it: ``field`` behind the ``given``
        condition, ``other`` behind the entailed fact's value. An entailment and its
        contrapositive find the same clash, and a chain of entailments may find it again:
        a clash read straight off the given facts is reported before one found through a
        derived fact, and then the entry listed first in the data file reports it.
        """
        values = dict(given)
        self._fixpoint(values)
        if not self._clashing(values):
            return []  # the usual case: no provenance needed
        return [
            Contradiction(entry.id, field, other, self._message(entry, field, other, given))
            for entry, field, other in self._named_clashes(given)
        ]

    def _named_clashes(self, given: Mapping[str, Any]) -> list[tuple[Entailment, str, str]]:
        """Return (entry, field, other) for each clash, in the order they are reported."""
        values = dict(given)
        behind: dict[str, tuple[str, ...]] = {name: (name,) for name in given}
        self._fixpoint(values, behind)
        named = []
        for entry in self._clashing(values):
            fields = [b for name in entry.reads if name in values for b in behind[name]]
            direct = all(name in given for name in entry.reads if name in values)
            named.append((not direct, entry, fields[0], behind[entry.fact][0]))
        named.sort(key=lambda item: item[0])  # stable: the data file's order within each
        pairs: set[frozenset[str]] = set()
        found = []
        for _, entry, field, other in named:
            if frozenset((field, other)) not in pairs:
                pairs.add(frozenset((field, other)))
                found.append((entry, field, other))
        return found

    def _message(self, entry: Entailment, field: str, other: str, given: Mapping[str, Any]) -> str:
        if field == other:
            shown = literal_text(given[field])
            return f"{shown} is not possible: {entry.why}; expected {entry.expected}"
        expected = self._acceptable(field, other, given)
        return (
            f"contradicts facts.{other}: {entry.why} ({other} is {literal_text(given[other])}); "
            f"expected {expected}, or correct {other}"
        )

    def _acceptable(self, field: str, other: str, given: Mapping[str, Any]) -> str:
        """Describe the values of ``field`` under which it no longer clashes with ``other``."""
        domain = ALL_FACTS[field]
        if domain.kind == "set":
            candidates: list[Any] = [
                tuple(kinds)
                for size in range(len(domain.values) + 1)
                for kinds in combinations(domain.values, size)
            ]
        elif domain.kind == "int" and domain.minimum is not None and domain.maximum is not None:
            candidates = list(range(domain.minimum, domain.maximum + 1))
        else:
            candidates = list(domain.values)
        pair = {field, other}
        fine = [
            value
            for value in candidates
            if not any({f, o} == pair for _, f, o in self._named_clashes({**given, field: value}))
        ]
        if domain.kind == "set":
            words = _describe_lists(fine, candidates, domain)
        elif domain.kind == "int":
            words = _ranges(fine)
        else:
            words = [literal_text(value) for value in fine]
        return _or([*words, "unknown"])


# --- messages ------------------------------------------------------------------------------


def _describe_lists(fine: list[Any], candidates: list[Any], domain: FactDomain) -> list[str]:
    if not fine:
        return []
    if fine == [()]:
        return ["[]"]
    if () not in fine and len(fine) == len(candidates) - 1:
        return ["a non-empty list"]
    for kind in domain.values:
        if fine == [value for value in candidates if kind not in value]:
            return [f"a list without {kind!r}"]
    return ["another list"]


def _ranges(numbers: list[int]) -> list[str]:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and spans[-1][1] == number - 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return [str(low) if low == high else f"{low} to {high}" for low, high in spans]


def __getattr__(name: str) -> Any:
    """The bundled file's entries and functions (``_bundled``: loaded when first needed)."""
    from scr_rules.case import _bundled, _entailment_file

    if name in ("ENTAILMENTS", "BUNDLED", "entailed", "contradictions", "checked", "consistent"):
        return getattr(_bundled, name)
    if name == "load_entailments":  # where it was defined, once
        return _entailment_file.load_entailments
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
