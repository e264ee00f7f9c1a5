"""``scr next``, ``scr interview``, ``scr facts`` and ``scr new``: ask only what matters.

``scr next`` gives one step of the interview (for scripts and other systems: its JSON is
``NextStep.as_document()``); ``scr interview`` asks the questions one at a time and writes
the case file; ``scr facts`` is the glossary of every fact; ``scr new`` prints a commented
case-file template.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.console import Console

from scr_rules.audit import AuditLog, make_entry
from scr_rules.case import load_case
from scr_rules.cli import _glossary as glossary
from scr_rules.cli import _recording as recording
from scr_rules.cli._common import (
    EXIT_INTERRUPTED,
    CaseFileArgument,
    RegimeOption,
    RulesOption,
    SetOption,
    errors_as,
    fail,
    parse_date,
    read_stdin,
    rulebook,
    stdout_console,
)
from scr_rules.cli._interview_text import print_step, show_end
from scr_rules.cli._session import SaveAndQuit, Session, answers_stream, run, start, write_case
from scr_rules.decide import Decision, next_question
from scr_rules.errors import ScrRulesError, printable
from scr_rules.law import RuleBook, load_questions, parse_assignments
from scr_rules.vocabulary import Jurisdiction, ReportFormat

JurisdictionChoice = StrEnum("JurisdictionChoice", {n: n for n in get_args(Jurisdiction)})  # type: ignore[misc]
FormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="text for people, json for machines.")
]
DecisionDateOption = Annotated[
    str | None, typer.Option(help="The date the decision is taken (YYYY-MM-DD).")
]
ENGLAND = JurisdictionChoice("england")


def next_step(
    file: CaseFileArgument,
    skip: Annotated[
        list[str] | None,
        typer.Option("--skip", help="A fact answered 'not known' (not asked again); repeatable."),
    ] = None,
    output_format: FormatOption = ReportFormat.text,
    regime: RegimeOption = None,
    decision_date: DecisionDateOption = None,
    set_: SetOption = None,
    rules: RulesOption = None,
) -> None:
    """Say the next question whose answer can change the outcome, or that none is left.

    A fact is asked only if some answer to it changes the outcome or narrows
    what is still possible; "why" names the rules the answer could decide.
    The JSON is one step: done, done_reason, question (fact, text, hint,
    options, why) and the decision so far.

    [bold]Examples[/bold]

      scr next case.yaml

      scr next case.yaml --skip child_died --format json
    """
    errors_as(output_format)
    try:
        case = load_case(file, read_stdin() if file == "-" else None)
        book = rulebook(rules)
        step = next_question(
            case,
            skipped=skip or (),
            regime=regime,
            decision_date=parse_date(decision_date),
            settings=parse_assignments(set_ or []),
            rulebook=book,
            questions=load_questions(rules),
        )
    except ScrRulesError as exc:
        fail(exc)
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps(step.as_document(), indent=2, ensure_ascii=False) + "\n")
        return
    print_step(stdout_console(), step)


def interview(
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Write the case file here (whole, or not at all).", dir_okay=False
        ),
    ],
    file: Annotated[
        str | None,
        typer.Argument(
            help="A case file to start from or resume; '-' reads it from stdin; none: a new case.",
            show_default=False,
        ),
    ] = None,
    jurisdiction: Annotated[
        JurisdictionChoice | None, typer.Option(help="For a new case: england (default) or wales.")
    ] = None,
    decision_date: DecisionDateOption = None,
    record: recording.RecordOption = None,
    by: recording.ByOption = None,
    rules: RulesOption = None,
) -> None:
    """Ask, one at a time, only the questions whose answer can change the outcome.

    Shows the outcome so far before each question. A number (or a value)
    answers it; ? shows the legal definition, u answers "not known",
    b goes back, c lists the answers, s saves and quits (run the command
    again on the saved file to resume). Piped answers are read one a line;
    the end of the input saves and quits. Ends with the decision and the
    next steps, and writes a valid case file to --out.

    [bold]Examples[/bold]

      scr interview --out case.yaml --decision-date 2024-03-01

      scr interview case.yaml --out case.yaml   (resume)

      scr interview --out case.yaml --record decisions.scrlog --by duty-officer-3
    """
    console = stdout_console()
    try:
        to_record = recording.recording(record, by, None, None, False)
        book, questions = rulebook(rules), load_questions(rules)
        stream = answers_stream(file)
        place = jurisdiction.value if jurisdiction else None
        case, skipped = start(file, place, parse_date(decision_date), console, stream)
        session = Session(case, book, questions, skipped)
        session.step()  # a date outside every regime fails here, before any question
    except ScrRulesError as exc:
        fail(exc)
    except SaveAndQuit:
        fail("the input ended before the case had its reference and dates; nothing written")
    try:
        final = run(session, console, stream)
    except KeyboardInterrupt:
        _save(session, out, console, finished=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if final is not None:
        show_end(console, final.decision)
    _save(session, out, console, finished=final is not None)
    if final is not None and to_record is not None:
        _record(to_record, session, final.decision, book)


def _save(session: Session, out: Path, console: Console, *, finished: bool) -> None:
    header = "# Written by scr interview; resume it with: scr interview THIS-FILE --out THIS-FILE\n"
    try:
        write_case(out, session.document(), header)
    except ScrRulesError as exc:
        fail(exc)
    shown = printable(str(out))
    if finished:
        console.print(
            f"\ncase file written: {shown} (scr triage {shown} shows it all)", markup=False
        )
    else:
        console.print(
            f"\nsaved {len(session.history)} answers to {shown}; resume with: "
            f"scr interview {shown} --out {shown}",
            markup=False,
        )


def _record(rec: recording.Recording, session: Session, decision: Decision, book: RuleBook) -> None:
    """Append the decision to the audit log with this interview's answers (facts only)."""
    try:
        entry = make_entry(session.case, decision, book, by=rec.by)
        entry = dataclasses.replace(entry, interview=session.transcript())
        with AuditLog(rec.log) as log:
            appended = log.record_many([entry], [book])
            record = log.get(appended.last_id or 0)
    except ScrRulesError as exc:
        fail(exc)
    sys.stderr.write(f"recorded: record {record.id} in {rec.log} ({record.hash[:19]})\n")


def facts(
    regime: Annotated[str | None, typer.Option(help="Only the facts this regime reads.")] = None,
    output_format: FormatOption = ReportFormat.text,
    rules: RulesOption = None,
) -> None:
    """The glossary: each fact's question, values, definition and reading regimes.

    [bold]Examples[/bold]

      scr facts

      scr facts --regime england-2015 --format json
    """
    errors_as(output_format)
    try:
        book, questions = rulebook(rules), load_questions(rules)
    except ScrRulesError as exc:
        fail(exc)
    ids = [item.id for item in book.regimes]
    if regime is not None and regime not in ids:
        fail(f"unknown regime {regime!r}; expected one of {', '.join(ids)}")
    items = glossary.glossary(questions, book, regime)
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps({"facts": items}, indent=2, ensure_ascii=False) + "\n")
        return
    console = stdout_console()
    for style, line in glossary.glossary_lines(questions, items):
        console.print(line, style=style or None, markup=False)


def new(
    jurisdiction: Annotated[
        JurisdictionChoice, typer.Option(help="england or wales: the facts its regimes read.")
    ] = ENGLAND,
    rules: RulesOption = None,
) -> None:
    """Print a commented case-file template: the jurisdiction's facts, unknown.

    [bold]Example[/bold]

      scr new --jurisdiction wales > case.yaml
    """
    try:
        book, questions = rulebook(rules), load_questions(rules)
    except ScrRulesError as exc:
        fail(exc)
    sys.stdout.write(glossary.template(questions, book, jurisdiction.value))
