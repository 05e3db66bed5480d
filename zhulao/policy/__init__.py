"""Dated policy parameters. ``policy.value(key, region=..., on=...)`` is the one way to read them.

The functions here import lazily so that ``from zhulao import policy`` is safe at any time.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def value(key: str, *, region: Any = None, on: date | None = None) -> Any:
    """The value of ``key`` for ``region`` (a Region or a code) on ``on`` (default today)."""
    from zhulao.policy import selectors

    return selectors.value(key, region=region, on=on)


def resolve(key: str, *, region: Any = None, on: date | None = None) -> Any:
    """Like :func:`value` but returns the row's metadata too (source, date, status)."""
    from zhulao.policy import selectors

    return selectors.resolve(key, region=region, on=on)
