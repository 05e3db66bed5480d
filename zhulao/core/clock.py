"""The platform's clock. Services ask it for "today" so that a development or test server can be moved in
time (public-notice periods, deadlines) without touching the machine's clock.

``settings.CLOCK_OFFSET_FILE`` (development and tests only; refused with DEBUG off) may name a file
holding a whole number of days to add. It is read on every call, so a browser test can move a running
server forward.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def offset() -> timedelta:
    path = getattr(settings, "CLOCK_OFFSET_FILE", "")
    if not path:
        return timedelta()
    try:
        return timedelta(days=int(Path(path).read_text(encoding="utf-8").strip() or 0))
    except (OSError, ValueError):
        return timedelta()


def now() -> datetime:
    return timezone.now() + offset()


def today() -> date:
    return timezone.localdate() + offset()
