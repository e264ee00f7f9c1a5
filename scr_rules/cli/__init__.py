"""The ``scr`` command line (typer): one module per command group, assembled here.

Exit codes: 0 a decision was made (any outcome) or a check passed; 1 a check failed;
2 bad input or usage; 3 an internal error (see ``scr_rules.cli._common``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import Any

from scr_rules.cli import _fast
from scr_rules.errors import EngineError, error_document
from scr_rules.vocabulary import EXIT_BAD_INPUT, EXIT_INTERNAL


def main() -> None:
    """Run the CLI; turn an unexpected exception into exit code 3 without case data."""
    document_format = None
    try:
        if _fast.triage_json(sys.argv[1:]):  # decided and written without typer
            return
        from scr_rules.cli._app import _run_with_error_documents, app
        from scr_rules.cli._common import requested_format

        document_format = requested_format(sys.argv[1:])
        if document_format is None:
            app()
        else:
            _run_with_error_documents(document_format)
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
        from rich.console import Console

        from scr_rules.cli._common import write_error_document
        from scr_rules.render import WIDTH

        message = f"internal error ({type(exc).__name__}); rerun with SCR_DEBUG=1 for details"
        if document_format is not None:
            write_error_document(error_document(EngineError(message)), document_format)
        Console(stderr=True, width=WIDTH).print(message, markup=False)
        sys.exit(EXIT_INTERNAL)


def __getattr__(name: str) -> Any:
    """Build the typer app when it is first asked for (``from scr_rules.cli import app``)."""
    if name == "app":
        from scr_rules.cli._app import app

        return app
    raise AttributeError(f"module 'scr_rules.cli' has no attribute {name!r}")


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command cut off by head


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


__all__ = ["app", "main"]
