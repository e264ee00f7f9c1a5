"""POST /v1/decisions, /v1/comparisons, /v1/interview/next: the CLI's answers, byte for byte.

A bad case is a 422 whose errors are the library's own problems (with JSON Pointers); a
body that is not JSON is a 400, too large a 413, of the wrong media type a 415.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from scr_rules import decide
from scr_rules.case import case_from_dict
from scr_rules.service import MAX_CASE_BYTES, json_pointer
from tests._shared import CASE_FILES, DEATH_2008, SCR
from tests.service._support import JSON, TestClient, case_document

PROBLEM = "application/problem+json"


def cli_output(*args: str) -> bytes:
    done = subprocess.run([*SCR, *args], capture_output=True, check=True, timeout=120)
    return done.stdout


def test_every_golden_case_decides_as_the_cli_prints_it_byte_for_byte(
    client: TestClient,
) -> None:
    """The service and ``scr triage FILE --format json`` agree on every case in cases/."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        printed = list(
            pool.map(lambda path: cli_output("triage", str(path), "--format", "json"), CASE_FILES)
        )
    assert len(printed) == len(CASE_FILES) > 60
    for path, expected in zip(CASE_FILES, printed, strict=True):
        answer = client.post("/v1/decisions", json=case_document(path))
        assert answer.status_code == 200, path.name
        assert answer.headers["content-type"] == "application/json"
        assert answer.content == expected, path.name


def test_options_are_those_of_scr_triage(client: TestClient) -> None:
    """options.regime, decision_date, settings and today change the answer as the flags do."""
    path = next(p for p in CASE_FILES if p.name == "serious-harm-with-concern-2012.yaml")
    expected = cli_output(
        "triage", str(path), "--format", "json", "--regime", "england-2010",
        "--decision-date", "2012-09-03", "--set", "eng2010_harm_limb=mandatory",
        "--today", "2013-01-07",
    )  # fmt: skip
    body = {
        **case_document(path),
        "options": {
            "regime": "england-2010",
            "decision_date": "2012-09-03",
            "settings": {"eng2010_harm_limb": "mandatory"},
            "today": "2013-01-07",
        },
    }
    answer = client.post("/v1/decisions", json=body)
    assert answer.status_code == 200
    assert answer.content == expected
    assert answer.json()["outcome"] == "mandatory"


def test_comparisons_equal_scr_compare_json(client: TestClient) -> None:
    for name in ("death-neglect-factor-2008.yaml", "w2016-concise-review.yaml"):
        path = next(p for p in CASE_FILES if p.name == name)
        answer = client.post("/v1/comparisons", json=case_document(path))
        assert answer.status_code == 200
        assert answer.content == cli_output("compare", str(path), "--format", "json")


def test_a_bad_case_lists_every_library_problem_with_its_pointer(client: TestClient) -> None:
    body = {
        **DEATH_2008,
        "facts": {"child_died": "yes", "child_dead": True, "abuse_or_neglect_types": [1]},
        "options": {"regime": "england-20", "colour": "red", "today": "20080101"},
    }
    answer = client.post("/v1/decisions", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["status"] == 422
    assert problem["type"].endswith(":case_file")
    fields = {item["field"]: item for item in problem["errors"]}
    assert set(fields) >= {
        "facts.child_died",
        "facts.child_dead",
        "options.regime",
        "options.colour",
        "options.today",
    }
    died = fields["facts.child_died"]
    assert died["pointer"] == "/facts/child_died"
    assert died["found"] == "'yes'"
    assert "true, false" in died["expected"]
    assert "did you mean 'child_died'" in fields["facts.child_dead"]["message"]
    assert "did you mean 'england-20" in fields["options.regime"]["message"]
    library = case_from_dict_problems({k: v for k, v in body.items() if k != "options"})
    assert [fields[p.loc]["message"] for p in library] == [p.message for p in library]


def case_from_dict_problems(document: Any) -> list[Any]:
    try:
        case_from_dict(document)
    except Exception as exc:  # the library's CaseFileError
        return list(exc.problems)  # type: ignore[attr-defined]
    raise AssertionError("the document was valid")


def test_a_contradiction_names_both_facts(client: TestClient) -> None:
    body = {
        **DEATH_2008,
        "facts": {"child_died": False, "abuse_or_neglect_factor_in_death": "known"},
    }
    answer = client.post("/v1/decisions", json=body)
    assert answer.status_code == 422
    text = json.dumps(answer.json()["errors"])
    assert "child_died" in text
    assert "abuse_or_neglect_factor_in_death" in text


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"{", "Expecting property name"),
        (b"", "empty"),
        (b'{"case_ref": "A", "case_ref": "B"}', "appears twice"),
        (b'{"facts": NaN}', "NaN"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_a_body_that_is_not_json_is_a_400(client: TestClient, body: bytes, why: str) -> None:
    if len(body) > MAX_CASE_BYTES:
        body = b"[" * (MAX_CASE_BYTES - 1)
    answer = client.post("/v1/decisions", content=body, headers=JSON)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == PROBLEM
    assert why in answer.json()["detail"]


def test_json_that_is_not_a_mapping_is_a_422_from_the_library(client: TestClient) -> None:
    answer = client.post("/v1/decisions", json=[1, 2])
    assert answer.status_code == 422
    assert "the document is a list; expected a mapping" in answer.json()["detail"]


def test_a_body_over_64_kib_is_a_413_and_the_limit_is_said(client: TestClient) -> None:
    body = json.dumps({**DEATH_2008, "pad": "x" * MAX_CASE_BYTES}).encode()
    answer = client.post("/v1/decisions", content=body, headers=JSON)
    assert answer.status_code == 413
    assert "65,536 bytes" in answer.json()["detail"]
    streamed = client.post(
        "/v1/decisions", content=iter([body[:40_000], body[40_000:]]), headers=JSON
    )
    assert streamed.status_code == 413  # no Content-Length: counted as it arrives


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json; charset=latin-1"])
def test_a_body_of_another_media_type_is_a_415(
    client: TestClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    answer = client.post("/v1/decisions", content=json.dumps(DEATH_2008), headers=headers)
    assert answer.status_code == 415
    assert "application/json" in answer.json()["detail"]


def test_utf8_charset_and_a_byte_order_mark_are_accepted(client: TestClient) -> None:
    body = ("\ufeff" + json.dumps(DEATH_2008)).encode()
    headers = {"content-type": "application/json; charset=UTF-8"}
    assert client.post("/v1/decisions", content=body, headers=headers).status_code == 200


def test_a_date_no_regime_covers_is_a_422(client: TestClient) -> None:
    answer = client.post("/v1/decisions", json={**DEATH_2008, "decision_date": "1999-01-01"})
    assert answer.status_code == 422
    assert answer.json()["type"].endswith(":regime")


def test_the_interview_answers_as_scr_next_or_says_it_is_not_there_yet(
    client: TestClient, tmp_path: Path
) -> None:
    partial = {**DEATH_2008, "facts": {"child_age_at_incident": 2}}
    body = {"case": partial, "skipped": ["child_died"]}
    answer = client.post("/v1/interview/next", json=body)
    if getattr(decide, "next_question", None) is None:
        assert answer.status_code == 501
        assert answer.headers["content-type"] == PROBLEM
        assert "interview" in answer.json()["detail"]
        return
    assert answer.status_code == 200
    case_file = tmp_path / "partial.json"
    case_file.write_text(json.dumps(partial))
    printed = cli_output("next", str(case_file), "--skip", "child_died", "--format", "json")
    assert answer.content == printed


@pytest.mark.skipif(
    getattr(decide, "next_question", None) is None, reason="the interview has not landed"
)
def test_a_bad_interview_request_lists_its_problems(client: TestClient) -> None:
    answer = client.post(
        "/v1/interview/next", json={"case": {**DEATH_2008, "facts": {"x": 1}}, "skipped": 3}
    )
    assert answer.status_code == 422
    fields = {item["field"] for item in answer.json()["errors"]}
    assert fields == {"case.facts.x", "skipped"}


@pytest.mark.parametrize(
    ("loc", "pointer"),
    [
        ("", ""),
        ("facts.child_died", "/facts/child_died"),
        ("a[2]", "/a/2"),
        ("tokens[0].scopes[1]", "/tokens/0/scopes/1"),
        ("duties_done.a/b~c", "/duties_done/a~1b~0c"),
    ],
)
def test_a_library_location_becomes_a_json_pointer(loc: str, pointer: str) -> None:
    assert json_pointer(loc) == pointer
