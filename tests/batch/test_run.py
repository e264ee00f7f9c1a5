"""``scr batch``: every input layout, error lines beside decisions, order, and equality with triage.

The batch decision of a record must be exactly what ``scr triage --format json`` gives for
the same case, only on one line; a bad record gives an error line and never stops the run.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scr_rules.audit import AuditLog
from scr_rules.batch import BatchOptions, BatchSummary, OutputFormat, WorkSpec, run_batch
from scr_rules.case import Case, case_from_document
from scr_rules.decide import triage
from scr_rules.errors import InputError, ScrRulesError
from scr_rules.testing import random_cases
from tests._shared import BOOK, DEATH_2008, SCR

BAD_RECORDS = [
    "not json at all",
    '{"schema": "scr-case/1", "case_ref": "DUP-1", "case_ref": "DUP-2"}',
    '{"schema": "scr-case/1", "case_ref": "TYPO-1", "decision_date": "2008-05-20",'
    ' "facts": {"child_dead": true}}',
    '{"schema": "scr-case/1", "case_ref": "NODATE-1", "facts": {}}',
    '["a list, not a case"]',
]


def expected_line(case: Case, **options: Any) -> str:
    """Return what the batch must write for a case: its decision, or an error line."""
    try:
        return triage(case, rulebook=BOOK, **options).model_dump_json()
    except ScrRulesError:
        return "error"


def write_jsonl(path: Path, documents: Iterable[dict[str, Any] | str]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write((document if isinstance(document, str) else json.dumps(document)) + "\n")
    return path


def run(
    source: Path | str, output: Path, jobs: int = 1, chunk_size: int = 64, **spec: Any
) -> tuple[BatchSummary, list[str], str]:
    """Run a batch in-process; return the summary, the output lines and stderr."""
    out_format = OutputFormat.csv if str(output).endswith(".csv") else OutputFormat.jsonl
    options = BatchOptions(
        input=str(source),
        output=str(output),
        spec=WorkSpec(input_format="jsonl", output_format=out_format, **spec),
        jobs=jobs,
        chunk_size=chunk_size,
        progress=False,
    )
    stderr = io.StringIO()
    summary = run_batch(options, stderr)
    return summary, output.read_text(encoding="utf-8").splitlines(), stderr.getvalue()


def generated(count: int, seed: int) -> list[Case]:
    return list(random_cases(count, seed=seed))


def test_batch_decisions_equal_triage_one_by_one_on_ten_thousand_generated_cases(
    tmp_path: Path,
) -> None:
    """Two workers, many chunks: every line is exactly triage's decision, in input order."""
    cases = generated(10_000, seed=51)
    source = write_jsonl(tmp_path / "cases.jsonl", (case.dump() for case in cases))
    summary, lines, _ = run(source, tmp_path / "out.jsonl", jobs=2, chunk_size=200)
    assert summary.records == len(cases) == len(lines)
    decided = 0
    for number, (case, line) in enumerate(zip(cases, lines, strict=True), start=1):
        expected = expected_line(case)
        if expected == "error":
            assert json.loads(line)["line"] == number
        else:
            assert line == expected, case.case_ref
            decided += 1
    assert decided > len(cases) // 2  # the generator must mostly give decidable cases
    assert summary.counts["error"] == len(cases) - decided


def test_bad_records_give_error_lines_and_every_good_record_is_decided(tmp_path: Path) -> None:
    good = [case.dump() for case in generated(40, seed=52) if expected_line(case) != "error"]
    records: list[dict[str, Any] | str] = []
    for index, document in enumerate(good):
        records.append(document)
        if index % 8 == 0:
            records.append(BAD_RECORDS[(index // 8) % len(BAD_RECORDS)])
    source = write_jsonl(tmp_path / "mixed.jsonl", records)
    summary, lines, stderr = run(source, tmp_path / "out.jsonl", jobs=2, chunk_size=3)
    assert summary.exit_code() == 1
    assert len(lines) == len(records)
    parsed = [json.loads(line) for line in lines]
    errors = [(n, p) for n, p in enumerate(parsed, start=1) if "error" in p]
    assert [n for n, _ in errors] == [
        n for n, r in enumerate(records, start=1) if isinstance(r, str)
    ]
    assert all(p["line"] == n for n, p in errors)
    decisions = [p for p in parsed if "error" not in p]
    assert [d["case_ref"] for d in decisions] == [d["case_ref"] for d in good]
    assert summary.errors == len(errors)
    assert f"errors {len(errors)}" in stderr


def test_error_lines_say_what_is_wrong_and_name_the_case_when_they_can(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "bad.jsonl", BAD_RECORDS)
    summary, lines, _ = run(source, tmp_path / "out.jsonl")
    parsed = [json.loads(line) for line in lines]
    assert summary.exit_code() == 1
    assert summary.errors == len(BAD_RECORDS)
    assert set(parsed[0]) == {"line", "error", "error_type", "problems"}
    assert "not valid JSON" in parsed[0]["error"]
    assert "appears twice" in parsed[1]["error"]
    assert parsed[2]["case_ref"] == "TYPO-1"
    assert "did you mean 'child_died'" in parsed[2]["error"]
    assert parsed[3]["case_ref"] == "NODATE-1"
    assert "no date" in parsed[3]["error"]
    assert "list" in parsed[4]["error"]


def test_error_lines_carry_each_problem_as_data(tmp_path: Path) -> None:
    """A program reads the problems as a list (field, message, expected, found), not prose."""
    case = {**DEATH_2008, "case_ref": "TWO-1"}
    case["facts"] = {**DEATH_2008["facts"], "child_died": "yes", "child_age": 3}
    source = write_jsonl(tmp_path / "two.jsonl", [json.dumps(case)])
    _, lines, _ = run(source, tmp_path / "out.jsonl")
    line = json.loads(lines[0])
    assert line["error_type"] == "case_file"
    by_place = {problem["loc"]: problem for problem in line["problems"]}
    assert set(by_place) == {"facts.child_died", "facts.child_age"}
    assert by_place["facts.child_died"]["found"] == "'yes'"
    assert by_place["facts.child_died"]["expected"] == "true, false or unknown"
    assert by_place["facts.child_age"]["found"] == "'child_age'"
    assert line["error"] == "; ".join(f"{p['loc']}: {p['message']}" for p in line["problems"])


def test_blank_lines_are_skipped_but_keep_their_line_numbers(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "gaps.jsonl", ["", json.dumps(DEATH_2008), "  ", "oops"])
    _, lines, _ = run(source, tmp_path / "out.jsonl")
    assert len(lines) == 2
    assert json.loads(lines[0])["outcome"] == "mandatory"
    assert json.loads(lines[1])["line"] == 4


def test_a_directory_of_case_files_is_decided_in_file_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    docs = {f"c{n}.yaml": dict(DEATH_2008, case_ref=f"DIR-{n}") for n in (3, 1, 2)}
    for name, document in docs.items():
        (folder / name).write_text(yaml.safe_dump(document), encoding="utf-8")
    (folder / "sub" / "a.json").write_text(json.dumps(dict(DEATH_2008, case_ref="DIR-J")))
    (folder / "broken.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a case file", encoding="utf-8")
    summary, lines, _ = run(folder, tmp_path / "out.jsonl", jobs=2, chunk_size=1)
    parsed = [json.loads(line) for line in lines]
    assert [p.get("case_ref") or p["file"] for p in parsed] == [
        "broken.yaml",
        "DIR-1",
        "DIR-2",
        "DIR-3",
        "DIR-J",
    ]
    assert "line 2" in parsed[0]["error"] or "line 1" in parsed[0]["error"]
    expected = triage(case_from_document(docs["c1.yaml"]), rulebook=BOOK).model_dump_json()
    assert lines[1] == expected
    assert summary.exit_code() == 1


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([header, *rows])
    return buffer.getvalue()


CSV_HEADER = [
    "case_ref",
    "decision_date",
    "child_age_at_incident",
    "child_died",
    "abuse_or_neglect",
    "abuse_or_neglect_factor_in_death",
]


def test_csv_rows_are_cases_with_empty_cells_unknown(tmp_path: Path) -> None:
    rows = [
        ["CSV-1", "2008-05-20", "2", "true", "known", "known"],
        ["CSV-2", "2008-05-20", "2", "true", "known", ""],
        ["CSV-3", "2008-05-20", "two", "true", "known", "known"],
        ["CSV-4", "2008-05-20", "2", "true"],
        ["CSV-5", "2011-06-01", "", "false", "unknown", ""],
    ]
    source = tmp_path / "cases.csv"
    source.write_text(csv_text(CSV_HEADER, rows), encoding="utf-8")
    summary, lines, _ = run(source, tmp_path / "out.jsonl")
    parsed = [json.loads(line) for line in lines]
    first = dict(DEATH_2008, case_ref="CSV-1")
    assert lines[0] == triage(case_from_document(first), rulebook=BOOK).model_dump_json()
    assert parsed[1]["outcome"] == "undetermined"
    assert "abuse_or_neglect_factor_in_death" in parsed[1]["missing_facts"]
    assert parsed[2]["line"] == 4
    assert "child_age_at_incident" in parsed[2]["error"]
    assert parsed[3]["line"] == 5
    assert "expected 6 cells" in parsed[3]["error"]
    assert parsed[4]["case_ref"] == "CSV-5"
    assert parsed[4]["regime"] == "england-2010"
    assert summary.errors == 2


def test_csv_output_has_one_row_per_record_with_rules_and_missing_facts(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl", [DEATH_2008, dict(DEATH_2008, case_ref="EX-2", facts={}), "bad"]
    )
    summary, _, _ = run(source, tmp_path / "out.csv")
    rows = list(csv.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == [
        "case_ref",
        "outcome",
        "regime",
        "met_rules",
        "missing_facts",
        "line",
        "error",
    ]
    assert rows[0]["outcome"] == "mandatory"
    assert rows[0]["regime"] == "england-2006"
    assert rows[0]["met_rules"] == ";".join(
        triage(case_from_document(DEATH_2008), rulebook=BOOK).met_rules()
    )
    assert rows[1]["outcome"] == "undetermined"
    assert "child_died" in rows[1]["missing_facts"]
    assert rows[2]["outcome"] == "error"
    assert rows[2]["line"] == "3"
    assert rows[2]["error"]
    assert summary.exit_code() == 1


def test_options_apply_to_every_record(tmp_path: Path) -> None:
    cases = list(generated(60, seed=53))
    source = write_jsonl(tmp_path / "cases.jsonl", (c.dump() for c in cases))
    settings = {"eng2010_harm_limb": "mandatory"}
    _, lines, _ = run(
        source, tmp_path / "out.jsonl", regime="england-2010", settings=settings, jobs=2
    )
    for case, line in zip(cases, lines, strict=True):
        expected = expected_line(case, regime="england-2010", settings=settings)
        assert line == expected or (expected == "error" and "error" in json.loads(line))


def test_validate_only_writes_each_case_normalised_without_deciding(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [DEATH_2008, "bad"])
    summary, lines, _ = run(source, tmp_path / "out.jsonl", validate_only=True)
    assert json.loads(lines[0]) == case_from_document(DEATH_2008).dump()
    assert json.loads(lines[1])["line"] == 2
    assert summary.counts["valid"] == 1
    assert summary.errors == 1


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["case_ref", "child_dead"], "did you mean 'child_died'"),
        (["case_ref", "child_died", "child_died"], "appears twice"),
        (["child_died"], "no case_ref column"),
    ],
)
def test_a_bad_csv_header_is_a_usage_error(tmp_path: Path, header: list[str], message: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(csv_text(header, []), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        run(source, tmp_path / "out.jsonl")


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SCR, "batch", *args], input=stdin, capture_output=True, text=True, check=False
    )


def test_stdin_jsonl_to_stdout() -> None:
    text = json.dumps(DEATH_2008) + "\n" + json.dumps(dict(DEATH_2008, case_ref="EX-2")) + "\n"
    done = cli("-", "--out", "-", "--jobs", "1", stdin=text)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [json.loads(line)["case_ref"] for line in lines] == ["EX-0001", "EX-2"]
    assert lines[0] == triage(case_from_document(DEATH_2008), rulebook=BOOK).model_dump_json()
    assert "2 records" in done.stderr
    assert "mandatory 2" in done.stderr


def test_stdin_csv_is_recognised_by_its_content(tmp_path: Path) -> None:
    text = csv_text(CSV_HEADER, [["CSV-1", "2008-05-20", "2", "true", "known", "known"]])
    done = cli("-", "--out", str(tmp_path / "out.csv"), stdin=text)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0]["case_ref"] == "CSV-1"
    assert rows[0]["outcome"] == "mandatory"


def test_cli_exit_code_is_one_when_some_records_are_bad(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [DEATH_2008, "bad"])
    done = cli(str(source), "--out", str(tmp_path / "out.jsonl"), "--jobs", "2")
    assert done.returncode == 1
    assert "errors 1" in done.stderr
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl", "--out", "o.jsonl"], "no such file"),
        (["in.jsonl", "--out", "o.txt"], "cannot tell the format"),
        (["in.jsonl", "--out", "o.jsonl", "--set", "nope=1"], "unknown setting"),
        (["in.jsonl", "--out", "o.jsonl", "--regime", "england-1999"], "unknown regime"),
        (["in.jsonl", "--out", "o.jsonl", "--decision-date", "2008-13-01"], "not a valid date"),
        (["in.jsonl", "--out", "in.jsonl"], "is the input"),
        (["in.txt", "--out", "o.jsonl"], "cannot tell the format"),
        (["in.jsonl", "--out", "o.jsonl", "--by", "officer-1"], "needs --record"),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "in.jsonl", [DEATH_2008])
    (tmp_path / "in.txt").write_text("x")
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "in.jsonl").read_text().strip() == json.dumps(DEATH_2008)


def test_record_appends_every_decision_to_the_audit_log(tmp_path: Path) -> None:
    cases = [c for c in generated(30, seed=54) if expected_line(c) != "error"]
    source = write_jsonl(tmp_path / "in.jsonl", [*(c.dump() for c in cases), "bad"])
    log = tmp_path / "decisions.scrlog"
    done = cli(str(source), "--out", str(tmp_path / "out.jsonl"), "--record", str(log), "-j", "2")
    assert done.returncode == 1, done.stderr
    with AuditLog(log) as opened:
        records = list(opened.records())
        assert opened.verify().ok
    assert [r.case_ref for r in records] == [c.case_ref for c in cases]
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines[:-1]] == [r.decision for r in records]
