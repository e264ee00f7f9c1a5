"""RuleBook.rules_for remembers its answer per stretch of days: it must equal the plain filter."""

from __future__ import annotations

from datetime import date, timedelta

from scr_rules.law import RuleBook


def test_rules_in_force_equal_the_plain_filter_on_every_day_and_regime(rulebook: RuleBook) -> None:
    day = date(2005, 1, 1)
    while day <= date(2026, 12, 31):
        for regime in rulebook.regimes:
            expected = tuple(
                r
                for r in rulebook.rules
                if r.spec.regime == regime.id and r.spec.in_force.covers(day)
            )
            assert rulebook.rules_for(regime.id, day) == expected, (regime.id, day)
        day += timedelta(days=1)
    for regime in rulebook.regimes:
        assert rulebook.rules_for(regime.id) == tuple(
            r for r in rulebook.rules if r.spec.regime == regime.id
        )
