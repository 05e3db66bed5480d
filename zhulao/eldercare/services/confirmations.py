"""Family confirmation of visits: a short expiring link (and QR code) the family opens without login."""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import date, timedelta
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhulao import policy
from zhulao.core import clock, throttle
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope
from zhulao.eldercare.models import ConfirmationCall, FamilyConfirmation, Visit
from zhulao.eldercare.selectors.calls import month_visits, stats_aggregates
from zhulao.rules.dates import add_months


def failed_lookups_per_ip() -> throttle.Limit:
    """Unknown or expired tokens from one client address (``CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR``)."""
    return throttle.Limit("confirmation_ip", settings.CONFIRMATION_LOOKUP_FAILS_PER_IP_PER_HOUR, timedelta(hours=1))


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
    if ip:
        throttle.check(failed_lookups_per_ip(), ip, _("Too many attempts from this address. Please try again later."))
    confirmation = (
        FamilyConfirmation.objects.select_related("visit__archive__person", "visit__helper")
        .filter(token_hash=_hash(token))
        .first()
    )
    if confirmation is None or confirmation.expires_at < clock.now():
        if ip:
            throttle.hit(failed_lookups_per_ip(), ip)
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


@transaction.atomic
def sample_calls(*, month: date, seed: int | None = None) -> int:
    """Draw the monthly random sample of submitted visits per township for a confirmation call. Re-running
    for the same month adds nothing. ``seed`` makes the draw reproducible (tests); otherwise it is random."""
    import random

    start = month.replace(day=1)
    end = add_months(start, 1)
    if ConfirmationCall.objects.filter(month=start).exists():
        return 0
    rng = random.Random(seed) if seed is not None else random.SystemRandom()  # noqa: S311 - sampling, not security
    by_township: dict[str, list[Visit]] = {}
    for visit in Visit.objects.filter(submitted_at__isnull=False, visit_date__gte=start, visit_date__lt=end):
        by_township.setdefault(visit.region_id[:9], []).append(visit)
    drawn = 0
    for township, visits in sorted(by_township.items()):
        size = int(policy.value("confirmation.calls_per_township", region=township.ljust(12, "0"), on=start))
        for visit in rng.sample(visits, min(size, len(visits))):
            ConfirmationCall.objects.create(visit=visit, region_id=visit.region_id, month=start)
            drawn += 1
    record_event(
        actor=None,
        action="confirmation.sample",
        object_type="eldercare.confirmationcall",
        changes={"month": [None, start], "drawn": [None, drawn]},
    )
    return drawn


@transaction.atomic
def call_record(*, actor: Any, call: ConfirmationCall, result: str, note: str = "") -> ConfirmationCall:
    """The village records the result of a confirmation call. Recording again is a correction: it needs a
    note saying why, and its audit event keeps the earlier result; the same result and note again (a resent
    form) change nothing."""
    call = ConfirmationCall.objects.select_for_update().select_related("visit").get(pk=call.pk)
    ensure_scope(actor, Action.PAIRING_MANAGE, call.region_id)
    if result not in ConfirmationCall.Result.values:
        raise DomainError("invalid_result", _("Choose the result of the call."), field="result")
    note = note.strip()[:300]
    before = call.result
    if before and (before, call.note) == (result, note):
        return call
    if before and not note:
        raise DomainError(
            "correction_note_required", _("Say in the note why the earlier result is corrected."), field="note"
        )
    call.result = result
    call.note = note
    call.called_by = actor
    call.called_at = clock.now()
    call.save(update_fields=["result", "note", "called_by", "called_at"])
    record_event(
        actor=actor,
        action="confirmation.call_correct" if before else "confirmation.call",
        obj=call.visit,
        region_code=call.region_id,
        changes={"result": [before or None, result]},
        reason=note if before else "",
    )
    return call


def monthly_stats(*, helper: Any, month: date) -> dict[str, Any]:
    """Confirmations and ratings of one helper's visits in a month, for the monthly assessment."""
    return month_visits(month).filter(helper=helper).aggregate(**stats_aggregates())
