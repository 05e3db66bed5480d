"""Reads of the import machinery: a user's recent jobs, one job for a user, a job's bad rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zhulao.core.imports import specs
from zhulao.core.models import ImportJob, ImportRowError
from zhulao.core.querysets import require_action


def import_job_list(*, user: Any, kind: str, limit: int = 10) -> QuerySet[ImportJob]:
    """The user's own most recent jobs of ``kind`` (the staged file left out)."""
    return ImportJob.objects.defer("content").filter(created_by=user, kind=kind).order_by("-created_at", "-id")[:limit]


def get_import_job_for_user(user: Any, public_id: UUID) -> ImportJob:
    """One job: 403 when no role of the user carries the spec's action; 404 unless the user uploaded
    it or the user's scope for that action covers all of the uploader's scope at upload time."""
    job = ImportJob.objects.defer("content").select_related("created_by").filter(public_id=public_id).first()
    if job is None:
        raise Http404(_("Not found."))
    try:
        spec = specs.get_spec(job.kind)
    except LookupError:
        raise Http404(_("Not found.")) from None
    prefixes = require_action(user, spec.action)
    if job.created_by_id != user.pk and not job.is_covered_by(prefixes):
        raise Http404(_("Not found."))
    return job


def import_job_errors(*, job: ImportJob) -> QuerySet[ImportRowError]:
    return ImportRowError.objects.filter(job=job).order_by("row_number", "id")


def import_job_earlier_same_file(*, job: ImportJob) -> ImportJob | None:
    """The uploader's previous finished import of the very same file, if any."""
    return (
        ImportJob.objects.defer("content")
        .filter(
            kind=job.kind,
            file_sha256=job.file_sha256,
            created_by_id=job.created_by_id,
            status=ImportJob.Status.DONE,
            created_at__lt=job.created_at,
        )
        .order_by("-created_at")
        .first()
    )
