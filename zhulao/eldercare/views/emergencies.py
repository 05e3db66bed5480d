"""Emergency pages (S16): report (helper's phone or staff), the list with deadlines, acknowledge, refer, close;
and the notification centre."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.exceptions import DomainError
from zhulao.core.forms import StyledFormMixin
from zhulao.core.http import AuthedHttpRequest
from zhulao.eldercare import selectors
from zhulao.eldercare.choices import EmergencyKind
from zhulao.eldercare.models import Notification
from zhulao.eldercare.services import emergencies as services
from zhulao.eldercare.services import notifications


class ReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What happened"), choices=EmergencyKind.choices)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def emergency_list(request: AuthedHttpRequest) -> HttpResponse:
    selectors.require_emergency_view(request.user)
    rows = selectors.emergencies_for(request.user)
    context = {
        "open": rows.filter(closed_at__isnull=True).order_by("deadline", "-occurred_at"),
        "closed": rows.filter(closed_at__isnull=False).order_by("-occurred_at")[:50],
        "now": clock.now(),
    }
    return render(request, "eldercare/emergency_list.html", context)


def emergency_report(request: AuthedHttpRequest, archive_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_reporter(request.user, archive_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency = services.emergency_report(
                actor=request.user, archive=archive, occurred_at=clock.now(), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The emergency has been reported; the next level has been alerted."))
            return redirect(emergency)
    return render(request, "eldercare/emergency_report.html", {"form": form, "archive": archive})


def emergency_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    emergency = selectors.get_emergency_for_user(request.user, public_id)
    context = {"emergency": emergency, "steps": emergency.steps.select_related("actor"), "now": clock.now()}
    return render(request, "eldercare/emergency_detail.html", context)


@require_POST
def emergency_act(request: AuthedHttpRequest, public_id: UUID, act: str) -> HttpResponse:
    emergency = selectors.get_emergency_for_user(request.user, public_id)
    note = request.POST.get("note", "")
    try:
        if act == "acknowledge":
            services.emergency_acknowledge(actor=request.user, emergency=emergency, note=note)
        elif act in ("120", "110"):
            services.emergency_refer(actor=request.user, emergency=emergency, service=act, note=note)
        elif act == "close":
            services.emergency_close(actor=request.user, emergency=emergency, outcome=note)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded."))
    return redirect(emergency)


def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user).order_by("-created_at")[:100]
    return render(request, "eldercare/notification_list.html", {"notifications": rows})


@require_POST
def notification_read(request: AuthedHttpRequest) -> HttpResponse:
    notifications.mark_read(user=request.user)
    return redirect("emergencies:notifications")
