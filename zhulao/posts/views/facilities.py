"""Facilities and their posts (S1, S2)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.querysets import require_action
from zhulao.posts import forms, selectors, services
from zhulao.posts.choices import FacilityKind
from zhulao.regions import selectors as region_selectors


def facility_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.FACILITY_VIEW)
    region = region_selectors.cascade_choice(request.GET)
    kind = request.GET.get("kind", "")
    rows = selectors.facility_list(user=request.user, region=region, kind=kind if kind in FacilityKind.values else "")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "kinds": FacilityKind.choices,
        "kind": kind,
        "cascade": region_selectors.cascade(user=request.user, action=Action.FACILITY_VIEW, selected=region),
        "can_edit": request.user.can(Action.FACILITY_EDIT),
        "form": forms.FacilityForm(),
    }
    template = "posts/_facility_rows.html" if is_partial(request) else "posts/facility_list.html"
    return render(request, template, context)


@require_POST
def facility_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.FACILITY_EDIT)
    form = forms.FacilityForm(request.POST)
    if form.is_valid():
        try:
            facility = services.facility_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The facility has been registered and its posts opened."))
            return redirect(facility)
    return render(request, "posts/facility_form.html", {"form": form})


def facility_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    facility = selectors.get_facility_for_user(request.user, public_id)
    context = {
        "facility": facility,
        "posts": selectors.facility_posts(facility),
        "history": facility.status_history.select_related("recorded_by"),
        "status_form": forms.FacilityStatusForm(initial={"status": facility.status}),
        "can_edit": request.user.can(Action.FACILITY_EDIT, facility.region_id),
    }
    return render(request, "posts/facility_detail.html", context)


@require_POST
def facility_status(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    facility = selectors.get_facility_for_user(request.user, public_id, Action.FACILITY_EDIT)
    form = forms.FacilityStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the status, its date and a reason."))
        return redirect(facility)
    try:
        services.facility_set_status(actor=request.user, facility=facility, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The status has been recorded."))
    return redirect(facility)
