"""Password login with lockout after repeated failures (SECURITY item 4, parameters in settings).

Every attempt costs one run of the password hasher, whether the username exists, the account is locked
or disabled, or the password is wrong, so neither the answer nor its timing tells them apart. A locked
account is refused like a wrong password; the right password does not unlock it early, and failures
while it is locked do not extend the lock. The per-address throttle is in ``accounts.views.login``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from zhulao.accounts.models import User
from zhulao.core.audit import record_event


def register_failure(user: User) -> User:
    """Count one failed password; lock the account when the limit is reached. Counted in the database."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count", "locked_until"])
        if user.failed_login_count >= settings.LOGIN_FAIL_LIMIT and not user.is_locked():
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
            user.failed_login_count = 0
            user.save(update_fields=["locked_until", "failed_login_count"])
            record_event(actor=None, action="auth.lockout", obj=user, outcome="failure", reason=user.username)
    return user


class LockoutModelBackend(ModelBackend):
    """``ModelBackend`` that refuses locked accounts and counts failures per account."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing difference
            return None
        correct = user.check_password(password)  # runs for locked accounts too: no timing shortcut
        if user.is_locked():
            return None
        if not correct:
            register_failure(user)
            return None
        if not self.user_can_authenticate(user):
            if request is not None:
                request.login_refused_inactive = True  # type: ignore[attr-defined]  # read by LoginForm
            return None
        if user.failed_login_count or user.locked_until:
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        return user
