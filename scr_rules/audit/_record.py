"""The audit record: its fields, its canonical JSON and the hash that seals it."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from scr_rules.vocabulary import canonical_json, sha256

RECORD_SCHEMA = "scr-audit-record/1"
GENESIS = "sha256:" + "0" * 64  # the prev_hash of the first record
HumanDecision = Literal["initiated", "declined", "alternative_review"]  # what the board did
HUMAN_DECISIONS: tuple[HumanDecision, ...] = get_args(HumanDecision)
Origin = Literal["triage", "import"]


@dataclass(frozen=True)
class Entry:
    """A record's content before the log gives it an id, a time and its place in the chain."""

    by: str | None
    origin: Origin
    case_ref: str
    case: dict[str, Any]
    decision: dict[str, Any]
    rulebook: str
    engine_version: str
    settings: dict[str, bool | str]
    human_decision: HumanDecision | None
    human_reason: str | None


@dataclass(frozen=True)
class Record(Entry):
    """One decision as the log holds it: an entry with its id, time and place in the chain.

    ``hash`` covers every other field (canonical JSON sorts the keys, so field order is free).
    """

    id: int
    recorded_at: str
    prev_hash: str
    hash: str

    def content(self) -> dict[str, Any]:
        """Return the hashed content: every field but ``hash``, with the record schema."""
        # a shallow copy: dataclasses.asdict would deep-copy every case and decision
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "hash"}
        return {"schema": RECORD_SCHEMA, **data}

    def computed_hash(self) -> str:
        """Return the hash this record's content should carry."""
        return sha256(canonical_json(self.content()))

    def to_dict(self) -> dict[str, Any]:
        """Return the record as exported: its content and its hash."""
        return {**self.content(), "hash": self.hash}


@dataclass(frozen=True)
class Appended:
    """What one append transaction added."""

    count: int
    first_id: int | None
    last_id: int | None


def shallow(entry: Entry) -> dict[str, Any]:
    """Return an entry's fields as a dict, without copying the case or decision."""
    return {f.name: getattr(entry, f.name) for f in fields(entry)}


_TEXT_COLUMNS = (
    "recorded_at",
    "origin",
    "case_ref",
    "rulebook",
    "engine_version",
    "prev_hash",
    "hash",
)


def _mapping(text: Any, column: str) -> dict[str, Any]:
    """Parse a stored JSON object; anything else (a list, a bomb of nesting) is ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"{column} is not text")
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"{column} is nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError(f"{column} is not a JSON object")
    return value


def record_from_row(row: tuple[Any, ...]) -> Record:
    """Build a Record from a row of the records table; raise ValueError if unreadable."""
    (
        rid,
        at,
        by,
        origin,
        ref,
        case,
        decision,
        book,
        version,
        settings,
        human,
        why,
        prev,
        digest,
    ) = row
    if not isinstance(rid, int) or isinstance(rid, bool):
        raise ValueError("id is not a whole number")
    for column, value in zip(
        _TEXT_COLUMNS, (at, origin, ref, book, version, prev, digest), strict=True
    ):
        if not isinstance(value, str):
            raise ValueError(f"{column} is not text")
    for column, value in (("by", by), ("human_decision", human), ("human_reason", why)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{column} is not text")
    return Record(
        id=rid,
        recorded_at=at,
        by=by,
        origin=origin,
        case_ref=ref,
        case=_mapping(case, "case_json"),
        decision=_mapping(decision, "decision_json"),
        rulebook=book,
        engine_version=version,
        settings=_mapping(settings, "settings_json"),
        human_decision=human,
        human_reason=why,
        prev_hash=prev,
        hash=digest,
    )
