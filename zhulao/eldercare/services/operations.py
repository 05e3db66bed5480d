"""Activities (S18) and facility opening logs (S3): the writes. The figures and the cadence computed from
them are in ``zhulao.eldercare.selectors.operations`` (re-exported here, so older callers keep working)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import ensure_scope
from zhulao.eldercare.choices import ActivityKind, ArchiveStatus
from zhulao.eldercare.models import Activity, ElderArchive, FacilityDayLog
from zhulao.eldercare.selectors.operations import (
    OperationFigures,
    before_after,
    cadence,
    operation_figures,
    township_helper_ids,
)
from zhulao.posts.models import Facility

__all__ = [
    "OperationFigures",
    "activity_record",
    "before_after",
    "cadence",
    "day_log_record",
    "day_logs_record",
    "operation_figures",
]

# Pillow's format name → (file extension, save options). Anything else is refused.
PHOTO_FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "JPEG": ("jpg", {"quality": 85}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
}
PHOTO_LONG_SIDE = 2048  # stored photos are scaled down to this many pixels on their long side
PHOTO_MAX_PIXELS = 64_000_000  # larger images are refused before decoding (a small file can hide a huge one)


def _photo_content(photo: File[Any]) -> ContentFile[bytes]:
    """The photo checked by its content (not its name or declared type), scaled down to
    ``PHOTO_LONG_SIDE`` and re-encoded, which drops the metadata (a phone's EXIF carries the GPS position of
    the elder's home) and anything hidden in the file."""
    limit = int(settings.ACTIVITY_PHOTO_MAX_BYTES)
    if photo.size is None or photo.size > limit:
        raise DomainError(
            "photo_too_large",
            _("The photo is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
            field="photo",
        )
    refused = DomainError("photo_invalid", _("The photo must be a JPEG, PNG or WebP image."), field="photo")
    try:
        photo.seek(0)
        with Image.open(photo) as probe:
            kind = probe.format or ""
            if kind not in PHOTO_FORMATS or probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise refused  # another type, or a decompression bomb
            probe.verify()
        photo.seek(0)
        with Image.open(photo) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            extension, options = PHOTO_FORMATS[kind]
            out = BytesIO()
            upright.save(out, format=kind, **options)
    except DomainError:
        raise
    except Exception as exc:  # Pillow raises many kinds on a damaged or hostile file (OSError, SyntaxError …)
        raise refused from exc
    return ContentFile(out.getvalue(), name=f"photo.{extension}")


def _check_participants(facility: Facility, elders: list[ElderArchive], helpers: list[Any]) -> None:
    """Elders with an active archive in the facility's village or township; helpers of its township."""
    prefix = facility.region.prefix
    if any(not e.region_id.startswith(prefix) or e.status != ArchiveStatus.ACTIVE for e in elders):
        raise DomainError(
            "elder_outside_facility",
            _("Only elders with an active archive in the facility's village or township can take part."),
            field="elders",
        )
    # Any helper assignment in the township, past or future: an account is often issued (and its role
    # dated) after the work began, and an activity may be recorded days later.
    if helpers and not {h.pk for h in helpers} <= township_helper_ids(facility):
        raise DomainError("not_a_helper", _("Only helpers of the facility's township can be named."), field="helpers")


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
    photo: File[Any] | None = None,
) -> Activity:
    ensure_scope(actor, Action.FACILITY_OPERATE, facility.region_id)
    if kind not in ActivityKind.values:
        raise DomainError("invalid_kind", _("Choose the kind of activity."), field="kind")
    if held_on > clock.today():
        raise DomainError("future_date", _("The date is in the future."), field="held_on")
    if not title.strip():
        raise DomainError("title_required", _("A title is required."), field="title")
    elders, helpers = list(elders or []), list(helpers or [])
    _check_participants(facility, elders, helpers)
    activity = Activity(
        facility=facility,
        region=facility.region,
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        partner=partner.strip(),
        recorded_by=actor,
    )
    try:
        activity.full_clean(exclude=["recorded_by", "photo"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("invalid_input", messages[0], field=field) from exc
    if photo is not None:
        activity.photo = _photo_content(photo)
    activity.save()  # writes the photo file too (an orphan on disk if the transaction fails later)
    activity.elders.set(elders)
    activity.helpers.set(helpers)
    record_event(
        actor=actor,
        action="activity.record",
        obj=facility,
        region_code=facility.region_id,
        changes={
            "kind": [None, kind],
            "held_on": [None, held_on],
            "title": [None, activity.title],
            "elders": [None, len(elders)],
            "helpers": [None, len(helpers)],
            "photo": [None, bool(activity.photo)],
        },
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
