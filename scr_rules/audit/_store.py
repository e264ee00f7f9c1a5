"""The audit log's storage: one SQLite file holding the hash-chained records and rulebooks.

Each append is one ``BEGIN IMMEDIATE`` transaction: the write lock is taken before the
chain's tail is read, so concurrent writers serialise and never fork the chain. WAL with
``synchronous=FULL`` makes a committed record durable; a process killed mid-write leaves
an uncommitted transaction that SQLite rolls back on the next open.

With the board's key (``_keyed``) each record also gets its HMAC, and the log's end an HMAC
of its count and head; a writer checks that end before it appends, so it never extends a
chain that was cut or rebuilt without the key. The tables and columns are in ``_schema``.

Its size (about 330 lines) is every statement that touches the file, kept in one place so
that a change to the file format is one change.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scr_rules.audit._keyed import check_sealed_end, head_mac, key_id, record_mac
from scr_rules.audit._record import (
    GENESIS,
    Appended,
    Entry,
    Record,
    record_from_row,
    repeat_key,
    shallow,
    stored_case,
)
from scr_rules.audit._schema import (
    INSERT_RECORD,
    LISTING,
    LOG_SCHEMA,
    OWN_OBJECTS,
    READABLE_SCHEMAS,
    SCHEMA_V1,
    TABLES,
    UPGRADE_FROM_V1,
    UPSERT_META,
    expected_columns,
    select_columns,
)
from scr_rules.audit._sqlite import (
    _create_private,
    _Snapshot,
    _Transaction,
    _uri,
    now,
)
from scr_rules.errors import AuditError
from scr_rules.vocabulary import canonical_json

BUSY_TIMEOUT_S = 60.0  # a writer waits this long for another writer's transaction


class Store:
    """An open audit log file."""

    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = path
        self.schema = LOG_SCHEMA
        if create:
            _create_private(path)
        elif not path.exists():
            raise AuditError(f"{path}: no such audit log")
        elif not path.is_file():
            raise AuditError(f"{path}: not an audit log (not a regular file)")
        self._db = self._connect(create) if create else self._connect_read_only()

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open for reading only: verify, show, export and replay need no write access.

        A read-only copy in a read-only folder cannot get its WAL index: it is then read as
        immutable (safe for a copy no writer touches).
        """
        try:
            return self._attempt("ro", create=False)
        except sqlite3.OperationalError:
            pass
        try:
            return self._attempt("ro&immutable=1", create=False)
        except sqlite3.OperationalError as exc:
            raise AuditError(f"{self.path}: cannot open the audit log ({exc})") from None

    def _connect(self, create: bool) -> sqlite3.Connection:
        """Open the database, retrying while another process switches it to WAL."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return self._attempt("rw", create)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise AuditError(f"{self.path}: cannot open the audit log ({exc})") from None
                time.sleep(0.01)

    def _attempt(self, mode: str, create: bool) -> sqlite3.Connection:
        """Open once and check the schema; OperationalError is left to the caller to retry."""
        db = sqlite3.connect(
            _uri(self.path, mode), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
        )
        try:
            if mode == "rw":
                # the journal-mode switch can report "locked" at once, without waiting
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.execute("PRAGMA foreign_keys=ON")
            self._db = db
            self._init_schema(create)
            return db
        except sqlite3.OperationalError:
            db.close()
            raise
        except (sqlite3.Error, UnicodeError) as exc:
            db.close()
            raise AuditError(f"{self.path}: not a readable audit log ({exc})") from None
        except AuditError:
            db.close()
            raise

    def _init_schema(self, create: bool) -> None:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            if not create or tables:
                raise AuditError(f"{self.path}: not an audit log (no scr-audit tables)")
            with self.transaction():
                for statement in filter(str.strip, TABLES.split(";")):
                    self._db.execute(statement)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('count', '0'), ('head', ?)",
                    (LOG_SCHEMA, GENESIS),
                )
        schema = self.meta().get("schema")
        if schema not in READABLE_SCHEMAS:
            expected = " or ".join(repr(s) for s in READABLE_SCHEMAS)
            raise AuditError(f"{self.path}: audit log schema {schema!r}; expected {expected}")
        self.schema = schema
        self._check_columns()
        foreign = self.foreign_objects()
        if foreign:
            raise AuditError(
                f"{self.path}: the log holds schema objects scr did not create "
                f"({', '.join(foreign)}): a trigger or view can hide or alter records; "
                "expected only the tables meta, rulebooks and records"
            )
        if create and schema == SCHEMA_V1:
            self._upgrade()

    def _upgrade(self) -> None:
        """Upgrade a version 1 log for writing: add the mac column (see ``_schema``)."""
        with self.transaction():
            if self.meta().get("schema") == SCHEMA_V1:  # another writer may have done it
                self._db.execute(UPGRADE_FROM_V1)
                note = ("upgraded", f"from {SCHEMA_V1} at {now()}")
                self._written(UPSERT_META, ("schema", LOG_SCHEMA), "the schema")
                self._written(UPSERT_META, note, "the upgrade note")
        self.schema = LOG_SCHEMA

    def _check_columns(self) -> None:
        """Refuse a log whose tables were dropped or altered: reading it would fail later."""
        for table, wanted in expected_columns(self.schema).items():
            found = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
            if found != wanted:
                lacking = [c for c in wanted if c not in found] or ["its columns in order"]
                raise AuditError(
                    f"{self.path}: not an audit log scr can read: table {table} "
                    f"{'is missing' if not found else 'lacks ' + ', '.join(lacking)}"
                )

    def foreign_objects(self) -> list[str]:
        """Return every table, index, trigger or view in the file that scr did not create."""
        found = self._db.execute("SELECT type, name FROM sqlite_master").fetchall()
        return sorted(f"{kind} {name}" for kind, name in found if (kind, name) not in OWN_OBJECTS)

    def integrity_problems(self) -> list[str]:
        """Return what SQLite's own integrity check finds wrong with the file (none: [])."""
        try:
            rows = [str(row[0]) for row in self._db.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def read_snapshot(self) -> _Snapshot:
        """Return a context manager in which every read sees one state of the log."""
        return _Snapshot(self._db)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __del__(self) -> None:
        # AuditLog opens its store lazily, so a caller may never close it: close it here
        # rather than leave the connection to the finaliser (a ResourceWarning on 3.13).
        db = getattr(self, "_db", None)
        if db is not None:
            with contextlib.suppress(Exception):
                db.close()

    def transaction(self) -> _Transaction:
        """Return a context manager for one write transaction (BEGIN IMMEDIATE)."""
        return _Transaction(self._db)

    def meta(self) -> dict[str, str]:
        """Return the log's metadata (schema, count, head)."""
        try:
            return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}
        except sqlite3.DatabaseError as exc:
            raise AuditError(f"{self.path}: the file is damaged ({exc})") from None

    def append(
        self, entries: Iterable[Entry], canonical_of: dict[str, Any], key: bytes | None = None
    ) -> Appended:
        """Append every entry in one transaction; nothing is written unless all are.

        ``canonical_of`` maps each rulebook digest to its canonical form, stored once; with
        ``key`` every record gets its HMAC, and the log's end is checked and sealed.
        """
        with self.transaction():
            last = self._db.execute(
                "SELECT id, hash, mac FROM records ORDER BY id DESC LIMIT 1"
            ).fetchone()
            check_sealed_end(self.path, self.meta(), key, last[2] if last else None)
            next_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            first, stored = next_id, set[str]()
            for entry in entries:
                if entry.rulebook not in stored:
                    self._store_rulebook(entry.rulebook, canonical_of[entry.rulebook])
                    stored.add(entry.rulebook)
                prev = self._insert(next_id, entry, prev, key)
                next_id += 1
            count = next_id - first
            if count:
                total = str(next_id - 1)
                self._written("UPDATE meta SET value = ? WHERE key = 'count'", (total,), "count")
                self._written("UPDATE meta SET value = ? WHERE key = 'head'", (prev,), "head")
                if key is not None:
                    self._written(UPSERT_META, ("key_id", key_id(key)), "the key id")
                    self._written(UPSERT_META, ("head_mac", head_mac(key, total, prev)), "head")
        return Appended(count, first if count else None, next_id - 1 if count else None)

    def _store_rulebook(self, digest: str, canonical: Any) -> None:
        if self._db.execute("SELECT 1 FROM rulebooks WHERE digest = ?", (digest,)).fetchone():
            return
        self._written(
            "INSERT INTO rulebooks VALUES (?, ?, ?)",
            (digest, canonical_json(canonical), now()),
            f"rulebook {digest}",
        )

    def _insert(self, rid: int, entry: Entry, prev: str, key: bytes | None) -> str:
        record = Record(id=rid, recorded_at=now(), prev_hash=prev, hash="", **shallow(entry))
        digest = record.computed_hash()
        self._written(
            INSERT_RECORD,
            (
                rid,
                record.recorded_at,
                entry.by,
                entry.origin,
                entry.case_ref,
                canonical_json(stored_case(entry)),
                canonical_json(entry.decision),
                entry.rulebook,
                entry.engine_version,
                canonical_json(entry.settings),
                entry.human_decision,
                entry.human_reason,
                prev,
                digest,
                None if key is None else record_mac(key, digest),
            ),
            f"record {rid}",
        )
        return digest

    def _written(self, statement: str, values: tuple[Any, ...], what: str) -> None:
        """Run one write and check it wrote exactly one row (a planted trigger cannot hide it)."""
        cursor = self._db.execute(statement, values)
        if cursor.rowcount != 1:
            raise AuditError(
                f"{self.path}: the log did not store {what} (wrote {cursor.rowcount} rows); "
                "nothing was recorded"
            )

    def rows(self, record_id: int | None = None) -> Iterator[tuple[Any, ...]]:
        """Yield the raw rows of the records table in chain order (streamed, not loaded)."""
        query = f"SELECT {select_columns(self.schema)} FROM records"  # noqa: S608 - constant
        try:
            if record_id is None:
                yield from self._db.cursor().execute(query + " ORDER BY id")
            else:
                yield from self._db.cursor().execute(query + " WHERE id = ?", (record_id,))
        except (sqlite3.DatabaseError, OverflowError) as exc:
            raise AuditError(f"{self.path}: the file is damaged ({exc})") from None

    def records(self, record_id: int | None = None) -> Iterator[Record]:
        """Yield the records in chain order; raise AuditError on an unreadable row."""
        for row in self.rows(record_id):
            try:
                yield record_from_row(row)
            except (ValueError, TypeError) as exc:
                raise AuditError(f"{self.path}: record {row[0]} is unreadable ({exc})") from None

    def listing(self) -> Iterator[tuple[Any, ...]]:
        """Yield what the listing shows of each record, read by SQLite without parsing in Python.

        (id, recorded_at, case_ref, regime, decision_date, outcome, human_decision, rulebook, by)
        """
        try:
            yield from self._db.cursor().execute(LISTING)
        except (sqlite3.DatabaseError, OverflowError) as exc:
            raise AuditError(f"{self.path}: the file is damaged ({exc})") from None

    def repeat_keys(self) -> set[str]:
        """Return the identity (``repeat_key``) of every record: case and board decision."""
        query = "SELECT case_json, human_decision FROM records"
        try:
            return {repeat_key(str(c), h) for c, h in self._db.execute(query)}
        except sqlite3.DatabaseError as exc:
            raise AuditError(f"{self.path}: the file is damaged ({exc})") from None

    def rulebooks(self) -> Iterator[tuple[str, str]]:
        """Yield (digest, canonical JSON text) of every stored rulebook."""
        try:
            yield from self._db.cursor().execute("SELECT digest, canonical FROM rulebooks")
        except sqlite3.DatabaseError as exc:
            raise AuditError(f"{self.path}: the file is damaged ({exc})") from None

    def rulebook_text(self, digest: str) -> str | None:
        """Return a stored rulebook's canonical JSON text, or None."""
        row = self._db.execute("SELECT canonical FROM rulebooks WHERE digest = ?", (digest,))
        found = row.fetchone()
        return None if found is None else str(found[0])
