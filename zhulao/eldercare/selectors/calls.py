"""Confirmation calls (S14): the month's sampled visits in scope, their results, and per-helper figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from zhulao.core.actions import Action
from zhulao.core.querysets import prefixes_q
from zhulao.eldercare.models import ConfirmationCall, Visit
from zhulao.rules.dates import add_months

VILLAGE_PREFIX = 12


def stats_aggregates() -> dict[str, Any]:
    """Per-visit figures of family confirmations and confirmation calls (one definition for every read)."""
    return {
        "visits": Count("id"),
        "confirmed": Count("id", filter=Q(confirmation__happened=True)),
        "denied": Count("id", filter=Q(confirmation__happened=False)),
        "rating": Avg("confirmation__rating"),
        "calls": Count("confirmation_call"),
        "calls_confirmed": Count("id", filter=Q(confirmation_call__result="confirmed")),
        "calls_denied": Count("id", filter=Q(confirmation_call__result="denied")),
        "calls_unreachable": Count("id", filter=Q(confirmation_call__result="unreachable")),
    }


def month_visits(month: date, rows: QuerySet[Visit] | None = None) -> QuerySet[Visit]:
    """The submitted visits dated in ``month`` (of ``rows``, by default all)."""
    start = month.replace(day=1)
    rows = Visit.objects.all() if rows is None else rows
    return rows.filter(submitted_at__isnull=False, visit_date__gte=start, visit_date__lt=add_months(start, 1))


def call_list(*, user: Any, month: date) -> QuerySet[ConfirmationCall]:
    """The month's sampled calls the user may see: calls still to make first, then by village."""
    return (
        ConfirmationCall.objects.visible_to(user, Action.ARCHIVE_VIEW)
        .filter(month=month.replace(day=1))
        .select_related("visit__archive__person", "visit__helper", "region", "called_by")
        .prefetch_related("visit__archive__contacts")
        .order_by(F("called_at").asc(nulls_first=True), "region_id", "id")
    )


def get_call_for_user(user: Any, visit_id: Any, action: str = Action.PAIRING_MANAGE) -> ConfirmationCall:
    """One call, by its visit's public id: 403 without ``action``, 404 out of scope."""
    return (
        ConfirmationCall.objects.select_related("visit__archive__person", "visit__helper", "region", "called_by")
        .prefetch_related("visit__archive__contacts")
        .get_for_user(user, action, visit__public_id=visit_id)
    )


def helper_stats(*, user: Any, month: date) -> list[dict[str, Any]]:
    """Per helper, the month's visits in the user's scope with their confirmations and call results."""
    rows = (
        month_visits(month, Visit.objects.visible_to(user, Action.ARCHIVE_VIEW))
        .values("helper_id", "helper__username", "helper__full_name")
        .annotate(**stats_aggregates())
        .order_by("helper__username")
    )
    return [{**r, "helper": r["helper__full_name"] or r["helper__username"]} for r in rows]


def calls_waiting(user: Any) -> QuerySet[ConfirmationCall]:
    """Calls still to make in the villages where the user manages pairings (the village committee's to-do)."""
    villages = [p for p in user.scope_prefixes(Action.PAIRING_MANAGE) if len(p) == VILLAGE_PREFIX]
    if not villages:
        return ConfirmationCall.objects.none()
    return (
        ConfirmationCall.objects.visible_to(user, Action.PAIRING_MANAGE)
        .filter(prefixes_q("region__code", villages), result="")
        .select_related("visit__archive__person")
        .order_by("month", "id")
    )
