"""Notifications: in-app (with an unread count) and an outbox for the outbound channel, sent by a task
and retried. Email is the default channel; an SMS gateway plugs in through ``zhulao.eldercare.channels``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction

from zhulao.core import clock
from zhulao.eldercare.models import Notification, OutboxMessage

MAX_ATTEMPTS = 5


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
