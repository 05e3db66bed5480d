"""The helper's phone pages (助老员): my day, the visit form, the family confirmation link.

Built for a 360-px phone: cards, big buttons, no tables.
"""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.eldercare import forms, selectors, services
from zhulao.eldercare.services import confirmations
from zhulao.eldercare.views._common import _form_error, _labels

# ------------------------------------------------------------------------------------ the helper


def my_day(request: AuthedHttpRequest) -> HttpResponse:
    """今日: the helper's elders, overdue first, then due this period, then the rest."""
    require_action(request.user, Action.VISIT_RECORD)
    today = clock.today()
    sections: dict[str, list[dict[str, Any]]] = {"overdue": [], "due": [], "rest": []}
    for item in selectors.my_day(helper=request.user, on=today):
        # An elder whose last period ended short but who has had this period's visits has nothing to do
        # today: the card goes with the rest (the selector still sorts it first; its "why" says so).
        due = item.status is not None and item.status.due
        state = "rest"
        if due and item.status is not None and item.status.overdue:
            state = "overdue"
        elif due:
            state = "due"
        sections[state].append({"item": item, "tags": _labels(item.categories), "state": state})
    context = {
        "today": today,
        "sections": sections,
        "count": sum(len(s) for s in sections.values()),
        "emergencies": selectors.open_emergencies_for_helper(request.user),
    }
    return render(request, "eldercare/my_day.html", context)


@require_POST
def visit_start(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "开始走访": the open time is recorded now; a second tap continues the open visit."""
    archive = selectors.get_archive_for_helper(request.user, public_id)
    form = forms.VisitStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the visit date as a calendar date."))
        return redirect("eldercare:my_day")
    try:
        visit = services.visit_start(actor=request.user, archive=archive, visit_date=form.cleaned_data["visit_date"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("eldercare:my_day")
    return redirect(visit)


def visit_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The visit form while the visit is open (re-rendered with everything typed if the submit fails);
    the summary once it is submitted."""
    visit = selectors.get_visit_for_helper(request.user, public_id)
    if visit.submitted_at is not None:
        context = {"visit": visit, "services": list(visit.services.all()), "needs": list(visit.needs.all())}
        return render(request, "eldercare/visit_done.html", context)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_submit(
                actor=request.user,
                visit=visit,
                services=form.services(),
                living_state=form.cleaned_data["living_state"],
                psychological_state=form.cleaned_data["psychological_state"],
                family_contacted=form.cleaned_data["family_contacted"],
                notes=form.cleaned_data["notes"],
                new_needs=form.needs(),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect(visit)  # the summary says it was submitted
    context = {"visit": visit, "form": form, "failed": request.method == "POST"}
    return render(request, "eldercare/visit_form.html", context)


@require_POST
def visit_share(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A family confirmation link and its QR code for a submitted visit (shown once; a new one replaces it)."""
    visit = selectors.get_visit_for_helper(request.user, public_id)
    try:
        token = confirmations.confirmation_issue(actor=request.user, visit=visit)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(visit)
    link = request.build_absolute_uri(reverse("family:confirm", args=[token]))
    qr = base64.b64encode(confirmations.qr_svg(link).encode()).decode()
    context = {
        "visit": visit,
        "services": list(visit.services.all()),
        "needs": list(visit.needs.all()),
        "share_link": link,
        "share_qr": f"data:image/svg+xml;base64,{qr}",
    }
    return render(request, "eldercare/visit_done.html", context)
