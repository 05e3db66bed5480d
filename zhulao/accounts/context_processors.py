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
    (Action.VISIT_RECORD, "eldercare:my_day", _("My day")),
    (Action.ARCHIVE_VIEW, "eldercare:archive_list", _("Elder archives")),
    (Action.NEED_HANDLE, "eldercare:need_list", _("Needs")),
    (Action.ARCHIVE_VIEW, "eldercare:coverage", _("Visit coverage")),
    (Action.ARCHIVE_VIEW, "eldercare:call_list", _("Confirmation calls")),
    (Action.FACILITY_VIEW, "eldercare:operation", _("Facility operation")),
    (Action.ARCHIVE_VIEW, "eldercare:indicators", _("Elder-care indicators")),
    (Action.ARCHIVE_VIEW, "emergencies:list", _("Emergencies")),
    (Action.VISIT_RECORD, "emergencies:list", _("Emergencies")),
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
    items: list[dict[str, Any]] = []
    for action, name, label in MENU:
        url = reverse(name)
        if user.can(action) and all(item["url"] != url for item in items):
            items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items, "user_roles": user.active_assignments()}
