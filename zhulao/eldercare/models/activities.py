"""Activities at facilities (S18) and the daily opening log of each facility (S3)."""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhulao.core.querysets import ScopedQuerySet
from zhulao.eldercare.choices import ActivityKind


def activity_photo_path(instance: Activity, filename: str) -> str:
    """A path nobody can guess (the upload's name is dropped): photos are served only through a scoped view."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"activities/{instance.held_on:%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Activity(models.Model):
    """One activity at a facility: who joined (elders, helpers), with which partner, and an optional photo."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey("posts.Facility", on_delete=models.PROTECT, related_name="activities")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("held on"), db_index=True)
    title = models.CharField(_("title"), max_length=120)
    partner = models.CharField(_("partner"), max_length=120, blank=True)  # 卫健、文化、教育部门, 志愿团体 …
    elders = models.ManyToManyField("eldercare.ElderArchive", blank=True, related_name="activities")
    helpers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # JPEG / PNG / WebP, checked and re-encoded (metadata dropped) by ``activity_record``; under MEDIA_ROOT,
    # never a public URL: ``eldercare:activity_photo`` serves it to users who may view the facility.
    photo = models.ImageField(_("photo"), upload_to=activity_photo_path, blank=True, max_length=120)

    objects: ClassVar[ScopedQuerySet[Activity]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class FacilityDayLog(models.Model):
    """Hours a facility was open on one day (the basis of the operating rate and opening-hours figures)."""

    facility = models.ForeignKey("posts.Facility", on_delete=models.PROTECT, related_name="day_logs")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    hours_open = models.DecimalField(_("hours open"), max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[ScopedQuerySet[FacilityDayLog]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("facility day log")
        verbose_name_plural = _("facility day logs")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "day"], name="daylog_one_per_facility_day"),
            models.CheckConstraint(condition=models.Q(hours_open__gte=0, hours_open__lte=24), name="daylog_hours_0_24"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.day} {self.hours_open}"
