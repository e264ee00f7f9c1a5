"""What the service tests share: a test client, tokens, a real server on a free port."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # starlette prefers httpx2 and warns once, on import, when it finds httpx instead
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from scr_rules.case import parse_document, read_text
from scr_rules.service import ServiceConfig, create_app, token_sha256

# Synthetic bearer tokens: one per scope, and one holding every scope.
DECIDE_TOKEN = "decide-" + "d" * 40
RECORD_TOKEN = "record-" + "r" * 40
AUDITOR_TOKEN = "auditor-" + "a" * 40
ALL_TOKEN = "all-" + "x" * 40
JSON = {"content-type": "application/json"}
NDJSON = {"content-type": "application/x-ndjson"}
STARTUP_SECONDS = 60.0


def case_document(path: Path) -> Any:
    """Read a case file as the CLI does; the service gets the same document as JSON."""
    return parse_document(read_text(path)[1], str(path))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def write_tokens(path: Path) -> Path:
    """Write a private tokens file holding the four synthetic tokens."""
    path.write_text(
        "schema: scr-tokens/1\n"
        "tokens:\n"
        f"  - name: case-system\n    token_sha256: {token_sha256(DECIDE_TOKEN)}\n"
        "    scopes: [decide]\n"
        f"  - name: recorder\n    token_sha256: {token_sha256(RECORD_TOKEN)}\n"
        "    scopes: [record]\n"
        f"  - name: auditor\n    token: {AUDITOR_TOKEN}\n    scopes: ['audit:read']\n"
        f"  - name: everything\n    token_sha256: {token_sha256(ALL_TOKEN)}\n"
        "    scopes: [decide, record, 'audit:read']\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def client_for(config: ServiceConfig | None = None, **kwargs: Any) -> TestClient:
    return TestClient(create_app(config, **kwargs), raise_server_exceptions=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(*args: str, output: Path | None = None) -> Iterator[tuple[str, Any]]:
    """Run ``scr serve`` on a free loopback port; yield its base URL and the process.

    The server's log goes to ``output`` (a file: a pipe nobody reads would fill and block it).
    """
    port = free_port()
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(output.open("wb")) if output else subprocess.DEVNULL
        process = subprocess.Popen(
            [sys.executable, "-m", "scr_rules", "serve", "--port", str(port), *args],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def _wait_until_up(base: str, process: Any) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"scr serve exited with {process.returncode} before it was up")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"scr serve was not up within {STARTUP_SECONDS:.0f} s")
