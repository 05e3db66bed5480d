"""Forms of facilities, batches, applications, notices and hires."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhulao.core.forms import StyledFormMixin
from zhulao.posts.choices import ApplicationStatus, FacilityKind, FacilityStatus, PlacementEndReason
from zhulao.posts.models import Post, RecruitmentBatch
from zhulao.regions import selectors as region_selectors
from zhulao.regions.models import Region
from zhulao.rules.eligibility import HukouType

DATE = forms.DateInput(attrs={"type": "date"})
HUKOU_CHOICES = [
    (HukouType.CITY, _("This city")),
    (HukouType.PROVINCE, _("This province")),
    (HukouType.POVERTY_LABOUR, _("Labour from registered poor rural families")),
]


class RegionCodeField(forms.CharField):
    def clean(self, value: Any) -> Region:
        return region_selectors.region_resolve_for_form(super().clean(value))


class FacilityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    region = RegionCodeField(label=_("Township (service center) or village code"), max_length=12, min_length=12)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class FacilityStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FacilityStatus.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BatchForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    region = RegionCodeField(label=_("Region code"), max_length=12, min_length=12)
    posts = forms.ModelMultipleChoiceField(
        label=_("Vacant posts"), queryset=Post.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    allowed_hukou_types = forms.MultipleChoiceField(
        label=_("Registration types allowed"), choices=HUKOU_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    applications_open = forms.DateField(label=_("Applications open"), widget=DATE)
    applications_close = forms.DateField(label=_("Applications close"), widget=DATE)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts  # type: ignore[attr-defined]
        self.fields["posts"].label_from_instance = lambda p: f"{p.facility.name} · {p.number}"  # type: ignore[attr-defined]


class ApplicationForm(StyledFormMixin, forms.Form):
    """Village staff enter an application at the applicant's request."""

    id_number = forms.CharField(label=_("Applicant's ID number"), max_length=20)
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["post"].label_from_instance = lambda p: f"{p.facility.name} · {p.number}"  # type: ignore[attr-defined]


class StepForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    override_reason = forms.CharField(
        label=_("Override reason (only when the eligibility check did not pass)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class NoticeOpenForm(StyledFormMixin, forms.Form):
    batch = forms.ModelChoiceField(label=_("Batch"), queryset=RecruitmentBatch.objects.none())
    region = RegionCodeField(label=_("Region code"), max_length=12, min_length=12)
    title = forms.CharField(label=_("Title"), required=False, max_length=160)

    def __init__(self, *args: Any, batches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches  # type: ignore[attr-defined]


class ObjectionResolveForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("dismiss", _("Dismiss")), ("uphold", _("Uphold"))])
    resolution = forms.CharField(label=_("Reason"), max_length=1000)


class HireForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ContractRegisterForm(StyledFormMixin, forms.Form):
    employment_registered_on = forms.DateField(label=_("Employment registration on"), required=False, widget=DATE)
    hiring_filed_on = forms.DateField(label=_("Hiring filing on"), required=False, widget=DATE)


class PlacementEndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason"), choices=PlacementEndReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ApplicationFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ApplicationStatus.choices])
