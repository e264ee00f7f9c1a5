"""RuleBook.rules_for remembers its answer per stretch of days: it must equal the plain filter."""

from __future__ import annotations

from datetime import date, timedelta

from scr_rules.law import load_rulebook


def test_rules_in_force_equal_the_plain_filter_on_every_day_and_regime() -> None:
    book = load_rulebook()
    day = date(2005, 1, 1)
    while day <= date(2026, 12, 31):
        for regime in book.regimes:
            expected = tuple(
                r for r in book.rules if r.spec.regime == regime.id and r.spec.in_force.covers(day)
            )
            assert book.rules_for(regime.id, day) == expected, (regime.id, day)
        day += timedelta(days=1)
    for regime in book.regimes:
        assert book.rules_for(regime.id) == tuple(
            r for r in book.rules if r.spec.regime == regime.id
        )
