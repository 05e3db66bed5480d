"""Confirmation calls (S14): the village calls the families of the month's sampled visits and records the
result; township and county see the results and each helper's monthly confirmation figures."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.dates import month_from_query
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.querysets import require_action
from zhulao.eldercare import forms, selectors
from zhulao.eldercare.models import ConfirmationCall
from zhulao.eldercare.services import confirmations
from zhulao.eldercare.views._common import _form_error
from zhulao.rules.dates import add_months

PAGE_SIZE = 50


def _month(request: AuthedHttpRequest) -> date:
    """``?month=YYYY-MM`` as its first day; by default last month (the month ``sample_confirmation_calls`` draws)."""
    return month_from_query(request, default=add_months(clock.today().replace(day=1), -1))


def _row(request: AuthedHttpRequest, call: ConfirmationCall, form: forms.CallRecordForm | None = None) -> Any:
    initial = {"result": call.result} if call.result else {}
    return {
        "call": call,
        "can_record": request.user.can(Action.PAIRING_MANAGE, call.region_id),
        "form": form or forms.CallRecordForm(initial=initial, auto_id=f"id_%s_{call.visit.public_id}"),
    }


def call_list(request: AuthedHttpRequest) -> HttpResponse:
    """回访: the month's sampled calls in scope (to make first), each with who to call; the helpers' figures."""
    require_action(request.user, Action.ARCHIVE_VIEW)
    month = _month(request)
    calls = selectors.call_list(user=request.user, month=month)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "month": month,
        "previous": add_months(month, -1),
        "next": add_months(month, 1),
        "page": page,
        "rows": [_row(request, c) for c in page],
        "waiting": calls.filter(result="").count(),
        "stats": selectors.helper_stats(user=request.user, month=month),
        "query": f"month={month:%Y-%m}",
    }
    return render(request, "eldercare/call_list.html", context)


@require_POST
def call_record(request: AuthedHttpRequest, visit_id: UUID) -> HttpResponse:
    """Record (or correct, with a note) the result of one call; htmx gets the row back."""
    call = selectors.get_call_for_user(request.user, visit_id)
    form = forms.CallRecordForm(request.POST, auto_id=f"id_%s_{call.visit.public_id}")
    if form.is_valid():
        try:
            call = confirmations.call_record(actor=request.user, call=call, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
    if is_partial(request):  # 200 with the errors: htmx does not swap 4xx responses by default
        return render(request, "eldercare/_call_row.html", {"row": _row(request, call, form if form.errors else None)})
    if form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("The result of the call is recorded."))
    return redirect(f"{reverse('eldercare:call_list')}?month={call.month:%Y-%m}")
