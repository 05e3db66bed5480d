"""Activities (S18) and facility operation (S3) over JSON: the same services and selectors as the pages.

An activity is recorded without a photo here (the page takes the photo). Rates and hours are decimals,
written as strings in the JSON (``"0.2600"``, ``"7.50"``), so nothing is lost to floating point.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zhulao.accounts.models import User
from zhulao.api.v1._common import Day
from zhulao.api.v1._common import actor as _actor
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.dates import parse_month
from zhulao.core.exceptions import DomainError
from zhulao.eldercare.models import Activity
from zhulao.eldercare.selectors import operations as selectors
from zhulao.eldercare.services import operations as services
from zhulao.posts import selectors as posts_selectors
from zhulao.posts.models import Facility
from zhulao.regions import selectors as region_selectors

router = Router()

WINDOW_DAYS = (7, 366)  # the before/after window the figures accept, as on the page


def _month(value: str | None) -> date:
    return parse_month(value, default=clock.today().replace(day=1))


# ------------------------------------------------------------------------------------ activities (S18)


class ActivityIn(Schema):
    kind: str
    held_on: Day
    title: str
    partner: str = ""
    elder_ids: list[UUID] = []
    helper_ids: list[UUID] = []


class ActivityOut(Schema):
    public_id: UUID
    facility_id: UUID
    kind: str
    held_on: Day
    title: str
    partner: str
    elders: int
    helpers: int


def _participants(actor: User, facility: Facility, payload: ActivityIn) -> dict[str, Any]:
    """The elders and helpers named by public id; an id the user cannot see is refused by name."""
    wanted = set(payload.elder_ids)
    elders = list(selectors.elders_for_facility(user=actor, facility=facility).filter(public_id__in=wanted))
    if len(elders) != len(wanted):
        raise DomainError(
            "elder_outside_facility",
            _("Only elders with an active archive in the facility's village or township can take part."),
            field="elder_ids",
        )
    helpers = list(User.objects.filter(public_id__in=set(payload.helper_ids)))
    if len(helpers) != len(set(payload.helper_ids)):
        raise DomainError(
            "not_a_helper",
            _("Only helpers of the facility's township can be named."),
            field="helper_ids",
        )
    return {"elders": elders, "helpers": helpers}


@router.post("/care/facilities/{facility_id}/activities", response={201: ActivityOut})
def activity_record(request: HttpRequest, facility_id: UUID, payload: ActivityIn) -> Status[ActivityOut]:
    """Record an activity (facility.operate): the same checks as the page, without a photo."""
    actor = _actor(request)
    facility = posts_selectors.get_facility_for_user(actor, facility_id, Action.FACILITY_OPERATE)
    activity: Activity = services.activity_record(
        actor=actor,
        facility=facility,
        kind=payload.kind,
        held_on=payload.held_on,
        title=payload.title,
        partner=payload.partner,
        **_participants(actor, facility, payload),
    )
    return Status(
        201,
        ActivityOut(
            public_id=activity.public_id,
            facility_id=facility.public_id,
            kind=activity.kind,
            held_on=activity.held_on,
            title=activity.title,
            partner=activity.partner,
            elders=activity.elders.count(),
            helpers=activity.helpers.count(),
        ),
    )


class CheckOut(Schema):
    met: bool
    status: str  # met / missed / pending


class WeekOut(Schema):
    year: int
    week: int
    start: date
    end: date
    welfare: bool
    ended: bool


class CadenceOut(Schema):
    month: str
    every_day: CheckOut
    every_week: CheckOut
    theme: CheckOut
    days: dict[str, list[str]]  # the days with an activity (ISO) → the kinds held that day
    missing_days: list[date]
    weeks: list[WeekOut]
    themes: list[str]


@router.get("/care/facilities/{facility_id}/cadence", response=CadenceOut)
def cadence(request: HttpRequest, facility_id: UUID, month: str | None = None) -> CadenceOut:
    """天天有活动、周周有公益、月月有主题 for a month (``month=YYYY-MM``, default this month)."""
    facility = posts_selectors.get_facility_for_user(_actor(request), facility_id)
    r = selectors.cadence(facility=facility, month_start=_month(month))
    return CadenceOut(
        month=f"{r['month']:%Y-%m}",
        every_day=CheckOut(met=r["every_day"], status=r["every_day_status"]),
        every_week=CheckOut(met=r["every_week"], status=r["every_week_status"]),
        theme=CheckOut(met=r["theme"], status=r["theme_status"]),
        days={d.isoformat(): kinds for d, kinds in sorted(r["kinds"].items())},
        missing_days=r["missing_days"],
        weeks=[WeekOut(**{k: w[k] for k in ("year", "week", "start", "end", "welfare", "ended")}) for w in r["weeks"]],
        themes=r["themes"],
    )


# ------------------------------------------------------------------------------------ opening log (S3)


class OpeningLogIn(Schema):
    hours: dict[Day, Decimal]  # {"2026-06-01": 8, "2026-06-02": 7.5, …}


class OpeningLogOut(Schema):
    month: str
    hours: dict[str, Decimal]  # the logged days (ISO) → hours open


class OpeningLogSaved(Schema):
    added: int
    changed: int
    unchanged: int


@router.get("/care/facilities/{facility_id}/opening-log/{month}", response=OpeningLogOut)
def opening_log(request: HttpRequest, facility_id: UUID, month: str) -> OpeningLogOut:
    facility = posts_selectors.get_facility_for_user(_actor(request), facility_id)
    first, next_month = selectors.month_bounds(_month(month))
    logs = facility.day_logs.filter(day__gte=first, day__lt=next_month)
    return OpeningLogOut(
        month=f"{first:%Y-%m}", hours={d.isoformat(): h for d, h in logs.values_list("day", "hours_open")}
    )


@router.api_operation(["PUT", "POST"], "/care/facilities/{facility_id}/opening-log/{month}", response=OpeningLogSaved)
def opening_log_save(request: HttpRequest, facility_id: UUID, month: str, payload: OpeningLogIn) -> OpeningLogSaved:
    """A month's sheet at once: days added, corrected or kept; one bad day saves nothing."""
    actor = _actor(request)
    facility = posts_selectors.get_facility_for_user(actor, facility_id, Action.FACILITY_OPERATE)
    first, next_month = selectors.month_bounds(_month(month))
    outside = sorted(d for d in payload.hours if not first <= d < next_month)
    if outside:
        raise DomainError(
            "day_outside_month",
            _("%(day)s is not in %(month)s.") % {"day": outside[0].isoformat(), "month": f"{first:%Y-%m}"},
            field="hours",
        )
    return OpeningLogSaved(**services.day_logs_record(actor=actor, facility=facility, hours=payload.hours))


# ------------------------------------------------------------------------------------ figures (S3)


class FiguresOut(Schema):
    start: date
    end: date
    facilities: int
    operating: int
    operating_rate: Decimal | None
    avg_daily_hours: Decimal | None


class ChildOut(Schema):
    code: str
    name: str
    own: bool  # the facilities held at the region itself (a township's service center)
    figures: FiguresOut


class ChangeOut(Schema):
    rate_points: Decimal | None
    hours_percent: Decimal | None


class OperationOut(Schema):
    region: str
    region_name: str
    period: FiguresOut
    children: list[ChildOut]
    pivot: date
    helpers_started_on: date | None
    before: FiguresOut
    after: FiguresOut
    change: ChangeOut


def _figures(f: selectors.OperationFigures) -> FiguresOut:
    return FiguresOut(
        start=f.start,
        end=f.end,
        facilities=f.facilities,
        operating=f.operating,
        operating_rate=f.operating_rate,
        avg_daily_hours=f.avg_daily_hours,
    )


@router.get("/care/operation", response=OperationOut)
def operation(
    request: HttpRequest,
    region: str = "",
    start: Day | None = None,
    end: Day | None = None,
    pivot: Day | None = None,
    days: int = 90,
) -> OperationOut:
    """Operation figures of a region in scope (default: the top of the user's scope) for a period (default:
    the last full month), per child region, and before/after ``pivot`` (default: the day the first helpers
    started work)."""
    actor = _actor(request)
    place = region_selectors.pick_region(actor, Action.FACILITY_VIEW, region)
    if not WINDOW_DAYS[0] <= days <= WINDOW_DAYS[1]:
        raise DomainError("invalid_window", _("The window is from 7 to 366 days."), field="days")
    if start and end and start > end:
        raise DomainError("invalid_period", _("The end is before the start."), field="end")
    start, end = selectors.period_or_default(start, end, today=clock.today())
    helpers_started = selectors.helpers_started_on(user=actor, prefix=place.prefix)
    pivot = pivot or helpers_started or clock.today() - timedelta(days=days)
    before, after = selectors.before_after(user=actor, prefix=place.prefix, pivot=pivot, days=days)
    change = selectors.change(before, after)
    return OperationOut(
        region=place.code,
        region_name=place.name,
        period=_figures(selectors.operation_figures(user=actor, prefix=place.prefix, start=start, end=end)),
        children=[
            ChildOut(code=c.region.code, name=c.region.name, own=c.own, figures=_figures(c.figures))
            for c in selectors.operation_breakdown(user=actor, region=place, start=start, end=end)
        ],
        pivot=pivot,
        helpers_started_on=helpers_started,
        before=_figures(before),
        after=_figures(after),
        change=ChangeOut(rate_points=change.rate_points, hours_percent=change.hours_percent),
    )
