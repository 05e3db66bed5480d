"""Demo data for elder care (filled in below)."""

from __future__ import annotations

from typing import Any


def load(command: Any, options: dict[str, Any]) -> str:
    return "eldercare: no demo data yet"
