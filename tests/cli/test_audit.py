"""The audit commands as a user runs them: exit code first, then what they print."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from scr_rules.audit._record import canonical_json, sha256
from scr_rules.testing import random_cases
from tests._shared import Run

KEY = "synthetic-key-for-tests-0123456789"


@pytest.fixture
def case_files(tmp_path: Path) -> list[Path]:
    """Six generated case files."""
    paths = []
    for case in random_cases(6, 13):
        path = tmp_path / f"{case.case_ref}.yaml"
        path.write_text(yaml.safe_dump(case.dump()))
        paths.append(path)
    return paths


@pytest.fixture
def log(run: Run, case_files: list[Path], tmp_path: Path) -> Path:
    """A log of the six cases, the second with the board's decision beside it."""
    path = tmp_path / "decisions.scrlog"
    for index, case in enumerate(case_files):
        human = ["--human-decision", "declined", "--human-reason", "below threshold"]
        extra = human if index == 1 else []
        result = run("triage", str(case), "--record", str(path), "--by", "officer-1", *extra)
        assert result.exit_code == 0, result.output
    return path


def test_triage_record_appends_and_says_so_on_stderr_only(
    run: Run, case_files: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / "log"

    result = run("triage", str(case_files[0]), "--record", str(path), "-f", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["case_ref"] == "SYN-0000000"
    assert re.fullmatch(
        f"recorded: record 1 in {re.escape(str(path))} \\(head sha256:[0-9a-f]{{64}}\\)\n",
        result.stderr,
    )


@pytest.mark.parametrize(
    "options",
    [["--by", "officer-1"], ["--human-decision", "declined"], ["--pseudonymise"]],
)
def test_recording_options_without_record_are_a_usage_error(
    run: Run, case_files: list[Path], options: list[str]
) -> None:
    result = run("triage", str(case_files[0]), *options)

    assert result.exit_code == 2
    assert "needs --record LOG" in result.stderr


def test_pseudonymise_needs_a_key_and_then_hides_the_case_ref(
    run: Run, case_files: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / "log"
    args = ["triage", str(case_files[0]), "--record", str(path), "--pseudonymise"]

    refused = run(*args, env={"SCR_PSEUDONYM_KEY": ""})
    recorded = run(*args, env={"SCR_PSEUDONYM_KEY": KEY})
    shown = run("audit", "show", str(path))

    assert refused.exit_code == 2
    assert "SCR_PSEUDONYM_KEY is not set" in refused.stderr
    assert not path.exists() or "record 1" not in refused.stderr
    assert recorded.exit_code == 0, recorded.output
    assert shown.exit_code == 0
    assert "hmac-sha256:" in shown.stdout
    assert "SYN-0000000" not in shown.stdout


def test_verify_passes_an_intact_log(run: Run, log: Path) -> None:
    result = run("audit", "verify", str(log))

    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"ok: {log}: 6 records, 1 rulebook; intact as far as this file shows; "
        "compare the head with your last anchor\n"
    )
    assert "head sha256:" in result.stdout


def test_verify_names_the_first_bad_record_and_exits_1(run: Run, log: Path) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db, db:
        db.execute("UPDATE records SET human_decision = 'initiated' WHERE id = 2")

    result = run("audit", "verify", str(log), "--format", "json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["first_bad"]) == (False, 2)
    assert "the record was edited" in report["problems"][0]["message"]


def test_verify_of_a_missing_log_is_bad_input(run: Run, tmp_path: Path) -> None:
    result = run("audit", "verify", str(tmp_path / "none.scrlog"))

    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'none.scrlog'}: no such audit log\n"
    assert not (tmp_path / "none.scrlog").exists()


def test_show_lists_every_record_and_shows_one_in_full(run: Run, log: Path) -> None:
    listing = run("audit", "show", str(log))
    one = run("audit", "show", str(log), "2")
    as_json = run("audit", "show", str(log), "2", "--format", "json")

    assert listing.exit_code == 0
    assert len(listing.stdout.splitlines()) == 7  # a header and six records
    assert one.exit_code == 0
    assert "human decision  declined (below threshold)" in one.stdout
    assert "case SYN-0000001" in one.stdout
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["id"] == 2


def test_show_of_a_record_that_does_not_exist_is_bad_input(run: Run, log: Path) -> None:
    result = run("audit", "show", str(log), "99")

    assert result.exit_code == 2
    assert "no record 99" in result.stderr


def test_an_export_can_be_checked_without_the_tool(run: Run, log: Path, tmp_path: Path) -> None:
    """Each line's hash is sha256 of its canonical JSON without 'hash'; prev_hash links them."""
    out = tmp_path / "export.jsonl"

    result = run("audit", "export", str(log), "--format", "jsonl", "-o", str(out))

    assert result.exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 6
    for before, line in zip([None, *lines], lines, strict=False):
        content = {k: v for k, v in line.items() if k != "hash"}
        assert line["hash"] == sha256(canonical_json(content))
        assert before is None or line["prev_hash"] == before["hash"]


def test_import_of_a_csv_with_a_bad_row_imports_the_rest_and_exits_1(
    run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "referrals.csv"
    source.write_text(
        "case_ref,decision_date,human_decision,child_age_at_incident,child_died\n"
        "SYN-1,2008-03-01,declined,4,false\n"
        "SYN-2,2008-03-02,initiated,4,yes\n"
        "SYN-3,2008-03-03,,4,true\n"
    )
    log = tmp_path / "log"

    result = run("audit", "import", str(source), "--log", str(log))

    assert result.exit_code == 1
    assert f"imported 2 of 3 rows from {source} into {log} (records 1..2)" in result.stdout
    assert result.stderr == (
        f"error: {source}: row 3: facts.child_died: 'yes' is not valid; "
        "expected true, false or unknown\n"
    )
    verified = run("audit", "verify", str(log))
    assert verified.exit_code == 0
    assert "2 records" in verified.stdout


def test_import_of_an_unreadable_file_exits_2_and_records_nothing(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "referrals.csv"
    source.write_text("case_ref,childdied\nSYN-1,true\n")

    result = run("audit", "import", str(source), "--log", str(tmp_path / "log"))

    assert result.exit_code == 2
    assert "unknown column 'childdied' (did you mean 'child_died'?)" in result.stderr
    assert not (tmp_path / "log").exists()


def test_replay_under_recorded_rules_agrees_and_exits_0(run: Run, log: Path) -> None:
    result = run("replay", str(log))

    assert result.exit_code == 0
    assert "summary: 6 records replayed under recorded rules: 6 identical, 0 divergent" in (
        result.stdout
    )
    assert "engine (replayed, rows) by the board's decision (columns), 1 record:" in result.stdout


def test_replay_under_changed_rules_lists_the_divergence_and_exits_1(
    run: Run, tmp_path: Path, rules_copy: Path
) -> None:
    """Without the WT 2006 child-death rule file, a death where abuse was a known factor is
    no longer mandatory: the replay names the rule and the facts that had met it."""
    case = tmp_path / "case.yaml"
    case.write_text(
        yaml.safe_dump(
            {
                "schema": "scr-case/1",
                "case_ref": "SYN-0000042",
                "decision_date": "2008-06-01",
                "facts": {
                    "child_age_at_incident": 3,
                    "child_died": True,
                    "abuse_or_neglect": "known",
                    "abuse_or_neglect_factor_in_death": "known",
                },
            }
        )
    )
    rules = rules_copy
    (rules / "england" / "wt-2006" / "ch8-child-death.yaml").unlink()
    log = tmp_path / "log"
    assert run("triage", str(case), "--record", str(log)).exit_code == 0

    text = run("replay", str(log), "--rules", str(rules))
    as_json = run("replay", str(log), "--rules", str(rules), "-f", "json")

    assert text.exit_code == 1
    assert "record 1  SYN-0000042  DIVERGENT  recorded mandatory" in text.stdout
    assert "england.wt-2006.ch8-child-death: met (mandatory) -> absent" in text.stdout
    assert (
        "recorded: facts abuse_or_neglect_factor_in_death = known, child_age_at_incident = 3"
        in (text.stdout)
    )
    assert f"under the rules in {rules}" in text.stdout
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["summary"]["divergent"] == 1
    assert report["records"][0]["changes"][0]["rule_id"] == "england.wt-2006.ch8-child-death"


def test_replay_with_an_unknown_rules_choice_is_bad_input(run: Run, log: Path) -> None:
    result = run("replay", str(log), "--rules", "yesterday")

    assert result.exit_code == 2
    assert "expected recorded, current or a rules directory" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "verify"],
        ["audit", "show"],
        ["audit", "export"],
        ["audit", "import"],
        ["audit", "report"],
        ["replay"],
    ],
)
def test_every_audit_command_teaches_by_example(run: Run, command: list[str]) -> None:
    result = run(*command, "--help")

    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert "scr " + " ".join(command) in result.stdout
