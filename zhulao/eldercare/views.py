"""Staff and helper pages of elder care.

Helper pages (my day, the visit form) are built for a 360-px phone: cards, big buttons, no tables.
Staff pages (archives, assessments, pairing, coverage, needs) follow the people registry's shape.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.querysets import require_action
from zhulao.eldercare import forms, selectors, services
from zhulao.eldercare.choices import AssessmentReason, ElderCategory, NeedStatus
from zhulao.eldercare.models import ElderArchive, NeedReport
from zhulao.eldercare.services import confirmations
from zhulao.people import services as people_services
from zhulao.regions import selectors as region_selectors
from zhulao.regions.context_processors import FOCUS_SESSION_KEY
from zhulao.regions.models import Region
from zhulao.rules import capability

HISTORY_LABELS = {
    "archive.create": gettext_lazy("Archive created"),
    "archive.update": gettext_lazy("Archive changed"),
    "archive.contact_add": gettext_lazy("Emergency contact added"),
    "assessment.record": gettext_lazy("Capability assessed"),
    "pairing.assign": gettext_lazy("Helper paired"),
    "pairing.end": gettext_lazy("Pairing ended"),
    "need.handle": gettext_lazy("Need handled"),
}

FIELD_LABELS = {
    "categories": gettext_lazy("Categories"),
    "living_conditions": gettext_lazy("Living conditions"),
    "psychological_state": gettext_lazy("Psychological state"),
    "spiritual_needs": gettext_lazy("Spiritual needs"),
    "service_needs": gettext_lazy("Service needs"),
    "contact": gettext_lazy("Emergency contacts"),
    "helper": gettext_lazy("Helper"),
    "level": gettext_lazy("Capability level"),
    "total": gettext_lazy("total"),
}


def _form_error(form: Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _labels(categories: list[str]) -> list[str]:
    """Category codes as their labels (留守, 独居 … in Chinese)."""
    return [str(ElderCategory(c).label) if c in ElderCategory.values else c for c in categories]


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).quantize(Decimal("0.1"))


# ------------------------------------------------------------------------------------ the helper


def my_day(request: AuthedHttpRequest) -> HttpResponse:
    """今日: the helper's elders, overdue first, then due this period, then the rest."""
    require_action(request.user, Action.VISIT_RECORD)
    today = clock.today()
    sections: dict[str, list[dict[str, Any]]] = {"overdue": [], "due": [], "rest": []}
    for item in selectors.my_day(helper=request.user, on=today):
        # An elder whose last period ended short but who has had this period's visits has nothing to do
        # today: the card goes with the rest (the selector still sorts it first; its "why" says so).
        due = item.status is not None and item.status.due
        state = "rest"
        if due and item.status is not None and item.status.overdue:
            state = "overdue"
        elif due:
            state = "due"
        sections[state].append({"item": item, "tags": _labels(item.categories), "state": state})
    context = {
        "today": today,
        "sections": sections,
        "count": sum(len(s) for s in sections.values()),
        "emergencies": selectors.open_emergencies_for_helper(request.user),
    }
    return render(request, "eldercare/my_day.html", context)


@require_POST
def visit_start(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """ "开始走访": the open time is recorded now; a second tap continues the open visit."""
    archive = selectors.get_archive_for_helper(request.user, public_id)
    form = forms.VisitStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the visit date as a calendar date."))
        return redirect("eldercare:my_day")
    try:
        visit = services.visit_start(actor=request.user, archive=archive, visit_date=form.cleaned_data["visit_date"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("eldercare:my_day")
    return redirect(visit)


def visit_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The visit form while the visit is open (re-rendered with everything typed if the submit fails);
    the summary once it is submitted."""
    visit = selectors.get_visit_for_helper(request.user, public_id)
    if visit.submitted_at is not None:
        context = {"visit": visit, "services": list(visit.services.all()), "needs": list(visit.needs.all())}
        return render(request, "eldercare/visit_done.html", context)
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_submit(
                actor=request.user,
                visit=visit,
                services=form.services(),
                living_state=form.cleaned_data["living_state"],
                psychological_state=form.cleaned_data["psychological_state"],
                family_contacted=form.cleaned_data["family_contacted"],
                notes=form.cleaned_data["notes"],
                new_needs=form.needs(),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return redirect(visit)  # the summary says it was submitted
    context = {"visit": visit, "form": form, "failed": request.method == "POST"}
    return render(request, "eldercare/visit_form.html", context)


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
        {"event": e, "label": HISTORY_LABELS.get(e.action, e.action), "changes": _describe(e.changes)}
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


# ------------------------------------------------------------------------------------ coverage


def _coverage_region(request: AuthedHttpRequest, prefixes: list[str]) -> Region:
    """The cascader's choice, else the region in focus, else the top of the user's scope."""
    for code in (region_selectors.cascade_choice(request.GET), request.session.get(FOCUS_SESSION_KEY, "")):
        if code and any(code.startswith(p) for p in prefixes):
            region = Region.objects.filter(code=code.ljust(12, "0")).first()
            if region is not None:
                return region
    region = Region.objects.filter(code=prefixes[0].ljust(12, "0")).first()
    if region is None:
        raise Http404
    return region


def coverage(request: AuthedHttpRequest) -> HttpResponse:
    """走访覆盖: of the elders with a visit rule, who had this period's visits, per child region, and who not."""
    prefixes = require_action(request.user, Action.ARCHIVE_VIEW)
    region = _coverage_region(request, prefixes)
    today = clock.today()
    total, children = selectors.coverage(user=request.user, region=region, on=today)
    missed: list[ElderArchive] = total.not_visited
    ids = [a.pk for a in missed]
    helpers, last = selectors.current_helpers(ids), selectors.last_visits(ids)
    context = {
        "region": region,
        "today": today,
        "total": total,
        "total_percent": _percent(total.share),
        "children": [{"row": r, "percent": _percent(r.share)} for r in children],
        "missed": [{"archive": a, "helper": helpers.get(a.pk), "last": last.get(a.pk)} for a in missed],
        "cascade": region_selectors.cascade(
            user=request.user, action=Action.ARCHIVE_VIEW, selected=region.prefix if region.level >= 3 else ""
        ),
    }
    return render(request, "eldercare/coverage.html", context)


# ------------------------------------------------------------------------------------ needs


def need_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.NEED_HANDLE)
    status = request.GET.get("status", NeedStatus.OPEN)
    context = {
        "needs": selectors.need_list(user=request.user, status=status if status in NeedStatus.values else "")[:200],
        "status": status,
        "form": forms.NeedHandleForm(),
    }
    return render(request, "eldercare/need_list.html", context)


@require_POST
def need_handle(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    need = NeedReport.objects.get_for_user(request.user, Action.NEED_HANDLE, public_id=public_id)
    form = forms.NeedHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how the need was handled."))
        return redirect("eldercare:need_list")
    try:
        services.need_handle(actor=request.user, need=need, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The need is marked handled."))
    return redirect("eldercare:need_list")


@require_POST
def visit_share(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """A family confirmation link and its QR code for a submitted visit (shown once; a new one replaces it)."""
    visit = selectors.get_visit_for_helper(request.user, public_id)
    try:
        token = confirmations.confirmation_issue(actor=request.user, visit=visit)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(visit)
    link = request.build_absolute_uri(reverse("family:confirm", args=[token]))
    qr = base64.b64encode(confirmations.qr_svg(link).encode()).decode()
    context = {
        "visit": visit,
        "services": list(visit.services.all()),
        "needs": list(visit.needs.all()),
        "share_link": link,
        "share_qr": f"data:image/svg+xml;base64,{qr}",
    }
    return render(request, "eldercare/visit_done.html", context)
