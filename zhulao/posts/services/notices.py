"""公示: HR opens a public notice of the qualified candidates for N working days (from policy, counted
with the holiday calendar); anyone may object while it is open; it is archived as a hashed snapshot."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao.core import clock, throttle
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.policy import selectors as policy_selectors
from zhulao.policy.selectors import Resolved
from zhulao.posts.choices import ApplicationStatus, NoticeStatus, ObjectionStatus, Standing
from zhulao.posts.citations import snapshot_period
from zhulao.posts.models import Application, ApplicationStep, Objection, Post, PublicNotice, RecruitmentBatch
from zhulao.posts.selectors import notice_candidates
from zhulao.posts.services import standing
from zhulao.posts.services._common import ensure_scope
from zhulao.posts.services.recruitment import application_reject, ensure_separation
from zhulao.regions.models import Region
from zhulao.rules.idcard import age_on
from zhulao.rules.workdays import add_working_days


def objections_per_ip() -> throttle.Limit:
    """Objections from one client address (settings ``OBJECTIONS_PER_IP_PER_HOUR``), on the core throttle."""
    return throttle.Limit("objection_ip", settings.OBJECTIONS_PER_IP_PER_HOUR, timedelta(hours=1))


def notice_period(*, region: Region, opens_on: date) -> tuple[date, Resolved]:
    """The last day of a notice opened on ``opens_on``, and the parameter that decided it."""
    rule = policy_selectors.resolve("recruitment.notice_period", region=region, on=opens_on)
    days = int(rule.value["days"])
    if rule.value["unit"] == "calendar_day":
        return opens_on + timedelta(days=days - 1), rule
    # Load only the calendars of the years the period reaches: next year's is published late in the year.
    years = [opens_on.year]
    while True:
        calendar = policy_selectors.work_calendar(years=years, region=region)
        closes_on = add_working_days(opens_on, days, calendar)
        if closes_on.year <= years[-1]:
            return closes_on, rule
        years = list(range(opens_on.year, closes_on.year + 1))


def public_entry(application: Application) -> dict[str, Any]:
    """What a notice shows of a candidate: only the allowlisted, masked fields (PIPL, SECURITY §E)."""
    person = application.person
    return {
        "application": str(application.public_id),
        "name": person.name,
        "sex": person.get_sex_display(),
        "age": age_on(person.birth_date, application.notice.opens_on if application.notice else clock.today()),
        "village": person.region.name,
        "post": str(application.post),
        "id_number": person.id_number_masked,
        # 拟聘人员 or 候补人员 (with the reserves' order): what the notice lists the candidate as
        "standing": application.standing or Standing.PROPOSED,
        "reserve_order": application.reserve_order,
    }


@transaction.atomic
def notice_open(
    *, actor: Any, batch: RecruitmentBatch, region: Region, title: str = "", opens_on: date | None = None
) -> PublicNotice:
    """Open a notice for every qualified application of ``batch`` in ``region``."""
    ensure_scope(actor, Action.NOTICE_MANAGE, region.code)
    opens_on = opens_on or clock.today()
    waiting = Application.objects.filter(
        batch=batch, status=ApplicationStatus.QUALIFIED, region__code__startswith=region.prefix
    )
    for post in Post.objects.filter(pk__in=waiting.values("post")).order_by("pk"):
        standing.rank_post(actor=actor, post=post)  # 拟聘 / 候补 as they stand now, frozen by the notice
    applications = list(
        Application.objects.select_for_update()
        .filter(batch=batch, status=ApplicationStatus.QUALIFIED, region__code__startswith=region.prefix)
        .select_related("person__region", "post__facility")
        .order_by("applied_at", "id")
    )
    if not applications:
        raise DomainError("nothing_to_notice", _("No qualified application in this region waits for a notice."))
    standing.ensure_places_respected(applications)
    closes_on, rule = notice_period(region=region, opens_on=opens_on)
    notice = PublicNotice(
        batch=batch,
        region=region,
        title=title.strip() or str(_("Public notice of the candidates for %(batch)s") % {"batch": batch.title}),
        opens_on=opens_on,
        closes_on=closes_on,
        period_basis=rule.cite(),
        period_parameter_id=rule.parameter_id,
        opened_by=actor,
    )
    notice.full_clean()
    notice.save()
    for application in applications:
        application.notice = notice
        application.status = ApplicationStatus.IN_NOTICE
        application.save(update_fields=["notice", "status", "updated_at"])
        ApplicationStep.objects.create(
            application=application,
            from_status=ApplicationStatus.QUALIFIED,
            to_status=ApplicationStatus.IN_NOTICE,
            actor=actor,
            at=clock.now(),
            note=notice.title,
        )
    record_event(
        actor=actor,
        action="notice.open",
        obj=notice,
        region_code=region.code,
        changes={"candidates": [None, len(applications)], "closes_on": [None, closes_on]},
    )
    return notice


def source_hash(ip: str) -> str:
    """A keyed hash of the client address: enough to throttle, never the address itself."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def objection_raise(
    *, notice: PublicNotice, application: Application, text: str, contact: str = "", ip: str = ""
) -> Objection:
    """Anyone may object to a candidate while the notice is open (no login; throttled per address)."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    today = clock.today()
    if notice.status != NoticeStatus.OPEN or not notice.opens_on <= today <= notice.closes_on:
        raise DomainError("notice_closed", _("This notice is not open for objections."))
    if application.notice_id != notice.pk or application.status != ApplicationStatus.IN_NOTICE:
        raise DomainError("not_a_candidate", _("This person is not a candidate of this notice."), field="application")
    text = text.strip()
    if not 5 <= len(text) <= 2000:
        raise DomainError("text_length", _("Describe the objection in 5 to 2000 characters."), field="text")
    digest = source_hash(ip) if ip else ""
    if ip:
        throttle.check(objections_per_ip(), ip, _("Too many objections from this address. Please try again later."))
        throttle.hit(objections_per_ip(), ip)  # in this transaction: only objections stored count
    objection = Objection(
        notice=notice,
        application=application,
        region=application.region,
        text=text,
        contact=contact.strip()[:100],
        source_hash=digest,
    )
    objection.full_clean(exclude=["contact"])
    objection.save()
    record_event(
        actor=None,
        action="objection.raise",
        obj=objection,
        region_code=objection.region_id,
        object_repr=str(application.public_id),
    )
    return objection


@transaction.atomic
def objection_resolve(*, actor: Any, objection: Objection, uphold: bool, resolution: str) -> Objection:
    """HR upholds (the candidate is rejected with the reason) or dismisses an objection, with a reason."""
    objection = Objection.objects.select_for_update().select_related("application").get(pk=objection.pk)
    ensure_scope(actor, Action.NOTICE_MANAGE, objection.region_id)
    ensure_separation(actor, objection.application, decision=False)
    if objection.status != ObjectionStatus.OPEN:
        raise DomainError("already_resolved", _("This objection has already been resolved."))
    if not resolution.strip():
        raise DomainError("reason_required", _("Write the reason for the decision."), field="resolution")
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = actor
    objection.resolved_at = clock.now()
    objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    record_event(
        actor=actor,
        action="objection.resolve",
        obj=objection,
        region_code=objection.region_id,
        changes={"status": ["open", objection.status]},
        reason=resolution,
    )
    if uphold and objection.application.status == ApplicationStatus.IN_NOTICE:
        application_reject(
            actor=actor,
            application=objection.application,
            reason=str(_("Objection upheld: %(reason)s") % {"reason": resolution.strip()}),
        )
    return objection


def snapshot_of(notice: PublicNotice) -> str:
    """Canonical JSON of what the notice showed the public: the archive that is hashed."""
    entries = [public_entry(a) for a in notice_candidates(notice, standing_only=True)]
    # The period and its official document (never the research note); a notice opened before the
    # row was recorded keeps the basis text it was opened with.
    archived_period = snapshot_period(notice)
    period: dict[str, Any] = {"period": archived_period} if archived_period else {"period_basis": notice.period_basis}
    content = {
        "notice": str(notice.public_id),
        "title": notice.title,
        "region": notice.region.name,
        "opens_on": notice.opens_on.isoformat(),
        "closes_on": notice.closes_on.isoformat(),
        **period,
        "candidates": entries,
        "objections": notice.objections.count(),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@transaction.atomic
def notice_close(*, actor: Any, notice: PublicNotice) -> PublicNotice:
    """After the period has ended: archive the notice as an immutable snapshot with its SHA-256."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    ensure_scope(actor, Action.NOTICE_MANAGE, notice.region_id)
    if notice.status != NoticeStatus.OPEN:
        return notice
    if clock.today() <= notice.closes_on:
        raise DomainError(
            "period_running",
            _("The notice period runs until %(day)s; it can be closed from the next day.")
            % {"day": notice.closes_on.isoformat()},
        )
    notice.snapshot = snapshot_of(notice)
    notice.snapshot_sha256 = hashlib.sha256(notice.snapshot.encode()).hexdigest()
    notice.status = NoticeStatus.CLOSED
    notice.closed_by = actor
    notice.closed_at = clock.now()
    notice.save(update_fields=["snapshot", "snapshot_sha256", "status", "closed_by", "closed_at", "updated_at"])
    record_event(
        actor=actor,
        action="notice.close",
        obj=notice,
        region_code=notice.region_id,
        changes={"sha256": [None, notice.snapshot_sha256]},
    )
    return notice
