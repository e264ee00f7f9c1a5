"""Read historical cases with the board's actual decisions from JSON Lines or CSV.

Each row is validated exactly like a case file; a bad row is reported with its number and
every reason, and never half-imported. CSV rows are numbered as a spreadsheet shows them
(the header is row 1); JSON Lines rows by line number.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scr_rules.case import BASE_FACTS, CASE_SCHEMA, UNKNOWN, Case, case_from_document
from scr_rules.errors import InputError

HUMAN_DECISIONS = ("initiated", "declined", "alternative_review")
MAX_REASON = 500  # a short reason, never a narrative: the log must hold no free text about people
MAX_BY = 64
CASE_COLUMNS = (
    "schema",
    "case_ref",
    "jurisdiction",
    "incident_date",
    "notification_date",
    "decision_date",
)
HUMAN_COLUMNS = ("human_decision", "human_reason")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ImportRow:
    """One valid row: the case and the decision the board actually took."""

    where: str
    case: Case
    human_decision: str | None
    human_reason: str | None


@dataclass(frozen=True)
class RowProblem:
    """A bad row: where it is (``row 17`` / ``line 17``) and every reason it is bad."""

    where: str
    reasons: tuple[str, ...]

    def lines(self, source: str) -> list[str]:
        """Return one line per reason, each naming the file and the row."""
        return [f"{source}: {self.where}: {reason}" for reason in self.reasons]


def check_human(decision: Any, reason: Any) -> list[str]:
    """Return the problems with a human decision and its reason (none when both are fine)."""
    problems = []
    if decision is not None and decision not in HUMAN_DECISIONS:
        shown = ", ".join(repr(d) for d in HUMAN_DECISIONS)
        problems.append(f"human_decision: {decision!r} is not one of {shown}")
    if reason is not None:
        if decision is None:
            problems.append("human_reason: given without a human_decision")
        problems += [f"human_reason: {p}" for p in check_text(reason, MAX_REASON)]
    return problems


def check_text(value: Any, limit: int) -> list[str]:
    """Return the problems with a short free-text field (type, length, control characters)."""
    if not isinstance(value, str):
        return [f"{value!r} is not text"]
    if not value.strip() or len(value) > limit or _CONTROL.search(value):
        return [f"expected 1 to {limit} characters on one line (a short reason, never names)"]
    return []


def read_rows(path: Path, kind: str | None = None) -> Iterator[ImportRow | RowProblem]:
    """Yield each row of a JSONL or CSV file as an ImportRow or a RowProblem.

    Raises InputError when the file as a whole cannot be read (missing, unknown columns).
    """
    kind = kind or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    if not path.is_file():
        raise InputError(str(path), "no such file")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = _csv_documents(handle, path) if kind == "csv" else _jsonl_documents(handle)
            for where, document in rows:
                yield _row(where, document, str(path))
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None


def _row(where: str, document: Any, source: str) -> ImportRow | RowProblem:
    if isinstance(document, str):
        return RowProblem(where, (document,))  # already a problem (e.g. invalid JSON)
    if not isinstance(document, dict):
        return RowProblem(where, ("expected a JSON object (a case with the board's decision)",))
    document = dict(document)
    decision, reason = document.pop("human_decision", None), document.pop("human_reason", None)
    if isinstance(document.get("case"), dict) and "facts" not in document:
        document = document["case"]  # an exported record: its case, with our human fields
    problems = check_human(decision, reason)
    try:
        case = case_from_document(document, f"{source}: {where}")
    except InputError as exc:
        problems += [str(p) for p in exc.problems]
        case = None
    if problems or case is None:
        return RowProblem(where, tuple(problems))
    return ImportRow(where, case, decision, reason)


def _jsonl_documents(handle: Any) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except ValueError as exc:
            yield f"line {number}", f"not valid JSON ({exc})"


def _csv_documents(handle: Any, path: Path) -> Iterator[tuple[str, Any]]:
    reader = csv.DictReader(handle)
    _check_header(reader.fieldnames, path)
    line = reader.line_num
    for number, row in enumerate(reader, start=2):  # a spreadsheet's row numbers (header = 1)
        # a quoted cell may span lines, and a text editor counts blank lines: name both
        where = f"row {number}" + (f" (line {line + 1})" if line + 1 != number else "")
        line = reader.line_num
        if None in row or None in row.values():
            yield where, "has a different number of cells from the header row"
            continue
        yield where, _csv_document(row)


def _check_header(names: Any, path: Path) -> None:
    if not names:
        raise InputError(str(path), "is empty; expected a header row naming case_ref and the facts")
    known = [*CASE_COLUMNS, *HUMAN_COLUMNS, *BASE_FACTS]
    problems = []
    for name in names:
        column = name.removeprefix("facts.")
        if column not in known:
            close = difflib.get_close_matches(column, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"row 1: unknown column {name!r}{hint}")
    if len(set(names)) != len(names):
        problems.append("row 1: a column name appears twice")
    if problems:
        raise InputError(str(path), "; ".join(problems))


def _csv_document(row: dict[str, str]) -> dict[str, Any]:
    """Turn a CSV row into a case document; an empty cell is an unknown fact."""
    document: dict[str, Any] = {"schema": CASE_SCHEMA, "facts": {}}
    for name, cell in row.items():
        value = cell.strip()
        if not value:
            continue
        column = name.removeprefix("facts.")
        if column in BASE_FACTS:
            document["facts"][column] = _fact_value(column, value)
        else:
            document[column] = value
    return document


def _fact_value(name: str, text: str) -> Any:
    """Type a CSV cell strictly: true/false, whole numbers, and sets as 'a;b' or 'none'."""
    kind = BASE_FACTS[name].kind
    if kind == "bool" and text in ("true", "false"):
        return text == "true"
    if kind == "int" and _WHOLE_NUMBER.match(text):
        return int(text)
    if kind == "set" and text != UNKNOWN:
        # a cell cannot be an empty list, so 'none' spells "known: none of them"
        return [] if text == "none" else [part.strip() for part in text.split(";")]
    return text  # anything else stays text, so validation names the bad value
