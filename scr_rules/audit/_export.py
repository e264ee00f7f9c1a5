"""Exports an auditor can use: one CSV row per record, and files written whole or not at all."""

from __future__ import annotations

import contextlib
import csv
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TextIO, TypeVar

from scr_rules.audit._agreement import human_agreement, met_rules
from scr_rules.audit._record import Record
from scr_rules.case import LIST_SEPARATOR
from scr_rules.errors import AuditError

CSV_COLUMNS = (
    "id",
    "recorded_at",
    "case_ref",
    "regime",
    "decision_date",
    "outcome",
    "met_rules",
    "human_decision",
    "agreement",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell
T = TypeVar("T")


class LogExportFormat(StrEnum):
    """How ``scr audit export`` writes the log: jsonl keeps everything, csv is for a spreadsheet."""

    jsonl = "jsonl"
    csv = "csv"


def csv_row(record: Record) -> list[str]:
    """Return one record as the cells of ``CSV_COLUMNS``.

    ``agreement`` is the board's decision beside the outcome recorded with it (empty when the
    board's decision was not recorded); ``met_rules`` are joined with ';' as ``scr batch`` does.
    """
    decision = record.decision
    outcome = str(decision.get("outcome", ""))
    human = record.human_decision
    cells = [
        str(record.id),
        record.recorded_at,
        record.case_ref,
        str(decision.get("regime") or ""),
        str(decision.get("decision_date") or ""),
        outcome,
        LIST_SEPARATOR.join(met_rules(decision)),
        human or "",
        human_agreement(outcome, human) if human else "",
    ]
    return [_inert(cell) for cell in cells]


def _inert(cell: str) -> str:
    """Keep a cell from running as a formula when the CSV is opened in a spreadsheet."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_csv(records: Iterable[Record], out: TextIO) -> int:
    """Write a header and one row per record; return how many records were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        writer.writerow(csv_row(record))
        count += 1
    return count


def write_atomically(output: Path, write: Callable[[TextIO], T]) -> T:
    """Write to a temporary file beside ``output`` and rename it: never a partial file.

    Only a regular file (or a new path) is replaced: renaming over a symlink, a FIFO or a
    device would put a file where the user meant that special file, so those are refused.
    """
    with contextlib.suppress(FileNotFoundError):
        mode = output.lstat().st_mode
        if not stat.S_ISREG(mode):
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
            raise AuditError(
                f"{output}: is {kind}; expected a path for a new or regular file "
                "(or leave out --output to write to stdout)"
            )
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent or ".")
    except OSError as exc:
        raise AuditError(f"{output}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            result = write(handle)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result
