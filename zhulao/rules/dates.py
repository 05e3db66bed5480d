"""Small calendar helpers shared by the rules (month arithmetic and full-year counts)."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months", "full_years_between"]


def add_months(d: date, months: int) -> date:
    """Return ``d`` moved by ``months`` calendar months (may be negative).

    When the target month is shorter than ``d.day`` the day is clamped to the month's last
    day: ``add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)``.
    """
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def full_years_between(start: date, end: date) -> int:
    """Number of whole years from ``start`` to ``end`` (``end >= start``).

    A year is complete on the anniversary's month and day. For a 29 February ``start`` the
    anniversary in a common year is 1 March (it is not reached on 28 February).

    Raises ``ValueError`` when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years
