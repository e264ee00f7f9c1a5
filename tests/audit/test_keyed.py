"""The keyed chain: with the board's key a rebuilt or shortened chain is evident, no anchor needed.

Without the key the hash chain proves a log intact only as far as the file shows: whoever can
write the file can rewrite a record and re-hash every record after it, or delete the newest
records and fix the two meta rows. The tests do exactly that, as an intruder would.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from scr_rules.audit import AUDIT_KEY_ENV, LOG_SCHEMA, AuditLog
from scr_rules.audit._keyed import key_id
from scr_rules.audit._record import GENESIS, record_from_row
from scr_rules.decide import triage
from scr_rules.errors import AuditError
from scr_rules.testing import random_cases
from tests._shared import BOOK

KEY = b"board-key-for-tests-0123456789abcdef"
OTHER_KEY = b"another-key-for-tests-9876543210zyx"
V1_LOG = Path(__file__).parent / "data" / "scr-audit-1.scrlog.gz"  # written by scr-rules 0.1.0


def make_log(path: Path, key: bytes | None, count: int = 6, seed: int = 21) -> AuditLog:
    """Return a log of ``count`` generated decisions, written with ``key`` (or unkeyed)."""
    log = AuditLog(path, key=key)
    for case in random_cases(count, seed):
        log.record(case, triage(case, rulebook=BOOK), by="officer-1")
    log.close()
    return log


def rebuild_chain(path: Path, edit_id: int) -> None:
    """Rewrite one record's board decision and re-hash it and every record after it."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        rows = db.execute("SELECT * FROM records ORDER BY id").fetchall()
        prev = GENESIS
        for raw in rows:
            record = record_from_row(raw)
            if record.id == edit_id:
                record = replace(record, human_decision="initiated")
            record = replace(record, prev_hash=prev)
            record = replace(record, hash=record.computed_hash())
            db.execute(
                "UPDATE records SET human_decision = ?, prev_hash = ?, hash = ? WHERE id = ?",
                (record.human_decision, record.prev_hash, record.hash, record.id),
            )
            prev = record.hash
        db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (prev,))


def cut_newest(path: Path, keep: int) -> None:
    """Delete the records after ``keep`` and fix the count and head, as the docs warn."""
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("DELETE FROM records WHERE id > ?", (keep,))
        head = db.execute("SELECT hash FROM records WHERE id = ?", (keep,)).fetchone()[0]
        db.execute("UPDATE meta SET value = ? WHERE key = 'count'", (str(keep),))
        db.execute("UPDATE meta SET value = ? WHERE key = 'head'", (head,))


def test_a_keyed_log_verifies_with_the_key_and_without_it(tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)

    keyed = AuditLog(path, key=KEY).verify()
    unkeyed = AuditLog(path, key=None).verify()

    assert (keyed.ok, keyed.key_checked, keyed.keyed_from) == (True, True, 1)
    assert (unkeyed.ok, unkeyed.key_checked, unkeyed.keyed_from) == (True, False, 1)
    assert all(
        record.mac and record.mac.startswith("hmac-sha256:")
        for record in AuditLog(path, key=None).records()
    )


def test_a_wholesale_rebuilt_chain_passes_the_hash_chain_but_not_the_key(tmp_path: Path) -> None:
    """The documented limit of an unkeyed chain, and what the key adds."""
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    rebuild_chain(path, edit_id=2)

    unkeyed = AuditLog(path, key=None).verify()
    keyed = AuditLog(path, key=KEY).verify()

    assert unkeyed.ok  # the hash chain alone cannot tell
    assert not keyed.ok
    assert keyed.first_bad == 2
    assert "rewritten (and re-hashed) without the key" in str(keyed.problems[0])


def test_deleting_the_newest_records_and_fixing_the_head_is_caught_with_the_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    cut_newest(path, keep=4)

    unkeyed = AuditLog(path, key=None).verify()
    keyed = AuditLog(path, key=KEY).verify()

    assert (unkeyed.ok, unkeyed.records) == (True, 4)
    assert not keyed.ok
    assert any("not sealed by the board's key" in str(p) for p in keyed.problems)


def test_a_writer_never_extends_a_cut_keyed_chain(tmp_path: Path) -> None:
    """Appending would re-seal the shortened end: the writer refuses and records nothing."""
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    cut_newest(path, keep=4)
    case = next(random_cases(1, 99))

    with pytest.raises(AuditError, match=r"not sealed by the board's key.*nothing was recorded"):
        AuditLog(path, key=KEY).record(case, triage(case, rulebook=BOOK))

    assert AuditLog(path, key=None).verify().records == 4


def test_stripped_macs_are_caught_with_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE records SET mac = NULL")
        db.execute("DELETE FROM meta WHERE key IN ('key_id', 'head_mac')")

    keyed = AuditLog(path, key=KEY).verify()

    assert not keyed.ok
    assert "no record carries an HMAC" in str(keyed.problems[0])


def test_macs_stripped_from_the_newest_records_are_caught(tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE records SET mac = NULL WHERE id >= 5")

    keyed = AuditLog(path, key=KEY).verify()

    assert not keyed.ok
    assert keyed.first_bad == 5
    assert "has no HMAC, though record 1 before it has" in str(keyed.problems[0])


def test_another_key_is_named_as_such_and_checks_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    case = next(random_cases(1, 99))

    result = AuditLog(path, key=OTHER_KEY).verify()
    with pytest.raises(AuditError, match="not the key this log is keyed with"):
        AuditLog(path, key=OTHER_KEY).record(case, triage(case, rulebook=BOOK))

    assert not result.ok
    assert result.problem_count == 1
    assert "is not the key this log is keyed with" in str(result.problems[0])


def test_a_keyed_log_refuses_a_writer_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    make_log(path, KEY)
    case = next(random_cases(1, 99))

    with pytest.raises(AuditError, match="appending needs that key in SCR_AUDIT_KEY"):
        AuditLog(path, key=None).record(case, triage(case, rulebook=BOOK))

    assert AuditLog(path, key=KEY).verify().records == 6


def test_a_key_given_later_seals_the_records_before_it(tmp_path: Path) -> None:
    path = tmp_path / "log.scrlog"
    make_log(path, None, count=3)
    make_log(path, KEY, count=2, seed=5)

    result = AuditLog(path, key=KEY).verify()
    rebuild_chain(path, edit_id=1)  # an unkeyed record is sealed through the first keyed one
    rebuilt = AuditLog(path, key=KEY).verify()

    assert (result.ok, result.keyed_from) == (True, 4)
    assert not rebuilt.ok
    assert rebuilt.first_bad == 4


def test_the_key_is_read_from_the_environment_and_a_weak_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(AUDIT_KEY_ENV, KEY.decode())
    path = tmp_path / "env.scrlog"
    make_log(path, "env")  # type: ignore[arg-type]
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
    monkeypatch.setenv(AUDIT_KEY_ENV, "short")

    with pytest.raises(AuditError, match="SCR_AUDIT_KEY is too short"):
        AuditLog(path).verify()
    assert stored["key_id"] == key_id(KEY)
    assert KEY.decode() not in path.read_bytes().decode("utf-8", "replace")  # never stored


def copy_v1_log(tmp_path: Path) -> Path:
    path = tmp_path / "old.scrlog"
    with gzip.open(V1_LOG) as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    return path


def test_a_log_written_by_version_1_opens_verifies_and_replays_as_before(tmp_path: Path) -> None:
    path = copy_v1_log(tmp_path)
    before = path.read_bytes()

    log = AuditLog(path, key=None)
    result = log.verify()
    report = log.replay()
    log.close()

    assert (result.ok, result.records) == (True, 3)
    assert result.head == "sha256:113d43a426e2b81df529cce9a1fbfb6d1236e0266adf4d42119c4d1f16503e08"
    assert report.summary.identical == 3
    assert [r.mac for r in AuditLog(path, key=None).records()] == [None, None, None]
    assert path.read_bytes() == before  # readers never upgrade it


def test_the_first_write_upgrades_a_version_1_log_and_keeps_every_hash(tmp_path: Path) -> None:
    path = copy_v1_log(tmp_path)
    old_hashes = [r.hash for r in AuditLog(path, key=None).records()]
    case = next(random_cases(1, 99))

    AuditLog(path, key=KEY).record(case, triage(case, rulebook=BOOK))
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    result = AuditLog(path, key=KEY).verify()

    assert meta["schema"] == LOG_SCHEMA
    assert meta["upgraded"].startswith("from scr-audit/1 at ")
    assert [r.hash for r in AuditLog(path, key=None).records()][:3] == old_hashes
    assert (result.ok, result.records, result.keyed_from) == (True, 4, 4)
