"""The ``scr audit`` commands and ``scr replay``.

Exit codes: 0 the log verifies, every replayed record agrees, every row was imported, or
the report was written for an intact chain; 1 verify found damage, a replay diverged, an
import left out bad rows, or the report's chain did not verify; 2 bad input or usage (no
such log, an unreadable file, a bad option or anchor, a weak SCR_AUDIT_KEY).

Its size (about 380 lines) is mostly the commands' help text, which teaches the options.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from scr_rules.audit import (
    AuditLog,
    BoardReportFormat,
    LogExportFormat,
    _replay_text,
    pseudonym_key_from_env,
    render_html,
    render_markdown,
    write_atomically,
)
from scr_rules.audit import _text as text
from scr_rules.cli._common import EXIT_CHECK_FAILED, errors_as, fail
from scr_rules.cli._recording import ByOption, PseudonymiseOption
from scr_rules.errors import AuditError, InputError, Problem, ScrRulesError, UsageError
from scr_rules.law import parse_assignments
from scr_rules.vocabulary import ImportFormat, ReportFormat, count

audit_app = typer.Typer(
    help="Verify, show, export, import and report on the tamper-evident log of decisions.\n\n"
    "Start with:  scr triage case.yaml --record decisions.scrlog",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


LogArgument = Annotated[Path, typer.Argument(help="The audit log file.", show_default=False)]
FormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write here (atomically) instead of stdout."),
]


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Turn an error from the log into one 'error:' line and exit code 2."""
    try:
        yield
    except ScrRulesError as exc:
        fail(exc)
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # damage found while reading
        fail(AuditError(f"the audit log is damaged ({exc}); expected an intact scr audit log"))


def _write(output: Path | None, write: Callable[[TextIO], object]) -> None:
    """Write to stdout, or to ``output`` whole (a temporary file renamed), never in part."""
    if output is None:
        write(sys.stdout)
    else:
        write_atomically(output, write)


@audit_app.command("verify")
def verify(
    log: LogArgument,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="A head noted earlier (sha256:... or its first 12+ hex digits); it must "
            "still be in the chain."
        ),
    ] = None,
    output_format: FormatOption = ReportFormat.text,
) -> None:
    """Check the whole hash chain and every stored rulebook; name the first bad record.

    With the board's key in SCR_AUDIT_KEY, every record's HMAC and the log's sealed end are
    checked too, so a chain rebuilt (or cut short) without the key fails without an anchor.

    [bold]Examples[/bold]

      scr audit verify decisions.scrlog

      scr audit verify decisions.scrlog --anchor sha256:9c1f0e2a7b44   (a head noted last month)

      SCR_AUDIT_KEY=... scr audit verify decisions.scrlog

    Exit code 0 when intact; 1 when a record was edited, deleted, reordered or inserted, a
    rulebook altered, an HMAC fails or the anchor is missing; 2 when the file is missing or
    not an audit log, or the anchor is malformed or names two records.
    """
    errors_as(output_format)
    wal = Path(f"{log}-wal")
    if wal.is_file() and wal.stat().st_size:
        sys.stderr.write(
            f"warning: {wal.name} is beside the log: records a writer committed may still be "
            "there, not in the log file; copy the two files together (or verify the original), "
            "or a copy loses them\n"
        )
    with _reading(), AuditLog(log) as audit_log:
        result = audit_log.verify(anchor)
    if result.anchor_ambiguous:
        ids = " and ".join(str(i) for i in result.anchor_records[:2])
        fail(
            UsageError(
                Problem(
                    "--anchor",
                    f"{anchor!r} matches records {ids}; expected enough hex digits to name one",
                )
            )
        )
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

    The list has the regime and the decision date of each record, each column as wide as
    its widest value.

    [bold]Examples[/bold]

      scr audit show decisions.scrlog

      scr audit show decisions.scrlog 42

      scr audit show decisions.scrlog 42 --format json
    """
    errors_as(output_format)
    with _reading(), AuditLog(log) as audit_log:
        if record_id is not None:
            record = audit_log.get(record_id)
            if output_format is ReportFormat.json:
                sys.stdout.write(json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(text.record_text(record))
            return
        if output_format is ReportFormat.json:
            audit_log.export_jsonl(sys.stdout)
            return
        for line in text.listing_lines(audit_log.listing):
            sys.stdout.write(line + "\n")


@audit_app.command("export")
def export(
    log: LogArgument,
    output_format: Annotated[
        LogExportFormat,
        typer.Option(
            "--format", "-f", help="jsonl: every record as stored; csv: a row per record."
        ),
    ] = LogExportFormat.jsonl,
    output: OutputOption = None,
) -> None:
    """Export every record: as canonical JSON lines (checkable alone), or as CSV.

    JSON Lines: each line's hash is sha256 of the line's canonical JSON without "hash" and
    "mac", so the chain can be checked from the export alone. CSV, for a spreadsheet: id,
    recorded_at, case_ref, regime, decision_date, outcome, met_rules (';' between), the
    human_decision and its agreement with the outcome recorded beside it.

    [bold]Examples[/bold]

      scr audit export decisions.scrlog --format jsonl > decisions.jsonl

      scr audit export decisions.scrlog --format csv -o decisions.csv
    """
    with _reading(), AuditLog(log) as audit_log:
        writer = audit_log.export_csv if output_format is LogExportFormat.csv else None
        written = [0]

        def write(out: TextIO) -> None:
            written[0] = (writer or audit_log.export_jsonl)(out)

        _write(output, write)
    sys.stderr.write(f"exported {count(written[0], 'record')} ({output_format.value})\n")


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
    skip_existing: Annotated[
        bool,
        typer.Option(
            "--skip-existing",
            help="Leave out rows whose case (case_ref, dates, facts) and board decision are "
            "already in the log.",
        ),
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
    also imports). A row already in the log is imported again with a warning, or left out
    with --skip-existing.

    [bold]Examples[/bold]

      scr audit import referrals-2009.csv --log decisions.scrlog --by audit-team

      scr audit import referrals-2009.csv --log decisions.scrlog --skip-existing

      scr audit import referrals.jsonl --log decisions.scrlog --dry-run

    Exit code 0 when every row was imported (or skipped); 1 when bad rows were left out; 2
    when the file as a whole is unreadable or an option is wrong (nothing is recorded).
    """
    with _reading():
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
                skip_existing=skip_existing,
            )
    sys.stdout.write(text.import_summary(result, str(file), str(log)) + "\n")
    warning = text.import_warning(result, str(log))
    if warning:
        sys.stderr.write(warning + "\n")
    if result.problems:
        problems = [Problem(p.where, reason) for p in result.problems for reason in p.reasons]
        fail(InputError(str(file), problems), EXIT_CHECK_FAILED)


@audit_app.command("report")
def report(
    log: LogArgument,
    output_format: Annotated[
        BoardReportFormat,
        typer.Option("--format", "-f", help="html: one self-contained page; md: Markdown."),
    ] = BoardReportFormat.html,
    output: OutputOption = None,
) -> None:
    """Write the board's report: how often the board's decisions followed the criteria.

    Engine-vs-board agreement by regime and by year (tables with shaded cells, and a bar
    chart when matplotlib is installed: pip install 'scr-rules[charts]'), outcomes by regime
    and year, every disagreement, every record that cannot be assessed and why, and the
    chain's status and head. The same log always gives the same bytes.

    [bold]Examples[/bold]

      scr audit report decisions.scrlog -o report.html

      scr audit report decisions.scrlog --format md > report.md

    Exit code 0 when written for an intact chain; 1 when written but the chain does not
    verify (the report says why); 2 when the log cannot be read.
    """
    with _reading(), AuditLog(log) as audit_log:
        gathered = audit_log.report()
        render = render_html if output_format is BoardReportFormat.html else render_markdown
        _write(output, lambda out: out.write(render(gathered)))
    if not gathered.verify.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


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
    disagreements: Annotated[
        bool,
        typer.Option(
            "--disagreements",
            help="Show only where the engine and the board's decision disagree (and the "
            "records that cannot be assessed).",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Worker processes (0: one per core); same report."
        ),
    ] = 1,
) -> None:
    """Re-decide recorded cases and report every change in outcome or met rules.

    Each record is replayed with its own settings and regime/date. For a divergent record
    the report lists the rules that differ, with their facts and the conditions that failed;
    the summary gives agreement counts, recorded-by-replayed outcomes and, for records with a
    board decision, how often the engine and the board agree, naming every disagreement and
    every record that cannot be assessed. A record that cannot be read is counted and
    listed, and the rest are replayed.

    [bold]Examples[/bold]

      scr replay decisions.scrlog                 (must reproduce every record)

      scr replay decisions.scrlog --disagreements

      scr replay decisions.scrlog --rules current --jobs 2

      scr replay decisions.scrlog --rules rules-draft/ --format json > impact.json

      scr replay decisions.scrlog --record 42 --all

    Exit code 0 when every record agrees; 1 when any diverges or cannot be read; 2 on bad
    input.
    """
    errors_as(output_format)
    if rules not in ("recorded", "current") and not Path(rules).is_dir():
        fail(f"--rules {rules!r}: expected recorded, current or a rules directory")
    with _reading(), AuditLog(log) as audit_log:
        summary = _replay_text.write_replay(
            sys.stdout,
            audit_log.iter_replay(rules, record, jobs),
            rules if rules in ("recorded", "current") else str(Path(rules)),
            output_format is ReportFormat.json,
            show_all or record is not None,
            disagreements,
        )
    if summary.divergent:
        raise typer.Exit(EXIT_CHECK_FAILED)
