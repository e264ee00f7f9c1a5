"""Run the service under uvicorn: loopback unless there are tokens, one log line per request."""

from __future__ import annotations

import copy
import ipaddress
import os

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from scr_rules.errors import UsageError
from scr_rules.service._app import create_app
from scr_rules.service._state import CONFIG_ENV, ServiceConfig

APP_FACTORY = "scr_rules.service._app:app_from_environment"


def is_loopback(host: str) -> bool:
    """Say whether ``host`` is this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, config: ServiceConfig) -> None:
    """Refuse to listen beyond this machine without tokens (raise UsageError)."""
    if not is_loopback(host) and config.tokens is None:
        raise UsageError(
            f"--host {host} is not a loopback address: serving other machines needs "
            "--tokens FILE (bearer tokens with scopes); TLS belongs to a reverse proxy in front"
        )
    if config.log is not None and config.tokens is None:
        raise UsageError(
            "--log needs --tokens FILE: records hold case facts, and writing or reading them "
            "needs the 'record' or 'audit:read' scope"
        )


def serve(config: ServiceConfig, host: str, port: int, workers: int = 1) -> None:
    """Listen on ``host:port`` until stopped; each worker builds the app from the config."""
    check_host(host, config)
    create_app(config)  # a log that is not an audit log stops the start here, with exit 2
    os.environ[CONFIG_ENV] = config.to_environment()
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the service logs each request itself, with its id
        server_header=False,
        log_config=_log_config(),
    )


def _log_config() -> dict[str, object]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["scr_rules.service"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config
