"""Ctrl-C during ``scr batch`` stops cleanly: whole lines only, in input order, and says how far.

A terminal's Ctrl-C reaches the whole process group (the parent and its workers), so the
test starts the batch in a session of its own and signals the group, as a terminal would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scr_rules.testing import random_cases
from tests._shared import SCR

RECORDS = 60_000  # enough that the run is still going when the signal arrives
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def big_input(path: Path) -> list[str]:
    """Write many records quickly (few distinct cases, each with its own case_ref)."""
    documents = [case.dump() for case in random_cases(200, seed=60)]
    refs = []
    with path.open("w", encoding="utf-8") as out:
        for index in range(RECORDS):
            document = dict(documents[index % len(documents)], case_ref=f"INT-{index:06d}")
            refs.append(document["case_ref"])
            out.write(json.dumps(document) + "\n")
    return refs


def wait_for_output(path: Path, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.stat().st_size > 100_000:
            return
        time.sleep(0.02)
    pytest.fail("the batch wrote nothing, or finished before it could be interrupted")


@pytest.mark.parametrize(
    ("jobs", "signum"), [(2, signal.SIGINT), (1, signal.SIGINT), (2, signal.SIGTERM)]
)
def test_an_interrupted_batch_leaves_whole_lines_in_input_order(
    tmp_path: Path, jobs: int, signum: int
) -> None:
    refs = big_input(tmp_path / "big.jsonl")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*SCR, "batch", str(tmp_path / "big.jsonl"), "--out", str(out), "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    wait_for_output(out, process)
    os.killpg(process.pid, signum)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n")
    lines = text.splitlines()
    assert 0 < len(lines) < RECORDS
    assert [json.loads(line)["case_ref"] for line in lines] == refs[: len(lines)]
    assert "interrupted" in stderr
    assert f"first {len(lines):,} records" in stderr
    assert f"line {len(lines)})" in stderr
    assert "Traceback" not in stderr


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_workers_end_when_the_batch_is_killed_outright(tmp_path: Path) -> None:
    """SIGKILL gives the parent no chance to close its pool: the workers must still go."""
    big_input(tmp_path / "big.jsonl")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*SCR, "batch", str(tmp_path / "big.jsonl"), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_output(out, process)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    assert len(children) == 2
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.1)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    for pid in alive:  # do not leave them behind if the test fails
        os.kill(int(pid), signal.SIGKILL)
    assert not alive
