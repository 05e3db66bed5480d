"""Reads for the workbench and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from zhulao.core.models import AuditEvent
from zhulao.core.querysets import prefixes_q


@dataclass
class TodoGroup:
    """One kind of to-do on the workbench: a label, a count and the oldest items with their links."""

    kind: str
    label: str | Promise
    url: str
    count: int
    items: list[dict[str, Any]] = field(default_factory=list)
    # higher first: open emergencies (100) come before everything else; equal priorities keep provider order
    priority: int = 0
    # an item may carry "note" (e.g. the time left) and "urgent" (shown in red)


TODO_ITEMS_SHOWN = 5  # items listed under one to-do


def todo_group(
    *, kind: str, label: str | Promise, url: str, rows: Any, item: Any, shown: int = TODO_ITEMS_SHOWN
) -> TodoGroup | None:
    """A to-do from an ordered queryset: its first ``shown`` rows as items (``item(row)`` → dict), the count
    (one ``COUNT`` only when there may be more), or ``None`` when there is nothing to do."""
    first = list(rows[:shown])
    if not first:
        return None
    count = rows.count() if len(first) == shown else len(first)
    return TodoGroup(kind=kind, label=label, url=url, count=count, items=[item(r) for r in first])


# Apps register providers of to-dos: callables (user) -> list[TodoGroup]. Later issues add theirs.
TODO_PROVIDERS: list[Any] = []


def register_todos(provider: Any) -> None:
    """Add an app's to-do provider (once), from its ``AppConfig.ready``."""
    if provider not in TODO_PROVIDERS:
        TODO_PROVIDERS.append(provider)


# Apps may name a user's home instead of the workbench: callables (user) -> URL or None; the first URL wins.
HOME_PROVIDERS: list[Any] = []


def register_home(provider: Any) -> None:
    """Add an app's home-page rule (once), from its ``AppConfig.ready``."""
    if provider not in HOME_PROVIDERS:
        HOME_PROVIDERS.append(provider)


def home_for(user: Any) -> str | None:
    """Where ``user`` lands after sign-in and on ``/``, when it is not the workbench."""
    for provider in HOME_PROVIDERS:
        url = provider(user)
        if url:
            return str(url)
    return None


def workbench_todos(*, user: Any) -> list[TodoGroup]:
    groups: list[TodoGroup] = []
    for provider in TODO_PROVIDERS:
        groups.extend(g for g in provider(user) if g.count)
    groups.sort(key=lambda g: -g.priority)
    return groups


def workbench_done(*, user: Any, limit: int = 10) -> QuerySet[AuditEvent]:
    """已办: what this user did recently, from the audit trail (logins left out)."""
    return (
        AuditEvent.objects.filter(actor=user, outcome=AuditEvent.Outcome.SUCCESS)
        .exclude(action__startswith="auth.")
        .order_by("-seq")[:limit]
    )


def audit_scope_q(prefixes: list[str]) -> Q:
    """Events an audit administrator may read: those of regions in scope; events without a region
    (sign-ins, settings) only for a city- or province-wide scope."""
    q = prefixes_q("region_code", prefixes)
    if any(len(p) <= 4 for p in prefixes):
        q |= Q(region_code="")
    return q


def get_audit_event(*, scope: list[str], seq: int) -> AuditEvent:
    """One event in the administrator's scope (``audit_scope_q``); 404 otherwise, so none can be enumerated."""
    event = AuditEvent.objects.filter(audit_scope_q(scope), seq=seq).select_related("actor").first()
    if event is None:
        raise Http404
    return event


def audit_list(
    *,
    scope: list[str] | None = None,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    region_code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    outcome: str = "",
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if scope is not None:
        events = events.filter(audit_scope_q(scope))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if region_code:
        events = events.filter(region_code__startswith=region_code)
    if outcome:
        events = events.filter(outcome=outcome)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(occurred_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return events.order_by("-seq")
