"""Pairing helper ↔ elder (S14), visits with the services given (S15), and new needs found (S17)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import TimeStampedModel
from zhulao.core.querysets import ScopedQuerySet
from zhulao.eldercare.choices import NeedStatus, ServiceKind


class Pairing(models.Model):
    """结对: a helper looks after an elder from ``started_on``; reassignment ends it, keeping history."""

    archive = models.ForeignKey("eldercare.ElderArchive", on_delete=models.CASCADE, related_name="pairings")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairings")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[ScopedQuerySet[Pairing]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on"]
        constraints = [
            # an elder has one current helper (visits of my day rely on it)
            models.UniqueConstraint(
                fields=["archive"], condition=models.Q(ended_on__isnull=True), name="pairing_one_active_per_elder"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="pairing_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} ↔ {self.archive}"


class Visit(TimeStampedModel):
    """A helper's visit to an elder: opened at the door, submitted with the services and notes."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    archive = models.ForeignKey("eldercare.ElderArchive", on_delete=models.PROTECT, related_name="visits")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    visit_date = models.DateField(_("visit date"), db_index=True)
    location = models.CharField(_("location (if the helper allowed it)"), max_length=60, blank=True)
    living_state = models.TextField(_("living state"), blank=True)
    psychological_state = models.TextField(_("psychological state"), blank=True)
    family_contacted = models.BooleanField(_("family contacted"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar[ScopedQuerySet[Visit]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-opened_at"]
        indexes = [
            # coverage: visits per archive in a period
            models.Index(fields=["archive", "visit_date"], name="visit_archive_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | models.Q(submitted_at__gte=models.F("opened_at")),
                name="visit_submitted_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.archive} {self.visit_date}"

    def get_absolute_url(self) -> str:
        return reverse("eldercare:visit_detail", args=[self.public_id])


class ServiceRecord(models.Model):
    """One service given on a visit, with its minutes."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="service_once_per_visit"),
            models.CheckConstraint(condition=models.Q(minutes__gte=1, minutes__lte=600), name="service_minutes_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.minutes}"


class NeedReport(TimeStampedModel):
    """A new need found on a visit (S17), routed to the township; open until someone handles it."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    archive = models.ForeignKey("eldercare.ElderArchive", on_delete=models.PROTECT, related_name="needs")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("need"))
    status = models.CharField(_("status"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handling_note = models.TextField(_("how it was handled"), blank=True)

    objects: ClassVar[ScopedQuerySet[NeedReport]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("need report")
        verbose_name_plural = _("need reports")
        ordering = ["status", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(handling_note=""), name="need_handled_has_note"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("eldercare:need_list")
