"""Pages of an import: upload (with its template), a job's progress and its bad rows."""

from __future__ import annotations

import io
from uuid import UUID

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from zhulao.core.exceptions import DomainError
from zhulao.core.http import XLSX_TYPE, AuthedHttpRequest, is_partial
from zhulao.core.imports import forms, selectors, services, specs, workbooks
from zhulao.core.querysets import require_action


def _spec_or_404(kind: str) -> specs.ImportSpec:
    try:
        return specs.get_spec(kind)
    except LookupError:
        raise Http404(kind) from None


def _xlsx(content: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _upload_page(request: AuthedHttpRequest, spec: specs.ImportSpec, form: forms.ImportUploadForm) -> HttpResponse:
    context = {
        "spec": spec,
        "form": form,
        "jobs": selectors.import_job_list(user=request.user, kind=spec.kind),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        "max_rows": settings.IMPORT_MAX_ROWS,
    }
    return render(request, "core/imports/upload.html", context)


@require_GET
def upload_page(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    spec = _spec_or_404(kind)
    require_action(request.user, spec.action)
    return _upload_page(request, spec, forms.ImportUploadForm())


@require_POST
def upload(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    spec = _spec_or_404(kind)
    require_action(request.user, spec.action)
    form = forms.ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.import_start(actor=request.user, kind=spec.kind, uploaded_file=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect(job)
    return _upload_page(request, spec, form)


@require_GET
def template_xlsx(request: AuthedHttpRequest, kind: str) -> FileResponse:
    spec = _spec_or_404(kind)
    require_action(request.user, spec.action)
    return _xlsx(workbooks.template_workbook(spec), f"{spec.kind}_template.xlsx")


@require_GET
def job_detail(request: AuthedHttpRequest, public_id: UUID) -> HttpResponse:
    job = selectors.get_import_job_for_user(request.user, public_id)
    if is_partial(request):  # the progress poll
        if job.is_finished:
            return HttpResponseClientRefresh()  # reload once, to show the outcome and the bad rows
        return render(request, "core/imports/_job_progress.html", {"job": job})
    context = {
        "job": job,
        "spec": _spec_or_404(job.kind),
        "page": Paginator(selectors.import_job_errors(job=job), 50).get_page(request.GET.get("page")),
        "earlier": selectors.import_job_earlier_same_file(job=job),
    }
    return render(request, "core/imports/job_detail.html", context)


@require_GET
def job_errors_xlsx(request: AuthedHttpRequest, public_id: UUID) -> FileResponse:
    job = selectors.get_import_job_for_user(request.user, public_id)
    errors = selectors.import_job_errors(job=job).iterator(chunk_size=2000)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d%H%M")
    return _xlsx(workbooks.error_workbook(errors), f"{job.kind}_errors_{stamp}.xlsx")
