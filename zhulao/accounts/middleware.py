"""Idle and absolute session timeouts (SECURITY item 6)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


class SessionTimeoutMiddleware:
    """Log out after the idle timeout (shorter for the three administrators) or the absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault("zh_started", now)
            last = session.get("zh_last", now)
            idle_minutes = (
                settings.ADMIN_IDLE_TIMEOUT_MINUTES if user.is_admin_role_holder() else settings.IDLE_TIMEOUT_MINUTES
            )
            if now - last > idle_minutes * 60 or now - started > settings.ABSOLUTE_SESSION_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
            session["zh_last"] = now
        return self.get_response(request)
