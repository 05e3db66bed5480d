"""The helper's visit forms: start (today or an earlier day) and the visit with its services and needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin
from zhulao.eldercare.choices import ServiceKind
from zhulao.eldercare.forms.archives import textarea

# The 六助 come first on the visit form, then the other services (ServiceKind keeps that order).
SIX_HELPS = frozenset(
    {
        ServiceKind.CLEANING,
        ServiceKind.BATHING,
        ServiceKind.MEDICAL,
        ServiceKind.MEALS,
        ServiceKind.MOBILITY,
        ServiceKind.RECREATION,
    }
)
DEFAULT_MINUTES = 30


class VisitStartForm(forms.Form):
    """ "开始走访": today by default; a helper who had no signal may record an earlier day (never a future one)."""

    visit_date = forms.DateField(required=False)


class VisitForm(StyledFormMixin, forms.Form):
    """What the helper gave and found: a toggle and minutes per service, the states, notes and new needs."""

    living_state = forms.CharField(label=_("Living state"), required=False, max_length=1000, widget=textarea())
    psychological_state = forms.CharField(
        label=_("Psychological state"), required=False, max_length=1000, widget=textarea()
    )
    family_contacted = forms.BooleanField(label=_("Family contacted"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=textarea())
    new_needs = forms.CharField(
        label=_("New needs found?"),
        required=False,
        max_length=2000,
        widget=textarea(3),
        help_text=_("One need per line; each goes to the township."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ServiceKind:
            toggle = forms.BooleanField(label=kind.label, required=False)
            toggle.widget.attrs.update({"class": "btn-check", "autocomplete": "off"})
            self.fields[f"service_{kind.value}"] = toggle
            minutes = forms.IntegerField(
                label=_("Minutes"),
                required=False,
                initial=DEFAULT_MINUTES,
                widget=forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 600, "inputmode": "numeric"}),
            )
            self.fields[f"minutes_{kind.value}"] = minutes

    def service_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind.value,
                "six": kind in SIX_HELPS,
                "toggle": self[f"service_{kind.value}"],
                "minutes": self[f"minutes_{kind.value}"],
            }
            for kind in ServiceKind
        ]

    def detail_fields(self) -> list[Any]:
        """The fields after the services: states, family contacted, notes, new needs."""
        return [
            self[name] for name in ("living_state", "psychological_state", "family_contacted", "notes", "new_needs")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in ServiceKind:
            if not data.get(f"service_{kind.value}"):
                continue
            name = f"minutes_{kind.value}"
            minutes = data.get(name)
            if name in self.errors:
                continue
            if minutes is None or not 1 <= minutes <= 600:
                self.add_error(name, _("Give the minutes, from 1 to 600."))
        return data

    def services(self) -> dict[str, int]:
        return {
            kind.value: int(self.cleaned_data[f"minutes_{kind.value}"])
            for kind in ServiceKind
            if self.cleaned_data.get(f"service_{kind.value}")
        }

    def needs(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["new_needs"].splitlines() if line.strip()]
