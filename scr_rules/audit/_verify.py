"""Verify an audit log: every rulebook against its digest, the hash chain, and its keyed seals.

An anchor (a head noted at an earlier audit) is the full ``sha256:`` hash or a unique prefix
of at least 12 hex digits. With the board's key every record from the first keyed one must
carry a valid HMAC, and the log's end (count and head) must be sealed too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from scr_rules.audit._keyed import AUDIT_KEY_ENV, head_mac, key_id, record_mac, same_mac
from scr_rules.audit._record import GENESIS, Record, record_from_row
from scr_rules.audit._schema import HASH_INDEX
from scr_rules.audit._store import Store
from scr_rules.errors import UsageError
from scr_rules.law import rulebook_digest

MAX_PROBLEMS = 100  # enough to see the pattern of damage; the first bad record is named anyway
MIN_ANCHOR_DIGITS = 12  # 48 bits: no two records of a log share them except on purpose
HASH_PREFIX = "sha256:"
_HEX = re.compile(r"[0-9a-f]{12,64}")
ANCHOR_FORM = f"{HASH_PREFIX} and 64 hex digits, or its first {MIN_ANCHOR_DIGITS} or more"


def parse_anchor(text: str) -> str:
    """Return the hex digits of an anchor (``sha256:`` optional); raise UsageError if malformed."""
    digits = text.strip().lower().removeprefix(HASH_PREFIX)
    if not _HEX.fullmatch(digits):
        raise UsageError(
            f"--anchor {text!r} is not a record hash; expected {ANCHOR_FORM} "
            "(as 'scr audit verify' prints the head)"
        )
    return digits


@dataclass(frozen=True)
class VerifyProblem:
    """One thing wrong with the log: where (a record id, a rulebook digest or both) and what."""

    record_id: int | None
    rulebook: str | None
    message: str

    def __str__(self) -> str:
        where = f"record {self.record_id}" if self.record_id is not None else ""
        if self.rulebook is not None and self.record_id is None:
            where = f"rulebook {self.rulebook}"
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking a log: ok, or the problems found and the first bad record.

    ``anchor_records`` holds the ids whose hash the anchor names (two or more: ambiguous);
    ``key_checked`` says whether the board's key was given, ``keyed_from`` is the first
    record carrying an HMAC (every record before it is sealed by it through the chain).
    """

    records: int
    rulebooks: int
    head: str | None
    problems: tuple[VerifyProblem, ...]
    problem_count: int
    anchor: str | None = None
    anchor_found: bool | None = None
    anchor_records: tuple[int, ...] = ()
    key_checked: bool = False
    keyed_from: int | None = None

    @property
    def ok(self) -> bool:
        """Say whether the chain, the rulebooks and the anchor (if any) all check out."""
        return self.problem_count == 0 and self.anchor_found is not False

    @property
    def anchor_ambiguous(self) -> bool:
        """Say whether the anchor's digits name more than one record (give more digits)."""
        return len(self.anchor_records) > 1

    @property
    def first_bad(self) -> int | None:
        """Return the id of the first record found bad, if any."""
        ids = [p.record_id for p in self.problems if p.record_id is not None]
        return min(ids) if ids else None


@dataclass
class _Walk:
    problems: list[VerifyProblem] = field(default_factory=list)
    count: int = 0
    anchor_records: list[int] = field(default_factory=list)
    keyed_from: int | None = None

    def add(self, record_id: int | None, message: str, rulebook: str | None = None) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(VerifyProblem(record_id, rulebook, message))


def verify_store(store: Store, anchor: str | None = None, key: bytes | None = None) -> VerifyResult:
    """Recompute every rulebook digest and every record hash (and HMAC), in chain order.

    Everything is read in one read transaction, so a writer appending meanwhile cannot
    make a healthy log look tampered with; SQLite's integrity check and the schema (only
    the objects scr creates) are checked first.
    """
    with store.read_snapshot():
        return verify_in_snapshot(store, anchor, key)


def verify_in_snapshot(
    store: Store, anchor: str | None = None, key: bytes | None = None
) -> VerifyResult:
    """Verify inside a read snapshot the caller holds (to read more in the same one)."""
    digits = None if anchor is None else parse_anchor(anchor)
    walk = _Walk()
    for problem in store.integrity_problems():
        walk.add(None, f"the file is damaged: {problem}")
    for name in store.foreign_objects():
        walk.add(None, f"{name} was not created by scr: it could hide or alter records")
    good_books = _check_rulebooks(store, walk)
    key = _usable_key(store, key, walk)
    expected, prev, records = 1, GENESIS, 0
    for row in store.rows():
        records += 1
        rid = row[0]
        if rid != expected:
            missing = f"{expected}" if rid == expected + 1 else f"{expected}..{rid - 1}"
            walk.add(rid, f"follows record {expected - 1}: record {missing} is missing (deleted)")
        try:
            record = record_from_row(row)
        except (ValueError, TypeError) as exc:
            walk.add(rid, f"its stored JSON is unreadable ({exc}): the record was edited")
            expected, prev = rid + 1, row[HASH_INDEX]
            continue
        _check_record(record, prev, good_books, walk)
        if key is not None:
            _check_mac(record, key, walk)
        if record.mac is not None and walk.keyed_from is None:
            walk.keyed_from = record.id
        if digits is not None and record.hash.startswith(HASH_PREFIX + digits):
            walk.anchor_records.append(record.id)
        expected, prev = rid + 1, record.hash
    _check_head(store, walk, records, prev, expected - 1)
    if key is not None:
        _check_sealed_end(store, key, walk, records)
    return VerifyResult(
        records=records,
        rulebooks=len(good_books),
        head=prev if records else None,
        problems=tuple(walk.problems),
        problem_count=walk.count,
        anchor=anchor,
        anchor_found=None if anchor is None else bool(walk.anchor_records),
        anchor_records=tuple(walk.anchor_records),
        key_checked=key is not None,
        keyed_from=walk.keyed_from,
    )


def _usable_key(store: Store, key: bytes | None, walk: _Walk) -> bytes | None:
    """Return the key to check HMACs with, or None (with a problem) when it is another key."""
    stored = store.meta().get("key_id")
    if key is None or stored is None or stored == key_id(key):
        return key
    walk.add(
        None,
        f"{AUDIT_KEY_ENV} is not the key this log is keyed with (its key id differs): it is "
        "another key, or the log was re-keyed without the board's key; no HMAC was checked",
    )
    return None


def _check_mac(record: Record, key: bytes, walk: _Walk) -> None:
    """Check a record's HMAC; once one record is keyed, every later one must be."""
    if record.mac is None:
        if walk.keyed_from is not None:
            walk.add(
                record.id,
                f"it has no HMAC, though record {walk.keyed_from} before it has: it was "
                "written without the board's key, or its HMAC was removed",
            )
        return
    if not same_mac(record_mac(key, record.hash), record.mac):
        walk.add(
            record.id,
            "its HMAC does not match its hash under the board's key: the record was "
            "rewritten (and re-hashed) without the key",
        )


def _check_sealed_end(store: Store, key: bytes, walk: _Walk, records: int) -> None:
    """Check the HMAC of the log's end, which makes deleting the newest records evident."""
    if not records:
        return
    if walk.keyed_from is None:
        walk.add(
            None,
            f"no record carries an HMAC, though {AUDIT_KEY_ENV} was given: the log was never "
            "keyed, or its HMACs were stripped (the whole chain may have been rebuilt)",
        )
        return
    meta = store.meta()
    if not same_mac(
        head_mac(key, meta.get("count", ""), meta.get("head", "")), meta.get("head_mac")
    ):
        walk.add(
            None,
            "the log's end (its count and head) is not sealed by the board's key: records "
            "were deleted from, or added to, the end without the key",
        )


def _check_record(record: Record, prev: str, good_books: dict[str, bool], walk: _Walk) -> None:
    """Check one record's link to the one before, its own hash and its rulebook."""
    if record.prev_hash != prev:
        walk.add(
            record.id,
            "prev_hash does not match the hash of the record before it: a record was "
            "deleted, inserted or reordered, or the one before was rewritten",
        )
    if record.computed_hash() != record.hash:
        walk.add(record.id, "its content does not match its hash: the record was edited")
    if good_books.get(record.rulebook) is not True:
        state = "altered" if record.rulebook in good_books else "missing"
        walk.add(record.id, f"its rulebook {record.rulebook} is {state}", record.rulebook)
    elif record.decision.get("rulebook") != record.rulebook:
        walk.add(record.id, "the decision names a different rulebook from the record")


def _check_rulebooks(store: Store, walk: _Walk) -> dict[str, bool]:
    """Return digest -> whether the stored content still hashes to it."""
    result: dict[str, bool] = {}
    for digest, text in store.rulebooks():
        try:
            ok = rulebook_digest(json.loads(text)) == digest
        except ValueError:
            ok = False
        result[digest] = ok
        if not ok:
            walk.add(None, "its stored content does not match its digest (altered)", digest)
    return result


def _check_head(store: Store, walk: _Walk, records: int, head: str, last_id: int) -> None:
    """Compare the chain's end with the count and head each append writes to ``meta``."""
    meta = store.meta()
    count, recorded_head = meta.get("count", ""), meta.get("head")
    if count == str(last_id) and recorded_head == (head if records else GENESIS):
        return
    claimed = int(count) if count.isdigit() else None
    if claimed is None or claimed == last_id:
        where: int | None = last_id or None  # the last record was rewritten
    else:
        where = min(claimed, last_id) + 1  # the first record deleted from, or added to, the end
    walk.add(
        where,
        f"the chain ends at record {last_id} ({records} records), but the log's head says "
        f"{count or '?'} records ending {recorded_head}: records were deleted from, added to "
        "or rewritten at the end",
    )
