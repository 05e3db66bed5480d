"""Navigation entries the signed-in user may open, and the region in focus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.actions import Action

# (action needed, url name, label) in menu order.
MENU = [
    (Action.WORKBENCH_VIEW, "core:workbench", _("Workbench")),
    (Action.PERSON_VIEW, "people:person_list", _("People")),
    (Action.APPLICATION_VIEW, "posts:application_list", _("Recruitment")),
    (Action.FACILITY_VIEW, "posts:facility_list", _("Facilities")),
    (Action.REGION_VIEW, "regions:browse", _("Regions")),
    (Action.POLICY_VIEW, "policy:list", _("Policy parameters")),
    (Action.USER_VIEW, "accounts:user_list", _("Users")),
    (Action.ROLE_VIEW, "accounts:role_list", _("Roles")),
    (Action.AUDIT_VIEW, "core:audit_list", _("Audit log")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"url": reverse(name), "label": label, "active": request.path.startswith(reverse(name))}
        for action, name, label in MENU
        if user.can(action)
    ]
    return {"nav_items": items, "user_roles": user.active_assignments()}
