"""Who am I, regions, policy values, role grants and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zhulao.accounts import services as account_services
from zhulao.accounts.models import RoleAssignment, User
from zhulao.api.v1._common import Day, DbId
from zhulao.api.v1._common import actor as _actor
from zhulao.core import audit
from zhulao.core import selectors as core_selectors
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import require_action
from zhulao.policy import selectors as policy_selectors
from zhulao.policy import services as policy_services
from zhulao.regions import selectors as region_selectors
from zhulao.regions.models import Organization, Region

router = Router()


class AssignmentOut(Schema):
    id: int
    role: str
    region_code: str
    region_name: str
    valid_from: date
    valid_until: date | None


class MeOut(Schema):
    username: str
    full_name: str
    assignments: list[AssignmentOut]


def _assignment_out(a: RoleAssignment) -> AssignmentOut:
    return AssignmentOut(
        id=a.pk,
        role=a.role,
        region_code=a.region_id,
        region_name=a.region.name,
        valid_from=a.valid_from,
        valid_until=a.valid_until,
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    user = _actor(request)
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        assignments=[_assignment_out(a) for a in user.active_assignments()],
    )


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None
    urban_rural_code: str


def _region_out(r: Region) -> RegionOut:
    return RegionOut(
        code=r.code, name=r.name, level=r.level, parent_code=r.parent_id, urban_rural_code=r.urban_rural_code
    )


@router.get("/regions/{code}", response=RegionOut)
def region_detail(request: HttpRequest, code: str) -> RegionOut:
    return _region_out(Region.objects.get_for_user(request.user, Action.REGION_VIEW, code=code))


@router.get("/regions/{code}/children", response=list[RegionOut])
def region_children(request: HttpRequest, code: str) -> list[RegionOut]:
    region = Region.objects.get_for_user(request.user, Action.REGION_VIEW, code=code)
    children = region_selectors.region_children(user=request.user, region=region, action=Action.REGION_VIEW)
    return [_region_out(r) for r in children]


class PolicyValueOut(Schema):
    key: str
    value: Any
    effective_from: date
    region_prefix: str
    source: str
    confidence: str


@router.get("/policy/{key}", response=PolicyValueOut)
def policy_value(request: HttpRequest, key: str, region: str = "", on: Day | None = None) -> PolicyValueOut:
    require_action(request.user, Action.POLICY_VIEW)
    r = policy_selectors.resolve(key, region=region or None, on=on)
    return PolicyValueOut(
        key=r.key,
        value=r.value,
        effective_from=r.effective_from,
        region_prefix=r.region_prefix,
        source=r.source,
        confidence=r.confidence,
    )


class PolicyIn(Schema):
    key: str
    value: Any
    effective_from: Day
    source: str
    confidence: str
    region_prefix: str = ""
    note: str = ""
    document_title: str = ""
    document_number: str = ""
    document_date: date | None = None


@router.post("/policy", response={201: PolicyValueOut})
def policy_add(request: HttpRequest, payload: PolicyIn) -> Status[PolicyValueOut]:
    row = policy_services.parameter_add(actor=_actor(request), **payload.dict())
    return Status(
        201,
        PolicyValueOut(
            key=row.key,
            value=row.value,
            effective_from=row.effective_from,
            region_prefix=row.region_prefix,
            source=row.source,
            confidence=row.confidence,
        ),
    )


class GrantIn(Schema):
    username: str
    role: str
    region_code: str
    organization_id: DbId | None = None
    valid_from: Day | None = None
    valid_until: Day | None = None


@router.post("/roles", response={201: AssignmentOut})
def role_grant(request: HttpRequest, payload: GrantIn) -> Status[AssignmentOut]:
    require_action(request.user, Action.ROLE_GRANT)
    user = User.objects.filter(username__iexact=payload.username).first()
    if user is None:
        raise DomainError("unknown_user", "No account with this username.", field="username")
    organization = None
    if payload.organization_id is not None:
        organization = get_object_or_404(
            Organization.objects.visible_to(request.user, Action.ROLE_GRANT), pk=payload.organization_id
        )
    assignment = account_services.role_grant(
        actor=_actor(request),
        user=user,
        role=payload.role,
        region=region_selectors.region_resolve(payload.region_code),
        organization=organization,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, _assignment_out(assignment))


class RevokeIn(Schema):
    reason: str


@router.post("/roles/{assignment_id}/revoke", response=AssignmentOut)
def role_revoke(request: HttpRequest, assignment_id: DbId, payload: RevokeIn) -> AssignmentOut:
    require_action(request.user, Action.ROLE_GRANT)
    assignment = get_object_or_404(RoleAssignment.objects.visible_to(request.user, Action.ROLE_GRANT), pk=assignment_id)
    assignment = account_services.role_revoke(
        actor=_actor(request),
        assignment=assignment,
        reason=payload.reason,
    )
    return _assignment_out(assignment)


class AuditOut(Schema):
    seq: int
    occurred_at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    region_code: str
    outcome: str
    changes: dict[str, Any]


@router.get("/audit/events", response=list[AuditOut])
def audit_events(request: HttpRequest, action: str = "", limit: int = 100) -> list[AuditOut]:
    scope = require_action(request.user, Action.AUDIT_VIEW)
    events = core_selectors.audit_list(scope=scope, action=action)[: max(1, min(limit, 500))]
    return [
        AuditOut(
            seq=e.seq,
            occurred_at=e.occurred_at,
            actor_label=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            region_code=e.region_code,
            outcome=e.outcome,
            changes=audit.shown_changes(e.changes),
        )
        for e in events
    ]
