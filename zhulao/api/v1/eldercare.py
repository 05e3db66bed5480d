"""Elder care over JSON: the helper's day, visits and needs, through the same services."""

from __future__ import annotations

from datetime import date
from typing import cast
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from zhulao.accounts.models import User
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import require_action
from zhulao.eldercare import selectors, services
from zhulao.eldercare.models import NeedReport, Visit

router = Router()


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


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
    visit_date: date | None = None


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
