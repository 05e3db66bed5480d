"""Writes of the import machinery: stage an uploaded file as a job, then run the job row by row.

``import_start`` checks the uploader's role, refuses an unsafe or malformed file whole, stages it
(encrypted) and either runs it at once (small files) or queues ``import_run_task`` after commit.
``import_run`` saves every row in its own savepoint through the spec's ``save_row``: a bad row is
recorded and leaves nothing behind, the good rows are kept. It is safe to call again: a done job is
left alone, a failed one starts over, and the spec's dedupe-aware ``save_row`` makes the rows saved
the first time count as unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections import Counter
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhulao.core import audit, crypto
from zhulao.core.exceptions import DomainError
from zhulao.core.imports import reading, specs, tasks
from zhulao.core.imports.specs import Column, ImportSpec, RowOutcome
from zhulao.core.models import AuditEvent, ImportJob, ImportRowError
from zhulao.core.querysets import require_action
from zhulao.rules import masking

logger = logging.getLogger(__name__)

# Progress counters (and the bad rows found so far) are written every this many rows.
PROGRESS_EVERY = 100
_VALUE_MAX = 200


def _seal(content: bytes) -> bytes:
    """The staged file holds personal data: keep it encrypted with the PII key."""
    return crypto.encrypt(base64.b64encode(content).decode("ascii")).encode("ascii")


def _unseal(sealed: bytes | memoryview) -> bytes:
    return base64.b64decode(crypto.decrypt(bytes(sealed).decode("ascii")))


def _region_code(prefixes: list[str]) -> str:
    return os.path.commonprefix(prefixes)[:12] if prefixes else ""


def import_start(*, actor: Any, kind: str, uploaded_file: reading.Upload) -> ImportJob:
    """Stage ``uploaded_file`` as an import of ``kind`` by ``actor`` and start it.

    Raises ``Forbidden`` when the actor lacks the spec's action, and ``DomainError`` (code
    ``import_unknown_kind`` or ``import_file_refused``, field ``"file"``) when the file is refused.
    Files of at most ``settings.IMPORT_SYNC_MAX_ROWS`` rows are run before this returns; larger
    ones are queued (``import_run_task``) once the job is committed.
    """
    try:
        spec = specs.get_spec(kind)
    except LookupError:
        raise DomainError("import_unknown_kind", _("There is no such kind of import."), field="file") from None
    prefixes = require_action(actor, spec.action)
    file_name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))[:255] or "upload"
    try:
        content = reading.read_upload(uploaded_file, max_bytes=settings.IMPORT_MAX_BYTES)
        sheet = reading.read_table(content, columns=spec.columns, max_rows=settings.IMPORT_MAX_ROWS)
    except reading.FileRefused as exc:
        audit.record_event(
            actor=actor,
            action="import.refuse",
            object_type="core.importjob",
            object_repr=file_name,
            region_code=_region_code(prefixes),
            changes={"kind": kind, "file_name": file_name},
            outcome=AuditEvent.Outcome.FAILURE,
            reason=str(exc.message),
        )
        raise DomainError("import_file_refused", exc.message, field="file") from exc

    total = len(sheet.rows)
    run_now = total <= settings.IMPORT_SYNC_MAX_ROWS
    with transaction.atomic():
        job = ImportJob(
            kind=spec.kind,
            file_name=file_name,
            file_sha256=hashlib.sha256(content).hexdigest(),
            content=_seal(content),
            language=translation.get_language() or "",
            total_rows=total,
            created_by=actor,
            scope_prefixes=prefixes,
        )
        job.full_clean()
        job.save()
        audit.record_event(
            actor=actor,
            action="import.start",
            obj=job,
            region_code=_region_code(prefixes),
            changes={
                "kind": spec.kind,
                "file_name": file_name,
                "file_sha256": job.file_sha256,
                "file_type": sheet.file_type,
                "rows": total,
            },
        )
        if not run_now:
            transaction.on_commit(partial(tasks.import_run_task.enqueue, job_id=job.pk))
    if run_now:
        job = import_run(job_id=job.pk)
    return job


def import_run(*, job_id: int) -> ImportJob:
    """Run a pending (or failed) job to the end; a done or running job is returned untouched."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.FAILED]
    ).update(
        status=ImportJob.Status.RUNNING,
        processed_rows=0,
        created_rows=0,
        updated_rows=0,
        unchanged_rows=0,
        error_rows=0,
        failure_message="",
        finished_at=None,
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        logger.info("import job %s is %s: not run again", job.pk, job.status)
        return job
    ImportRowError.objects.filter(job=job).delete()  # a failed job starts over
    with translation.override(job.language or settings.LANGUAGE_CODE):
        run = _Run(job)
        try:
            run.go()
        except _Stopped as exc:
            logger.warning("import job %s stopped: %s", job.pk, exc)
            run.fail(exc)
        except Exception as exc:
            logger.exception("import job %s failed", job.pk)
            run.fail(exc)
    job.refresh_from_db()
    return job


class _Stopped(Exception):
    """The job cannot go on; ``message`` says why, for people."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class _Run:
    """The state of one pass over a job's rows."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.counts: Counter[str] = Counter()
        self.pending_errors: list[ImportRowError] = []
        self.first_row_of: dict[str, int] = {}

    def go(self) -> None:
        job = self.job
        try:
            spec = specs.get_spec(job.kind)
        except LookupError:
            raise _Stopped(_("This kind of import is no longer available.")) from None
        try:
            sheet = reading.read_table(_unseal(job.content), columns=spec.columns, max_rows=max(job.total_rows, 1))
        except reading.FileRefused as exc:
            raise _Stopped(exc.message) from exc
        actor, prefixes = job.created_by, list(job.scope_prefixes)
        for index, row in enumerate(sheet.rows, start=1):
            errors, outcome = self.row(spec, row, actor, prefixes)
            if errors:
                self.counts["error"] += 1
                self.pending_errors.extend(errors)
            else:
                self.counts[str(outcome)] += 1
            if index % PROGRESS_EVERY == 0:
                self.flush()
        self.finish(ImportJob.Status.DONE, "")

    def row(
        self, spec: ImportSpec, row: reading.SheetRow, actor: Any, prefixes: list[str]
    ) -> tuple[list[ImportRowError], RowOutcome | None]:
        errors: list[ImportRowError] = []
        values: dict[str, Any] = {}
        for column in spec.columns:
            raw = row.cells.get(column.key, "")
            values[column.key] = None
            if column.key in row.problems:
                errors.append(self.error(spec, row, column, row.problems[column.key]))
            elif raw == "":
                if column.required:
                    errors.append(self.error(spec, row, column, _("This column is required.")))
            else:
                try:
                    values[column.key] = column.parse(raw)
                except ValueError as exc:
                    errors.append(self.error(spec, row, column, str(exc) or _("This value is not valid.")))
        if errors:
            return errors, None

        key = spec.dedupe_key(values)
        if key:
            first = self.first_row_of.setdefault(key, row.number)
            if first != row.number:
                message = _("Same record as row %(row)s of this file; only that row is imported.") % {"row": first}
                return [self.error(spec, row, spec.column(spec.dedupe_column), message)], None

        try:
            with transaction.atomic():
                outcome = RowOutcome(spec.save_row(actor, values, prefixes))
        except DomainError as exc:
            if exc.followup is not None:
                exc.followup()  # after the row's savepoint rolled back, so it is kept
            return [self.error(spec, row, spec.column(exc.field or ""), str(exc.message))], None
        except ValidationError as exc:
            field = next(iter(exc.error_dict), "") if hasattr(exc, "error_dict") and len(exc.error_dict) == 1 else ""
            return [self.error(spec, row, spec.column(field), "; ".join(exc.messages))], None
        except PermissionDenied as exc:
            message = str(getattr(exc, "message", "") or exc) or _("This row is outside your region.")
            return [self.error(spec, row, None, message)], None
        except IntegrityError:
            message = _("This row clashes with a record saved at the same moment. Upload the file again.")
            return [self.error(spec, row, None, message)], None
        except ValueError as exc:
            return [self.error(spec, row, None, str(exc) or _("This row is not valid."))], None
        return [], outcome

    def error(self, spec: ImportSpec, row: reading.SheetRow, column: Column | None, message: str) -> ImportRowError:
        value = ""
        if column is not None:
            value = str(audit.mask_value(row.cells.get(column.key, ""), spec.sensitive.get(column.key)))
            # a column not declared sensitive still has its ID-shaped numbers masked
            value = masking.mask_id_numbers_in_text(value)
        return ImportRowError(
            job=self.job,
            row_number=row.number,
            column_key=column.key if column else "",
            column_header=column.header[:100] if column else "",
            value_masked=value[:_VALUE_MAX],
            message=message,
        )

    def progress(self) -> dict[str, int]:
        counts = self.counts
        return {
            "processed_rows": sum(counts.values()),
            "created_rows": counts[RowOutcome.CREATED],
            "updated_rows": counts[RowOutcome.UPDATED],
            "unchanged_rows": counts[RowOutcome.UNCHANGED],
            "error_rows": counts["error"],
        }

    def flush(self) -> None:
        """Write the bad rows found so far and the counters (one UPDATE)."""
        with transaction.atomic():
            ImportRowError.objects.bulk_create(self.pending_errors)
            self.pending_errors.clear()
            ImportJob.objects.filter(pk=self.job.pk).update(**self.progress())

    def finish(self, status: str, failure_message: str) -> None:
        job = self.job
        with transaction.atomic():
            ImportRowError.objects.bulk_create(self.pending_errors)
            self.pending_errors.clear()
            fields: dict[str, Any] = {
                **self.progress(),
                "status": status,
                "finished_at": timezone.now(),
                "failure_message": failure_message,
            }
            if status == ImportJob.Status.DONE:
                fields["content"] = b""  # the staged file is not kept once every row is in
            ImportJob.objects.filter(pk=job.pk).update(**fields)
            audit.record_event(
                actor=job.created_by,
                action="import.finish",
                obj=job,
                region_code=_region_code(list(job.scope_prefixes)),
                changes={"kind": job.kind, "status": status, "total_rows": job.total_rows, **self.progress()},
                outcome=AuditEvent.Outcome.SUCCESS if status == ImportJob.Status.DONE else AuditEvent.Outcome.FAILURE,
                reason=failure_message,
            )

    def fail(self, exc: Exception) -> None:
        if isinstance(exc, _Stopped):
            message = str(exc.message)
        else:
            message = _(
                "The import stopped because of an unexpected error. The rows already saved are kept; "
                "upload the file again or ask the system administrator."
            )
        self.finish(ImportJob.Status.FAILED, message)
