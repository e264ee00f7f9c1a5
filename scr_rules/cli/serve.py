"""``scr serve``: the HTTP service, for case-management systems in any language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scr_rules.cli._common import fail
from scr_rules.errors import ScrRulesError

SERVE_MODULES = ("fastapi", "uvicorn", "starlette", "pydantic_core", "anyio", "h11")
INSTALL_HINT = "pip install 'scr-rules[serve]'"


def serve(
    host: Annotated[
        str, typer.Option(help="The address to listen on; beyond loopback needs --tokens.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    log: Annotated[
        Path | None,
        typer.Option(
            help="An audit log: enables /v1/records and /v1/audit/verify (needs --tokens)."
        ),
    ] = None,
    tokens: Annotated[
        Path | None,
        typer.Option(help="A private tokens file (scr-tokens/1): bearer tokens with scopes."),
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="Allow browser pages from this origin (repeatable; default: none)."),
    ] = None,
) -> None:
    """Serve decisions over HTTP (JSON, OpenAPI at /openapi.json, a reference at /docs).

    Listens on 127.0.0.1 only unless --tokens is given. Nothing is stored unless --log is
    given. TLS and single sign-on belong to a reverse proxy in front.

    [bold]Examples[/bold]

      scr serve

      scr serve --host 0.0.0.0 --tokens tokens.yaml --log decisions.scrlog --workers 2

      curl -s localhost:8000/v1/decisions -H 'Content-Type: application/json' -d @case.json

    Exit code 2 when an option or the tokens file is wrong, or the extra is not installed.
    """
    try:
        from scr_rules.service import ServiceConfig
        from scr_rules.service import serve as run_service
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in SERVE_MODULES:
            raise
        fail(f"scr serve needs the HTTP extra ({exc.name} is not installed): {INSTALL_HINT}")
    try:
        config = ServiceConfig.from_files(log, tokens, tuple(cors_origin or ()))
        run_service(config, host, port, workers)
    except ScrRulesError as exc:
        fail(exc)
