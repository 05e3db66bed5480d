"""The administrative region tree and the organisations tied to it (S1 groundwork)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import TimeStampedModel
from zhulao.regions.choices import PREFIX_LENGTH, OrganizationKind, RegionLevel
from zhulao.regions.querysets import OrganizationQuerySet, RegionQuerySet


class Region(models.Model):
    """One unit of the 12-digit statistical code tree (35 → 3506 → 350602 → township → village).

    The code is the primary key, so every table that points at a region carries the code itself
    and scoping is a ``LIKE 'prefix%'`` on that column without a join.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # 城乡分类代码 (POLICY §5.3), villages only: first digit 1 = urban, 2 = rural.
    urban_rural_code = models.CharField(_("urban/rural class"), max_length=3, blank=True)

    objects: ClassVar[RegionQuerySet] = RegionQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "code"

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"),
            models.CheckConstraint(
                condition=models.Q(urban_rural_code="") | models.Q(level=RegionLevel.VILLAGE),
                name="region_urban_rural_only_villages",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.code])

    @property
    def prefix(self) -> str:
        """The significant part of the code: what scope filters match on."""
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    @property
    def is_urban(self) -> bool | None:
        """True for 城镇 (class 1xx), False for 乡村 (2xx), None when not a village or unknown."""
        return self.urban_rural_code[0] == "1" if self.urban_rural_code else None

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)


class RegionAlias(models.Model):
    """An old code that now means another region (e.g. 350681 龙海市 → 350604 龙海区 from 2021)."""

    old_code = models.CharField(_("old code"), max_length=12, primary_key=True)
    region = models.ForeignKey(Region, verbose_name=_("current region"), on_delete=models.CASCADE)
    old_name = models.CharField(_("old name"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region alias")
        verbose_name_plural = _("region aliases")

    def __str__(self) -> str:
        return f"{self.old_code} → {self.region_id}"


class Organization(TimeStampedModel):
    """A body taking part in the programme (bureau, center, township government, village committee)."""

    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[OrganizationQuerySet] = OrganizationQuerySet.as_manager()  # type: ignore[assignment]

    # A lookup path, not the column: ``region_id__startswith`` is refused on a foreign key, while
    # ``region__code__startswith`` compiles to ``region_id LIKE …`` without a join.
    region_field = "region__code"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="organization_one_per_kind_and_region"),
        ]

    def __str__(self) -> str:
        return self.name
