"""Engine and board: whether the board's recorded decision followed the criteria, and why not.

A mandatory outcome is followed when a review was initiated; a review that was not required
is followed when it was declined (or replaced by another kind of review). A discretionary
outcome leaves the choice to the board, and an undetermined one (or a record that could not
be decided again) cannot be judged: it is "not assessable", with the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from scr_rules.vocabulary import value_text

Agreement = Literal["agrees", "disagrees", "discretion", "not_assessable"]
AGREEMENTS: tuple[Agreement, ...] = ("agrees", "disagrees", "discretion", "not_assessable")
AGREEING = {"mandatory": ("initiated",), "not_required": ("declined", "alternative_review")}
UNDATED = "undated"  # the year of a decision that names no date


def human_agreement(engine: str | None, human: str) -> Agreement:
    """Say whether a human decision follows the engine's outcome (agrees, disagrees, ...)."""
    if engine in AGREEING:
        return "agrees" if human in AGREEING[engine] else "disagrees"
    return "discretion" if engine == "discretionary" else "not_assessable"


@dataclass(frozen=True)
class Assessment:
    """One record with a board decision, set beside the engine's outcome."""

    record_id: int
    case_ref: str
    regime: str | None
    decision_date: str | None
    engine: str | None  # the engine's outcome; None when the case could not be decided
    rules: tuple[str, ...]  # the rules met
    board: str
    board_reason: str | None
    agreement: Agreement
    why: str | None = None  # why it is not assessable

    @property
    def year(self) -> str:
        """Return the year of the decision date, or 'undated'."""
        return self.decision_date[:4] if self.decision_date else UNDATED

    def to_dict(self) -> dict[str, Any]:
        """Return the assessment as plain JSON-ready data."""
        return asdict(self)


def assess(
    record_id: int,
    case_ref: str,
    board: str | None,
    board_reason: str | None,
    decision: dict[str, Any] | None,
    error: str | None = None,
) -> Assessment | None:
    """Set a board decision beside a decision (recorded or replayed); None without one."""
    if board is None:
        return None
    engine = decision.get("outcome") if decision is not None else None
    agreement = human_agreement(engine if isinstance(engine, str) else None, board)
    day = decision.get("decision_date") if decision is not None else None
    regime = decision.get("regime") if decision is not None else None
    return Assessment(
        record_id=record_id,
        case_ref=case_ref,
        regime=regime if isinstance(regime, str) else None,
        decision_date=day if isinstance(day, str) else None,
        engine=engine if isinstance(engine, str) else None,
        rules=met_rules(decision or {}),
        board=board,
        board_reason=board_reason,
        agreement=agreement,
        why=_why_not_assessable(decision, error) if agreement == "not_assessable" else None,
    )


def met_rules(decision: dict[str, Any]) -> tuple[str, ...]:
    """Return the ids of the rules a decision says were met, sorted."""
    reasons = decision.get("reasons", ())
    if not isinstance(reasons, list | tuple):
        return ()
    met = (r for r in reasons if isinstance(r, dict) and r.get("status") == "met")
    return tuple(sorted(str(r.get("rule_id")) for r in met))


def _why_not_assessable(decision: dict[str, Any] | None, error: str | None) -> str:
    """Say why the criteria cannot judge this record: what is unknown, or what failed."""
    if decision is None:
        return f"the case could not be decided again: {error or 'no decision'}"
    outcome = decision.get("outcome")
    if outcome != "undetermined":
        return f"the engine's outcome {value_text(outcome)!r} is not one the criteria judge"
    parts = []
    missing = decision.get("missing_facts") or ()
    if missing:
        parts.append("unknown facts " + ", ".join(str(m) for m in missing))
    unresolved = decision.get("unresolved_law") or ()
    settings = sorted({str(u.get("setting")) for u in unresolved if isinstance(u, dict)})
    if settings:
        parts.append("unresolved law (" + ", ".join(settings) + ")")
    return "undetermined: " + ("; ".join(parts) if parts else "the outcome is not settled")
