"""Visit plans for elders (探访关爱 / 走访): what is required, what is due, what is overdue.

Pure: plain values in, plain values (and reasons) out. No Django, no database, no clock:
``today`` and ``now`` are always passed in. See POLICY.md §6.3 and DOMAIN.md S14 (regular visits
to 留守 / 孤寡 / 空巢 elders) and S16 (emergencies).

Every frequency comes from the dated policy ``eldercare.visit_rules`` (e.g.
``{"left_behind": {"visits": 1, "period": "month"}, ...}``) through :func:`rules_from_mapping`;
the emergency window (24 hours in the 内蒙古 example of POLICY §6.3) is passed in by the caller.

Conventions (choices of this module):

* Periods are calendar periods: weeks run Monday–Sunday, months are calendar months, quarters
  are calendar quarters (January–March, ...). Both ends of a period are inclusive.
* A visit counts for the period containing its date, and only for that one. Visits after
  ``today`` (or after ``now`` for an emergency) are ignored.
* Visits are dates. A ``datetime`` (a subclass of ``date``) is accepted too and then compared
  to the emergency to the minute; a plain date on the emergency's day counts as following it.
  Aware and naive datetimes must not be mixed.
* ``overdue`` looks back: the previous period ended with fewer visits than required, or an
  emergency's follow-up deadline has passed with no visit since the emergency.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from zhulao.rules.dates import add_months

__all__ = [
    "FOLLOWUP_ONLY",
    "PERIOD_NAMES_EN",
    "PERIOD_NAMES_ZH",
    "DueStatus",
    "Period",
    "VisitRule",
    "coverage",
    "due_status",
    "followup_status",
    "period_bounds",
    "required_visits",
    "rules_from_mapping",
]


class Period(StrEnum):
    """Visit period. Values are the ones stored in ``eldercare.visit_rules``."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


PERIOD_NAMES_ZH: Mapping[Period, str] = MappingProxyType(
    {Period.WEEK: "周", Period.MONTH: "月", Period.QUARTER: "季度"}
)
PERIOD_NAMES_EN: Mapping[Period, str] = MappingProxyType(
    {Period.WEEK: "week", Period.MONTH: "month", Period.QUARTER: "quarter"}
)

#: Shorter periods are stricter.
_PERIOD_ORDER: Mapping[Period, int] = MappingProxyType({Period.WEEK: 0, Period.MONTH: 1, Period.QUARTER: 2})
_DAYS_PER_WEEK = 7
_MONTHS_PER_QUARTER = 3
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class VisitRule:
    """At least ``visits`` visits per ``period`` for elders of ``category``.

    ``cite`` is the citation of the dated policy row the rule was read from (may be empty).
    """

    category: str
    visits: int
    period: Period
    cite: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.visits, bool) or not isinstance(self.visits, int) or self.visits < 1:
            raise ValueError(f"visits for {self.category!r} must be a positive integer, got {self.visits!r}")
        object.__setattr__(self, "period", Period(self.period))


def rules_from_mapping(mapping: Mapping[str, Any], *, cite: str = "") -> dict[str, VisitRule]:
    """Build the rules from the JSON stored in ``eldercare.visit_rules``::

        {"left_behind": {"visits": 1, "period": "month"}, "empty_nest": {...}, ...}

    ``cite`` is copied onto every rule. Raises ``ValueError`` for a rule that is not a
    mapping, lacks ``visits`` or ``period``, has a non-positive or non-integer ``visits`` or an
    unknown ``period``.
    """
    if not isinstance(mapping, Mapping):
        raise ValueError(f"visit rules must map categories to rules, got {mapping!r}")
    rules: dict[str, VisitRule] = {}
    for category, raw in mapping.items():
        if not isinstance(raw, Mapping):
            raise ValueError(f"visit rule for {category!r} must be a mapping, got {raw!r}")
        try:
            visits = raw["visits"]
            period_value = raw["period"]
        except KeyError as exc:
            raise ValueError(f"visit rule for {category!r} is missing {exc.args[0]!r}") from None
        try:
            period = Period(period_value)
        except ValueError:
            raise ValueError(
                f"visit rule for {category!r} has period {period_value!r}; expected week, month or quarter"
            ) from None
        rules[str(category)] = VisitRule(category=str(category), visits=visits, period=period, cite=cite)
    return rules


def period_bounds(day: date, period: Period) -> tuple[date, date]:
    """First and last day (both inclusive) of the calendar ``period`` containing ``day``.

    Weeks run Monday to Sunday; months and quarters are calendar months and quarters.
    """
    period = Period(period)
    if period is Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=_DAYS_PER_WEEK - 1)
    if period is Period.MONTH:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    first_month = (day.month - 1) // _MONTHS_PER_QUARTER * _MONTHS_PER_QUARTER + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, _MONTHS_PER_QUARTER) - _ONE_DAY


def _strictness(rule: VisitRule) -> tuple[int, int, str]:
    return (_PERIOD_ORDER[rule.period], -rule.visits, rule.category)


def required_visits(categories: Iterable[str], rules: Mapping[str, VisitRule]) -> VisitRule | None:
    """The strictest rule among the elder's ``categories``: the shortest period, then the most
    visits (then the category name, for a stable answer). ``None`` when no category has a rule.
    """
    matching = [rules[category] for category in categories if category in rules]
    if not matching:
        return None
    return min(matching, key=_strictness)


@dataclass(frozen=True)
class DueStatus:
    """Where an elder stands against a :class:`VisitRule` on ``today``.

    ``period_start``/``period_end``: the current period (inclusive). ``required``: visits
    required per period; ``done_in_period``: visits from ``period_start`` to ``today``;
    ``remaining``: visits still to make in this period. ``due``: something is still to do (a
    visit in this period, or an emergency follow-up not yet made). ``overdue``: the previous
    period ended short (``previous_done`` < ``required``; ``previous_done`` is ``None`` when the
    previous period is not judged), or an emergency follow-up deadline has passed with no visit
    since the emergency. ``next_due_by``: the end of the current period, or the emergency
    deadline's date when a follow-up is outstanding and that is sooner. ``emergency_deadline``
    and ``emergency_visited`` are ``None`` without an emergency.
    """

    category: str
    period: Period
    period_start: date
    period_end: date
    required: int
    done_in_period: int
    remaining: int
    due: bool
    overdue: bool
    next_due_by: date
    previous_start: date
    previous_end: date
    previous_done: int | None
    emergency_deadline: datetime | None
    emergency_visited: bool | None
    reason_zh: str
    reason_en: str
    cite: str


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _after_emergency(visit: date, emergency_at: datetime, now: datetime) -> bool:
    if isinstance(visit, datetime):
        return emergency_at <= visit <= now
    return emergency_at.date() <= visit <= now.date()


def _by_deadline(visit: date, deadline: datetime) -> bool:
    if isinstance(visit, datetime):
        return visit <= deadline
    return visit <= deadline.date()


def due_status(
    *,
    rule: VisitRule,
    visits: Sequence[date],
    today: date,
    emergency_at: datetime | None = None,
    emergency_window_hours: int | None = None,
    now: datetime | None = None,
    since: date | None = None,
) -> DueStatus:
    """The visit status of one elder under ``rule`` on ``today``.

    ``visits`` are the dates (or datetimes) of the elder's recorded visits, in any order.
    ``emergency_at``: the time of an open emergency (S16) needing a follow-up visit within
    ``emergency_window_hours`` hours; both that and ``now`` are then required. ``since``: the
    day the rule started to apply to this elder (pairing, category); the previous period is
    judged only when ``since`` is on or before its first day (``None``: always judged).

    Raises ``ValueError`` when ``emergency_at`` comes without a positive
    ``emergency_window_hours`` or without ``now``.
    """
    start, end = period_bounds(today, rule.period)
    previous_start, previous_end = period_bounds(start - _ONE_DAY, rule.period)
    days = [_day(v) for v in visits]
    done = sum(1 for d in days if start <= d <= today)
    remaining = max(rule.visits - done, 0)
    judged = since is None or since <= previous_start
    previous_done = sum(1 for d in days if previous_start <= d <= previous_end) if judged else None
    previous_short = previous_done is not None and previous_done < rule.visits

    name_zh = PERIOD_NAMES_ZH[rule.period]
    name_en = PERIOD_NAMES_EN[rule.period]
    this_zh = f"本{name_zh}（{_zh_date(start)}至{_zh_date(end)}）应走访{rule.visits}次，已走访{done}次"
    this_en = f"This {name_en} ({start.isoformat()} to {end.isoformat()}) needs {rule.visits} visit(s); {done} done"
    if remaining:
        this_zh += f"，尚需{remaining}次，最迟{_zh_date(end)}"
        this_en += f", {remaining} still to do by {end.isoformat()}"
    else:
        this_zh += "，已完成"
        this_en += ", complete"
    parts_zh = [this_zh]
    parts_en = [this_en]
    if previous_done is None:
        parts_zh.append(f"上{name_zh}尚未纳入走访要求（自{_zh_date(since or start)}起）")
        parts_en.append(f"the previous {name_en} is not judged (rule applies from {(since or start).isoformat()})")
    elif previous_short:
        parts_zh.append(f"上{name_zh}仅走访{previous_done}次，少于应走访的{rule.visits}次，已逾期")
        parts_en.append(
            f"only {previous_done} visit(s) in the previous {name_en}, fewer than the {rule.visits} required: overdue"
        )
    else:
        parts_zh.append(f"上{name_zh}走访{previous_done}次，已达要求")
        parts_en.append(f"{previous_done} visit(s) in the previous {name_en}, as required")

    next_due_by = end
    followup = None
    if emergency_at is not None:
        followup = _followup(visits, emergency_at, emergency_window_hours, now)
        parts_zh.append(followup.reason_zh)
        parts_en.append(followup.reason_en)
        if followup.visited is False and followup.deadline.date() < next_due_by:
            next_due_by = followup.deadline.date()
    emergency_visited = followup.visited if followup else None
    emergency_overdue = bool(followup and followup.overdue)
    deadline = followup.deadline if followup else None

    return DueStatus(
        category=rule.category,
        period=rule.period,
        period_start=start,
        period_end=end,
        required=rule.visits,
        done_in_period=done,
        remaining=remaining,
        due=bool(remaining) or emergency_visited is False,
        overdue=previous_short or emergency_overdue,
        next_due_by=next_due_by,
        previous_start=previous_start,
        previous_end=previous_end,
        previous_done=previous_done,
        emergency_deadline=deadline,
        emergency_visited=emergency_visited,
        reason_zh="；".join(parts_zh),
        reason_en="; ".join(parts_en),
        cite=rule.cite,
    )


@dataclass(frozen=True)
class _Followup:
    deadline: datetime
    visited: bool
    overdue: bool
    reason_zh: str
    reason_en: str


def _followup(
    visits: Sequence[date], emergency_at: datetime, window_hours: int | None, now: datetime | None
) -> _Followup:
    """Whether the visit due within ``window_hours`` after an emergency was made, and why."""
    hours = window_hours
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
        raise ValueError(f"emergency_window_hours must be a positive integer with emergency_at, got {hours!r}")
    if now is None:
        raise ValueError("now is required with emergency_at")
    deadline = emergency_at + timedelta(hours=hours)
    following = [v for v in visits if _after_emergency(v, emergency_at, now)]
    head_zh = f"紧急事件发生于{_stamp(emergency_at)}，须在{hours}小时内（{_stamp(deadline)}前）走访"
    head_en = f"emergency at {_stamp(emergency_at)} needs a visit within {hours} hours (by {_stamp(deadline)})"
    if following:
        first = min(_day(v) for v in following)
        if any(_by_deadline(v, deadline) for v in following):
            return _Followup(
                deadline,
                True,
                False,
                f"{head_zh}：已于{_zh_date(first)}走访",
                f"{head_en}: visited on {first.isoformat()}",
            )
        return _Followup(
            deadline,
            True,
            False,
            f"{head_zh}：已于{_zh_date(first)}走访，但已超过时限",
            f"{head_en}: visited on {first.isoformat()}, after the deadline",
        )
    if now > deadline:
        return _Followup(
            deadline,
            False,
            True,
            f"{head_zh}：时限已过，尚未走访，已逾期",
            f"{head_en}: the deadline has passed with no visit, overdue",
        )
    return _Followup(deadline, False, False, f"{head_zh}：尚未走访", f"{head_en}: not yet visited")


FOLLOWUP_ONLY = "emergency_followup"  # the category of a status made by followup_status


def followup_status(
    *, visits: Sequence[date], today: date, emergency_at: datetime, emergency_window_hours: int, now: datetime
) -> DueStatus:
    """The status of an elder whose categories call for no regular visit but who had an emergency: only the
    follow-up visit is due (``category`` is :data:`FOLLOWUP_ONLY`; no period is judged, so ``required`` and
    ``remaining`` are 0). Coverage figures leave such statuses out: they count regular visits."""
    followup = _followup(visits, emergency_at, emergency_window_hours, now)
    day = followup.deadline.date()
    return DueStatus(
        category=FOLLOWUP_ONLY,
        period=Period.WEEK,
        period_start=emergency_at.date(),
        period_end=day,
        required=0,
        done_in_period=0,
        remaining=0,
        due=not followup.visited,
        overdue=followup.overdue,
        next_due_by=max(day, today) if followup.visited else day,
        previous_start=emergency_at.date(),
        previous_end=emergency_at.date(),
        previous_done=None,
        emergency_deadline=followup.deadline,
        emergency_visited=followup.visited,
        reason_zh=followup.reason_zh,
        reason_en=followup.reason_en,
        cite="",
    )


_FOUR_PLACES = Decimal("0.0001")


def coverage(due_elders: int, visited: int) -> Decimal | None:
    """Share of elders due a visit who were visited (走访率), rounded half-up to 4 places.

    ``None`` when no elder was due. Raises ``ValueError`` unless ``0 <= visited <= due_elders``.
    """
    for name, value in (("due_elders", due_elders), ("visited", visited)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if visited > due_elders:
        raise ValueError(f"visited ({visited}) cannot exceed due_elders ({due_elders})")
    if due_elders == 0:
        return None
    return (Decimal(visited) / Decimal(due_elders)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
