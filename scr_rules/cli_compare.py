"""``scr compare``: what every regime would decide for the same facts."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scr_rules._cli_options import CaseFileArgument, RulesOption, SetOption
from scr_rules.case import load_case
from scr_rules.errors import ScrRulesError
from scr_rules.rulebook import load_rulebook
from scr_rules.settings import parse_assignments
from scr_rules.triage import triage
from scr_rules.yaml_io import MAX_DOCUMENT_BYTES

WIDTH = 100


def compare(
    file: CaseFileArgument,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (a table) or json.")
    ] = "text",
    set_: SetOption = None,
    rules: RulesOption = None,
) -> None:
    """Show what each regime of the case's jurisdiction would decide for the same facts.

    Each regime is evaluated on the case's own decision date when that falls inside it, and
    otherwise on the regime's first day; the rules met show where the regimes differ. For
    policy teams and auditors; the case's dates do not choose anything here.

    [bold]Examples[/bold]

      scr compare cases/death-neglect-factor-2008.yaml

      scr compare case.yaml --format json
    """
    if output_format not in ("text", "json"):
        _fail(f"--format {output_format!r}: expected text or json")
    try:
        stdin_text = sys.stdin.read(MAX_DOCUMENT_BYTES + 1) if file == "-" else None
        case = load_case(file, stdin_text)
        book = load_rulebook(rules)
        settings = parse_assignments(set_ or [])
        rows = []
        for regime in (r for r in book.regimes if r.jurisdiction == case.jurisdiction):
            own = case.decision_date
            day = own if own and regime.in_force.covers(own) else regime.in_force.from_
            decision = triage(case, regime.id, rulebook=book, settings=settings, decision_date=day)
            rows.append((regime, day, decision))
    except ScrRulesError as exc:
        _fail(str(exc))
    if output_format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "regime": r.id,
                        "evaluated_on": day.isoformat(),
                        "outcome": d.outcome,
                        "possible_outcomes": list(d.possible_outcomes),
                        "met_rules": d.met_rules(),
                        "missing_facts": list(d.missing_facts),
                        "review_type": d.review_type,
                    }
                    for r, day, d in rows
                ],
                indent=2,
            )
            + "\n"
        )
        return
    table = Table(title=f"case {case.case_ref}: the same facts under each regime", width=WIDTH)
    for column in ("regime", "evaluated on", "outcome", "rules met (missing facts)"):
        table.add_column(column, overflow="fold")
    for regime, day, decision in rows:
        detail = ", ".join(decision.met_rules()) or "none"
        if decision.missing_facts:
            detail += f" (missing: {', '.join(decision.missing_facts)})"
        outcome = decision.outcome + (f" ({decision.review_type})" if decision.review_type else "")
        table.add_row(regime.id, day.isoformat(), outcome, detail)
    Console(width=WIDTH, highlight=False).print(table)
    if len({d.outcome for _, _, d in rows}) > 1:
        Console(width=WIDTH, highlight=False).print("The regimes disagree on the outcome.")


def _fail(message: str) -> None:
    Console(stderr=True, width=WIDTH, highlight=False).print(f"error: {message}", markup=False)
    raise typer.Exit(2)
