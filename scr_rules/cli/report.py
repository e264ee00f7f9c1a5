"""``scr report``: the decision record for the board's minutes, from a case file or a log.

Exit codes: 0 the record was written; 1 the log's record does not match its hash (it was
edited: nothing is written); 2 bad input or usage (a bad case file or option, no such log
or record, a PDF without WeasyPrint, a PDF to a terminal).
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from scr_rules.audit import AuditLog, Record, human_agreement, write_atomically
from scr_rules.case import Case, case_from_document, load_case
from scr_rules.cli._common import (
    EXIT_CHECK_FAILED,
    RegimeOption,
    RulesOption,
    SetOption,
    fail,
    parse_date,
    read_stdin,
    rulebook,
)
from scr_rules.decide import Decision, triage
from scr_rules.errors import AuditError, Problem, RegimeError, ScrRulesError, UsageError
from scr_rules.law import RuleBook, parse_assignments
from scr_rules.render import Audience, LoggedRecord, RecordFormat, decision_record

SUFFIXES = {  # -o's extension picks the format when --format is not given
    ".md": RecordFormat.md,
    ".html": RecordFormat.html,
    ".htm": RecordFormat.html,
    ".pdf": RecordFormat.pdf,
}


def report(
    file: Annotated[
        str | None,
        typer.Argument(
            help="The case file (YAML or JSON); '-' reads stdin. Leave it out with --log.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        RecordFormat | None,
        typer.Option(
            "--format", "-f", help="md, html or pdf (default: by -o's extension, else md)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (whole, or not at all), not to stdout."),
    ] = None,
    audience: Annotated[
        Audience,
        typer.Option(
            help="board: 1-2 pages for the minutes; audit: also every rule not met, every "
            "provision, other regimes' answers and the interview."
        ),
    ] = Audience.board,
    log: Annotated[
        Path | None, typer.Option("--log", help="Take the decision from this audit log.")
    ] = None,
    record: Annotated[
        int | None, typer.Option("--record", help="The record's id in --log.", min=1)
    ] = None,
    regime: RegimeOption = None,
    decision_date: Annotated[
        str | None,
        typer.Option(help="The date the decision is taken (YYYY-MM-DD); overrides the file's."),
    ] = None,
    set_: SetOption = None,
    rules: RulesOption = None,
    today: Annotated[
        str | None, typer.Option(help="Flag duties overdue against this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Write the decision record: outcome, legal basis, facts, next steps and integrity.

    From a case file the case is decided as 'scr triage' decides it (the same options).
    From an audit log (--log LOG --record ID) the record is the decision as recorded, with
    the board's decision and an integrity line: the record's id and hash, and the 'scr
    replay' and 'scr audit verify --anchor' commands that reproduce and prove it. The same
    input always gives the same bytes, PDF included (pip install 'scr-rules\\[pdf]').

    [bold]Examples[/bold]

      scr report cases/death-neglect-factor-2008.yaml

      scr report case.yaml --format html -o record.html

      scr report --log decisions.scrlog --record 2 -o record-2.pdf

      scr report --log decisions.scrlog --record 2 --audience audit --format md

    Exit code 0 when written; 1 when the log's record does not match its hash; 2 on bad
    input or usage.
    """
    kind = _format(output_format, output)
    triage_options = {"--regime": regime, "--decision-date": decision_date, "--set": set_}
    triage_options["--today"] = today
    try:
        book = rulebook(rules)
        if log is not None or record is not None:
            decision, case, logged = _from_log(*_log_options(file, log, record, triage_options))
        elif file is None:
            raise UsageError("give a case file, or --log LOG --record ID")
        else:
            decision, case = _from_file(file, book, regime, decision_date, set_, today)
            logged = None
        data = decision_record(
            decision, case, audience=audience, fmt=kind, record=logged, rulebook=book
        )
        _write(data, output)
    except ScrRulesError as exc:
        fail(exc)


def _format(output_format: RecordFormat | None, output: Path | None) -> RecordFormat:
    if output_format is not None:
        kind = output_format
    else:
        kind = SUFFIXES.get(output.suffix.lower(), RecordFormat.md) if output else RecordFormat.md
    if kind is RecordFormat.pdf and output is None and sys.stdout.isatty():
        fail(UsageError(Problem("--output", "a PDF is not for a terminal; expected -o FILE.pdf")))
    return kind


def _log_options(
    file: str | None, log: Path | None, record: int | None, triage_options: Mapping[str, object]
) -> tuple[Path, int]:
    """Return the log and record id; raise UsageError when the options do not go together."""
    if file is not None:
        raise UsageError(Problem("FILE", "give a case file or --log, not both"))
    if log is None or record is None:
        missing = "--log" if log is None else "--record"
        raise UsageError(Problem(missing, f"--log and --record go together; expected {missing}"))
    given = [name for name, value in triage_options.items() if value]
    if given:
        raise UsageError(
            Problem(
                given[0],
                f"{', '.join(given)}: only for a case file; a log's record was decided when "
                "it was recorded (scr replay decides it again)",
            )
        )
    return log, record


def _from_file(
    file: str,
    book: RuleBook,
    regime: str | None,
    decision_date: str | None,
    set_: list[str] | None,
    today: str | None,
) -> tuple[Decision, Case]:
    """Decide a case file as ``scr triage`` does."""
    case = load_case(file, read_stdin() if file == "-" else None)
    try:
        decision = triage(
            case,
            regime,
            rulebook=book,
            settings=parse_assignments(set_ or []),
            decision_date=parse_date(decision_date),
            today=parse_date(today, "--today"),
        )
    except RegimeError as exc:  # the file's own dates chose the law: name the file
        if regime is None and decision_date is None:
            raise RegimeError(f"{'<stdin>' if file == '-' else file}: {exc}") from None
        raise
    return decision, case


def _from_log(log: Path, record_id: int) -> tuple[Decision, Case, LoggedRecord]:
    """Read one record: its decision as recorded, its case, and its place in the chain."""
    with _reading(log), AuditLog(log) as audit_log:
        found = audit_log.get(record_id)
    if found.computed_hash() != found.hash:
        message = (
            f"{log}: record {record_id}: its content does not match its hash (the record was "
            f"edited); nothing written; expected an intact record (scr audit verify {log})"
        )
        fail(AuditError(message), EXIT_CHECK_FAILED)
    where = f"{log}: record {record_id}"
    try:
        decision = Decision.model_validate(found.decision)
    except ValidationError as exc:
        raise AuditError(
            f"{where}: the decision as recorded cannot be read ({exc.error_count()} problems); "
            "expected a decision of this scr-rules (scr audit show prints it as stored)"
        ) from None
    return decision, case_from_document(found.case, where), _logged(found, decision, str(log))


def _logged(found: Record, decision: Decision, log: str) -> LoggedRecord:
    board = found.human_decision
    return LoggedRecord(
        log=log,
        id=found.id,
        hash=found.hash,
        recorded_at=found.recorded_at,
        by=found.by,
        origin=found.origin,
        human_decision=board,
        human_reason=found.human_reason,
        agreement=human_agreement(decision.outcome, board) if board else None,
        interview=tuple(found.interview or ()),
    )


@contextlib.contextmanager
def _reading(log: Path) -> Iterator[None]:
    """Turn damage found while reading the log into an AuditError naming it."""
    try:
        yield
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise AuditError(
            f"{log}: the audit log is damaged ({exc}); expected an intact scr audit log"
        ) from None


def _write(data: bytes, output: Path | None) -> None:
    """Write the record to stdout, or to ``output`` whole (a temporary file renamed)."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomically(output, lambda handle: handle.buffer.write(data))
    sys.stderr.write(f"wrote {output} ({len(data):,} bytes)\n")
