"""Forms of activities (S18), the opening-log month sheet and the operation figures period (S3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core.forms import StyledFormMixin
from zhulao.eldercare.choices import ActivityKind
from zhulao.eldercare.models import ElderArchive

# ------------------------------------------------------------------------------------ activities (S18)

# The usual partners of an activity (the partner field's suggestions; any other text is allowed too).
ACTIVITY_PARTNERS = (
    _("Health department"),
    _("Culture department"),
    _("Education department"),
    _("Volunteer group"),
    _("Social organisation"),
)
ELDERS_LISTED = 200  # elder checkboxes listed at once on the activity form; a name search narrows the list


class ElderChoiceField(forms.ModelMultipleChoiceField[ElderArchive]):
    def label_from_instance(self, obj: ElderArchive) -> str:
        return f"{obj.person.name} · {obj.region.name}"


class HelperMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.get_username()})"


class ActivityForm(StyledFormMixin, forms.Form):
    """An activity at a facility. The elders are checked against the facility's archives (the field's queryset
    is the whole scoped set; the page lists a bounded part of it, see :func:`elder_options`)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=120)
    partner = forms.CharField(
        label=_("Partner"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "activity-partners", "autocomplete": "off"}),
        help_text=_("Choose a usual partner or type another one."),
    )
    elders = ElderChoiceField(
        label=_("Elders taking part"),
        queryset=ElderArchive.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    helpers = HelperMultipleChoiceField(
        label=_("Helpers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Optional: a JPEG, PNG or WebP image."),
    )

    def __init__(
        self, *args: Any, elders: QuerySet[ElderArchive], helpers: QuerySet[User], today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(ElderChoiceField, self.fields["elders"]).queryset = elders
        cast(HelperMultipleChoiceField, self.fields["helpers"]).queryset = helpers
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()

    def chosen_elders(self) -> list[str]:
        """The public ids of the elders ticked in the submitted data (kept when the form comes back)."""
        if not self.is_bound:
            return []
        values = self.data.getlist("elders") if isinstance(self.data, QueryDict) else self.data.get("elders", [])
        return _uuids(list(values))


def _uuids(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(str(UUID(str(value))))
        except ValueError:
            continue
    return out


def elder_options(
    elders: QuerySet[ElderArchive], *, chosen: list[str], query: str = ""
) -> tuple[list[ElderArchive], list[ElderArchive], bool]:
    """The elder checkboxes of the activity form: the chosen ones, then up to ``ELDERS_LISTED`` others (those
    whose name contains ``query``), and whether more are left out. Two queries, whatever the township's size."""
    chosen = _uuids(chosen)
    picked = list(elders.filter(public_id__in=chosen)) if chosen else []
    others = elders.exclude(public_id__in=chosen) if chosen else elders
    if query.strip():
        others = others.filter(person__name__icontains=query.strip())
    listed = list(others[: ELDERS_LISTED + 1])
    return picked, listed[:ELDERS_LISTED], len(listed) > ELDERS_LISTED


# ------------------------------------------------------------------------------------ opening log (S3)


class OpeningLogForm(forms.Form):
    """One field per day of a month: hours open, 0–24 in steps of 0.5. Future days are disabled; an empty day
    is left as it is (not logged, or logged before and kept)."""

    def __init__(
        self,
        *args: Any,
        days: list[date],
        logged: dict[date, Decimal],
        today: date,
        read_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        self.today = today
        for day in days:
            self.fields[self.name_of(day)] = forms.DecimalField(
                label=day.isoformat(),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(24),
                step_size=Decimal("0.5"),
                max_digits=4,
                decimal_places=2,
                initial=logged.get(day),
                disabled=read_only or day > today,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm", "inputmode": "decimal", "step": "0.5"}
                ),
            )

    @staticmethod
    def name_of(day: date) -> str:
        return f"day_{day:%d}"

    def rows(self) -> list[dict[str, Any]]:
        return [{"day": d, "field": self[self.name_of(d)], "future": d > self.today} for d in self.days]

    def hours(self) -> dict[date, Decimal]:
        """The days given a value (future days never: they are disabled)."""
        values = {d: self.cleaned_data.get(self.name_of(d)) for d in self.days if d <= self.today}
        return {d: v for d, v in values.items() if v is not None}


# ------------------------------------------------------------------------------------ operation figures (S3)


class OperationPeriodForm(StyledFormMixin, forms.Form):
    """The period of the figures and the day around which before and after are compared."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    pivot = forms.DateField(
        label=_("Compare around"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: the day the first helpers started work."),
    )
    days = forms.IntegerField(label=_("Window (days)"), required=False, min_value=7, max_value=366)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end is before the start."))
        return data
