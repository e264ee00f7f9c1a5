"""Hostile and busy audit logs: planted triggers, readers beside a writer, read-only readers."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from scr_rules.audit import AuditLog
from scr_rules.audit._store import Store
from scr_rules.decide import triage
from scr_rules.errors import AuditError
from scr_rules.testing import random_cases
from tests._shared import BOOK


def _log(path: Path, count: int = 6) -> AuditLog:
    log = AuditLog(path)
    for case in random_cases(count, seed=5):
        log.record(case, triage(case, rulebook=BOOK), by="officer-1")
    log.close()
    return log


def _plant(path: Path, statement: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TRIGGER hide BEFORE INSERT ON records BEGIN SELECT RAISE(IGNORE); END",
        "CREATE TRIGGER keep BEFORE UPDATE ON meta BEGIN SELECT RAISE(IGNORE); END",
        "CREATE VIEW shadow AS SELECT * FROM records",
        "CREATE INDEX extra ON records(case_ref)",
    ],
)
def test_a_planted_schema_object_stops_recording_and_fails_verify(
    tmp_path: Path, statement: str, run: Any
) -> None:
    path = tmp_path / "log.scrlog"
    _log(path)
    _plant(path, statement)
    case = next(iter(random_cases(1, seed=9)))
    with pytest.raises(AuditError, match="schema objects scr did not create"):
        AuditLog(path).record(case, triage(case, rulebook=BOOK))
    verified = run("audit", "verify", str(path))
    assert verified.exit_code in (1, 2)
    assert "did not create" in verified.output
    batch = run("batch", "cases", "--out", str(tmp_path / "out.jsonl"), "--record", str(path))
    assert batch.exit_code != 0


def test_a_write_a_trigger_swallows_is_caught_by_the_row_count(tmp_path: Path) -> None:
    path = tmp_path / "log.scrlog"
    _log(path)
    store = Store(path, create=True)
    store._db.execute(  # planted on the open connection, after the schema check
        "CREATE TEMP TRIGGER hide BEFORE INSERT ON main.records BEGIN SELECT RAISE(IGNORE); END"
    )
    case = next(iter(random_cases(1, seed=9)))
    from scr_rules.audit import make_entry

    entry = make_entry(case, triage(case, rulebook=BOOK), BOOK)
    with pytest.raises(AuditError, match="did not store record 7"):
        store.append([entry], {BOOK.digest: BOOK.canonical})
    store.close()
    assert AuditLog(path).verify().records == 6


def test_readers_open_the_log_read_only(tmp_path: Path) -> None:
    path = tmp_path / "log.scrlog"
    _log(path)
    reader = Store(path, create=False)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._db.execute("UPDATE meta SET value = '0' WHERE key = 'count'")
    reader.close()
    assert AuditLog(path).verify().ok


WRITER = textwrap.dedent(
    """
    import sys
    from scr_rules import AuditLog, load_rulebook, triage
    from scr_rules.testing import random_cases
    book = load_rulebook()
    log = AuditLog(sys.argv[1])
    for case in random_cases(int(sys.argv[2]), seed=3):
        log.record(case, triage(case, rulebook=book), by="writer")
    """
)


def test_verify_beside_a_writer_never_reports_a_healthy_log_tampered(tmp_path: Path) -> None:
    path = tmp_path / "log.scrlog"
    _log(path)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "400"])
    results = []
    try:
        for _ in range(30):
            results.append(AuditLog(path).verify())
            if writer.poll() is not None:
                break
    finally:
        writer.wait(timeout=240)
    assert writer.returncode == 0
    bad = [[str(p) for p in r.problems] for r in results if not r.ok]
    assert bad == []
    assert AuditLog(path).verify().records == 406


def _damage(path: Path, how: str) -> None:
    if how == "corrupt pages":
        size = path.stat().st_size
        with path.open("r+b") as file:
            for page in range(1, size // 4096):
                file.seek(page * 4096 + 8)
                file.write(b"\x5a" * 4000)
        return
    statement = {
        "a list for a decision": "UPDATE records SET decision_json = '[1, 2]' WHERE id = 1",
        "a nesting bomb": "UPDATE records SET decision_json = ? WHERE id = 1",
        "a dropped table": "DROP TABLE rulebooks",
        "a dropped column": "ALTER TABLE records DROP COLUMN human_reason",
        "a huge record id": "UPDATE records SET id = 9223372036854775807 WHERE id = 2",
    }[how]
    db = sqlite3.connect(path, isolation_level=None)
    args = ("[" * 100_000 + "]" * 100_000,) if "?" in statement else ()
    db.execute(statement, args)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.mark.parametrize(
    "how",
    [
        "a list for a decision",
        "a nesting bomb",
        "a dropped table",
        "a dropped column",
        "a huge record id",
        "corrupt pages",
    ],
)
@pytest.mark.parametrize("command", [["audit", "verify"], ["audit", "show"], ["replay"]])
def test_a_damaged_log_is_reported_never_a_crash(
    tmp_path: Path, how: str, command: list[str], run: Any
) -> None:
    path = tmp_path / "log.scrlog"
    _log(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file, none in the WAL
    db.close()
    _damage(path, how)
    result = run(*command, str(path))
    assert result.exit_code in (0, 1, 2), result.output  # show may list a log it can read
    assert "internal error" not in result.output
    if command == ["audit", "verify"]:
        assert result.exit_code in (1, 2)


@pytest.mark.parametrize("kind", ["a directory", "a dangling link"])
def test_a_log_path_that_is_not_a_file_is_exit_2(tmp_path: Path, kind: str, run: Any) -> None:
    path = tmp_path / "log.scrlog"
    if kind == "a directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "nowhere")
    result = run("audit", "verify", str(path))
    assert result.exit_code == 2
    assert "audit log" in result.output


@pytest.mark.parametrize("key", [" " * 16, "a" * 40, "abababababababab"])
def test_a_guessable_pseudonym_key_is_refused(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from scr_rules.audit import PSEUDONYM_KEY_ENV, pseudonym_key_from_env

    monkeypatch.setenv(PSEUDONYM_KEY_ENV, key)
    with pytest.raises(AuditError, match="too easy to guess"):
        pseudonym_key_from_env()


def test_an_existing_log_is_made_private_when_written(tmp_path: Path) -> None:
    path = tmp_path / "log.scrlog"
    _log(path, count=1)
    path.chmod(0o644)
    _log(path, count=1)
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_export_never_replaces_a_special_file(tmp_path: Path, kind: str, run: Any) -> None:
    import os

    path = tmp_path / "log.scrlog"
    _log(path, count=2)
    target = tmp_path / "out.jsonl"
    if kind == "symlink":
        (tmp_path / "real.jsonl").write_text("keep\n")
        target.symlink_to(tmp_path / "real.jsonl")
    else:
        os.mkfifo(target)
    result = run("audit", "export", str(path), "--output", str(target))
    assert result.exit_code == 2
    assert target.is_symlink() if kind == "symlink" else not target.is_file()
    if kind == "symlink":
        assert (tmp_path / "real.jsonl").read_text() == "keep\n"


def test_verify_warns_while_a_wal_file_holds_records(tmp_path: Path, run: Any) -> None:
    path = tmp_path / "log.scrlog"
    _log(path, count=2)
    holder = sqlite3.connect(path)  # an open reader keeps the WAL from being checkpointed
    holder.execute("BEGIN")
    holder.execute("SELECT * FROM records").fetchall()
    try:
        case = next(iter(random_cases(1, seed=4)))
        AuditLog(path).record(case, triage(case, rulebook=BOOK))
        result = run("audit", "verify", str(path))
    finally:
        holder.close()
    assert result.exit_code == 0
    assert "log.scrlog-wal is beside the log" in result.stderr
