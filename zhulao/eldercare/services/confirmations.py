"""Family confirmation of visits: a short expiring link (and QR code) the family opens without login."""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.eldercare.models import FamilyConfirmation, Visit

FAILED_LOOKUPS_PER_HOUR = 20


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def confirmation_issue(*, actor: Any, visit: Visit) -> str:
    """A new link for a submitted visit (only its helper); returns the token, shown once (link and QR)."""
    if visit.helper_id != getattr(actor, "pk", None):
        raise Forbidden("not_your_visit", _("Only the helper of this visit can share its confirmation link."))
    if visit.submitted_at is None:
        raise DomainError("not_submitted", _("Submit the visit first."))
    token = secrets.token_urlsafe(9)  # 12 characters: short enough to read out, 72 bits of randomness
    days = int(policy.value("confirmation.link_days", region=visit.region_id, on=clock.today()))
    confirmation, _created = FamilyConfirmation.objects.update_or_create(
        visit=visit, defaults={"token_hash": _hash(token), "expires_at": clock.now() + timedelta(days=days)}
    )
    if confirmation.confirmed_at is not None:
        raise DomainError("already_confirmed", _("The family has already confirmed this visit."))
    record_event(actor=actor, action="confirmation.issue", obj=visit, region_code=visit.region_id)
    return token


def qr_svg(url: str) -> str:
    """The link as an inline-safe SVG QR code (generated locally; no network)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def lookup(token: str, *, ip: str) -> FamilyConfirmation:
    """The confirmation for a token; unknown or expired tokens count against the address (throttled)."""
    recent = AuditEvent.objects.filter(
        action="confirmation.lookup_failed", ip=ip, occurred_at__gte=clock.now() - timedelta(hours=1)
    ).count()
    if ip and recent >= FAILED_LOOKUPS_PER_HOUR:
        raise Forbidden("throttled", _("Too many attempts from this address. Please try again later."))
    confirmation = (
        FamilyConfirmation.objects.select_related("visit__archive__person", "visit__helper")
        .filter(token_hash=_hash(token))
        .first()
    )
    if confirmation is None or confirmation.expires_at < clock.now():
        record_event(
            actor=None,
            action="confirmation.lookup_failed",
            object_type="eldercare.familyconfirmation",
            outcome="failure",
        )
        raise DomainError("link_invalid", _("This link is not valid or has expired."))
    return confirmation


def confirmation_submit(
    *, token: str, happened: bool, rating: int | None, comment: str = "", ip: str = ""
) -> FamilyConfirmation:
    """The family says whether the visit happened and rates it (once). The lookup runs first, outside the
    transaction, so a failed attempt stays counted for the throttle."""
    found = lookup(token, ip=ip)
    with transaction.atomic():
        return _confirm(found, happened=happened, rating=rating, comment=comment)


def _confirm(found: FamilyConfirmation, *, happened: bool, rating: int | None, comment: str) -> FamilyConfirmation:
    confirmation = FamilyConfirmation.objects.select_for_update().select_related("visit").get(pk=found.pk)
    if confirmation.confirmed_at is not None:
        raise DomainError("already_confirmed", _("Thank you: this visit has already been confirmed."))
    if rating is not None and not 1 <= rating <= 5:
        raise DomainError("invalid_rating", _("Choose 1 to 5 stars."), field="rating")
    confirmation.confirmed_at = clock.now()
    confirmation.happened = happened
    confirmation.rating = rating
    confirmation.comment = comment.strip()[:300]
    confirmation.save(update_fields=["confirmed_at", "happened", "rating", "comment"])
    record_event(
        actor=None,
        action="confirmation.submit",
        obj=confirmation.visit,
        region_code=confirmation.visit.region_id,
        changes={"happened": [None, happened], "rating": [None, rating]},
    )
    return confirmation
