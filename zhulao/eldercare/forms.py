"""Forms of elder care."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin


class NeedHandleForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was handled"), max_length=1000)
