"""Facilities (S1) and the helper posts they hold (S2)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import TimeStampedModel
from zhulao.posts.choices import FacilityKind, FacilityStatus
from zhulao.posts.querysets import FacilityQuerySet, PostQuerySet


class Facility(TimeStampedModel):
    """An elder-care facility: a service center (township level) or a station / happiness home (village)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(
        "regions.Organization", verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # {"mon": [["08:00", "17:30"]], "tue": [...], ...}: weekly opening hours
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.OPERATING
    )

    objects: ClassVar[FacilityQuerySet] = FacilityQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["region_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posts:facility_detail", args=[self.public_id])


class FacilityStatusChange(models.Model):
    """Dated history of a facility's status."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=10, choices=FacilityStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("facility status change")
        verbose_name_plural = _("facility status changes")
        ordering = ["facility_id", "-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.status} {self.effective_on}"


class Post(TimeStampedModel):
    """One 公益性岗位 at a facility. The employer (contract signer, S8) follows the facility kind."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="posts")
    number = models.PositiveSmallIntegerField(_("number"))
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        "regions.Organization", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects: ClassVar[PostQuerySet] = PostQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["facility_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "number"], name="post_number_unique_per_facility"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="post_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} · {_('post')} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("posts:facility_detail", args=[self.facility.public_id])
