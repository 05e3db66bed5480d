"""Working-day arithmetic for public-notice (公示) periods.

There is no built-in holiday data: the caller builds a :class:`WorkCalendar` from the dated
policy parameters (official holidays and the weekend days that are working days, 调休上班).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["WorkCalendar", "add_working_days", "working_days_between"]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and adjusted working days; every other Monday–Friday is a working day.

    A date may not be both a holiday and an adjusted working day (``ValueError``).
    """

    holidays: frozenset[date] = frozenset()
    adjusted_workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        both = self.holidays & self.adjusted_workdays
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates are both holidays and adjusted working days: {listed}")

    def is_working_day(self, d: date) -> bool:
        """Monday–Friday and not a holiday, or an adjusted working day (调休上班)."""
        if d in self.adjusted_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays


def add_working_days(start: date, n: int, calendar: WorkCalendar) -> date:
    """Return the date of the ``n``-th working day counted from ``start``.

    ``start`` counts as the first working day when it is one; otherwise counting begins at
    the next working day. A 5-working-day notice opened on a Monday of a week without
    holidays ends on that Friday. Raises ``ValueError`` when ``n < 1``.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    day = start
    counted = 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == n:
                return day
        day += _ONE_DAY


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Number of working days from ``start`` to ``end``, both included; 0 if ``end < start``."""
    count = 0
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count
