"""The archived snapshot of a closed notice as a download: the exact bytes whose SHA-256 is shown, so
that anyone can check the hash with ``sha256sum`` (ADR 0007)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import Http404, HttpResponse

from zhulao.posts.choices import NoticeStatus
from zhulao.posts.models import PublicNotice

SNAPSHOT_CONTENT_TYPE = "application/json; charset=utf-8"


class SnapshotMismatch(Exception):
    """The archived snapshot of a notice no longer matches its SHA-256: refuse to show it."""


def snapshot_filename(public_id: Any) -> str:
    return f"notice-{public_id}.json"


def snapshot_bytes(notice: PublicNotice) -> bytes:
    """The bytes that were hashed (UTF-8 canonical JSON), after checking them against the stored hash."""
    data = notice.snapshot.encode()
    if hashlib.sha256(data).hexdigest() != notice.snapshot_sha256:
        raise SnapshotMismatch(f"notice {notice.public_id}: snapshot does not match its SHA-256")
    return data


def snapshot_response(notice: PublicNotice) -> HttpResponse:
    """The snapshot of a closed notice as a file download; 404 while the notice is open."""
    if notice.status != NoticeStatus.CLOSED:
        raise Http404
    response = HttpResponse(snapshot_bytes(notice), content_type=SNAPSHOT_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{snapshot_filename(notice.public_id)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
