"""The upload form of an import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's header row."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
