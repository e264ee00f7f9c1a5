"""The lines an officer reads first: the outcome, why, the law left open, what to do by when.

At most six lines: the headline; the unverified law or other reading that could change the
outcome (when there is one); the case, regime and date; the one reason that decided it, with
its source; the next step and its date; the facts still needed. Each comes from the
Decision alone, so the summary never says anything the detail below does not.
"""

from __future__ import annotations

from scr_rules.case import FactValue
from scr_rules.decide import STRENGTH, Decision, Duty, FailedTest, NotMet, Reason, unresolved_text
from scr_rules.vocabulary import value_text

EVIDENCE_RANK = {"primary": 0, "secondary": 1, "unverified": 2}
MOST_FACTS_NAMED = 5  # the summary names this many missing facts; the detail lists every one
# an open step before a step that only may apply; a step with a date before one without
PENDING_ORDER = ("overdue", "due", "possible_overdue", "possible", "date_unknown")


def case_line(decision: Decision) -> str:
    """Say which case, which regime and which date chose the law."""
    return (
        f"case {decision.case_ref} | regime {decision.regime} | date "
        f"{decision.decision_date or 'not given'} ({decision.date_source})"
    )


def law_points(decision: Decision, readings: str | None) -> list[str]:
    """Return each other reading and each unresolved provision that changes the outcome."""
    return ([readings] if readings else []) + [unresolved_text(u) for u in decision.unresolved_law]


def law_line(decision: Decision, readings: str | None) -> str | None:
    """Say which unverified law or other reading could change the outcome (one line)."""
    points = law_points(decision, readings)
    if len(points) <= 1:
        return points[0] if points else None
    names = [o.setting for o in decision.other_readings]
    names += [u.setting for u in decision.unresolved_law if u.setting not in names]
    return (
        f"The law is open on {len(points)} points that change this outcome "
        f"({', '.join(names)}): see 'Readings of the law' below."
    )


def why_line(decision: Decision) -> str:
    """Give the one reason the outcome stands (or what it still turns on), with its source."""
    met = [r for r in decision.reasons if r.status == "met"]
    if met:
        best = min(met, key=lambda r: (-STRENGTH[r.outcome], EVIDENCE_RANK.get(r.evidence, 3)))
        more = f" (and {count(len(met) - 1, 'more rule')} met)" if len(met) > 1 else ""
        lead = "So far" if decision.outcome == "undetermined" else "Why"
        return f"{lead}: {best.title}{more}. {_source(best)}"
    unknown = [r for r in decision.reasons if r.status == "unknown"]
    if decision.outcome == "undetermined" and unknown:
        best = min(unknown, key=lambda r: (-STRENGTH[r.outcome], len(r.waiting_on)))
        return f"Open: {best.title}, waiting on {', '.join(best.waiting_on)}. {_source(best)}"
    if decision.outcome == "undetermined":
        return "Open: the regimes the dates allow decide differently; see below."
    if not decision.not_met:
        return f"Why: no rule of {decision.regime} can apply to these facts."
    nearest = min(decision.not_met, key=lambda n: (-STRENGTH[n.outcome], len(n.failed)))
    return (
        f"Why: no review criterion applies; the nearest, {nearest.rule_id} ({nearest.outcome}), "
        f"{_fails(nearest)}. {_source(nearest)}"
    )


def next_line(decision: Decision) -> str | None:
    """Say the first step still to take and by when, and how many more follow."""
    pending = [d for d in decision.duties if d.status in PENDING_ORDER]
    if not pending:
        return f"Next: {decision.duty_notes[0]}" if decision.duty_notes else None
    first = min(pending, key=lambda d: (PENDING_ORDER.index(d.status), d.due is None, d.due))
    more = f"; {count(len(pending) - 1, 'more step')} below" if len(pending) > 1 else ""
    return f"Next: {first.action} - {first.who}, {_when(first)}{more}."


def needed_line(decision: Decision) -> str | None:
    """Name the facts still needed, and the strongest outcome establishing them could lead to."""
    parts = []
    if decision.missing_facts:
        strongest = max(
            (q.could_lead_to for q in decision.questions),
            key=STRENGTH.__getitem__,
            default=None,
        )
        lead = f" (could lead to {strongest.replace('_', ' ').upper()})" if strongest else ""
        parts.append(_some(decision.missing_facts) + lead)
    if decision.review_type_waiting_on:
        parts.append(
            "for the review type (concise or extended), "
            + ", ".join(decision.review_type_waiting_on)
        )
    return "Still needed: " + "; ".join(parts) + "." if parts else None


def summary_lines(decision: Decision, readings: str | None) -> list[tuple[str, str]]:
    """Return the two to five lines after the headline, each with its style."""
    lines = [
        (law_line(decision, readings), "bold yellow"),  # beside the headline: never unseen
        (case_line(decision), "bold"),
        (why_line(decision), ""),
        (next_line(decision), ""),
        (needed_line(decision), "cyan"),
    ]
    return [(line, style) for line, style in lines if line]


def failed_text(test: FailedTest) -> str:
    """Say what a failed condition found and what it needed."""
    return f"{test.fact} is {value_text(test.value)}{_because(test.because)}; needs {test.expected}"


def _because(sources: dict[str, FactValue]) -> str:
    if not sources:
        return ""
    return " (from " + ", ".join(f"{k} = {value_text(v)}" for k, v in sources.items()) + ")"


def _fails(item: NotMet) -> str:
    if len(item.failed) == 1:
        return "fails as " + failed_text(item.failed[0])
    return f"fails on {len(item.failed)} conditions"


def _source(item: Reason | NotMet) -> str:
    return f"Source: {item.citation} [{item.evidence} evidence]."


def _when(duty: Duty) -> str:
    if duty.due is None:
        return "date unknown (give the date it runs from)"
    flag = {"overdue": " OVERDUE", "possible": " if it applies"}
    flag["possible_overdue"] = " OVERDUE if it applies"
    return f"by {duty.due.isoformat()}{flag.get(duty.status, '')}"


def _some(facts: tuple[str, ...]) -> str:
    named = ", ".join(facts[:MOST_FACTS_NAMED])
    rest = len(facts) - MOST_FACTS_NAMED
    return named + (f" and {rest} more (below)" if rest > 0 else "")


def count(n: int, thing: str) -> str:
    """Say how many things, in the plural when there are not exactly one."""
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"
