"""What every regime of a jurisdiction would decide for the same facts (``scr compare``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from scr_rules.case import Case
from scr_rules.decide._decision import Decision
from scr_rules.decide._triage import triage
from scr_rules.law import Regime, RuleBook, SettingValue, load_rulebook


@dataclass(frozen=True)
class Comparison:
    """One regime's decision for the case, and the day its rules were taken at."""

    regime: Regime
    evaluated_on: date
    decision: Decision

    def as_json(self) -> dict[str, Any]:
        """Return the row as ``scr compare --format json`` prints it."""
        d = self.decision
        return {
            "regime": self.regime.id,
            "evaluated_on": self.evaluated_on.isoformat(),
            "outcome": d.outcome,
            "possible_outcomes": list(d.possible_outcomes),
            "met_rules": d.met_rules(),
            "missing_facts": list(d.missing_facts),
            "review_type": d.review_type,
        }


def compare(
    case: Case,
    *,
    rulebook: RuleBook | None = None,
    settings: Mapping[str, SettingValue] | None = None,
) -> list[Comparison]:
    """Decide the case under each regime of its jurisdiction, in date order.

    Each regime is evaluated on the case's own decision date when that falls inside it, and
    otherwise on the regime's first day; the case's dates choose nothing here.
    """
    book = rulebook or load_rulebook()
    rows = []
    for regime in (r for r in book.regimes if r.jurisdiction == case.jurisdiction):
        own = case.decision_date
        day = own if own and regime.in_force.covers(own) else regime.in_force.from_
        decision = triage(case, regime.id, rulebook=book, settings=settings, decision_date=day)
        rows.append(Comparison(regime, day, decision))
    return rows


def comparisons_json(comparisons: Iterable[Comparison]) -> str:
    """Return the comparisons as ``scr compare --format json`` prints them (one document)."""
    return json.dumps([c.as_json() for c in comparisons], indent=2) + "\n"
