"""Small helpers shared by management commands."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

from zhulao.core.dates import parse_month
from zhulao.core.exceptions import DomainError


def date_option(value: str | None, name: str) -> date | None:
    """A ``--name YYYY-MM-DD`` option as a date (None when not given); a clear error otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--{name} is YYYY-MM-DD") from exc


def month_option(value: str | None, name: str) -> date | None:
    """A ``--name YYYY-MM`` option as the month's first day (None when not given); a clear error otherwise."""
    if not value:
        return None
    try:
        return parse_month(value, field=name)
    except DomainError as exc:
        raise CommandError(f"--{name}: {exc}") from exc
