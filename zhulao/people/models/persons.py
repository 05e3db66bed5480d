"""Persons who may be hired as helpers (and, later, the elderly), with their evidence and history."""

from __future__ import annotations

import uuid
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao.core.fields import EncryptedTextField
from zhulao.core.models import TimeStampedModel
from zhulao.people.choices import (
    Category,
    EmploymentRegistration,
    EmploymentStatus,
    Relation,
    RetirementTrack,
    Sex,
)
from zhulao.people.querysets import EvidenceQuerySet, PersonQuerySet


class Person(TimeStampedModel):
    """A resident in the registry. The ID number, phone, bank account and disability certificate number
    are encrypted; lookups and uniqueness go through keyed blind indexes. ``__str__`` never shows them
    (SECURITY item 15)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_index = models.CharField(_("ID number index"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=24, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    retirement_track = models.CharField(_("retirement track"), max_length=10, choices=RetirementTrack.choices)
    retirement_track_reason = models.CharField(_("reason for the retirement track"), max_length=200, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(_("phone index"), max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone (masked)"), max_length=20, blank=True, editable=False)
    bank_account = EncryptedTextField(_("bank account"), blank=True)
    bank_account_index = models.CharField(
        _("bank account index"), max_length=64, blank=True, db_index=True, editable=False
    )
    bank_account_masked = models.CharField(_("bank account (masked)"), max_length=12, blank=True, editable=False)
    # Where the person lives and is managed: the scoping region.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("village / community"), on_delete=models.PROTECT, related_name="+"
    )
    # Current household-registration place (户籍地): decides 本市/本省, not the ID number's prefix.
    hukou_region_code = models.CharField(_("household registration region code"), max_length=12)
    # 城乡分类代码 of the registration village (POLICY §5.3): first digit 1 urban, 2 rural.
    urban_rural_code = models.CharField(_("urban/rural class"), max_length=3, blank=True)
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices, blank=True)
    # The certificate number is the holder's ID number + 2 digits: encrypted like it, shown masked.
    disability_certificate = EncryptedTextField(_("disability certificate number"), blank=True)
    disability_certificate_masked = models.CharField(
        _("disability certificate number (masked)"), max_length=30, blank=True, editable=False
    )
    disability_grade = models.PositiveSmallIntegerField(_("disability grade"), null=True, blank=True)
    employment_registration = models.CharField(
        _("employment registration"), max_length=12, choices=EmploymentRegistration.choices, blank=True
    )
    employment_registered_on = models.DateField(_("registered on"), null=True, blank=True)
    employment_status = models.CharField(
        _("employment status"),
        max_length=12,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.UNEMPLOYED,
    )
    willing_to_work = models.BooleanField(_("willing to work"), null=True, blank=True)
    able_to_work = models.BooleanField(_("able to work"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The person's own login account, if any (helpers, cadres): used by conflict-of-interest checks.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True) | models.Q(disability_grade__range=(1, 4)),
                name="person_disability_grade_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(hukou_region_code__regex=r"^[0-9]{12}$"),
                name="person_hukou_code_12_digits",
            ),
        ]
        indexes = [
            # person_list(): filter by village, by name
            models.Index(fields=["region", "name"], name="person_region_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.public_id])

    @property
    def is_urban(self) -> bool | None:
        return self.urban_rural_code[0] == "1" if self.urban_rural_code else None

    def age_on(self, day: date) -> int:
        from zhulao.rules.idcard import age_on

        return age_on(self.birth_date, day)


class Evidence(TimeStampedModel):
    """Proof of one target-group category, for a person or a whole household, with its validity.

    Expired evidence makes the criterion "unknown" until renewed (never silently "passed").
    """

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    # Free text that may hold an ID number (a disability certificate is one): encrypted, shown masked.
    certificate_number = EncryptedTextField(_("certificate number"), blank=True)
    certificate_number_masked = models.CharField(
        _("certificate number (masked)"), max_length=60, blank=True, editable=False
    )
    issuing_department = models.CharField(_("issuing department"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[EvidenceQuerySet] = EvidenceQuerySet.as_manager()  # type: ignore[assignment]

    region_field = "region__code"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["category", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(household__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(household__isnull=False)),
                name="evidence_person_xor_household",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="evidence_until_after_from",
            ),
            models.CheckConstraint(
                condition=~models.Q(certificate_number="") | ~models.Q(issuing_department=""),
                name="evidence_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.valid_from}–{self.valid_until or ''}"

    def is_valid_on(self, day: date) -> bool:
        return (
            self.withdrawn_at is None
            and self.valid_from <= day
            and (self.valid_until is None or self.valid_until >= day)
        )


class ExternalPlacement(TimeStampedModel):
    """A public-welfare placement recorded outside this platform (other posts, before go-live).

    Counts toward the 2-placement cap and the no-double-post rule (S6).
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="external_placements"
    )
    post_name = models.CharField(_("post"), max_length=100)
    employer_name = models.CharField(_("employer"), max_length=100)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    first_approved_on = models.DateField(_("subsidy first approved on"))
    source = models.CharField(_("source"), max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    region_field = "region__code"

    class Meta:
        verbose_name = _("external placement")
        verbose_name_plural = _("external placements")
        ordering = ["person_id", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="external_placement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_name} {self.started_on}"


class UnmaskLog(models.Model):
    """One full-value view of a person's sensitive field, with its reason (counted against a daily quota)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=30)
    reason = models.CharField(max_length=200)
    viewed_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("unmask log")
        verbose_name_plural = _("unmask logs")
        indexes = [
            # unmask quota: count of a user's views today
            models.Index(fields=["user", "day"], name="unmask_user_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} {self.viewed_at}"
