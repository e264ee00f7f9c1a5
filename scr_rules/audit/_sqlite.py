"""SQLite plumbing for the audit log: URIs, private files, write and read transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from scr_rules.errors import AuditError


def _uri(path: Path, mode: str) -> str:
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it already exists."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        _make_private(path)
        return
    except OSError as exc:
        raise AuditError(f"{path}: cannot create the audit log: {exc.strerror}") from None
    os.close(fd)


def _make_private(path: Path) -> None:
    """Keep an existing log readable by its owner only: it holds case facts."""
    with contextlib.suppress(OSError):  # not ours to change (another owner): leave it
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (also KeyboardInterrupt)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")


class _Snapshot:
    """One read transaction: rows and meta read inside it come from the same commit."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")
        self._db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts here

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def now() -> str:
    """Return the current UTC time in ISO 8601 with microseconds and a Z."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
