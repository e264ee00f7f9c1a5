"""``scr serve`` as a real uvicorn process on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from scr_rules.case import case_from_dict
from scr_rules.decide import engine_version, triage
from tests._shared import BOOK, DEATH_2008
from tests.service._support import ALL_TOKEN, bearer, running_server, write_tokens

MARKED_REF = "EX-MARKED-4711"  # must never appear in the server's log


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    folder = tmp_path_factory.mktemp("serve")
    tokens = write_tokens(folder / "tokens.yaml")
    log = folder / "decisions.scrlog"
    args = ("--tokens", str(tokens), "--log", str(log), "--workers", "2")
    with running_server(*args, output=folder / "server.log") as (base, _):
        yield base, folder / "server.log"


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_decision_over_http_is_the_library_s(server: tuple[str, Any]) -> None:
    base, _ = server
    case = {**DEATH_2008, "case_ref": MARKED_REF}
    headers = {**bearer(ALL_TOKEN), "content-type": "application/json"}
    status, got, body = request(base, "POST", "/v1/decisions", json.dumps(case).encode(), headers)
    assert status == 200
    assert body == (triage(case_from_dict(case), rulebook=BOOK).to_json() + "\n").encode()
    assert got["scr-engine-version"] == engine_version()
    assert got["scr-rulebook"] == BOOK.digest
    assert got["x-request-id"]
    assert "server" not in got


def test_a_record_and_its_repeat_over_http(server: tuple[str, Any]) -> None:
    base, _ = server
    headers = {
        **bearer(ALL_TOKEN),
        "content-type": "application/json",
        "idempotency-key": str(uuid.uuid4()),
    }
    body = json.dumps({**DEATH_2008, "case_ref": MARKED_REF}).encode()
    first = request(base, "POST", "/v1/records", body, headers)
    again = request(base, "POST", "/v1/records", body, headers)
    assert (first[0], again[0]) == (201, 200)
    assert first[2] == again[2]
    status, _, verified = request(base, "GET", "/v1/audit/verify", headers=bearer(ALL_TOKEN))
    assert status == 200
    assert json.loads(verified)["ok"] is True


def test_a_request_without_a_token_is_refused(server: tuple[str, Any]) -> None:
    base, _ = server
    status, got, body = request(base, "GET", "/v1")
    assert status == 401
    assert got["www-authenticate"].startswith("Bearer")
    assert json.loads(body)["status"] == 401


def test_the_log_has_a_line_per_request_and_no_body(server: tuple[str, Any]) -> None:
    """What the server logged: request ids, paths and statuses, never case data."""
    base, log_file = server
    status, _, _ = request(base, "GET", "/healthz", headers={"x-request-id": "probe-1"})
    assert status == 200
    deadline = time.monotonic() + 10
    log = log_file.read_text()
    while "probe-1" not in log and time.monotonic() < deadline:  # written as it happens
        time.sleep(0.05)
        log = log_file.read_text()
    assert "probe-1 GET /healthz 200" in log
    assert "POST /v1/decisions 200" in log
    assert "client=everything" in log
    assert MARKED_REF not in log
    assert "child_died" not in log
