"""With --format json or yaml, a failure is one scr-error/1 document on stdout, exit 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scr_rules.decide import published_schema
from tests._shared import CASES_DIR, DEATH_2008, ROOT, SCR, Run

VALIDATOR = jsonschema.Draft202012Validator(published_schema("error"))
GOOD = CASES_DIR / "death-neglect-factor-2008.yaml"


def error_of(out: str, fmt: str = "json") -> dict[str, Any]:
    document = json.loads(out) if fmt == "json" else yaml.safe_load(out)
    VALIDATOR.validate(document)
    assert document["schema"] == "scr-error/1"
    body: dict[str, Any] = document["error"]
    return body


def bad_case(tmp_path: Path) -> Path:
    facts = {**DEATH_2008["facts"], "child_died": "yes", "child_age": 3}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**DEATH_2008, "facts": facts}))
    return path


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_bad_case_is_an_error_document_with_every_problem(
    run: Run, tmp_path: Path, fmt: str
) -> None:
    path = bad_case(tmp_path)
    result = run("triage", str(path), "--format", fmt)
    assert result.exit_code == 2
    error = error_of(result.stdout, fmt)
    assert error["type"] == "case_file"
    assert error["source"] == str(path)
    by_place = {p["loc"]: p for p in error["problems"]}
    assert set(by_place) == {"facts.child_died", "facts.child_age"}
    assert by_place["facts.child_died"]["expected"] == "true, false or unknown"
    assert by_place["facts.child_died"]["found"] == "'yes'"
    # stderr keeps the human lines, one per problem
    assert result.stderr.count("error: ") == 2


def test_text_output_keeps_stdout_empty_on_failure(run: Run, tmp_path: Path) -> None:
    result = run("triage", str(bad_case(tmp_path)))
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "error_type", "loc"),
    [
        (["triage", str(GOOD), "--decision-date", "2008-13-01"], "usage", "--decision-date"),
        (["triage", str(GOOD), "--regime", "england-2099"], "regime", ""),
        (["triage", str(GOOD), "--set", "no_such_setting=true"], "setting", ""),
        (["triage", str(GOOD), "--rules", "no-such-rules-dir"], "rule_file", ""),
        (["compare", "no-such-case.yaml"], "case_file", ""),
    ],
)
def test_each_kind_of_failure_has_its_type(
    run: Run, args: list[str], error_type: str, loc: str
) -> None:
    result = run(*args, "--format", "json")
    assert result.exit_code == 2, result.output
    error = error_of(result.stdout)
    assert error["type"] == error_type
    assert error["problems"][0]["loc"] == loc


def test_a_usage_error_the_parser_finds_is_a_document_too() -> None:
    """Missing arguments and bad option values never reach a command: main() reports them."""
    for args in (["triage", "--format", "json"], ["triage", str(GOOD), "-f", "json", "-e", "x"]):
        done = subprocess.run([*SCR, *args], capture_output=True, text=True, cwd=ROOT, check=False)
        assert done.returncode == 2
        error = error_of(done.stdout)
        assert error["type"] == "usage"
        assert "Usage:" in done.stderr


def test_a_command_without_document_output_does_not_leak_one_into_the_next(
    run: Run, tmp_path: Path
) -> None:
    assert run("triage", str(bad_case(tmp_path)), "-f", "json").stdout
    assert run("rules", "show", "no-such-rule").stdout == ""


def test_scr_schema_error_is_the_schema_the_documents_meet(run: Run) -> None:
    result = run("schema", "error")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == published_schema("error")


@pytest.mark.parametrize("name", ["case", "decision", "error"])
def test_every_published_schema_is_identified_and_valid(run: Run, name: str) -> None:
    schema = json.loads(run("schema", name).stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:scr-rules:schema:scr-{name}-1"
    jsonschema.Draft202012Validator.check_schema(schema)
    for field, spec in schema["properties"].items():
        assert spec.get("description"), f"{name}.{field} has no description"


def test_the_case_schema_leaves_out_the_golden_test_block_and_defines_the_dates(run: Run) -> None:
    schema = json.loads(run("schema", "case").stdout)
    assert "expect" not in schema["properties"]
    assert "Expectation" not in schema.get("$defs", {})
    dates = {
        name: schema["properties"][name]["description"]
        for name in ("incident_date", "notification_date", "decision_date")
    }
    assert "death or of the serious harm" in dates["incident_date"]
    assert "working days" in dates["notification_date"]
    assert "chooses the regime" in dates["decision_date"]


def test_every_example_case_meets_the_public_schema() -> None:
    validator = jsonschema.Draft202012Validator(
        published_schema("case"), format_checker=jsonschema.FormatChecker()
    )
    for path in sorted(CASES_DIR.glob("*.yaml")):
        document = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        document.pop("expect", None)  # the golden-test block is not part of the contract
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, (path.name, errors)


def test_version_names_the_engine_and_the_rulebook(run: Run) -> None:
    import scr_rules
    from scr_rules.law import load_rulebook

    result = run("--version")
    assert result.exit_code == 0
    line = result.stdout.strip()
    assert line == (
        f"scr-rules {scr_rules.__version__}; durable-rules 2.0.28; "
        f"rulebook {load_rulebook().digest}"
    )
    done = subprocess.run([*SCR, "--version"], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == line
