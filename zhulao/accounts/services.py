"""Every change to users and role assignments goes through these functions (web, API, commands)."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import (
    ADMIN_ROLES,
    ROLE_LEVELS,
    ROLE_ORGANIZATION_KINDS,
    Role,
)
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope, require_action
from zhulao.regions.models import Organization, Region

# Letters and digits that cannot be mistaken for each other when read out or copied from paper.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "#%+=@"
PASSWORD_LENGTH = 14


def one_time_password() -> str:
    """A random initial password that always passes the validators (3 of 4 character classes, 10+ long)."""
    alphabet = _LOWER + _UPPER + _DIGITS
    chars = [secrets.choice(_LOWER), secrets.choice(_UPPER), secrets.choice(_DIGITS), secrets.choice(_SYMBOLS)]
    chars += [secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    if chars[0] in _SYMBOLS:  # never a leading + = @: a spreadsheet would read the password as a formula
        letter = next(i for i, c in enumerate(chars) if c not in _SYMBOLS)
        chars[0], chars[letter] = chars[letter], chars[0]
    return "".join(chars)


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, full_name: str, password: str | None = None, region_code: str = ""
) -> tuple[User, str]:
    """Create an account; returns it with its initial password (random unless one is given).

    ``actor`` None means the system itself (demo data, bootstrap command).
    """
    if actor is not None:
        require_action(actor, Action.USER_MANAGE)
    username = username.strip()
    if not username:
        raise DomainError("username_required", _("A username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", _("This username is already taken."), field="username")
    initial = password or one_time_password()
    user = User(username=username, full_name=full_name.strip())
    try:
        validate_password(initial, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="password") from exc
    user.set_password(initial)
    user.password_changed_at = timezone.now()
    user.full_clean()
    user.save()
    record_event(actor=actor, action="user.create", obj=user, region_code=region_code)
    return user, initial


def _end_sessions(user: User) -> int:
    """Delete every session of ``user`` (sessions are in the database: one query over them)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_end_sessions(*, actor: User, user: User, reason: str) -> int:
    """The security administrator ends every session of ``user`` now (SECURITY item 7)."""
    require_action(actor, Action.SESSION_KILL)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    ended = _end_sessions(user)
    record_event(actor=actor, action="user.end_sessions", obj=user, changes={"sessions": [None, ended]}, reason=reason)
    return ended


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool, reason: str) -> User:
    """Disable or re-enable an account. Disabling ends its sessions at once."""
    if actor is not None:
        require_action(actor, Action.USER_MANAGE)
        if actor.pk == user.pk:
            raise DomainError("self_disable", _("You cannot disable your own account."))
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    if active:
        user.failed_login_count = 0
        user.locked_until = None
    user.save(update_fields=["is_active", "failed_login_count", "locked_until"])
    record_event(
        actor=actor,
        action="user.enable" if active else "user.disable",
        obj=user,
        changes={"is_active": [not active, active]},
        reason=reason,
    )
    if not active:
        _end_sessions(user)
    return user


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password; the current one is required."""
    if not user.check_password(old_password):
        raise DomainError("wrong_password", _("The current password is wrong."), field="old_password")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="new_password") from exc
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    record_event(actor=user, action="user.password_change", obj=user)
    return user


def _check_grant(
    *, actor: User | None, user: User, role: str, region: Region, organization: Organization | None
) -> None:
    if role not in Role.values:
        raise DomainError("unknown_role", _("Unknown role."), field="role")
    if actor is not None:
        if actor.pk == user.pk:
            raise Forbidden("self_grant", _("Nobody can grant a role to themselves."))
        ensure_scope(actor, Action.ROLE_GRANT, region.code)
    if region.level not in ROLE_LEVELS[role]:
        raise DomainError(
            "wrong_level",
            _("This role cannot be held at the level of %(region)s.") % {"region": region.name},
            field="region",
        )
    allowed_kinds = ROLE_ORGANIZATION_KINDS[role]
    if organization is not None:
        if organization.kind not in allowed_kinds:
            raise DomainError("wrong_organization", _("This organisation cannot hold this role."), field="organization")
        if not organization.region_id.startswith(region.prefix):
            raise DomainError(
                "organization_outside_region",
                _("The organisation is outside the region of the assignment."),
                field="organization",
            )
    if not user.is_active:
        raise DomainError("user_inactive", _("The account is disabled."))
    held = user.active_role_names()
    # 三员分立: an administrator holds exactly one administrator role and no business role.
    if role in ADMIN_ROLES and (held - {role}):
        raise DomainError(
            "separation_of_admins",
            _("An administrator role cannot be combined with any other role (三员分立)."),
            field="role",
        )
    if role not in ADMIN_ROLES and (held & ADMIN_ROLES):
        raise DomainError(
            "separation_of_admins",
            _("This account holds an administrator role and cannot take a business role (三员分立)."),
            field="role",
        )


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    region: Region,
    organization: Organization | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> RoleAssignment:
    """Grant ``role`` at ``region`` to ``user``; only within the granter's own scope, never to oneself.

    ``actor`` None is the system itself: only management commands (bootstrap, demo) pass it.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants to one user
    user.forget_permissions()
    _check_grant(actor=actor, user=user, role=role, region=region, organization=organization)
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise DomainError("bad_dates", _("'Valid until' is before 'valid from'."), field="valid_until")
    duplicate = RoleAssignment.objects.active(valid_from).filter(user=user, role=role, region=region)
    if duplicate.exists():
        raise DomainError("duplicate", _("The user already holds this role in this region."))
    assignment = RoleAssignment(
        user=user,
        role=role,
        region=region,
        organization=organization,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    record_event(
        actor=actor,
        action="role.grant",
        obj=assignment,
        region_code=region.code,
        changes={
            "user": [None, user.username],
            "role": [None, role],
            "region": [None, region.code],
            "valid_from": [None, valid_from.isoformat()],
            "valid_until": [None, valid_until.isoformat() if valid_until else None],
        },
    )
    user.forget_permissions()
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment, reason: str) -> RoleAssignment:
    """End an assignment now; it stops counting on the user's next request."""
    assignment = RoleAssignment.objects.select_for_update().select_related("region", "user").get(pk=assignment.pk)
    ensure_scope(actor, Action.ROLE_GRANT, assignment.region_id)
    if actor.pk == assignment.user_id:
        raise Forbidden("self_grant", _("Nobody can change their own roles."))
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if assignment.revoked_at is not None:
        return assignment
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor
    assignment.revoke_reason = reason.strip()[:200]
    assignment.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_event(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        region_code=assignment.region_id,
        changes={"revoked_at": [None, assignment.revoked_at]},
        reason=reason,
    )
    return assignment
