"""Replay recorded decisions under the recorded, the current or another set of rules.

A row that cannot be read as a record is counted and listed as unreadable, and the replay
goes on with the next. Each record with a board decision is set beside the replayed outcome
(``_agreement``), so the report can name every disagreement.

What changed in a divergent record is worked out in ``_changes``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scr_rules.audit._agreement import Assessment, assess, met_rules
from scr_rules.audit._changes import RuleChange, differences, rule_changes
from scr_rules.audit._record import Record, record_from_row
from scr_rules.audit._store import Store
from scr_rules.case import case_from_document
from scr_rules.decide import Decision, triage
from scr_rules.engine import DEFAULT_EVALUATOR
from scr_rules.errors import AuditError, ScrRulesError
from scr_rules.law import RuleBook, load_rulebook, rulebook_digest, rulebook_from_canonical
from scr_rules.vocabulary import parse_iso_date

_OUTSIDE_NOTE = re.compile(r"(?P<source>\S+) (?P<day>\d{4}-\d{2}-\d{2}) lies outside it")


@dataclass(frozen=True)
class RecordReplay:
    """One record replayed: identical means the same outcome and the same met rules."""

    record_id: int
    case_ref: str
    recorded_outcome: str
    replayed_outcome: str | None
    recorded_rules: tuple[str, ...]
    replayed_rules: tuple[str, ...]
    identical: bool
    exact: bool
    changes: tuple[RuleChange, ...] = ()
    differences: tuple[str, ...] = ()
    human_decision: str | None = None
    error: str | None = None
    assessment: Assessment | None = None  # the board's decision beside the replayed outcome
    unreadable: bool = False  # the row could not be read as a record (see ``error``)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data."""
        return asdict(self)


@dataclass
class ReplaySummary:
    """Agreement counts, the recorded-by-replayed confusion matrix and engine-vs-human."""

    total: int = 0
    identical: int = 0
    divergent: int = 0
    errors: int = 0
    exact: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    human: Counter[tuple[str, str]] = field(default_factory=Counter)
    human_agreement: Counter[str] = field(default_factory=Counter)
    unreadable: int = 0
    # every disagreement and unassessable record (kept: an auditor asks for each of them)
    disagreements: list[Assessment] = field(default_factory=list)
    not_assessable: list[Assessment] = field(default_factory=list)
    unreadable_records: list[tuple[int, str]] = field(default_factory=list)

    def add(self, result: RecordReplay) -> None:
        """Count one replayed record."""
        self.total += 1
        self.identical += result.identical
        self.divergent += not result.identical
        self.errors += result.error is not None
        self.exact += result.exact
        if result.unreadable:
            self.unreadable += 1
            self.unreadable_records.append((result.record_id, result.error or ""))
            return
        replayed = result.replayed_outcome or "error"
        self.confusion[(result.recorded_outcome, replayed)] += 1
        found = result.assessment
        if result.human_decision is not None and found is not None:
            self.human[(replayed, result.human_decision)] += 1
            self.human_agreement[found.agreement] += 1
            if found.agreement == "disagrees":
                self.disagreements.append(found)
            elif found.agreement == "not_assessable":
                self.not_assessable.append(found)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data (matrices as lists of rows)."""
        return {
            "total": self.total,
            "identical": self.identical,
            "divergent": self.divergent,
            "errors": self.errors,
            "unreadable": self.unreadable,
            "exact": self.exact,
            "confusion": [
                {"recorded": a, "replayed": b, "count": n}
                for (a, b), n in sorted(self.confusion.items())
            ],
            "human": [
                {"engine": a, "human": b, "count": n} for (a, b), n in sorted(self.human.items())
            ],
            "human_agreement": dict(sorted(self.human_agreement.items())),
        }


@dataclass(frozen=True)
class ReplayReport:
    """The summary of a replay and the records it kept (the divergent ones by default)."""

    rules: str
    summary: ReplaySummary
    records: tuple[RecordReplay, ...]

    @property
    def all_agree(self) -> bool:
        """Say whether every replayed record is identical."""
        return self.summary.divergent == 0


class Rulebooks:
    """The rules to replay under: each record's stored rulebook, the current one or a directory."""

    def __init__(self, store: Store, rules: str | Path) -> None:
        """Take the rules choice; a rules directory (or the bundled rules) is loaded now."""
        self._store = store
        self._cache: dict[str, RuleBook | str] = {}
        self.fixed: RuleBook | None = None
        if str(rules) == "recorded":
            self.label = "recorded"
        elif str(rules) == "current":
            self.label, self.fixed = "current", load_rulebook()
        else:
            self.label, self.fixed = str(rules), load_rulebook(Path(rules))

    def for_record(self, digest: str) -> RuleBook:
        """Return the rulebook to replay a record decided under ``digest``."""
        if self.fixed is not None:
            return self.fixed
        if digest not in self._cache:
            self._cache[digest] = self._load_recorded(digest)
        found = self._cache[digest]
        if isinstance(found, str):
            raise AuditError(found)
        return found

    def _load_recorded(self, digest: str) -> RuleBook | str:
        text = self._store.rulebook_text(digest)
        if text is None:
            return f"the recorded rulebook {digest} is missing from the log"
        try:
            canonical = json.loads(text)
            if rulebook_digest(canonical) != digest:
                return f"the recorded rulebook {digest} does not match its digest (altered)"
            return rulebook_from_canonical(canonical, f"recorded rulebook {digest[:19]}")
        except (ValueError, ScrRulesError) as exc:
            return f"the recorded rulebook {digest} cannot be loaded: {exc}"


def iter_replay(
    store: Store, books: Rulebooks, record_id: int | None = None
) -> Iterator[RecordReplay]:
    """Yield each record's replay in chain order, one at a time (memory stays bounded)."""
    found = False
    for row in store.rows(record_id):
        found = True
        yield replay_row(row, books)
    if record_id is not None and not found:
        raise AuditError(f"{store.path}: no record {record_id}")


def replay_row(row: tuple[Any, ...], books: Rulebooks) -> RecordReplay:
    """Replay one raw row of the log; a row that is not a readable record says why."""
    try:
        record = record_from_row(row)
    except (ValueError, TypeError) as exc:
        ref = row[4] if isinstance(row[4], str) else "?"
        return RecordReplay(
            record_id=row[0],
            case_ref=ref,
            recorded_outcome="?",
            replayed_outcome=None,
            recorded_rules=(),
            replayed_rules=(),
            identical=False,
            exact=False,
            error=f"the record cannot be read: {exc}",
            unreadable=True,
        )
    return replay_record(record, books)


def replay_record(record: Record, books: Rulebooks) -> RecordReplay:
    """Re-decide one record's case and compare it with the recorded decision."""
    recorded = record.decision
    base: dict[str, Any] = {
        "record_id": record.id,
        "case_ref": record.case_ref,
        "recorded_outcome": recorded.get("outcome", "?"),
        "recorded_rules": met_rules(recorded),
        "human_decision": record.human_decision,
    }
    board = (record.id, record.case_ref, record.human_decision, record.human_reason)
    try:
        replayed = _redecide(record, books).model_dump(mode="json")
    except ScrRulesError as exc:
        error = str(exc).replace("\n", "; ")
        return RecordReplay(
            **base,
            replayed_outcome=None,
            replayed_rules=(),
            identical=False,
            exact=False,
            error=error,
            assessment=assess(*board, None, error),
        )
    met = met_rules(replayed)
    exact = replayed == recorded
    return RecordReplay(
        **base,
        assessment=assess(*board, replayed),
        replayed_outcome=replayed["outcome"],
        replayed_rules=met,
        identical=replayed["outcome"] == base["recorded_outcome"] and met == base["recorded_rules"],
        exact=exact,
        changes=() if exact else rule_changes(recorded, replayed),
        differences=() if exact else differences(recorded, replayed),
    )


def _redecide(record: Record, books: Rulebooks) -> Decision:
    """Decide the record's case again with the settings and regime/date it was decided with."""
    recorded = record.decision
    regime, day = _triage_args(recorded)
    return triage(
        case_from_document(record.case, f"record {record.id}"),
        regime,
        rulebook=books.for_record(record.rulebook),
        settings=record.settings,
        decision_date=day,
        evaluator=recorded.get("evaluator", DEFAULT_EVALUATOR),
        **_today(recorded),
    )


def _triage_args(decision: dict[str, Any]) -> tuple[str | None, date | None]:
    """Return the regime and date overrides the recorded decision was made with."""
    if decision.get("requested_regime") or decision.get("requested_decision_date"):
        asked = decision.get("requested_decision_date")
        return decision.get("requested_regime"), parse_iso_date(asked) if asked else None
    # records made before the decision stated its overrides: read them from its dates
    source, day = decision.get("date_source"), decision.get("decision_date")
    if source == "--decision-date":
        return None, parse_iso_date(day) if day else None
    if source != "--regime":
        return None, None  # the case file's own date chose the regime
    # A forced regime replaces a date outside it; only the reason still says whether that
    # date was --decision-date (to be given again) or the case file's (which gives it again).
    outside = _OUTSIDE_NOTE.search(decision.get("regime_reason", ""))
    if outside:
        given = outside["source"] == "--decision-date"
        return decision.get("regime"), parse_iso_date(outside["day"]) if given else None
    return decision.get("regime"), parse_iso_date(day) if day else None


def _today(decision: dict[str, Any]) -> dict[str, date]:
    """Return the date duties were checked against, when the decision records one."""
    today = decision.get("today")
    return {"today": parse_iso_date(today)} if today else {}
