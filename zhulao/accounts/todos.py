"""The account administrators' to-dos: locked accounts (system and security administrators) and role
assignments ending soon (security administrator), in the administrator's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import RoleAssignment
from zhulao.accounts.selectors import user_list
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.selectors import TodoGroup, todo_group


def _locked(user: Any) -> TodoGroup | None:
    action = Action.USER_MANAGE if user.can(Action.USER_MANAGE) else Action.SESSION_KILL
    if not user.can(action):
        return None
    rows = user_list(actor=user, action=action).filter(locked_until__gt=timezone.now()).order_by("locked_until")
    url = reverse("accounts:user_list")
    return todo_group(
        kind="locked_accounts",
        label=_("Accounts locked after failed sign-ins"),
        url=url,
        rows=rows,
        item=lambda u: {"label": str(u), "url": f"{url}?q={u.username}", "since": u.locked_until},
    )


def _ending(user: Any) -> TodoGroup | None:
    if not user.can(Action.ROLE_GRANT):
        return None
    today = clock.today()
    rows = (
        RoleAssignment.objects.visible_to(user, Action.ROLE_VIEW)
        .active(today)
        .filter(valid_until__lte=today + timedelta(days=settings.ROLE_ENDING_WARN_DAYS))
        .select_related("user", "region")
        .order_by("valid_until", "id")
    )
    url = reverse("accounts:role_list")
    return todo_group(
        kind="roles_ending",
        label=_("Role assignments ending soon"),
        url=url,
        rows=rows,
        item=lambda a: {"label": str(a), "url": url, "since": a.valid_until},
    )


def todo_groups(user: Any) -> list[TodoGroup]:
    return [g for g in (_locked(user), _ending(user)) if g is not None]
