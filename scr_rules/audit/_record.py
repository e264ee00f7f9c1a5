"""The audit record: its fields, its canonical JSON and the hash that seals it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

from scr_rules.vocabulary import canonical_json, sha256

RECORD_SCHEMA = "scr-audit-record/1"
GENESIS = "sha256:" + "0" * 64  # the prev_hash of the first record
HumanDecision = Literal["initiated", "declined", "alternative_review"]  # what the board did
HUMAN_DECISIONS: tuple[HumanDecision, ...] = get_args(HumanDecision)
Origin = Literal["triage", "import"]
INTERVIEW_KEY = "interview"  # where case_json keeps an interview's answers (never a case field)


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
    # ``scr interview --record``: the answers given, [{fact, answer}] (facts only); stored in
    # the case column and hashed only when present, so older records keep their hashes
    interview: list[dict[str, Any]] | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Record(Entry):
    """One decision as the log holds it: an entry with its id, time and place in the chain.

    ``hash`` covers every other field (canonical JSON sorts the keys, so field order is free).
    """

    id: int
    recorded_at: str
    prev_hash: str
    hash: str
    mac: str | None = None  # HMAC of ``hash`` under the board's key (SCR_AUDIT_KEY), if keyed

    def content(self) -> dict[str, Any]:
        """Return the hashed content: every field but ``hash`` and ``mac``, with the schema."""
        # a shallow copy: dataclasses.asdict would deep-copy every case and decision
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _SEALS}
        if data[INTERVIEW_KEY] is None:
            del data[INTERVIEW_KEY]
        return {"schema": RECORD_SCHEMA, **data}

    def computed_hash(self) -> str:
        """Return the hash this record's content should carry."""
        return sha256(canonical_json(self.content()))

    def to_dict(self) -> dict[str, Any]:
        """Return the record as exported: its content, its hash and its HMAC (when keyed)."""
        sealed = {"hash": self.hash} if self.mac is None else {"hash": self.hash, "mac": self.mac}
        return {**self.content(), **sealed}


_SEALS = ("hash", "mac")  # what seals a record, and so is not part of what its hash covers


@dataclass(frozen=True)
class Appended:
    """What one append transaction added."""

    count: int
    first_id: int | None
    last_id: int | None


def repeat_key(case_json: str, human_decision: str | None) -> str:
    """Return what makes two records the same decision: the case as stored and the board's."""
    return sha256(f"{case_json}\x00{human_decision or ''}")


def stored_case(entry: Entry) -> dict[str, Any]:
    """Return what the case column holds: the case, and an interview's answers if any."""
    if entry.interview is None:
        return entry.case
    return {**entry.case, INTERVIEW_KEY: entry.interview}


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
        *sealed,
    ) = row
    mac = sealed[0] if sealed else None  # a log of schema scr-audit/1 has no mac column
    if not isinstance(rid, int) or isinstance(rid, bool):
        raise ValueError("id is not a whole number")
    for column, value in zip(
        _TEXT_COLUMNS, (at, origin, ref, book, version, prev, digest), strict=True
    ):
        if not isinstance(value, str):
            raise ValueError(f"{column} is not text")
    optional = (("by", by), ("human_decision", human), ("human_reason", why), ("mac", mac))
    for column, value in optional:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{column} is not text")
    case_data = _mapping(case, "case_json")
    interview = case_data.pop(INTERVIEW_KEY, None)
    if interview is not None and not isinstance(interview, list):
        raise ValueError("case_json holds an interview that is not a list")
    return Record(
        id=rid,
        recorded_at=at,
        by=by,
        origin=origin,
        case_ref=ref,
        case=case_data,
        interview=interview,
        decision=_mapping(decision, "decision_json"),
        rulebook=book,
        engine_version=version,
        settings=_mapping(settings, "settings_json"),
        human_decision=human,
        human_reason=why,
        prev_hash=prev,
        hash=digest,
        mac=mac,
    )
