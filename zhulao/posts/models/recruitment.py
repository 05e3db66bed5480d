"""Recruitment: batches (招聘公告), applications with their steps, conflict flags, public notices and
objections (S7, S20)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.fields import EncryptedTextField
from zhulao.core.models import TimeStampedModel
from zhulao.core.querysets import ScopedQuerySet
from zhulao.posts.choices import (
    ApplicationStatus,
    BatchStatus,
    ConflictKind,
    NoticeStatus,
    ObjectionStatus,
    Standing,
    SubmittedVia,
)
from zhulao.posts.querysets import ApplicationQuerySet


class RecruitmentBatch(TimeStampedModel):
    """A recruitment announcement published by Civil Affairs for some vacant posts."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    posts = models.ManyToManyField("posts.Post", verbose_name=_("posts"), related_name="batches")
    allowed_hukou_types = models.JSONField(_("allowed registration types"), default=list)
    local_rule = models.CharField(_("local placement rule"), max_length=12)  # from recruitment.local_placement
    applications_open = models.DateField(_("applications open"))
    applications_close = models.DateField(_("applications close"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects: ClassVar[ScopedQuerySet[RecruitmentBatch]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("recruitment batch")
        verbose_name_plural = _("recruitment batches")
        ordering = ["-applications_open", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close__gte=models.F("applications_open")),
                name="batch_close_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posts:batch_detail", args=[self.public_id])


class Application(TimeStampedModel):
    """One person's application for one post of a batch. Every transition is a service with a step row."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(
        RecruitmentBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="applications"
    )
    post = models.ForeignKey(
        "posts.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_via = models.CharField(_("submitted via"), max_length=8, choices=SubmittedVia.choices)
    applied_at = models.DateTimeField(_("applied at"))
    notice = models.ForeignKey(
        "posts.PublicNotice",
        verbose_name=_("public notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The engine's decision at qualification (JSON of criteria), and the override reason if one was needed.
    eligibility = models.JSONField(_("eligibility at qualification"), default=dict, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    # 拟聘 or 候补 for the post (set at qualification, frozen on a notice); the reserves' order, 1 first.
    standing = models.CharField(_("standing"), max_length=10, choices=Standing.choices, blank=True)
    reserve_order = models.PositiveSmallIntegerField(_("reserve order"), null=True, blank=True)
    # Public-portal applications: contact the applicant gave (encrypted), checked by the village.
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)

    objects: ClassVar[ApplicationQuerySet] = ApplicationQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["applied_at", "id"]
        constraints = [
            # one open application per person and batch (withdrawn / rejected ones stay for the record)
            models.UniqueConstraint(
                fields=["batch", "person"],
                condition=~models.Q(status__in=["withdrawn", "rejected"]),
                name="application_one_open_per_person_and_batch",
            ),
            models.CheckConstraint(
                condition=(models.Q(standing="reserve") & models.Q(reserve_order__gte=1))
                | (~models.Q(standing="reserve") & models.Q(reserve_order__isnull=True)),
                name="application_reserve_has_an_order",
            ),
        ]
        indexes = [
            # workbench to-dos: applications by status within a region
            models.Index(fields=["status", "region"], name="application_status_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("posts:application_detail", args=[self.public_id])


class ApplicationStep(models.Model):
    """Who moved an application from which status to which, when, and why (the 流程记录 timeline)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("from"), max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class ConflictFlag(models.Model):
    """A possible conflict of interest found on an application; must be resolved before qualification."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("kind"), max_length=12, choices=ConflictKind.choices)
    other_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    other_role = models.CharField(_("the other party is"), max_length=40)  # e.g. "recommending cadre"
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("conflict flag")
        verbose_name_plural = _("conflict flags")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "other_person", "other_role"], name="conflict_flag_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.other_role}"


class PublicNotice(TimeStampedModel):
    """公示: the qualified candidates of a batch, public for N working days; archived as a hashed snapshot."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(
        RecruitmentBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="notices"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))  # last day of the period (inclusive)
    period_basis = models.TextField(_("period basis"))  # the parameter and calendar that decided closes_on
    # The same parameter row, for the sentence the notice prints (policy.citations.document_basis).
    period_parameter = models.ForeignKey(
        "policy.PolicyParameter",
        verbose_name=_("period parameter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    snapshot = models.TextField(_("archived snapshot"), blank=True)  # canonical JSON of the public content
    snapshot_sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64, blank=True)

    objects: ClassVar[ScopedQuerySet[PublicNotice]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="notice_close_after_open"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(snapshot_sha256=""), name="notice_closed_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("posts:notice_detail", args=[self.public_id])

    def public_details_expired(self, on: date | None = None) -> bool:
        """Whether the public copy of this notice (page, PDF, snapshot download) must show only the counts
        and the archived hash on ``on`` (default: the platform's today): a closed notice more than
        ``recruitment.notice_public_retention_days`` after its last day. The shorter of the values in force
        on the last day and on ``on`` applies, so a later, longer value never re-publishes a notice. Staff
        keep the full snapshot. Without a policy value it fails closed (expired)."""
        from zhulao.policy.selectors import PolicyMissing  # policy's models load after this module

        if self.status != NoticeStatus.CLOSED:
            return False
        day = on or clock.today()
        key = "recruitment.notice_public_retention_days"
        try:
            days = min(
                int(policy.value(key, region=self.region_id, on=self.closes_on)),
                int(policy.value(key, region=self.region_id, on=max(day, self.closes_on))),
            )
        except PolicyMissing:
            return True
        return day > self.closes_on + timedelta(days=days)


class Objection(TimeStampedModel):
    """An objection raised by anyone against a candidate of an open notice; HR resolves it."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="objections"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    contact = EncryptedTextField(_("contact (optional)"), blank=True)
    source_hash = models.CharField(max_length=64, blank=True)  # keyed hash of the client address, for throttling
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects: ClassVar[ScopedQuerySet[Objection]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(resolution=""), name="objection_resolved_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Objection')} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("posts:notice_detail", args=[self.notice.public_id])
