"""Damaged CSV: an oversized cell costs its row only; a broken quote says what was lost (13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEADER = "case_ref,decision_date,child_age_at_incident,child_died,abuse_or_neglect\n"
ROW = "{ref},2008-05-20,2,true,known\n"


def _batch(tmp_path: Path, text: str, run: Any) -> list[dict[str, Any]]:
    source = tmp_path / "cases.csv"
    source.write_text(text)
    out = tmp_path / "out.jsonl"
    run("batch", str(source), "--out", str(out))
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_rows_after_an_oversized_cell_are_still_decided(tmp_path: Path, run: Any) -> None:
    huge = "A-2,2008-05-20,2,true," + "x" * (2 * 1024 * 1024) + "\n"
    lines = _batch(tmp_path, HEADER + ROW.format(ref="A-1") + huge + ROW.format(ref="A-3"), run)
    assert [line.get("case_ref") for line in lines if "outcome" in line] == ["A-1", "A-3"]
    [error] = [line for line in lines if "error" in line]
    assert error["line"] == 3
    assert "larger than" in error["error"]


def test_a_broken_quote_says_which_lines_were_not_read(tmp_path: Path, run: Any) -> None:
    text = HEADER + ROW.format(ref="A-1") + '"A-2,2008-05-20,2,true,known\n' + ROW.format(ref="A-3")
    lines = _batch(tmp_path, text, run)
    assert [line.get("case_ref") for line in lines if "outcome" in line] == ["A-1"]
    [error] = [line for line in lines if "error" in line]
    assert "lines 3..4 were not read" in error["error"]


def test_an_oversized_jsonl_line_is_refused_and_the_next_line_decided(
    tmp_path: Path, run: Any
) -> None:
    from scr_rules.batch._input import _bounded_lines

    source = tmp_path / "cases.jsonl"
    huge = '{"schema": "scr-case/1", "case_ref": "B-1", "junk": "' + "x" * (3 << 20) + '"}\n'
    good = '{"schema": "scr-case/1", "case_ref": "B-2", "decision_date": "2008-05-20"}\n'
    source.write_text(huge + good)
    out = tmp_path / "out.jsonl"
    run("batch", str(source), "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0] == {
        "line": 1,
        "error": "the line is longer than 1,048,576 bytes",
        "error_type": "case_file",
        "problems": [{"loc": "", "message": "the line is longer than 1,048,576 bytes"}],
    }
    assert lines[1]["case_ref"] == "B-2"
    with source.open("rb") as stream:  # what is held of the long line is bounded
        assert [len(line) for line in _bounded_lines(stream)] == [(1 << 20) + 1, len(good)]
