"""Login accounts for hired helpers (S8 → S14): a placement made by recruitment gives the helper no account,
and without one the helper cannot be paired with elders. ``placement_account_issue`` creates it.

Who may issue: the placement's employer side (``pairing.manage`` in the placement's region: the village
committee of a station's village, the township of a center or of any village below it) or HR
(``application.hire``), the same people who hire and end the placement. The account itself, the helper
role and the link to the person are then written by the system (``actor=None``) as a consequence of the
placement: ``role_grant`` accepts grants only from the security administrator (三员分立), and the platform
does not ask the security administrator to confirm each helper. The issuing actor is recorded in the
``placement.account_issue`` audit event, written in the same transaction (docs/permissions.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao.accounts import services as account_services
from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.people import services as people_services
from zhulao.people.models import Person
from zhulao.posts.models import Placement
from zhulao.regions.choices import OrganizationKind, RegionLevel
from zhulao.regions.models import Organization, Region

ISSUER_ACTIONS = (Action.PAIRING_MANAGE, Action.HIRE)
one_time_password = account_services.one_time_password  # kept under this name for its callers


def helper_username(village: Region) -> str:
    """``zly`` + the village code without the city's four digits + a two-digit number (``zly0210020101``)."""
    stem = f"zly{village.code[4:]}"
    taken = {u.lower() for u in User.objects.filter(username__istartswith=stem).values_list("username", flat=True)}
    number = 1
    while f"{stem}{number:02d}" in taken:
        number += 1
    return f"{stem}{number:02d}"


def can_issue(actor: Any, placement: Placement) -> bool:
    """Whether ``actor`` may issue the helper account of ``placement`` (the page shows the button)."""
    return any(actor.can(action, placement.region_id) for action in ISSUER_ACTIONS)


def _ensure_issuer(actor: Any, placement: Placement) -> None:
    if actor is None or can_issue(actor, placement):
        return
    if any(actor.scope_prefixes(action) for action in ISSUER_ACTIONS):
        raise Forbidden("out_of_scope", _("This region is outside your own scope."))
    raise Forbidden("forbidden", _("Only the helper's employer or HR can issue the helper's account."))


def _village_committee(village: Region) -> Organization | None:
    kinds = [OrganizationKind.VILLAGE_COMMITTEE, OrganizationKind.COMMUNITY_COMMITTEE]
    return Organization.objects.filter(region=village, kind__in=kinds).order_by("pk").first()


@transaction.atomic
def placement_account_issue(*, actor: Any, placement: Placement) -> tuple[User, str]:
    """Create the helper's login account, grant the helper role at the village where the helper lives (for
    the placement's period) and tie the account to the person. Returns the account and its one-time password,
    to be shown once. ``actor`` None is the system (the command, the demo)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _ensure_issuer(actor, placement)
    if placement.ended_on is not None:
        raise DomainError("placement_ended", _("This placement has ended: no account is issued for it."))
    if placement.planned_end < clock.today():
        raise DomainError(
            "placement_over",
            _("This placement reached its planned end on %(day)s: no account is issued for it.")
            % {"day": placement.planned_end.isoformat()},
        )
    # of=self: the account is a nullable join, and PostgreSQL cannot lock the nullable side of an outer join
    person = Person.objects.select_for_update(of=("self",)).select_related("region", "user").get(pk=placement.person_id)
    if person.user is not None:
        raise DomainError(
            "already_has_account",
            _("%(name)s already has the login account %(username)s.")
            % {"name": person.name, "username": person.user.get_username()},
        )
    village = person.region
    if village.level != RegionLevel.VILLAGE:
        raise DomainError(
            "no_village",
            _("%(name)s is not registered in a village or community, so the helper role has no place.")
            % {"name": person.name},
        )
    if not village.code.startswith(placement.region_id[:9]):
        raise DomainError(
            "village_outside_township",
            _("%(name)s lives outside the township of the post and could not be paired with its elders.")
            % {"name": person.name},
        )
    password = one_time_password()
    user, password = account_services.user_create(
        actor=None,
        username=helper_username(village),
        full_name=person.name,
        password=password,
        region_code=village.code,
    )
    organization = _village_committee(village)
    account_services.role_grant(
        actor=None,
        user=user,
        role=Role.HELPER,
        region=village,
        organization=organization,
        valid_from=placement.started_on,
        valid_until=placement.planned_end,
    )
    people_services.person_link_user(
        actor=None,
        username=user.get_username(),
        id_number=person.id_number,
        reason=str(_("Helper account issued for the placement")),
    )
    record_event(
        actor=actor,
        action="placement.account_issue",
        obj=placement,
        region_code=placement.region_id,
        changes={
            "username": [None, user.get_username()],
            "role": [None, Role.HELPER],
            "region": [None, village.code],
            "organization": [None, organization.pk if organization else None],
            "valid": [None, [placement.started_on, placement.planned_end]],
        },
    )
    return user, password


def placement_account_close(*, actor: Any, placement: Placement, ended_on: date) -> int:
    """When a placement ends, the helper role issued for it ends with it (not at the planned end): the
    helper's grants at the person's village that were running on ``ended_on`` stop that day. Called inside
    ``placement_end``'s transaction; returns how many grants were shortened (0 without an account)."""
    user_id = Person.objects.filter(pk=placement.person_id).values_list("user_id", flat=True).first()
    if user_id is None:
        return 0
    grants = RoleAssignment.objects.select_for_update().filter(
        user_id=user_id, role=Role.HELPER, revoked_at__isnull=True, valid_from__lte=ended_on
    )
    shortened = 0
    for grant in grants:
        if grant.valid_until is not None and grant.valid_until <= ended_on:
            continue
        before = grant.valid_until
        grant.valid_until = ended_on
        grant.save(update_fields=["valid_until"])
        record_event(
            actor=actor,
            action="placement.account_close",
            obj=placement,
            region_code=placement.region_id,
            changes={"role_valid_until": [before, ended_on], "region": [None, grant.region_id]},
        )
        shortened += 1
    return shortened
