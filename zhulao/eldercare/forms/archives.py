"""Forms of the archives (一人一档): filters, the archive, contacts, GB/T 42195 assessments, pairing, needs."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core.forms import StyledFormMixin
from zhulao.eldercare.choices import AssessmentReason, ElderCategory
from zhulao.regions import selectors as region_selectors
from zhulao.rules import capability

FLAG_CHOICES = [(c.value, c.label) for c in ElderCategory if c != ElderCategory.ADVANCED_AGE]


class NeedHandleForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was handled"), max_length=1000)


class ArchiveFilterForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *FLAG_CHOICES])

    def region(self) -> str:
        """The cascader's most specific choice (县区 → 乡镇 → 村居), or ""."""
        return region_selectors.cascade_choice(self.data)


def textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ArchiveForm(StyledFormMixin, forms.Form):
    """The archive's category flags and what was found at home (一人一档). On create, the person's ID number."""

    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=20,
        help_text=_("The person must be registered in your region first."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"), required=False, choices=FLAG_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    living_conditions = forms.CharField(label=_("Living conditions"), required=False, widget=textarea())
    psychological_state = forms.CharField(label=_("Psychological state"), required=False, widget=textarea())
    spiritual_needs = forms.CharField(label=_("Spiritual needs"), required=False, widget=textarea())
    service_needs = forms.CharField(label=_("Service needs"), required=False, widget=textarea())

    TEXTS = ("living_conditions", "psychological_state", "spiritual_needs", "service_needs")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["id_number"]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.TEXTS}


class ContactForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    relation = forms.CharField(label=_("Relation"), max_length=30)
    phone = forms.CharField(label=_("Phone"), max_length=20)


class AssessmentForm(StyledFormMixin, forms.Form):
    """The 26 items of GB/T 42195-2022 as selects (0 … the item's maximum), grouped by dimension.

    The scores are plain integers here: the range is the standard's, checked by ``rules.capability``
    through the service, whose error the view puts back on the item's field.
    """

    assessed_on = forms.DateField(
        label=_("Assessed on"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=AssessmentReason.choices)
    coma = forms.BooleanField(label=_("Coma"), required=False)
    dementia_or_mental_disorder = forms.BooleanField(label=_("Diagnosed dementia or mental disorder"), required=False)
    risk_events = forms.IntegerField(
        label=_("Care-risk events in the last 30 days"),
        min_value=0,
        max_value=99,
        initial=0,
        help_text=_("Falls, choking, self-harm, getting lost …"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chinese = (translation.get_language() or "zh").startswith("zh")
        for item in capability.ITEMS:
            self.fields[item.code] = forms.IntegerField(
                label=item.name_zh if self.chinese else item.name_en,
                widget=forms.Select(
                    choices=[("", "—"), *((n, str(n)) for n in range(item.max + 1))],
                    attrs={"class": "form-select"},
                ),
            )

    def dimensions(self) -> list[dict[str, Any]]:
        """The item fields grouped by the 4 dimensions, in the standard's order."""
        return [
            {
                "name": spec.name_zh if self.chinese else spec.name_en,
                "max": spec.max,
                "fields": [self[code] for code in spec.items],
            }
            for spec in capability.DIMENSIONS
        ]

    def scores(self) -> dict[str, int]:
        return {item.code: self.cleaned_data[item.code] for item in capability.ITEMS}

    def item_out_of_range(self) -> str | None:
        """The first item whose score the standard refuses (where the service's error belongs)."""
        for item in capability.ITEMS:
            score = self.cleaned_data.get(item.code)
            if score is None or not 0 <= score <= item.max:
                return item.code
        return None


class HelperChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.get_username()})"


class PairingForm(StyledFormMixin, forms.Form):
    helper = HelperChoiceField(label=_("Helper"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, helpers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(HelperChoiceField, self.fields["helper"]).queryset = helpers


class PairingEndForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
