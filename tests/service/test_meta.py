"""The read-only operations, and what every response carries: headers, problems, no echo."""

from __future__ import annotations

import subprocess

import pytest
from fastapi import APIRouter, Request

from scr_rules.decide import engine_version
from scr_rules.law import load_rulebook
from scr_rules.service import ServiceConfig
from tests._shared import SCR
from tests.service._support import JSON, TestClient, client_for

BOOK = load_rulebook()


def test_health_and_the_index(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    index = client.get("/v1").json()
    assert index["engine_version"] == engine_version()
    assert index["rulebook"] == BOOK.digest
    assert index["regimes"] == [regime.id for regime in BOOK.regimes]
    assert index["schemas"]["case"] == {"schema": "scr-case/1", "url": "/v1/schemas/case"}
    assert set(index["schemas"]) == {"case", "decision", "error"}


@pytest.mark.parametrize("name", ["case", "decision", "error"])
def test_each_schema_is_what_scr_schema_prints(client: TestClient, name: str) -> None:
    printed = subprocess.run([*SCR, "schema", name], capture_output=True, check=True, timeout=60)
    answer = client.get(f"/v1/schemas/{name}")
    assert answer.status_code == 200
    assert answer.content == printed.stdout


def test_an_unknown_schema_is_a_404(client: TestClient) -> None:
    answer = client.get("/v1/schemas/rulebook")
    assert answer.status_code == 404
    assert "expected one of case, decision, error" in answer.json()["detail"]


def test_regimes_rules_and_settings_come_from_the_rulebook(client: TestClient) -> None:
    regimes = client.get("/v1/regimes").json()
    assert [r["id"] for r in regimes] == [r.id for r in BOOK.regimes]
    assert regimes[0]["in_force"]["from"] == BOOK.regimes[0].in_force.from_.isoformat()
    rules = client.get("/v1/rules").json()
    assert [r["id"] for r in rules] == [r.id for r in BOOK.rules]
    only = client.get("/v1/rules", params={"regime": "england-2006"}).json()
    assert only
    assert {r["regime"] for r in only} == {"england-2006"}
    assert len(only) == len(BOOK.rules_for("england-2006"))
    settings = client.get("/v1/settings").json()
    assert [s["name"] for s in settings] == [s.name for s in BOOK.settings]


def test_one_rule_in_full_and_a_misspelt_one(client: TestClient) -> None:
    rule = client.get("/v1/rules/england.wt-2006.ch8-child-death").json()
    spec = BOOK.rule("england.wt-2006.ch8-child-death").spec
    assert rule["citation"]["instrument"] == spec.citation.instrument
    assert rule["in_force"]["from"] == "2006-04-01"
    assert rule["path"].endswith("ch8-child-death.yaml")
    assert rule["examples"]
    missing = client.get("/v1/rules/england.wt-2006.ch8-child-deaht")
    assert missing.status_code == 404
    assert "did you mean 'england.wt-2006.ch8-child-death'" in missing.json()["detail"]


def test_an_unknown_regime_filter_is_a_404(client: TestClient) -> None:
    answer = client.get("/v1/rules", params={"regime": "england-2007"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/v1/rules/none", 404),
        ("GET", "/no/such/path", 404),
        ("DELETE", "/v1/decisions", 405),
        ("POST", "/v1/decisions", 415),
        ("GET", "/docs", 200),
    ],
)
def test_every_response_names_the_engine_rulebook_and_request(
    client: TestClient, method: str, path: str, status: int
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["scr-engine-version"] == engine_version()
    assert answer.headers["scr-rulebook"] == BOOK.digest
    assert len(answer.headers["x-request-id"]) == 32
    if status >= 400:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_a_plain_request_id_is_kept_and_anything_else_replaced(client: TestClient) -> None:
    kept = client.get("/healthz", headers={"x-request-id": "case-system.42"})
    assert kept.headers["x-request-id"] == "case-system.42"
    replaced = client.get("/healthz", headers={"x-request-id": "a b\tc"})
    assert replaced.headers["x-request-id"] != "a b\tc"


def test_no_cors_unless_configured(client: TestClient) -> None:
    answer = client.get("/healthz", headers={"origin": "https://cms.example"})
    assert "access-control-allow-origin" not in answer.headers


def test_an_unknown_query_parameter_is_refused_with_a_suggestion(client: TestClient) -> None:
    answer = client.get("/v1/rules", params={"regim": "england-2006"})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "regim"
    assert "did you mean 'regime'" in error["message"]
    assert client.get("/v1/regimes", params={"x": "1"}).status_code == 422


def test_cors_only_for_the_origins_configured() -> None:
    with client_for(ServiceConfig(cors_origins=("https://cms.example",))) as test_client:
        allowed = test_client.get("/healthz", headers={"origin": "https://cms.example"})
        other = test_client.get("/healthz", headers={"origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://cms.example"
    assert "x-request-id" in allowed.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in other.headers


def test_an_internal_error_is_a_500_with_an_id_and_no_echo_of_the_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug in any route (here an added router) answers 500 and keeps the request out."""
    extra = APIRouter()

    @extra.post("/v1/broken")
    async def broken(request: Request) -> None:
        raise RuntimeError((await request.body()).decode())

    with client_for(routers=[extra]) as test_client:
        answer = test_client.post(
            "/v1/broken", content=b'{"case_ref": "EX-SECRET-7"}', headers=JSON
        )
    assert answer.status_code == 500
    problem = answer.json()
    assert problem["request_id"] == answer.headers["x-request-id"]
    assert problem["request_id"] in problem["detail"]
    assert "EX-SECRET-7" not in answer.text
    assert answer.headers["scr-rulebook"] == BOOK.digest
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"{problem['request_id']} internal error RuntimeError at" in logged
    assert "EX-SECRET-7" not in logged


def test_the_docs_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/v1/decisions" in page
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert client.get("/redoc").status_code == 404
