"""Reads of activities (S18) and facility operation (S3): the cadence calendar, the operation figures of a
region with their before/after comparison and the per-child breakdown, and the participants' choices.

Every figure is a grouped aggregate query, never a loop over the logs: a province holds hundreds of
thousands of day logs. ``user=None`` is the system (the ``operation_figures`` command): no scope filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, Min, OuterRef, QuerySet
from django.db.models.functions import Substr

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.eldercare.choices import ActivityKind, ArchiveStatus
from zhulao.eldercare.models import Activity, ElderArchive, FacilityDayLog
from zhulao.posts.models import Facility, Placement, Post
from zhulao.regions.choices import PREFIX_LENGTH, RegionLevel
from zhulao.regions.models import Region

# ------------------------------------------------------------------------------------ figures (S3)


@dataclass(frozen=True)
class OperationFigures:
    start: date
    end: date
    facilities: int
    operating: int  # facilities open at least one day in the period; no log at all counts as not operating
    avg_daily_hours: Decimal | None  # average hours over the logged open days

    @property
    def operating_rate(self) -> Decimal | None:
        if not self.facilities:
            return None
        return (Decimal(self.operating) / Decimal(self.facilities)).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Change:
    """After minus before: the operating rate in percentage points, the daily opening hours in per cent."""

    rate_points: Decimal | None
    hours_percent: Decimal | None


@dataclass(frozen=True)
class ChildFigures:
    """One row of the breakdown. ``own`` marks the facilities held at the region itself (a township's
    service center), which belong to none of its villages."""

    region: Region
    figures: OperationFigures
    own: bool = False


def _hours(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _facilities(user: Any, prefix: str) -> QuerySet[Facility]:
    """The facilities under ``prefix`` that ``user`` may view; ``user=None`` is the system (the command)."""
    rows = Facility.objects.all() if user is None else Facility.objects.visible_to(user, Action.FACILITY_VIEW)
    return rows.filter(region__code__startswith=prefix)


def _open_logs(facilities: QuerySet[Facility], start: date, end: date) -> QuerySet[FacilityDayLog]:
    return FacilityDayLog.objects.filter(facility__in=facilities, day__range=(start, end), hours_open__gt=0)


def operation_figures(*, user: Any, prefix: str, start: date, end: date) -> OperationFigures:
    """Operating rate (share of facilities open on at least one day) and average daily opening hours."""
    facilities = _facilities(user, prefix)
    agg = _open_logs(facilities, start, end).aggregate(operating=Count("facility", distinct=True), a=Avg("hours_open"))
    return OperationFigures(start, end, facilities.count(), agg["operating"], _hours(agg["a"]))


def before_after(*, user: Any, prefix: str, pivot: date, days: int = 90) -> tuple[OperationFigures, OperationFigures]:
    """The figures for the ``days`` before and after ``pivot`` (S3: +26 pp operating rate, +60 % hours)."""
    before = operation_figures(
        user=user, prefix=prefix, start=pivot - timedelta(days=days), end=pivot - timedelta(days=1)
    )
    after = operation_figures(user=user, prefix=prefix, start=pivot, end=pivot + timedelta(days=days - 1))
    return before, after


def change(before: OperationFigures, after: OperationFigures) -> Change:
    rate = None
    if before.operating_rate is not None and after.operating_rate is not None:
        rate = ((after.operating_rate - before.operating_rate) * 100).quantize(Decimal("0.1"))
    hours = None
    if before.avg_daily_hours and after.avg_daily_hours is not None:
        hours = ((after.avg_daily_hours - before.avg_daily_hours) / before.avg_daily_hours * 100).quantize(
            Decimal("0.1")
        )
    return Change(rate, hours)


def operation_breakdown(*, user: Any, region: Region, start: date, end: date) -> list[ChildFigures]:
    """The figures of each child region (county → township → village) for the period, in two grouped queries
    whatever the number of facilities and logs. Children without a facility are listed with zeros."""
    if region.level >= RegionLevel.VILLAGE:
        return []
    length = PREFIX_LENGTH[RegionLevel(region.level + 1)]
    regions = Region.objects.all() if user is None else Region.objects.visible_to(user, Action.FACILITY_VIEW)
    children = regions.filter(parent=region).order_by("code")
    facilities = _facilities(user, region.prefix)
    counts = dict(
        facilities.annotate(child=Substr("region_id", 1, length))
        .order_by()  # no Meta ordering in the GROUP BY
        .values("child")
        .annotate(n=Count("id"))
        .values_list("child", "n")
    )
    opened = {
        row["child"]: row
        for row in _open_logs(facilities, start, end)
        .annotate(child=Substr("region_id", 1, length))
        .order_by()
        .values("child")
        .annotate(operating=Count("facility", distinct=True), a=Avg("hours_open"))
    }

    def figures(key: str) -> OperationFigures:
        row = opened.get(key, {})
        return OperationFigures(start, end, counts.get(key, 0), row.get("operating", 0), _hours(row.get("a")))

    rows = [ChildFigures(child, figures(child.code[:length])) for child in children]
    own = region.code[:length]  # facilities at the region itself: their code ends in zeros at the child level
    if counts.get(own):
        rows.insert(0, ChildFigures(region, figures(own), own=True))
    return rows


def facilities_not_open(*, user: Any, prefix: str, start: date, end: date, limit: int = 100) -> dict[str, Any]:
    """The facilities with no open day logged in the period (no log at all counts too): the first ``limit``
    by region, and how many there are."""
    open_day = FacilityDayLog.objects.filter(facility=OuterRef("pk"), day__range=(start, end), hours_open__gt=0)
    rows = _facilities(user, prefix).exclude(Exists(open_day)).select_related("region").order_by("region_id", "name")
    return {"rows": list(rows[:limit]), "count": rows.count(), "limit": limit}


def period_or_default(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """The period asked for, filled in: by default the last month that has ended; a start alone runs to the
    end of that month (or to today when it starts later); an end alone starts on the first of its month."""
    month_end = today.replace(day=1) - timedelta(days=1)
    start = start or (end.replace(day=1) if end else month_end.replace(day=1))
    return start, end or (month_end if start <= month_end else today)


def helpers_started_on(*, user: Any, prefix: str) -> date | None:
    """The day the first helper started work on a post in the region (the natural pivot of the before/after:
    a post planned but not yet filled changes nothing at the facility); without any placement yet, the day the
    first posts opened."""
    placements = Placement.objects.all() if user is None else Placement.objects.visible_to(user, Action.FACILITY_VIEW)
    first: date | None = placements.filter(region__code__startswith=prefix).aggregate(d=Min("started_on"))["d"]
    if first is None:
        posts = Post.objects.all() if user is None else Post.objects.visible_to(user, Action.FACILITY_VIEW)
        first = posts.filter(region__code__startswith=prefix).aggregate(d=Min("opened_on"))["d"]
    return first


# ------------------------------------------------------------------------------------ cadence (S18)


def month_bounds(month_start: date) -> tuple[date, date]:
    """The first day of the month and the first day of the next one."""
    first = month_start.replace(day=1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _status(met: bool, missed: bool) -> str:
    return "missed" if missed else ("met" if met else "pending")


def cadence(*, facility: Facility, month_start: date) -> dict[str, Any]:
    """天天有活动、周周有公益、月月有主题 for one month, so far.

    - every day: each day before today has an activity (today counts once it has one);
    - every week: each ISO week that touches the month has a public-welfare activity, wherever in the week
      it lies (a week straddling two months or two years is one week: 2026-12-28 … 2027-01-03 is week 53
      of 2026 for both December and January); a week is missed only once it has ended;
    - the month: a monthly-theme activity in the month; missed only once the month has ended.
    Each check has a status ``met`` / ``missed`` / ``pending`` (nothing wrong yet, not done yet).
    """
    first, next_month = month_bounds(month_start)
    last = next_month - timedelta(days=1)
    monday, sunday = first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    today = clock.today()
    rows = list(
        Activity.objects.filter(facility=facility, held_on__range=(monday, sunday)).values_list(
            "held_on", "kind", "title"
        )
    )
    kinds: dict[date, set[str]] = {}
    for held_on, kind, _title in rows:
        if first <= held_on <= last:
            kinds.setdefault(held_on, set()).add(kind)
    welfare = {tuple(d.isocalendar())[:2] for d, kind, _t in rows if kind == ActivityKind.WEEKLY_WELFARE}
    themes = [t for d, kind, t in rows if kind == ActivityKind.MONTHLY_THEME and first <= d <= last]
    all_days = [first + timedelta(days=i) for i in range((next_month - first).days)]
    missing = [d for d in all_days if d < today and d not in kinds]
    weeks = []
    start = monday
    while start <= last:
        year, week, _weekday = start.isocalendar()
        end = start + timedelta(days=6)
        weeks.append(
            {
                "year": year,
                "week": week,
                "start": start,
                "end": end,
                "welfare": (year, week) in welfare,
                "ended": end < today,
                "days": [start + timedelta(days=i) for i in range(7)],
            }
        )
        start = end + timedelta(days=1)
    missed_weeks = [w for w in weeks if w["ended"] and not w["welfare"]]
    month_over = last < today
    judged = all_days[0] < today or first in kinds
    return {
        "month": first,
        "days": [(d, d in kinds) for d in all_days],
        "kinds": {d: sorted(k) for d, k in kinds.items()},
        "missing_days": missing,
        "every_day": not missing,
        "every_day_status": _status(judged and not missing, bool(missing)),
        "weeks": weeks,
        "missed_weeks": missed_weeks,
        "every_week": not missed_weeks,
        "every_week_status": _status(all(w["welfare"] for w in weeks), bool(missed_weeks)),
        "theme": bool(themes),
        "themes": themes,
        "theme_status": _status(bool(themes), month_over and not themes),
    }


def month_activities(*, facility: Facility, month_start: date) -> list[Activity]:
    """The month's activities, oldest first, with their helpers and the number of elders taking part."""
    first, next_month = month_bounds(month_start)
    return list(
        Activity.objects.filter(facility=facility, held_on__gte=first, held_on__lt=next_month)
        .annotate(elder_count=Count("elders", distinct=True))
        .prefetch_related("helpers")
        .order_by("held_on", "id")
    )


# ------------------------------------------------------------------------------------ participants


def helpers_for_facility(facility: Facility, *, on: date) -> QuerySet[User]:
    """Users holding the helper role on ``on`` at a village of the facility's township."""
    township = facility.region_id[:9]
    holders = RoleAssignment.objects.active(on).filter(role=Role.HELPER, region__code__startswith=township)
    return User.objects.filter(is_active=True, pk__in=holders.values("user_id")).order_by("username")


def township_helper_ids(facility: Facility) -> set[int]:
    """The users who hold or held (or will hold) the helper role in the facility's township, at any date."""
    township = facility.region_id[:9]
    return set(
        RoleAssignment.objects.filter(role=Role.HELPER, region__code__startswith=township).values_list(
            "user_id", flat=True
        )
    )


def elders_for_facility(*, user: Any, facility: Facility) -> QuerySet[ElderArchive]:
    """The active archives of the facility's village or township that ``user`` may view (the elders who can
    take part in its activities)."""
    return (
        ElderArchive.objects.visible_to(user, Action.ARCHIVE_VIEW)
        .filter(region__code__startswith=facility.region.prefix, status=ArchiveStatus.ACTIVE)
        .select_related("person", "region")
        .order_by("person__name", "id")
    )
