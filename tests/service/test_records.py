"""Records over HTTP: scopes, Idempotency-Key, and the answers of scr audit show/verify."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from httpx import Response

from scr_rules.audit import AuditLog
from tests._shared import DEATH_2008, SCR
from tests.service._support import (
    ALL_TOKEN,
    AUDITOR_TOKEN,
    DECIDE_TOKEN,
    RECORD_TOKEN,
    TestClient,
    bearer,
)

RECORD_BODY = {**DEATH_2008, "audit": {"human_decision": "initiated", "human_reason": "criteria"}}


def record(client: TestClient, body: object, key: str, token: str = RECORD_TOKEN) -> Response:
    return client.post("/v1/records", json=body, headers={**bearer(token), "idempotency-key": key})


def count(log: Path) -> int:
    with AuditLog(log) as audit_log:
        return sum(1 for _ in audit_log.records())


def test_a_record_is_written_once_per_idempotency_key(secured: TestClient, log_path: Path) -> None:
    key = str(uuid.uuid4())
    first = record(secured, RECORD_BODY, key)
    assert first.status_code == 201
    assert first.headers["location"] == "/v1/records/1"
    written = first.json()
    assert written["id"] == 1
    assert written["by"] == "recorder"  # the token's name, when the body names no one
    assert written["human_decision"] == "initiated"
    assert written["decision"]["outcome"] == "mandatory"
    again = record(secured, RECORD_BODY, key)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert count(log_path) == 1
    other = record(secured, RECORD_BODY, str(uuid.uuid4()))
    assert other.status_code == 201
    assert other.json()["id"] == 2
    assert count(log_path) == 2


def test_a_key_reused_for_another_body_is_refused(secured: TestClient, log_path: Path) -> None:
    key = "key-1"
    assert record(secured, RECORD_BODY, key).status_code == 201
    changed = record(secured, {**RECORD_BODY, "case_ref": "EX-0002"}, key)
    assert changed.status_code == 422
    assert "different request" in changed.json()["detail"]
    assert count(log_path) == 1


def test_keys_belong_to_their_client(secured: TestClient, log_path: Path) -> None:
    assert record(secured, RECORD_BODY, "shared", RECORD_TOKEN).status_code == 201
    assert record(secured, RECORD_BODY, "shared", ALL_TOKEN).status_code == 201
    assert count(log_path) == 2


@pytest.mark.parametrize("key", [None, "", "has space", "x" * 129])
def test_a_missing_or_malformed_key_is_a_400(secured: TestClient, key: str | None) -> None:
    headers = bearer(RECORD_TOKEN) | ({} if key is None else {"idempotency-key": key})
    answer = secured.post("/v1/records", json=RECORD_BODY, headers=headers)
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["detail"]


def test_a_bad_case_or_audit_field_records_nothing(secured: TestClient, log_path: Path) -> None:
    bad_case = record(secured, {**RECORD_BODY, "facts": {"child_died": 1}}, "k1")
    assert bad_case.status_code == 422
    bad_audit = record(secured, {**RECORD_BODY, "audit": {"human_decision": "maybe"}}, "k2")
    assert bad_audit.status_code == 422
    assert bad_audit.json()["errors"][0]["field"] == "audit"
    assert count(log_path) == 0
    assert record(secured, RECORD_BODY, "k1").status_code == 201  # the key was not spent


def test_scopes_are_enforced(secured: TestClient) -> None:
    assert secured.post("/v1/decisions", json=DEATH_2008).status_code == 401
    unknown = secured.post("/v1/decisions", json=DEATH_2008, headers=bearer("x" * 40))
    assert unknown.status_code == 401
    assert "invalid_token" in unknown.headers["www-authenticate"]
    assert secured.get("/v1", headers=bearer(AUDITOR_TOKEN)).status_code == 200
    ok = secured.post("/v1/decisions", json=DEATH_2008, headers=bearer(DECIDE_TOKEN))
    assert ok.status_code == 200
    denied = record(secured, RECORD_BODY, "k", DECIDE_TOKEN)
    assert denied.status_code == 403
    assert "'record' scope" in denied.json()["detail"]
    assert secured.get("/v1/records/1", headers=bearer(RECORD_TOKEN)).status_code == 403
    assert secured.get("/v1/audit/verify", headers=bearer(DECIDE_TOKEN)).status_code == 403
    assert secured.get("/healthz").status_code == 200  # for the load balancer
    assert secured.get("/openapi.json").status_code == 200


def test_a_record_reads_as_scr_audit_show_prints_it(secured: TestClient, log_path: Path) -> None:
    assert record(secured, RECORD_BODY, "k").status_code == 201
    answer = secured.get("/v1/records/1", headers=bearer(AUDITOR_TOKEN))
    assert answer.status_code == 200
    shown = subprocess.run(
        [*SCR, "audit", "show", str(log_path), "1", "--format", "json"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert answer.content == shown.stdout
    missing = secured.get("/v1/records/2", headers=bearer(AUDITOR_TOKEN))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no record 2 in the audit log"
    assert str(log_path) not in missing.text  # the server's paths stay on the server
    bad = secured.get("/v1/records/abc", headers=bearer(AUDITOR_TOKEN))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "record_id"


def test_verify_answers_as_scr_audit_verify(secured: TestClient, log_path: Path) -> None:
    for key in ("a", "b"):
        assert record(secured, RECORD_BODY, key).status_code == 201
    answer = secured.get("/v1/audit/verify", headers=bearer(AUDITOR_TOKEN))
    verified = subprocess.run(
        [*SCR, "audit", "verify", str(log_path), "--format", "json"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert answer.status_code == 200
    assert answer.content == verified.stdout
    assert answer.json()["ok"] is True
    head = answer.json()["head"]
    anchored = secured.get("/v1/audit/verify", params={"anchor": head}, headers=bearer(ALL_TOKEN))
    assert anchored.json()["anchor_found"] is True
    malformed = secured.get(
        "/v1/audit/verify", params={"anchor": "not-a-hash"}, headers=bearer(ALL_TOKEN)
    )
    assert malformed.status_code == 422


def test_a_tampered_log_verifies_as_not_ok(secured: TestClient, log_path: Path) -> None:
    assert record(secured, RECORD_BODY, "a").status_code == 201
    with contextlib.closing(sqlite3.connect(log_path)) as db, db:
        db.execute("UPDATE records SET human_decision = 'declined' WHERE id = 1")
    result = secured.get("/v1/audit/verify", headers=bearer(AUDITOR_TOKEN)).json()
    assert result["ok"] is False
    assert result["first_bad"] == 1


def test_without_a_log_the_record_operations_say_so(client: TestClient) -> None:
    answer = client.get("/v1/audit/verify")
    assert answer.status_code == 404
    assert "scr serve --log" in answer.json()["detail"]


def test_the_idempotency_keys_live_beside_the_log_and_verify_stays_clean(
    secured: TestClient, log_path: Path
) -> None:
    assert record(secured, RECORD_BODY, "a").status_code == 201
    keys = log_path.with_name(log_path.name + ".idempotency")
    assert keys.is_file()
    assert keys.stat().st_mode & 0o077 == 0
    with contextlib.closing(sqlite3.connect(keys)) as db, db:
        rows = db.execute("SELECT client, key, record_id FROM idempotency_keys").fetchall()
    assert rows == [("recorder", "a", 1)]
    assert json.loads(
        subprocess.run(
            [*SCR, "audit", "verify", str(log_path), "--format", "json"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    )["ok"]
