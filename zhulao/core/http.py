"""Request type for views behind login (``request.user`` is our User, ``request.htmx`` is set); the Excel
download response shared by the exports lives in ``core.spreadsheets`` (re-exported here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from zhulao.core.spreadsheets import XLSX_TYPE, xlsx_response

if TYPE_CHECKING:
    from zhulao.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def is_partial(request: AuthedHttpRequest) -> bool:
    """True for an htmx request that wants a fragment (not a boosted full-page navigation)."""
    return bool(request.htmx) and not request.htmx.boosted


__all__ = ["XLSX_TYPE", "AuthedHttpRequest", "is_partial", "xlsx_response"]
