"""The family's page (no login): confirm that a visit happened and rate it, by the short link's token."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from zhulao.core.exceptions import DomainError
from zhulao.core.middleware import client_ip
from zhulao.eldercare.services import confirmations
from zhulao.rules import masking


class ConfirmForm(forms.Form):
    happened = forms.TypedChoiceField(
        label=_("Did the helper visit?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[("", "—")] + [(str(i), "★" * i) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label=_("Anything to add (optional)"), max_length=300, required=False)


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    ip = client_ip(request)
    try:
        confirmation = confirmations.lookup(token, ip=ip)
    except DomainError as exc:
        return render(request, "eldercare/public/confirm.html", {"error": str(exc)}, status=404)
    except PermissionDenied as exc:
        response = render(request, "eldercare/public/confirm.html", {"error": str(exc)}, status=429)
        response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
        return response
    form = ConfirmForm(request.POST or None)
    done = confirmation.confirmed_at is not None
    if request.method == "POST" and not done and form.is_valid():
        try:
            confirmations.confirmation_submit(token=token, ip=ip, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            done = True
    visit = confirmation.visit
    context = {
        "form": form,
        "done": done,
        "elder": masking.mask_name(visit.archive.person.name),
        "helper": visit.helper.full_name or visit.helper.get_username(),
        "visit_date": visit.visit_date,
    }
    return render(request, "eldercare/public/confirm.html", context)
