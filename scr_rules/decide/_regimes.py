"""Choose the law in force: which regime (or regimes) a case's dates point to, and why.

The date that picks the law is the date the decision is taken (regimes.md 0.4). Without
it the decision date is not guessed: the notification date (or else the incident date)
opens a window in which the decision may still be taken, and every regime in force during
that window is a candidate. Boards were expected to decide within a month, but a late
decision is still a decision, so the window runs twelve months (and on to ``today`` when
that is later): a case is never "not required" under one regime while a decision taken
later in the window could fall under a regime that requires a review. In England from 29 Jun 2018 to
28 Sep 2019 an area moved to the 2018 regime on its own start date; while that date is
unknown both regimes are candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scr_rules.case import Case
from scr_rules.decide._duties import describe, due_date
from scr_rules.errors import RegimeError
from scr_rules.law import Period, Regime, RuleBook

DEFAULT_WINDOW = Period(within=12, unit="months", source="rules/values.yaml")


@dataclass(frozen=True)
class Candidate:
    """A regime that may apply, and the date its rules are taken at."""

    regime: Regime
    day: date | None


@dataclass(frozen=True)
class Selection:
    """The regimes a case's dates point to (one, or several when the date cannot decide)."""

    candidates: tuple[Candidate, ...]
    day: date | None
    source: str
    reason: str
    undecided_by: str | None = None  # the fact that would pick one candidate


def select_regimes(
    case: Case,
    book: RuleBook,
    regime: str | None = None,
    override: date | None = None,
    today: date | None = None,
) -> Selection:
    """Return the candidate regimes for a case, with the date used and the reason in words."""
    regimes = [r for r in book.regimes if r.jurisdiction == case.jurisdiction]
    dates = [
        ("--decision-date", override),
        ("decision_date", case.decision_date),
        ("notification_date", case.notification_date),
        ("incident_date", case.incident_date),
    ]
    source, day = next(((name, value) for name, value in dates if value), ("none", None))
    if override is not None and regime is None:  # compare takes each regime on its own day
        for name, earlier in dates[2:]:
            if earlier is not None and override < earlier:
                raise RegimeError(
                    f"--decision-date {override.isoformat()} is before {name} "
                    f"{earlier.isoformat()}; expected {name} <= decision date (as in a case file)"
                )
    if regime is not None:
        return _forced(book, regime, day, source, case.jurisdiction)
    if day is None:
        raise RegimeError(
            "the case has no date to choose the law by: give decision_date (or "
            "notification_date / incident_date) in the case file, --decision-date, or --regime"
        )
    if source in ("--decision-date", "decision_date"):
        return _on_day(case, regimes, day, source)
    return _in_window(case, regimes, day, source, today, book.values.decision_window)


def _forced(
    book: RuleBook, regime_id: str, day: date | None, source: str, jurisdiction: str
) -> Selection:
    try:
        chosen = book.regime(regime_id)
    except KeyError:
        known = ", ".join(sorted(r.id for r in book.regimes))
        raise RegimeError(f"unknown regime {regime_id!r}; expected one of {known}") from None
    if chosen.jurisdiction != jurisdiction:
        same = ", ".join(r.id for r in book.regimes if r.jurisdiction == jurisdiction)
        raise RegimeError(
            f"regime {regime_id!r} is {chosen.jurisdiction} law, but the case is in "
            f"{jurisdiction}; expected one of {same}"
        )
    why = f"regime {chosen.id} chosen explicitly (--regime)"
    if day is None or not chosen.in_force.covers(day):
        outside = f"{source} {day.isoformat()} lies outside it" if day else "no date given"
        day = chosen.in_force.from_
        why += f"; {outside}, so its rules are taken as on its first day, {day.isoformat()}"
    return Selection((Candidate(chosen, day),), day, "--regime", why)


def _on_day(case: Case, regimes: list[Regime], day: date, source: str) -> Selection:
    covering = [r for r in regimes if r.in_force.covers(day)]
    if not covering:
        raise _outside(case, regimes, source, day)
    chosen, undecided = _apply_area_switch(case, covering, day)
    spans = " and ".join(f"{r.id} ({r.in_force.span()})" for r in chosen)
    why = f"{source} {day.isoformat()} falls in {spans}"
    if undecided:
        why += (
            "; the area's own switch to safeguarding-partner arrangements decides which, and "
            "area_new_arrangements_start_date is unknown"
        )
    elif len(covering) > 1:
        why += f" (the area switched on {case.facts.area_new_arrangements_start_date})"
    return Selection(
        tuple(Candidate(r, day) for r in chosen),
        day,
        source,
        why,
        "area_new_arrangements_start_date" if undecided else None,
    )


def decision_window_end(
    start: date, today: date | None = None, window: Period = DEFAULT_WINDOW
) -> date:
    """Return the last day an undated decision on a case notified on ``start`` may fall.

    ``window`` is the rulebook's ``decision_window`` (``rules/values.yaml``).
    """
    end = due_date(start, window.within, window.unit)
    return max(end, today) if today is not None else end


def _in_window(
    case: Case,
    regimes: list[Regime],
    day: date,
    source: str,
    today: date | None,
    window: Period,
) -> Selection:
    end = decision_window_end(day, today, window)
    overlapping = [r for r in regimes if r.in_force.from_ <= end and r.in_force.covers_after(day)]
    if not overlapping:
        raise _outside(case, regimes, source, day)
    candidates: list[Candidate] = []
    undecided = False
    starts = {max(day, r.in_force.from_) for r in overlapping}
    started = case.facts.area_new_arrangements_start_date
    if isinstance(started, date) and day < started <= end:
        starts.add(started)  # a decision after the area's own switch falls under the new law
    for first_day in sorted(starts):
        covering = [r for r in overlapping if r.in_force.covers(first_day)]
        chosen, unknown_switch = _apply_area_switch(case, covering, first_day)
        undecided = undecided or unknown_switch
        candidates += [
            Candidate(r, first_day) for r in chosen if r.id not in {c.regime.id for c in candidates}
        ]
    why = (
        f"no decision_date given: the {source} {day.isoformat()} stands in for it, and a "
        f"decision taken by {end.isoformat()} ({describe(window.within, window.unit, source)}"
        f"{', or today' if today is not None and end == today else ''}) falls in "
    )
    why += " or ".join(c.regime.id for c in candidates)
    undecided_by = "decision_date" if len(candidates) > 1 and not undecided else None
    if undecided:
        undecided_by = "area_new_arrangements_start_date"
    return Selection(tuple(candidates), day, source, why, undecided_by)


def _apply_area_switch(case: Case, covering: list[Regime], day: date) -> tuple[list[Regime], bool]:
    """Resolve an area-by-area transition; return (regimes, whether the switch date was unknown)."""
    for regime in covering:
        switch = regime.area_switch
        old = [r for r in covering if switch is not None and r.id == switch.replaces]
        if switch is None or not old:
            continue
        started = case.facts.area_new_arrangements_start_date
        if isinstance(started, date):
            return ([regime] if day >= started else old), False
        return [*old, regime], True
    return covering, False


def _outside(case: Case, regimes: list[Regime], source: str, day: date) -> RegimeError:
    spans = "; ".join(f"{r.id} {r.in_force.span()}" for r in regimes)
    return RegimeError(
        f"{source} {day.isoformat()} falls outside every supported {case.jurisdiction} regime "
        f"({spans}); no decision is given rather than a guess"
    )
