"""Notifications: in-app (with an unread count) and an outbox for the outbound channel, sent by a task
and retried. Email is the default channel; an SMS gateway plugs in through ``zhulao.eldercare.channels``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import roles_with
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.eldercare import selectors
from zhulao.eldercare.models import Notification, OutboxMessage, Visit

MAX_ATTEMPTS = 5
# Notification kinds sent by this module (emergencies send "emergency" and "followup").
NEED = "need"
OVERDUE_VISITS = "overdue_visits"  # to a helper: how many of their elders are overdue
OVERDUE_HELPERS = "overdue_helpers"  # to a village committee: which helpers have overdue visits
TODOS = "todos"  # to anyone: what waits on their workbench (a daily digest)


def notify(*, user: Any, kind: str, title: str, url: str = "") -> Notification:
    """An in-app notification, plus an outbox email when the user has an address."""
    note = Notification.objects.create(user=user, kind=kind, title=str(title)[:200], url=url, created_at=clock.now())
    if getattr(user, "email", ""):
        OutboxMessage.objects.create(
            notification=note,
            channel="email",
            to_address=user.email,
            subject=str(title)[:200],
            body=f"{title}\n{url}",
            next_attempt_at=clock.now(),
        )
        from zhulao.eldercare.tasks import send_outbox_task

        transaction.on_commit(lambda: send_outbox_task.enqueue())
    return note


def mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=clock.now())


def send_due(*, limit: int = 200) -> tuple[int, int]:
    """Send the due outbox messages; failures are retried with a growing delay, up to MAX_ATTEMPTS."""
    from zhulao.eldercare import channels

    sent = failed = 0
    now = clock.now()
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
    for message in due.order_by("next_attempt_at")[:limit]:
        try:
            channels.get(message.channel).send(to=message.to_address, subject=message.subject, body=message.body)
        except Exception as exc:  # noqa: BLE001 - any channel failure is recorded and retried
            message.attempts += 1
            message.last_error = str(exc)[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = now + timedelta(minutes=5 * 2**message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            failed += 1
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = now
            message.attempts += 1
            message.save(update_fields=["status", "sent_at", "attempts"])
            sent += 1
    return sent, failed


def recipients(action: str, region_codes: list[str]) -> dict[str, list[User]]:
    """Per region code, the active users holding a role that carries ``action`` at exactly that region (the
    township's staff for a township code, the village committee for a village code); roles count as for
    permission checks (today's assignments). One query."""
    holders = (
        RoleAssignment.objects.active()
        .filter(role__in=roles_with(action), region_id__in=region_codes, user__is_active=True)
        .select_related("user")
        .order_by("region_id", "user_id")
    )
    out: dict[str, list[User]] = defaultdict(list)
    for assignment in holders:
        if assignment.user not in out[assignment.region_id]:
            out[assignment.region_id].append(assignment.user)
    return out


def notify_new_needs(*, visit: Visit, count: int) -> int:
    """Tell the township staff who handle needs (``need.handle`` at the elder's township) about the new
    needs of a submitted visit; returns how many were told."""
    township = visit.region_id[:9].ljust(12, "0")
    title = ngettext("%(n)d new need reported for %(elder)s", "%(n)d new needs reported for %(elder)s", count) % {
        "n": count,
        "elder": visit.archive,
    }
    users = recipients(Action.NEED_HANDLE, [township])[township]
    for user in users:
        notify(user=user, kind=NEED, title=title, url=reverse("eldercare:need_list"))
    return len(users)


@transaction.atomic
def notify_overdue_visits(*, on: date) -> tuple[int, int]:
    """The daily reminder: each helper hears how many of their elders are overdue, each village committee
    which helpers have overdue visits in the village. Once a day: whoever already had today's reminder of
    that kind is skipped, so a second run the same day notifies nobody. Returns (helpers, village users)."""
    start = datetime.combine(on, time.min, tzinfo=timezone.get_current_timezone())
    already = set(
        Notification.objects.filter(
            kind__in=(OVERDUE_VISITS, OVERDUE_HELPERS), created_at__gte=start, created_at__lt=start + timedelta(days=1)
        ).values_list("user_id", "kind")
    )
    helpers = 0
    per_village: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for helper, archives in sorted(selectors.overdue_by_helper(on=on).items(), key=lambda kv: kv[0].pk):
        for archive in archives:
            per_village[archive.region_id][helper] += 1
        if (helper.pk, OVERDUE_VISITS) in already:
            continue
        title = ngettext(
            "%(n)d of your elders is overdue for a visit", "%(n)d of your elders are overdue for a visit", len(archives)
        ) % {"n": len(archives)}
        notify(user=helper, kind=OVERDUE_VISITS, title=title, url=reverse("eldercare:my_day"))
        helpers += 1
    committees = recipients(Action.PAIRING_MANAGE, list(per_village))
    lines: dict[User, list[str]] = defaultdict(list)
    for village, counts in sorted(per_village.items()):
        for user in committees[village]:
            lines[user].extend(f"{helper} ({n})" for helper, n in counts.items())
    village_users = 0
    for user, parts in lines.items():
        if (user.pk, OVERDUE_HELPERS) in already:
            continue
        title = _("Helpers with overdue visits: %(helpers)s") % {"helpers": ", ".join(parts)}
        notify(user=user, kind=OVERDUE_HELPERS, title=title, url=reverse("eldercare:coverage"))
        village_users += 1
    return helpers, village_users


@transaction.atomic
def notify_todos(*, on: date) -> int:
    """The daily digest of the workbench: every active user with to-dos waiting hears how many, of which kinds
    (the same providers as the workbench). Once a day, like ``notify_overdue_visits``. Returns the users told."""
    from zhulao.core.selectors import workbench_todos

    start = datetime.combine(on, time.min, tzinfo=timezone.get_current_timezone())
    already = set(
        Notification.objects.filter(
            kind=TODOS, created_at__gte=start, created_at__lt=start + timedelta(days=1)
        ).values_list("user_id", flat=True)
    )
    holders = RoleAssignment.objects.active(timezone.localdate()).values("user_id")  # as permission checks are
    told = 0
    for user in User.objects.filter(is_active=True, pk__in=holders).exclude(pk__in=already).order_by("pk"):
        groups = workbench_todos(user=user)
        total = sum(g.count for g in groups)
        if not total:
            continue
        title = ngettext(
            "%(n)d to-do waits on your workbench: %(kinds)s", "%(n)d to-dos wait on your workbench: %(kinds)s", total
        ) % {"n": total, "kinds": "、".join(f"{g.label} {g.count}" for g in groups)}
        notify(user=user, kind=TODOS, title=title, url=reverse("core:workbench"))
        told += 1
    return told
