"""Archives (一人一档 / 一户一档, S13) and capability assessments (GB/T 42195)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.fields import EncryptedTextField
from zhulao.core.models import TimeStampedModel
from zhulao.core.querysets import ScopedQuerySet
from zhulao.eldercare.choices import ArchiveStatus, AssessmentReason


class HouseholdArchive(TimeStampedModel):
    """一户一档: the household of one or more elderly people."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    household = models.OneToOneField(
        "people.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="elder_archive"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    living_conditions = models.TextField(_("living conditions"), blank=True)

    objects: ClassVar[ScopedQuerySet[HouseholdArchive]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("household archive")
        verbose_name_plural = _("household archives")

    def __str__(self) -> str:
        return str(self.household)


class ElderArchive(TimeStampedModel):
    """一人一档: one archive per elderly person, with category flags and what the helpers found.

    The three groups (托底 / 困境 / 重点保障) are derived from the flags by the dated policy mapping
    ``eldercare.group_mapping``; 高龄 comes from the age threshold ``eldercare.advanced_age``.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="elder_archive"
    )
    household_archive = models.ForeignKey(
        HouseholdArchive,
        verbose_name=_("household archive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    # Category flags (ElderCategory values except the computed advanced_age), e.g. ["left_behind", "dibao"].
    categories = models.JSONField(_("categories"), default=list, blank=True)
    living_conditions = models.TextField(_("living conditions"), blank=True)
    psychological_state = models.TextField(_("psychological state"), blank=True)
    spiritual_needs = models.TextField(_("spiritual needs"), blank=True)
    service_needs = models.TextField(_("service needs"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ArchiveStatus.choices, default=ArchiveStatus.ACTIVE)

    objects: ClassVar[ScopedQuerySet[ElderArchive]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("elder archive")
        verbose_name_plural = _("elder archives")
        ordering = ["region_id", "id"]

    def __str__(self) -> str:
        return self.person.name

    def get_absolute_url(self) -> str:
        return reverse("eldercare:archive_detail", args=[self.public_id])


class EmergencyContact(models.Model):
    """A family member or neighbour to call; the phone is encrypted and shown masked."""

    archive = models.ForeignKey(ElderArchive, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=60)
    relation = models.CharField(_("relation"), max_length=30)
    phone = EncryptedTextField(_("phone"))
    phone_masked = models.CharField(_("phone (masked)"), max_length=20)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class CapabilityAssessment(models.Model):
    """One GB/T 42195-2022 assessment: the 26 item scores, the adjustments and the resulting level."""

    archive = models.ForeignKey(ElderArchive, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    reason = models.CharField(_("reason"), max_length=10, choices=AssessmentReason.choices)
    scores = models.JSONField(_("item scores"))
    coma = models.BooleanField(_("coma"), default=False)
    dementia_or_mental_disorder = models.BooleanField(_("diagnosed dementia or mental disorder"), default=False)
    risk_events = models.PositiveSmallIntegerField(_("care-risk events in the window"), default=0)
    total = models.PositiveSmallIntegerField(_("total"))
    preliminary_level = models.PositiveSmallIntegerField(_("preliminary level"))
    final_level = models.PositiveSmallIntegerField(_("level"))
    explanation = models.TextField(_("explanation"))
    valid_until = models.DateField(_("valid until"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("capability assessment")
        verbose_name_plural = _("capability assessments")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__lte=90), name="assessment_total_at_most_90"),
            models.CheckConstraint(condition=models.Q(final_level__lte=4), name="assessment_level_at_most_4"),
            models.CheckConstraint(
                condition=models.Q(final_level__gte=models.F("preliminary_level")), name="assessment_level_only_raised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on} L{self.final_level}"
