"""``scr compare``: what every regime would decide for the same facts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from scr_rules.case import load_case
from scr_rules.cli._common import (
    CaseFileArgument,
    DetailOption,
    RulesOption,
    SetOption,
    errors_as,
    fail,
    read_stdin,
    rulebook,
    stdout_console,
)
from scr_rules.decide import compare as compare_regimes
from scr_rules.decide import comparisons_json
from scr_rules.errors import ScrRulesError
from scr_rules.law import parse_assignments
from scr_rules.render import relevant
from scr_rules.vocabulary import ReportFormat


def compare(
    file: CaseFileArgument,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text (a table) or json.")
    ] = ReportFormat.text,
    set_: SetOption = None,
    rules: RulesOption = None,
    detail: DetailOption = False,
) -> None:
    """Show what each regime of the case's jurisdiction would decide for the same facts.

    Each regime is evaluated on the case's own decision date when that falls inside it, and
    otherwise on the regime's first day; the rules met show where the regimes differ. For
    policy teams and auditors; the case's dates do not choose anything here.

    [bold]Examples[/bold]

      scr compare cases/death-neglect-factor-2008.yaml

      scr compare case.yaml --format json

      scr compare case.yaml --detail   (also the rules met that are weaker than the outcome)
    """
    errors_as(output_format)
    try:
        stdin_text = read_stdin() if file == "-" else None
        case = load_case(file, stdin_text)
        comparisons = compare_regimes(
            case, rulebook=rulebook(rules), settings=parse_assignments(set_ or [])
        )
    except ScrRulesError as exc:
        fail(exc)
    rows = [(c.regime, c.evaluated_on, c.decision) for c in comparisons]
    if output_format is ReportFormat.json:
        sys.stdout.write(comparisons_json(comparisons))
        return
    title = f"case {case.case_ref}: the same facts under each regime"
    table = Table(title=title, title_justify="left")
    for column in ("regime", "evaluated on", "outcome", "rules met (missing facts)"):
        table.add_column(column, overflow="fold")
    hidden = 0
    for regime, day, decision in rows:
        shown = relevant(decision, detail=detail)
        hidden += shown.hidden_met
        met = ", ".join(r.rule_id for r in shown.met) or "none"
        if decision.missing_facts:
            met += f" (missing: {', '.join(decision.missing_facts)})"
        outcome = decision.outcome + (f" ({decision.review_type})" if decision.review_type else "")
        table.add_row(regime.id, day.isoformat(), outcome, met)
    console = stdout_console()
    console.print(table)
    if len({d.outcome for _, _, d in rows}) > 1:
        console.print("The regimes disagree on the outcome.")
    if hidden:
        console.print(
            f"{hidden} rules met but weaker than their regime's outcome are not shown; "
            "--detail lists them.",
            style="dim",
        )
