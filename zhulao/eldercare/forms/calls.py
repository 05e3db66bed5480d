"""The confirmation-call result form (S14)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin
from zhulao.eldercare.models import ConfirmationCall

# ------------------------------------------------------------------------------------ confirmation calls


class CallRecordForm(StyledFormMixin, forms.Form):
    """The result of a confirmation call; a correction of an earlier result needs the note."""

    result = forms.ChoiceField(
        label=_("Result of the call"), choices=ConfirmationCall.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
