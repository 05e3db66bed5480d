"""Emergencies with an escalation ladder (S16), family confirmations of visits, and notifications."""

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
from zhulao.eldercare.choices import EmergencyKind, EscalationLevel


class Emergency(TimeStampedModel):
    """An emergency of an elder: reported, acknowledged up the ladder, referred (120/110), closed."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    archive = models.ForeignKey("eldercare.ElderArchive", on_delete=models.PROTECT, related_name="emergencies")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=EmergencyKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=EscalationLevel.choices)
    level_since = models.DateTimeField(_("at this level since"))
    deadline = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral_120 = models.BooleanField(_("120 called"), default=False)
    referral_110 = models.BooleanField(_("110 called"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects: ClassVar[ScopedQuerySet[Emergency]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(outcome=""), name="emergency_closed_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.archive}"

    def get_absolute_url(self) -> str:
        return reverse("emergencies:detail", args=[self.public_id])


STEP_LABELS = {
    "reported": _("Reported"),
    "acknowledged": _("Acknowledged"),
    "escalated": _("Escalated to the next level"),
    "referral_120": _("Called 120"),
    "referral_110": _("Called 110"),
    "closed": _("Closed with the outcome"),
}


class EmergencyStep(models.Model):
    """Each event of an emergency: reported, acknowledged, escalated, referred, closed (the chain of who knew)."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20)
    level = models.CharField(_("level"), max_length=10, choices=EscalationLevel.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("emergency step")
        verbose_name_plural = _("emergency steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """The step's name in the page language (the stored code when it is not a known step)."""
        return str(STEP_LABELS.get(self.action, self.action))


class FamilyConfirmation(models.Model):
    """A short link (and QR code) the family opens without login to confirm a visit and rate it."""

    visit = models.OneToOneField("eldercare.Visit", on_delete=models.CASCADE, related_name="confirmation")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    happened = models.BooleanField(_("the visit happened"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("family confirmation")
        verbose_name_plural = _("family confirmations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)), name="confirmation_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.confirmed_at or ''}"


class Notification(models.Model):
    """An in-app notification (escalations, new needs, overdue visits, to-dos) for one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            # unread count in the navigation bar
            models.Index(fields=["user", "read_at"], name="notification_user_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """A message to send through an outbound channel (email by default, SMS adapter), retried by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("channel"), max_length=10)
    to_address = EncryptedTextField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # send_outbox: pending messages whose time has come
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.subject}"


class ConfirmationCall(models.Model):
    """A visit drawn in the monthly random sample of a township, for a confirmation call by the village."""

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("Visit confirmed")
        DENIED = "denied", _("Visit denied")
        UNREACHABLE = "unreachable", _("Could not reach the family")

    visit = models.OneToOneField("eldercare.Visit", on_delete=models.CASCADE, related_name="confirmation_call")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # first day of the sampled month
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects: ClassVar[ScopedQuerySet[ConfirmationCall]] = ScopedQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("confirmation call")
        verbose_name_plural = _("confirmation calls")
        ordering = ["-month", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.result or '-'}"
