"""The seed's elder-care indicators (S19) computed from the platform's own records, for a region and a period:
archives in the three groups (S13), pairing (S14), visits and services (S15), needs (S17), emergencies (S16),
family confirmations, activities (S18) and facility operation (S3).

Every figure is one aggregate query over the scoped rows (a dozen queries in all, whatever the region's
size); nothing is kept in a table of its own, so a figure can always be traced back to the records it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from zhulao import policy
from zhulao.core.actions import Action
from zhulao.eldercare.choices import ARCHIVE_GROUPS, ActivityKind, ArchiveStatus, ElderCategory, NeedStatus, ServiceKind
from zhulao.eldercare.models import (
    Activity,
    ElderArchive,
    Emergency,
    EmergencyStep,
    HouseholdArchive,
    NeedReport,
    Pairing,
    ServiceRecord,
    Visit,
)
from zhulao.eldercare.selectors import operations
from zhulao.regions.models import Region


@dataclass
class Indicators:
    region: Region
    start: date
    end: date
    archives: int = 0
    households: int = 0
    groups: list[tuple[str, int]] = field(default_factory=list)  # (托底 / 困境 / 重点保障, elders), seed order
    paired: int = 0
    helpers: int = 0
    visits: int = 0
    elders_visited: int = 0
    services: list[dict[str, Any]] = field(default_factory=list)  # kind, label, count, minutes
    family_contacted: int = 0
    needs: dict[str, int] = field(default_factory=dict)
    emergencies: dict[str, int] = field(default_factory=dict)
    confirmations: dict[str, Any] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)  # kind, label, count
    operation: operations.OperationFigures | None = None
    before: operations.OperationFigures | None = None
    after: operations.OperationFigures | None = None
    change: operations.Change | None = None
    pivot: date | None = None

    @property
    def paired_share(self) -> Decimal | None:
        return _share(self.paired, self.archives)


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


def _group_counts(archives: Any, region: Region, on: date) -> list[tuple[str, int]]:
    """Elders per group of the dated mapping ``eldercare.group_mapping``: an elder counts in every group one of
    their flags belongs to (高龄 from the birth date and ``eldercare.advanced_age``), as on the archive page."""
    mapping: dict[str, list[str]] = policy.value("eldercare.group_mapping", region=region, on=on)
    advanced = int(policy.value("eldercare.advanced_age", region=region, on=on))
    born_by = _years_before(on, advanced)
    counts: dict[str, Any] = {}
    for group, members in mapping.items():
        q = Q(pk__in=[])
        for code in members:
            if code == ElderCategory.ADVANCED_AGE:
                q |= Q(person__birth_date__lte=born_by)
            else:
                q |= Q(categories__icontains=f'"{code}"')  # a JSON list of codes: match the quoted code
        counts[group] = Count("id", filter=q)
    totals = archives.aggregate(**counts) if counts else {}
    order = {g: i for i, g in enumerate(ARCHIVE_GROUPS)}
    return sorted(((g, int(totals[g])) for g in mapping), key=lambda item: (order.get(item[0], 99), item[0]))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _rows(model: Any, user: Any, action: str) -> Any:
    """The model's rows the user may see; ``user=None`` is the system (the ``eldercare_indicators`` command)."""
    return model.objects.all() if user is None else model.objects.visible_to(user, action)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def indicators(*, user: Any, region: Region, start: date, end: date, pivot: date | None = None) -> Indicators:
    """The indicators of ``region`` (within the user's scope) for the days ``start``–``end`` (inclusive);
    counts of what exists (archives, pairings) are taken as of ``end``."""
    prefix = region.prefix
    result = Indicators(region=region, start=start, end=end)
    since, until = _moment(start), _moment(end + timedelta(days=1))

    archives = _rows(ElderArchive, user, Action.ARCHIVE_VIEW).filter(
        region__code__startswith=prefix, status=ArchiveStatus.ACTIVE
    )
    active_pairing = Pairing.objects.filter(archive=OuterRef("pk"), ended_on__isnull=True)
    figures = archives.aggregate(total=Count("id"), paired=Count("id", filter=Q(Exists(active_pairing))))
    result.archives, result.paired = figures["total"], figures["paired"]
    result.households = (
        _rows(HouseholdArchive, user, Action.ARCHIVE_VIEW).filter(region__code__startswith=prefix).count()
    )
    result.groups = _group_counts(archives, region, end)
    result.helpers = (
        Pairing.objects.filter(archive__in=archives, ended_on__isnull=True).values("helper_id").distinct().count()
    )

    visits = _rows(Visit, user, Action.ARCHIVE_VIEW).filter(
        region__code__startswith=prefix, submitted_at__isnull=False, visit_date__range=(start, end)
    )
    done = visits.aggregate(
        visits=Count("id"),
        elders=Count("archive_id", distinct=True),
        family=Count("id", filter=Q(family_contacted=True)),
        confirmed=Count("id", filter=Q(confirmation__happened=True)),
        denied=Count("id", filter=Q(confirmation__happened=False)),
        rating=Avg("confirmation__rating"),
    )
    result.visits, result.elders_visited, result.family_contacted = done["visits"], done["elders"], done["family"]
    rating = done["rating"]
    result.confirmations = {
        "confirmed": done["confirmed"],
        "denied": done["denied"],
        "share": _share(done["confirmed"], done["visits"]),
        "rating": Decimal(rating).quantize(Decimal("0.01")) if rating is not None else None,
    }
    by_kind = {
        row["kind"]: row
        for row in ServiceRecord.objects.filter(visit__in=visits)
        .values("kind")
        .annotate(count=Count("id"), minutes=Sum("minutes"))
    }
    result.services = [
        {
            "kind": kind.value,
            "label": kind.label,
            "count": by_kind.get(kind.value, {}).get("count", 0),
            "minutes": by_kind.get(kind.value, {}).get("minutes") or 0,
        }
        for kind in ServiceKind
    ]

    needs = _rows(NeedReport, user, Action.ARCHIVE_VIEW).filter(region__code__startswith=prefix)
    result.needs = needs.aggregate(
        # a need found on a visit counts on the visit's day; one reported otherwise, on the day it was entered
        reported=Count(
            "id",
            filter=Q(visit__visit_date__range=(start, end))
            | Q(visit__isnull=True, created_at__gte=since, created_at__lt=until),
        ),
        handled=Count("id", filter=Q(handled_at__gte=since, handled_at__lt=until)),
        open_now=Count("id", filter=Q(status=NeedStatus.OPEN)),
    )

    emergencies = _rows(Emergency, user, Action.ARCHIVE_VIEW).filter(
        region__code__startswith=prefix, occurred_at__gte=since, occurred_at__lt=until
    )
    escalated = EmergencyStep.objects.filter(emergency=OuterRef("pk"), action="escalated")
    result.emergencies = emergencies.aggregate(
        reported=Count("id"),
        closed=Count("id", filter=Q(closed_at__isnull=False)),
        escalated=Count("id", filter=Q(Exists(escalated))),
        referral_120=Count("id", filter=Q(referral_120=True)),
        referral_110=Count("id", filter=Q(referral_110=True)),
    )

    activity_counts = dict(
        _rows(Activity, user, Action.FACILITY_VIEW)
        .filter(region__code__startswith=prefix, held_on__range=(start, end))
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    result.activities = [
        {"kind": k.value, "label": k.label, "count": activity_counts.get(k.value, 0)} for k in ActivityKind
    ]

    result.operation = operations.operation_figures(user=user, prefix=prefix, start=start, end=end)
    result.pivot = pivot or operations.helpers_started_on(user=user, prefix=prefix)
    if result.pivot is not None:
        result.before, result.after = operations.before_after(user=user, prefix=prefix, pivot=result.pivot)
        result.change = operations.change(result.before, result.after)
    return result
