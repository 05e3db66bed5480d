"""Recruitment over JSON: the same services as the pages (S7, S8, S20)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from zhulao.accounts.roles import Role
from zhulao.api.v1._common import Day
from zhulao.api.v1._common import actor as _actor
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import require_action
from zhulao.posts import selectors, services
from zhulao.posts.models import Application, Post
from zhulao.regions import selectors as region_selectors

router = Router()


class ApplicationOut(Schema):
    public_id: UUID
    batch_id: UUID
    post: str
    applicant_name: str
    applicant_id_masked: str
    status: str
    applied_at: Any
    rejection_reason: str
    # The priority group the eligibility engine recorded at qualification, in words; null before qualification.
    priority_group: int | None
    priority_zh: str
    priority_en: str
    # In the list only: the place in line among the listed applications for the same post and batch whose
    # priority is known (the list is in that order: priority, then application time; unknown ones last).
    priority_rank: int | None


def _out(a: Application) -> ApplicationOut:
    priority = (a.eligibility or {}).get("priority") or {}
    group = priority.get("group")
    known = isinstance(group, int) and not isinstance(group, bool)
    return ApplicationOut(
        public_id=a.public_id,
        batch_id=a.batch.public_id,
        post=str(a.post),
        applicant_name=a.person.name,
        applicant_id_masked=a.person.id_number_masked,
        status=a.status,
        applied_at=a.applied_at,
        rejection_reason=a.rejection_reason,
        priority_group=group if known else None,
        priority_zh=str(priority.get("label_zh") or "") if known else "",
        priority_en=str(priority.get("label_en") or "") if known else "",
        priority_rank=getattr(a, "priority_rank", None) if known else None,
    )


@router.get("/applications", response=list[ApplicationOut])
def application_list(request: HttpRequest, status: str = "", limit: int = 100) -> list[ApplicationOut]:
    require_action(request.user, Action.APPLICATION_VIEW)  # a role without it: 403, as on the page
    rows = selectors.application_list(user=_actor(request), status=status)[: max(1, min(limit, 500))]
    return [_out(a) for a in rows]


@router.get("/applications/{public_id}", response=ApplicationOut)
def application_detail(request: HttpRequest, public_id: UUID) -> ApplicationOut:
    return _out(selectors.get_application_for_user(_actor(request), public_id))


class StepIn(Schema):
    note: str = ""
    override_reason: str = ""


STEPS: dict[str, tuple[str, Any]] = {
    "recommend": (Action.APPLICATION_RECOMMEND, services.application_recommend),
    "review": (Action.APPLICATION_REVIEW, services.application_review),
    "qualify": (Action.APPLICATION_QUALIFY, services.application_qualify),
}


@router.post("/applications/{public_id}/steps/{step}", response=ApplicationOut)
def application_step(request: HttpRequest, public_id: UUID, step: str, payload: StepIn) -> ApplicationOut:
    """``step``: recommend, review or qualify (``override_reason`` only for qualify)."""
    if step not in STEPS:
        raise DomainError("unknown_step", "Unknown step: use recommend, review or qualify.")
    action, service = STEPS[step]
    actor = _actor(request)
    application = selectors.get_application_for_user(actor, public_id, action)
    kwargs: dict[str, Any] = {"note": payload.note}
    if step == "qualify":
        kwargs["override_reason"] = payload.override_reason
    return _out(service(actor=actor, application=application, **kwargs))


class ReasonIn(Schema):
    reason: str


@router.post("/applications/{public_id}/close/{how}", response=ApplicationOut)
def application_close(request: HttpRequest, public_id: UUID, how: str, payload: ReasonIn) -> ApplicationOut:
    """``how``: reject or withdraw."""
    services_by_how = {"reject": services.application_reject, "withdraw": services.application_withdraw}
    if how not in services_by_how:
        raise DomainError("unknown_step", "Use reject or withdraw.")
    actor = _actor(request)
    application = selectors.get_application_for_user(actor, public_id)
    return _out(services_by_how[how](actor=actor, application=application, reason=payload.reason))


class SubmitIn(Schema):
    post_id: UUID
    person_id: UUID
    note: str = ""


@router.post("/batches/{public_id}/applications", response={201: ApplicationOut})
def application_submit(request: HttpRequest, public_id: UUID, payload: SubmitIn) -> Status[ApplicationOut]:
    from zhulao.people import selectors as people_selectors

    actor = _actor(request)
    batch = selectors.get_batch_for_user(actor, public_id, Action.APPLICATION_SUBMIT)
    post = (
        selectors.batch_posts_for(batch, user=actor, action=Action.APPLICATION_SUBMIT)
        .filter(public_id=payload.post_id)
        .first()
    )
    if post is None:
        raise DomainError("post_not_in_batch", "The post is not part of this batch in your area.", field="post_id")
    person = people_selectors.get_person_for_user(actor, payload.person_id, Action.APPLICATION_SUBMIT)
    application = services.application_submit(actor=actor, batch=batch, post=post, person=person, note=payload.note)
    return Status(201, _out(application))


class BatchIn(Schema):
    title: str
    region_code: str
    post_ids: list[UUID]
    allowed_hukou_types: list[str]
    applications_open: Day
    applications_close: Day
    description: str = ""


class BatchOut(Schema):
    public_id: UUID
    title: str
    status: str


@router.post("/batches", response={201: BatchOut})
def batch_publish(request: HttpRequest, payload: BatchIn) -> Status[BatchOut]:
    actor = _actor(request)
    require_action(actor, Action.BATCH_PUBLISH)  # before the post lookup: a role without it is a 403, not a 400
    posts = list(Post.objects.visible_to(actor, Action.BATCH_PUBLISH).filter(public_id__in=payload.post_ids))
    if len(posts) != len(set(payload.post_ids)):
        raise DomainError("unknown_post", "A post is unknown or outside your scope.", field="post_ids")
    batch = services.batch_publish(
        actor=actor,
        title=payload.title,
        region=region_selectors.region_resolve(payload.region_code),
        posts=posts,
        allowed_hukou_types=payload.allowed_hukou_types,
        applications_open=payload.applications_open,
        applications_close=payload.applications_close,
        description=payload.description,
    )
    return Status(201, BatchOut(public_id=batch.public_id, title=batch.title, status=batch.status))


class HireIn(Schema):
    starts_on: Day
    note: str = ""


class PlacementOut(Schema):
    public_id: UUID
    sequence: int
    started_on: date
    planned_end: date
    employer: str
    monthly_wage: str


@router.post("/applications/{public_id}/hire", response={201: PlacementOut})
def application_hire(request: HttpRequest, public_id: UUID, payload: HireIn) -> Status[PlacementOut]:
    actor = _actor(request)
    application = selectors.get_application_for_user(actor, public_id, Action.HIRE)
    placement = services.application_hire(actor=actor, application=application, **payload.dict())
    return Status(
        201,
        PlacementOut(
            public_id=placement.public_id,
            sequence=placement.sequence,
            started_on=placement.started_on,
            planned_end=placement.planned_end,
            employer=placement.contract.employer.name,
            monthly_wage=str(placement.contract.monthly_wage),
        ),
    )


class HelperAccountOut(Schema):
    username: str
    one_time_password: str
    role: str
    region_code: str


@router.post("/placements/{public_id}/account", response={201: HelperAccountOut})
def placement_account(request: HttpRequest, response: HttpResponse, public_id: UUID) -> Status[HelperAccountOut]:
    """Issue the helper's login account (the employer side or HR); the one-time password is in this answer
    only, never stored in clear and never shown again."""
    actor = _actor(request)
    placement = selectors.get_placement_for_user(actor, public_id)
    user, password = services.placement_account_issue(actor=actor, placement=placement)
    assignment = next(a for a in user.active_assignments(placement.started_on) if a.role == Role.HELPER)
    response["Cache-Control"] = "no-store"
    return Status(
        201,
        HelperAccountOut(
            username=user.get_username(),
            one_time_password=password,
            role=assignment.role,
            region_code=assignment.region_id,
        ),
    )
