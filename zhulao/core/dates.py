"""The one ``YYYY-MM`` month parser, shared by pages, API and management commands.

A month is its first day (a ``date``). Bad input raises ``DomainError("invalid_month", …, field=…)``: the
API answers 4xx naming the field, a page shows the message and falls back to its default month, a command
turns it into a ``CommandError`` (``core.commands.month_option``).
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhulao.core.exceptions import DomainError

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(raw: str | None, *, default: date | None = None, field: str = "month") -> date:
    """``YYYY-MM`` as the month's first day; ``default`` when ``raw`` is empty (a ``DomainError`` without one)."""
    value = (raw or "").strip()
    if not value and default is not None:
        return default.replace(day=1)
    match = _MONTH.fullmatch(value)
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 1:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise DomainError(
        "invalid_month",
        _("Write the month as YYYY-MM (year and month), for example %(example)s.") % {"example": "2026-03"},
        field=field,
    )


def month_from_query(request: HttpRequest, *, default: date, field: str = "month") -> date:
    """A page's ``?month=YYYY-MM``: bad input is shown as an error message and the page keeps ``default``."""
    try:
        return parse_month(request.GET.get(field, ""), default=default, field=field)
    except DomainError as exc:
        messages.error(request, str(exc))
        return default.replace(day=1)
