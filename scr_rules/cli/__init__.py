"""The ``scr`` command line (typer): one module per command group, assembled here.

Exit codes: 0 a decision was made (any outcome) or a check passed; 1 a check failed;
2 bad input or usage; 3 an internal error (see ``scr_rules.cli._common``).
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from scr_rules.cli._common import EXIT_INTERNAL
from scr_rules.cli.audit import audit_app
from scr_rules.cli.audit import replay as replay_command
from scr_rules.cli.batch import batch as batch_command
from scr_rules.cli.compare import compare as compare_command
from scr_rules.cli.rules import rules_app
from scr_rules.cli.triage import schema as schema_command
from scr_rules.cli.triage import triage as triage_command
from scr_rules.render import WIDTH

app = typer.Typer(
    name="scr",
    help="Decide whether a child-safeguarding Serious Case Review is required, and say why.\n\n"
    "Start with:  scr triage cases/death-neglect-factor-2008.yaml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # case data must never reach a terminal log
    rich_markup_mode="rich",
)
app.command("triage")(triage_command)
app.command("schema")(schema_command)
app.add_typer(rules_app, name="rules")
app.command("compare")(compare_command)
app.command("replay")(replay_command)
app.command("batch")(batch_command)
app.add_typer(audit_app, name="audit")


def main() -> None:
    """Run the CLI; turn an unexpected exception into exit code 3 without case data."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("SCR_DEBUG"):
            raise
        Console(stderr=True, width=WIDTH).print(
            f"internal error ({type(exc).__name__}); rerun with SCR_DEBUG=1 for details",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)


__all__ = ["app", "main"]
