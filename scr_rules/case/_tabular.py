"""Cases as the rows of a CSV table: one reader and one dialect for every command that takes CSV.

``scr batch`` and ``scr audit import`` read CSV the same way:

- the file is UTF-8, and a byte-order mark at its start is dropped; a cell that is not
  UTF-8 makes its row bad, not the file;
- the first row names the columns: ``case_ref`` (required), the other case fields, the
  facts by name (``facts.child_died`` is ``child_died``) and any columns the command adds
  (``human_decision``, ``human_reason`` for an import); names are trimmed, and an unknown
  name (with a did-you-mean) or a column named twice (also once with ``facts.``, once
  without) rejects the file before any row is read;
- quoting is strict: a quote that is not closed, or text after a closing quote, leaves the
  rest of the file unreadable, and the reader says on which row;
- a row whose cells are all blank is skipped; a row with another number of cells than the
  header is bad;
- cells are trimmed, and an empty cell or ``unknown`` leaves the fact unknown; a yes-no
  fact takes ``true`` or ``false``, an age a whole number, a list fact its values joined
  by ``;`` (empty parts ignored) or ``none`` for none of them; anything else stays text,
  so that validation names the bad value.

Rows are numbered as a spreadsheet shows them (the header is row 1, a blank row counts),
with the lines a text editor shows beside them, since a quoted cell may span lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from scr_rules.case._documents import MAX_DOCUMENT_BYTES
from scr_rules.case._facts import BASE_FACTS, UNKNOWN
from scr_rules.case._model import CASE_SCHEMA
from scr_rules.errors import CaseFileError, InputError, Problem
from scr_rules.vocabulary import did_you_mean, value_text

CASE_COLUMNS = (
    "schema",
    "case_ref",
    "jurisdiction",
    "incident_date",
    "notification_date",
    "decision_date",
)
FACT_PREFIX = "facts."  # ``facts.child_died`` names the fact ``child_died``
LIST_SEPARATOR = ";"  # joins the values of a list fact in one cell
NONE_OF_THEM = "none"  # a list fact's cell for the empty list (a cell cannot be empty and known)
CELL_LIMIT = MAX_DOCUMENT_BYTES  # one cell may not exceed a case file's size limit
_BOOLEANS = {value_text(value): value for value in (True, False)}
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """Return the CSV text of a binary stream: UTF-8 without its byte-order mark.

    Bytes that are not UTF-8 pass through as lone surrogates, so that only the row they
    are in is bad (``row_document`` says which column).
    """
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")


@dataclass(frozen=True)
class _Place:
    """Where a row is: its spreadsheet row, and the first and last line it spans."""

    row: int
    line: int
    end_line: int

    def where(self) -> str:
        """Return 'row 17', or 'row 17 (line 18)' when a line break in a cell shifts lines."""
        return f"row {self.row}" + (f" (line {self.line})" if self.line != self.row else "")


@dataclass(frozen=True)
class TableRow(_Place):
    """One row of cells, and where it is."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class BrokenRow(_Place):
    """A row the reader cannot split (a broken quote): nothing after it is reliable."""

    message: str


class Table:
    """An open CSV table: its columns, read and checked at once, and its rows, read lazily.

    ``extra_columns`` are the columns the command takes besides the case's; header
    problems are reported at ``header_where`` ('line 1' or 'row 1', as the command
    numbers its input). Raises InputError for a header that cannot be used.
    """

    def __init__(
        self,
        text: Iterable[str],
        source: str,
        extra_columns: Sequence[str] = (),
        header_where: str = "line 1",
    ) -> None:
        csv.field_size_limit(CELL_LIMIT)
        self.source = source
        self._reader = csv.reader(text, strict=True)
        self._row = 1
        try:
            raw = next(self._reader, [])
        except csv.Error as exc:
            raise InputError(
                source, Problem(header_where, f"the CSV header cannot be read: {exc}")
            ) from None
        self.columns = header_columns(raw, source, extra_columns, header_where)

    def rows(self) -> Iterator[TableRow | BrokenRow]:
        """Yield every row that has a value, in order.

        A broken quote yields a BrokenRow and ends the table (nothing after it is reliable); an
        oversized cell yields a BrokenRow for its row and the rows after it are still read.
        """
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._row += 1
                if "field larger than field limit" in str(exc):
                    # the reader drops the oversized row and goes on: so do we, saying so
                    message = f"a cell is larger than {CELL_LIMIT:,} characters; row left out"
                    yield BrokenRow(self._row, start, reader.line_num, message)
                    continue
                end = reader.line_num
                yield BrokenRow(
                    self._row,
                    start,
                    end,
                    f"not valid CSV: {exc}; lines {start}..{end} were not read (a quote "
                    "opened and never closed?), and the table ends here",
                )
                return
            self._row += 1
            if any(cell.strip() for cell in cells):
                yield TableRow(self._row, start, reader.line_num, tuple(cells))


def header_columns(
    raw: Sequence[str], source: str, extra_columns: Sequence[str] = (), where: str = "line 1"
) -> tuple[str, ...]:
    """Return the header's column names, trimmed and without ``facts.``; check them all.

    Raises InputError naming every unknown, unnamed or repeated column, or a missing
    case_ref column.
    """
    names = [cell.strip() for cell in raw]
    if names:
        names[0] = names[0].lstrip("\ufeff")  # a mark the text stream did not drop
    if not any(names):  # an empty file, or an empty first line
        raise InputError(
            source,
            Problem(where, "the CSV has no header; expected a row naming case_ref and the facts"),
        )
    fields = [*CASE_COLUMNS, *extra_columns]
    problems: list[Problem] = []
    columns: list[str] = []
    first_at: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        column = _column(name, fields, number, problems, where)
        columns.append(column)
        if not column:
            continue
        if column in first_at:
            first = first_at[column]
            problems.append(
                Problem(
                    where,
                    f"column {column!r} appears twice: {names[first - 1]!r} (column {first}) "
                    f"and {name!r} (column {number}); expected each column once",
                )
            )
        else:
            first_at[column] = number
    if not problems and "case_ref" not in columns:
        problems.append(
            Problem(
                where,
                "the header has no case_ref column; expected one, e.g. "
                "case_ref,decision_date,child_died",
            )
        )
    if problems:
        raise InputError(source, problems)
    return tuple(columns)


def _column(name: str, fields: list[str], number: int, problems: list[Problem], where: str) -> str:
    """Return the column a header cell names, or '' after noting why it names none."""
    if not name:
        problems.append(
            Problem(where, f"column {number} has no name; expected a column name in every cell")
        )
        return ""
    if _not_utf8(name):
        problems.append(
            Problem(where, f"column {number}: the name is not UTF-8 text; expected UTF-8")
        )
        return ""
    if name.startswith(FACT_PREFIX):
        fact = name.removeprefix(FACT_PREFIX)
        if fact in BASE_FACTS:
            return fact
        problems.append(
            Problem(
                where,
                f"unknown column {name!r}{did_you_mean(fact, BASE_FACTS)}; expected a fact "
                f"that 'scr schema' lists after {FACT_PREFIX!r}",
            )
        )
        return ""
    if name in fields or name in BASE_FACTS:
        return name
    problems.append(
        Problem(
            where,
            f"unknown column {name!r}{did_you_mean(name, [*fields, *BASE_FACTS])}; expected "
            f"{', '.join(fields)} or a fact that 'scr schema' lists",
        )
    )
    return ""


def row_document(
    columns: Sequence[str], cells: Sequence[str], source: str = "<row>"
) -> dict[str, Any]:
    """Turn one row into a case document (validation comes after); an empty cell is unknown.

    Raises CaseFileError when the row has another number of cells than the header, or a
    cell that is not UTF-8 text.
    """
    if len(cells) != len(columns):
        raise CaseFileError(
            source, f"expected {len(columns)} cells as in the header, got {len(cells)}"
        )
    bad = [
        Problem(f"column {name}", "not UTF-8 text; expected text saved as UTF-8")
        for name, raw in zip(columns, cells, strict=True)
        if _not_utf8(raw)
    ]
    if bad:
        raise CaseFileError(source, bad)
    document: dict[str, Any] = {"schema": CASE_SCHEMA}
    facts: dict[str, Any] = {}
    for name, raw in zip(columns, cells, strict=True):
        cell = raw.strip()
        if not cell:
            continue
        if name in BASE_FACTS:
            facts[name] = cell_value(name, cell)
        else:
            document[name] = cell
    document["facts"] = facts
    return document


def cell_value(name: str, cell: str) -> Any:
    """Read a fact's (trimmed, non-empty) cell by the fact's kind; anything else stays text."""
    kind = BASE_FACTS[name].kind
    if cell == UNKNOWN:
        return cell
    if kind == "bool" and cell in _BOOLEANS:
        return _BOOLEANS[cell]
    if kind == "int" and _WHOLE_NUMBER.fullmatch(cell):
        try:
            return int(cell)
        except ValueError:  # more digits than Python converts: validation names it
            return cell
    if kind == "set":
        if cell == NONE_OF_THEM:
            return []
        return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]
    return cell


def _not_utf8(text: str) -> bool:
    """Say whether text holds bytes that were not UTF-8 (kept as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
