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
from zhulao.policy import forms, previews, selectors, services
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


def _list_context(form: forms.ParameterAddForm) -> dict[str, object]:
    return {
        "lookup": forms.LookupForm(),
        "rows": _current_rows("", timezone.localdate()),
        "on": timezone.localdate(),
        "can_edit": True,
        "form": form,
    }


@require_POST
def parameter_add(request: AuthedHttpRequest) -> HttpResponse:
    """Add a value. A key that drives records (the post quota) first shows what the value would open and
    close (a page step that writes nothing); confirming then proposes it for a second administrator."""
    require_action(request.user, Action.POLICY_EDIT)
    form = forms.ParameterAddForm(request.POST)
    if not form.is_valid():
        return render(request, "policy/parameter_list.html", _list_context(form))
    data = form.cleaned_data
    key = data["key"]
    try:
        if previews.needs_preview(key) and not request.POST.get("confirmed"):
            services.parameter_check(actor=request.user, **{k: v for k, v in data.items() if k != "note"})
            preview = previews.preview(
                key=key, value=data["value"], region_prefix=data["region_prefix"], effective_from=data["effective_from"]
            )
            context = {"form": form, "spec": KEYS[key], "data": data, "preview": preview}
            return render(request, "policy/parameter_preview.html", context)
        if KEYS[key].needs_approval:
            services.parameter_propose(actor=request.user, **data)
            messages.success(request, _("The value has been proposed; another administrator must approve it."))
            return redirect("policy:proposals")
        row = services.parameter_add(actor=request.user, **data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return render(request, "policy/parameter_list.html", _list_context(form))
    messages.success(request, _("The new value has been recorded."))
    return redirect("policy:history", key=row.key)


def proposal_list(request: AuthedHttpRequest) -> HttpResponse:
    """Proposed values waiting for a second administrator, each with what it would open and close."""
    require_action(request.user, Action.POLICY_EDIT)
    pending, decided = selectors.proposals_for(request.user)
    rows = [
        {
            "proposal": p,
            "spec": KEYS[p.key],
            "preview": previews.preview(
                key=p.key, value=p.value, region_prefix=p.region_prefix, effective_from=p.effective_from
            ),
            "may_decide": p.proposed_by_id != request.user.pk,
        }
        for p in pending
    ]
    return render(request, "policy/proposal_list.html", {"rows": rows, "decided": decided})


@require_POST
def proposal_decide(request: AuthedHttpRequest, proposal_id: int, how: str) -> HttpResponse:
    require_action(request.user, Action.POLICY_EDIT)
    proposal = selectors.get_proposal_for_user(request.user, proposal_id)
    note = request.POST.get("note", "")
    try:
        if how == "approve":
            services.parameter_approve(actor=request.user, proposal=proposal, note=note)
            messages.success(request, _("Approved: the new value has been recorded."))
        elif how == "reject":
            services.parameter_reject(actor=request.user, proposal=proposal, reason=note)
            messages.success(request, _("The proposal has been rejected."))
        elif how == "withdraw":
            services.parameter_withdraw(actor=request.user, proposal=proposal, reason=note)
            messages.success(request, _("The proposal has been withdrawn."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("policy:proposals")
