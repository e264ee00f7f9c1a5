"""Fixtures of the service tests: an open loopback app, and one with tokens and a log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scr_rules.service import ServiceConfig
from tests.service._support import TestClient, client_for, write_tokens


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The service as ``scr serve`` starts it by default: loopback, no tokens, no log."""
    with client_for() as test_client:
        yield test_client


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "decisions.scrlog"


@pytest.fixture
def secured(tmp_path: Path, log_path: Path) -> Iterator[TestClient]:
    """The service with a tokens file and an audit log."""
    tokens = write_tokens(tmp_path / "tokens.yaml")
    with client_for(ServiceConfig.from_files(log_path, tokens)) as test_client:
        yield test_client
