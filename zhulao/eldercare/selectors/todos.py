"""The workbench to-dos of elder care: new needs to handle (S17), confirmation calls to make (S14), and the
opening hours of yesterday still to log for the village's facilities (S3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import prefixes_q
from zhulao.core.selectors import TodoGroup
from zhulao.eldercare.models import FacilityDayLog
from zhulao.eldercare.selectors.archives import need_list
from zhulao.eldercare.selectors.calls import VILLAGE_PREFIX, calls_waiting
from zhulao.eldercare.selectors.todos_urgent import urgent_groups
from zhulao.posts.choices import FacilityStatus
from zhulao.posts.models import Facility

TOWNSHIP_PREFIX = 9


def todo_groups(user: Any) -> list[TodoGroup]:
    groups = urgent_groups(user)  # open emergencies, the helper's day, elders to pair
    if user.can(Action.NEED_HANDLE):
        needs = need_list(user=user)
        groups.append(
            TodoGroup(
                kind="needs",
                label=_("New needs to handle"),
                url=reverse("eldercare:need_list"),
                count=needs.count(),
                items=[
                    {
                        "label": f"{n.archive.person.name} · {n.description[:30]}",
                        "url": reverse("eldercare:need_list"),
                        "since": n.created_at,
                    }
                    for n in needs[:5]
                ],
            )
        )
    calls = calls_waiting(user)  # none outside a village committee's scope: no query then
    count = calls.count()
    if count:
        url = reverse("eldercare:call_list")
        groups.append(
            TodoGroup(
                kind="confirmation_calls",
                label=_("Confirmation calls to make"),
                url=url,
                count=count,
                items=[
                    {
                        "label": f"{c.visit.archive.person.name} · {c.visit.visit_date:%Y-%m-%d}",
                        "url": f"{url}?month={c.month:%Y-%m}",
                        "since": c.month,
                    }
                    for c in calls[:5]
                ],
            )
        )
    logs = _opening_logs_missing(user)
    if logs is not None:
        groups.append(logs)
    return groups


def _opening_logs_missing(user: Any) -> TodoGroup | None:
    """The operating facilities the user runs with no opening log for yesterday, in one query: a village
    committee's facilities, and a township's own service centres (not its villages': their committees log
    those). Nothing above township level, where the facilities are many and the log is not kept."""
    prefixes = user.scope_prefixes(Action.FACILITY_OPERATE)
    villages = [p for p in prefixes if len(p) == VILLAGE_PREFIX]
    townships = [p.ljust(VILLAGE_PREFIX, "0") for p in prefixes if len(p) == TOWNSHIP_PREFIX]
    if not villages and not townships:
        return None
    mine = (prefixes_q("region__code", villages) if villages else Q(pk__in=[])) | Q(region__code__in=townships)
    yesterday = clock.today() - timedelta(days=1)
    facilities = list(
        Facility.objects.filter(mine, status=FacilityStatus.OPERATING)
        .exclude(pk__in=FacilityDayLog.objects.filter(day=yesterday).values("facility_id"))
        .order_by("name")
    )
    if not facilities:
        return None
    month = f"{yesterday:%Y-%m}"
    return TodoGroup(
        kind="opening_logs",
        label=_("Opening hours to log for yesterday"),
        url=reverse("eldercare:opening_log", args=[facilities[0].public_id]) + f"?month={month}",
        count=len(facilities),
        items=[
            {
                "label": f"{f.name} · {yesterday:%Y-%m-%d}",
                "url": reverse("eldercare:opening_log", args=[f.public_id]) + f"?month={month}",
                "since": yesterday,
            }
            for f in facilities[:5]
        ],
    )
