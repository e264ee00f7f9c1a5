"""Facts that settle other facts (regimes.md 0.6, 12.1), read from ``entailments.yaml``.

The data file is parsed and validated once, at import, and compiled into plain tuples:
``derive`` in facts.py runs the entailments once per case. Two functions serve the rest:

- ``entailed(known)``: the facts the known ones entail, to a fixpoint, so an entailed fact
  is never asked for. A fact derived from unknown facts stays unknown (absent).
- ``contradictions(given)``: each ``given`` that is true while what it ``entails`` is known
  and false, naming the two fields behind it (for a derived value, the field it came from).

Both are methods of a ``Table`` (the compiled entries); the module's ``entailed`` and
``contradictions`` are those of the bundled file. Mappings hold known facts only: fact name
to value, an unknown fact absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from itertools import combinations
from typing import Any

from scr_rules.case._documents import parse_document
from scr_rules.case._facts import ALL_FACTS, CODE_DERIVED, FactDomain, FactValue
from scr_rules.errors import InputError, Problem, RuleFileError
from scr_rules.vocabulary import literal_text, parse_iso_date

DATA_FILE = "entailments.yaml"
ENTRY_KEYS = ("id", "given", "entails", "why", "source")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

# A compiled test is (fact, kind, argument); a compiled condition is a test or a group.
IN, CONTAINS, EMPTY, RANGE, KNOWN = range(5)  # test kinds
TEST, ALL, ANY, NOT = range(4)  # condition node tags
_MISSING = object()


@dataclass(frozen=True)
class Entailment:
    """One entry of the data file, compiled."""

    id: str
    given: tuple[Any, ...]  # a condition node
    reads: tuple[str, ...]  # the facts the given reads
    fact: str  # the entailed fact
    test: tuple[int, Any]  # (kind, argument) the entailed fact must pass
    value: Any  # the value derived (``equals``), or _MISSING for a check only
    why: str
    source: str
    expected: str  # what ``entails`` wants, in words

    @property
    def derives(self) -> bool:
        """Say whether the entailment derives a value (``equals``) rather than only checks."""
        return self.value is not _MISSING


@dataclass(frozen=True)
class Contradiction:
    """A ``given`` that holds while its ``entails`` is known and false."""

    entailment: str  # the id of the entry that found it
    field: str  # the field to correct, or the one whose value is impossible
    other: str  # the field it contradicts (``field`` again for a value impossible alone)
    message: str

    def problem(self) -> Problem:
        """Return the case-file problem: located at ``facts.<field>``."""
        return Problem(f"facts.{self.field}", self.message)


# --- parsing and validation --------------------------------------------------------------


def load_entailments(text: str, source: str = DATA_FILE) -> tuple[Entailment, ...]:
    """Parse and validate the data file; raise RuleFileError naming every bad entry."""
    try:
        document = parse_document(text, source)
    except InputError as exc:
        raise RuleFileError(source, list(exc.problems)) from None
    if not isinstance(document, dict) or set(document) != {"entailments"}:
        raise RuleFileError(source, "expected a mapping with one key, 'entailments'")
    entries = document["entailments"]
    if not isinstance(entries, list) or not entries:
        raise RuleFileError(source, "entailments: expected a non-empty list of entries")
    problems: list[Problem] = []
    compiled: list[Entailment] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        name = raw.get("id") if isinstance(raw, dict) else None
        where = f"entailments[{index}]" + (f" ({name})" if isinstance(name, str) else "")
        found: list[str] = []
        entry = _entry(raw, found)
        if isinstance(name, str) and name in seen:
            found.append(f"duplicate id {name!r}")
        if isinstance(name, str):
            seen.add(name)
        problems += [Problem(where, message) for message in found]
        if entry is not None and not found:
            compiled.append(entry)
    if problems:
        raise RuleFileError(source, problems)
    return tuple(compiled)


def _entry(raw: Any, found: list[str]) -> Entailment | None:
    if not isinstance(raw, dict):
        found.append(f"expected a mapping with {', '.join(ENTRY_KEYS)}; got {raw!r}")
        return None
    missing = [key for key in ENTRY_KEYS if key not in raw]
    extra = sorted(str(key) for key in raw if key not in ENTRY_KEYS)
    if missing:
        found.append(f"missing {', '.join(missing)}")
    if extra:
        found.append(f"unknown keys {extra}; expected {', '.join(ENTRY_KEYS)}")
    if missing or extra:
        return None
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        found.append(f"id: {raw['id']!r} is not a lower-case-with-hyphens name")
    for key in ("why", "source"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            found.append(f"{key}: expected plain words")
    given = _condition(raw["given"], "given", found)
    entails = _entails(raw["entails"], found)
    if given is None or entails is None or found:
        return None
    fact, test, value, expected = entails
    return Entailment(
        id=raw["id"],
        given=given,
        reads=tuple(dict.fromkeys(_reads(given))),
        fact=fact,
        test=test,
        value=value,
        why=" ".join(raw["why"].split()),
        source=" ".join(raw["source"].split()),
        expected=expected,
    )


def _condition(data: Any, loc: str, found: list[str]) -> tuple[Any, ...] | None:
    if not isinstance(data, dict):
        found.append(f"{loc}: expected a mapping with all, any, not or fact; got {data!r}")
        return None
    for key, tag in (("all", ALL), ("any", ANY)):
        if set(data) == {key}:
            items = data[key]
            if not isinstance(items, list) or not items:
                found.append(f"{loc}.{key}: expected a non-empty list of conditions")
                return None
            parts = [_condition(item, f"{loc}.{key}[{i}]", found) for i, item in enumerate(items)]
            if any(part is None for part in parts):
                return None
            return (tag, tuple(parts))
    if set(data) == {"not"}:
        part = _condition(data["not"], f"{loc}.not", found)
        return None if part is None else (NOT, part)
    if "fact" in data:
        parsed = _test(data, loc, found, entailed=False)
        return None if parsed is None else (TEST, parsed[0], *parsed[1])
    found.append(f"{loc}: unknown keys {sorted(map(str, data))}; expected all, any, not or fact")
    return None


def _entails(data: Any, found: list[str]) -> tuple[str, tuple[int, Any], Any, str] | None:
    if not isinstance(data, dict) or "fact" not in data:
        found.append(f"entails: expected a mapping with fact and what it must be; got {data!r}")
        return None
    parsed = _test(data, "entails", found, entailed=True)
    if parsed is None:
        return None
    fact, test, expected = parsed
    value = data.get("equals", _MISSING)
    return fact, test, value, expected


def _test(
    data: dict[str, Any], loc: str, found: list[str], entailed: bool
) -> tuple[str, tuple[int, Any], str] | None:
    """Compile one test of a fact into (fact, (kind, argument), what it wants in words)."""
    fact = data["fact"]
    if not isinstance(fact, str) or fact not in ALL_FACTS:
        found.append(f"{loc}.fact: unknown fact {fact!r}")
        return None
    domain = ALL_FACTS[fact]
    ops = sorted(str(key) for key in data if key != "fact")
    allowed = {
        "bool": [["equals"], ["in"]],
        "enum": [["equals"], ["in"]],
        "int": [["equals"], ["in"], ["at_least"], ["at_most"], ["at_least", "at_most"]],
        "set": [["contains"], ["empty"]],
        "date": [["at_least"], ["at_most"], ["at_least", "at_most"]],
    }[domain.kind]
    if not entailed:
        allowed = [*allowed, ["known"]]
    if ops not in allowed:
        choices = " or ".join("+".join(option) for option in allowed)
        found.append(f"{loc}: {ops} cannot test {fact!r} ({domain.kind}); expected {choices}")
        return None
    op = ops[0]
    if op == "known":
        if data["known"] is not True:
            found.append(f"{loc}.known: expected true")
            return None
        return fact, (KNOWN, None), "known"
    if domain.kind == "set":
        return _set_test(fact, domain, op, data[op], loc, found)
    if domain.kind == "date":
        return _date_test(fact, data, loc, found)
    if op in ("at_least", "at_most"):
        low, high = data.get("at_least", domain.minimum), data.get("at_most", domain.maximum)
        accepted = all(domain.accepts(bound) for bound in (low, high))
        # accepts() holds both to whole numbers; isinstance only says so to the type checker
        if not accepted or not isinstance(low, int) or not isinstance(high, int) or low > high:
            found.append(f"{loc}: expected bounds within {domain.describe(with_unknown=False)}")
            return None
        options: list[Any] = list(range(low, high + 1))
        words = f"from {low} to {high}"
    else:
        options = data[op] if op == "in" else [data[op]]
        if op == "in" and (not isinstance(options, list) or not options):
            found.append(f"{loc}.in: expected a non-empty list of values")
            return None
        bad = [value for value in options if not domain.accepts(value)]
        if bad:
            found.append(
                f"{loc}.{op}: {bad[0]!r} is not a value of {fact!r}; expected "
                f"{domain.describe(with_unknown=False)}"
            )
            return None
        words = _either(options)
    if op == "equals" and entailed and fact in CODE_DERIVED:
        found.append(f"{loc}.equals: {fact!r} is derived in code; it cannot be entailed")
        return None
    return fact, (IN, frozenset(options)), words


def _set_test(
    fact: str, domain: FactDomain, op: str, value: Any, loc: str, found: list[str]
) -> tuple[str, tuple[int, Any], str] | None:
    if op == "empty":
        if not isinstance(value, bool):
            found.append(f"{loc}.empty: expected true or false")
            return None
        return fact, (EMPTY, value), "[]" if value else "a non-empty list"
    if not domain.accepts(value):
        found.append(f"{loc}.contains: {value!r} is not a value of {fact!r}")
        return None
    return fact, (CONTAINS, value), f"a list with {value!r}"


def _date_test(
    fact: str, data: dict[str, Any], loc: str, found: list[str]
) -> tuple[str, tuple[int, Any], str] | None:
    bounds: list[date | None] = []
    for key in ("at_least", "at_most"):
        text = data.get(key)
        if text is None:
            bounds.append(None)
            continue
        try:
            bounds.append(parse_iso_date(str(text)))
        except ValueError:
            found.append(f"{loc}.{key}: {text!r} is not a date YYYY-MM-DD")
            return None
    low, high = bounds
    if low is not None and high is not None and low > high:
        found.append(f"{loc}: at_least is after at_most")
        return None
    words = " ".join(
        part
        for part in (
            "a date",
            f"from {low.isoformat()}" if low else "",
            f"to {high.isoformat()}" if high else "",
        )
        if part
    )
    return fact, (RANGE, (low, high)), words


def _reads(node: tuple[Any, ...]) -> list[str]:
    if node[0] == TEST:
        return [node[1]]
    if node[0] == NOT:
        return _reads(node[1])
    return [name for part in node[1] for name in _reads(part)]


# --- evaluation ----------------------------------------------------------------------------


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


def _either(values: list[Any]) -> str:
    return _or([literal_text(value) for value in values])


def _or(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def _load_bundled() -> tuple[Entailment, ...]:
    text = resources.files("scr_rules.case").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return load_entailments(text)


# Parsed, validated and compiled once, at import.
ENTAILMENTS: tuple[Entailment, ...] = _load_bundled()
BUNDLED = Table(ENTAILMENTS)
entailed = BUNDLED.entailed
contradictions = BUNDLED.contradictions
