"""Public notices (公示) for HR: open, watch objections, resolve them, close and archive."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.http import AuthedHttpRequest
from zhulao.core.querysets import require_action
from zhulao.posts import archive, citations, forms, selectors, services


def notice_list(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.APPLICATION_VIEW)
    can_manage = request.user.can(Action.NOTICE_MANAGE)
    batches = selectors.notice_batches(user=request.user)
    context = {
        "notices": selectors.notice_list(user=request.user)[:100],
        "can_manage": can_manage,
        "form": forms.NoticeOpenForm(batches=batches),
    }
    return render(request, "posts/notice_list.html", context)


@require_POST
def notice_open(request: AuthedHttpRequest) -> HttpResponse:
    require_action(request.user, Action.NOTICE_MANAGE)
    batches = selectors.notice_batches(user=request.user)
    form = forms.NoticeOpenForm(request.POST, batches=batches)
    if form.is_valid():
        try:
            notice = services.notice_open(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The public notice is open."))
            return redirect(notice)
    context = {"notices": selectors.notice_list(user=request.user)[:100], "can_manage": True, "form": form}
    return render(request, "posts/notice_list.html", context)


def notice_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, public_id)
    context = {
        "notice": notice,
        "period_sentence": citations.notice_period_sentence(notice),
        "snapshot_filename": archive.snapshot_filename(notice.public_id),
        "candidates": selectors.notice_candidates(notice),
        "objections": notice.objections.select_related("application__person", "resolved_by").order_by("created_at"),
        "can_manage": request.user.can(Action.NOTICE_MANAGE, notice.region_id),
        "resolve_form": forms.ObjectionResolveForm(),
    }
    return render(request, "posts/notice_detail.html", context)


def notice_snapshot(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    """The archived snapshot of a closed notice, byte for byte as hashed (staff: whatever its age)."""
    notice = selectors.get_notice_for_user(request.user, public_id)
    return archive.snapshot_response(notice)


def notice_pdf(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, public_id)
    from zhulao.posts import pdfs  # WeasyPrint loads only when a PDF is asked for

    response = HttpResponse(pdfs.notice_pdf(notice, request=request, public=False), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.public_id}.pdf"'
    return response


@require_POST
def notice_close(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, public_id, Action.NOTICE_MANAGE)
    try:
        services.notice_close(actor=request.user, notice=notice)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The notice is closed and archived."))
    return redirect(notice)


@require_POST
def objection_resolve(request: AuthedHttpRequest, public_id: UUID, objection_id: UUID) -> HttpResponse:
    notice = selectors.get_notice_for_user(request.user, public_id, Action.NOTICE_MANAGE)
    objection = notice.objections.filter(public_id=objection_id).first()
    if objection is None:
        raise Http404
    form = forms.ObjectionResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and write the reason."))
        return redirect(notice)
    try:
        services.objection_resolve(
            actor=request.user,
            objection=objection,
            uphold=form.cleaned_data["decision"] == "uphold",
            resolution=form.cleaned_data["resolution"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The objection has been resolved."))
    return redirect(notice)
