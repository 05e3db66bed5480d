"""Emergencies (S16) and the notification centre over JSON, through the same services as the pages."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from zhulao.api.v1._common import DbId, Moment
from zhulao.api.v1._common import actor as _actor
from zhulao.core import clock
from zhulao.eldercare import selectors
from zhulao.eldercare.models import Emergency, Notification
from zhulao.eldercare.services import emergencies, notifications

router = Router()


# ------------------------------------------------------------------------------------ emergencies (S16)


class EmergencyOut(Schema):
    public_id: UUID
    archive_id: UUID
    elder: str
    kind: str
    level: str
    occurred_at: datetime
    deadline: datetime | None
    acknowledged_at: datetime | None
    referral_120: bool
    referral_110: bool
    closed_at: datetime | None
    outcome: str


def _emergency_out(e: Emergency) -> EmergencyOut:
    return EmergencyOut(
        public_id=e.public_id,
        archive_id=e.archive.public_id,
        elder=e.archive.person.name,
        kind=e.kind,
        level=e.level,
        occurred_at=e.occurred_at,
        deadline=e.deadline,
        acknowledged_at=e.acknowledged_at,
        referral_120=e.referral_120,
        referral_110=e.referral_110,
        closed_at=e.closed_at,
        outcome=e.outcome,
    )


class EmergencyReportIn(Schema):
    kind: str
    place: str = ""
    description: str = ""
    occurred_at: Moment | None = None


class NoteIn(Schema):
    note: str = ""


class ReferIn(Schema):
    service: str
    note: str = ""


class CloseIn(Schema):
    outcome: str


@router.get("/care/emergencies", response=list[EmergencyOut])
def emergency_list(request: HttpRequest, status: str = "open") -> list[EmergencyOut]:
    """Emergencies in reach (paired elders, or the regions in view scope): open ones by deadline by default."""
    actor = _actor(request)
    selectors.require_emergency_view(actor)
    rows = selectors.emergencies_for(actor)
    if status == "open":
        rows = rows.filter(closed_at__isnull=True).order_by("deadline", "-occurred_at")
    else:  # "closed", or "all"
        rows = rows.filter(closed_at__isnull=False) if status == "closed" else rows
        rows = rows.order_by("-occurred_at")
    return [_emergency_out(e) for e in rows[:200]]


@router.post("/care/archives/{archive_id}/emergencies", response={201: EmergencyOut})
def emergency_report(request: HttpRequest, archive_id: UUID, payload: EmergencyReportIn) -> Status[EmergencyOut]:
    actor = _actor(request)
    archive = selectors.get_archive_for_reporter(actor, archive_id)
    data = payload.dict()
    data["occurred_at"] = data["occurred_at"] or clock.now()
    return Status(201, _emergency_out(emergencies.emergency_report(actor=actor, archive=archive, **data)))


@router.post("/care/emergencies/{emergency_id}/acknowledge", response=EmergencyOut)
def emergency_acknowledge(request: HttpRequest, emergency_id: UUID, payload: NoteIn) -> EmergencyOut:
    actor = _actor(request)
    emergency = selectors.get_emergency_for_user(actor, emergency_id)
    return _emergency_out(emergencies.emergency_acknowledge(actor=actor, emergency=emergency, note=payload.note))


@router.post("/care/emergencies/{emergency_id}/refer", response=EmergencyOut)
def emergency_refer(request: HttpRequest, emergency_id: UUID, payload: ReferIn) -> EmergencyOut:
    """Record a 120 (ambulance) or 110 (police) call."""
    actor = _actor(request)
    emergency = selectors.get_emergency_for_user(actor, emergency_id)
    service, note = payload.service, payload.note
    return _emergency_out(emergencies.emergency_refer(actor=actor, emergency=emergency, service=service, note=note))


@router.post("/care/emergencies/{emergency_id}/close", response=EmergencyOut)
def emergency_close(request: HttpRequest, emergency_id: UUID, payload: CloseIn) -> EmergencyOut:
    actor = _actor(request)
    emergency = selectors.get_emergency_for_user(actor, emergency_id)
    return _emergency_out(emergencies.emergency_close(actor=actor, emergency=emergency, outcome=payload.outcome))


# ------------------------------------------------------------------------------------ notifications


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    created_at: datetime
    read: bool


class UnreadOut(Schema):
    unread: int


class MarkReadIn(Schema):
    ids: list[DbId] | None = None


class MarkedOut(Schema):
    marked: int


@router.get("/care/notifications", response=list[NotificationOut])
def notification_list(request: HttpRequest, unread: bool = False) -> list[NotificationOut]:
    """The signed-in user's own notifications, newest first (at most 100)."""
    rows = Notification.objects.filter(user=_actor(request))
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [
        NotificationOut(id=n.pk, kind=n.kind, title=n.title, url=n.url, created_at=n.created_at, read=bool(n.read_at))
        for n in rows.order_by("-created_at")[:100]
    ]


@router.get("/care/notifications/unread-count", response=UnreadOut)
def notification_unread(request: HttpRequest) -> UnreadOut:
    return UnreadOut(unread=Notification.objects.filter(user=_actor(request), read_at__isnull=True).count())


@router.post("/care/notifications/read", response=MarkedOut)
def notification_read(request: HttpRequest, payload: MarkReadIn) -> MarkedOut:
    """Mark the given notifications (by default all) of the signed-in user read."""
    return MarkedOut(marked=notifications.mark_read(user=_actor(request), ids=payload.ids))
