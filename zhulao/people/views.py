"""Staff pages of the people registry: list, detail with eligibility, forms, unmasking, households."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.querysets import require_action
from zhulao.people import eligibility, exports, forms, selectors, services
from zhulao.regions import selectors as region_selectors


def _form_error(form: Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def person_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.PERSON_VIEW)
    form = forms.PersonFilterForm(request.GET or None)
    filters = selectors.PersonFilters(**form.cleaned_data) if form.is_valid() else selectors.PersonFilters()
    page = Paginator(selectors.person_list(user=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": request.user.can(Action.PERSON_EDIT),
        "can_export": request.user.can(Action.PERSON_EXPORT),
        "can_import": request.user.can(Action.PERSON_IMPORT),
        "cascade": region_selectors.cascade(
            user=request.user, action=Action.PERSON_VIEW, selected=region_selectors.cascade_choice(request.GET)
        ),
    }
    template = "people/_person_rows.html" if is_partial(request) else "people/person_list.html"
    return render(request, template, context)


def person_export(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.PERSON_EXPORT)
    form = forms.PersonFilterForm(request.GET or None)
    filters = selectors.PersonFilters(**form.cleaned_data) if form.is_valid() else selectors.PersonFilters()
    persons = selectors.person_list(user=request.user, filters=filters, action=Action.PERSON_EXPORT)
    return exports.person_workbook_response(actor=request.user, persons=persons, filters=filters)


def person_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id)
    context = {
        "person": person,
        "evidence": selectors.person_evidence(person),
        "external_placements": person.external_placements.all(),
        "members": selectors.household_members(person.household) if person.household else [],
        "eligibility_form": forms.EligibilityForm(initial={"on": clock.today()}),
        "decision": eligibility.decide(person, on=clock.today()),
        "unmask_form": forms.UnmaskForm(),
        "evidence_form": forms.EvidenceForm(),
        "merge_form": forms.MergeForm(),
        "placement_form": forms.ExternalPlacementForm(),
        "can_edit": request.user.can(Action.PERSON_EDIT, person.region_id),
        "can_unmask": request.user.can(Action.PERSON_UNMASK, person.region_id),
        "can_verify": request.user.can(Action.EVIDENCE_VERIFY, person.region_id),
        "can_merge": request.user.can(Action.PERSON_MERGE, person.region_id),
    }
    return render(request, "people/person_detail.html", context)


def person_eligibility(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The line-by-line explanation for a chosen date and batch rules (htmx fragment or full page)."""
    person = selectors.get_person_for_user(request.user, public_id, Action.ELIGIBILITY_VIEW)
    form = forms.EligibilityForm(request.GET)
    on = None
    allowed = None
    if form.is_valid():
        on = form.cleaned_data["on"]
        allowed = form.cleaned_data["hukou_types"] or None
    try:
        decision = eligibility.decide_for_viewer(viewer=request.user, person=person, on=on, allowed=allowed)
    except (DomainError, Forbidden) as exc:
        decision, error = None, str(exc)
    else:
        error = ""
    context = {"person": person, "decision": decision, "error": error, "eligibility_form": form}
    return render(request, "people/_eligibility.html", context)


def person_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.PERSON_EDIT)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, data=form.to_data())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The person has been registered."))
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "person": None})


def person_edit(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id, Action.PERSON_EDIT)
    form = forms.PersonForm(request.POST or None, initial=forms.PersonForm.initial_for(person), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.to_data())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
def person_unmask(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id, Action.PERSON_UNMASK)
    form = forms.UnmaskForm(request.POST)
    value, error = "", ""
    if form.is_valid():
        try:
            value = services.person_unmask(
                actor=request.user,
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = str(exc)
    else:
        error = _("Say why you need the full value.")
    response = render(request, "people/_unmasked.html", {"value": value, "error": error, "person": person})
    response["Cache-Control"] = "no-store"
    return response


def _record_evidence(request: AuthedHttpRequest, **target: Any) -> None:
    """Bind the evidence form and call the service for a person or a household; say what happened."""
    form = forms.EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return
    try:
        services.evidence_add(actor=request.user, **target, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The evidence has been recorded."))


@require_POST
def evidence_add(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id, Action.EVIDENCE_VERIFY)
    _record_evidence(request, person=person)
    return redirect(person)


@require_POST
def evidence_withdraw(request: AuthedHttpRequest, public_id: UUID, evidence_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id, Action.EVIDENCE_VERIFY)
    evidence = next((e for e in selectors.person_evidence(person) if e.pk == evidence_id), None)
    form = forms.ReasonForm(request.POST)
    if evidence is None:
        raise Http404
    if form.is_valid():
        services.evidence_withdraw(actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"])
        messages.success(request, _("The evidence has been withdrawn."))
    else:
        messages.error(request, _("A reason is required."))
    return redirect(person)


@require_POST
def person_merge(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    keep = selectors.get_person_for_user(request.user, public_id, Action.PERSON_MERGE)
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the duplicate's ID number and a reason."))
        return redirect(keep)
    try:
        duplicate = services.find_by_id_number(form.cleaned_data["duplicate_id_number"])
        if duplicate is None or not request.user.can(Action.PERSON_MERGE, duplicate.region_id):
            raise DomainError("not_found", _("No record with this ID number in your region."))
        services.person_merge(actor=request.user, keep=keep, duplicate=duplicate, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The duplicate record has been merged into this one."))
    return redirect(keep)


def household_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    household = selectors.get_household_for_user(request.user, public_id)
    context = {
        "household": household,
        "members": selectors.household_members(household),
        "evidence": household.evidence.select_related("verified_by").order_by("category", "-valid_from"),
        "zero_employment": selectors.is_zero_employment(household, on=clock.today()),
        "member_form": forms.MemberForm(),
        "evidence_form": forms.EvidenceForm(),
        "can_edit": request.user.can(Action.PERSON_EDIT, household.region_id),
        "can_verify": request.user.can(Action.EVIDENCE_VERIFY, household.region_id),
    }
    return render(request, "people/household_detail.html", context)


def household_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.PERSON_EDIT)
    form = forms.HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect(household)
    return render(request, "people/household_form.html", {"form": form})


@require_POST
def household_add_member(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    household = selectors.get_household_for_user(request.user, public_id, Action.PERSON_EDIT)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        try:
            person = services.find_by_id_number(form.cleaned_data["id_number"])
            if person is None or not request.user.can(Action.PERSON_EDIT, person.region_id):
                raise DomainError("not_found", _("No person with this ID number in your region. Register them first."))
            services.household_set_member(
                actor=request.user, household=household, person=person, relation=form.cleaned_data["relation"]
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The member has been added."))
    else:
        messages.error(request, _("Give the member's ID number and relation."))
    return redirect(household)


@require_POST
def household_evidence_add(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    household = selectors.get_household_for_user(request.user, public_id, Action.EVIDENCE_VERIFY)
    _record_evidence(request, household=household)
    return redirect(household)


def link_user(request: AuthedHttpRequest) -> HttpResponse:
    """The system administrator ties an account to its holder's person record (for S20 checks)."""
    require_action(request.user, Action.USER_MANAGE)
    form = forms.LinkUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_link_user(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The account is now tied to its holder's person record."))
            return redirect("people:link_user")
    return render(request, "people/link_user.html", {"form": form})


@require_POST
def external_placement_add(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, public_id, Action.PERSON_EDIT)
    form = forms.ExternalPlacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(person)
    try:
        services.external_placement_add(actor=request.user, person=person, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The earlier placement has been recorded."))
    return redirect(person)
