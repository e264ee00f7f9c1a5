"""The audit tests run without the board's key unless a test gives one."""

from __future__ import annotations

import pytest

from scr_rules.audit import AUDIT_KEY_ENV


@pytest.fixture(autouse=True)
def _no_audit_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUDIT_KEY_ENV, raising=False)
