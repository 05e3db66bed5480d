"""Facilities and their posts: the quota per kind comes from policy; posts follow it (S1, S2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.policy import keys as policy_keys
from zhulao.posts.choices import FacilityKind, FacilityStatus
from zhulao.posts.models import Facility, FacilityStatusChange, Post
from zhulao.posts.services._common import ensure_scope
from zhulao.regions.choices import OrganizationKind, RegionLevel
from zhulao.regions.models import Organization, Region

# Where each kind sits and who employs its helpers (S8: 乡镇/街道 for a center, 村/社区 otherwise).
KIND_LEVEL = {
    FacilityKind.SERVICE_CENTER: RegionLevel.TOWNSHIP,
    FacilityKind.HOME_CARE_STATION: RegionLevel.VILLAGE,
    FacilityKind.HAPPINESS_HOME: RegionLevel.VILLAGE,
}
EMPLOYER_KINDS = {
    FacilityKind.SERVICE_CENTER: (OrganizationKind.TOWNSHIP_GOVERNMENT, OrganizationKind.STREET_OFFICE),
    FacilityKind.HOME_CARE_STATION: (OrganizationKind.COMMUNITY_COMMITTEE, OrganizationKind.VILLAGE_COMMITTEE),
    FacilityKind.HAPPINESS_HOME: (OrganizationKind.VILLAGE_COMMITTEE, OrganizationKind.COMMUNITY_COMMITTEE),
}


def employer_for(kind: str, region: Region) -> Organization:
    employer = (
        Organization.objects.filter(region=region, kind__in=EMPLOYER_KINDS[FacilityKind(kind)]).order_by("kind").first()
    )
    if employer is None:
        raise DomainError(
            "no_employer",
            _("No township government, street office or village / community committee is registered at %(region)s.")
            % {"region": region.name},
            field="region",
        )
    return employer


def checked_quota(kind: str, quotas: Any) -> int:
    """The posts a facility of ``kind`` gets from a ``facility.post_quota`` value, never above the schema's bound.

    A row stored before the schemas existed (or written around the service) is refused here with the reason,
    so that the post sync never opens more posts than the source allows."""
    try:
        policy_keys.check_value("facility.post_quota", quotas)
    except policy_keys.InvalidValue as exc:
        raise DomainError(
            "quota_out_of_bounds",
            _("The post quota in force is refused (%(error)s): correct facility.post_quota before posts are synced.")
            % {"error": exc},
        ) from exc
    quota = int(quotas[kind])
    if quota > policy_keys.post_quota_bound(kind):  # the schema says so already; kept as the last guard
        raise DomainError("quota_out_of_bounds", _("The post quota is above what the source allows."))
    return quota


def quota_for(kind: str, region: Region, on: date) -> int:
    return checked_quota(kind, policy.value("facility.post_quota", region=region, on=on))


@dataclass(frozen=True)
class PostPlan:
    """What a post sync does to one facility for a quota: the numbers it opens and the vacant posts it closes.

    ``kept`` are filled posts above the quota that stay open until their placement ends."""

    facility: Facility
    quota: int
    current: tuple[Post, ...]
    open_numbers: tuple[int, ...]
    close: tuple[Post, ...]
    kept: tuple[Post, ...]

    @property
    def changes(self) -> bool:
        return bool(self.open_numbers or self.close)


def plan_posts(facility: Facility, quota: int) -> PostPlan:
    """The one computation behind ``posts_sync`` and the quota-change preview; reads only.

    New posts take numbers never used at the facility; the highest-numbered vacant posts close first;
    a filled post never closes."""
    posts = list(facility.posts.all())  # prefetched by the preview (with the active placements)
    open_posts = sorted((p for p in posts if p.closed_on is None), key=lambda p: p.number)
    used_numbers = {p.number for p in posts}
    open_numbers: list[int] = []
    number = 1
    while len(open_posts) + len(open_numbers) < quota:
        while number in used_numbers:
            number += 1
        used_numbers.add(number)
        open_numbers.append(number)
    filled = {p.pk for p in open_posts if any(pl.ended_on is None for pl in p.placements.all())}
    close: list[Post] = []
    kept: list[Post] = []
    excess = len(open_posts) - quota
    for post in reversed(open_posts):
        if excess <= 0:
            break
        if post.pk in filled:
            kept.append(post)
        else:
            close.append(post)
            excess -= 1
    return PostPlan(facility, quota, tuple(open_posts), tuple(open_numbers), tuple(close), tuple(kept))


def quota_in_force(facility: Facility, quotas: Any) -> int:
    """The posts ``facility`` should have under the quota mapping ``quotas`` (none unless it operates)."""
    return checked_quota(facility.kind, quotas) if facility.status == FacilityStatus.OPERATING else 0


@transaction.atomic
def facility_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    region: Region,
    operator: Organization | None = None,
    address: str = "",
    opening_hours: dict[str, Any] | None = None,
    opened_on: date | None = None,
) -> Facility:
    """Register a facility and open its posts up to the quota for its kind."""
    if kind not in FacilityKind.values:
        raise DomainError("invalid_kind", _("Unknown facility kind."), field="kind")
    ensure_scope(actor, Action.FACILITY_EDIT, region.code)
    if region.level != KIND_LEVEL[FacilityKind(kind)]:
        raise DomainError(
            "wrong_level",
            _("A service center belongs to a township; a station or happiness home to a village or community."),
            field="region",
        )
    if not name.strip():
        raise DomainError("name_required", _("A name is required."), field="name")
    facility = Facility(
        kind=kind,
        name=name.strip(),
        region=region,
        operator=operator or employer_for(kind, region),
        address=address,
        opening_hours=opening_hours or {},
    )
    facility.full_clean()
    facility.save()
    day = opened_on or clock.today()
    FacilityStatusChange.objects.create(facility=facility, status=facility.status, effective_on=day, recorded_by=actor)
    record_event(actor=actor, action="facility.create", obj=facility, region_code=region.code)
    posts_sync(actor=actor, facility=facility, on=day)
    return facility


@transaction.atomic
def posts_sync(*, actor: Any, facility: Facility, on: date | None = None) -> list[Post]:
    """Open posts up to the facility's quota on ``on``; close vacant posts above it. Never closes a filled post.

    A closed or suspended facility keeps its filled posts but opens none.
    """
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    ensure_scope(actor, Action.FACILITY_EDIT, facility.region_id)
    day = on or clock.today()
    quota = quota_for(facility.kind, facility.region, day) if facility.status == FacilityStatus.OPERATING else 0
    plan = plan_posts(facility, quota)
    employer = employer_for(facility.kind, facility.region) if plan.open_numbers else None
    opened: list[Post] = []
    for number in plan.open_numbers:
        post = Post(facility=facility, number=number, region=facility.region, employer=employer, opened_on=day)
        post.full_clean()
        post.save()
        opened.append(post)
    closed = []
    for post in plan.close:
        post.closed_on = day
        post.save(update_fields=["closed_on", "updated_at"])
        closed.append(post)
    if facility.posts.filter(closed_on__isnull=True).count() - len(plan.kept) > quota:
        raise DomainError("quota_out_of_bounds", _("The post sync would leave more posts open than the quota."))
    if opened or closed:
        record_event(
            actor=actor,
            action="posts.sync",
            obj=facility,
            region_code=facility.region_id,
            changes={"opened": [None, len(opened)], "closed": [None, len(closed)], "quota": [None, quota]},
        )
    return opened


@transaction.atomic
def facility_set_status(*, actor: Any, facility: Facility, status: str, effective_on: date, reason: str) -> Facility:
    """Record a dated status change (operating / suspended / closed); posts follow the new quota."""
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    ensure_scope(actor, Action.FACILITY_EDIT, facility.region_id)
    if status not in FacilityStatus.values:
        raise DomainError("invalid_status", _("Unknown status."), field="status")
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if status == facility.status:
        return facility
    before = facility.status
    facility.status = status
    facility.save(update_fields=["status", "updated_at"])
    FacilityStatusChange.objects.create(
        facility=facility, status=status, effective_on=effective_on, reason=reason.strip(), recorded_by=actor
    )
    record_event(
        actor=actor,
        action="facility.status",
        obj=facility,
        region_code=facility.region_id,
        changes={"status": [before, status], "effective_on": [None, effective_on]},
        reason=reason,
    )
    posts_sync(actor=actor, facility=facility, on=effective_on)
    return facility
