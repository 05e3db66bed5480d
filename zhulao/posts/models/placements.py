"""Placements (安置) of a person in a post, and their labour contracts (S6, S8)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.models import TimeStampedModel
from zhulao.core.querysets import ScopedQuerySet
from zhulao.posts.choices import PlacementEndReason
from zhulao.posts.querysets import PlacementQuerySet


class Placement(TimeStampedModel):
    """A person holding a post from ``started_on`` to ``planned_end`` (or ``ended_on``).

    The database refuses a second active placement in one post and a second active placement of one
    person (no 双岗); the 2-placement cap and the period are checked by the hire service.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="placements"
    )
    post = models.ForeignKey("posts.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="placements")
    application = models.OneToOneField(
        "posts.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="placement"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(_("placement number"))  # 1st or 2nd placement of the person
    started_on = models.DateField(_("started on"))
    first_approved_on = models.DateField(_("subsidy first approved on"))
    planned_end = models.DateField(_("planned end"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=12, choices=PlacementEndReason.choices, blank=True)

    objects: ClassVar[PlacementQuerySet] = PlacementQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on"]
        constraints = [
            # one active placement per post (a post is vacant again when its placement ends)
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(ended_on__isnull=True), name="placement_one_active_per_post"
            ),
            # one active placement per person (no 双岗)
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_on__isnull=True), name="placement_one_active_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("started_on")), name="placement_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="placement_ended_after_start",
            ),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="placement_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("posts:placement_detail", args=[self.public_id])

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class Contract(TimeStampedModel):
    """The labour contract of a placement, signed by the post's employer (S8); HR records the filings."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    placement = models.OneToOneField(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="contract"
    )
    employer = models.ForeignKey(
        "regions.Organization", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    monthly_wage = models.DecimalField(_("monthly wage"), max_digits=9, decimal_places=2)
    wage_basis = models.TextField(_("wage basis"))  # the dated parameters that decided the wage
    # The same rows, for the sentence the contract prints (policy.citations.wage_sentence). Policy
    # rows are never edited or deleted, so the contract always cites what decided its wage.
    wage_parameters = models.ManyToManyField(
        "policy.PolicyParameter", verbose_name=_("wage parameters"), blank=True, related_name="+"
    )
    employment_registered_on = models.DateField(_("employment registration (就业登记) on"), null=True, blank=True)
    hiring_filed_on = models.DateField(_("hiring filing (用工备案) on"), null=True, blank=True)

    objects: ClassVar[ScopedQuerySet[Contract]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="contract_end_after_start"
            ),
            models.CheckConstraint(condition=models.Q(monthly_wage__gt=0), name="contract_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{_('Contract')} {self.placement}"

    def get_absolute_url(self) -> str:
        return reverse("posts:placement_detail", args=[self.placement.public_id])
