"""The case file (``scr-case/1``): facts, what they entail, strict documents, tabular input.

Everything that reads a case goes through here: a case file, a parsed document, a dict
from another system and a CSV row all get the same checks (types, unknown names with a
did-you-mean, contradictions with the entailments of regimes.md 12.1, date order).
"""

from typing import TYPE_CHECKING, Any

from scr_rules.case._bundled import consistent
from scr_rules.case._cache import cache_dir, code_stamp, read_cached, write_cached
from scr_rules.case._derive import derive, known_facts
from scr_rules.case._documents import (
    MAX_DOCUMENT_BYTES,
    DuplicateKeyError,
    StrictJSONError,
    loads_strict_json,
    parse_document,
    quick_json,
    read_text,
)
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

if TYPE_CHECKING:  # imported when first used (see __getattr__): one case needs no CSV reader
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

_TABULAR = frozenset(
    {
        "CASE_COLUMNS",
        "FACT_PREFIX",
        "LIST_SEPARATOR",
        "NONE_OF_THEM",
        "BrokenRow",
        "Table",
        "TableRow",
        "header_columns",
        "row_document",
        "text_stream",
    }
)


def __getattr__(name: str) -> Any:
    """Import the CSV reader's names on first use."""
    if name in _TABULAR:
        from scr_rules.case import _tabular

        value = getattr(_tabular, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scr_rules.case' has no attribute {name!r}")


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
    "cache_dir",
    "case_from_dict",
    "case_from_document",
    "code_stamp",
    "consistent",
    "contradictions",
    "derive",
    "header_columns",
    "known_facts",
    "load_case",
    "loads_strict_json",
    "parse_document",
    "parse_rule_document",
    "quick_json",
    "read_cached",
    "read_text",
    "row_document",
    "source_facts",
    "text_stream",
    "write_cached",
]
