"""Forms of elder care. Field errors come from the form or from the service's DomainError."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core.forms import StyledFormMixin
from zhulao.eldercare.choices import AssessmentReason, ElderCategory, ServiceKind
from zhulao.eldercare.models import ConfirmationCall, ElderArchive
from zhulao.eldercare.models.activities import ActivityKind
from zhulao.regions import selectors as region_selectors
from zhulao.rules import capability

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
FLAG_CHOICES = [(c.value, c.label) for c in ElderCategory if c != ElderCategory.ADVANCED_AGE]


class NeedHandleForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("How it was handled"), max_length=1000)


class ArchiveFilterForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *FLAG_CHOICES])

    def region(self) -> str:
        """The cascader's most specific choice (县区 → 乡镇 → 村居), or ""."""
        return region_selectors.cascade_choice(self.data)


def _textarea(rows: int = 2) -> forms.Textarea:
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
    living_conditions = forms.CharField(label=_("Living conditions"), required=False, widget=_textarea())
    psychological_state = forms.CharField(label=_("Psychological state"), required=False, widget=_textarea())
    spiritual_needs = forms.CharField(label=_("Spiritual needs"), required=False, widget=_textarea())
    service_needs = forms.CharField(label=_("Service needs"), required=False, widget=_textarea())

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


class VisitStartForm(forms.Form):
    """ "开始走访": today by default; a helper who had no signal may record an earlier day (never a future one)."""

    visit_date = forms.DateField(required=False)


class VisitForm(StyledFormMixin, forms.Form):
    """What the helper gave and found: a toggle and minutes per service, the states, notes and new needs."""

    living_state = forms.CharField(label=_("Living state"), required=False, max_length=1000, widget=_textarea())
    psychological_state = forms.CharField(
        label=_("Psychological state"), required=False, max_length=1000, widget=_textarea()
    )
    family_contacted = forms.BooleanField(label=_("Family contacted"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=_textarea())
    new_needs = forms.CharField(
        label=_("New needs found?"),
        required=False,
        max_length=2000,
        widget=_textarea(3),
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
        help_text=_("Default: the day the first helper posts opened."),
    )
    days = forms.IntegerField(label=_("Window (days)"), required=False, min_value=7, max_value=366)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end is before the start."))
        return data


# ------------------------------------------------------------------------------------ confirmation calls


class CallRecordForm(StyledFormMixin, forms.Form):
    """The result of a confirmation call; a correction of an earlier result needs the note."""

    result = forms.ChoiceField(
        label=_("Result of the call"), choices=ConfirmationCall.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
