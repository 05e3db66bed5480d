"""The unread-notification count in the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhulao.eldercare.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
