"""Dated policy parameters: every figure that drives money or eligibility, with its source."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    CONFIRMED = "CONFIRMED", _("Confirmed")
    INFERRED = "INFERRED", _("Inferred")
    UNCONFIRMED = "UNCONFIRMED", _("Unconfirmed")


class PolicyParameterQuerySet(models.QuerySet["PolicyParameter"]):
    """Bulk writes would bypass ``save``/``delete``: history is never edited, in bulk either."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Policy parameters are never edited in place; add a new dated row.")

    def delete(self) -> NoReturn:
        raise PermissionError("Policy parameters are never deleted; add a new dated row.")


class PolicyParameter(models.Model):
    """One dated value of a parameter for a region prefix ('' = everywhere).

    History is never edited: a change is a new row. ``policy.value()`` picks the row with the
    longest region prefix matching the region, then the latest ``effective_from`` on or before the
    day asked, then the latest recorded.
    """

    key = models.CharField(_("key"), max_length=80)
    region_prefix = models.CharField(_("region prefix"), max_length=12, blank=True)
    effective_from = models.DateField(_("effective from"))
    value = models.JSONField(_("value"))
    source = models.TextField(_("source"))
    confidence = models.CharField(_("status"), max_length=12, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)
    # The official document an official paper (contract, notice) cites for this value: its title
    # (without 《》), its number (文号) and the day it took effect. Empty: no official document is
    # known, and documents say the value is "as set on this platform". ``source`` stays the research
    # note for the administrators.
    document_title = models.CharField(_("document title"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document in force from"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[PolicyParameterQuerySet] = PolicyParameterQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region_prefix"

    class Meta:
        verbose_name = _("policy parameter")
        verbose_name_plural = _("policy parameters")
        ordering = ["key", "region_prefix", "-effective_from", "-id"]
        indexes = [
            # resolve(): all rows of one key
            models.Index(fields=["key", "effective_from"], name="policy_key_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region_prefix__regex=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$"),
                name="policy_region_prefix_is_a_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.region_prefix or '*'} {self.effective_from}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Policy parameters are never edited in place; add a new dated row.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Policy parameters are never deleted; add a new dated row.")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved and recorded")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParameterProposal(models.Model):
    """A new value of a key that needs a second person (maker–checker, e.g. ``facility.post_quota``).

    It waits until another system administrator with ``policy.edit`` over the prefix, never the proposer,
    approves it: only then is the ``PolicyParameter`` row recorded (``parameter``)."""

    key = models.CharField(_("key"), max_length=80)
    region_prefix = models.CharField(_("region prefix"), max_length=12, blank=True)
    effective_from = models.DateField(_("effective from"))
    value = models.JSONField(_("value"))
    source = models.TextField(_("source"))
    confidence = models.CharField(_("status"), max_length=12, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)
    document_title = models.CharField(_("document title"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document in force from"), null=True, blank=True)
    status = models.CharField(
        _("approval"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    parameter = models.OneToOneField(
        PolicyParameter,
        verbose_name=_("recorded value"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
    )

    region_field = "region_prefix"

    class Meta:
        verbose_name = _("proposed policy value")
        verbose_name_plural = _("proposed policy values")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("proposed_by")),
                name="policy_proposal_checker_is_not_maker",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(parameter__isnull=False),
                name="policy_proposal_approved_has_row",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.region_prefix or '*'} {self.effective_from} ({self.status})"
