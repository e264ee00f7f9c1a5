"""The fact glossary (``scr facts``) and the commented case-file template (``scr new``)."""

from __future__ import annotations

import functools
from typing import Any

from scr_rules.case import BASE_FACTS, CASE_SCHEMA, DERIVED_FACTS, UNKNOWN, Facts, known_facts
from scr_rules.law import QuestionBook, QuestionEntry, RuleBook
from scr_rules.vocabulary import value_text


@functools.cache
def _feeding() -> dict[str, set[str]]:
    """Return, for each derived fact, the facts an answer to which settles it on its own.

    The age settles is_child, and so does the subject's status (a stillbirth is no child).
    """
    found: dict[str, set[str]] = {name: set() for name in DERIVED_FACTS}
    nothing = Facts()
    for name, domain in BASE_FACTS.items():
        values = [domain.values[:1]] if domain.kind == "set" else list(domain.values) or [5]
        for value in values:
            known = known_facts(nothing.model_copy(update={name: value}))
            for derived in known.keys() & found.keys():
                found[derived].add(name)
    return found


def reading_regimes(book: RuleBook) -> dict[str, list[str]]:
    """Return, for each fact, the regimes whose rules read it (or whose dates turn on it)."""
    found: dict[str, set[str]] = {name: set() for name in BASE_FACTS}
    feeding = _feeding()
    for rule in book.rules:
        for name in rule.facts():
            for base in feeding.get(name, {name}):
                found.setdefault(base, set()).add(rule.spec.regime)
    for regime in book.regimes:
        if regime.area_switch is not None:
            found[regime.area_switch.fact] |= {regime.id, regime.area_switch.replaces}
    order = [regime.id for regime in book.regimes]
    return {name: sorted(ids, key=order.index) for name, ids in found.items()}


def values_of(entry: QuestionEntry) -> list[dict[str, Any]]:
    """Return every value of a fact with its label, unknown last."""
    domain = entry.domain
    values: list[Any] = list(domain.values)
    if domain.kind == "int" and domain.minimum is not None and domain.maximum is not None:
        values = list(range(domain.minimum, domain.maximum + 1))
    elif domain.kind == "set":
        values.append([])
    values.append(UNKNOWN)
    return [{"value": value, "label": entry.label(value)} for value in values]


def glossary(
    questions: QuestionBook, book: RuleBook, regime: str | None = None
) -> list[dict[str, Any]]:
    """Return the glossary: each fact's question, values, definition and reading regimes."""
    readers = reading_regimes(book)
    return [
        {
            "fact": entry.fact,
            "topic": entry.topic,
            "question": entry.text,
            "hint": entry.hint,
            "kind": entry.domain.kind,
            "values": values_of(entry),
            "definition": entry.definition.model_dump(mode="json"),
            "regimes": readers[entry.fact],
        }
        for entry in questions.questions
        if regime is None or regime in readers[entry.fact]
    ]


def glossary_lines(questions: QuestionBook, items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return the glossary as (style, line) pairs for a console, grouped by topic."""
    lines: list[tuple[str, str]] = []
    topic = None
    for item in items:
        if item["topic"] != topic:
            topic = item["topic"]
            lines.append(("bold", f"\n{questions.topic(topic).title}"))
        definition = item["definition"]
        lines += [
            ("bold", f"  {item['fact']}: {item['question']}"),
            ("", f"    values: {_values_text(item)}"),
            ("", f"    {definition['term']}: {definition['text']}"),
            (
                "dim",
                f"    source: {definition['instrument']}, {definition['reference']} "
                f"[{definition['evidence']}; {definition['catalogue']}]",
            ),
            ("dim", f"    read by: {', '.join(item['regimes']) or 'no rule (recorded only)'}"),
        ]
    return lines


def _values_text(item: dict[str, Any]) -> str:
    if item["kind"] == "int":
        numbers = [v["value"] for v in item["values"] if isinstance(v["value"], int)]
        return f"a whole number from {min(numbers)} to {max(numbers)}, or unknown"
    if item["kind"] == "date":
        return "a date YYYY-MM-DD, or unknown"
    shown = [f"{_spelt(v['value'])} ({v['label']})" for v in item["values"]]
    return ("a list of: " if item["kind"] == "set" else "") + ", ".join(shown)


def _spelt(value: Any) -> str:
    return "[]" if value == [] else value_text(value)


def template(questions: QuestionBook, book: RuleBook, jurisdiction: str) -> str:
    """Return a commented case file for a jurisdiction: every fact its regimes read, unknown."""
    regimes = {regime.id for regime in book.regimes if regime.jurisdiction == jurisdiction}
    readers = reading_regimes(book)
    lines = [
        f"# A new case file ({CASE_SCHEMA}). Never write a name, an address or a narrative here.",
        "# Answer a fact by replacing 'unknown'; a fact left unknown is listed as missing",
        "# while it could change the outcome. 'scr interview FILE --out FILE' asks only the",
        "# questions that matter; 'scr facts' explains every fact.",
        f"schema: {CASE_SCHEMA}",
        "case_ref: NEW-0001          # an opaque reference; never a name or a date of birth",
        f"jurisdiction: {jurisdiction}",
        "# incident_date: YYYY-MM-DD       # the death or the harm",
        "# notification_date: YYYY-MM-DD   # when the board or local authority became aware",
        "# decision_date: YYYY-MM-DD       # the date the decision is taken: it picks the law",
        "facts:",
    ]
    topic = None
    for entry in questions.questions:
        if not regimes & set(readers[entry.fact]):
            continue
        if entry.topic != topic:
            topic = entry.topic
            lines.append(f"  # --- {questions.topic(topic).title}")
        lines.append(f"  # {entry.text}")
        lines.append(f"  {entry.fact}: {UNKNOWN}  # {_choices(entry)}")
    return "\n".join(lines) + "\n"


def _choices(entry: QuestionEntry) -> str:
    domain = entry.domain
    if domain.kind == "int":
        return f"{domain.minimum} to {domain.maximum}"
    if domain.kind == "date":
        return "YYYY-MM-DD"
    if domain.kind == "set":
        return "a list of " + ", ".join(str(v) for v in domain.values) + ", or []"
    return " | ".join(value_text(v) for v in domain.values)
