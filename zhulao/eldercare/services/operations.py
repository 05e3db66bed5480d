"""Activities (S18) and facility opening logs (S3), and the figures computed from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import ensure_scope
from zhulao.eldercare.models import Activity, ElderArchive, FacilityDayLog
from zhulao.eldercare.models.activities import ActivityKind
from zhulao.posts.models import Facility


@transaction.atomic
def activity_record(
    *,
    actor: Any,
    facility: Facility,
    kind: str,
    held_on: date,
    title: str,
    partner: str = "",
    elders: list[ElderArchive] | None = None,
    helpers: list[Any] | None = None,
) -> Activity:
    ensure_scope(actor, Action.FACILITY_OPERATE, facility.region_id)
    if kind not in ActivityKind.values:
        raise DomainError("invalid_kind", _("Choose the kind of activity."), field="kind")
    if held_on > clock.today():
        raise DomainError("future_date", _("The date is in the future."), field="held_on")
    if not title.strip():
        raise DomainError("title_required", _("A title is required."), field="title")
    activity = Activity.objects.create(
        facility=facility,
        region=facility.region,
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        partner=partner.strip(),
        recorded_by=actor,
    )
    activity.elders.set(elders or [])
    activity.helpers.set(helpers or [])
    record_event(
        actor=actor,
        action="activity.record",
        obj=facility,
        region_code=facility.region_id,
        changes={"kind": [None, kind], "held_on": [None, held_on]},
    )
    return activity


@transaction.atomic
def day_log_record(*, actor: Any, facility: Facility, day: date, hours_open: Decimal) -> FacilityDayLog:
    ensure_scope(actor, Action.FACILITY_OPERATE, facility.region_id)
    if day > clock.today():
        raise DomainError("future_date", _("The date is in the future."), field="day")
    if not Decimal(0) <= hours_open <= Decimal(24):
        raise DomainError("invalid_hours", _("Hours open are between 0 and 24."), field="hours_open")
    try:
        with transaction.atomic():
            log = FacilityDayLog.objects.create(
                facility=facility, region=facility.region, day=day, hours_open=hours_open, recorded_by=actor
            )
    except IntegrityError as exc:
        raise DomainError("duplicate_day", _("This day is already recorded for the facility."), field="day") from exc
    record_event(
        actor=actor,
        action="facility.day_log",
        obj=facility,
        region_code=facility.region_id,
        changes={"day": [None, day], "hours_open": [None, hours_open]},
    )
    return log


@transaction.atomic
def day_logs_record(*, actor: Any, facility: Facility, hours: dict[date, Decimal]) -> dict[str, int]:
    """A facility's opening log for several days at once (the month sheet): new days are added, a day
    recorded with other hours is corrected (before → after kept in the audit event), an unchanged day is
    left alone. Every day is checked before anything is written: one bad day refuses the whole sheet, and
    the error names the day. Returns ``{"added": n, "changed": n, "unchanged": n}``."""
    ensure_scope(actor, Action.FACILITY_OPERATE, facility.region_id)
    today = clock.today()
    for day, value in sorted(hours.items()):
        if day > today:
            raise DomainError("future_date", _("%(day)s is in the future.") % {"day": day.isoformat()}, field="hours")
        if not Decimal(0) <= value <= Decimal(24):
            raise DomainError(
                "invalid_hours",
                _("%(day)s: hours open are between 0 and 24.") % {"day": day.isoformat()},
                field="hours",
            )
    existing = {
        log.day: log
        for log in FacilityDayLog.objects.select_for_update().filter(facility=facility, day__in=list(hours))
    }
    added: list[FacilityDayLog] = []
    changed: dict[str, list[Any]] = {}
    for day, value in sorted(hours.items()):
        log = existing.get(day)
        if log is None:
            added.append(
                FacilityDayLog(facility=facility, region=facility.region, day=day, hours_open=value, recorded_by=actor)
            )
        elif log.hours_open != value:
            changed[day.isoformat()] = [log.hours_open, value]
            log.hours_open = value
            log.recorded_by = actor
            log.save(update_fields=["hours_open", "recorded_by"])
    FacilityDayLog.objects.bulk_create(added)
    if added or changed:
        record_event(
            actor=actor,
            action="facility.day_logs",
            obj=facility,
            region_code=facility.region_id,
            changes={
                "first_day": [None, min(hours)],
                "last_day": [None, max(hours)],
                "added": [None, len(added)],
                **changed,
            },
        )
    return {"added": len(added), "changed": len(changed), "unchanged": len(hours) - len(added) - len(changed)}


@dataclass(frozen=True)
class OperationFigures:
    start: date
    end: date
    facilities: int
    operating: int  # facilities open at least one day in the period
    avg_daily_hours: Decimal | None  # average hours over the logged open days

    @property
    def operating_rate(self) -> Decimal | None:
        if not self.facilities:
            return None
        return (Decimal(self.operating) / Decimal(self.facilities)).quantize(Decimal("0.0001"))


def operation_figures(*, user: Any, prefix: str, start: date, end: date) -> OperationFigures:
    """Operating rate (share of facilities open on at least one day) and average daily opening hours."""
    facilities = Facility.objects.visible_to(user, Action.FACILITY_VIEW).filter(region__code__startswith=prefix)
    logs = FacilityDayLog.objects.filter(facility__in=facilities, day__range=(start, end))
    operating = logs.filter(hours_open__gt=0).values("facility").distinct().count()
    avg = logs.filter(hours_open__gt=0).aggregate(a=Avg("hours_open"))["a"]
    return OperationFigures(
        start, end, facilities.count(), operating, Decimal(avg).quantize(Decimal("0.01")) if avg is not None else None
    )


def before_after(*, user: Any, prefix: str, pivot: date, days: int = 90) -> tuple[OperationFigures, OperationFigures]:
    """The figures for the ``days`` before and after ``pivot`` (S3: +26 pp operating rate, +60 % hours)."""
    before = operation_figures(
        user=user, prefix=prefix, start=pivot - timedelta(days=days), end=pivot - timedelta(days=1)
    )
    after = operation_figures(user=user, prefix=prefix, start=pivot, end=pivot + timedelta(days=days - 1))
    return before, after


def cadence(*, facility: Facility, month_start: date) -> dict[str, Any]:
    """天天有活动、周周有公益、月月有主题 for one month: which days, weeks and the month are covered."""
    next_month = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
    rows = Activity.objects.filter(facility=facility, held_on__gte=month_start, held_on__lt=next_month)
    days_with = {a.held_on for a in rows}
    weeks_with = {a.held_on.isocalendar()[1] for a in rows if a.kind == ActivityKind.WEEKLY_WELFARE}
    all_days = [month_start + timedelta(days=i) for i in range((next_month - month_start).days)]
    weeks = sorted({d.isocalendar()[1] for d in all_days})
    counts = rows.aggregate(theme=Count("id", filter=Q(kind=ActivityKind.MONTHLY_THEME)))
    return {
        "days": [(d, d in days_with) for d in all_days],
        "every_day": all(d in days_with for d in all_days if d <= clock.today()),
        "weeks": [(w, w in weeks_with) for w in weeks],
        "every_week": all(w in weeks_with for w in weeks),
        "theme": counts["theme"] > 0,
    }
