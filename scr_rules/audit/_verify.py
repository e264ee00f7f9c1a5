"""Verify an audit log: every rulebook against its digest, and the whole hash chain."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from scr_rules.audit._record import GENESIS, Record, record_from_row
from scr_rules.audit._store import Store
from scr_rules.law import rulebook_digest

MAX_PROBLEMS = 100  # enough to see the pattern of damage; the first bad record is named anyway


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
    """The outcome of checking a log: ok, or the problems found and the first bad record."""

    records: int
    rulebooks: int
    head: str | None
    problems: tuple[VerifyProblem, ...]
    problem_count: int
    anchor: str | None = None
    anchor_found: bool | None = None

    @property
    def ok(self) -> bool:
        """Say whether the chain, the rulebooks and the anchor (if any) all check out."""
        return self.problem_count == 0 and self.anchor_found is not False

    @property
    def first_bad(self) -> int | None:
        """Return the id of the first record found bad, if any."""
        ids = [p.record_id for p in self.problems if p.record_id is not None]
        return min(ids) if ids else None


@dataclass
class _Walk:
    problems: list[VerifyProblem] = field(default_factory=list)
    count: int = 0

    def add(self, record_id: int | None, message: str, rulebook: str | None = None) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(VerifyProblem(record_id, rulebook, message))


def verify_store(store: Store, anchor: str | None = None) -> VerifyResult:
    """Recompute every rulebook digest and every record hash, in chain order.

    Everything is read in one read transaction, so a writer appending meanwhile cannot
    make a healthy log look tampered with; SQLite's integrity check and the schema (only
    the objects scr creates) are checked first.
    """
    with store.read_snapshot():
        return _verify(store, anchor)


def _verify(store: Store, anchor: str | None) -> VerifyResult:
    walk = _Walk()
    for problem in store.integrity_problems():
        walk.add(None, f"the file is damaged: {problem}")
    for name in store.foreign_objects():
        walk.add(None, f"{name} was not created by scr: it could hide or alter records")
    good_books = _check_rulebooks(store, walk)
    expected, prev, records, anchor_found = 1, GENESIS, 0, False
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
            expected, prev = rid + 1, row[-1]
            continue
        _check_record(record, prev, good_books, walk)
        anchor_found = anchor_found or record.hash == anchor
        expected, prev = rid + 1, record.hash
    _check_head(store, walk, records, prev, expected - 1)
    return VerifyResult(
        records=records,
        rulebooks=len(good_books),
        head=prev if records else None,
        problems=tuple(walk.problems),
        problem_count=walk.count,
        anchor=anchor,
        anchor_found=None if anchor is None else anchor_found,
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
