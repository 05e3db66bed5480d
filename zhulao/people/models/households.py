"""Households (户): the unit of 低保, 建档立卡 and zero-employment status."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import TimeStampedModel
from zhulao.people.querysets import HouseholdQuerySet


class Household(TimeStampedModel):
    """A registered household. Zero-employment status is computed from its members, never typed in."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("village / community"), on_delete=models.PROTECT, related_name="+"
    )
    registration_number = models.CharField(_("household register number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects: ClassVar[HouseholdQuerySet] = HouseholdQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["region_id", "id"]

    def __str__(self) -> str:
        return self.registration_number or f"#{str(self.public_id)[:8]}"

    def get_absolute_url(self) -> str:
        return reverse("people:household_detail", args=[self.public_id])
