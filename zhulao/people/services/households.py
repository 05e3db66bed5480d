"""Households, their members and target-group evidence."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core.actions import Action
from zhulao.core.audit import diff, record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import ensure_scope
from zhulao.people.choices import HOUSEHOLD_CATEGORIES, Category, Relation
from zhulao.people.models import Evidence, Household, Person
from zhulao.people.services.persons import SENSITIVE, refuse_id_numbers  # noqa: F401
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import masking


@transaction.atomic
def household_create(
    *, actor: User | None, region: Region, registration_number: str = "", address: str = ""
) -> Household:
    ensure_scope(actor, Action.PERSON_EDIT, region.code)
    if region.level != RegionLevel.VILLAGE:
        raise DomainError("not_a_village", _("Choose a village or community."), field="region")
    refuse_id_numbers(registration_number, field="registration_number")
    refuse_id_numbers(address, field="address")
    household = Household(region=region, registration_number=registration_number.strip(), address=address.strip())
    household.full_clean()
    household.save()
    record_event(actor=actor, action="household.create", obj=household, region_code=region.code)
    return household


@transaction.atomic
def household_set_member(*, actor: User | None, household: Household, person: Person, relation: str) -> Person:
    """Put ``person`` in ``household`` with ``relation``; a household has one head."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_scope(actor, Action.PERSON_EDIT, household.region_id)
    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    if relation not in Relation.values:
        raise DomainError("invalid_relation", _("Unknown relation."), field="relation")
    if relation == Relation.HEAD and household.members.filter(relation=Relation.HEAD).exclude(pk=person.pk).exists():
        raise DomainError("head_exists", _("This household already has a head."), field="relation")
    before = {"household_id": person.household_id, "relation": person.relation}
    person.household = household
    person.relation = relation
    changes = diff(before, {"household_id": household.pk, "relation": relation})
    if changes:
        person.save(update_fields=["household", "relation", "updated_at"])
        record_event(actor=actor, action="household.member", obj=person, region_code=person.region_id, changes=changes)
    return person


@transaction.atomic
def household_remove_member(*, actor: User | None, person: Person, reason: str) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    if person.household_id is None:
        return person
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    before = {"household_id": person.household_id, "relation": person.relation}
    person.household = None
    person.relation = ""
    person.save(update_fields=["household", "relation", "updated_at"])
    record_event(
        actor=actor,
        action="household.member_remove",
        obj=person,
        region_code=person.region_id,
        changes=diff(before, {"household_id": None, "relation": ""}),
        reason=reason,
    )
    return person


# The masked copy's column width (the certificate number itself is encrypted, of any length).
CERTIFICATE_NUMBER_MAX = 60


@transaction.atomic
def evidence_add(
    *,
    actor: User | None,
    category: str,
    valid_from: date,
    valid_until: date | None = None,
    person: Person | None = None,
    household: Household | None = None,
    certificate_number: str = "",
    issuing_department: str = "",
) -> Evidence:
    """Record verified proof of a category. Household categories go on the household, others on the person."""
    if category not in Category.values:
        raise DomainError("invalid_category", _("Unknown category."), field="category")
    if category in HOUSEHOLD_CATEGORIES:
        if household is None and person is not None:
            household = person.household
        if household is None:
            raise DomainError(
                "household_required",
                _("This category belongs to a household: put the person in a household first."),
                field="category",
            )
        person = None
    elif person is None:
        raise DomainError("person_required", _("This category belongs to a person."), field="category")
    region_code = person.region_id if person is not None else household.region_id  # type: ignore[union-attr]
    ensure_scope(actor, Action.EVIDENCE_VERIFY, region_code)
    if not certificate_number.strip() and not issuing_department.strip():
        raise DomainError(
            "source_required",
            _("Give the certificate number or the issuing department."),
            field="certificate_number",
        )
    if len(certificate_number.strip()) > CERTIFICATE_NUMBER_MAX:
        raise DomainError(
            "certificate_too_long",
            _("The certificate number has at most %(n)d characters.") % {"n": CERTIFICATE_NUMBER_MAX},
            field="certificate_number",
        )
    if valid_until is not None and valid_until < valid_from:
        raise DomainError("bad_dates", _("'Valid until' is before 'valid from'."), field="valid_until")
    evidence = Evidence(
        person=person,
        household=household,
        category=category,
        certificate_number=certificate_number.strip(),
        certificate_number_masked=masking.mask_id_numbers_in_text(certificate_number.strip()),
        issuing_department=issuing_department.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        verified_by=actor,
        verified_at=timezone.now(),
        region_id=region_code,
    )
    evidence.full_clean()
    evidence.save()
    record_event(
        actor=actor,
        action="evidence.add",
        obj=evidence,
        region_code=region_code,
        changes={"category": [None, category], "valid_until": [None, valid_until]},
    )
    return evidence


@transaction.atomic
def evidence_withdraw(*, actor: User | None, evidence: Evidence, reason: str) -> Evidence:
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    ensure_scope(actor, Action.EVIDENCE_VERIFY, evidence.region_id)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if evidence.withdrawn_at is not None:
        return evidence
    evidence.withdrawn_at = timezone.now()
    evidence.save(update_fields=["withdrawn_at", "updated_at"])
    record_event(actor=actor, action="evidence.withdraw", obj=evidence, region_code=evidence.region_id, reason=reason)
    return evidence
