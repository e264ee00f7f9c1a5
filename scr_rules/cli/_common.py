"""Options that several ``scr`` commands share, defined once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class EvaluatorChoice(StrEnum):
    """Which evaluator decides."""

    durable = "durable-rules"
    reference = "reference"


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
