"""The ``scr`` command line (typer): one module per command group."""

from scr_rules.cli._main import app, main

__all__ = ["app", "main"]
