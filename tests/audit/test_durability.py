"""The log survives a writer killed mid-write, and concurrent writers keep one valid chain."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from scr_rules.audit import AuditLog

# A writer that records decisions in a loop and acknowledges each on stdout once record()
# has returned (that is, once its transaction is committed).
WRITER = """
import sys
from scr_rules import AuditLog, load_rulebook, triage
from scr_rules.testing import random_cases

path, name, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
book = load_rulebook()
log = AuditLog(path)
for case in random_cases(count, seed):
    record = log.record(case, triage(case, rulebook=book), rulebook=book, by=name)
    print(record.id, flush=True)
"""


def start_writer(path: Path, name: str, count: int, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(count), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("kill_after", [1, 40])
def test_a_writer_killed_mid_loop_loses_only_its_unacknowledged_record(
    tmp_path: Path, kill_after: int
) -> None:
    """SIGKILL gives SQLite no chance to clean up: the next open must roll back alone."""
    path = tmp_path / "decisions.scrlog"
    writer = start_writer(path, "writer", 100_000, seed=kill_after)
    assert writer.stdout is not None
    acknowledged = [int(writer.stdout.readline()) for _ in range(kill_after)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()

    result = AuditLog(path).verify()

    assert result.ok, [str(p) for p in result.problems]
    assert acknowledged == list(range(1, kill_after + 1))
    # every acknowledged record is there; at most one more committed before its ack
    assert result.records in (kill_after, kill_after + 1)
    assert [r.id for r in AuditLog(path).records()] == list(range(1, result.records + 1))


def test_two_writers_appending_500_each_leave_1000_records_in_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "decisions.scrlog"
    writers = [start_writer(path, f"writer-{n}", 500, seed=n) for n in (1, 2)]
    outputs = [w.communicate(timeout=240)[0] for w in writers]

    assert [w.returncode for w in writers] == [0, 0]
    result = AuditLog(path).verify()
    assert result.ok, [str(p) for p in result.problems]
    assert result.records == 1000
    records = list(AuditLog(path).records())
    assert Counter(r.by for r in records) == {"writer-1": 500, "writer-2": 500}
    # no record lost or duplicated: each writer saw 500 distinct ids, and together all 1000
    acknowledged = [set(map(int, out.split())) for out in outputs]
    assert [len(ids) for ids in acknowledged] == [500, 500]
    assert acknowledged[0] | acknowledged[1] == set(range(1, 1001))
    for name in ("writer-1", "writer-2"):
        refs = [r.case_ref for r in records if r.by == name]
        assert refs == [f"SYN-{n:07d}" for n in range(500)]  # in the writer's own order
