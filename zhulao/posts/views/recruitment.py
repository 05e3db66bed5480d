"""Batches and the application workflow (S7, S20): each step one POST to one service."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest, is_partial
from zhulao.core.querysets import require_action
from zhulao.people import eligibility
from zhulao.people import services as people_services
from zhulao.posts import citations, forms, selectors, services
from zhulao.posts.choices import ApplicationStatus
from zhulao.posts.models import Post
from zhulao.posts.services import accounts as helper_accounts
from zhulao.rules.eligibility import HukouType


def batch_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.APPLICATION_VIEW)
    can_publish = request.user.can(Action.BATCH_PUBLISH)
    context = {
        "batches": selectors.batch_list(user=request.user)[:100],
        "open_batches": selectors.batches_open_to(user=request.user),
        "can_publish": can_publish,
    }
    return render(request, "posts/batch_list.html", context)


def batch_create(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.BATCH_PUBLISH)
    posts = (
        Post.objects.visible_to(request.user, Action.BATCH_PUBLISH)
        .vacant()
        .select_related("facility")
        .order_by("region_id", "facility__name", "number")
    )
    form = forms.BatchForm(request.POST or None, posts=posts)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_publish(
                actor=request.user, **{**form.cleaned_data, "posts": list(form.cleaned_data["posts"])}
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The recruitment batch has been published."))
            return redirect(batch)
    return render(request, "posts/batch_form.html", {"form": form})


def batch_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    batch = selectors.get_batch_for_user(request.user, public_id)
    submit_posts = selectors.batch_posts_for(batch, user=request.user, action=Action.APPLICATION_SUBMIT)
    context = {
        "batch": batch,
        "posts": selectors.batch_posts_for(batch, user=request.user, action=Action.APPLICATION_VIEW),
        "applications": selectors.application_list(user=request.user, batch=batch),
        "can_submit": request.user.can(Action.APPLICATION_SUBMIT) and submit_posts.exists(),
        "form": forms.ApplicationForm(posts=submit_posts),
        "hukou_labels": dict(forms.HUKOU_CHOICES),
    }
    return render(request, "posts/batch_detail.html", context)


@require_POST
def application_create(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    batch = selectors.get_batch_for_user(request.user, public_id, Action.APPLICATION_SUBMIT)
    posts = selectors.batch_posts_for(batch, user=request.user, action=Action.APPLICATION_SUBMIT)
    form = forms.ApplicationForm(request.POST, posts=posts)
    if form.is_valid():
        try:
            person = people_services.find_by_id_number(form.cleaned_data["id_number"])
            if person is None or not request.user.can(Action.APPLICATION_SUBMIT, person.region_id):
                raise DomainError(
                    "unknown_person",
                    _("No person with this ID number is registered in your area: register them first."),
                    field="id_number",
                )
            application = services.application_submit(
                actor=request.user,
                batch=batch,
                post=form.cleaned_data["post"],
                person=person,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The application has been entered."))
            return redirect(application)
    context = {
        "batch": batch,
        "posts": selectors.batch_posts_for(batch, user=request.user, action=Action.APPLICATION_VIEW),
        "applications": selectors.application_list(user=request.user, batch=batch),
        "can_submit": True,
        "form": form,
        "hukou_labels": dict(forms.HUKOU_CHOICES),
    }
    return render(request, "posts/batch_detail.html", context)


def application_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.APPLICATION_VIEW)
    form = forms.ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = selectors.application_list(user=request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "posts/_application_rows.html" if is_partial(request) else "posts/application_list.html"
    return render(request, template, context)


# Which step a user may take on an application in a given status: (action, service, label).
STEPS: dict[str, tuple[str, str]] = {
    ApplicationStatus.SUBMITTED: (Action.APPLICATION_RECOMMEND, "recommend"),
    ApplicationStatus.RECOMMENDED: (Action.APPLICATION_REVIEW, "review"),
    ApplicationStatus.REVIEWED: (Action.APPLICATION_QUALIFY, "qualify"),
}


def _detail_context(request: AuthedHttpRequest, application: Any) -> dict[str, Any]:
    step = STEPS.get(application.status)
    user = request.user
    decision = None
    if application.status in (ApplicationStatus.REVIEWED, ApplicationStatus.RECOMMENDED, ApplicationStatus.SUBMITTED):
        try:
            decision = eligibility.decide(
                application.person,
                on=clock.today(),
                allowed=[HukouType(t) for t in application.batch.allowed_hukou_types],
            )
        except DomainError:
            decision = None
    return {
        "application": application,
        "timeline": selectors.application_timeline(application),
        "conflicts": application.conflicts.select_related("other_person", "resolved_by"),
        "decision": decision,
        "step": step[1] if step and user.can(step[0], application.region_id) else "",
        "can_reject": application.status in services.recruitment.REJECT_ACTION
        and user.can(services.recruitment.REJECT_ACTION[application.status], application.region_id),
        "can_withdraw": application.status in services.recruitment.REJECT_ACTION
        and user.can(Action.APPLICATION_SUBMIT, application.region_id),
        "can_resolve": user.can(Action.CONFLICT_RESOLVE, application.region_id),
        "can_hire": application.status == ApplicationStatus.IN_NOTICE and user.can(Action.HIRE, application.region_id),
        "step_form": forms.StepForm(),
        "reason_form": forms.ReasonForm(),
        "hire_form": forms.HireForm(),
        "placement": getattr(application, "placement", None) if application.status == ApplicationStatus.HIRED else None,
    }


def application_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, public_id)
    return render(request, "posts/application_detail.html", _detail_context(request, application))


STEP_SERVICES = {
    "recommend": (Action.APPLICATION_RECOMMEND, services.application_recommend),
    "review": (Action.APPLICATION_REVIEW, services.application_review),
    "qualify": (Action.APPLICATION_QUALIFY, services.application_qualify),
}


@require_POST
def application_step(request: AuthedHttpRequest, public_id: UUID, step: str) -> HttpResponse:
    """Recommend, review or qualify: one service each; the service checks role, scope and S20."""
    if step not in STEP_SERVICES:
        raise Http404
    action, service = STEP_SERVICES[step]
    application = selectors.get_application_for_user(request.user, public_id, action)
    form = forms.StepForm(request.POST)
    form.is_valid()
    kwargs: dict[str, Any] = {"note": form.cleaned_data.get("note", "")}
    if step == "qualify":
        kwargs["override_reason"] = form.cleaned_data.get("override_reason", "")
    try:
        service(actor=request.user, application=application, **kwargs)  # type: ignore[operator]
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: the application has moved on."))
    return redirect(application)


@require_POST
def application_close(request: AuthedHttpRequest, public_id: UUID, how: str) -> HttpResponse:
    """Reject (by the role responsible for the current step) or withdraw, with a reason."""
    application = selectors.get_application_for_user(request.user, public_id)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required."))
        return redirect(application)
    service = {"reject": services.application_reject, "withdraw": services.application_withdraw}.get(how)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, application=application, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The application has been closed."))
    return redirect(application)


@require_POST
def conflict_resolve(request: AuthedHttpRequest, public_id: UUID, flag_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, public_id, Action.CONFLICT_RESOLVE)
    flag = application.conflicts.filter(pk=flag_id).first()
    if flag is None:
        raise Http404
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how the conflict was resolved."))
        return redirect(application)
    try:
        services.conflict_resolve(actor=request.user, flag=flag, resolution=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(application)


@require_POST
def application_hire(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, public_id, Action.HIRE)
    form = forms.HireForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the start date."))
        return redirect(application)
    try:
        placement = services.application_hire(actor=request.user, application=application, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(application)
    messages.success(request, _("Hired: the placement and the contract have been created."))
    return redirect(placement)


def placement_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    placement = selectors.get_placement_for_user(request.user, public_id)
    contract = getattr(placement, "contract", None)
    initial = {}
    if contract is not None:
        initial = {
            "employment_registered_on": contract.employment_registered_on,
            "hiring_filed_on": contract.hiring_filed_on,
        }
    context = {
        "placement": placement,
        "contract": contract,
        "wage_sentence": citations.contract_wage_sentence(contract) if contract is not None else "",
        "register_form": forms.ContractRegisterForm(initial=initial),
        "end_form": forms.PlacementEndForm(),
        "can_register": request.user.can(Action.CONTRACT_REGISTER, placement.region_id),
        # A planned end bound by retirement is the birthday moved by the statutory age (docs/permissions.md).
        "can_unmask": request.user.can(Action.PERSON_UNMASK, placement.region_id),
        "can_end": request.user.can(Action.HIRE, placement.region_id) and placement.ended_on is None,
        "can_issue_account": placement.ended_on is None
        and placement.person.user_id is None
        and helper_accounts.can_issue(request.user, placement),
    }
    return render(request, "posts/placement_detail.html", context)


@require_POST
@never_cache
def placement_account(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """Issue the helper's login account; the username and the one-time password are shown once, here."""
    placement = selectors.get_placement_for_user(request.user, public_id)
    try:
        user, password = services.placement_account_issue(actor=request.user, placement=placement)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(placement)
    context = {"placement": placement, "account": user, "password": password}
    return render(request, "posts/placement_account_issued.html", context)


def contract_pdf(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    # The contract prints its exact end date, which may be the statutory retirement date (the birthday moved
    # by the statutory age): only a role that may see the full ID number prints it (docs/permissions.md).
    placement = selectors.get_placement_for_user(request.user, public_id, Action.PERSON_UNMASK)
    contract = getattr(placement, "contract", None)
    if contract is None:
        raise Http404
    from zhulao.posts import pdfs  # WeasyPrint loads only when a PDF is asked for

    response = HttpResponse(pdfs.contract_pdf(contract, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{placement.public_id}.pdf"'
    return response


@require_POST
def contract_register(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    placement = selectors.get_placement_for_user(request.user, public_id, Action.CONTRACT_REGISTER)
    form = forms.ContractRegisterForm(request.POST)
    if form.is_valid() and getattr(placement, "contract", None) is not None:
        try:
            services.contract_register(actor=request.user, contract=placement.contract, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The registration dates have been recorded."))
    else:
        messages.error(request, _("Check the dates."))
    return redirect(placement)


@require_POST
def placement_end(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    placement = selectors.get_placement_for_user(request.user, public_id, Action.HIRE)
    form = forms.PlacementEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the end date and the reason."))
        return redirect(placement)
    try:
        services.placement_end(actor=request.user, placement=placement, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The placement has ended; the post is vacant again."))
    return redirect(placement)
