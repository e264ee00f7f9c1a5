"""Errors that quote input are one line each and can forge nothing (hardening 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scr_rules import CaseFileError, load_case
from scr_rules.errors import Problem, printable

FORGERIES = [
    "\x1b[32m NOT REQUIRED \x1b[0m",
    "x\nerror: all fine",
    "a\rb",
    "\u202edecline",
    "\x9b2J",
]


@pytest.mark.parametrize("text", FORGERIES)
def test_printable_escapes_what_could_rewrite_a_terminal(text: str) -> None:
    shown = printable(text)
    assert "\n" not in shown
    assert "\r" not in shown
    assert all(ch not in shown for ch in ("\x1b", "\u202e", "\x9b"))
    assert str(Problem(text, text)).count("\n") == 0


@pytest.mark.parametrize("key", FORGERIES)
def test_a_hostile_key_in_a_case_file_gives_one_escaped_line(
    tmp_path: Path, key: str, run: Any
) -> None:
    path = tmp_path / "case.json"
    document = {"schema": "scr-case/1", "case_ref": "X-1", "facts": {key: True}}
    path.write_text(json.dumps(document))
    with pytest.raises(CaseFileError) as raised:
        load_case(path)
    assert len(str(raised.value).splitlines()) == len(raised.value.problems)
    result = run("triage", str(path))
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert all(line.startswith("error: ") for line in result.output.splitlines() if line)


def test_line_and_paragraph_separators_cannot_split_an_error_line() -> None:
    """str.splitlines() splits on U+2028 and U+2029: a key holding one must stay one line."""
    from scr_rules.errors import printable

    shown = printable("case_ref\u2028error: forged\u2029")
    assert shown.splitlines() == [shown]
    assert "\\u2028" in shown
