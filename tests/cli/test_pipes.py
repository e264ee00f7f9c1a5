"""Output that cannot be written: a closed pipe stops quietly, a full disk is named (17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scr_rules.testing import random_cases

SCR = [sys.executable, "-m", "scr_rules"]


def _cases(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c.dump()) + "\n" for c in random_cases(count)))
    return path


def test_a_reader_that_leaves_early_gets_a_quiet_stop(tmp_path: Path) -> None:
    cases = _cases(tmp_path, 3000)
    writer = subprocess.Popen(
        [*SCR, "batch", str(cases), "--out", "-", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    writer.stdout.readline()
    writer.stdout.close()  # as `| head -1` does
    _, err = writer.communicate(timeout=120)
    assert writer.returncode in (0, 1, 130, 141), err
    assert b"Traceback" not in err
    assert b"internal error" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["triage", "cases/death-neglect-factor-2008.yaml"], ["schema", "decision"]]
)
def test_a_full_disk_is_exit_2_saying_so(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*SCR, *args], stdout=full, stderr=subprocess.PIPE, timeout=120, check=False
        )
    assert result.returncode == 2, result.stderr
    assert b"No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_after_recording_says_the_record_was_made(tmp_path: Path) -> None:
    log = tmp_path / "log.scrlog"
    args = ["triage", "cases/death-neglect-factor-2008.yaml", "--record", str(log)]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*SCR, *args], stdout=full, stderr=subprocess.PIPE, timeout=120, check=False
        )
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert lines[0].startswith("recorded: record 1 in ")  # so nobody records it again
    assert "No space left on device" in lines[-1]
