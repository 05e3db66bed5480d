"""What a new policy value would change, shown before it is recorded (a page step, never a write).

Apps register a preview for the keys that drive their records (``posts`` registers
``facility.post_quota``: the posts the sync would open and close per facility). A preview is computed by
the same code that later applies the value, and reads only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PreviewRow:
    """One record the new value would change: e.g. a facility, with the posts opened and closed."""

    subject: str
    url: str
    before: int
    after: int
    opens: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # filled posts above the new quota: they stay open until the placement ends


@dataclass(frozen=True)
class Preview:
    key: str
    rows: tuple[PreviewRow, ...]
    unchanged: int = 0  # records the value reaches that it would not change
    notes: tuple[str, ...] = field(default=())

    @property
    def opens(self) -> int:
        return sum(len(r.opens) for r in self.rows)

    @property
    def closes(self) -> int:
        return sum(len(r.closes) for r in self.rows)


PREVIEWS: dict[str, Callable[..., Preview]] = {}


def register(key: str, function: Callable[..., Preview]) -> None:
    PREVIEWS[key] = function


def needs_preview(key: str) -> bool:
    return key in PREVIEWS


def preview(*, key: str, value: Any, region_prefix: str, effective_from: date) -> Preview | None:
    """The changes ``value`` for ``key`` would bring, or None when no app registered a preview for the key."""
    function = PREVIEWS.get(key)
    if function is None:
        return None
    return function(value=value, region_prefix=region_prefix, effective_from=effective_from)
