"""The ``scr`` command line (typer): one module per command group, assembled here.

Exit codes: 0 a decision was made (any outcome) or a check passed; 1 a check failed;
2 bad input or usage; 3 an internal error (see ``scr_rules.cli._common``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

import typer
from rich.console import Console

from scr_rules.cli._common import EXIT_BAD_INPUT, EXIT_INTERNAL
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
    except BrokenPipeError:  # `scr ... | head -1`: the reader left; stop quietly, as cat does
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise
        sys.stderr.write(f"error: cannot write the output: {os.strerror(exc.errno)}\n")
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:
        if os.environ.get("SCR_DEBUG"):
            raise
        Console(stderr=True, width=WIDTH).print(
            f"internal error ({type(exc).__name__}); rerun with SCR_DEBUG=1 for details",
            markup=False,
        )
        sys.exit(EXIT_INTERNAL)


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command cut off by head


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


__all__ = ["app", "main"]
