"""Replay recorded decisions under the recorded, the current or another set of rules.

Its size (about 300 lines) is the replay loop and the comparison it reports, one concern.
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

from scr_rules.audit._record import Record
from scr_rules.audit._store import Store
from scr_rules.case import case_from_document
from scr_rules.decide import Decision, triage
from scr_rules.engine import DEFAULT_EVALUATOR
from scr_rules.errors import AuditError, ScrRulesError
from scr_rules.law import RuleBook, load_rulebook, rulebook_digest, rulebook_from_canonical
from scr_rules.vocabulary import parse_iso_date, value_text

ABSENT = ("absent", None, "not evaluated: not in force on the date, or not in the rulebook")
# Which human decisions follow the criteria: a mandatory review must be initiated; when none
# is required, declining (or another kind of review) follows them. A discretionary outcome
# leaves the choice to the board, and an undetermined one cannot be judged.
_OUTSIDE_NOTE = re.compile(r"(?P<source>\S+) (?P<day>\d{4}-\d{2}-\d{2}) lies outside it")
AGREEING = {"mandatory": ("initiated",), "not_required": ("declined", "alternative_review")}


@dataclass(frozen=True)
class RuleChange:
    """A rule whose status or outcome differs between the recorded and replayed decision."""

    rule_id: str
    recorded: str
    replayed: str
    recorded_outcome: str | None
    replayed_outcome: str | None
    recorded_why: str
    replayed_why: str


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

    def add(self, result: RecordReplay) -> None:
        """Count one replayed record."""
        self.total += 1
        self.identical += result.identical
        self.divergent += not result.identical
        self.errors += result.error is not None
        self.exact += result.exact
        replayed = result.replayed_outcome or "error"
        self.confusion[(result.recorded_outcome, replayed)] += 1
        if result.human_decision is not None:
            self.human[(replayed, result.human_decision)] += 1
            self.human_agreement[
                human_agreement(result.replayed_outcome, result.human_decision)
            ] += 1

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data (matrices as lists of rows)."""
        return {
            "total": self.total,
            "identical": self.identical,
            "divergent": self.divergent,
            "errors": self.errors,
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


def human_agreement(engine: str | None, human: str) -> str:
    """Say whether a human decision follows the engine's outcome (agrees, disagrees, ...)."""
    if engine in AGREEING:
        return "agrees" if human in AGREEING[engine] else "disagrees"
    return "discretion" if engine == "discretionary" else "not_assessable"


class Rulebooks:
    """The rules to replay under: each record's stored rulebook, the current one or a directory."""

    def __init__(self, store: Store, rules: str | Path) -> None:
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
    for record in store.records(record_id):
        found = True
        yield replay_record(record, books)
    if record_id is not None and not found:
        raise AuditError(f"{store.path}: no record {record_id}")


def replay_record(record: Record, books: Rulebooks) -> RecordReplay:
    """Re-decide one record's case and compare it with the recorded decision."""
    recorded = record.decision
    base = {
        "record_id": record.id,
        "case_ref": record.case_ref,
        "recorded_outcome": recorded.get("outcome", "?"),
        "recorded_rules": _met(recorded),
        "human_decision": record.human_decision,
    }
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
        )
    met = _met(replayed)
    exact = replayed == recorded
    return RecordReplay(
        **base,
        replayed_outcome=replayed["outcome"],
        replayed_rules=met,
        identical=replayed["outcome"] == base["recorded_outcome"] and met == base["recorded_rules"],
        exact=exact,
        changes=() if exact else rule_changes(recorded, replayed),
        differences=() if exact else _differences(recorded, replayed),
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


def _met(decision: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        sorted(r["rule_id"] for r in decision.get("reasons", ()) if r.get("status") == "met")
    )


def _differences(recorded: dict[str, Any], replayed: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        k for k in sorted(recorded.keys() | replayed.keys()) if recorded.get(k) != replayed.get(k)
    )


def rule_changes(recorded: dict[str, Any], replayed: dict[str, Any]) -> tuple[RuleChange, ...]:
    """Return every rule whose status or outcome differs, with the facts or failed tests."""
    before, after = rule_states(recorded), rule_states(replayed)
    changes = []
    for rule_id in sorted(before.keys() | after.keys()):
        old, new = before.get(rule_id, ABSENT), after.get(rule_id, ABSENT)
        if old[:2] != new[:2]:
            changes.append(RuleChange(rule_id, old[0], new[0], old[1], new[1], old[2], new[2]))
    return tuple(changes)


def rule_states(decision: dict[str, Any]) -> dict[str, tuple[str, str | None, str]]:
    """Map each rule id to (status, outcome, why) as the decision explains it."""
    states: dict[str, tuple[str, str | None, str]] = {}
    for reason in decision.get("reasons", ()):
        facts = "facts " + _facts(reason.get("facts", {}))
        if reason.get("status") == "unknown":
            facts = "waiting on " + ", ".join(reason.get("waiting_on", ())) + "; " + facts
        states[reason["rule_id"]] = (reason["status"], reason.get("outcome"), facts)
    for item in decision.get("not_met", ()):
        failed = "; ".join(
            f"{t['fact']} = {value_text(t['value'])}, expected {t['expected']}"
            for t in item.get("failed", ())
        )
        states[item["rule_id"]] = ("not_met", item.get("outcome"), "failed: " + failed)
    for item in decision.get("disabled", ()):
        states[item["rule_id"]] = ("disabled", item.get("outcome"), item.get("why", ""))
    return states


def _facts(facts: dict[str, Any]) -> str:
    # sorted: a recorded decision's facts come back from canonical JSON in name order
    return ", ".join(f"{name} = {value_text(value)}" for name, value in sorted(facts.items()))
