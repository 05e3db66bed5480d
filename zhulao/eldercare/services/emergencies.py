"""Emergencies (S16): report → acknowledge, escalating up the ladder (helper → village → township) when a
level misses its deadline from policy; 120/110 referrals; close with an outcome; a follow-up visit is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope
from zhulao.eldercare.choices import EmergencyKind, EscalationLevel
from zhulao.eldercare.models import ElderArchive, Emergency, EmergencyStep, Pairing
from zhulao.eldercare.services.notifications import notify

LADDER = [EscalationLevel.HELPER, EscalationLevel.VILLAGE, EscalationLevel.TOWNSHIP]
LEVEL_ROLE = {
    EscalationLevel.HELPER: Role.HELPER,
    EscalationLevel.VILLAGE: Role.VILLAGE_EMPLOYER,
    EscalationLevel.TOWNSHIP: Role.TOWNSHIP_EMPLOYER,
}


def _deadline(emergency: Emergency, level: str, since: datetime) -> datetime:
    minutes = int(policy.value("emergency.escalation", region=emergency.region_id, on=since.date())[level])
    return since + timedelta(minutes=minutes)


def responders(emergency: Emergency, level: str) -> list[User]:
    """Who must acknowledge at ``level``: the paired helper, the village staff, or the township staff."""
    if level == EscalationLevel.HELPER:
        return [p.helper for p in Pairing.objects.filter(archive=emergency.archive, ended_on__isnull=True)]
    prefix = emergency.region_id[:12] if level == EscalationLevel.VILLAGE else emergency.region_id[:9]
    users = User.objects.filter(
        is_active=True,
        assignments__role=LEVEL_ROLE[EscalationLevel(level)],
        assignments__revoked_at__isnull=True,
        assignments__region__code__startswith=prefix,
    ).distinct()
    return list(users)


def _step(emergency: Emergency, action: str, actor: Any, note: str = "") -> None:
    EmergencyStep.objects.create(
        emergency=emergency, action=action, level=emergency.level, actor=actor, at=clock.now(), note=note
    )


def _alert(emergency: Emergency) -> None:
    title = _("Emergency: %(kind)s · %(elder)s") % {"kind": emergency.get_kind_display(), "elder": emergency.archive}
    for user in responders(emergency, emergency.level):
        notify(user=user, kind="emergency", title=title, url=emergency.get_absolute_url())


@transaction.atomic
def emergency_report(
    *, actor: Any, archive: ElderArchive, kind: str, occurred_at: datetime, place: str = "", description: str = ""
) -> Emergency:
    """A helper (for a paired elder) or village / township staff reports an emergency."""
    paired = Pairing.objects.filter(archive=archive, helper=actor, ended_on__isnull=True).exists()
    if not paired:
        ensure_scope(actor, Action.ARCHIVE_EDIT, archive.region_id)
    if kind not in EmergencyKind.values:
        raise DomainError("invalid_kind", _("Choose what happened."), field="kind")
    now = clock.now()
    if occurred_at > now:
        raise DomainError("future_time", _("The time is in the future."), field="occurred_at")
    # the reporter's own level is acknowledged by the report itself; the next level must acknowledge
    level = EscalationLevel.VILLAGE if paired else EscalationLevel.TOWNSHIP
    emergency = Emergency(
        archive=archive,
        region=archive.region,
        kind=kind,
        occurred_at=occurred_at,
        place=place.strip(),
        description=description.strip(),
        reported_by=actor,
        level=level,
        level_since=now,
    )
    emergency.deadline = _deadline(emergency, level, now)
    emergency.full_clean()
    emergency.save()
    _step(emergency, "reported", actor, description)
    record_event(
        actor=actor,
        action="emergency.report",
        obj=emergency,
        region_code=emergency.region_id,
        changes={"kind": [None, kind]},
    )
    _alert(emergency)
    return emergency


def _can_acknowledge(actor: Any, emergency: Emergency) -> bool:
    return any(u.pk == actor.pk for u in responders(emergency, emergency.level)) or actor.can(
        Action.NEED_HANDLE, emergency.region_id
    )


@transaction.atomic
def emergency_acknowledge(*, actor: Any, emergency: Emergency, note: str = "") -> Emergency:
    emergency = Emergency.objects.select_for_update().get(pk=emergency.pk)
    if not _can_acknowledge(actor, emergency):
        raise Forbidden("not_a_responder", _("You are not on this emergency's response ladder."))
    if emergency.closed_at is not None or emergency.acknowledged_at is not None:
        return emergency
    emergency.acknowledged_at = clock.now()
    emergency.acknowledged_by = actor
    emergency.deadline = None
    emergency.save(update_fields=["acknowledged_at", "acknowledged_by", "deadline", "updated_at"])
    _step(emergency, "acknowledged", actor, note)
    record_event(actor=actor, action="emergency.acknowledge", obj=emergency, region_code=emergency.region_id)
    return emergency


@transaction.atomic
def emergency_escalate_due(*, now: datetime | None = None) -> int:
    """Move every unacknowledged emergency whose deadline passed one level up; alert the new level.
    Run periodically (``manage.py escalate_emergencies``); safe to re-run."""
    now = now or clock.now()
    moved = 0
    due = Emergency.objects.select_for_update().filter(
        closed_at__isnull=True, acknowledged_at__isnull=True, deadline__lt=now
    )
    for emergency in due:
        index = LADDER.index(EscalationLevel(emergency.level))
        if index + 1 >= len(LADDER):
            emergency.deadline = None  # the top level has it; nothing higher to alert
            emergency.save(update_fields=["deadline", "updated_at"])
            continue
        emergency.level = LADDER[index + 1]
        emergency.level_since = now
        emergency.deadline = _deadline(emergency, emergency.level, now)
        emergency.save(update_fields=["level", "level_since", "deadline", "updated_at"])
        _step(emergency, "escalated", None, _("No acknowledgement in time."))
        record_event(
            actor=None,
            action="emergency.escalate",
            obj=emergency,
            region_code=emergency.region_id,
            changes={"level": [LADDER[index], emergency.level]},
        )
        _alert(emergency)
        moved += 1
    return moved


@transaction.atomic
def emergency_refer(*, actor: Any, emergency: Emergency, service: str, note: str = "") -> Emergency:
    """Record a 120 (ambulance) or 110 (police) call."""
    emergency = Emergency.objects.select_for_update().get(pk=emergency.pk)
    if not _can_acknowledge(actor, emergency) and emergency.reported_by_id != actor.pk:
        raise Forbidden("not_a_responder", _("You are not on this emergency's response ladder."))
    if service not in ("120", "110"):
        raise DomainError("invalid_referral", _("Choose 120 or 110."), field="service")
    setattr(emergency, f"referral_{service}", True)
    emergency.save(update_fields=[f"referral_{service}", "updated_at"])
    _step(emergency, f"referral_{service}", actor, note)
    record_event(
        actor=actor,
        action="emergency.refer",
        obj=emergency,
        region_code=emergency.region_id,
        changes={"referral": [None, service]},
    )
    return emergency


@transaction.atomic
def emergency_close(*, actor: Any, emergency: Emergency, outcome: str) -> Emergency:
    """Close with the outcome; the elder then needs a follow-up visit within the policy's hours
    (shown on the helper's day as an emergency follow-up)."""
    emergency = Emergency.objects.select_for_update().get(pk=emergency.pk)
    if not _can_acknowledge(actor, emergency) and emergency.reported_by_id != actor.pk:
        raise Forbidden("not_a_responder", _("You are not on this emergency's response ladder."))
    if not outcome.strip():
        raise DomainError("outcome_required", _("Write the outcome."), field="outcome")
    if emergency.closed_at is not None:
        return emergency
    emergency.closed_at = clock.now()
    emergency.outcome = outcome.strip()
    emergency.deadline = None
    emergency.save(update_fields=["closed_at", "outcome", "deadline", "updated_at"])
    _step(emergency, "closed", actor, outcome)
    record_event(actor=actor, action="emergency.close", obj=emergency, region_code=emergency.region_id)
    for pairing in Pairing.objects.filter(archive=emergency.archive, ended_on__isnull=True):
        notify(
            user=pairing.helper,
            kind="followup",
            title=_("Follow-up visit due after the emergency of %(elder)s") % {"elder": emergency.archive},
            url=emergency.get_absolute_url(),
        )
    return emergency
