"""The helper's day (S14): each paired elder's due status under the dated visit rules, overdue work first;
the same statuses for every pairing at once (the daily overdue notifications)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404
from django.utils import timezone

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.querysets import require_action
from zhulao.eldercare.models import ElderArchive, Emergency, Pairing, Visit
from zhulao.eldercare.selectors.archives import categories_of
from zhulao.regions.models import Region
from zhulao.rules import visits as visit_rules


@dataclass(frozen=True)
class CarePolicy:
    """The elder-care policy values at one region on one day: visit rules, 高龄 age, follow-up hours."""

    rules: dict[str, visit_rules.VisitRule]
    advanced_age: int
    followup_hours: int


def care_policy(region: Region | str, on: date) -> CarePolicy:
    resolved = policy.resolve("eldercare.visit_rules", region=region, on=on)
    return CarePolicy(
        rules=visit_rules.rules_from_mapping(resolved.value, cite=resolved.cite()),
        advanced_age=int(policy.value("eldercare.advanced_age", region=region, on=on)),
        followup_hours=int(policy.value("emergency.followup_hours", region=region, on=on)),
    )


def status_of(
    categories: list[str],
    visits: list[date],
    on: date,
    rules: dict[str, visit_rules.VisitRule],
    since: date | None,
    emergency: tuple[datetime, int] | None = None,
    now: datetime | None = None,
) -> visit_rules.DueStatus | None:
    """The due status under the strictest rule; a recent emergency adds its follow-up deadline. An elder
    with no visit rule has a status only after an emergency: the follow-up alone (``FOLLOWUP_ONLY``)."""
    rule = visit_rules.required_visits(categories, rules)
    if emergency is None:
        return None if rule is None else visit_rules.due_status(rule=rule, visits=visits, today=on, since=since)
    at = timezone.localtime(emergency[0])  # visit dates are local calendar days
    moment = timezone.localtime(now or clock.now())
    if rule is None:
        return visit_rules.followup_status(
            visits=visits, today=on, emergency_at=at, emergency_window_hours=emergency[1], now=moment
        )
    return visit_rules.due_status(
        rule=rule,
        visits=visits,
        today=on,
        since=since,
        emergency_at=at,
        emergency_window_hours=emergency[1],
        now=moment,
    )


def visit_dates(archives: Any, *, on: date) -> dict[int, list[date]]:
    """The submitted visits' dates of each archive since 1 January of last year (enough for any period).
    ``archives``: a list of archives or a queryset of their ids (sent as a subquery)."""
    dates: dict[int, list[date]] = defaultdict(list)
    for archive_id, day in Visit.objects.filter(
        archive_id__in=archives, submitted_at__isnull=False, visit_date__gte=date(on.year - 1, 1, 1)
    ).values_list("archive_id", "visit_date"):
        dates[archive_id].append(day)
    return dates


@dataclass
class DayItem:
    archive: ElderArchive
    categories: list[str]
    status: visit_rules.DueStatus | None
    last_visit: date | None
    open_visit: Visit | None


def _day_items(pairings: list[Pairing], on: date, open_visits: dict[int, Visit], archives: Any) -> list[DayItem]:
    """The day items of the pairings' elders; the policy is resolved once per region of the elders."""
    dates = visit_dates(archives, on=on)
    # the latest emergency of each elder in the last week: a follow-up visit is due within the policy's hours
    recent: dict[int, datetime] = {}
    for archive_id, occurred in (
        Emergency.objects.filter(archive_id__in=archives, occurred_at__gte=clock.now() - timedelta(days=7))
        .order_by("occurred_at")
        .values_list("archive_id", "occurred_at")
    ):
        recent[archive_id] = occurred
    policies: dict[str, CarePolicy] = {}
    items = []
    for pairing in pairings:
        archive = pairing.archive
        if archive.region_id not in policies:
            policies[archive.region_id] = care_policy(archive.region, on)
        values = policies[archive.region_id]
        categories = categories_of(archive, on=on, advanced_age=values.advanced_age)
        emergency = (recent[archive.pk], values.followup_hours) if archive.pk in recent else None
        status = status_of(categories, dates[archive.pk], on, values.rules, pairing.started_on, emergency)
        last = max(dates[archive.pk], default=None)
        items.append(DayItem(archive, categories, status, last, open_visits.get(archive.pk)))
    return items


def is_overdue(item: DayItem) -> bool:
    """Overdue work: the previous period ended short (or a follow-up is late) and a visit is still to make."""
    return bool(item.status and item.status.overdue and item.status.due)


def my_day(*, helper: Any, on: date) -> list[DayItem]:
    """The helper's elders: overdue first, then due this period, then the rest; each with its last visit."""
    pairings = list(
        Pairing.objects.filter(helper=helper, ended_on__isnull=True, archive__status="active").select_related(
            "archive__person", "archive__region"
        )
    )
    if not pairings:
        return []
    open_visits = {v.archive_id: v for v in Visit.objects.filter(helper=helper, submitted_at__isnull=True)}
    items = _day_items(pairings, on, open_visits, [p.archive for p in pairings])
    # overdue work first (only while a visit is still to make), then due this period, then the rest
    items.sort(key=lambda i: (not is_overdue(i), not (i.status and i.status.due), i.archive.pk))
    return items


def overdue_by_helper(*, on: date) -> dict[Any, list[ElderArchive]]:
    """Every helper with overdue elders (as on their day), and those elders; one pass over all pairings."""
    active = Pairing.objects.filter(ended_on__isnull=True, archive__status="active")
    pairings = list(active.select_related("helper", "archive__person", "archive__region").order_by("archive_id"))
    out: dict[Any, list[ElderArchive]] = defaultdict(list)
    for pairing, item in zip(pairings, _day_items(pairings, on, {}, active.values("archive_id")), strict=True):
        if is_overdue(item):
            out[pairing.helper].append(item.archive)
    return dict(out)


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


def open_emergencies_for_helper(helper: Any) -> list[Any]:
    """Open emergencies of the helper's paired elders: they go on top of my day."""
    paired = Pairing.objects.filter(helper=helper, ended_on__isnull=True).values("archive_id")
    return list(
        Emergency.objects.filter(archive_id__in=paired, closed_at__isnull=True)
        .select_related("archive__person")
        .order_by("-occurred_at")
    )
