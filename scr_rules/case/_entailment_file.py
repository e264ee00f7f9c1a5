"""The entailments data file (``entailments.yaml``): parsed, validated and compiled.

Each entry becomes an ``Entailment`` of plain tuples (a compiled condition is a test
``(TEST, fact, kind, argument)`` or a group); ``_entailments`` evaluates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from scr_rules.case._facts import ALL_FACTS, CODE_DERIVED, FactDomain
from scr_rules.case._fast_yaml import parse_rule_document
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
    return entailments_from_document(parse_entailments(text, source), source)


def parse_entailments(text: str, source: str = DATA_FILE) -> Any:
    """Parse the data file's text (strictly); raise RuleFileError where it is not YAML."""
    try:
        return parse_rule_document(text, source)  # libyaml's speed, the strict result
    except InputError as exc:
        raise RuleFileError(source, list(exc.problems)) from None


def entailments_from_document(document: Any, source: str = DATA_FILE) -> tuple[Entailment, ...]:
    """Validate and compile the parsed data file; raise RuleFileError naming every bad entry."""
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


def _either(values: list[Any]) -> str:
    return _or([literal_text(value) for value in values])


def _or(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
