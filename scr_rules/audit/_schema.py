"""The audit log's file format: its tables, their columns, and the upgrade from version 1.

``scr-audit/2`` adds one nullable column, ``records.mac`` (the record's HMAC under the
board's key, see ``_keyed``); nothing a record's hash covers changes. A version 1 log is read
as it is (its records have no MAC) and upgraded by the first write of this version: one
``ALTER TABLE ... ADD COLUMN`` and the new schema name, in the write's own transaction, with
a ``meta`` row saying when it was upgraded.
"""

from __future__ import annotations

LOG_SCHEMA = "scr-audit/2"
SCHEMA_V1 = "scr-audit/1"
READABLE_SCHEMAS = (SCHEMA_V1, LOG_SCHEMA)

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rulebooks (
    digest TEXT PRIMARY KEY, canonical TEXT NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, by TEXT, origin TEXT NOT NULL,
    case_ref TEXT NOT NULL, case_json TEXT NOT NULL, decision_json TEXT NOT NULL,
    rulebook TEXT NOT NULL REFERENCES rulebooks(digest), engine_version TEXT NOT NULL,
    settings_json TEXT NOT NULL, human_decision TEXT, human_reason TEXT,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT);
"""
UPGRADE_FROM_V1 = "ALTER TABLE records ADD COLUMN mac TEXT"

OWN_OBJECTS = {
    ("table", "meta"),
    ("table", "rulebooks"),
    ("table", "records"),
    ("index", "sqlite_autoindex_meta_1"),
    ("index", "sqlite_autoindex_rulebooks_1"),
}
RECORD_COLUMNS_V1 = [
    "id",
    "recorded_at",
    "by",
    "origin",
    "case_ref",
    "case_json",
    "decision_json",
    "rulebook",
    "engine_version",
    "settings_json",
    "human_decision",
    "human_reason",
    "prev_hash",
    "hash",
]
RECORD_COLUMNS = [*RECORD_COLUMNS_V1, "mac"]
HASH_INDEX = RECORD_COLUMNS.index("hash")  # where a raw row holds the record's hash


def expected_columns(schema: str) -> dict[str, list[str]]:
    """Return each table's columns, in order, as a log of ``schema`` holds them."""
    records = RECORD_COLUMNS_V1 if schema == SCHEMA_V1 else RECORD_COLUMNS
    return {
        "meta": ["key", "value"],
        "rulebooks": ["digest", "canonical", "stored_at"],
        "records": records,
    }


def select_columns(schema: str) -> str:
    """Return the column list that reads a record row, the same shape for every version."""
    columns = RECORD_COLUMNS_V1 if schema == SCHEMA_V1 else RECORD_COLUMNS
    listed = ", ".join(columns)
    return listed + ", NULL AS mac" if schema == SCHEMA_V1 else listed


INSERT_RECORD = (
    f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) "  # noqa: S608 - constant columns
    f"VALUES ({', '.join('?' * len(RECORD_COLUMNS))})"
)
UPSERT_META = "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
LISTING = (  # what ``scr audit show`` lists, read by SQLite without parsing in Python
    "SELECT id, recorded_at, case_ref, json_extract(decision_json, '$.regime'), "
    "json_extract(decision_json, '$.decision_date'), json_extract(decision_json, '$.outcome'), "
    "human_decision, rulebook, by FROM records ORDER BY id"
)
