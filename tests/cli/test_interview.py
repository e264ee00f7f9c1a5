"""``scr next``, ``scr interview`` (scripted with piped answers), ``scr facts`` and ``scr new``.

Each test asserts the exit code first, then what was printed or written. Case refs are
synthetic. A piped answer is one line: a number picks an option, ``u`` is "not known",
``b`` goes back, ``c`` lists the answers, ``?`` shows the definition, ``s`` saves and quits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from scr_rules.audit import AuditLog
from scr_rules.case import BASE_FACTS, load_case
from scr_rules.decide import next_question, triage
from tests._shared import CASES_DIR, Run

FACTOR_UNKNOWN = str(CASES_DIR / "death-factor-unknown-2008.yaml")
NEW_2008 = ["--decision-date", "2008-05-20"]
# A new case (reference, then incident and notification dates left out), then: born alive
# (1), aged 3, the factor in the death known (1): mandatory under WT 2006 ch. 8.
MANDATORY_ANSWERS = "EX-0100\n\n\n1\n3\n1\n"


def _interview(run: Run, out: Path, answers: str, *args: str) -> Any:
    return run("interview", "--out", str(out), *args, stdin=answers)


def _written(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


# --- scr next -------------------------------------------------------------------------------


def test_next_names_the_question_that_decides_the_case(run: Run) -> None:
    result = run("next", FACTOR_UNKNOWN)
    assert result.exit_code == 0, result.output
    assert "outcome so far: UNDETERMINED" in result.stdout
    assert "fact: abuse_or_neglect_factor_in_death" in result.stdout
    assert "england.wt-2006.ch8-child-death could lead to mandatory" in result.stdout


def test_next_json_is_the_library_document(run: Run) -> None:
    result = run("next", FACTOR_UNKNOWN, "--format", "json", "--skip", "subject_status")
    assert result.exit_code == 0, result.output
    expected = next_question(load_case(FACTOR_UNKNOWN), skipped=["subject_status"])
    assert json.loads(result.stdout) == expected.as_document()


def test_next_says_done_when_the_outcome_is_decided(run: Run) -> None:
    path = str(CASES_DIR / "death-neglect-factor-2008.yaml")
    result = run("next", path, "--skip", "subject_status", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["done"] is True
    assert document["done_reason"] == "decided"
    assert document["question"] is None
    assert document["decision"]["outcome"] == "mandatory"


def test_next_reads_stdin(run: Run) -> None:
    text = Path(FACTOR_UNKNOWN).read_text(encoding="utf-8")
    result = run("next", "-", stdin=text)
    assert result.exit_code == 0, result.output
    assert "abuse_or_neglect_factor_in_death" in result.stdout


def test_next_refuses_an_unknown_fact_to_skip(run: Run) -> None:
    result = run("next", FACTOR_UNKNOWN, "--skip", "child_dead", "--format", "json")
    assert result.exit_code == 2
    assert "did you mean 'child_died'" in result.stderr
    assert "Traceback" not in result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "scr-error/1"
    assert document["error"]["type"] == "usage"


def test_next_refuses_a_bad_case_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("schema: scr-case/1\ncase_ref: EX-1\nfacts: {child_dead: true}\n")
    result = run("next", str(path))
    assert result.exit_code == 2
    assert "facts.child_dead" in result.stderr


# --- scr interview ------------------------------------------------------------------------


def test_an_interview_from_nothing_reaches_the_decision_and_writes_the_case(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "case.yaml"
    result = _interview(run, out, MANDATORY_ANSWERS, *NEW_2008)
    assert result.exit_code == 0, result.output
    assert "outcome so far: UNDETERMINED" in result.stdout
    assert "decision: MANDATORY" in result.stdout
    assert "england.wt-2006.ch8-child-death" in result.stdout
    assert "next steps:" in result.stdout
    case = load_case(out)
    assert case.case_ref == "EX-0100"
    assert case.facts.abuse_or_neglect_factor_in_death == "known"
    assert triage(case).outcome == "mandatory"


def test_not_known_is_written_as_unknown_and_ends_undetermined(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    answers = "EX-0101\n\n\n" + "u\n" * len(BASE_FACTS)
    result = _interview(run, out, answers, *NEW_2008)
    assert result.exit_code == 0, result.output
    assert "decision: UNDETERMINED" in result.stdout
    assert "still needed:" in result.stdout
    facts = _written(out)["facts"]
    assert facts["subject_status"] == "unknown"
    assert set(facts.values()) == {"unknown"}
    assert load_case(out).facts.child_died == "unknown"


def test_back_undoes_the_last_answer(run: Run, tmp_path: Path) -> None:
    """Answer "not known" (u), go back, answer born alive (1): the first answer is gone."""
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "EX-0102\n\n\nu\nb\n1\n3\n1\n", *NEW_2008)
    assert result.exit_code == 0, result.output
    assert "back: subject_status is open again" in result.stdout
    case = load_case(out)
    assert case.facts.subject_status == "born_alive"
    assert triage(case).outcome == "mandatory"


def test_check_answers_and_the_definition(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "EX-0103\n\n\n1\n?\nc\ns\n", *NEW_2008)
    assert result.exit_code == 0, result.output
    assert "child: Anyone who has not reached their 18th birthday" in " ".join(
        result.stdout.split()
    )
    assert "subject_status: Born alive" in result.stdout


def test_save_and_resume_asks_only_what_is_left(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    first = _interview(run, out, "EX-0104\n\n\n1\nu\ns\n", *NEW_2008)
    assert first.exit_code == 0, first.output
    assert "saved 2 answers" in first.stdout
    saved = _written(out)
    assert saved["facts"] == {"subject_status": "born_alive", "child_age_at_incident": "unknown"}
    resumed = _interview(run, out, "1\n", str(out))
    assert resumed.exit_code == 0, resumed.output
    assert "How old was the child" not in resumed.stdout  # answered "not known" before
    assert "Was the child born alive" not in resumed.stdout


def test_the_end_of_the_input_saves_and_quits(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "EX-0105\n\n\n1\n", *NEW_2008)
    assert result.exit_code == 0, result.output
    assert "resume with: scr interview" in result.stdout
    assert load_case(out).facts.subject_status == "born_alive"


def test_an_answer_that_is_not_possible_is_asked_again(run: Run, tmp_path: Path) -> None:
    """A deprivation-of-liberty order is only for 16- and 17-year-olds (regimes.md 12.1)."""
    start = tmp_path / "start.yaml"
    start.write_text(
        "schema: scr-case/1\ncase_ref: EX-0106\ndecision_date: 2016-05-05\n"
        "facts: {dols_order_16_17: true, child_died: true, abuse_or_neglect: not_suspected,"
        " subject_status: born_alive}\n"
    )
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "12\nsixteen\n16\ns\n", str(start))
    assert result.exit_code == 0, result.output
    assert "not possible" in result.stdout
    assert "'sixteen' is not an answer here" in result.stdout
    assert load_case(out).facts.child_age_at_incident == 16


def test_several_kinds_are_answered_with_commas(run: Run, tmp_path: Path) -> None:
    """Wales 2012: the kinds of abuse or neglect tell an extended review from the literal
    reading's gap (regimes.md 9.2); 1 and 4 are physical abuse and neglect."""
    start = tmp_path / "start.yaml"
    start.write_text(
        "schema: scr-case/1\ncase_ref: EX-0109\njurisdiction: wales\ndecision_date: 2014-01-10\n"
        "facts: {subject_status: born_alive, child_age_at_incident: 10, child_died: true,"
        " within_board_area: true, on_cp_register_within_6_months: true}\n"
    )
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "1, 4\n", str(start))
    assert result.exit_code == 0, result.output
    case = load_case(out)
    assert case.facts.abuse_or_neglect_types == ("physical", "neglect")
    decision = triage(case)
    assert decision.outcome == "mandatory"
    assert decision.review_type == "extended"


def test_a_case_from_a_file_keeps_its_facts(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "1\n1\n", FACTOR_UNKNOWN)
    assert result.exit_code == 0, result.output
    case = load_case(out)
    assert case.case_ref == load_case(FACTOR_UNKNOWN).case_ref
    assert case.facts.child_died is True
    assert case.facts.abuse_or_neglect_factor_in_death == "known"


def test_a_partial_case_without_a_date_asks_for_the_decision_date(run: Run, tmp_path: Path) -> None:
    start = tmp_path / "start.yaml"
    start.write_text("schema: scr-case/1\ncase_ref: EX-0108\nfacts: {child_age_at_incident: 3}\n")
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "20080520\n2008-05-20\ns\n", str(start))
    assert result.exit_code == 0, result.output
    assert "'20080520' is not valid here" in result.stdout
    case = load_case(out)
    assert case.decision_date is not None
    assert case.decision_date.isoformat() == "2008-05-20"
    assert case.facts.child_age_at_incident == 3


def test_record_keeps_the_transcript(run: Run, tmp_path: Path) -> None:
    out, log = tmp_path / "case.yaml", tmp_path / "decisions.scrlog"
    args = (*NEW_2008, "--record", str(log), "--by", "duty-officer-3")
    result = _interview(run, out, MANDATORY_ANSWERS, *args)
    assert result.exit_code == 0, result.output
    assert "recorded: record 1" in result.stderr
    with AuditLog(log) as audit:
        (record,) = list(audit.records())
        assert audit.verify().ok
    assert record.by == "duty-officer-3"
    assert record.interview == [
        {"fact": "subject_status", "answer": "born_alive"},
        {"fact": "child_age_at_incident", "answer": 3},
        {"fact": "abuse_or_neglect_factor_in_death", "answer": "known"},
    ]
    assert record.decision["outcome"] == "mandatory"
    assert "interview" not in record.case


def test_a_saved_interview_is_not_recorded(run: Run, tmp_path: Path) -> None:
    out, log = tmp_path / "case.yaml", tmp_path / "decisions.scrlog"
    result = _interview(run, out, "EX-0107\n\n\ns\n", *NEW_2008, "--record", str(log))
    assert result.exit_code == 0, result.output
    assert not log.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "officer"], "--by needs --record"),
        (["--decision-date", "2008-13-01"], "not a valid date"),
        ([FACTOR_UNKNOWN, "--jurisdiction", "wales"], "only chooses it for a new case"),
    ],
)
def test_bad_options_are_refused_and_nothing_is_written(
    run: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "case.yaml"
    result = _interview(run, out, "", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert not out.exists()


def test_a_case_file_that_cannot_be_written_is_bad_output(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "case.yaml"
    result = _interview(run, out, MANDATORY_ANSWERS, *NEW_2008)
    assert result.exit_code == 2
    assert "cannot be written" in result.stderr
    assert not out.parent.exists()


# --- scr facts and scr new ------------------------------------------------------------------


def test_facts_lists_every_fact_with_its_definition(run: Run) -> None:
    result = run("facts")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    for name in BASE_FACTS:
        assert f"{name}:" in text
    assert "seriously harmed: Includes, but is not limited to" in text
    assert "read by: england-2006" in text


def test_facts_json_for_one_regime(run: Run) -> None:
    result = run("facts", "--regime", "wales-2012", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {item["fact"]: item for item in json.loads(result.stdout)["facts"]}
    assert "on_cp_register_within_6_months" in items
    assert "lcspr_improvements_needed" not in items  # an English 2018 factor
    register = items["on_cp_register_within_6_months"]
    assert register["definition"]["evidence"] == "primary"
    assert [v["label"] for v in register["values"]][-1] == "Not known yet"


def test_facts_refuses_an_unknown_regime(run: Run) -> None:
    result = run("facts", "--regime", "england-1999")
    assert result.exit_code == 2
    assert "unknown regime 'england-1999'" in result.stderr


@pytest.mark.parametrize("jurisdiction", ["england", "wales"])
def test_new_prints_a_valid_commented_case_file(
    run: Run, tmp_path: Path, jurisdiction: str
) -> None:
    result = run("new", "--jurisdiction", jurisdiction)
    assert result.exit_code == 0, result.output
    path = tmp_path / "case.yaml"
    path.write_text(result.stdout)
    case = load_case(path)
    assert case.jurisdiction == jurisdiction
    assert "# Was the child born alive?" in result.stdout
    assert ("within_board_area: unknown" in result.stdout) == (jurisdiction == "wales")


# --- scr rules check: the questions beside the rules ----------------------------------------


def test_rules_check_counts_the_questions(run: Run) -> None:
    result = run("rules", "check")
    assert result.exit_code == 0, result.output
    assert f"{len(BASE_FACTS)} questions: ok" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("  - fact: sexual_abuse\n", "  - fact: sexual_abuses\n", "facts.sexual_abuse"),
        ("{value: absent, label:", "{value: absentee, label:", "'absentee'"),
    ],
)
def test_rules_check_fails_naming_the_fact(
    run: Run, rules_copy: Path, old: str, new: str, named: str
) -> None:
    path = rules_copy / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("rules", "check", str(rules_copy))
    assert result.exit_code == 1, result.output
    message = " ".join(result.stdout.split())
    assert named in message
    assert "FAIL" in message
