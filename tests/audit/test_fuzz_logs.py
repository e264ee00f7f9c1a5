"""Random damage to a valid audit log: verify, show and replay report it; never a crash."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scr_rules.audit import AuditLog
from scr_rules.cli import app
from scr_rules.decide import triage
from scr_rules.testing import random_cases
from tests._shared import BOOK

COLUMNS = [
    "id", "recorded_at", "by", "origin", "case_ref", "case_json", "decision_json", "rulebook",
    "engine_version", "settings_json", "human_decision", "human_reason", "prev_hash", "hash",
]  # fmt: skip
VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=20),
    st.sampled_from(["[]", "{}", "[" * 5000 + "]" * 5000, '{"outcome": 3}', "null", "\x1b[2J"]),
    st.binary(max_size=20),
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("log") / "pristine.scrlog"
    log = AuditLog(path)
    for case in random_cases(5, seed=21):
        log.record(case, triage(case, rulebook=BOOK), by="officer-1")
    log.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode=DELETE")  # one file: damage lands where it is read
    db.close()
    return path


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    where=st.one_of(
        st.tuples(st.just("cell"), st.sampled_from(COLUMNS), st.integers(1, 5), VALUES),
        st.tuples(st.just("meta"), st.sampled_from(["schema", "count", "head"]), VALUES),
        st.tuples(st.just("bytes"), st.integers(0, 40_000), st.binary(min_size=1, max_size=64)),
    )
)
def test_a_damaged_log_gives_exit_0_1_or_2(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, where: tuple[Any, ...]
) -> None:
    from typer.testing import CliRunner

    path = tmp_path_factory.mktemp("damaged") / "log.scrlog"
    shutil.copyfile(pristine, path)
    if where[0] == "bytes":
        with path.open("r+b") as file:
            file.seek(where[1])
            file.write(where[2])
    else:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            if where[0] == "cell":
                db.execute(f"UPDATE records SET {where[1]} = ? WHERE id = ?", (where[3], where[2]))  # noqa: S608
            else:
                db.execute("UPDATE meta SET value = ? WHERE key = ?", (where[2], where[1]))
        except sqlite3.Error:
            return  # the damage itself was refused (a constraint)
        finally:
            db.close()
    runner = CliRunner()
    for command in (["audit", "verify"], ["audit", "show"], ["replay"]):
        result = runner.invoke(app, [*command, str(path)], catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), (command, result.output)
