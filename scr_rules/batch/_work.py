"""Decide a batch's records: parse, validate, triage and serialise, one chunk at a time.

This runs in the worker processes (or in-process with one job). Every record gives one
output line, never an exception: a record that cannot be decided gives an error line
that says where it was and why, and the run goes on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scr_rules.case import (
    CASE_REF_PATTERN,
    LIST_SEPARATOR,
    MAX_DOCUMENT_BYTES,
    BrokenRow,
    Case,
    StrictJSONError,
    case_from_document,
    loads_strict_json,
    parse_document,
    quick_json,
    read_text,
    row_document,
)
from scr_rules.decide import Decision, triage, triage_json
from scr_rules.engine import DEFAULT_EVALUATOR, EvaluatorName, evaluator_for
from scr_rules.errors import InputError, Problem, ScrRulesError
from scr_rules.law import RuleBook, SettingValue, load_rulebook
from scr_rules.vocabulary import InputFormat, OutputFormat

CSV_COLUMNS = ("case_ref", "outcome", "regime", "met_rules", "missing_facts", "line", "error")
ERROR = "error"
_CASE_REF = re.compile(CASE_REF_PATTERN)  # a case_ref the case file allows

# One result per record: (outcome, or "error", or "valid"; the output line, as UTF-8 or
# text; audit entry).
Result = tuple[str, bytes | str, Any]


@dataclass(frozen=True)
class Chunk:
    """A chunk's output, ready to write: its lines as one UTF-8 block, and per record."""

    data: bytes
    statuses: list[str]  # each record's outcome, "error" or "valid"
    entries: list[Any]  # audit-log entries, when recording


@dataclass(frozen=True)
class WorkSpec:
    """Everything a worker needs, fixed for the whole run (sent once to each worker)."""

    input_format: InputFormat  # never auto: the format the input was opened as
    output_format: OutputFormat
    header: tuple[str, ...] = ()
    rules: str | None = None
    regime: str | None = None
    decision_date: date | None = None
    settings: Mapping[str, SettingValue] = field(default_factory=dict)
    evaluator: EvaluatorName = DEFAULT_EVALUATOR
    validate_only: bool = False
    record: bool = False  # build audit-log entries beside the decisions
    by: str | None = None
    pseudonymise_key: bytes | None = None


class _Rejected(Exception):
    """A record that cannot be decided; the problems are safe to write (no case data)."""

    def __init__(self, problems: str | Sequence[Problem], error_type: str = "case_file") -> None:
        self.problems = (Problem("", problems),) if isinstance(problems, str) else tuple(problems)
        self.error_type = error_type
        super().__init__(_joined(self.problems))


class Worker:
    """Decides records under one rulebook, loaded and compiled once per process."""

    def __init__(self, spec: WorkSpec) -> None:
        self.spec = spec
        self.book: RuleBook = load_rulebook(spec.rules)
        if spec.evaluator == DEFAULT_EVALUATOR and not spec.validate_only:
            evaluator_for(self.book, spec.evaluator)  # compile now, not in the first timing
        self._options: dict[str, Any] = {
            "rulebook": self.book,
            "settings": spec.settings,
            "decision_date": spec.decision_date,
            "evaluator": spec.evaluator,
        }
        # the decision's JSON is all a line needs: put together without building the model
        self._json_only = spec.output_format is OutputFormat.jsonl and not spec.record
        self._csv_buffer = io.StringIO()
        self._csv = csv.writer(self._csv_buffer, lineterminator="\n")

    def process(self, chunk: Sequence[tuple[str, Any, Any]]) -> Chunk:
        """Decide every record of the chunk; return the output in input order."""
        results = [self.one(key, position, payload) for key, position, payload in chunk]
        return Chunk(
            # one block, encoded here: the parent then only copies bytes to the file
            b"".join(
                line if isinstance(line, bytes) else line.encode("utf-8") for _, line, _ in results
            ),
            [status for status, _, _ in results],
            [entry for _, _, entry in results if entry is not None],
        )

    def one(self, key: str, position: Any, payload: Any) -> Result:
        """Decide one record; any failure becomes an error line."""
        document: Any = None
        try:
            document = self._document(payload)
            case = case_from_document(document, f"{key} {position}")
            if self.spec.validate_only:
                return "valid", self._valid_line(case, key, position), None
            if self._json_only:
                outcome, data = triage_json(case, self.spec.regime, **self._options)
                return outcome, data + b"\n", None
            decision = triage(case, self.spec.regime, **self._options)
            entry = self._entry(case, decision) if self.spec.record else None
            return decision.outcome, self._decision_line(decision, key, position), entry
        except (_Rejected, ScrRulesError) as exc:
            rejected = (
                exc if isinstance(exc, _Rejected) else _Rejected(exc.problems, exc.error_type)
            )
        except Exception as exc:  # a bug must not stop the run or leak case data
            message = f"internal error ({type(exc).__name__}); rerun this record with scr triage"
            rejected = _Rejected(message, "internal")
        return ERROR, self._error_line(key, position, _case_ref(document), rejected), None

    def _document(self, payload: Any) -> Any:
        fmt = self.spec.input_format
        if fmt == InputFormat.jsonl:
            return _json_document(payload)
        if fmt == InputFormat.csv:
            return _csv_document(self.spec.header, payload)
        try:
            source, text = read_text(Path(payload))
            return parse_document(text, source)
        except InputError as exc:
            raise _Rejected(exc.problems) from None

    def _entry(self, case: Case, decision: Any) -> Any:
        from scr_rules.audit import make_entry  # only when recording: keep start-up lean

        return make_entry(
            case,
            decision,
            self.book,
            by=self.spec.by,
            pseudonymise_key=self.spec.pseudonymise_key,
        )

    def _decision_line(self, decision: Decision, key: str, position: Any) -> str:
        if self.spec.output_format is OutputFormat.jsonl:
            return decision.model_dump_json() + "\n"
        return self._row(
            decision.case_ref,
            decision.outcome,
            decision.regime,
            LIST_SEPARATOR.join(decision.met_rules()),
            LIST_SEPARATOR.join(decision.missing_facts),
            position,
            "",
        )

    def _valid_line(self, case: Case, key: str, position: Any) -> str:
        if self.spec.output_format is OutputFormat.jsonl:
            return json.dumps(case.dump(), ensure_ascii=False, separators=(",", ":")) + "\n"
        return self._row(case.case_ref, "", "", "", "", position, "")

    def _error_line(
        self, key: str, position: Any, case_ref: str | None, rejected: _Rejected
    ) -> str:
        """One line per refused record: the joined message, and each problem as data."""
        message = str(rejected)
        if self.spec.output_format is OutputFormat.jsonl:
            record: dict[str, Any] = {key: position}
            if case_ref is not None:
                record["case_ref"] = case_ref
            record["error"] = message
            record["error_type"] = rejected.error_type
            record["problems"] = [problem.as_data() for problem in rejected.problems]
            return json.dumps(record, ensure_ascii=False) + "\n"
        return self._row(case_ref or "", ERROR, "", "", "", position, message)

    def _row(self, *cells: Any) -> str:
        self._csv_buffer.seek(0)
        self._csv_buffer.truncate()
        self._csv.writerow(cells)
        return self._csv_buffer.getvalue()


def _joined(problems: Sequence[Problem]) -> str:
    """Return every problem on one line, without the source prefix."""
    return "; ".join(" ".join(str(problem).split()) for problem in problems)


def _case_ref(document: Any) -> str | None:
    """Return the record's case_ref if it has a well-formed one (never free text)."""
    ref = document.get("case_ref") if isinstance(document, dict) else None
    return ref if isinstance(ref, str) and _CASE_REF.fullmatch(ref) else None


def _json_document(line: bytes) -> Any:
    """Parse one JSON Lines record strictly: no repeated keys, no NaN or Infinity."""
    if len(line) > MAX_DOCUMENT_BYTES:
        raise _Rejected(f"the line is longer than {MAX_DOCUMENT_BYTES:,} bytes")
    document = quick_json(line)
    if document is not None:
        return document
    try:
        text = line.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, if any
    except UnicodeDecodeError as exc:
        raise _Rejected(f"not UTF-8 text (byte {exc.start + 1} of the line)") from None
    try:
        return loads_strict_json(text)
    except StrictJSONError as exc:  # a repeated key, NaN or Infinity
        raise _Rejected(f"not valid JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        raise _Rejected(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise _Rejected("not valid JSON: nested too deeply") from None


def _csv_document(header: Sequence[str], cells: Any) -> dict[str, Any]:
    """Turn one CSV row into a case document, as ``scr_rules.case.row_document`` reads it."""
    if isinstance(cells, BrokenRow):  # the reader could not split the line
        raise _Rejected(cells.message)
    try:
        return row_document(header, cells)
    except InputError as exc:
        raise _Rejected(exc.problems) from None
