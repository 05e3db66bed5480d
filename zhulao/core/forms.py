"""Filter form of the audit log."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import AuditEvent


class StyledFormMixin:
    """Give every widget its Bootstrap class (forms are rendered by components/_form_fields.html)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.format = "%Y-%m-%d"  # <input type=date> needs ISO, whatever the language


class AuditFilterForm(StyledFormMixin, forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    region_code = forms.CharField(label=_("Region code prefix"), required=False, max_length=12)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *AuditEvent.Outcome.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_region_code(self) -> str:
        code: str = self.cleaned_data["region_code"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("Digits only."))
        return code
