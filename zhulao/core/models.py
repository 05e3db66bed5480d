"""Models with no domain knowledge: timestamps, the append-only audit trail and spreadsheet import jobs."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.querysets import in_scope


class TimeStampedModel(models.Model):
    """Adds ``created_at`` / ``updated_at`` to a model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be read and added, never changed: bulk update/delete are refused too."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One security-relevant event: who did what to which object, where, with a masked diff.

    Rows form a hash chain: ``row_hash = HMAC(key, prev_hash || canonical(row))`` and ``seq`` is
    gap-free, so an edited, deleted or inserted row breaks the chain (``manage.py verify_audit``).
    On every database a trigger refuses UPDATE and DELETE (migration 0002).
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    seq = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    actor_roles = models.CharField(_("actor roles"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    row_hash = models.CharField(_("hash"), max_length=64)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            # audit_list(): filter by actor, newest first
            models.Index(fields=["actor", "-seq"], name="audit_actor_seq_idx"),
            # audit_list(): filter by object
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only.")


class AuditEpochQuerySet(models.QuerySet["AuditEpoch"]):
    """Epochs are written once, by ``redaction.audit_redact``, and never changed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit epochs are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit epochs are append-only.")


class AuditEpoch(models.Model):
    """One documented rewrite of the audit chain (ADR 0010): secret values in old diffs replaced by their
    mask and every hash recomputed, inside one transaction.

    The chain's head before the rewrite (``previous_head_*``) is kept here, so a head copied elsewhere
    before the rewrite can still be matched; ``new_head_*`` is the head after it. The ``audit.redact``
    event (``event_seq``) names the same numbers inside the chain, so an edit of this table is caught by
    ``manage.py verify_audit``.
    """

    number = models.PositiveIntegerField(_("epoch"), unique=True)
    started_at = models.DateTimeField(_("started at"))
    previous_head_seq = models.BigIntegerField(_("previous head sequence"))
    previous_head_hash = models.CharField(_("previous head hash"), max_length=64)
    new_head_seq = models.BigIntegerField(_("new head sequence"))
    new_head_hash = models.CharField(_("new head hash"), max_length=64)
    event_seq = models.BigIntegerField(_("redaction event sequence"), unique=True)
    keys = models.JSONField(_("redacted keys"), default=list)
    reason = models.TextField(_("reason"))
    rows_redacted = models.PositiveIntegerField(_("rows redacted"))
    rows_rehashed = models.PositiveIntegerField(_("rows re-hashed"))

    objects: ClassVar[AuditEpochQuerySet] = AuditEpochQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("audit chain epoch")
        verbose_name_plural = _("audit chain epochs")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"epoch {self.number}: #{self.previous_head_seq} → #{self.new_head_seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit epochs are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit epochs are append-only.")


class ImportJob(models.Model):
    """One uploaded spreadsheet and its run: the staged file, its progress and the counts of the outcome.

    ``kind`` names the registered ``ImportSpec`` (zhulao/core/imports/specs.py). ``content`` holds the
    staged file, encrypted with the personal-data key, until the run is done; it is emptied then.
    ``scope_prefixes`` is the uploader's scope for the spec's action at upload time: the rows are saved
    within it, and other users see the job only when their scope covers all of it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")  # staged, the task is queued
        RUNNING = "running", _("Running")  # a worker is going through the rows
        DONE = "done", _("Done")  # every row was saved or reported; final
        FAILED = "failed", _("Failed")  # stopped by an unexpected error; may be run again

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    content = models.BinaryField(_("staged file"), default=b"", blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    created_rows = models.PositiveIntegerField(_("created"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged"), default=0)
    error_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    # No index of its own: importjob_creator_kind_idx starts with it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failure_message = models.TextField(_("failure"), blank=True)
    scope_prefixes = models.JSONField(_("scope at upload"), default=list, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="importjob_processed_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    processed_rows=models.F("created_rows")
                    + models.F("updated_rows")
                    + models.F("unchanged_rows")
                    + models.F("error_rows")
                ),
                name="importjob_counts_add_up",
            ),
        ]
        indexes = [
            # import_job_list(): the user's recent jobs of one kind, newest first
            models.Index(fields=["created_by", "kind", "-created_at"], name="importjob_creator_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job_detail", kwargs={"public_id": self.public_id})

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        """Progress in whole percent (100 for an empty finished job)."""
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    def is_covered_by(self, prefixes: list[str]) -> bool:
        """Does a scope of ``prefixes`` cover every region of the uploader's scope at upload time?"""
        scope = [str(p) for p in self.scope_prefixes]
        return bool(scope) and all(in_scope(code, prefixes) for code in scope)

    def can_be_run(self) -> bool:
        """Only a waiting job, or one that failed, is (re)run; a done or running one is left alone."""
        return self.status in {self.Status.PENDING, self.Status.FAILED}


class ImportRowError(models.Model):
    """One bad cell (or bad row, when ``column_key`` is empty) of an import, with the reason.

    ``value_masked`` never holds a full sensitive value: the spec names which columns are masked.
    """

    # No index of its own: importrowerror_job_row_idx starts with the job.
    job = models.ForeignKey(
        ImportJob,
        verbose_name=_("import job"),
        on_delete=models.CASCADE,
        related_name="errors",
        db_index=False,
    )
    row_number = models.PositiveIntegerField(_("row"))
    column_key = models.CharField(_("column key"), max_length=50, blank=True)
    column_header = models.CharField(_("column"), max_length=100, blank=True)
    value_masked = models.CharField(_("value"), max_length=200, blank=True)
    message = models.TextField(_("problem"))

    class Meta:
        verbose_name = _("import row error")
        verbose_name_plural = _("import row errors")
        ordering = ["job_id", "row_number", "id"]
        constraints = [
            # Row 1 is the header row, so a data row is row 2 or later.
            models.CheckConstraint(condition=models.Q(row_number__gte=2), name="importrowerror_data_row"),
        ]
        indexes = [
            # job page and errors.xlsx: a job's errors in row order
            models.Index(fields=["job", "row_number", "id"], name="importrowerror_job_row_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.row_number} {self.column_key}: {self.message}"


class RateCounter(models.Model):
    """How many times something happened for one key in one fixed time window (the one throttle of the
    platform, ``zhulao/core/throttle.py``). Rows live in the database, so every app process shares them.

    ``key`` is a keyed hash (HMAC-SHA256 with ``SECRET_KEY``) of what is counted (a client address,
    ``"*"`` for a global ceiling): an address is never stored. Old windows are deleted by
    ``clean_rate_counters``.
    """

    scope = models.CharField(_("scope"), max_length=40)
    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="ratecounter_one_row_per_window"),
        ]
        # clean_rate_counters deletes by window_start.
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
