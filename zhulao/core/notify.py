"""A hook for telling a user something, so that an app above the one that sends the notifications can
notify without importing it (docs/architecture.md §4.1).

``zhulao.eldercare`` registers its ``services.notifications.notify`` (in-app, plus the outbox) in its
``AppConfig.ready``; ``send`` calls every registered notifier. With none registered nothing is sent:
callers keep their own record of what they routed (an audit event).
"""

from __future__ import annotations

from typing import Any, Protocol


class Notifier(Protocol):
    def __call__(self, *, user: Any, kind: str, title: str, url: str = "") -> Any: ...


NOTIFIERS: list[Notifier] = []


def register(notifier: Notifier) -> None:
    """Add a notifier (once)."""
    if notifier not in NOTIFIERS:
        NOTIFIERS.append(notifier)


def send(*, user: Any, kind: str, title: str, url: str = "") -> int:
    """Tell ``user``; returns how many notifiers were called."""
    for notifier in NOTIFIERS:
        notifier(user=user, kind=kind, title=title, url=url)
    return len(NOTIFIERS)
