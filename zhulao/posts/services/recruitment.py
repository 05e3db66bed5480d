"""Batches and the application workflow: submit → recommend → review → qualify (→ notice → hire), or
reject / withdraw with a reason. Each transition checks the role, the scope and separation of duties
(S20), locks the row, writes a step and an audit event in the same transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.people import eligibility
from zhulao.people.models import Person
from zhulao.posts.choices import (
    ALLOWED_TRANSITIONS,
    ApplicationStatus,
    BatchStatus,
    ConflictKind,
    SubmittedVia,
)
from zhulao.posts.models import Application, ApplicationStep, ConflictFlag, Placement, Post, RecruitmentBatch
from zhulao.posts.services import standing
from zhulao.posts.services._common import ensure_scope
from zhulao.regions.choices import PREFIX_LENGTH, RegionLevel
from zhulao.regions.models import Region
from zhulao.rules.eligibility import HukouType

# The decision steps: four different people must take them for one application (S20).
DECISION_STEPS = frozenset(
    {ApplicationStatus.RECOMMENDED, ApplicationStatus.REVIEWED, ApplicationStatus.QUALIFIED, ApplicationStatus.HIRED}
)
# Who may reject an application, by its current status: the role responsible for the next step.
REJECT_ACTION = {
    ApplicationStatus.SUBMITTED: Action.APPLICATION_RECOMMEND,
    ApplicationStatus.RECOMMENDED: Action.APPLICATION_REVIEW,
    ApplicationStatus.REVIEWED: Action.APPLICATION_QUALIFY,
    ApplicationStatus.QUALIFIED: Action.NOTICE_MANAGE,
    ApplicationStatus.IN_NOTICE: Action.NOTICE_MANAGE,
}
LOCAL_RULE_LEVEL = {"township": RegionLevel.TOWNSHIP, "county": RegionLevel.COUNTY, "city": RegionLevel.CITY}


# ------------------------------------------------------------------------------------------ batches


@transaction.atomic
def batch_publish(
    *,
    actor: Any,
    title: str,
    region: Region,
    posts: list[Post],
    allowed_hukou_types: list[str],
    applications_open: date,
    applications_close: date,
    description: str = "",
) -> RecruitmentBatch:
    """Civil Affairs publishes a recruitment batch for vacant posts inside its scope."""
    ensure_scope(actor, Action.BATCH_PUBLISH, region.code)
    if not title.strip():
        raise DomainError("title_required", _("A title is required."), field="title")
    if not posts:
        raise DomainError("posts_required", _("Choose at least one vacant post."), field="posts")
    if applications_close < applications_open:
        raise DomainError("bad_dates", _("Applications close before they open."), field="applications_close")
    allowed = [t for t in allowed_hukou_types if t in HukouType.__members__.values()]
    if not allowed or len(allowed) != len(allowed_hukou_types):
        raise DomainError(
            "invalid_hukou_types", _("Choose the registration types the batch allows."), field="allowed_hukou_types"
        )
    vacant = set(Post.objects.vacant().filter(pk__in=[p.pk for p in posts]).values_list("pk", flat=True))
    for post in posts:
        if not post.region_id.startswith(region.prefix):
            raise DomainError("post_outside_region", _("A post lies outside the batch's region."), field="posts")
        if post.pk not in vacant:
            raise DomainError("post_not_vacant", _("%(post)s is not vacant.") % {"post": post}, field="posts")
    batch = RecruitmentBatch(
        title=title.strip(),
        region=region,
        allowed_hukou_types=allowed,
        local_rule=str(policy.value("recruitment.local_placement", region=region, on=applications_open)),
        applications_open=applications_open,
        applications_close=applications_close,
        description=description.strip(),
        status=BatchStatus.OPEN,
        published_by=actor,
        published_at=clock.now(),
    )
    batch.full_clean()
    batch.save()
    batch.posts.set(posts)
    record_event(
        actor=actor,
        action="batch.publish",
        obj=batch,
        region_code=region.code,
        changes={"posts": [None, len(posts)], "allowed_hukou_types": [None, allowed]},
    )
    return batch


@transaction.atomic
def batch_close(*, actor: Any, batch: RecruitmentBatch, reason: str = "") -> RecruitmentBatch:
    batch = RecruitmentBatch.objects.select_for_update().get(pk=batch.pk)
    ensure_scope(actor, Action.BATCH_PUBLISH, batch.region_id)
    if batch.status == BatchStatus.CLOSED:
        return batch
    batch.status = BatchStatus.CLOSED
    batch.save(update_fields=["status", "updated_at"])
    record_event(actor=actor, action="batch.close", obj=batch, region_code=batch.region_id, reason=reason)
    return batch


# ------------------------------------------------------------------------------------- applications


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("person", "post", "batch").get(pk=application.pk)


def _move(application: Application, to: str, *, actor: Any, note: str = "", action: str) -> Application:
    if to not in ALLOWED_TRANSITIONS[application.status]:
        raise DomainError(
            "wrong_status",
            _("This application is %(status)s; it cannot move to %(to)s.")
            % {"status": application.get_status_display(), "to": ApplicationStatus(to).label},
        )
    before = application.status
    application.status = to
    application.save()
    ApplicationStep.objects.create(
        application=application, from_status=before, to_status=to, actor=actor, at=clock.now(), note=note.strip()
    )
    record_event(
        actor=actor,
        action=action,
        obj=application,
        region_code=application.region_id,
        changes={"status": [before, to]},
        reason=note.strip(),
    )
    return application


def ensure_separation(
    actor: Any, application: Application, *, refuse_shared_contact: bool = False, decision: bool = True
) -> None:
    """S20: one user takes at most one decision step of an application, and never one from their own
    household (or their own application).

    A phone or bank account shared with the recommending cadre or a reviewer is *flagged* (to be resolved
    before qualification); the qualifier and the hirer themselves must share none (``refuse_shared_contact``),
    since nobody would be left to resolve a flag raised against the person taking the last steps."""
    if actor is None:
        return
    if decision and application.steps.filter(actor=actor, to_status__in=DECISION_STEPS).exists():
        raise Forbidden(
            "same_person",
            _("You have already decided an earlier step of this application; another person must take this one."),
        )
    own: Person | None = getattr(actor, "person", None)
    applicant = application.person
    if own is not None and (
        own.pk == applicant.pk or (own.household_id is not None and own.household_id == applicant.household_id)
    ):
        raise Forbidden("own_household", _("Nobody may act on an application from their own household."))
    if (
        refuse_shared_contact
        and own is not None
        and (
            (own.phone_index and own.phone_index == applicant.phone_index)
            or (own.bank_account_index and own.bank_account_index == applicant.bank_account_index)
        )
    ):
        raise Forbidden(
            "conflict_with_actor",
            _("You share a phone number or bank account with the applicant: another person must take this step."),
        )


def _check_local(person: Person, post: Post, rule: str) -> None:
    level = LOCAL_RULE_LEVEL.get(rule)
    if level is None:
        return
    length = PREFIX_LENGTH[level]
    if person.hukou_region_code[:length] != post.region_id[:length]:
        raise DomainError(
            "not_local",
            _("Placement is local: the applicant's household registration must be in the post's %(level)s.")
            % {"level": level.label},
            field="post",
        )


def application_region(post: Post, person: Person) -> Region:
    """The village that enters and recommends an application: the post's own village or, for a post above
    village level (a service center's posts serve the whole township), the applicant's village."""
    return post.region if post.region.level == RegionLevel.VILLAGE else person.region


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    batch: RecruitmentBatch,
    post: Post,
    person: Person,
    via: str = SubmittedVia.STAFF,
    contact_phone: str = "",
    note: str = "",
) -> Application:
    """Enter an application (village staff at the applicant's request, or the public portal: actor None)."""
    batch = RecruitmentBatch.objects.select_for_update().get(pk=batch.pk)
    region = application_region(post, person)
    if via == SubmittedVia.STAFF:
        ensure_scope(actor, Action.APPLICATION_SUBMIT, region.code)
        ensure_scope(actor, Action.APPLICATION_SUBMIT, person.region_id)
    today = clock.today()
    if batch.status != BatchStatus.OPEN or not batch.applications_open <= today <= batch.applications_close:
        raise DomainError("batch_not_open", _("This batch is not taking applications today."), field="batch")
    if not batch.posts.filter(pk=post.pk).exists():
        raise DomainError("post_not_in_batch", _("The post is not part of this batch."), field="post")
    if person.merged_into_id is not None:
        raise DomainError("merged_person", _("This record was merged into another; apply with that one."))
    _check_local(person, post, batch.local_rule)
    if (
        Application.objects.filter(batch=batch, person=person)
        .exclude(status__in=[ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN])
        .exists()
    ):
        raise DomainError("duplicate_application", _("This person already has an open application in this batch."))
    application = Application(
        batch=batch,
        post=post,
        person=person,
        region=region,
        submitted_via=via,
        applied_at=clock.now(),
        contact_phone=contact_phone,
    )
    application.full_clean(exclude=["contact_phone"])
    application.save()
    ApplicationStep.objects.create(
        application=application,
        from_status="",
        to_status=ApplicationStatus.SUBMITTED,
        actor=actor,
        at=clock.now(),
        note=note.strip(),
    )
    record_event(
        actor=actor,
        action="application.submit",
        obj=application,
        region_code=application.region_id,
        changes={"via": [None, via]},
    )
    return application


def _conflict_parties(actor: Any, application: Application) -> list[tuple[Person, str]]:
    """The people an applicant must not share a household, phone or bank account with."""
    parties: list[tuple[Person, str]] = []
    own = getattr(actor, "person", None) if actor is not None else None
    if own is not None:
        parties.append((own, "step:" + application.status))
    for step in application.steps.select_related("actor__person").filter(actor__isnull=False):
        person = getattr(step.actor, "person", None)
        if person is not None:
            parties.append((person, "step:" + step.to_status))
    helpers = Person.objects.filter(pk__in=Placement.objects.active().values("person")).exclude(
        pk=application.person_id
    )
    parties.extend(
        (helper, "current_helper") for helper in helpers.filter(region__code__startswith=application.region_id[:9])
    )
    return parties


def check_conflicts(actor: Any, application: Application) -> list[ConflictFlag]:
    """Flag an applicant sharing a household, phone or bank account with a cadre acting on the application
    or a current helper of the same township. Flags are idempotent."""
    applicant = application.person
    found = []
    for other, role in _conflict_parties(actor, application):
        if other.pk == applicant.pk:
            continue
        kinds = []
        if applicant.household_id and applicant.household_id == other.household_id:
            kinds.append(ConflictKind.HOUSEHOLD)
        if applicant.phone_index and applicant.phone_index == other.phone_index:
            kinds.append(ConflictKind.PHONE)
        if applicant.bank_account_index and applicant.bank_account_index == other.bank_account_index:
            kinds.append(ConflictKind.BANK_ACCOUNT)
        for kind in kinds:
            flag, created = ConflictFlag.objects.get_or_create(
                application=application, kind=kind, other_person=other, other_role=role
            )
            if created:
                found.append(flag)
                record_event(
                    actor=actor,
                    action="application.conflict_flag",
                    obj=application,
                    region_code=application.region_id,
                    changes={"kind": [None, kind], "with": [None, role]},
                )
    return found


@transaction.atomic
def application_recommend(*, actor: Any, application: Application, note: str = "") -> Application:
    """推荐: the village employer recommends; conflicts of interest are flagged now."""
    application = _lock(application)
    ensure_scope(actor, Action.APPLICATION_RECOMMEND, application.region_id)
    ensure_separation(actor, application)
    application = _move(
        application, ApplicationStatus.RECOMMENDED, actor=actor, note=note, action="application.recommend"
    )
    check_conflicts(actor, application)
    return application


@transaction.atomic
def application_review(*, actor: Any, application: Application, note: str = "") -> Application:
    """审核: Civil Affairs reviews the recommended application."""
    application = _lock(application)
    ensure_scope(actor, Action.APPLICATION_REVIEW, application.region_id)
    ensure_separation(actor, application)
    application = _move(application, ApplicationStatus.REVIEWED, actor=actor, note=note, action="application.review")
    check_conflicts(actor, application)
    return application


def decision_snapshot(decision: Any) -> dict[str, Any]:
    data = asdict(decision)
    data["on"] = decision.on.isoformat()
    data["planned_end"] = decision.planned_end.isoformat() if decision.planned_end else None
    data["categories"] = sorted(str(c) for c in decision.categories)
    return data


@transaction.atomic
def application_qualify(
    *, actor: Any, application: Application, override_reason: str = "", note: str = ""
) -> Application:
    """资格审查: the employment service center runs the eligibility engine. A decision other than "eligible"
    may be overridden only with a written reason (audited). Open conflict flags block qualification."""
    application = _lock(application)
    ensure_scope(actor, Action.APPLICATION_QUALIFY, application.region_id)
    ensure_separation(actor, application, refuse_shared_contact=True)
    check_conflicts(actor, application)
    if application.conflicts.filter(resolved_at__isnull=True).exists():
        raise DomainError(
            "open_conflicts", _("Resolve the conflict-of-interest flags, with a written reason, before qualifying.")
        )
    today = clock.today()
    decision = eligibility.decide(
        application.person, on=today, allowed=[HukouType(t) for t in application.batch.allowed_hukou_types]
    )
    if not decision.eligible and not override_reason.strip():
        failed = [c for c in decision.criteria if c.status != "passed"]
        raise DomainError(
            "not_eligible",
            _("The eligibility check did not pass (%(criteria)s). Qualifying anyway needs a written override reason.")
            % {"criteria": "、".join(c.reason_zh for c in failed)},
            field="override_reason",
        )
    application.eligibility = decision_snapshot(decision)
    application.override_reason = override_reason.strip() if not decision.eligible else ""
    if application.override_reason:
        record_event(
            actor=actor,
            action="application.override",
            obj=application,
            region_code=application.region_id,
            changes={"eligibility": [None, str(decision.status)]},
            reason=application.override_reason,
        )
    application = _move(application, ApplicationStatus.QUALIFIED, actor=actor, note=note, action="application.qualify")
    # 拟聘 or 候补: the post has one place; the engine's priority, then the application time, decides.
    standing.rank_post(actor=actor, post=application.post)
    application.refresh_from_db(fields=["standing", "reserve_order"])
    return application


@transaction.atomic
def application_reject(*, actor: Any, application: Application, reason: str) -> Application:
    """Reject at the current step, by the role responsible for it, with a reason."""
    application = _lock(application)
    action = REJECT_ACTION.get(ApplicationStatus(application.status))
    if action is None:
        raise DomainError("wrong_status", _("This application is already closed."))
    ensure_scope(actor, action, application.region_id)
    ensure_separation(actor, application, decision=False)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    application.rejection_reason = reason.strip()
    application = _move(application, ApplicationStatus.REJECTED, actor=actor, note=reason, action="application.reject")
    standing.rank_post(actor=actor, post=application.post)  # a reserve not yet on a notice may move up
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, reason: str) -> Application:
    """The applicant withdraws (entered by village staff at their request)."""
    application = _lock(application)
    ensure_scope(actor, Action.APPLICATION_SUBMIT, application.region_id)
    ensure_separation(actor, application, decision=False)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    application.rejection_reason = reason.strip()
    application = _move(
        application, ApplicationStatus.WITHDRAWN, actor=actor, note=reason, action="application.withdraw"
    )
    standing.rank_post(actor=actor, post=application.post)  # a reserve not yet on a notice may move up
    return application


@transaction.atomic
def conflict_resolve(*, actor: Any, flag: ConflictFlag, resolution: str) -> ConflictFlag:
    flag = ConflictFlag.objects.select_for_update().select_related("application").get(pk=flag.pk)
    ensure_scope(actor, Action.CONFLICT_RESOLVE, flag.application.region_id)
    ensure_separation(actor, flag.application)
    if not resolution.strip():
        raise DomainError("reason_required", _("Write how the conflict was resolved."), field="resolution")
    if flag.resolved_at is not None:
        return flag
    flag.resolved_by = actor
    flag.resolved_at = clock.now()
    flag.resolution = resolution.strip()
    flag.save(update_fields=["resolved_by", "resolved_at", "resolution"])
    record_event(
        actor=actor,
        action="application.conflict_resolve",
        obj=flag.application,
        region_code=flag.application.region_id,
        changes={"kind": [None, flag.kind]},
        reason=resolution,
    )
    return flag


def active_placement_exists(person: Person) -> bool:
    return Placement.objects.filter(person=person, ended_on__isnull=True).exists()
