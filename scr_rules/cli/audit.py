"""The ``scr audit`` commands and ``scr replay``, and the recording options of ``scr triage``.

Exit codes: 0 the log verifies, every replayed record agrees, or every row was imported;
1 verify found damage, a replay diverged, or an import left out bad rows; 2 bad input or
usage (no such log, an unreadable file, a bad option).

Its size (about 310 lines) is mostly the commands' help text, which teaches the options.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from scr_rules.audit import AuditLog, pseudonym_key_from_env
from scr_rules.audit import _text as text
from scr_rules.cli._common import EXIT_CHECK_FAILED, fail
from scr_rules.cli._recording import ByOption, PseudonymiseOption
from scr_rules.errors import AuditError, ScrRulesError
from scr_rules.law import parse_assignments
from scr_rules.vocabulary import ExportFormat, ImportFormat, ReportFormat, count

audit_app = typer.Typer(
    help="Verify, show, export and import the tamper-evident log of decisions.\n\n"
    "Start with:  scr triage case.yaml --record decisions.scrlog",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


LogArgument = Annotated[Path, typer.Argument(help="The audit log file.", show_default=False)]
FormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
]


@audit_app.command("verify")
def verify(
    log: LogArgument,
    anchor: Annotated[
        str | None, typer.Option(help="A record hash noted earlier; it must still be in the chain.")
    ] = None,
    output_format: FormatOption = ReportFormat.text,
) -> None:
    """Check the whole hash chain and every stored rulebook; name the first bad record.

    [bold]Examples[/bold]

      scr audit verify decisions.scrlog

      scr audit verify decisions.scrlog --anchor sha256:9c1f...   (a head noted last month)

    Exit code 0 when intact; 1 when a record was edited, deleted, reordered or inserted, or
    a rulebook altered; 2 when the file is missing or not an audit log.
    """
    wal = Path(f"{log}-wal")
    if wal.is_file() and wal.stat().st_size:
        sys.stderr.write(
            f"warning: {wal.name} is beside the log: records a writer committed may still be "
            "there, not in the log file; copy the two files together (or verify the original), "
            "or a copy loses them\n"
        )
    try:
        with AuditLog(log) as audit_log:
            result = audit_log.verify(anchor)
    except ScrRulesError as exc:
        fail(str(exc))
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(f"the audit log is damaged ({exc}); expected an intact scr audit log")
    if output_format is ReportFormat.json:
        data = {"ok": result.ok, "first_bad": result.first_bad, **vars(result)}
        data["problems"] = [vars(p) for p in result.problems]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(text.verify_lines(result, str(log))) + "\n")
    if not result.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


@audit_app.command("show")
def show(
    log: LogArgument,
    record_id: Annotated[
        int | None,
        typer.Argument(help="One record's id (default: list them all).", show_default=False),
    ] = None,
    output_format: FormatOption = ReportFormat.text,
) -> None:
    """List the records, or show one in full with its facts and decision.

    [bold]Examples[/bold]

      scr audit show decisions.scrlog

      scr audit show decisions.scrlog 42

      scr audit show decisions.scrlog 42 --format json
    """
    try:
        with AuditLog(log) as audit_log:
            if record_id is not None:
                record = audit_log.get(record_id)
                if output_format is ReportFormat.json:
                    sys.stdout.write(
                        json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n"
                    )
                else:
                    sys.stdout.write(text.record_text(record))
                return
            if output_format is ReportFormat.json:
                audit_log.export_jsonl(sys.stdout)
                return
            sys.stdout.write(text.LISTING_HEADER + "\n")
            for record in audit_log.records():
                sys.stdout.write(text.record_line(record) + "\n")
    except ScrRulesError as exc:
        fail(str(exc))
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(f"the audit log is damaged ({exc}); expected an intact scr audit log")


@audit_app.command("export")
def export(
    log: LogArgument,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl: one record per line.")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (atomically) instead of stdout."),
    ] = None,
) -> None:
    """Export every record, one canonical JSON line each, with its prev_hash and hash.

    Each line's hash is sha256 of the line's canonical JSON without "hash", so the chain can
    be checked from the export alone.

    [bold]Examples[/bold]

      scr audit export decisions.scrlog --format jsonl > decisions.jsonl

      scr audit export decisions.scrlog -o decisions.jsonl
    """
    try:
        with AuditLog(log) as audit_log:
            if output is None:
                count = audit_log.export_jsonl(sys.stdout)
            else:
                count = _export_to_file(audit_log, output)
    except ScrRulesError as exc:
        fail(str(exc))
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(f"the audit log is damaged ({exc}); expected an intact scr audit log")
    sys.stderr.write(f"exported {count} records ({output_format.value})\n")


def _export_to_file(audit_log: AuditLog, output: Path) -> int:
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
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            count = audit_log.export_jsonl(handle)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


@audit_app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="Past cases with the board's decisions: CSV or JSON Lines.")
    ],
    log: Annotated[Path, typer.Option("--log", help="The audit log to append to.")],
    input_format: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="csv or jsonl (auto: by extension).")
    ] = ImportFormat.auto,
    rules: Annotated[
        Path | None, typer.Option(help="Decide under this rules directory (default: bundled).")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Change a switch, NAME=VALUE; repeatable.")
    ] = None,
    by: ByOption = None,
    pseudonymise: PseudonymiseOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; record nothing.")
    ] = False,
) -> None:
    """Decide and record past cases with the decisions the board actually took.

    Each row is validated like a case file. Bad rows are reported with their row number
    and every reason, and left out; the good rows go in together in one transaction, so
    an interrupted import records nothing. CSV, read as 'scr batch' reads it: a header row
    naming case_ref, the dates, human_decision, human_reason and any facts (as NAME or
    facts.NAME; an empty cell is unknown; a set of values is written 'physical;neglect', or
    'none'). JSON Lines: one case document per line, with
    human_decision and human_reason beside its fields (an export from 'scr audit export'
    also imports).

    [bold]Examples[/bold]

      scr audit import referrals-2009.csv --log decisions.scrlog --by audit-team

      scr audit import referrals.jsonl --log decisions.scrlog --dry-run

    Exit code 0 when every row was imported; 1 when bad rows were left out; 2 when the
    file as a whole is unreadable or an option is wrong (nothing is recorded).
    """
    try:
        key = pseudonym_key_from_env() if pseudonymise else None
        with AuditLog(log) as audit_log:
            result = audit_log.import_file(
                file,
                kind=input_format,
                rules=rules,
                settings=parse_assignments(set_ or []),
                by=by,
                pseudonymise_key=key,
                dry_run=dry_run,
            )
    except ScrRulesError as exc:
        fail(str(exc))
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(f"the audit log is damaged ({exc}); expected an intact scr audit log")
    done = result.appended
    verb = "would import" if dry_run else "imported"
    ids = f" (records {done.first_id}..{done.last_id})" if done.first_id else ""
    sys.stdout.write(
        f"{verb} {done.count} of {result.rows} rows from {file} into {log}{ids}; "
        f"{count(len(result.problems), 'bad row')} left out\n"
    )
    if result.problems:
        lines = [line for problem in result.problems for line in problem.lines(str(file))]
        fail("\n".join(lines), EXIT_CHECK_FAILED)


def replay(
    log: LogArgument,
    rules: Annotated[
        str,
        typer.Option(help="recorded (each record's own rules), current (bundled) or a directory."),
    ] = "recorded",
    record: Annotated[int | None, typer.Option(help="Replay only this record id.")] = None,
    output_format: FormatOption = ReportFormat.text,
    show_all: Annotated[
        bool, typer.Option("--all", help="List identical records too, not only divergent ones.")
    ] = False,
) -> None:
    """Re-decide recorded cases and report every change in outcome or met rules.

    Each record is replayed with its own settings and regime/date. For a divergent record
    the report lists the rules that differ, with their facts and the conditions that failed;
    the summary gives agreement counts, recorded-by-replayed outcomes and, for records with a
    board decision, how often the engine and the board agree.

    [bold]Examples[/bold]

      scr replay decisions.scrlog                 (must reproduce every record)

      scr replay decisions.scrlog --rules current

      scr replay decisions.scrlog --rules rules-draft/ --format json > impact.json

      scr replay decisions.scrlog --record 42 --all

    Exit code 0 when every record agrees; 1 when any diverges; 2 on bad input.
    """
    if rules not in ("recorded", "current") and not Path(rules).is_dir():
        fail(f"--rules {rules!r}: expected recorded, current or a rules directory")
    try:
        with AuditLog(log) as audit_log:
            summary = text.write_replay(
                sys.stdout,
                audit_log.iter_replay(rules, record),
                rules if rules in ("recorded", "current") else str(Path(rules)),
                output_format is ReportFormat.json,
                show_all or record is not None,
            )
    except ScrRulesError as exc:
        fail(str(exc))
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(f"the audit log is damaged ({exc}); expected an intact scr audit log")
    if summary.divergent:
        raise typer.Exit(EXIT_CHECK_FAILED)
