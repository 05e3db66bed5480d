"""Request type for views behind login (``request.user`` is our User, ``request.htmx`` is set), and the Excel
download response shared by the exports."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from zhulao.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def is_partial(request: AuthedHttpRequest) -> bool:
    """True for an htmx request that wants a fragment (not a boosted full-page navigation)."""
    return bool(request.htmx) and not request.htmx.boosted


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Any, stem: str) -> HttpResponse:
    """An openpyxl workbook as a download named ``<stem>-<YYYYmmdd-HHMM>.xlsx`` (local time)."""
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response
