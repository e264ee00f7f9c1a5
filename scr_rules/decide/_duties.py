"""Deadlines: add working days (England and Wales bank holidays), calendar days or months."""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta
from typing import Literal

from scr_rules.vocabulary import count

Unit = Literal["working_days", "calendar_days", "months"]
# England and Wales share one list of bank holidays; both subdivisions are asked for so a
# future difference is honoured.
SUBDIVISION = {"england": "ENG", "wales": "WLS"}


@functools.cache
def _bank_holidays(jurisdiction: str, year: int) -> frozenset[date]:
    import holidays  # ~25 ms to import: paid only by cases with a working-day deadline

    calendar_ = holidays.country_holidays("GB", subdiv=SUBDIVISION[jurisdiction], years=year)
    return frozenset(calendar_)


def is_working_day(day: date, jurisdiction: str = "england") -> bool:
    """Say whether ``day`` is neither a weekend nor a bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(jurisdiction, day.year)


def add_working_days(start: date, count: int, jurisdiction: str = "england") -> date:
    """Return the day ``count`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, jurisdiction):
            count -= 1
    return day


def add_months(start: date, count: int) -> date:
    """Return the same day ``count`` months later, or the month's last day if it is shorter."""
    month_index = start.month - 1 + count
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(start: date, within: int, unit: Unit, jurisdiction: str = "england") -> date:
    """Return the deadline ``within`` units after ``start`` (at most the last day there is).

    A deadline past 9999-12-31 cannot be a date: it is given as that day rather than a crash
    (only a hostile or mistyped date comes near it).
    """
    try:
        if unit == "working_days":
            return add_working_days(start, within, jurisdiction)
        if unit == "months":
            return add_months(start, within)
        return start + timedelta(days=within)
    except (OverflowError, ValueError):
        return date.max


def describe(within: int, unit: Unit, start_name: str) -> str:
    """Say the rule in words, e.g. '5 working days from notification_date'."""
    words = {"working_days": "working day", "calendar_days": "day", "months": "month"}[unit]
    return f"{count(within, words)} from {start_name}"
