"""What one running service holds: its configuration, the rulebook and the audit log's keys."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from scr_rules.decide import engine_version
from scr_rules.law import RuleBook, load_rulebook
from scr_rules.service._tokens import Tokens, load_tokens

CONFIG_ENV = "SCR_SERVE_CONFIG"  # how ``scr serve`` hands its options to each worker process
MAX_CASE_BYTES = 65_536  # one case file is a few hundred bytes
MAX_BATCH_BYTES = 10 * 1024 * 1024
MAX_BATCH_LINES = 10_000


@dataclass(frozen=True)
class ServiceConfig:
    """How the service runs: the audit log (None: nothing is stored), tokens, CORS origins."""

    log: Path | None = None
    tokens: Tokens | None = None  # None: no token is checked (loopback only)
    tokens_file: Path | None = None
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_files(
        cls,
        log: str | Path | None = None,
        tokens_file: str | Path | None = None,
        cors_origins: tuple[str, ...] = (),
    ) -> ServiceConfig:
        """Read the tokens file (raising InputError if it is unsafe or malformed)."""
        tokens = load_tokens(tokens_file) if tokens_file is not None else None
        return cls(
            log=Path(log).absolute() if log is not None else None,
            tokens=tokens,
            tokens_file=Path(tokens_file).absolute() if tokens_file is not None else None,
            cors_origins=cors_origins,
        )

    def to_environment(self) -> str:
        """Return the configuration as the JSON text ``CONFIG_ENV`` carries."""
        return json.dumps(
            {
                "log": str(self.log) if self.log else None,
                "tokens": str(self.tokens_file) if self.tokens_file else None,
                "cors_origins": list(self.cors_origins),
            }
        )

    @classmethod
    def from_environment(cls) -> ServiceConfig:
        """Rebuild the configuration ``scr serve`` put in ``CONFIG_ENV`` (none: defaults)."""
        data: dict[str, Any] = json.loads(os.environ.get(CONFIG_ENV) or "{}")
        return cls.from_files(
            data.get("log"), data.get("tokens"), tuple(data.get("cors_origins") or ())
        )


@dataclass
class ServiceState:
    """The configuration and what every request reads: the rulebook and the versions."""

    config: ServiceConfig
    book: RuleBook = field(default_factory=load_rulebook)
    engine_version: str = field(default_factory=engine_version)


def state_of(request: Request) -> ServiceState:
    """Return the state of the service the request came to."""
    state: ServiceState = request.app.state.scr
    return state
