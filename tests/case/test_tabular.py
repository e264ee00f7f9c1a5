"""One CSV dialect: ``scr batch`` and ``scr audit import`` read the same file the same way.

Both go through ``scr_rules.case.Table``: a byte-order mark is dropped, ``none`` is the empty
list, ``facts.NAME`` is ``NAME``, a column named twice (with and without the prefix) is
refused naming both, and an empty cell is unknown.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from scr_rules.audit import AuditLog
from scr_rules.case import Table, row_document
from scr_rules.errors import CaseFileError, InputError
from tests._shared import Run

BOM = "\ufeff"
HEADER = (
    "case_ref,jurisdiction,decision_date,facts.child_age_at_incident,child_died,"
    "facts.abuse_or_neglect,abuse_or_neglect_types,abuse_or_neglect_factor_in_death"
)
ROWS = [
    "CSV-1,england,2008-05-20,2,true,known,,known",  # an empty cell: unknown
    "CSV-2,wales,2013-05-20,9,true,not_suspected,none,",  # none: known to be no kind
    ",,,,,,,",  # a blank row is skipped
    "CSV-3,wales,2013-05-20,,,suspected,physical;neglect,unknown",
]


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def csv_file(tmp_path: Path, header: str = HEADER, rows: list[str] = ROWS) -> Path:
    return write(tmp_path / "cases.csv", BOM + "\n".join([header, *rows]) + "\n")


def batch_cases(run: Run, source: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """Return each row as ``scr batch --validate-only`` normalises it."""
    out = tmp_path / "batch.jsonl"
    result = run("batch", str(source), "--out", str(out), "--validate-only", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def imported_cases(run: Run, source: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """Return each row's case as ``scr audit import`` records it."""
    log = tmp_path / "import.scrlog"
    result = run("audit", "import", str(source), "--log", str(log))
    assert result.exit_code == 0, result.stderr
    return [record.case for record in AuditLog(log).records()]


def test_batch_and_audit_import_read_the_same_csv_into_the_same_cases(
    run: Run, tmp_path: Path
) -> None:
    source = csv_file(tmp_path)

    from_batch = batch_cases(run, source, tmp_path)
    from_import = imported_cases(run, source, tmp_path)

    assert from_batch == from_import
    assert [case["case_ref"] for case in from_batch] == ["CSV-1", "CSV-2", "CSV-3"]
    first, second, third = (case["facts"] for case in from_batch)
    assert "abuse_or_neglect_types" not in first  # the empty cell left it unknown
    assert first["child_age_at_incident"] == 2  # read through its facts. column
    assert second["abuse_or_neglect_types"] == []  # none: the empty list
    assert third["abuse_or_neglect_types"] == ["physical", "neglect"]
    assert "child_died" not in third


@pytest.mark.parametrize(
    "header",
    [
        "case_ref,decision_date,child_died,facts.child_died",
        "case_ref,decision_date,facts.child_died,child_died",
        "case_ref,decision_date,child_died,child_died",
    ],
)
def test_a_column_named_twice_after_the_prefix_is_refused_by_both_naming_both(
    run: Run, tmp_path: Path, header: str
) -> None:
    first, second = header.split(",")[2:]
    source = csv_file(tmp_path, header, ["CSV-1,2008-05-20,true,true"])
    log = tmp_path / "log"

    batch = run("batch", str(source), "--out", str(tmp_path / "out.jsonl"))
    imported = run("audit", "import", str(source), "--log", str(log))

    said = f"column 'child_died' appears twice: {first!r} (column 3) and {second!r} (column 4)"
    assert batch.exit_code == imported.exit_code == 2
    assert said in batch.stderr
    assert said in imported.stderr
    assert not log.exists()


def test_a_byte_order_mark_before_the_header_is_dropped_by_both(run: Run, tmp_path: Path) -> None:
    with_mark = csv_file(tmp_path)
    without = write(tmp_path / "plain.csv", "\n".join([HEADER, *ROWS]) + "\n")

    assert with_mark.read_bytes().startswith(b"\xef\xbb\xbfcase_ref,")
    assert batch_cases(run, with_mark, tmp_path) == batch_cases(run, without, tmp_path)
    assert imported_cases(run, with_mark, tmp_path) == batch_cases(run, without, tmp_path)


def test_an_unknown_prefixed_column_is_refused_by_both(run: Run, tmp_path: Path) -> None:
    source = csv_file(tmp_path, "case_ref,facts.child_dead", ["CSV-1,true"])

    batch = run("batch", str(source), "--out", str(tmp_path / "out.jsonl"))
    imported = run("audit", "import", str(source), "--log", str(tmp_path / "log"))

    said = "unknown column 'facts.child_dead' (did you mean 'child_died'?)"
    assert batch.exit_code == imported.exit_code == 2
    assert f"{source}: line 1: {said}" in batch.stderr
    assert f"{source}: row 1: {said}" in imported.stderr  # each command's own numbering


def test_a_broken_quote_stops_both_where_it_is(run: Run, tmp_path: Path) -> None:
    rows = ['CSV-1,2008-05-20,"true', "CSV-2,2008-05-20,true"]
    source = csv_file(tmp_path, "case_ref,decision_date,child_died", rows)
    out, log = tmp_path / "out.jsonl", tmp_path / "log"

    batch = run("batch", str(source), "--out", str(out), "--jobs", "1")
    imported = run("audit", "import", str(source), "--log", str(log))

    assert batch.exit_code == 1
    said = (
        "not valid CSV: unexpected end of data; lines 2..3 were not read (a "
        "quote opened and never closed?), and the table ends here"
    )
    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {
            "line": 3,
            "error": said,
            "error_type": "case_file",
            "problems": [{"loc": "", "message": said}],
        }
    ]
    assert imported.exit_code == 2
    assert f"{source}: row 2: not valid CSV: unexpected end of data" in imported.stderr
    assert not list(AuditLog(log).records()) if log.exists() else True


def test_a_cell_that_is_not_utf8_makes_only_its_row_bad_in_both(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_bytes(
        b"case_ref,decision_date,child_died\nCSV-1,2008-05-20,tru\xe9\nCSV-2,2008-05-20,false\n"
    )
    out, log = tmp_path / "out.jsonl", tmp_path / "log"

    batch = run("batch", str(source), "--out", str(out), "--validate-only", "--jobs", "1")
    imported = run("audit", "import", str(source), "--log", str(log))

    said = "column child_died: not UTF-8 text; expected text saved as UTF-8"
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert batch.exit_code == 1
    assert lines[0]["line"] == 2
    assert lines[0]["error"] == said
    assert lines[0]["problems"][0]["loc"] == "column child_died"
    assert lines[1]["case_ref"] == "CSV-2"
    assert imported.exit_code == 1
    assert f"{source}: row 2: {said}" in imported.stderr
    assert [r.case_ref for r in AuditLog(log).records()] == ["CSV-2"]


def table(text: str, extra: tuple[str, ...] = ()) -> Table:
    return Table(io.StringIO(text, newline=""), "t.csv", extra)


def test_the_table_reads_cells_by_each_facts_kind() -> None:
    read = table(BOM + "case_ref,facts.child_age_at_incident,child_died,abuse_or_neglect_types\n")
    assert read.columns == (
        "case_ref",
        "child_age_at_incident",
        "child_died",
        "abuse_or_neglect_types",
    )
    document = row_document(read.columns, (" X-1 ", "-1", "true", " physical ; ;neglect "))
    assert document == {
        "schema": "scr-case/1",
        "case_ref": "X-1",
        "facts": {
            "child_age_at_incident": -1,  # a number, so validation says it is out of range
            "child_died": True,
            "abuse_or_neglect_types": ["physical", "neglect"],
        },
    }
    with pytest.raises(CaseFileError, match="expected 4 cells as in the header, got 2"):
        row_document(read.columns, ("X-1", "2"))


def test_rows_are_numbered_as_a_spreadsheet_shows_them_with_lines_beside() -> None:
    read = table('case_ref,child_died\nA,true\n\n"B\nC",false\nD,\n')
    assert [(r.row, r.line, r.where()) for r in read.rows()] == [
        (2, 2, "row 2"),
        (4, 4, "row 4"),  # the blank line is row 3, as a spreadsheet shows it
        (5, 6, "row 5 (line 6)"),
    ]


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("", "the CSV has no header"),
        ("child_died", "the header has no case_ref column"),
        ("case_ref,,child_died", "column 2 has no name"),
        ("case_ref,facts.case_ref", "unknown column 'facts.case_ref'"),
        ("case_ref,human_reason", "unknown column 'human_reason'"),
    ],
)
def test_a_header_that_cannot_be_used_is_refused(header: str, said: str) -> None:
    with pytest.raises(InputError, match=said):
        table(header + "\n")


def test_a_command_may_add_its_own_columns() -> None:
    read = table("case_ref,human_decision,facts.child_died\n", ("human_decision",))
    assert read.columns == ("case_ref", "human_decision", "child_died")
    document = row_document(read.columns, ("X-1", "declined", ""))
    assert document == {
        "schema": "scr-case/1",
        "case_ref": "X-1",
        "human_decision": "declined",
        "facts": {},
    }
