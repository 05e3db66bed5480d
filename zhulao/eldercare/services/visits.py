"""Pairing (S14), visits with services (S15) and new needs (S17).

A helper records visits only for the elders paired with them, on the day they visit (never a future
date); new needs go to the township, which marks them handled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope, require_action
from zhulao.eldercare.choices import NeedStatus, ServiceKind
from zhulao.eldercare.models import ElderArchive, NeedReport, Pairing, ServiceRecord, Visit
from zhulao.eldercare.services.notifications import notify_new_needs


@transaction.atomic
def pairing_assign(*, actor: Any, archive: ElderArchive, helper: Any) -> Pairing:
    """Pair ``helper`` with the elder from today; an earlier pairing ends (its history stays)."""
    ensure_scope(actor, Action.PAIRING_MANAGE, archive.region_id)
    helper_regions = [a.region.prefix for a in helper.active_assignments() if a.role == Role.HELPER]
    if not any(archive.region_id.startswith(p[:9]) for p in helper_regions):
        raise DomainError("helper_not_local", _("The helper does not work in this elder's township."), field="helper")
    today = clock.today()
    current = Pairing.objects.select_for_update().filter(archive=archive, ended_on__isnull=True).first()
    if current is not None:
        if current.helper_id == helper.pk:
            return current
        current.ended_on = today
        current.save(update_fields=["ended_on"])
    pairing = Pairing.objects.create(
        archive=archive, helper=helper, region=archive.region, started_on=today, assigned_by=actor
    )
    record_event(
        actor=actor,
        action="pairing.assign",
        obj=archive,
        region_code=archive.region_id,
        changes={"helper": [current.helper.get_username() if current else None, helper.get_username()]},
    )
    return pairing


@transaction.atomic
def pairing_end(*, actor: Any, pairing: Pairing, reason: str) -> Pairing:
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    ensure_scope(actor, Action.PAIRING_MANAGE, pairing.region_id)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if pairing.ended_on is None:
        pairing.ended_on = clock.today()
        pairing.save(update_fields=["ended_on"])
        record_event(
            actor=actor, action="pairing.end", obj=pairing.archive, region_code=pairing.region_id, reason=reason
        )
    return pairing


def _ensure_paired(actor: Any, archive: ElderArchive) -> None:
    require_action(actor, Action.VISIT_RECORD)
    if not Pairing.objects.filter(archive=archive, helper=actor, ended_on__isnull=True).exists():
        raise Forbidden("not_paired", _("You are not paired with this elder, so you cannot record a visit."))


@transaction.atomic
def visit_start(*, actor: Any, archive: ElderArchive, location: str = "", visit_date: date | None = None) -> Visit:
    """Start a visit ("开始走访") at the elder's door: the open time is recorded now; the location only if the
    helper allowed it. ``visit_date`` lets a helper without signal record an earlier day; never a future one."""
    _ensure_paired(actor, archive)
    now = clock.now()
    day = visit_date or clock.today()
    if day > clock.today():
        raise DomainError("future_date", _("A visit cannot be dated in the future."), field="visit_date")
    pairing = Pairing.objects.filter(archive=archive, helper=actor, ended_on__isnull=True).first()
    if pairing is not None and day < pairing.started_on:
        raise DomainError("before_pairing", _("The visit date is before the pairing began."), field="visit_date")
    open_visit = Visit.objects.filter(archive=archive, helper=actor, submitted_at__isnull=True, visit_date=day).first()
    if open_visit is not None:
        return open_visit  # a double tap continues the same visit
    visit = Visit.objects.create(
        archive=archive,
        helper=actor,
        region=archive.region,
        opened_at=now,
        visit_date=day,
        location=location.strip()[:60],
    )
    record_event(actor=actor, action="visit.start", obj=visit, region_code=visit.region_id)
    return visit


@transaction.atomic
def visit_submit(
    *,
    actor: Any,
    visit: Visit,
    services: dict[str, int],
    living_state: str = "",
    psychological_state: str = "",
    family_contacted: bool = False,
    notes: str = "",
    new_needs: list[str] | None = None,
) -> Visit:
    """Submit the visit with the services given (minutes each) and any new needs (routed to the township)."""
    visit = Visit.objects.select_for_update().select_related("archive").get(pk=visit.pk)
    if visit.helper_id != getattr(actor, "pk", None):
        raise Forbidden("not_your_visit", _("Only the helper who opened this visit can submit it."))
    _ensure_paired(actor, visit.archive)
    if visit.submitted_at is not None:
        return visit  # submitted already (a resent form): nothing changes
    unknown = set(services) - set(ServiceKind.values)
    if unknown:
        raise DomainError("invalid_service", _("Unknown service."), field="services")
    if not services:
        raise DomainError("services_required", _("Tick at least one service given."), field="services")
    for kind, minutes in services.items():
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
            raise DomainError(
                "invalid_minutes",
                _("Minutes for %(service)s must be between 1 and 600.") % {"service": ServiceKind(kind).label},
                field="services",
            )
    visit.submitted_at = clock.now()
    visit.living_state = living_state.strip()
    visit.psychological_state = psychological_state.strip()
    visit.family_contacted = family_contacted
    visit.notes = notes.strip()
    visit.save()
    try:
        ServiceRecord.objects.bulk_create([ServiceRecord(visit=visit, kind=k, minutes=m) for k, m in services.items()])
    except IntegrityError as exc:
        raise DomainError("invalid_service", _("A service was given twice.")) from exc
    needs = [text.strip() for text in new_needs or [] if text.strip()]
    for text in needs:
        NeedReport.objects.create(
            archive=visit.archive, visit=visit, region=visit.region, description=text, reported_by=actor
        )
    record_event(
        actor=actor,
        action="visit.submit",
        obj=visit,
        region_code=visit.region_id,
        changes={"services": [None, services], "needs": [None, len(needs)]},
    )
    if needs:
        notify_new_needs(visit=visit, count=len(needs))
    return visit


@transaction.atomic
def need_handle(*, actor: Any, need: NeedReport, note: str) -> NeedReport:
    need = NeedReport.objects.select_for_update().get(pk=need.pk)
    ensure_scope(actor, Action.NEED_HANDLE, need.region_id)
    if not note.strip():
        raise DomainError("note_required", _("Write how the need was handled."), field="note")
    if need.status == NeedStatus.HANDLED:
        return need
    need.status = NeedStatus.HANDLED
    need.handled_by = actor
    need.handled_at = clock.now()
    need.handling_note = note.strip()
    need.save(update_fields=["status", "handled_by", "handled_at", "handling_note", "updated_at"])
    record_event(actor=actor, action="need.handle", obj=need.archive, region_code=need.region_id, reason=note)
    return need
