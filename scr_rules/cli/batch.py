"""The ``scr batch`` command: triage a whole caseload into JSON Lines or CSV.

Exit codes: 0 every record was decided; 1 some records gave error lines (the others were
all decided); 2 bad usage (no such input, a bad option or CSV header); 3 the run failed
(a worker process died); 130 stopped by Ctrl-C (the output holds whole lines up to where
it stopped, as the summary says).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scr_rules.cli._common import (
    DEFAULT_EVALUATOR_CHOICE,
    EvaluatorOption,
    RegimeOption,
    RulesOption,
    SetOption,
    fail,
    parse_date,
    rulebook,
)
from scr_rules.cli._recording import ByOption, PseudonymiseOption
from scr_rules.vocabulary import InputFormat, OutputFormat


def batch(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="A directory of case files, a JSON Lines file (.jsonl, one case per line), "
            "a CSV file (.csv), or '-' for stdin.",
            show_default=False,
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Where to write: .jsonl (one decision per line) or .csv (case_ref, outcome, "
            "regime, met_rules, missing_facts, line, error); '-' for stdout.",
            show_default=False,
        ),
    ],
    out_format: Annotated[
        OutputFormat | None,
        typer.Option(help="jsonl or csv, if OUT's suffix does not say."),
    ] = None,
    in_format: Annotated[
        InputFormat,
        typer.Option(help="How INPUT is laid out; auto: by directory, suffix or content."),
    ] = InputFormat.auto,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=1024,
            help="Worker processes (default: every core; at most 4 per core are started).",
        ),
    ] = None,
    regime: RegimeOption = None,
    decision_date: Annotated[
        str | None,
        typer.Option(help="The date the decisions are taken (YYYY-MM-DD), for every case."),
    ] = None,
    set_: SetOption = None,
    evaluator: EvaluatorOption = DEFAULT_EVALUATOR_CHOICE,
    rules: RulesOption = None,
    validate_only: Annotated[
        bool,
        typer.Option(
            "--validate-only",
            help="Check every record and write it back normalised, without deciding.",
        ),
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option(
            "--record",
            help="Append every decision to this audit log (one transaction per chunk).",
            rich_help_panel="Audit log",
        ),
    ] = None,
    by: ByOption = None,
    pseudonymise: PseudonymiseOption = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="A progress bar on stderr (default: if a terminal)."
        ),
    ] = None,
) -> None:
    """Triage many cases in one run, in input order, on every core.

    Each record gives one output line: its decision (the JSON of 'scr triage --format
    json', on one line) or an error line {"line"|"file": ..., "case_ref": ..., "error":
    ...}; a bad record never stops the run. A summary of outcomes and errors goes to
    stderr. Ctrl-C stops cleanly: the output keeps whole lines up to a position the
    summary gives.

    [bold]CSV input[/bold]: one row per case under a header that names the columns:
    case_ref (required); schema, jurisdiction, incident_date, notification_date,
    decision_date (YYYY-MM-DD; optional); then one column per fact, named as in 'scr
    schema' (or as facts.NAME). An empty cell or 'unknown' leaves a fact unknown;
    true/false for yes-no facts, whole numbers for ages, values joined by ';' for a list
    fact, or 'none'. UTF-8, with or without a byte-order mark; 'scr audit import' reads
    the same CSV. For example:

      case_ref,decision_date,child_age_at_incident,child_died,abuse_or_neglect

      EX-0001,2008-05-20,2,true,suspected

    [bold]Examples[/bold]

      scr batch cases/ --out decisions.jsonl

      scr batch referrals.csv --out decisions.csv --jobs 2

      cat cases.jsonl | scr batch - --out - --regime england-2010 > decisions.jsonl

      scr batch week.jsonl --out week.jsonl --record decisions.scrlog --by duty-officer-3

    Exit code 0 when every record was decided, 1 when some gave error lines, 2 on bad
    usage, 130 when interrupted.
    """
    from scr_rules.batch import BatchOptions, WorkSpec, run_batch
    from scr_rules.errors import ScrRulesError

    if by is not None and record is None:
        fail("--by needs --record LOG (the audit log to append to)")
    try:
        spec = WorkSpec(
            input_format=InputFormat.jsonl,  # replaced once the input is opened
            output_format=_output_format(out, out_format),
            rules=str(rules) if rules is not None else None,
            regime=regime,
            decision_date=parse_date(decision_date),
            settings=_settings(set_ or [], rules, regime),
            evaluator=evaluator.value,  # type: ignore[arg-type]
            validate_only=validate_only,
            by=by,
            pseudonymise_key=_key(pseudonymise, record),
        )
        options = BatchOptions(
            input=input_path,
            output=out,
            spec=spec,
            input_format=in_format,
            jobs=jobs,
            record=record,
            progress=progress,
        )
        summary = run_batch(options)
    except ScrRulesError as exc:
        fail(exc)
    raise typer.Exit(summary.exit_code())


def _output_format(out: str, chosen: OutputFormat | None) -> OutputFormat:
    if chosen is not None:
        return chosen
    suffix = Path(out).suffix.lower()
    if out == "-" or suffix in (".jsonl", ".ndjson", ".json"):
        return OutputFormat.jsonl
    if suffix == ".csv":
        return OutputFormat.csv
    fail(f"--out {out!r}: cannot tell the format from the suffix; use .jsonl, .csv or --out-format")


def _settings(pairs: list[str], rules: Path | None, regime: str | None) -> dict[str, str]:
    """Parse --set and check it, and --regime, once against the rulebook (not per record)."""
    from scr_rules.law import parse_assignments, resolve_settings

    book = rulebook(rules)
    overrides = parse_assignments(pairs)
    resolve_settings(book, overrides)
    if regime is not None and regime not in [r.id for r in book.regimes]:
        known = ", ".join(r.id for r in book.regimes)
        fail(f"unknown regime {regime!r}; expected one of {known}")
    return overrides


def _key(pseudonymise: bool, record: Path | None) -> bytes | None:
    if not pseudonymise:
        return None
    if record is None:
        fail("--pseudonymise needs --record LOG (the audit log to append to)")
    from scr_rules.audit import pseudonym_key_from_env

    return pseudonym_key_from_env()
