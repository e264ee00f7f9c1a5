"""The case file (``scr-case/1``): facts, what they entail, strict documents, tabular input.

Everything that reads a case goes through here: a case file, a parsed document, a dict
from another system and a CSV row all get the same checks (types, unknown names with a
did-you-mean, contradictions with the entailments of regimes.md 12.1, date order).
"""

from scr_rules.case._derive import derive, known_facts
from scr_rules.case._documents import MAX_DOCUMENT_BYTES, parse_document, read_text
from scr_rules.case._facts import (
    ALL_FACTS,
    BASE_FACTS,
    CHILD_AGE_LIMIT,
    DERIVED_FACTS,
    UNKNOWN,
    FactDomain,
    Facts,
    FactValue,
    asked_facts,
    source_facts,
)
from scr_rules.case._fast_yaml import parse_rule_document
from scr_rules.case._model import (
    CASE_SCHEMA,
    Case,
    Expectation,
    case_from_document,
    contradictions,
    load_case,
)

__all__ = [
    "ALL_FACTS",
    "BASE_FACTS",
    "CASE_SCHEMA",
    "CHILD_AGE_LIMIT",
    "DERIVED_FACTS",
    "MAX_DOCUMENT_BYTES",
    "UNKNOWN",
    "Case",
    "Expectation",
    "FactDomain",
    "FactValue",
    "Facts",
    "asked_facts",
    "case_from_document",
    "contradictions",
    "derive",
    "known_facts",
    "load_case",
    "parse_document",
    "parse_rule_document",
    "read_text",
    "source_facts",
]
