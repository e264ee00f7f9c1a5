"""Words every layer shares, defined once: copies drift, and a drifted copy is a user bug.

Below ``case`` in the layering (beside ``errors``): it imports nothing from the package.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, Literal, get_args

# --- outcomes and the other closed sets of words -------------------------------------------

RuleOutcome = Literal["mandatory", "discretionary"]  # what a criterion (or a question) leads to
Outcome = Literal[RuleOutcome, "not_required", "undetermined"]  # what a decision says
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)  # strongest first, then the other two
ReviewType = Literal["concise", "extended"]  # Wales: the kind of child practice review
Jurisdiction = Literal["england", "wales"]

# --- exit codes of the command line --------------------------------------------------------

EXIT_OK = 0  # a decision was made (any outcome), a check passed, every record was decided
EXIT_CHECK_FAILED = 1  # a check failed, a replay diverged, some records or rows were bad
EXIT_BAD_INPUT = 2  # bad input or usage: the message says which file, field and expectation
EXIT_INTERNAL = 3  # an internal error (a bug), or a batch's worker process died
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM (128 + SIGINT)


# --- format names ---------------------------------------------------------------------------


class InputFormat(StrEnum):
    """How many cases come in (``scr batch``); auto goes by directory, suffix or content."""

    auto = "auto"
    dir = "dir"
    jsonl = "jsonl"
    csv = "csv"


class ImportFormat(StrEnum):
    """How past cases come in (``scr audit import``); auto goes by the file's extension."""

    auto = "auto"
    csv = "csv"
    jsonl = "jsonl"


class OutputFormat(StrEnum):
    """How many decisions are written (``scr batch``)."""

    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(StrEnum):
    """How an audit log is exported (``scr audit export``)."""

    jsonl = "jsonl"


class ReportFormat(StrEnum):
    """How a report is printed: text for people, json for machines."""

    text = "text"
    json = "json"


class DecisionFormat(StrEnum):
    """How ``scr triage`` prints a decision: text for people, json or yaml for machines."""

    text = "text"
    json = "json"
    yaml = "yaml"


# --- dates -----------------------------------------------------------------------------------

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> date:
    """Read a date spelt exactly YYYY-MM-DD; raise ValueError for anything else.

    ``date.fromisoformat`` alone also takes 20080520 and 2008-W21-2: a date an officer did
    not mean could pick the wrong law.
    """
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DD")
    return date.fromisoformat(text)


def iso_date_only(value: Any) -> Any:
    """Let only a date, or text spelt YYYY-MM-DD, through to date parsing (a before-validator).

    pydantic alone would also read 1210118400 (seconds since 1970) or a date-time as a
    date: a silent coercion that could pick the wrong regime.
    """
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("expected YYYY-MM-DD")


# --- values in words -------------------------------------------------------------------------


def value_text(value: Any) -> str:
    """Spell a value as a case file and the command line do: true, false, 2, known."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def literal_text(value: Any) -> str:
    """Quote a value as a message about rules does: true, 'known', 2, ['a', 'b'], 2008-05-20."""
    if isinstance(value, bool):
        return value_text(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal_text(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice to a misspelt name, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def count(number: int, noun: str) -> str:
    """Return '1 record', '2 records'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- canonical JSON and its hash ---------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """Return the canonical JSON of a value: sorted keys, no blanks, UTF-8 text.

    The audit log's record hashes and the rulebook digest are taken over this text: any
    change to it changes every hash already recorded.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    """Return 'sha256:<hex>' of the UTF-8 text."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
