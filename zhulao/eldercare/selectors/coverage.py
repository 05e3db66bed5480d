"""Visit coverage (S14): of the elders with a visit rule, who had this period's visits, per child region;
who was not visited and why; and the emergency follow-ups of the month (S16) made within the policy's hours.

Dates are local calendar days, as on the helper's day: a visit dated on the emergency's day or later, up to
the day of its deadline, is a follow-up in time (the convention of ``zhulao.rules.visits``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.eldercare.choices import ElderCategory
from zhulao.eldercare.models import ElderArchive, Emergency
from zhulao.eldercare.selectors.archives import CHUNK, current_helpers, flag_categories, last_visits
from zhulao.eldercare.selectors.visits import care_policy, status_of, visit_dates
from zhulao.regions.models import Region
from zhulao.rules import visits as visit_rules


@dataclass
class CoverageRow:
    """The figures of one region. ``statuses`` and ``followup_overdue`` describe the elders not visited."""

    region: Region
    due: int = 0
    visited: int = 0
    not_visited: list[int] = field(default_factory=list)  # archive ids, the most urgent first
    statuses: dict[int, visit_rules.DueStatus] = field(default_factory=dict)
    followup_overdue: set[int] = field(default_factory=set)
    followups_due: int = 0  # emergencies of the month whose follow-up was made or whose deadline has passed
    followups_in_time: int = 0  # of those, visited within emergency.followup_hours

    @property
    def share(self) -> Decimal | None:
        return visit_rules.coverage(self.due, self.visited)

    @property
    def followup_share(self) -> Decimal | None:
        return visit_rules.coverage(self.followups_due, self.followups_in_time)


def judged_at(on: date) -> datetime:
    """The moment the figures of ``on`` are judged: now for today, else the end of that day."""
    if on >= clock.today():
        return clock.now()
    return datetime.combine(on, time.max, tzinfo=timezone.get_current_timezone())


def _followup(occurred: datetime, hours: int, visits: list[date], on: date, now: datetime) -> tuple[bool, bool]:
    """(judged, in time) for one emergency: judged once a follow-up was made or the deadline has passed."""
    day = timezone.localtime(occurred).date()
    deadline = occurred + timedelta(hours=hours)
    last_day = timezone.localtime(deadline).date()
    after = [d for d in visits if day <= d <= on]
    in_time = any(d <= last_day for d in after)
    return bool(after) or now > deadline, in_time


def coverage(
    *, user: Any, region: Region, on: date, now: datetime | None = None
) -> tuple[CoverageRow, list[CoverageRow]]:
    """Of the elders with a visit rule in ``region``: how many have had this period's visits, per child region
    (the same counts as a direct count of the records), and the month's emergency follow-ups. Returns the
    total row and the child rows. A bounded number of queries whatever the number of archives, and plain
    values rather than model instances (a city has 12,000 archives): :func:`missed_details` loads a page."""
    now = now or judged_at(on)
    scoped = ElderArchive.objects.visible_to(user, Action.ARCHIVE_VIEW).filter(
        region__code__startswith=region.prefix, status="active"
    )
    archives = list(scoped.values_list("pk", "region_id", "categories", "person__birth_date"))
    values = care_policy(region, on)
    ids = scoped.values("pk")
    dates = visit_dates(ids, on=on)
    month_start = datetime.combine(on.replace(day=1), time.min, tzinfo=timezone.get_current_timezone())
    emergencies: dict[int, list[datetime]] = defaultdict(list)
    for archive_id, occurred in (
        Emergency.objects.filter(archive_id__in=ids, occurred_at__gte=month_start, occurred_at__lte=now)
        .order_by("occurred_at")
        .values_list("archive_id", "occurred_at")
    ):
        emergencies[archive_id].append(occurred)
    children = {r.code: r for r in Region.objects.filter(parent=region)}
    total = CoverageRow(region)
    rows: dict[str, CoverageRow] = {}
    village_of: dict[int, str] = {}
    for pk, region_code, flags, born in archives:
        child_code = next((c for c in children if region_code.startswith(children[c].prefix)), None)
        targets = [total]
        if child_code is not None:
            targets.append(rows.setdefault(child_code, CoverageRow(children[child_code])))
        # every emergency of the month needs its follow-up, whether or not the elder has a visit rule
        for occurred in emergencies[pk]:
            judged, in_time = _followup(occurred, values.followup_hours, dates[pk], on, now)
            for row in targets:
                row.followups_due += int(judged)
                row.followups_in_time += int(judged and in_time)
        latest = emergencies[pk][-1] if emergencies[pk] else None
        status = status_of(
            flag_categories(flags, born, on=on, advanced_age=values.advanced_age),
            dates[pk],
            on,
            values.rules,
            None,
            (latest, values.followup_hours) if latest is not None else None,
            now,
        )
        if status is None or status.category == visit_rules.FOLLOWUP_ONLY:
            continue  # coverage counts regular visits; the follow-up alone is in the follow-up figures
        deadline = status.emergency_deadline
        late = status.emergency_visited is False and deadline is not None and timezone.localtime(now) > deadline
        village_of[pk] = region_code
        for row in targets:
            row.due += 1
            if status.remaining == 0:
                row.visited += 1
            else:
                row.not_visited.append(pk)
                row.statuses[pk] = status
                if late:
                    row.followup_overdue.add(pk)
    for row in [total, *rows.values()]:
        _most_urgent_first(row, village_of)
    return total, sorted(rows.values(), key=lambda r: r.region.code)


def _most_urgent_first(row: CoverageRow, village_of: dict[int, str]) -> None:
    """A late emergency follow-up first, then the previous period missed, then by village."""

    def key(pk: int) -> tuple[bool, bool, str, int]:
        return (pk not in row.followup_overdue, not row.statuses[pk].overdue, village_of[pk], pk)

    row.not_visited.sort(key=key)


@dataclass(frozen=True)
class Missed:
    """One elder not visited in the period, and why: the rule and its status, the helper, the last visit."""

    archive: ElderArchive
    status: visit_rules.DueStatus
    followup_overdue: bool
    helper: Any
    last_visit: date | None

    @property
    def rule(self) -> str:
        """The category whose rule applies (the strictest), as its label."""
        code = self.status.category
        return str(ElderCategory(code).label) if code in ElderCategory.values else code

    @property
    def reason(self) -> str:
        """The due status's reason in the active language (Chinese or English)."""
        return self.status.reason_zh if (translation.get_language() or "").startswith("zh") else self.status.reason_en


def missed_details(row: CoverageRow, archive_ids: Sequence[int]) -> list[Missed]:
    """The why of each of ``archive_ids`` (a page of ``row.not_visited``, or all of it for the export), in
    that order: the archives, their helpers and last visits, in three queries per 2,000 elders."""
    ids = list(archive_ids)
    found: dict[int, ElderArchive] = {}
    for i in range(0, len(ids), CHUNK):
        rows = ElderArchive.objects.filter(pk__in=ids[i : i + CHUNK]).select_related("person", "region")
        found.update({a.pk: a for a in rows})
    helpers, last = current_helpers(ids), last_visits(ids)
    return [
        Missed(found[pk], row.statuses[pk], pk in row.followup_overdue, helpers.get(pk), last.get(pk)) for pk in ids
    ]
