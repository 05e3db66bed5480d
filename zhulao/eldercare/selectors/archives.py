"""Reads of archives (S13): the list in scope, one archive, its visits and history, helpers, needs (S17)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core.actions import Action
from zhulao.core.models import AuditEvent
from zhulao.core.querysets import require_action
from zhulao.eldercare.choices import ARCHIVE_GROUPS, ElderCategory, NeedStatus
from zhulao.eldercare.models import ElderArchive, NeedReport, Pairing, Visit
from zhulao.rules.idcard import age_on

# Large ``IN (…)`` lists are sent in chunks of this many ids (SQLite's variable limit, query size).
CHUNK = 2000


def categories_of(archive: ElderArchive, *, on: date, advanced_age: int) -> list[str]:
    """The archive's flags plus 高龄 when the person has reached the policy's age threshold."""
    return flag_categories(archive.categories, archive.person.birth_date, on=on, advanced_age=advanced_age)


def flag_categories(flags: list[str], birth_date: date, *, on: date, advanced_age: int) -> list[str]:
    """:func:`categories_of` from plain values (the flags and the birth date), for reads of many archives."""
    categories = list(flags)
    if age_on(birth_date, on) >= advanced_age:
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


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def current_helpers(archive_ids: list[int]) -> dict[int, Any]:
    """The current helper of each archive (by archive id); archives without a pairing are left out."""
    out: dict[int, Any] = {}
    for chunk in _chunks(archive_ids):
        rows = Pairing.objects.filter(archive_id__in=chunk, ended_on__isnull=True).select_related("helper")
        out.update({p.archive_id: p.helper for p in rows})
    return out


def last_visits(archive_ids: list[int]) -> dict[int, date]:
    """The date of each archive's last submitted visit (archives never visited are left out)."""
    out: dict[int, date] = {}
    for chunk in _chunks(archive_ids):
        rows = (
            Visit.objects.filter(archive_id__in=chunk, submitted_at__isnull=False)
            .values("archive_id")
            .annotate(last=Max("visit_date"))
        )
        out.update({r["archive_id"]: r["last"] for r in rows})
    return out


def need_list(*, user: Any, status: str = NeedStatus.OPEN) -> QuerySet[NeedReport]:
    rows = NeedReport.objects.visible_to(user, Action.NEED_HANDLE).select_related(
        "archive__person", "region", "reported_by"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at")
