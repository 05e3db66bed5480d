"""The one throttle of the platform: counters in the database (``RateCounter``), shared by every app
process, in fixed windows.

A throttle is a ``Limit`` (a scope, how many, per how long). ``hit`` counts one event for a key and
returns the count of the current window; ``check`` raises ``Throttled`` (HTTP 429, with the seconds
until the window ends for ``Retry-After``) once the count has reached the limit. A caller that counts
failures calls ``check`` before the attempt and ``hit`` after a failure; a caller that counts every
attempt calls ``hit_or_refuse``.

The increment is atomic on SQLite and PostgreSQL: the window's row is created if missing (the unique
constraint settles a race: ``get_or_create`` retries the read), then ``count = count + 1`` is one
``UPDATE``. A hit is written in its own savepoint and should be made outside a transaction that may roll
back, or it is rolled back with it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhulao.core import clock
from zhulao.core.exceptions import Forbidden
from zhulao.core.models import RateCounter

GLOBAL = "*"  # the key of a ceiling over everyone


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: timedelta


class Throttled(Forbidden):
    """Too many attempts: HTTP 429 with ``Retry-After: retry_after`` seconds."""

    def __init__(self, message: str | Promise, *, retry_after: int) -> None:
        super().__init__("throttled", message)
        self.retry_after = retry_after


DEFAULT_MESSAGE = _("Too many attempts. Please wait a few minutes and try again.")


def _digest(key: str) -> str:
    if key == GLOBAL:
        return GLOBAL
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def _window(limit: Limit, now: datetime) -> tuple[datetime, int]:
    """The start of the window holding ``now`` and the whole seconds left in it."""
    size = limit.window.total_seconds()
    start = math.floor(now.timestamp() / size) * size
    begins = datetime.fromtimestamp(start, tz=now.tzinfo)
    return begins, max(1, math.ceil(start + size - now.timestamp()))


def count(limit: Limit, key: str) -> int:
    begins, _left = _window(limit, clock.now())
    row = RateCounter.objects.filter(scope=limit.scope, key=_digest(key), window_start=begins).first()
    return row.count if row else 0


def hit(limit: Limit, key: str) -> int:
    """Count one event for ``key``; returns the count of the current window, this one included."""
    begins, _left = _window(limit, clock.now())
    with transaction.atomic():
        row, _created = RateCounter.objects.get_or_create(scope=limit.scope, key=_digest(key), window_start=begins)
        RateCounter.objects.filter(pk=row.pk).update(count=F("count") + 1)
        return RateCounter.objects.values_list("count", flat=True).get(pk=row.pk)


def check(limit: Limit, key: str, message: str | Promise = DEFAULT_MESSAGE) -> None:
    """Raise ``Throttled`` when ``key`` has reached the limit in the current window."""
    if count(limit, key) >= limit.limit:
        _begins, left = _window(limit, clock.now())
        raise Throttled(message, retry_after=left)


def hit_or_refuse(limit: Limit, key: str, message: str | Promise = DEFAULT_MESSAGE) -> None:
    """Count this attempt; raise ``Throttled`` when it goes over the limit (refused attempts count too)."""
    if hit(limit, key) > limit.limit:
        _begins, left = _window(limit, clock.now())
        raise Throttled(message, retry_after=left)


def clean(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete the counters of windows that began before ``older_than`` ago; returns how many."""
    deleted, _per_model = RateCounter.objects.filter(window_start__lt=clock.now() - older_than).delete()
    return deleted
