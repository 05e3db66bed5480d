"""Staff pages of the archives (一人一档): list, detail with history, edit, contacts, assessments, pairing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.labels import action_label
from zhulao.core.querysets import require_action
from zhulao.eldercare import forms, selectors, services
from zhulao.eldercare.choices import AssessmentReason
from zhulao.eldercare.views._common import FIELD_LABELS, _form_error, _labels
from zhulao.people import services as people_services
from zhulao.regions import selectors as region_selectors
from zhulao.rules import capability

# ------------------------------------------------------------------------------------ archives


def archive_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.ARCHIVE_VIEW)
    form = forms.ArchiveFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    region = form.region()
    archives = selectors.archive_list(user=request.user, region=region, category=category)
    page = Paginator(archives, 30).get_page(request.GET.get("page"))
    rows = [
        {"archive": a, "tags": _labels(a.categories), "helper": a.current[0].helper if a.current else None}  # type: ignore[attr-defined]
        for a in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_edit": request.user.can(Action.ARCHIVE_EDIT),
        "cascade": region_selectors.cascade(user=request.user, action=Action.ARCHIVE_VIEW, selected=region),
    }
    template = "eldercare/_archive_rows.html" if is_partial(request) else "eldercare/archive_list.html"
    return render(request, template, context)


def _describe(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """An audit diff as (field, before, after), with category codes shown as their labels."""
    rows = []
    for name, values in changes.items():
        before, after = values if isinstance(values, list) and len(values) == 2 else (None, values)
        if name == "categories":
            before, after = (", ".join(_labels(v)) if isinstance(v, list) else v for v in (before, after))
        rows.append((str(FIELD_LABELS.get(name, name)), before, after))
    return rows


def archive_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_user(request.user, public_id)
    today = clock.today()
    advanced = int(policy.value("eldercare.advanced_age", region=archive.region, on=today))
    categories = selectors.categories_of(archive, on=today, advanced_age=advanced)
    mapping = policy.value("eldercare.group_mapping", region=archive.region, on=today)
    chinese = people_services.translation_is_chinese()
    assessments = [
        {
            "a": a,
            "level_name": capability.level_name_zh(a.final_level)
            if chinese
            else capability.level_name_en(a.final_level),
        }
        for a in archive.assessments.select_related("assessor")
    ]
    history = [
        {"event": e, "label": action_label(e.action), "changes": _describe(e.changes)}
        for e in selectors.archive_history(archive)
    ]
    pairings = list(archive.pairings.select_related("helper", "assigned_by").order_by("-started_on", "-id"))
    region = archive.region_id
    context = {
        "archive": archive,
        "person": archive.person,
        "tags": _labels(categories),
        "groups": selectors.groups_of(categories, mapping),
        "contacts": list(archive.contacts.all()),
        "assessments": assessments,
        "current": next((p for p in pairings if p.ended_on is None), None),
        "pairings": pairings,
        "visits": selectors.archive_visits(archive),
        "needs": list(archive.needs.select_related("reported_by", "handled_by").order_by("-created_at")[:50]),
        "history": history,
        "contact_form": forms.ContactForm(),
        "end_form": forms.PairingEndForm(),
        "can_edit": request.user.can(Action.ARCHIVE_EDIT, region),
        "can_assess": request.user.can(Action.ASSESSMENT_RECORD, region),
        "can_pair": request.user.can(Action.PAIRING_MANAGE, region),
        "can_unmask": request.user.can(Action.PERSON_UNMASK, region),
    }
    return render(request, "eldercare/archive_detail.html", context)


def archive_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.ARCHIVE_EDIT)
    form = forms.ArchiveForm(request.POST or None, initial={"id_number": request.GET.get("id_number", "")})
    if request.method == "POST" and form.is_valid():
        try:
            person = people_services.find_by_id_number(form.cleaned_data["id_number"])
            if person is None or not request.user.can(Action.ARCHIVE_EDIT, person.region_id):
                raise DomainError(
                    "not_found",
                    _("No person with this ID number in your region. Register them first."),
                    field="id_number",
                )
            archive = services.archive_create(
                actor=request.user, person=person, categories=form.cleaned_data["categories"], **form.texts()
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The archive has been created."))
            return redirect(archive)
    return render(request, "eldercare/archive_form.html", {"form": form, "archive": None})


def archive_edit(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_user(request.user, public_id, Action.ARCHIVE_EDIT)
    initial = {"categories": archive.categories, **{name: getattr(archive, name) for name in forms.ArchiveForm.TEXTS}}
    form = forms.ArchiveForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.archive_update(
                actor=request.user, archive=archive, categories=form.cleaned_data["categories"], **form.texts()
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(archive)
    return render(request, "eldercare/archive_form.html", {"form": form, "archive": archive})


@require_POST
def contact_add(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_user(request.user, public_id, Action.ARCHIVE_EDIT)
    form = forms.ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the contact's name, relation and phone."))
        return redirect(archive)
    try:
        services.contact_add(actor=request.user, archive=archive, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The emergency contact has been added."))
    return redirect(archive)


def assessment_create(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A GB/T 42195-2022 assessment; a score the standard refuses is shown at its item, nothing is saved."""
    archive = selectors.get_archive_for_user(request.user, public_id, Action.ASSESSMENT_RECORD)
    first = not archive.assessments.exists()
    initial = {"reason": AssessmentReason.FIRST if first else AssessmentReason.ROUTINE, "assessed_on": clock.today()}
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_record(
                actor=request.user,
                archive=archive,
                scores=form.scores(),
                reason=data["reason"],
                coma=data["coma"],
                dementia_or_mental_disorder=data["dementia_or_mental_disorder"],
                risk_events=data["risk_events"],
                assessed_on=data["assessed_on"],
            )
        except DomainError as exc:
            if exc.field == "scores":
                form.add_error(form.item_out_of_range(), str(exc))
            else:
                _form_error(form, exc)
        else:
            messages.success(request, assessment.explanation)
            return redirect(archive)
    return render(request, "eldercare/assessment_form.html", {"form": form, "archive": archive})


def pairing_assign(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_user(request.user, public_id, Action.PAIRING_MANAGE)
    helpers = selectors.helpers_for_archive(archive, on=clock.today())
    current = selectors.current_helpers([archive.pk]).get(archive.pk)
    form = forms.PairingForm(request.POST or None, helpers=helpers, initial={"helper": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_assign(actor=request.user, archive=archive, helper=form.cleaned_data["helper"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The helper has been paired with this elder."))
            return redirect(archive)
    return render(request, "eldercare/pairing_form.html", {"form": form, "archive": archive, "current": current})


@require_POST
def pairing_end(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    archive = selectors.get_archive_for_user(request.user, public_id, Action.PAIRING_MANAGE)
    pairing = archive.pairings.filter(ended_on__isnull=True).first()
    if pairing is None:
        raise Http404
    form = forms.PairingEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required."))
        return redirect(archive)
    services.pairing_end(actor=request.user, pairing=pairing, reason=form.cleaned_data["reason"])
    messages.success(request, _("The pairing has ended."))
    return redirect(archive)
