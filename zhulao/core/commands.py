"""Small helpers shared by management commands."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError


def date_option(value: str | None, name: str) -> date | None:
    """A ``--name YYYY-MM-DD`` option as a date (None when not given); a clear error otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--{name} is YYYY-MM-DD") from exc
