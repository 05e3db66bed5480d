"""Elder care over JSON, through the same services and selectors as the pages: the helper's day, visits and
needs, confirmation calls, coverage, indicators (emergencies and notifications: ``emergencies.py``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zhulao.api.v1._common import Day
from zhulao.api.v1._common import actor as _actor
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.dates import parse_month
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import require_action
from zhulao.eldercare import selectors, services
from zhulao.eldercare.models import ConfirmationCall, NeedReport, Visit
from zhulao.eldercare.selectors import indicators as indicator_selectors
from zhulao.eldercare.services import confirmations
from zhulao.regions import selectors as region_selectors
from zhulao.rules.dates import add_months

router = Router()


class DayItemOut(Schema):
    archive_id: UUID
    name: str
    village: str
    categories: list[str]
    last_visit: date | None
    due: bool
    overdue: bool
    next_due_by: date | None
    open_visit_id: UUID | None


@router.get("/care/today", response=list[DayItemOut])
def my_day(request: HttpRequest) -> list[DayItemOut]:
    """The signed-in helper's elders, overdue first."""
    helper = _actor(request)
    require_action(helper, Action.VISIT_RECORD)
    return [
        DayItemOut(
            archive_id=i.archive.public_id,
            name=i.archive.person.name,
            village=i.archive.region.name,
            categories=i.categories,
            last_visit=i.last_visit,
            due=bool(i.status and i.status.due),
            overdue=bool(i.status and i.status.overdue),
            next_due_by=i.status.next_due_by if i.status else None,
            open_visit_id=i.open_visit.public_id if i.open_visit else None,
        )
        for i in selectors.my_day(helper=helper, on=clock.today())
    ]


class VisitStartIn(Schema):
    location: str = ""
    visit_date: Day | None = None


class VisitOut(Schema):
    public_id: UUID
    archive_id: UUID
    visit_date: date
    submitted: bool


def _visit_out(visit: Visit) -> VisitOut:
    return VisitOut(
        public_id=visit.public_id,
        archive_id=visit.archive.public_id,
        visit_date=visit.visit_date,
        submitted=visit.submitted_at is not None,
    )


@router.post("/care/archives/{archive_id}/visits", response={201: VisitOut})
def visit_start(request: HttpRequest, archive_id: UUID, payload: VisitStartIn) -> Status[VisitOut]:
    helper = _actor(request)
    archive = selectors.get_archive_for_helper(helper, archive_id)
    return Status(201, _visit_out(services.visit_start(actor=helper, archive=archive, **payload.dict())))


class VisitSubmitIn(Schema):
    services: dict[str, int]
    living_state: str = ""
    psychological_state: str = ""
    family_contacted: bool = False
    notes: str = ""
    new_needs: list[str] = []


@router.post("/care/visits/{visit_id}/submit", response=VisitOut)
def visit_submit(request: HttpRequest, visit_id: UUID, payload: VisitSubmitIn) -> VisitOut:
    helper = _actor(request)
    require_action(helper, Action.VISIT_RECORD)
    visit = Visit.objects.filter(public_id=visit_id, helper=helper).select_related("archive").first()
    if visit is None:
        raise Http404
    return _visit_out(services.visit_submit(actor=helper, visit=visit, **payload.dict()))


class NeedOut(Schema):
    public_id: UUID
    elder: str
    description: str
    status: str


class NeedHandleIn(Schema):
    note: str


@router.get("/care/needs", response=list[NeedOut])
def need_list(request: HttpRequest, status: str = "open") -> list[NeedOut]:
    require_action(request.user, Action.NEED_HANDLE)  # a role without it: 403, as on the page
    rows = selectors.need_list(user=_actor(request), status=status)[:500]
    return [
        NeedOut(public_id=n.public_id, elder=n.archive.person.name, description=n.description, status=n.status)
        for n in rows
    ]


@router.post("/care/needs/{need_id}/handle", response=NeedOut)
def need_handle(request: HttpRequest, need_id: UUID, payload: NeedHandleIn) -> NeedOut:
    actor = _actor(request)
    need = NeedReport.objects.select_related("archive__person").get_for_user(
        actor, Action.NEED_HANDLE, public_id=need_id
    )
    need = services.need_handle(actor=actor, need=need, note=payload.note)
    return NeedOut(
        public_id=need.public_id, elder=need.archive.person.name, description=need.description, status=need.status
    )


# ------------------------------------------------------------------------------------ confirmation calls


class ContactOut(Schema):
    name: str
    relation: str
    phone_masked: str


class CallOut(Schema):
    visit_id: UUID
    month: date
    elder: str
    village: str
    helper: str
    visit_date: date
    contacts: list[ContactOut]
    result: str
    note: str
    called_by: str | None
    called_at: datetime | None


class CallRecordIn(Schema):
    result: str
    note: str = ""


def _call_out(c: ConfirmationCall) -> CallOut:
    return CallOut(
        visit_id=c.visit.public_id,
        month=c.month,
        elder=c.visit.archive.person.name,
        village=c.region.name,
        helper=str(c.visit.helper),
        visit_date=c.visit.visit_date,
        contacts=[
            ContactOut(name=k.name, relation=k.relation, phone_masked=k.phone_masked)
            for k in c.visit.archive.contacts.all()
        ],
        result=c.result,
        note=c.note,
        called_by=str(c.called_by) if c.called_by else None,
        called_at=c.called_at,
    )


def _month(raw: str) -> date:
    return parse_month(raw, default=add_months(clock.today().replace(day=1), -1))


@router.get("/care/calls", response=list[CallOut])
def call_list(request: HttpRequest, month: str = "") -> list[CallOut]:
    """The month's sampled confirmation calls in view scope (default: last month), calls to make first."""
    actor = _actor(request)
    require_action(actor, Action.ARCHIVE_VIEW)
    return [_call_out(c) for c in selectors.call_list(user=actor, month=_month(month))[:500]]


@router.post("/care/calls/{visit_id}/record", response=CallOut)
def call_record(request: HttpRequest, visit_id: UUID, payload: CallRecordIn) -> CallOut:
    """Record the result; again with a note, a correction (audited)."""
    actor = _actor(request)
    call = selectors.get_call_for_user(actor, visit_id)
    confirmations.call_record(actor=actor, call=call, result=payload.result, note=payload.note)
    return _call_out(selectors.get_call_for_user(actor, visit_id))


# ------------------------------------------------------------------------------------ coverage (S14)


class CoverageFiguresOut(Schema):
    region: str
    name: str
    due: int
    visited: int
    share: Decimal | None
    not_visited: int
    followups_due: int
    followups_in_time: int


class CoverageOut(CoverageFiguresOut):
    on: date
    children: list[CoverageFiguresOut]


def _figures(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "region": row.region.code,
        "name": row.region.name,
        "due": row.due,
        "visited": row.visited,
        "share": row.share,
        "not_visited": len(row.not_visited),
        "followups_due": row.followups_due,
        "followups_in_time": row.followups_in_time,
    }


@router.get("/care/coverage", response=CoverageOut)
def coverage(request: HttpRequest, region: str = "") -> CoverageOut:
    """The coverage figures of a region in view scope (default: the top of the scope) and of its children."""
    actor = _actor(request)
    place = region_selectors.pick_region(actor, Action.ARCHIVE_VIEW, region)
    today = clock.today()
    total, children = selectors.coverage(user=actor, region=place, on=today)
    return CoverageOut(**_figures(total), on=today, children=[CoverageFiguresOut(**_figures(r)) for r in children])


# ------------------------------------------------------------------------------------ indicators (S19)


class IndicatorsOut(Schema):
    region_code: str
    start: date
    end: date
    archives: int
    households: int
    groups: dict[str, int]
    paired: int
    helpers: int
    visits: int
    elders_visited: int
    services: dict[str, dict[str, int]]
    needs: dict[str, int]
    emergencies: dict[str, int]
    confirmed: int
    activities: dict[str, int]
    operating_rate: Decimal | None
    avg_daily_hours: Decimal | None


@router.get("/care/indicators", response=IndicatorsOut)
def indicators(request: HttpRequest, region: str = "", start: Day | None = None, end: Day | None = None) -> Any:
    """The elder-care indicators of a region in view scope (default: the top of the scope) for a period
    (default: this year so far); the same figures as the indicators page."""
    actor = _actor(request)
    place = region_selectors.pick_region(actor, Action.ARCHIVE_VIEW, region)
    today = clock.today()
    first, last = start or date(today.year, 1, 1), end or today
    if first > last:
        raise DomainError("bad_period", _("The end is before the start."), field="end")
    f = indicator_selectors.indicators(user=actor, region=place, start=first, end=last)
    return IndicatorsOut(
        region_code=place.code,
        start=first,
        end=last,
        archives=f.archives,
        households=f.households,
        groups=dict(f.groups),
        paired=f.paired,
        helpers=f.helpers,
        visits=f.visits,
        elders_visited=f.elders_visited,
        services={s["kind"]: {"count": s["count"], "minutes": s["minutes"]} for s in f.services},
        needs=f.needs,
        emergencies=f.emergencies,
        confirmed=f.confirmations["confirmed"],
        activities={a["kind"]: a["count"] for a in f.activities},
        operating_rate=f.operation.operating_rate if f.operation else None,
        avg_daily_hours=f.operation.avg_daily_hours if f.operation else None,
    )
