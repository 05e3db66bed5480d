"""The elder-care to-dos that come first: open emergencies (S16) with the time left to acknowledge, the
helper's day (S14: overdue and due elders), and the village's elders with no helper (S13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import prefixes_q
from zhulao.core.selectors import TODO_ITEMS_SHOWN, TodoGroup, todo_group
from zhulao.eldercare.choices import ArchiveStatus, EscalationLevel
from zhulao.eldercare.models import ElderArchive, Emergency, Pairing
from zhulao.eldercare.selectors.visits import _day_items, is_overdue, my_day

EMERGENCY_PRIORITY = 100
DAY_PRIORITY = 50
VILLAGE_PREFIX = 12
SHOWN = TODO_ITEMS_SHOWN


def emergency_note(emergency: Emergency, now: datetime) -> tuple[str, bool]:
    """The time left to acknowledge (or how long overdue), and whether it is overdue."""
    if emergency.acknowledged_at is not None:
        return _("acknowledged, to close"), False
    if emergency.deadline is None:
        return _("waiting for acknowledgement since %(time)s") % {"time": timesince(emergency.level_since, now)}, True
    if emergency.deadline > now:
        return _("%(time)s left to acknowledge") % {"time": timeuntil(emergency.deadline, now)}, False
    return _("overdue by %(time)s") % {"time": timesince(emergency.deadline, now)}, True


def _emergencies_to_act_on(user: Any) -> Q | None:
    """Who acts on an open emergency: the level the ladder expects now, and the levels above it, who watch.
    The helper acts while the emergency sits at the helper level; the village committee at the helper and
    village levels; the township (and Civil Affairs, who may acknowledge: ``need.handle``) at every level."""
    q: Q | None = None
    if user.can(Action.VISIT_RECORD):
        paired = Pairing.objects.filter(helper=user, ended_on__isnull=True).values("archive_id")
        q = Q(archive_id__in=paired, level=EscalationLevel.HELPER)
    villages = [p for p in user.scope_prefixes(Action.PAIRING_MANAGE) if len(p) == VILLAGE_PREFIX]
    if villages:
        below_township = [EscalationLevel.HELPER, EscalationLevel.VILLAGE]
        village_q = prefixes_q("region__code", villages) & Q(level__in=below_township)
        q = village_q if q is None else q | village_q
    above = user.scope_prefixes(Action.NEED_HANDLE)
    if above:
        above_q = prefixes_q("region__code", above)
        q = above_q if q is None else q | above_q
    return q


def emergency_group(user: Any) -> TodoGroup | None:
    """Open emergencies the user must act on or watch: first on the workbench, with the time left."""
    q = _emergencies_to_act_on(user)
    if q is None:
        return None
    rows = list(
        Emergency.objects.filter(q, closed_at__isnull=True)
        .select_related("archive__person")
        .order_by("deadline", "occurred_at")[:20]
    )
    if not rows:
        return None
    # unacknowledged first, the nearest deadline first (an overdue one before all)
    rows.sort(key=lambda e: (e.acknowledged_at is not None, e.deadline is None, e.deadline or e.occurred_at))
    now = clock.now()
    items = []
    for emergency in rows[:SHOWN]:
        note, urgent = emergency_note(emergency, now)
        label = f"{emergency.get_kind_display()} · {emergency.archive.person.name} · {emergency.get_level_display()}"
        items.append({"label": label, "url": emergency.get_absolute_url(), "note": note, "urgent": urgent})
    return TodoGroup(
        kind="emergencies",
        label=gettext_lazy("Open emergencies"),
        url=reverse("emergencies:list"),
        count=len(rows),
        items=items,
        priority=EMERGENCY_PRIORITY,
    )


def day_group(user: Any) -> TodoGroup | None:
    """A helper's day on the workbench: the elders overdue and due, linking to my day (one group each)."""
    if not user.can(Action.VISIT_RECORD):
        return None
    day = my_day(helper=user, on=clock.today())
    overdue = [i for i in day if is_overdue(i)]
    due = [i for i in day if i.status is not None and i.status.due and not is_overdue(i)]
    if not overdue and not due:
        return None
    url = reverse("eldercare:my_day")
    items = []
    if overdue:
        items.append({"label": _("Overdue: %(n)d") % {"n": len(overdue)}, "url": url, "urgent": True})
    if due:
        items.append({"label": _("Due this period: %(n)d") % {"n": len(due)}, "url": url})
    return TodoGroup(
        kind="my_day",
        label=gettext_lazy("Elders to visit (my day)"),
        url=url,
        count=len(overdue) + len(due),
        items=items,
        priority=DAY_PRIORITY,
    )


def unpaired_group(user: Any) -> TodoGroup | None:
    """The village committee's elders with an active archive and no helper: to pair (S13)."""
    villages = [p for p in user.scope_prefixes(Action.PAIRING_MANAGE) if len(p) == VILLAGE_PREFIX]
    if not villages:
        return None
    active = Pairing.objects.filter(archive=OuterRef("pk"), ended_on__isnull=True)
    rows = (
        ElderArchive.objects.filter(prefixes_q("region__code", villages), status=ArchiveStatus.ACTIVE)
        .exclude(Exists(active))
        .select_related("person")
        .order_by("created_at")
    )
    return todo_group(
        kind="elders_to_pair",
        label=gettext_lazy("Elders with no helper to pair"),
        url=reverse("eldercare:archive_list"),
        rows=rows,
        item=lambda a: {
            "label": a.person.name,
            "url": reverse("eldercare:archive_detail", args=[a.public_id]),
            "since": a.created_at,
        },
    )


def village_overdue_group(user: Any) -> TodoGroup | None:
    """The village committee's helpers with overdue elders (what ``notify_overdue_visits`` tells it daily),
    in one pass over the village's pairings."""
    villages = [p for p in user.scope_prefixes(Action.PAIRING_MANAGE) if len(p) == VILLAGE_PREFIX]
    if not villages:
        return None
    active = Pairing.objects.filter(
        prefixes_q("archive__region__code", villages), ended_on__isnull=True, archive__status=ArchiveStatus.ACTIVE
    )
    pairings = list(active.select_related("helper", "archive__person", "archive__region").order_by("archive_id"))
    if not pairings:
        return None
    items = _day_items(pairings, clock.today(), {}, active.values("archive_id"))
    overdue: dict[Any, int] = {}
    for pairing, item in zip(pairings, items, strict=True):
        if is_overdue(item):
            overdue[pairing.helper] = overdue.get(pairing.helper, 0) + 1
    if not overdue:
        return None
    url = reverse("eldercare:coverage")
    ranked = sorted(overdue.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return TodoGroup(
        kind="helpers_overdue",
        label=gettext_lazy("Elders overdue for a visit, by helper"),
        url=url,
        count=sum(overdue.values()),
        items=[
            {"label": _("%(helper)s: %(n)d overdue") % {"helper": helper, "n": n}, "url": url, "urgent": True}
            for helper, n in ranked[:SHOWN]
        ],
    )


def urgent_groups(user: Any) -> list[TodoGroup]:
    groups = (emergency_group(user), day_group(user), village_overdue_group(user), unpaired_group(user))
    return [g for g in groups if g is not None]


def helper_home(user: Any) -> str | None:
    """A user whose only business role is helper (and who holds no administrator role) lands on my day."""
    roles = user.active_role_names()
    if roles and roles <= {Role.HELPER}:
        return reverse("eldercare:my_day")
    return None
