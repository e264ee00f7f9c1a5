"""The ``scr`` typer app: every command group registered (``scr_rules.cli`` runs it).

Kept apart from ``scr_rules.cli`` so that ``scr triage FILE --format json`` can decide
without importing typer, rich or any other command (``scr_rules.cli._fast``).
"""

from __future__ import annotations

import sys
from typing import Any

import typer

from scr_rules.cli._common import (
    write_error_document,
)
from scr_rules.cli._root import root
from scr_rules.cli.audit import audit_app
from scr_rules.cli.audit import replay as replay_command
from scr_rules.cli.batch import batch as batch_command
from scr_rules.cli.compare import compare as compare_command
from scr_rules.cli.interview import facts as facts_command
from scr_rules.cli.interview import interview as interview_command
from scr_rules.cli.interview import new as new_command
from scr_rules.cli.interview import next_step as next_command
from scr_rules.cli.report import report as report_command
from scr_rules.cli.rules import rules_app
from scr_rules.cli.serve import serve as serve_command
from scr_rules.cli.triage import schema as schema_command
from scr_rules.cli.triage import triage as triage_command
from scr_rules.errors import Problem, UsageError, error_document

app = typer.Typer(
    name="scr",
    help="Decide whether a child-safeguarding Serious Case Review is required, and say why.\n\n"
    "Start with:  scr triage cases/death-neglect-factor-2008.yaml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # case data must never reach a terminal log
    rich_markup_mode="rich",
)
app.callback()(root)
app.command("triage")(triage_command)
app.command("schema")(schema_command)
app.add_typer(rules_app, name="rules")
app.command("compare")(compare_command)
app.command("replay")(replay_command)
app.command("batch")(batch_command)
app.add_typer(audit_app, name="audit")
app.command("next")(next_command)
app.command("interview")(interview_command)
app.command("facts")(facts_command)
app.command("new")(new_command)
app.command("report")(report_command)
app.command("serve")(serve_command)


def _run_with_error_documents(document_format: str) -> None:
    """Run the app; a usage error the parser finds also becomes an ``scr-error/1`` document."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        sys.stderr.write("Aborted!\n")
        sys.exit(1)
    except _CLICK_ERROR as exc:
        opts = getattr(getattr(exc, "param", None), "opts", None) or [""]
        where = str(opts[0])
        problem = Problem(where, exc.format_message())
        write_error_document(error_document(UsageError(problem)), document_format)
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


# click's base error, reached through a name typer exports (typer may vendor click)
_CLICK_ERROR: type[Any] = typer.BadParameter.__mro__[2]
