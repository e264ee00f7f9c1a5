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
    """Return ' (did you mean 'x'?)' for the choice a newcomer most likely meant, or ''.

    Tried in order: the same name in other letter case; the one name it begins (child_age
    -> child_age_at_incident); the name sharing most of its words, where an abbreviation
    counts for the words it stands for (on_child_protection_register ->
    on_cp_register_within_6_months); then the closest spelling.
    """
    match = closest_name(word, list(choices))
    return f" (did you mean {match!r}?)" if match else ""


def closest_name(word: str, choices: list[str]) -> str | None:
    """Return the choice ``did_you_mean`` suggests, or None."""
    folded = word.casefold()
    same = [c for c in choices if c.casefold() == folded]
    if same:
        return same[0]
    if len(folded) >= 3:
        longer = sorted((c for c in choices if c.casefold().startswith(folded)), key=len)
        if longer and (len(longer) == 1 or len(longer[0]) < len(longer[1])):
            return longer[0]
    scored = sorted(((_shared_words(folded, c), c) for c in choices), reverse=True)
    if scored and scored[0][0] >= 2 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


def _shared_words(word: str, choice: str) -> int:
    """Count the words of ``choice`` that ``word`` has, or abbreviates with initials."""
    words = [w for w in word.replace("-", "_").split("_") if w]
    said = set(words)
    for size in (2, 3):  # child_protection -> cp
        said |= {"".join(w[0] for w in words[i : i + size]) for i in range(len(words) - size + 1)}
    return sum(1 for part in choice.casefold().split("_") if part in said)


def case_hint(value: object, allowed: Iterable[object]) -> str:
    """Return " (use lowercase 'england')" when ``value`` is an allowed word in other case."""
    if not isinstance(value, str):
        return ""
    for option in allowed:
        if isinstance(option, str) and option != value and option.casefold() == value.casefold():
            return (
                f" (use lowercase {option!r})" if option == option.lower() else f" (use {option!r})"
            )
    return ""


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
