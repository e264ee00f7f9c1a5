"""The board's report on a log: engine-vs-board agreement by regime and year, and the records.

The engine's side is the outcome recorded with each decision (what was before the board
at the time; ``scr replay`` decides them again). The chain is verified and the records
read in one snapshot, so a writer appending meanwhile changes neither. Nothing in the
report depends on the clock or the machine: the same log gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from scr_rules.audit._agreement import UNDATED, Assessment, assess
from scr_rules.audit._record import record_from_row
from scr_rules.audit._store import Store
from scr_rules.audit._verify import VerifyResult, verify_in_snapshot

NO_REGIME = "none"  # a decision that names no regime (none applied)


class BoardReportFormat(StrEnum):
    """How ``scr audit report`` is written: one self-contained HTML page, or Markdown."""

    html = "html"
    md = "md"


@dataclass
class BoardReport:
    """What the board's report shows, gathered in one pass over the log."""

    log: str
    verify: VerifyResult
    records: int = 0
    last_recorded_at: str | None = None
    by_regime: dict[str, Counter[str]] = field(default_factory=dict)  # agreement counts
    by_year: dict[str, Counter[str]] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    disagreements: list[Assessment] = field(default_factory=list)
    not_assessable: list[Assessment] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)

    @property
    def with_board(self) -> int:
        """Return how many records carry the board's decision."""
        return sum(sum(counts.values()) for counts in self.by_regime.values())

    def add(self, item: Assessment | None, regime: str, year: str, outcome: str) -> None:
        """Count one record: its outcome, and its agreement when the board decided."""
        self.outcomes.setdefault((regime, year), Counter())[outcome] += 1
        if item is None:
            return
        self.by_regime.setdefault(regime, Counter())[item.agreement] += 1
        self.by_year.setdefault(year, Counter())[item.agreement] += 1
        if item.agreement == "disagrees":
            self.disagreements.append(item)
        elif item.agreement == "not_assessable":
            self.not_assessable.append(item)


def build_report(store: Store, label: str, key: bytes | None = None) -> BoardReport:
    """Verify the log and gather the report from every record, in one read snapshot."""
    with store.read_snapshot():
        report = BoardReport(label, verify_in_snapshot(store, None, key))
        for row in store.rows():
            report.records += 1
            try:
                record = record_from_row(row)
            except (ValueError, TypeError) as exc:
                report.unreadable.append((row[0], f"the record cannot be read: {exc}"))
                continue
            decision = record.decision
            item = assess(
                record.id, record.case_ref, record.human_decision, record.human_reason, decision
            )
            regime = decision.get("regime")
            day = decision.get("decision_date")
            report.add(
                item,
                regime if isinstance(regime, str) and regime else NO_REGIME,
                day[:4] if isinstance(day, str) and day else UNDATED,
                str(decision.get("outcome", "?")),
            )
            report.last_recorded_at = record.recorded_at
    return report


def agreement_rate(counts: Counter[str]) -> float | None:
    """Return the share of judgeable board decisions that follow the criteria (None: none)."""
    judged = counts["agrees"] + counts["disagrees"]
    return counts["agrees"] / judged if judged else None


def many(number: int, noun: str) -> str:
    """Return '1 record', '10,000 records' (thousands separated, as a board paper writes them)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def percent(rate: float | None) -> str:
    """Return a rate as a whole percentage, or '-' when there is none."""
    return "-" if rate is None else f"{round(rate * 100)}%"


AGREEMENT_COLUMNS = ("agree", "disagree", "within discretion", "not assessable")
AGREEMENT_KEYS = ("agrees", "disagrees", "discretion", "not_assessable")


def chain_status(report: BoardReport) -> str:
    """Return the chain's verdict in one line: intact, keyed, or the first problem."""
    result = report.verify
    records = f"{many(result.records, 'record')}, {many(result.rulebooks, 'rulebook')}"
    if result.ok and result.key_checked:
        return f"intact and sealed with the board's key from record {result.keyed_from}: {records}"
    if result.ok:
        return (
            f"intact as far as this file shows: {records} (compare the head with your last "
            "anchor; with SCR_AUDIT_KEY the keyed chain is checked too)"
        )
    found = f"{many(result.problem_count, 'problem')}; {records}"
    return (
        f"FAILED: first bad record {result.first_bad} ({found})"
        if result.first_bad
        else (f"FAILED: {found}")
    )
