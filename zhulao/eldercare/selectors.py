"""Reads of elder care: archives in scope, the helper's day, coverage per region, needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.models import AuditEvent
from zhulao.core.querysets import require_action
from zhulao.core.selectors import TodoGroup
from zhulao.eldercare.choices import ARCHIVE_GROUPS, ElderCategory, NeedStatus
from zhulao.eldercare.models import ElderArchive, Emergency, NeedReport, Pairing, Visit
from zhulao.regions.models import Region
from zhulao.rules import visits as visit_rules
from zhulao.rules.idcard import age_on


def categories_of(archive: ElderArchive, *, on: date, advanced_age: int) -> list[str]:
    """The archive's flags plus 高龄 when the person has reached the policy's age threshold."""
    categories = list(archive.categories)
    if age_on(archive.person.birth_date, on) >= advanced_age:
        categories.append(ElderCategory.ADVANCED_AGE)
    return categories


def groups_of(categories: list[str], mapping: dict[str, list[str]]) -> list[str]:
    """托底 / 困境 / 重点保障 from the dated policy mapping."""
    groups = [group for group, members in mapping.items() if set(members) & set(categories)]
    # the seed's order (托底, 困境, 重点保障) first; JSON key order is not kept by every database
    return sorted(groups, key=lambda g: (ARCHIVE_GROUPS.index(g) if g in ARCHIVE_GROUPS else len(ARCHIVE_GROUPS), g))


def archive_list(*, user: Any, region: str = "", category: str = "") -> QuerySet[ElderArchive]:
    rows = ElderArchive.objects.visible_to(user, Action.ARCHIVE_VIEW).select_related("person", "region")
    if region:
        rows = rows.filter(region__code__startswith=region)
    if category:
        rows = rows.filter(categories__icontains=f'"{category}"')  # a JSON list of codes: match the quoted code
    active = Pairing.objects.filter(ended_on__isnull=True).select_related("helper")
    return rows.prefetch_related(Prefetch("pairings", queryset=active, to_attr="current")).order_by("region_id", "id")


def get_archive_for_user(user: Any, public_id: Any, action: str = Action.ARCHIVE_VIEW) -> ElderArchive:
    return ElderArchive.objects.select_related("person", "region", "household_archive").get_for_user(
        user, action, public_id=public_id
    )


def get_archive_for_helper(helper: Any, public_id: Any) -> ElderArchive:
    """A helper reaches an elder only through an active pairing (SECURITY item 10)."""
    require_action(helper, Action.VISIT_RECORD)
    archive = (
        ElderArchive.objects.select_related("person", "region")
        .filter(public_id=public_id, pairings__helper=helper, pairings__ended_on__isnull=True)
        .first()
    )
    if archive is None:
        raise Http404
    return archive


@dataclass
class DayItem:
    archive: ElderArchive
    categories: list[str]
    status: visit_rules.DueStatus | None
    last_visit: date | None
    open_visit: Visit | None


def _rules(region: Region | str, on: date) -> dict[str, visit_rules.VisitRule]:
    resolved = policy.resolve("eldercare.visit_rules", region=region, on=on)
    return visit_rules.rules_from_mapping(resolved.value, cite=resolved.cite())


def _status(
    archive: ElderArchive,
    categories: list[str],
    visits: list[date],
    on: date,
    rules: dict[str, visit_rules.VisitRule],
    since: date | None,
    emergency: tuple[datetime, int] | None = None,
) -> visit_rules.DueStatus | None:
    """The due status under the strictest rule; a recent emergency adds its follow-up deadline."""
    rule = visit_rules.required_visits(categories, rules)
    if rule is None:
        return None
    if emergency is not None:
        return visit_rules.due_status(
            rule=rule,
            visits=visits,
            today=on,
            since=since,
            emergency_at=timezone.localtime(emergency[0]),  # visit dates are local calendar days
            emergency_window_hours=emergency[1],
            now=timezone.localtime(clock.now()),
        )
    return visit_rules.due_status(rule=rule, visits=visits, today=on, since=since)


def my_day(*, helper: Any, on: date) -> list[DayItem]:
    """The helper's elders: overdue first, then due this period, then the rest; each with its last visit."""
    pairings = list(
        Pairing.objects.filter(helper=helper, ended_on__isnull=True, archive__status="active").select_related(
            "archive__person", "archive__region"
        )
    )
    if not pairings:
        return []
    archives = [p.archive for p in pairings]
    since = {p.archive_id: p.started_on for p in pairings}
    dates: dict[int, list[date]] = defaultdict(list)
    for archive_id, day in Visit.objects.filter(
        archive__in=archives, submitted_at__isnull=False, visit_date__gte=date(on.year - 1, 1, 1)
    ).values_list("archive_id", "visit_date"):
        dates[archive_id].append(day)
    open_visits = {v.archive_id: v for v in Visit.objects.filter(helper=helper, submitted_at__isnull=True)}
    region = archives[0].region
    rules = _rules(region, on)
    advanced = int(policy.value("eldercare.advanced_age", region=region, on=on))
    # the latest emergency of each elder in the last week: a follow-up visit is due within the policy's hours
    window = int(policy.value("emergency.followup_hours", region=region, on=on))
    recent: dict[int, datetime] = {}
    for archive_id, occurred in (
        Emergency.objects.filter(archive__in=archives, occurred_at__gte=clock.now() - timedelta(days=7))
        .order_by("occurred_at")
        .values_list("archive_id", "occurred_at")
    ):
        recent[archive_id] = occurred
    items = []
    for archive in archives:
        categories = categories_of(archive, on=on, advanced_age=advanced)
        emergency = (recent[archive.pk], window) if archive.pk in recent else None
        status = _status(archive, categories, dates[archive.pk], on, rules, since[archive.pk], emergency)
        items.append(
            DayItem(archive, categories, status, max(dates[archive.pk], default=None), open_visits.get(archive.pk))
        )
    # overdue work first (only while a visit is still to make), then due this period, then the rest
    items.sort(
        key=lambda i: (
            not (i.status and i.status.overdue and i.status.due),
            not (i.status and i.status.due),
            i.archive.pk,
        )
    )
    return items


@dataclass
class CoverageRow:
    region: Region
    due: int = 0
    visited: int = 0
    not_visited: list[ElderArchive] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        return visit_rules.coverage(self.due, self.visited)


def coverage(*, user: Any, region: Region, on: date) -> tuple[CoverageRow, list[CoverageRow]]:
    """Of the elders with a visit rule in ``region``: how many have had this period's visits, per child region
    (the same counts as a direct count of the records). Returns the total row and the child rows."""
    archives = list(
        ElderArchive.objects.visible_to(user, Action.ARCHIVE_VIEW)
        .filter(region__code__startswith=region.prefix, status="active")
        .select_related("person", "region")
    )
    rules = _rules(region, on)
    advanced = int(policy.value("eldercare.advanced_age", region=region, on=on))
    dates: dict[int, list[date]] = defaultdict(list)
    for archive_id, day in Visit.objects.filter(
        archive__in=archives, submitted_at__isnull=False, visit_date__gte=date(on.year - 1, 1, 1)
    ).values_list("archive_id", "visit_date"):
        dates[archive_id].append(day)
    children = {r.code: r for r in Region.objects.filter(parent=region)}
    total = CoverageRow(region)
    rows: dict[str, CoverageRow] = {}
    for archive in archives:
        status = _status(
            archive, categories_of(archive, on=on, advanced_age=advanced), dates[archive.pk], on, rules, None
        )
        if status is None:
            continue
        child_code = next((c for c in children if archive.region_id.startswith(children[c].prefix)), None)
        targets = [total]
        if child_code is not None:
            targets.append(rows.setdefault(child_code, CoverageRow(children[child_code])))
        for row in targets:
            row.due += 1
            if status.remaining == 0:
                row.visited += 1
            else:
                row.not_visited.append(archive)
    return total, sorted(rows.values(), key=lambda r: r.region.code)


def need_list(*, user: Any, status: str = NeedStatus.OPEN) -> QuerySet[NeedReport]:
    rows = NeedReport.objects.visible_to(user, Action.NEED_HANDLE).select_related(
        "archive__person", "region", "reported_by"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at")


def todo_groups(user: Any) -> list[TodoGroup]:
    groups = []
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
    return groups


# --- small reads for the pages (views.py) -----------------------------------------------------------


def get_visit_for_helper(helper: Any, public_id: Any) -> Visit:
    """A helper's own visit, reached through the elder's active pairing: 403 for a non-helper, else 404."""
    require_action(helper, Action.VISIT_RECORD)
    visit = (
        Visit.objects.select_related("archive__person", "archive__region")
        .filter(
            public_id=public_id,
            helper=helper,
            archive__pairings__helper=helper,
            archive__pairings__ended_on__isnull=True,
        )
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def archive_visits(archive: ElderArchive, *, limit: int = 50) -> list[Visit]:
    """The archive's submitted visits, newest first, with their services and needs."""
    rows = (
        archive.visits.filter(submitted_at__isnull=False)
        .select_related("helper")
        .prefetch_related("services", "needs")
        .order_by("-visit_date", "-opened_at")
    )
    return list(rows[:limit])


def archive_history(archive: ElderArchive, *, limit: int = 100) -> list[AuditEvent]:
    """The change history of an archive: the audit events recorded against its public id (masked diffs)."""
    return list(AuditEvent.objects.filter(object_id=str(archive.public_id)).order_by("-seq")[:limit])


def helpers_for_archive(archive: ElderArchive, *, on: date) -> QuerySet[User]:
    """Users holding the helper role on ``on`` at a village of the archive's township (the pairing choices)."""
    township = archive.region_id[:9]
    holders = RoleAssignment.objects.active(on).filter(role=Role.HELPER, region__code__startswith=township)
    return User.objects.filter(is_active=True, pk__in=holders.values("user_id")).order_by("username")


def current_helpers(archive_ids: list[int]) -> dict[int, Any]:
    """The current helper of each archive (by archive id); archives without a pairing are left out."""
    rows = Pairing.objects.filter(archive_id__in=archive_ids, ended_on__isnull=True).select_related("helper")
    return {p.archive_id: p.helper for p in rows}


def last_visits(archive_ids: list[int]) -> dict[int, date]:
    """The date of each archive's last submitted visit (archives never visited are left out)."""
    rows = (
        Visit.objects.filter(archive_id__in=archive_ids, submitted_at__isnull=False)
        .values("archive_id")
        .annotate(last=Max("visit_date"))
    )
    return {r["archive_id"]: r["last"] for r in rows}


def open_emergencies_for_helper(helper: Any) -> list[Any]:
    """Open emergencies of the helper's paired elders: they go on top of my day."""
    paired = Pairing.objects.filter(helper=helper, ended_on__isnull=True).values("archive_id")
    return list(
        Emergency.objects.filter(archive_id__in=paired, closed_at__isnull=True)
        .select_related("archive__person")
        .order_by("-occurred_at")
    )
