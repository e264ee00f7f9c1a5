"""POST /v1/batch: NDJSON in, the lines ``scr batch`` writes, in input order, with limits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scr_rules.service import MAX_BATCH_BYTES, MAX_BATCH_LINES
from tests._shared import CASE_FILES, DEATH_2008, SCR
from tests.service._support import NDJSON, TestClient, case_document


def jsonl(documents: list[object]) -> bytes:
    return b"".join(json.dumps(document).encode() + b"\n" for document in documents)


def test_every_line_is_what_scr_batch_writes(client: TestClient, tmp_path: Path) -> None:
    """Golden cases, a bad record, a line that is not JSON and a blank line, in order."""
    documents = [case_document(path) for path in CASE_FILES[:20]]
    body = jsonl(documents[:10]) + b'{"schema": "scr-case/1", "case_ref": "EX-BAD", "facts": 3}\n'
    body += b"not json\n\n" + jsonl(documents[10:])
    source = tmp_path / "cases.jsonl"
    source.write_bytes(body)
    out = tmp_path / "decisions.jsonl"
    subprocess.run(
        [*SCR, "batch", str(source), "--out", str(out), "--jobs", "1"],
        capture_output=True,
        timeout=120,
        check=False,  # exit 1: some records are error lines
    )
    answer = client.post("/v1/batch", content=body, headers=NDJSON)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-ndjson"
    assert answer.content == out.read_bytes()
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert len(lines) == 22
    assert lines[10]["line"] == 11
    assert lines[10]["case_ref"] == "EX-BAD"
    assert "facts" in lines[10]["error"]
    assert lines[11]["line"] == 12
    assert [line.get("case_ref") for line in lines[12:]] == [d["case_ref"] for d in documents[10:]]


def test_options_apply_to_every_case(client: TestClient) -> None:
    body = jsonl([{**DEATH_2008, "decision_date": None}] * 3)
    answer = client.post(
        "/v1/batch",
        content=body,
        headers=NDJSON,
        params={"regime": "england-2010", "decision_date": "2011-02-01"},
    )
    assert answer.status_code == 200
    assert {json.loads(line)["regime"] for line in answer.text.splitlines()} == {"england-2010"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"regime": "england-1999"}, "regime"),
        ({"decision_date": "yesterday"}, "decision_date"),
        ({"set": "no_such_switch=true"}, "settings.no_such_switch"),
        ({"set": "missing-equals"}, "set"),
    ],
)
def test_bad_options_are_a_422_before_any_work(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    answer = client.post("/v1/batch", content=jsonl([DEATH_2008]), headers=NDJSON, params=params)
    assert answer.status_code == 422
    assert [item["field"] for item in answer.json()["errors"]] == [field]


def test_more_lines_than_the_limit_is_a_413(client: TestClient) -> None:
    line = b'{"case_ref": "A"}\n'
    answer = client.post("/v1/batch", content=line * (MAX_BATCH_LINES + 1), headers=NDJSON)
    assert answer.status_code == 413
    assert f"at most {MAX_BATCH_LINES:,}" in answer.json()["detail"]
    blank = b"\n" * (MAX_BATCH_LINES + 5) + line  # blank lines carry no case
    assert client.post("/v1/batch", content=blank, headers=NDJSON).status_code == 200


def test_more_bytes_than_the_limit_is_a_413(client: TestClient) -> None:
    answer = client.post("/v1/batch", content=b" " * (MAX_BATCH_BYTES + 1), headers=NDJSON)
    assert answer.status_code == 413
    assert "10,485,760 bytes" in answer.json()["detail"]


def test_batch_reads_only_ndjson(client: TestClient) -> None:
    answer = client.post("/v1/batch", json=DEATH_2008)
    assert answer.status_code == 415
    assert "application/x-ndjson" in answer.json()["detail"]
