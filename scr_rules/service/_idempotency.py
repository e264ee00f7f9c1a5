"""Idempotency-Key -> record id, in a SQLite file of its own beside the audit log.

The audit log refuses any table it did not create (a planted table could hide records), so
the keys live in ``LOG.idempotency``. A key belongs to one client (the token's name), and
is bound to a fingerprint of the request it first came with. The check, the write of the
record and the write of the key run under this file's write lock, so two requests with one
key (from any worker process) never write two records. If the process dies between the
record's commit and the key's, a retry records again: the log then shows both records.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scr_rules.service._problems import ProblemError

BUSY_TIMEOUT_S = 60.0
_TABLE = """
CREATE TABLE IF NOT EXISTS idempotency_keys (
    client TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    record_id INTEGER NOT NULL, PRIMARY KEY (client, key))
"""


@dataclass(frozen=True)
class Recorded:
    """The record a request is answered with, and whether an earlier request wrote it."""

    record_id: int
    repeated: bool


class IdempotencyKeys:
    """The keys of one audit log, each with the record its first request wrote."""

    def __init__(self, log: Path) -> None:
        self.path = log.with_name(log.name + ".idempotency")

    def create(self) -> None:
        """Create the keys file, readable by its owner only (it names clients)."""
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = self._connect()
        try:
            db.execute(_TABLE)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def once(self, client: str, key: str, fingerprint: str, write: Callable[[], int]) -> Recorded:
        """Return the record of ``key``, calling ``write`` only if the key is new."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")  # the lock is held until the key is stored
            try:
                row = db.execute(
                    "SELECT fingerprint, record_id FROM idempotency_keys "
                    "WHERE client = ? AND key = ?",
                    (client, key),
                ).fetchone()
                if row is not None:
                    if row[0] != fingerprint:
                        raise ProblemError(
                            422,
                            "idempotency_key",
                            "this Idempotency-Key was used for a different request; "
                            "expected a new key for a new record",
                        )
                    db.execute("ROLLBACK")
                    return Recorded(int(row[1]), repeated=True)
                record_id = write()
                db.execute(
                    "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?)",
                    (client, key, fingerprint, record_id),
                )
                db.execute("COMMIT")
                return Recorded(record_id, repeated=False)
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            db.close()
