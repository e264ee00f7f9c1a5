"""What runs before every command: ``scr --version``, and a clean slate for error documents."""

from __future__ import annotations

from typing import Annotated

import typer

from scr_rules.cli._common import errors_as


def version_text() -> str:
    """Return 'scr-rules X.Y.Z; durable-rules 2.0.28; rulebook sha256:...' (the bundled rules)."""
    from scr_rules.decide import engine_version
    from scr_rules.law import load_rulebook

    return f"{engine_version()}; rulebook {load_rulebook().digest}"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the versions of scr-rules, durable-rules and the bundled rulebook.",
        ),
    ] = False,
) -> None:
    """Decide whether a child-safeguarding Serious Case Review is required, and say why."""
    errors_as(None)  # a command asks for error documents itself; none carries over
