"""scr batch never destroys its own input (hardening 11)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests._shared import DEATH_2008

SCR = [sys.executable, "-m", "scr_rules"]


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(DEATH_2008) + "\n")
    return path


def test_the_output_as_the_input_itself_is_refused(tmp_path: Path, run: Any) -> None:
    cases = _input(tmp_path)
    before = cases.read_bytes()
    result = run("batch", str(cases), "--out", str(cases))
    assert result.exit_code == 2
    assert "is the input" in result.output
    assert cases.read_bytes() == before


def test_a_hard_link_and_a_symlink_to_the_input_are_refused(tmp_path: Path, run: Any) -> None:
    cases = _input(tmp_path)
    before = cases.read_bytes()
    os.link(cases, tmp_path / "hard.jsonl")
    (tmp_path / "soft.jsonl").symlink_to(cases)
    for name in ("hard.jsonl", "soft.jsonl"):
        result = run("batch", str(cases), "--out", str(tmp_path / name))
        assert result.exit_code == 2, name
    assert cases.read_bytes() == before


def test_a_case_file_of_a_directory_input_is_refused(tmp_path: Path, run: Any) -> None:
    folder = tmp_path / "cases"
    shutil.copytree("cases", folder)
    target = folder / "death-neglect-factor-2008.yaml"
    before = target.read_bytes()
    result = run("batch", str(folder), "--out", str(target))
    assert result.exit_code == 2
    assert target.read_bytes() == before


def test_stdin_redirected_from_the_output_file_is_refused(tmp_path: Path) -> None:
    cases = _input(tmp_path)
    before = cases.read_bytes()
    with cases.open("rb") as stdin:
        result = subprocess.run(
            [*SCR, "batch", "-", "--out", str(cases)],
            stdin=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2, result.stderr
    assert cases.read_bytes() == before
