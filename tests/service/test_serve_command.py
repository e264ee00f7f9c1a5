"""``scr serve`` and its tokens file: what it refuses to start with, and why (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scr_rules.errors import InputError
from scr_rules.service import is_loopback, load_tokens, token_sha256
from tests.service._support import ALL_TOKEN, AUDITOR_TOKEN, DECIDE_TOKEN, write_tokens

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the address a service without tokens must refuse


def scr_serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scr_rules", "serve", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_tokens_are_matched_to_their_client(tmp_path: Path) -> None:
    tokens = load_tokens(write_tokens(tmp_path / "tokens.yaml"))
    assert tokens.client(DECIDE_TOKEN).name == "case-system"  # type: ignore[union-attr]
    assert tokens.client(AUDITOR_TOKEN).scopes == {"audit:read"}  # type: ignore[union-attr]
    assert tokens.client(ALL_TOKEN).scopes == {"decide", "record", "audit:read"}  # type: ignore[union-attr]
    assert tokens.client(DECIDE_TOKEN[:-1]) is None
    assert tokens.client("") is None


def test_a_json_tokens_file_works_too(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    entry = {"name": "cms", "token_sha256": token_sha256(DECIDE_TOKEN), "scopes": ["decide"]}
    path.write_text(json.dumps({"schema": "scr-tokens/1", "tokens": [entry]}))
    path.chmod(0o600)
    assert load_tokens(path).client(DECIDE_TOKEN).name == "cms"  # type: ignore[union-attr]


def test_a_world_readable_tokens_file_is_refused(tmp_path: Path) -> None:
    path = write_tokens(tmp_path / "tokens.yaml")
    path.chmod(0o644)
    with pytest.raises(InputError, match=r"readable or writable by every user \(mode 0644\)"):
        load_tokens(path)


def test_every_problem_of_a_malformed_tokens_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    path.write_text(
        "schema: scr-tokens/1\n"
        "tokens:\n"
        "  - name: Case System\n    token: short\n    scopes: [decide, admin]\n"
        "  - name: b\n    token_sha256: abc\n    token: also\n    scopes: []\n"
        "  - name: c\n    token_sha256: ABC\n    scopes: [decide]\n    colour: red\n"
    )
    path.chmod(0o600)
    with pytest.raises(InputError) as raised:
        load_tokens(path)
    locs = [problem.loc for problem in raised.value.problems]
    assert locs == [
        "tokens[0].name",
        "tokens[0].token",
        "tokens[0].scopes[1]",
        "tokens[1]",
        "tokens[1].scopes",
        "tokens[2].colour",
        "tokens[2].token_sha256",
    ]


def test_two_entries_with_one_token_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    digest = token_sha256(DECIDE_TOKEN)
    path.write_text(
        "schema: scr-tokens/1\ntokens:\n"
        f"  - {{name: a, token_sha256: {digest}, scopes: [decide]}}\n"
        f"  - {{name: b, token: {DECIDE_TOKEN}, scopes: [record]}}\n"
    )
    path.chmod(0o600)
    with pytest.raises(InputError, match="two entries hold the same token"):
        load_tokens(path)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.3.2.1", True), ("::1", True), ("localhost", True),
     (ALL_INTERFACES, False), ("10.0.0.4", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_beyond_loopback_needs_tokens() -> None:
    done = scr_serve("--host", ALL_INTERFACES)
    assert done.returncode == 2
    assert f"--host {ALL_INTERFACES} is not a loopback address" in done.stderr
    assert "--tokens FILE" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_log_needs_tokens(tmp_path: Path) -> None:
    done = scr_serve("--log", str(tmp_path / "decisions.scrlog"))
    assert done.returncode == 2
    assert "--log needs --tokens FILE" in done.stderr
    assert not (tmp_path / "decisions.scrlog").exists()


def test_a_bad_tokens_file_stops_the_start(tmp_path: Path) -> None:
    path = write_tokens(tmp_path / "tokens.yaml")
    path.chmod(0o604)
    done = scr_serve("--tokens", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: is readable or writable by every user")
    path.write_text("schema: scr-tokens/1\ntokens: []\n")
    path.chmod(0o600)
    done = scr_serve("--tokens", str(path))
    assert done.returncode == 2
    assert "tokens: expected a list of at least one token" in done.stderr


def test_a_file_that_is_not_an_audit_log_stops_the_start(tmp_path: Path) -> None:
    log = tmp_path / "notes.txt"
    log.write_text("not a database")
    done = scr_serve("--log", str(log), "--tokens", str(write_tokens(tmp_path / "t.yaml")))
    assert done.returncode == 2
    assert "error:" in done.stderr
    assert "Traceback" not in done.stderr
    assert log.read_text() == "not a database"


def test_without_the_extra_scr_serve_says_what_to_install() -> None:
    script = (
        "import sys; sys.modules['fastapi'] = None; sys.argv = ['scr', 'serve']; "
        "from scr_rules.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "pip install 'scr-rules[serve]'" in done.stderr
    assert "fastapi is not installed" in done.stderr


@pytest.mark.parametrize("statement", ["import scr_rules", "import scr_rules.cli"])
def test_the_library_and_the_cli_do_not_load_the_http_stack(statement: str) -> None:
    script = (
        f"{statement}; import sys; "
        "print([m for m in ('fastapi', 'starlette', 'uvicorn') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_only_the_service_package_imports_the_http_stack() -> None:
    package = Path(__file__).resolve().parents[2] / "scr_rules"
    outside = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "service" not in path.relative_to(package).parts
        and any(
            line.lstrip().startswith((f"import {name}", f"from {name}"))
            for line in path.read_text(encoding="utf-8").splitlines()
            for name in ("fastapi", "starlette", "uvicorn")
        )
    ]
    assert outside == []
