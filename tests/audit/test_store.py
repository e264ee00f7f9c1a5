"""The audit log: what a record holds, and that every kind of tampering is caught."""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from scr_rules.audit import AuditLog, Record, pseudonym
from scr_rules.audit._record import GENESIS, record_from_row
from scr_rules.decide import triage
from scr_rules.errors import AuditError
from scr_rules.testing import random_cases
from tests._shared import BOOK

KEY = b"synthetic-test-key-0123456789"


def make_log(path: Path, count: int = 8, seed: int = 11) -> AuditLog:
    """Return a log holding ``count`` decisions on generated cases."""
    log = AuditLog(path)
    for index, case in enumerate(random_cases(count, seed)):
        human = ("initiated", "declined", None)[index % 3]
        log.record(case, triage(case, rulebook=BOOK), by="officer-1", human_decision=human)
    return log


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    return make_log(tmp_path / "decisions.scrlog")


def sql(log: AuditLog, statement: str, *args: object) -> None:
    """Change the database behind the library's back, as an intruder would."""
    log.close()
    with contextlib.closing(sqlite3.connect(log.path)) as db, db:
        db.execute(statement, args)


def row(log: AuditLog, record_id: int) -> Record:
    with contextlib.closing(sqlite3.connect(log.path)) as db, db:
        found = db.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
    return record_from_row(found)


def test_a_record_holds_the_case_the_decision_and_the_rules_it_was_made_under(
    tmp_path: Path,
) -> None:
    """A record carries the validated facts, the full decision and the rulebook digest."""
    case = next(random_cases(1, 5))
    decision = triage(case, rulebook=BOOK)

    record = AuditLog(tmp_path / "log").record(
        case, decision, by="officer-7", human_decision="declined", human_reason="below threshold"
    )

    assert record.id == 1
    assert record.prev_hash == GENESIS
    assert record.case == case.dump()
    assert record.decision == decision.model_dump(mode="json")
    assert record.rulebook == BOOK.digest == decision.rulebook
    assert record.settings == decision.settings
    assert (record.by, record.human_decision, record.human_reason) == (
        "officer-7",
        "declined",
        "below threshold",
    )
    assert record.recorded_at.endswith("Z")
    assert record.hash == record.computed_hash()


def test_records_chain_each_to_the_one_before(log: AuditLog) -> None:
    records = list(log.records())

    assert [r.id for r in records] == list(range(1, 9))
    assert records[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))


def test_each_rulebook_is_stored_once_and_still_hashes_to_its_digest(log: AuditLog) -> None:
    with contextlib.closing(sqlite3.connect(log.path)) as db, db:
        stored = db.execute("SELECT digest, canonical FROM rulebooks").fetchall()

    assert [digest for digest, _ in stored] == [BOOK.digest]
    assert json.loads(stored[0][1]) == BOOK.canonical


def test_the_log_and_its_wal_are_readable_by_their_owner_only(log: AuditLog) -> None:
    files = [log.path, *log.path.parent.glob(log.path.name + "-*")]

    assert len(files) >= 2  # the database and its write-ahead log
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}


def test_pseudonymised_records_hold_no_case_ref_and_link_the_same_case(tmp_path: Path) -> None:
    case = next(random_cases(1, 9))
    decision = triage(case, rulebook=BOOK)
    log = AuditLog(tmp_path / "log")

    first = log.record(case, decision, pseudonymise_key=KEY)
    second = log.record(case, decision, pseudonymise_key=KEY)
    other_key = log.record(case, decision, pseudonymise_key=b"another-synthetic-key-987654")

    assert first.case_ref == second.case_ref == pseudonym(case.case_ref, KEY)
    assert first.case_ref.startswith("hmac-sha256:")
    assert other_key.case_ref != first.case_ref
    raw = log.path.read_bytes() + Path(str(log.path) + "-wal").read_bytes()
    assert case.case_ref.encode() not in raw


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"human_decision": "maybe"}, "human_decision: 'maybe' is not one of"),
        ({"human_reason": "no decision given"}, "human_reason: given without a human_decision"),
        ({"human_decision": "declined", "human_reason": "two\nlines"}, "one line"),
        ({"by": "x" * 65}, "by: expected 1 to 64 characters"),
    ],
)
def test_an_invalid_entry_is_refused_and_nothing_is_written(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    case = next(random_cases(1, 3))
    log = AuditLog(tmp_path / "log")

    with pytest.raises(AuditError, match=message):
        log.record(case, triage(case, rulebook=BOOK), **options)  # type: ignore[arg-type]

    assert not log.path.exists()


def test_a_decision_for_another_case_is_refused(tmp_path: Path) -> None:
    first, second = random_cases(2, 3)

    with pytest.raises(AuditError, match="the decision is for 'SYN-0000000', not 'SYN-0000001'"):
        AuditLog(tmp_path / "log").record(second, triage(first, rulebook=BOOK))


def test_reading_a_missing_log_does_not_create_it(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "missing.scrlog")

    with pytest.raises(AuditError, match="no such audit log"):
        log.verify()
    assert not log.path.exists()


def test_a_file_that_is_not_an_audit_log_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just text\n" * 100)

    case = next(random_cases(1, 1))

    with pytest.raises(AuditError, match="not a readable audit log"):
        AuditLog(path).verify()
    with pytest.raises(AuditError, match="not a readable audit log"):
        AuditLog(path).record(case, triage(case, rulebook=BOOK))
    assert path.read_text() == "not a database, just text\n" * 100


def test_an_intact_log_verifies(log: AuditLog) -> None:
    result = log.verify()

    assert result.ok
    assert (result.records, result.rulebooks, result.first_bad) == (8, 1, None)
    assert result.head == list(log.records())[-1].hash


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("human_decision", "alternative_review"),
        ("by", "someone-else"),
        ("recorded_at", "2001-01-01T00:00:00.000000Z"),
        ("case_json", '{"case_ref":"SYN-0000003","facts":{},"schema":"scr-case/1"}'),
    ],
)
def test_an_edited_field_is_caught_at_its_record(log: AuditLog, column: str, value: str) -> None:
    sql(log, f"UPDATE records SET {column} = ? WHERE id = 4", value)  # noqa: S608

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 4
    assert "the record was edited" in str(result.problems[0])


def test_an_edited_outcome_is_caught(log: AuditLog) -> None:
    record = row(log, 5)
    decision = {
        **record.decision,
        "outcome": "not_required" if record.decision["outcome"] != "not_required" else "mandatory",
    }
    sql(log, "UPDATE records SET decision_json = ? WHERE id = 5", json.dumps(decision))

    assert log.verify().first_bad == 5


def test_a_deleted_record_is_caught_at_the_one_after_it(log: AuditLog) -> None:
    sql(log, "DELETE FROM records WHERE id = 4")

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 5
    assert "record 4 is missing (deleted)" in str(result.problems[0])


def test_a_record_deleted_from_the_end_is_caught(log: AuditLog) -> None:
    sql(log, "DELETE FROM records WHERE id = 8")

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 8
    assert "the chain ends at record 7" in str(result.problems[0])


def test_two_swapped_records_are_caught(log: AuditLog) -> None:
    """Swap everything but the ids of records 3 and 4: the order the chain fixed is broken."""
    sql(log, "UPDATE records SET id = -3 WHERE id = 3")
    sql(log, "UPDATE records SET id = 3 WHERE id = 4")
    sql(log, "UPDATE records SET id = 4 WHERE id = -3")

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 3


def test_a_forged_record_inserted_with_a_correct_hash_is_caught(log: AuditLog) -> None:
    """Even a forger who hashes the forged record correctly breaks the link to the next one."""
    third = row(log, 3)
    for rid in range(8, 3, -1):
        sql(log, "UPDATE records SET id = ? WHERE id = ?", rid + 1, rid)
    forged = replace(third, id=4, prev_hash=third.hash, human_decision="initiated", hash="")
    forged = replace(forged, hash=forged.computed_hash())
    _insert(log, forged)

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 5
    assert any("inserted" in str(p) for p in result.problems)


def test_a_forged_record_appended_at_the_end_is_caught(log: AuditLog) -> None:
    last = row(log, 8)
    forged = replace(last, id=9, prev_hash=last.hash, hash="")
    _insert(log, replace(forged, hash=forged.computed_hash()))

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 9


def test_an_altered_rulebook_is_caught_at_the_first_record_decided_under_it(
    log: AuditLog,
) -> None:
    sql(log, "UPDATE rulebooks SET canonical = replace(canonical, 'discretionary', 'mandatory')")

    result = log.verify()

    assert not result.ok
    assert result.first_bad == 1
    assert str(result.problems[0]) == (
        f"rulebook {BOOK.digest}: its stored content does not match its digest (altered)"
    )
    assert f"its rulebook {BOOK.digest} is altered" in str(result.problems[1])


def test_a_rewritten_chain_passes_alone_but_fails_against_an_anchor(log: AuditLog) -> None:
    """Whoever can rewrite every later hash can rewrite history; a noted head proves it."""
    anchor = log.verify().head
    records = list(log.records())
    log.close()
    sql(log, "DELETE FROM records")
    prev = GENESIS
    for record in records:
        forged = replace(record, prev_hash=prev, human_decision="initiated", hash="")
        forged = replace(forged, hash=forged.computed_hash())
        _insert(log, forged)
        prev = forged.hash
    sql(log, "UPDATE meta SET value = ? WHERE key = 'head'", prev)

    assert log.verify().ok
    result = log.verify(anchor=anchor)
    assert not result.ok
    assert result.anchor_found is False


def _insert(log: AuditLog, record: Record) -> None:
    values = (
        record.id,
        record.recorded_at,
        record.by,
        record.origin,
        record.case_ref,
        json.dumps(record.case, sort_keys=True, separators=(",", ":")),
        json.dumps(record.decision, sort_keys=True, separators=(",", ":")),
        record.rulebook,
        record.engine_version,
        json.dumps(record.settings, sort_keys=True, separators=(",", ":")),
        record.human_decision,
        record.human_reason,
        record.prev_hash,
        record.hash,
        record.mac,
    )
    sql(log, f"INSERT INTO records VALUES ({', '.join('?' * 15)})", *values)  # noqa: S608
