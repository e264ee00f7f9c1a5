"""``scr triage`` and ``scr schema``: decide one case; print the contracts' JSON Schemas."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
import yaml

from scr_rules.case import load_case
from scr_rules.cli import _recording as recording
from scr_rules.cli._common import (
    DEFAULT_EVALUATOR_CHOICE,
    CaseFileArgument,
    DetailOption,
    EvaluatorOption,
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
from scr_rules.decide import SCHEMA_NAMES, Decision, published_schema
from scr_rules.decide import triage as decide
from scr_rules.errors import RegimeError, ScrRulesError
from scr_rules.law import parse_assignments
from scr_rules.render import WIDTH, render_text
from scr_rules.vocabulary import DecisionFormat


def triage(
    file: CaseFileArgument,
    output_format: Annotated[
        DecisionFormat,
        typer.Option("--format", "-f", help="text for people, json/yaml for machines."),
    ] = DecisionFormat.text,
    regime: RegimeOption = None,
    decision_date: Annotated[
        str | None,
        typer.Option(
            help="The date the decision is taken (YYYY-MM-DD); overrides the case file's."
        ),
    ] = None,
    set_: SetOption = None,
    evaluator: EvaluatorOption = DEFAULT_EVALUATOR_CHOICE,
    rules: RulesOption = None,
    today: Annotated[
        str | None,
        typer.Option(help="Flag duties overdue against this date (YYYY-MM-DD); none: no flags."),
    ] = None,
    record: recording.RecordOption = None,
    by: recording.ByOption = None,
    human_decision: recording.HumanDecisionOption = None,
    human_reason: recording.HumanReasonOption = None,
    pseudonymise: recording.PseudonymiseOption = False,
    detail: DetailOption = False,
) -> None:
    """Decide one case: mandatory, discretionary, not required, or undetermined.

    The regime (the law in force) is chosen by the case's decision_date (then its
    notification_date, then its incident_date); the output says which date was used.

    [bold]Examples[/bold]

      scr triage cases/death-neglect-factor-2008.yaml

      scr triage case.json --format json > decision.json

      cat case.yaml | scr triage - --regime england-2010

      scr triage case.yaml --set eng2010_harm_limb=mandatory

      scr triage case.yaml --today 2020-01-06   (flags overdue notifications)

      scr triage case.yaml --detail   (every rule, also those that cannot change the outcome)

      scr triage case.yaml --record decisions.scrlog --by duty-officer-3

      scr triage case.yaml --record decisions.scrlog --human-decision declined \\
          --human-reason "below threshold; single-agency learning review"

    Exit code 0 whatever the outcome; 2 when the case file or an option is wrong.
    """
    errors_as(output_format)
    try:
        to_record = recording.recording(record, by, human_decision, human_reason, pseudonymise)
        stdin_text = read_stdin() if file == "-" else None
        case = load_case(file, stdin_text)
        book = rulebook(rules)
        decision = decide(
            case,
            regime,
            rulebook=book,
            settings=parse_assignments(set_ or []),
            decision_date=parse_date(decision_date),
            evaluator=evaluator.value,  # type: ignore[arg-type]
            today=parse_date(today, "--today"),
        )
    except RegimeError as exc:
        # No --regime and no --decision-date: the case file's dates chose, so name the file.
        from_file = regime is None and decision_date is None
        fail(RegimeError(f"{'<stdin>' if file == '-' else file}: {exc}") if from_file else exc)
    except ScrRulesError as exc:
        fail(exc)
    if to_record is not None:
        try:
            recording.record_decision(to_record, case, decision, book)
        except ScrRulesError as exc:
            fail(exc)
    _print_decision(decision, output_format, detail)


def _print_decision(decision: Decision, output_format: DecisionFormat, detail: bool) -> None:
    if output_format is DecisionFormat.json:
        sys.stdout.write(decision.to_json() + "\n")
    elif output_format is DecisionFormat.yaml:
        sys.stdout.write(
            yaml.safe_dump(
                decision.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=WIDTH
            )
        )
    else:
        sys.stdout.write(render_text(decision, stdout_console(), detail=detail))


def schema(
    what: Annotated[
        str, typer.Argument(help="case (the case file), decision, or error (scr-error/1).")
    ] = "case",
) -> None:
    """Print the JSON Schema of the case file (or of the decision, or of an error document).

    [bold]Examples[/bold]

      scr schema > scr-case.schema.json

      scr schema decision

      scr schema error
    """
    if what not in SCHEMA_NAMES:
        fail(f"unknown schema {what!r}; expected one of {', '.join(SCHEMA_NAMES)}")
    sys.stdout.write(json.dumps(published_schema(what), indent=2) + "\n")
