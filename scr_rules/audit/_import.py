"""Read historical cases with the board's actual decisions from JSON Lines or CSV.

Each row is validated exactly like a case file; a bad row is reported with its number and
every reason, and never half-imported. CSV is read as ``scr batch`` reads it (the dialect
of ``scr_rules.case.Table``), its rows numbered as a spreadsheet shows them (the header is
row 1); JSON Lines rows by line number, each parsed strictly (no repeated key, no NaN).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from scr_rules.audit._record import HUMAN_DECISIONS
from scr_rules.case import (
    BrokenRow,
    Case,
    Table,
    case_from_document,
    loads_strict_json,
    row_document,
    text_stream,
)
from scr_rules.errors import InputError, Problem
from scr_rules.vocabulary import ImportFormat

MAX_REASON = 500  # a short reason, never a narrative: the log must hold no free text about people
MAX_BY = 64
HUMAN_COLUMNS = ("human_decision", "human_reason")
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


def read_rows(
    path: Path, kind: ImportFormat | str | None = None
) -> Iterator[ImportRow | RowProblem]:
    """Yield each row of a JSONL or CSV file as an ImportRow or a RowProblem.

    Raises InputError when the file as a whole cannot be read (missing, unknown columns, a
    CSV quote that leaves the rest unreadable).
    """
    chosen = ImportFormat(kind or ImportFormat.auto)
    if chosen is ImportFormat.auto:
        chosen = ImportFormat.csv if path.suffix.lower() == ".csv" else ImportFormat.jsonl
    if not path.is_file():
        raise InputError(str(path), "no such file")
    try:
        with path.open("rb") as binary, _text(binary, chosen) as text:
            if chosen is ImportFormat.csv:
                rows = _csv_documents(text, path)
            else:
                rows = _jsonl_documents(text)
            for where, document in rows:
                yield _row(where, document, str(path))
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None


def _row(where: str, document: Any, source: str) -> ImportRow | RowProblem:
    if isinstance(document, tuple):
        return RowProblem(where, document)  # already problems (e.g. invalid JSON)
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


def _text(binary: IO[bytes], kind: ImportFormat) -> io.TextIOWrapper:
    """Return the file's text without a byte-order mark, CSV as ``scr batch`` reads it."""
    if kind is ImportFormat.csv:
        return text_stream(binary)
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _jsonl_documents(text: IO[str]) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", loads_strict_json(line)
        except ValueError as exc:  # invalid JSON, a repeated key, NaN or Infinity
            yield f"line {number}", (f"not valid JSON ({exc})",)
        except RecursionError:
            yield f"line {number}", ("not valid JSON (nested too deeply)",)


def _csv_documents(text: IO[str], path: Path) -> Iterator[tuple[str, Any]]:
    source = str(path)
    table = Table(text, source, HUMAN_COLUMNS, header_where="row 1")
    for row in table.rows():
        if isinstance(row, BrokenRow):  # nothing after it can be trusted: import none of it
            raise InputError(
                source,
                Problem(
                    row.where(),
                    f"{row.message}; expected each quoted cell closed before the next comma "
                    "(nothing after this row can be read, so nothing was imported)",
                ),
            )
        try:
            yield row.where(), row_document(table.columns, row.cells)
        except InputError as exc:
            yield row.where(), tuple(str(problem) for problem in exc.problems)
