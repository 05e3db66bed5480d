"""Staff and helper pages of elder care."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.eldercare import forms, selectors, services
from zhulao.eldercare.choices import NeedStatus
from zhulao.eldercare.models import NeedReport


def need_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.NEED_HANDLE)
    status = request.GET.get("status", NeedStatus.OPEN)
    context = {
        "needs": selectors.need_list(user=request.user, status=status if status in NeedStatus.values else "")[:200],
        "status": status,
        "form": forms.NeedHandleForm(),
    }
    return render(request, "eldercare/need_list.html", context)


@require_POST
def need_handle(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    need = NeedReport.objects.get_for_user(request.user, Action.NEED_HANDLE, public_id=public_id)
    form = forms.NeedHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how the need was handled."))
        return redirect("eldercare:need_list")
    try:
        services.need_handle(actor=request.user, need=need, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The need is marked handled."))
    return redirect("eldercare:need_list")
