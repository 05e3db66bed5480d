"""Forms of the people registry. Field errors come from the form or from the service's DomainError."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin
from zhulao.people.choices import (
    Category,
    EmploymentRegistration,
    EmploymentStatus,
    Relation,
    RetirementTrack,
    Sex,
)
from zhulao.people.services import PersonData
from zhulao.regions import selectors as region_selectors
from zhulao.regions.models import Region
from zhulao.rules.eligibility import HukouType

TRI_STATE = [("", _("Not declared")), ("1", _("Yes")), ("0", _("No"))]


def _tri(value: str) -> bool | None:
    return None if value == "" else value == "1"


class PersonFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=60)
    region = forms.CharField(label=_("Region code prefix"), required=False, max_length=12)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Current records")), ("merged", _("Merged records"))],
    )

    def clean_region(self) -> str:
        code: str = self.cleaned_data["region"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("Digits only."))
        # The region cascader (县区 → 乡镇 → 村居) sends county / township / village; the most specific wins.
        return region_selectors.cascade_choice(self.data) or code

    @property
    def filter_fields(self) -> list[Any]:
        """The fields the query bar renders itself (the region comes from the cascader)."""
        return [field for field in self if field.name != "region"]


class PersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    region = forms.CharField(label=_("Village / community code"), max_length=12, min_length=12)
    hukou_region_code = forms.CharField(
        label=_("Household registration region code"),
        max_length=12,
        required=False,
        help_text=_("12 digits; empty = the same village. Decides city / province registration."),
    )
    retirement_track = forms.ChoiceField(
        label=_("Retirement track"), required=False, choices=[("", _("Default")), *RetirementTrack.choices]
    )
    retirement_track_reason = forms.CharField(label=_("Reason for the track"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    bank_account = forms.CharField(label=_("Bank account"), required=False, max_length=30)
    disability_certificate = forms.CharField(label=_("Disability certificate number"), required=False, max_length=30)
    disability_grade = forms.TypedChoiceField(
        label=_("Disability grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
    )
    employment_registration = forms.ChoiceField(
        label=_("Employment registration"), required=False, choices=EmploymentRegistration.choices
    )
    employment_registered_on = forms.DateField(
        label=_("Registered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employment_status = forms.ChoiceField(
        label=_("Employment status"), choices=EmploymentStatus.choices, initial=EmploymentStatus.UNEMPLOYED
    )
    willing_to_work = forms.ChoiceField(label=_("Willing to work"), required=False, choices=TRI_STATE)
    able_to_work = forms.ChoiceField(label=_("Able to work"), required=False, choices=TRI_STATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)
    clear_bank_account = forms.BooleanField(label=_("Remove the bank account"), required=False)
    clear_disability_certificate = forms.BooleanField(
        label=_("Remove the disability certificate number"), required=False
    )

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        """On edit, the ID, phone, bank and certificate fields start empty with the masked value as a hint: empty keeps
        the stored value, so the page never carries a full number (unmasking is its own, audited act)."""
        super().__init__(*args, **kwargs)
        self.person = person
        if person is None:
            del self.fields["clear_phone"]
            del self.fields["clear_bank_account"]
            del self.fields["clear_disability_certificate"]
            return
        for name, masked in (
            ("id_number", person.id_number_masked),
            ("phone", person.phone_masked),
            ("bank_account", person.bank_account_masked),
            ("disability_certificate", person.disability_certificate_masked),
        ):
            field = self.fields[name]
            field.required = False
            field.widget.attrs["placeholder"] = masked or ""
            field.help_text = _("Leave empty to keep the stored value.")

    def clean_region(self) -> Region:
        return region_selectors.region_resolve_for_form(self.cleaned_data["region"])

    def clean_hukou_region_code(self) -> str:
        code: str = self.cleaned_data["hukou_region_code"].strip()
        if code and (not code.isdigit() or len(code) != 12):
            raise forms.ValidationError(_("12 digits are required."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("employment_registration") and not data.get("employment_registered_on"):
            self.add_error("employment_registered_on", _("Give the registration date."))
        return data

    def _kept(self, name: str) -> str:
        """The typed value, or on edit the stored one when the field was left empty (or cleared)."""
        typed: str = self.cleaned_data.get(name) or ""
        if self.person is None or typed:
            return typed
        if self.cleaned_data.get(f"clear_{name}"):
            return ""
        return str(getattr(self.person, name) or "")

    def to_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            name=d["name"],
            id_number=self._kept("id_number"),
            region=d["region"],
            hukou_region_code=d["hukou_region_code"],
            phone=self._kept("phone"),
            bank_account=self._kept("bank_account"),
            retirement_track=d["retirement_track"],
            retirement_track_reason=d["retirement_track_reason"],
            disability_certificate=self._kept("disability_certificate"),
            disability_grade=d["disability_grade"],
            employment_registration=d["employment_registration"],
            employment_registered_on=d["employment_registered_on"],
            employment_status=d["employment_status"],
            willing_to_work=_tri(d["willing_to_work"]),
            able_to_work=_tri(d["able_to_work"]),
            notes=d["notes"],
        )

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        def tri(value: bool | None) -> str:
            return "" if value is None else ("1" if value else "0")

        return {
            "name": person.name,
            "region": person.region_id,
            "hukou_region_code": person.hukou_region_code,
            "retirement_track": person.retirement_track,
            "disability_grade": person.disability_grade,
            "employment_registration": person.employment_registration,
            "employment_registered_on": person.employment_registered_on,
            "employment_status": person.employment_status,
            "willing_to_work": tri(person.willing_to_work),
            "able_to_work": tri(person.able_to_work),
            "notes": person.notes,
        }


class UnmaskForm(StyledFormMixin, forms.Form):
    field = forms.ChoiceField(
        choices=[
            ("id_number", _("ID number")),
            ("phone", _("Phone")),
            ("bank_account", _("Bank account")),
            ("disability_certificate", _("Disability certificate number")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), min_length=4, max_length=200)


class EvidenceForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    certificate_number = forms.CharField(label=_("Certificate number"), required=False, max_length=60)
    issuing_department = forms.CharField(label=_("Issuing department"), required=False, max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class EligibilityForm(StyledFormMixin, forms.Form):
    """The date and the batch rules to judge against (a recruitment batch supplies them later)."""

    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hukou_types = forms.MultipleChoiceField(
        label=_("Registration types the batch allows"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (HukouType.CITY, _("This city")),
            (HukouType.PROVINCE, _("This province")),
            (HukouType.POVERTY_LABOUR, _("Labour from registered poor rural families")),
        ],
    )


class HouseholdForm(StyledFormMixin, forms.Form):
    region = forms.CharField(label=_("Village / community code"), max_length=12, min_length=12)
    registration_number = forms.CharField(label=_("Household register number"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)

    def clean_region(self) -> Region:
        return region_selectors.region_resolve_for_form(self.cleaned_data["region"])


class MemberForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(label=_("Member's ID number"), max_length=20)
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=Relation.choices)


class MergeForm(StyledFormMixin, forms.Form):
    duplicate_id_number = forms.CharField(label=_("ID number of the duplicate record"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LinkUserForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    id_number = forms.CharField(label=_("The account holder's ID number"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ExternalPlacementForm(StyledFormMixin, forms.Form):
    post_name = forms.CharField(label=_("Post"), max_length=100)
    employer_name = forms.CharField(label=_("Employer"), max_length=100)
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    first_approved_on = forms.DateField(
        label=_("Subsidy first approved on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), max_length=200)
