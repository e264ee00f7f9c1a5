"""What every ``scr`` command shares, defined once: exit codes, ``fail``, options, I/O.

Exit codes (``scr_rules.vocabulary``, where ``scr_rules.batch`` reads them too): 0 a
decision was made (any outcome) or a check passed; 1 a check failed; 2 bad input or usage
(the message says which file, which field and what was expected); 3 an internal error (a
bug: please report it with the case file's shape, not its data); 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
import yaml
from rich.console import Console

from scr_rules.case import MAX_DOCUMENT_BYTES
from scr_rules.engine import DEFAULT_EVALUATOR, EVALUATOR_NAMES
from scr_rules.errors import (
    CaseFileError,
    Problem,
    RuleFileError,
    ScrRulesError,
    UsageError,
    error_document,
    printable,
)
from scr_rules.law import RuleBook, load_rulebook
from scr_rules.render import text_console, without_trailing_blanks
from scr_rules.vocabulary import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    parse_iso_date,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "CaseFileArgument",
    "DetailOption",
    "EvaluatorChoice",
    "EvaluatorOption",
    "RegimeOption",
    "RulesOption",
    "SetOption",
    "errors_as",
    "fail",
    "parse_date",
    "read_stdin",
    "requested_format",
    "rulebook",
    "stdout_console",
    "write_error_document",
]

# Which evaluator decides: a choice per name the engine registers (typer needs an enum).
EvaluatorChoice = StrEnum("EvaluatorChoice", {name: name for name in EVALUATOR_NAMES})  # type: ignore[misc]
DEFAULT_EVALUATOR_CHOICE = EvaluatorChoice(DEFAULT_EVALUATOR)

CaseFileArgument = Annotated[
    str,
    typer.Argument(help="The case file (YAML or JSON); '-' reads stdin.", show_default=False),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="A rules directory to use instead of the bundled rules."),
]
RegimeOption = Annotated[
    str | None,
    typer.Option(help="Use this regime (e.g. england-2010) instead of choosing it by date."),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="Change a switch, NAME=VALUE (see 'scr rules settings'); repeatable."
    ),
]
EvaluatorOption = Annotated[
    EvaluatorChoice,
    typer.Option(help="durable-rules (default) or the pure-Python reference evaluator."),
]
DetailOption = Annotated[
    bool,
    typer.Option(
        "--detail",
        help="Text: list every rule, also those that cannot change the outcome.",
    ),
]


def fail(error: str | ScrRulesError, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Write one 'error:' line per problem to stderr, never wrapped, and exit with ``code``.

    Every command prints its errors so: one problem is one line with the same prefix,
    greppable, and the text that came from input is already escaped (``errors.printable``).
    A command run with ``--format json`` (or ``yaml``) also prints the ``scr-error/1``
    document on stdout, so a program reads data, never prose. A plain message is a usage error.
    """
    if isinstance(error, str):
        error = UsageError(error)
    for line in str(error).splitlines() or [""]:
        sys.stderr.write(f"error: {printable(line)}\n")
    document_format = _requested_document_format()
    if document_format is not None:
        write_error_document(error_document(error), document_format)
    raise typer.Exit(code)


DOCUMENT_FORMATS = ("json", "yaml")


# Set by a command that prints data (``errors_as``), reset before every command (cli.__init__).
_DOCUMENT_FORMAT: ContextVar[str | None] = ContextVar("document_format", default=None)


def errors_as(output_format: str | None) -> None:
    """Make ``fail`` print an error document too when the command prints json or yaml."""
    text = getattr(output_format, "value", output_format)
    _DOCUMENT_FORMAT.set(text if text in DOCUMENT_FORMATS else None)


def _requested_document_format() -> str | None:
    return _DOCUMENT_FORMAT.get()


def requested_format(args: Sequence[str]) -> str | None:
    """Return json or yaml when command-line ``args`` ask for it (before they are parsed)."""
    found = None
    for index, arg in enumerate(args):
        if arg in ("--format", "-f") and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith("--format="):
            found = arg.removeprefix("--format=")
        elif arg.startswith("-f") and not arg.startswith("--") and len(arg) > 2:
            found = arg[2:]
    return found if found in DOCUMENT_FORMATS else None


def write_error_document(document: dict[str, Any], document_format: str) -> None:
    """Print an ``scr-error/1`` document on stdout as JSON (one line) or YAML."""
    if document_format == "yaml":
        sys.stdout.write(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    else:
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class _NoTrailingBlanks:
    """A text stream that drops the blanks rich leaves at the end of wrapped lines."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(without_trailing_blanks(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def stdout_console() -> Console:
    """Return a console on stdout, wrapped to the terminal's width (unwrapped when piped).

    Its lines end without blanks; ``COLUMNS`` sets the width on a terminal.
    """
    return text_console(_NoTrailingBlanks(sys.stdout))  # type: ignore[arg-type]


def read_stdin() -> str:
    """Read at most one byte past the size limit from stdin, whatever the locale says.

    The bytes pass through as surrogates, so read_text reports invalid UTF-8, NUL bytes and
    the size limit exactly as it does for a file.
    """
    if sys.stdin is None:  # closed: read as an empty document
        return ""
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None:  # a text-only stdin (an embedding host): it is already decoded
            return sys.stdin.read(MAX_DOCUMENT_BYTES + 1)
        data: bytes = stream.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        fail(
            CaseFileError("<stdin>", f"cannot be read ({type(exc).__name__}); expected a case file")
        )
    return data.decode("utf-8", errors="surrogateescape")


def rulebook(rules: Path | None) -> RuleBook:
    try:
        return load_rulebook(rules)
    except OSError as exc:  # e.g. a path too long to resolve: bad input, not a crash
        why = exc.strerror or type(exc).__name__
        raise RuleFileError(
            str(rules), f"cannot be read ({why}); expected a directory of rule files"
        ) from None


def parse_date(text: str | None, option: str = "--decision-date") -> date | None:
    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError:
        shown = repr(text)
        message = f"{shown} is not a valid date; expected YYYY-MM-DD, e.g. 2008-05-20"
        fail(UsageError(Problem(option, message, expected="YYYY-MM-DD", found=shown)))
