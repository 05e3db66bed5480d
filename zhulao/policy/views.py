"""Policy parameters: current values for a region and date, each key's history, and adding a value."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.policy import forms, selectors, services
from zhulao.policy.keys import KEYS


def _current_rows(region: str, on: date) -> list[dict[str, object]]:
    rows = []
    for key, spec in sorted(KEYS.items()):
        try:
            resolved = selectors.resolve(key, region=region or None, on=on)
        except selectors.PolicyMissing:
            continue
        rows.append({"key": key, "spec": spec, "resolved": resolved})
    return rows


def parameter_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.POLICY_VIEW)
    lookup = forms.LookupForm(request.GET or None)
    region, on = "", timezone.localdate()
    if lookup.is_valid():
        region = lookup.cleaned_data["region"] or ""
        on = lookup.cleaned_data["on"] or on
    context = {
        "lookup": lookup,
        "rows": _current_rows(region, on),
        "on": on,
        "can_edit": request.user.can(Action.POLICY_EDIT),
        "form": forms.ParameterAddForm(),
    }
    return render(request, "policy/parameter_list.html", context)


def parameter_history(request: AuthedHttpRequest, key: str) -> HttpResponse:
    require_action(request.user, Action.POLICY_VIEW)
    if key not in KEYS:
        raise Http404
    return render(
        request,
        "policy/parameter_history.html",
        {"key": key, "spec": KEYS[key], "rows": selectors.history(key)},
    )


@require_POST
def parameter_add(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.POLICY_EDIT)
    form = forms.ParameterAddForm(request.POST)
    if form.is_valid():
        try:
            row = services.parameter_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The new value has been recorded."))
            return redirect("policy:history", key=row.key)
    context = {
        "lookup": forms.LookupForm(),
        "rows": _current_rows("", timezone.localdate()),
        "on": timezone.localdate(),
        "can_edit": True,
        "form": form,
    }
    return render(request, "policy/parameter_list.html", context)
