"""The platform's clock. Services ask it for "today" so that a development or test server can be moved in
time (public-notice periods, deadlines) without touching the machine's clock.

``settings.CLOCK_OFFSET_FILE`` (development and tests only; refused with DEBUG off) may name a file
holding a whole number of days to add. It is read on every call, so a browser test can move a running
server forward.

``frozen`` / ``frozen_at`` stop the clock at a given day or moment inside a ``with`` block: the one helper for
tests and for demo generation (history lies in the past), never for a request.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from unittest.mock import patch

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


@contextmanager
def frozen(day: date, at: time = time(10, 0)) -> Iterator[None]:
    """Stop the clock at ``day``, ``at`` o'clock local time (``today()`` is ``day``, ``now()`` that moment)."""
    with frozen_at(timezone.make_aware(datetime.combine(day, at))):
        yield


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stop the clock at the aware ``moment``. Plain functions rather than mocks: the demo moves the clock some
    50,000 times, and a ``MagicMock`` per move costs more than the visit's own queries."""
    day = timezone.localdate(moment)
    this = sys.modules[__name__]
    with patch.object(this, "today", new=lambda: day), patch.object(this, "now", new=lambda: moment):
        yield
