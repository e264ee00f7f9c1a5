"""The case file (``scr-case/1``): facts, what they entail, strict documents, tabular input.

Everything that reads a case goes through here: a case file, a parsed document, a dict
from another system and a CSV row all get the same checks (types, unknown names with a
did-you-mean, contradictions with the entailments of regimes.md 12.1, date order).
"""

from scr_rules.case._derive import derive, known_facts
from scr_rules.case._documents import (
    MAX_DOCUMENT_BYTES,
    DuplicateKeyError,
    StrictJSONError,
    loads_strict_json,
    parse_document,
    read_text,
)
from scr_rules.case._entailments import consistent
from scr_rules.case._facts import (
    ALL_FACTS,
    BASE_FACTS,
    CHILD_AGE_LIMIT,
    DERIVED_FACTS,
    UNKNOWN,
    FactDomain,
    Facts,
    FactValue,
    IsoDate,
    asked_facts,
    source_facts,
)
from scr_rules.case._fast_yaml import parse_rule_document
from scr_rules.case._model import (
    CASE_REF_PATTERN,
    CASE_SCHEMA,
    Case,
    Expectation,
    case_from_dict,
    case_from_document,
    contradictions,
    load_case,
)
from scr_rules.case._tabular import (
    CASE_COLUMNS,
    FACT_PREFIX,
    LIST_SEPARATOR,
    NONE_OF_THEM,
    BrokenRow,
    Table,
    TableRow,
    header_columns,
    row_document,
    text_stream,
)

__all__ = [
    "ALL_FACTS",
    "BASE_FACTS",
    "CASE_COLUMNS",
    "CASE_REF_PATTERN",
    "CASE_SCHEMA",
    "CHILD_AGE_LIMIT",
    "DERIVED_FACTS",
    "FACT_PREFIX",
    "LIST_SEPARATOR",
    "MAX_DOCUMENT_BYTES",
    "NONE_OF_THEM",
    "UNKNOWN",
    "BrokenRow",
    "Case",
    "DuplicateKeyError",
    "Expectation",
    "FactDomain",
    "FactValue",
    "Facts",
    "IsoDate",
    "StrictJSONError",
    "Table",
    "TableRow",
    "asked_facts",
    "case_from_dict",
    "case_from_document",
    "consistent",
    "contradictions",
    "derive",
    "header_columns",
    "known_facts",
    "load_case",
    "loads_strict_json",
    "parse_document",
    "parse_rule_document",
    "read_text",
    "row_document",
    "source_facts",
    "text_stream",
]
