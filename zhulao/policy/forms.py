"""Adding a parameter value; looking values up for a region and date."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin
from zhulao.policy.keys import KEYS
from zhulao.policy.models import Confidence


class LookupForm(StyledFormMixin, forms.Form):
    region = forms.CharField(label=_("Region code"), required=False, max_length=12)
    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ParameterAddForm(StyledFormMixin, forms.Form):
    key = forms.ChoiceField(label=_("Key"), choices=[])
    region_prefix = forms.CharField(
        label=_("Region prefix"),
        required=False,
        max_length=12,
        help_text=_("Empty = everywhere; e.g. 35, 3506"),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label=_("Value (JSON)"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    confidence = forms.ChoiceField(label=_("Status"), choices=Confidence.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document_title = forms.CharField(
        label=_("Official document cited on contracts and notices"),
        required=False,
        max_length=200,
        help_text=_(
            "Its title, e.g. 福建省人力资源和社会保障厅关于公布我省最低工资标准的通知. Leave empty if none is known."
        ),
    )
    document_number = forms.CharField(label=_("Document number (文号)"), required=False, max_length=60)
    document_date = forms.DateField(
        label=_("Document in force from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(k, f"{k} · {spec.label}") for k, spec in sorted(KEYS.items())]  # type: ignore[attr-defined]

    def clean_value(self) -> Any:
        try:
            return json.loads(self.cleaned_data["value"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc.msg}) from exc

    def clean_region_prefix(self) -> str:
        prefix: str = self.cleaned_data["region_prefix"].strip()
        if prefix and (not prefix.isdigit() or len(prefix) not in (2, 4, 6, 9, 12)):
            raise forms.ValidationError(_("A prefix is 2, 4, 6, 9 or 12 digits."))
        return prefix
