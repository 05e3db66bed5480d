"""Reads of users and role assignments, scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from zhulao.accounts.models import RoleAssignment, User
from zhulao.core.querysets import prefixes_q, require_action


def user_list(*, actor: Any, action: str, query: str = "") -> QuerySet[User]:
    """Users holding at least one assignment inside the actor's scope for ``action``, or none at all."""
    prefixes = require_action(actor, action)
    in_scope = RoleAssignment.objects.filter(user=OuterRef("pk")).filter(prefixes_q("region__code", prefixes))
    any_role = RoleAssignment.objects.filter(user=OuterRef("pk"))
    users = User.objects.filter(Exists(in_scope) | ~Exists(any_role))
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    return users.order_by("username")


def get_user_for_actor(*, actor: Any, action: str, public_id: Any) -> User:
    users = user_list(actor=actor, action=action)
    user = users.filter(public_id=public_id).first()
    if user is None:
        raise Http404
    return user


def assignment_list(*, actor: Any, action: str, include_ended: bool = False) -> QuerySet[RoleAssignment]:
    rows = RoleAssignment.objects.visible_to(actor, action).select_related("user", "region", "organization")
    if not include_ended:
        rows = rows.filter(revoked_at__isnull=True)
    return rows.order_by("region_id", "role", "user__username")


def holders_at(action: str, region_code: str) -> list[User]:
    """The active users with a role carrying ``action`` assigned at exactly ``region_code`` today (the
    staff of that county, township or village), each once, in a stable order. One query."""
    from zhulao.accounts.roles import roles_with

    rows = (
        RoleAssignment.objects.active()
        .filter(role__in=roles_with(action), region_id=region_code, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    users: list[User] = []
    for row in rows:
        if row.user not in users:
            users.append(row.user)
    return users
