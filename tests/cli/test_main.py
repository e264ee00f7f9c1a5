"""The ``scr`` command line: triage, schema, rules list/show/check/settings, help, exit codes.

Each test asserts the exit code first, then what was printed. Case refs are synthetic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import Result

from scr_rules import cli
from scr_rules.cli import app
from scr_rules.cli import triage as triage_command
from scr_rules.law import bundled_rules_dir
from tests._shared import BOOK, CASE_FILES, DEATH_2008, SCR, Run

# Serious harm, abuse known, concern about working together, no death: ENG10-H1 applies,
# whose outcome follows the switch eng2010_harm_limb (discretionary by default).
HARM_2011: dict[str, Any] = {
    "schema": "scr-case/1",
    "case_ref": "EX-0002",
    "decision_date": "2011-06-01",
    "facts": {
        "child_age_at_incident": 9,
        "child_died": False,
        "abuse_or_neglect": "known",
        "child_seriously_harmed": True,
        "interagency_concern": "present",
    },
}
UNDETERMINED_2009: dict[str, Any] = {
    "schema": "scr-case/1",
    "case_ref": "EX-0003",
    "decision_date": "2009-02-10",
    "facts": {"child_age_at_incident": 4, "child_died": True},
}
NOTHING_APPLIES_2012: dict[str, Any] = {
    "schema": "scr-case/1",
    "case_ref": "EX-0004",
    "decision_date": "2012-09-03",
    "facts": {
        "child_age_at_incident": 15,
        "child_died": False,
        "abuse_or_neglect": "not_suspected",
        "child_seriously_harmed": False,
        "potentially_life_threatening_injury": False,
        "serious_permanent_impairment": False,
        "killed_by_relative_with_risk_factor": False,
        "parent_murdered": False,
    },
}

WriteCase = Callable[..., str]


@pytest.fixture
def write_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WriteCase:
    """Write a case document (YAML, or JSON by suffix) into a fresh working directory."""
    monkeypatch.chdir(tmp_path)

    def _write(document: dict[str, Any], name: str = "case.yaml") -> str:
        if name.endswith(".json"):
            text = json.dumps(document, indent=2)
        else:
            text = yaml.safe_dump(document, sort_keys=False)
        (tmp_path / name).write_text(text, encoding="utf-8")
        return name

    return _write


def decided(result: Result) -> dict[str, Any]:
    """Assert a decision was printed as JSON and return it."""
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def assert_fits(text: str) -> None:
    """No trailing blanks, no traceback, no colour codes.

    Output that is not a terminal is never wrapped (one logical line per line), so there is
    no width to fit here; tests/render checks the width on a terminal.
    """
    assert text.strip(), "nothing printed"
    assert "Traceback" not in text
    assert "\x1b" not in text
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing blank: {line!r}"


# --- scr triage ---------------------------------------------------------------------------


def test_triage_text(write_case: WriteCase, run: Run) -> None:
    result = run("triage", write_case(DEATH_2008))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert "MANDATORY" in out
    assert "case EX-0001" in out
    assert "regime england-2006" in out
    assert "decision_date 2008-05-20 falls in england-2006" in " ".join(out.split())
    assert "england.wt-2006.ch8-child-death" in out
    assert "Working Together" in out
    assert_fits(out)


@pytest.mark.parametrize(
    ("document", "headline"),
    [
        (DEATH_2008, "MANDATORY"),
        (HARM_2011, "DISCRETIONARY"),
        (UNDETERMINED_2009, "UNDETERMINED"),
        (NOTHING_APPLIES_2012, "NOT REQUIRED"),
    ],
)
def test_triage_exits_0_whatever_the_outcome(
    write_case: WriteCase, run: Run, document: dict[str, Any], headline: str
) -> None:
    result = run("triage", write_case(document))
    assert result.exit_code == 0, result.output
    assert headline in result.stdout
    assert_fits(result.stdout)


def test_triage_json_has_the_contract_keys(write_case: WriteCase, run: Run) -> None:
    """case-file.md: the decision's field names are the public contract."""
    decision = decided(run("triage", write_case(DEATH_2008), "--format", "json"))
    for key in (
        "case_ref",
        "outcome",
        "possible_outcomes",
        "regime",
        "regime_reason",
        "decision_date",
        "reasons",
        "not_met",
        "missing_facts",
        "rulebook",
        "engine_version",
    ):
        assert key in decision, key
    assert decision["case_ref"] == "EX-0001"
    assert decision["outcome"] == "mandatory"
    assert decision["possible_outcomes"] == ["mandatory"]
    assert decision["regime"] == "england-2006"
    assert decision["decision_date"] == "2008-05-20"
    assert "decision_date 2008-05-20" in decision["regime_reason"]
    assert decision["missing_facts"] == []
    assert decision["rulebook"].startswith("sha256:")
    assert decision["rulebook"] == BOOK.digest
    assert "durable-rules" in decision["engine_version"]
    met = [reason for reason in decision["reasons"] if reason["status"] == "met"]
    assert [reason["rule_id"] for reason in met] == ["england.wt-2006.ch8-child-death"]
    reason = met[0]
    for key in ("rule_id", "outcome", "status", "citation", "evidence", "facts"):
        assert key in reason, key
    assert reason["outcome"] == "mandatory"
    assert reason["evidence"] in ("primary", "secondary", "unverified")
    assert "Working Together" in reason["citation"]
    assert reason["facts"]["child_died"] is True
    assert reason["facts"]["abuse_or_neglect_factor_in_death"] == "known"


def test_triage_json_explains_why_not(write_case: WriteCase, run: Run) -> None:
    decision = decided(run("triage", write_case(HARM_2011), "--format", "json"))
    assert decision["outcome"] == "discretionary"
    not_met = {item["rule_id"]: item for item in decision["not_met"]}
    death = not_met["england.lscb-regs-2010.reg-5-2-b-i-child-death"]
    assert death["status"] == "not_met"
    assert {"fact": "child_died", "value": False, "expected": "true"} in [
        {key: failed[key] for key in ("fact", "value", "expected")} for failed in death["failed"]
    ]
    for item in decision["not_met"]:
        assert item["failed"], item["rule_id"]
        for failed in item["failed"]:
            assert set(failed) >= {"fact", "value", "expected"}


def test_triage_json_undetermined_lists_missing_facts(write_case: WriteCase, run: Run) -> None:
    decision = decided(run("triage", write_case(UNDETERMINED_2009), "--format", "json"))
    assert decision["outcome"] == "undetermined"
    assert "mandatory" in decision["possible_outcomes"]
    assert "abuse_or_neglect_factor_in_death" in decision["missing_facts"]
    assert "child_died" not in decision["missing_facts"]  # known, so never missing
    waiting = [reason for reason in decision["reasons"] if reason["status"] == "unknown"]
    assert waiting


def test_triage_json_not_required(write_case: WriteCase, run: Run) -> None:
    decision = decided(run("triage", write_case(NOTHING_APPLIES_2012), "--format", "json"))
    assert decision["outcome"] == "not_required"
    assert decision["possible_outcomes"] == ["not_required"]
    assert decision["missing_facts"] == []


def test_triage_yaml_matches_json(write_case: WriteCase, run: Run) -> None:
    name = write_case(HARM_2011)
    as_json = decided(run("triage", name, "--format", "json"))
    result = run("triage", name, "--format", "yaml")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout) == as_json


def test_triage_reads_json_case_files(write_case: WriteCase, run: Run) -> None:
    decision = decided(run("triage", write_case(DEATH_2008, "case.json"), "-f", "json"))
    assert decision["outcome"] == "mandatory"


def test_triage_reads_stdin(write_case: WriteCase, run: Run) -> None:
    text = yaml.safe_dump(DEATH_2008)
    decision = decided(run("triage", "-", "--format", "json", stdin=text))
    assert decision["case_ref"] == "EX-0001"
    assert decision["outcome"] == "mandatory"


def test_regime_override(write_case: WriteCase, run: Run) -> None:
    name = write_case(DEATH_2008)
    decision = decided(run("triage", name, "--regime", "england-2010", "-f", "json"))
    assert decision["regime"] == "england-2010"
    assert "--regime" in decision["regime_reason"]
    assert "2008-05-20" in decision["regime_reason"]  # the date outside it is mentioned
    assert all(reason["rule_id"].startswith("england.") for reason in decision["reasons"])
    assert not any("2006" in reason["rule_id"] for reason in decision["reasons"])


def test_decision_date_override_picks_the_regime(write_case: WriteCase, run: Run) -> None:
    name = write_case(DEATH_2008)
    decision = decided(run("triage", name, "--decision-date", "2011-01-10", "-f", "json"))
    assert decision["regime"] == "england-2010"
    assert decision["decision_date"] == "2011-01-10"
    assert "--decision-date" in decision["regime_reason"]


def test_set_harm_limb_mandatory_changes_the_outcome(write_case: WriteCase, run: Run) -> None:
    name = write_case(HARM_2011)
    default = decided(run("triage", name, "-f", "json"))
    switched = decided(run("triage", name, "--set", "eng2010_harm_limb=mandatory", "-f", "json"))
    assert default["outcome"] == "discretionary"
    assert switched["outcome"] == "mandatory"
    harm = "england.lscb-regs-2010.reg-5-2-b-ii-serious-harm"
    assert harm in [r["rule_id"] for r in switched["reasons"] if r["status"] == "met"]
    assert switched["settings"]["eng2010_harm_limb"] == "mandatory"
    text = run("triage", name, "--set", "eng2010_harm_limb=mandatory")
    assert text.exit_code == 0
    assert "MANDATORY" in text.stdout


def _without_evaluator(decision: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in decision.items() if key != "evaluator"}


@pytest.mark.parametrize(
    "document", [DEATH_2008, HARM_2011, UNDETERMINED_2009, NOTHING_APPLIES_2012]
)
def test_reference_evaluator_gives_the_same_decision(
    write_case: WriteCase, run: Run, document: dict[str, Any]
) -> None:
    name = write_case(document)
    durable = decided(run("triage", name, "-f", "json"))
    reference = decided(run("triage", name, "--evaluator", "reference", "-f", "json"))
    assert durable["evaluator"] == "durable-rules"
    assert reference["evaluator"] == "reference"
    assert _without_evaluator(reference) == _without_evaluator(durable)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_example_cases_through_the_cli(run: Run, path: Path) -> None:
    """Every example case decides, prints clean text, and both evaluators agree."""
    expect = yaml.safe_load(path.read_text())["expect"]
    options = [f"--set={k}={str(v).lower()}" for k, v in expect.get("settings", {}).items()]
    text = run("triage", str(path), *options)
    assert text.exit_code == 0, text.output
    assert_fits(text.stdout)
    durable = decided(run("triage", str(path), *options, "-f", "json"))
    reference = decided(run("triage", str(path), *options, "-f", "json", "--evaluator=reference"))
    assert durable["outcome"] == expect["outcome"]
    assert _without_evaluator(reference) == _without_evaluator(durable)


def test_triage_is_deterministic(write_case: WriteCase, run: Run) -> None:
    name = write_case(UNDETERMINED_2009)
    first = run("triage", name, "-f", "json")
    second = run("triage", name, "-f", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


# --- scr schema ---------------------------------------------------------------------------


def test_schema_prints_the_case_json_schema(run: Run) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert {"schema", "case_ref", "facts"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"schema", "case_ref"}
    facts = schema["$defs"]["Facts"]["properties"]
    assert "child_died" in facts
    assert "is_child" not in facts  # derived, never given
    assert facts["child_died"]["default"] == "unknown"


def test_schema_case_is_the_default(run: Run) -> None:
    assert run("schema", "case").stdout == run("schema").stdout


def test_schema_decision(run: Run) -> None:
    result = run("schema", "decision")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert {"case_ref", "outcome", "reasons", "not_met", "missing_facts"} <= set(
        schema["properties"]
    )


def test_schema_unknown(run: Run) -> None:
    result = run("schema", "rulebook")
    assert result.exit_code == 2
    assert "unknown schema 'rulebook'; expected one of case, decision, error" in result.stderr


# --- scr rules list / show / settings -----------------------------------------------------


def test_rules_list(run: Run) -> None:
    result = run("rules", "list")
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    out = " ".join(result.stdout.split())
    for regime in BOOK.regimes:
        assert regime.id in out
    for rule in BOOK.rules:
        assert rule.id in out
    assert BOOK.digest[:20] in out


def test_rules_list_one_regime(run: Run) -> None:
    result = run("rules", "list", "--regime", "england-2010")
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    for rule in BOOK.rules:
        if rule.spec.regime == "england-2010":
            assert rule.id in result.stdout
        else:
            assert rule.id not in result.stdout
    assert "england-2006  " not in result.stdout


def test_rules_list_unknown_regime(run: Run) -> None:
    result = run("rules", "list", "--regime", "wales-2010")
    assert result.exit_code == 2
    assert "unknown regime 'wales-2010'" in result.stderr


@pytest.mark.parametrize("rule_id", [rule.id for rule in BOOK.rules])
def test_rules_show(run: Run, rule_id: str) -> None:
    result = run("rules", "show", rule_id)
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    rule = BOOK.rule(rule_id)
    out = result.stdout
    assert rule_id in out
    for label in ("title:", "regime:", "outcome:", "source:", "evidence:", "condition:", "reason:"):
        assert label in out, label
    assert rule.spec.citation.catalogue in out
    assert out.count("fires=") == len(rule.spec.examples)
    for fact in rule.facts():
        assert fact in out


def test_rules_show_unknown_id_suggests(run: Run) -> None:
    result = run("rules", "show", "england.wt-2006.ch8-child-deaths")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "unknown rule 'england.wt-2006.ch8-child-deaths'" in message
    assert "did you mean 'england.wt-2006.ch8-child-death'?" in message
    assert "Traceback" not in result.output


def test_rules_show_unknown_id_without_a_close_match(run: Run) -> None:
    result = run("rules", "show", "zzz")
    assert result.exit_code == 2
    assert "unknown rule 'zzz'" in result.stderr


def test_rules_settings(run: Run) -> None:
    result = run("rules", "settings")
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    for setting in BOOK.settings:
        default = str(setting.default).lower()
        assert f"{setting.name} = {default}" in result.stdout


# --- scr rules check ----------------------------------------------------------------------


def test_rules_check_bundled(run: Run) -> None:
    result = run("rules", "check")
    assert result.exit_code == 0, result.output
    assert_fits(result.stdout)
    out = " ".join(result.stdout.split())
    assert f"{len(BOOK.rules)} rules, {len(BOOK.regimes)} regimes" in out
    assert ": ok" in out
    assert "FAIL" not in out


def test_rules_check_an_explicit_directory(run: Run) -> None:
    result = run("rules", "check", str(bundled_rules_dir()))
    assert result.exit_code == 0, result.output


def _rule_file(rules: Path, rule_id: str) -> Path:
    return rules / BOOK.rule(rule_id).path


def test_rules_check_a_clean_copy_passes(run: Run, rules_copy: Path) -> None:
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 0, result.output


def test_rules_check_fails_on_an_unknown_fact(run: Run, rules_copy: Path) -> None:
    path = _rule_file(rules_copy, "england.wt-2006.ch8-child-death")
    text = path.read_text()
    assert "fact: child_died" in text
    path.write_text(text.replace("fact: child_died", "fact: child_dead", 1))
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "Traceback" not in message
    assert "wt-2006/ch8-child-death.yaml" in message
    assert "child_dead" in message
    assert "did you mean 'child_died'?" in message


def test_rules_check_fails_on_a_wrong_example(run: Run, rules_copy: Path) -> None:
    path = _rule_file(rules_copy, "england.wt-2010.ch8-sexual-abuse")
    document = yaml.safe_load(path.read_text())
    first = next(i for i, e in enumerate(document["examples"]) if e["fires"] is True)
    lines = path.read_text().splitlines(keepends=True)
    # flip the first "fires: true" in place, keeping the file's own layout
    index = next(i for i, line in enumerate(lines) if line.strip() == "fires: true")
    lines[index] = lines[index].replace("fires: true", "fires: false")
    path.write_text("".join(lines))
    assert yaml.safe_load(path.read_text())["examples"][first]["fires"] is False
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "Traceback" not in message
    assert "wt-2010/ch8-sexual-abuse.yaml" in message
    assert "expected fires=False" in message


def test_rules_check_fails_on_a_broken_yaml_file(run: Run, rules_copy: Path) -> None:
    path = _rule_file(rules_copy, "england.wt-2010.ch8-violent-assault")
    path.write_text(path.read_text() + "examples: [\n")
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 1, result.output
    assert "ch8-violent-assault.yaml" in result.output
    assert "Traceback" not in result.output


def test_rules_check_missing_directory(run: Run, tmp_path: Path) -> None:
    result = run("rules", "check", str(tmp_path / "nowhere"))
    assert result.exit_code == 1, result.output
    assert "not a directory of rule files" in " ".join(result.output.split())


def test_triage_with_a_broken_rules_directory_is_bad_input(
    write_case: WriteCase, run: Run, rules_copy: Path
) -> None:
    path = _rule_file(rules_copy, "england.wt-2006.ch8-child-death")
    path.write_text(path.read_text().replace("fact: child_died", "fact: child_dead", 1))
    result = run("triage", write_case(DEATH_2008), "--rules", str(rules_copy))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")


# --- help and entry points ----------------------------------------------------------------


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Yield the path of every command and group, so a new command needs help too."""
    yield prefix
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _command_paths(sub, (*prefix, name))


COMMAND_PATHS = list(_command_paths(typer.main.get_command(app)))


def test_the_documented_commands_exist() -> None:
    for path in [("triage",), ("schema",), ("rules", "list"), ("rules", "show")]:
        assert path in COMMAND_PATHS
    assert ("rules", "check") in COMMAND_PATHS
    assert ("rules", "settings") in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "scr")
def test_every_command_has_help(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "path", [("triage",), ("schema",), ("rules", "list"), ("rules", "show"), ("rules", "check")]
)
def test_help_teaches_by_example(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert "scr " in result.stdout


def test_no_arguments_shows_help(run: Run) -> None:
    result = run()
    assert "Usage" in result.output
    assert "triage" in result.output
    assert "Traceback" not in result.output


def _python_m(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SCR_DEBUG"}
    return subprocess.run(
        [*SCR, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
        check=False,
    )


def test_python_m_scr_rules_help() -> None:
    result = _python_m("--help")
    assert result.returncode == 0, result.stderr
    assert "triage" in result.stdout
    assert "Traceback" not in result.stderr


def test_python_m_scr_rules_triage(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(DEATH_2008))
    result = _python_m("triage", "case.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "mandatory"
    bad = _python_m("triage", "missing.yaml", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: missing.yaml: no such file")


# --- exit code 3: an internal error, without a traceback or case data -----------------------


def _broken_triage(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("EX-0001 must not be printed")


def test_internal_error_exits_3_without_traceback(
    write_case: WriteCase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = write_case(DEATH_2008)
    monkeypatch.setattr(triage_command, "decide", _broken_triage)
    monkeypatch.delenv("SCR_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["scr", "triage", name])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 3
    captured = capsys.readouterr()
    assert "internal error (RuntimeError)" in captured.err
    assert "SCR_DEBUG=1" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "EX-0001" not in captured.err + captured.out


def test_internal_error_with_debug_raises(
    write_case: WriteCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = write_case(DEATH_2008)
    monkeypatch.setattr(triage_command, "decide", _broken_triage)
    monkeypatch.setenv("SCR_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["scr", "triage", name])
    with pytest.raises(RuntimeError):
        cli.main()


def test_main_passes_exit_codes_through(
    write_case: WriteCase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["scr", "triage", write_case(DEATH_2008)])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code in (0, None)
    assert "MANDATORY" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["scr", "triage", "missing.yaml"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 2
