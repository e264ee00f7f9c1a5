"""Fixtures every test folder may use; plain constants and builders are in ``_shared``.

Nothing here reads the rules or imports the CLI when this file is loaded: a broken rule
file or command fails the tests that use them, not the loading of every test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scr_rules.law import RuleBook, bundled_rules_dir, load_rulebook


@pytest.fixture(autouse=True)
def _no_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logs are unkeyed whatever the environment holds; the keyed ones have their own tests."""
    monkeypatch.delenv("SCR_AUDIT_KEY", raising=False)


@pytest.fixture(scope="session")
def rulebook() -> RuleBook:
    """The bundled rulebook (loaded once per process: the same object as ``_shared.BOOK``)."""
    return load_rulebook()


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run ``scr`` in-process; an exception escaping the CLI fails the test."""
    from scr_rules.cli import app

    runner = CliRunner()

    def _run(
        *args: str,
        stdin: str | bytes | None = None,
        env: Mapping[str, str | None] | None = None,
    ) -> Result:
        return runner.invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)

    return _run


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the bundled rules directory, free to edit."""
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target
