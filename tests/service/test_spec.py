"""The OpenAPI spec: the committed copies equal the served ones, and both are valid.

After a change to a route or a model, ``python -m scr_rules.service`` rewrites the copies.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from scr_rules.service import SPEC_30_FILE, SPEC_FILE
from scr_rules.service._examples import EXAMPLES_FILE, examples_from_cases
from tests._shared import CASES_DIR, ROOT
from tests.service._support import TestClient

REWRITE = "run 'python -m scr_rules.service' to rewrite the committed spec"


@pytest.mark.parametrize(
    ("served", "committed"), [("/openapi.json", SPEC_FILE), ("/openapi-3.0.3.json", SPEC_30_FILE)]
)
def test_the_committed_spec_is_the_served_one(
    client: TestClient, served: str, committed: str
) -> None:
    answer = client.get(served)
    assert answer.status_code == 200
    assert answer.text == (ROOT / "openapi" / committed).read_text(encoding="utf-8"), REWRITE


def test_the_examples_are_the_golden_cases() -> None:
    shipped = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    assert shipped == examples_from_cases(CASES_DIR), REWRITE
    assert len(shipped) >= 3


def test_each_example_is_decided(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    examples = spec["paths"]["/v1/decisions"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    outcomes = set()
    for example in examples.values():
        answer = client.post("/v1/decisions", json=example["value"])
        assert answer.status_code == 200
        outcomes.add(answer.json()["outcome"])
    assert outcomes >= {"mandatory", "undetermined", "discretionary"}


@pytest.mark.parametrize(("committed", "meta"), [(SPEC_FILE, "OPENAPI_31"),
                                                 (SPEC_30_FILE, "OPENAPI_30")])  # fmt: skip
def test_each_copy_is_valid_for_its_openapi_version(committed: str, meta: str) -> None:
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions")
    schema = getattr(definitions, meta)
    spec = json.loads((ROOT / "openapi" / committed).read_text(encoding="utf-8"))
    validator = (
        jsonschema.Draft4Validator if meta == "OPENAPI_30" else jsonschema.Draft202012Validator
    )
    errors = [f"{list(e.path)}: {e.message[:120]}" for e in validator(schema).iter_errors(spec)]
    assert errors == []


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_operation_declares_its_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    found = operations(spec)
    assert len(found) == 14
    for method, path, operation in found:
        declared = set(operation["responses"])
        assert {"401", "403", "500"} <= declared, (method, path)
        if "requestBody" in operation:
            assert {"413", "415", "422"} <= declared, (method, path)
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                problem = response["content"]["application/problem+json"]["schema"]
                assert problem == {"$ref": "#/components/schemas/Problem"}


@pytest.mark.parametrize("committed", [SPEC_FILE, SPEC_30_FILE])
def test_every_reference_resolves(committed: str) -> None:
    text = (ROOT / "openapi" / committed).read_text(encoding="utf-8")
    schemas = json.loads(text)["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
    assert refs
    assert refs - set(schemas) == set()


def test_the_3_0_copy_has_no_3_1_keywords() -> None:
    text = (ROOT / "openapi" / SPEC_30_FILE).read_text(encoding="utf-8")
    spec = json.loads(text)
    assert spec["openapi"] == "3.0.3"
    for keyword in ('"const"', '"type": "null"', '"prefixItems"', '"patternProperties"'):
        assert keyword not in text
    assert '"type": [' not in text
    case_date = spec["components"]["schemas"]["Case"]["properties"]["decision_date"]
    assert case_date == {
        "format": "date",
        "type": "string",
        "default": None,
        "title": "Decision Date",
        "nullable": True,
    }
