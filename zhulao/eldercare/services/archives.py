"""Archives and capability assessments (S13): each change audited with a masked diff."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import diff, record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import ensure_scope
from zhulao.eldercare.choices import AssessmentReason, ElderCategory
from zhulao.eldercare.models import CapabilityAssessment, ElderArchive, EmergencyContact, HouseholdArchive
from zhulao.people.models import Person
from zhulao.people.services import normalize_phone
from zhulao.rules import capability, masking
from zhulao.rules.dates import add_months

FLAG_CATEGORIES = frozenset(c for c in ElderCategory.values if c != ElderCategory.ADVANCED_AGE)
TEXT_FIELDS = ("living_conditions", "psychological_state", "spiritual_needs", "service_needs")


def _clean_categories(categories: list[str]) -> list[str]:
    unknown = set(categories) - FLAG_CATEGORIES
    if unknown:
        raise DomainError(
            "invalid_category", _("Unknown categories: %(c)s") % {"c": ", ".join(sorted(unknown))}, field="categories"
        )
    return sorted(set(categories))


@transaction.atomic
def archive_create(*, actor: Any, person: Person, categories: list[str], **texts: str) -> ElderArchive:
    """一人一档 for a person (and 一户一档 for their household, created once)."""
    ensure_scope(actor, Action.ARCHIVE_EDIT, person.region_id)
    if ElderArchive.objects.filter(person=person).exists():
        raise DomainError("archive_exists", _("This person already has an archive."))
    household_archive = None
    if person.household_id is not None:
        household_archive, _created = HouseholdArchive.objects.get_or_create(
            household_id=person.household_id,
            defaults={"region_id": person.household.region_id},  # type: ignore[union-attr]
        )
    archive = ElderArchive(
        person=person,
        household_archive=household_archive,
        region=person.region,
        categories=_clean_categories(categories),
        **{k: v.strip() for k, v in texts.items() if k in TEXT_FIELDS},
    )
    archive.full_clean()
    archive.save()
    record_event(
        actor=actor,
        action="archive.create",
        obj=archive,
        region_code=archive.region_id,
        changes={"categories": [None, archive.categories]},
    )
    return archive


@transaction.atomic
def archive_update(*, actor: Any, archive: ElderArchive, categories: list[str], **texts: str) -> ElderArchive:
    archive = ElderArchive.objects.select_for_update().get(pk=archive.pk)
    ensure_scope(actor, Action.ARCHIVE_EDIT, archive.region_id)
    before = {"categories": archive.categories, **{f: getattr(archive, f) for f in TEXT_FIELDS}}
    archive.categories = _clean_categories(categories)
    for field in TEXT_FIELDS:
        if field in texts:
            setattr(archive, field, texts[field].strip())
    after = {"categories": archive.categories, **{f: getattr(archive, f) for f in TEXT_FIELDS}}
    changes = diff(before, after)
    if not changes:
        return archive
    archive.save()
    record_event(actor=actor, action="archive.update", obj=archive, region_code=archive.region_id, changes=changes)
    return archive


@transaction.atomic
def contact_add(*, actor: Any, archive: ElderArchive, name: str, relation: str, phone: str) -> EmergencyContact:
    ensure_scope(actor, Action.ARCHIVE_EDIT, archive.region_id)
    number = normalize_phone(phone)
    if not name.strip() or not number:
        raise DomainError("contact_incomplete", _("Give the contact's name and phone."), field="name")
    contact = EmergencyContact.objects.create(
        archive=archive,
        name=name.strip(),
        relation=relation.strip(),
        phone=number,
        phone_masked=masking.mask_phone(number),
    )
    record_event(
        actor=actor,
        action="archive.contact_add",
        obj=archive,
        region_code=archive.region_id,
        changes={"contact": [None, masking.mask_phone(number)]},
    )
    return contact


def capability_rules(*, on: date) -> capability.CapabilityRules:
    resolved = policy.resolve("capability.adjustments", on=on)
    value = resolved.value
    return capability.CapabilityRules(
        risk_event_threshold=int(value["risk_event_threshold"]),
        risk_window_days=int(value["risk_window_days"]),
        stack_raises=bool(value["stack_raises"]),
        cites=(resolved.cite(),),
    )


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    archive: ElderArchive,
    scores: dict[str, int],
    reason: str,
    coma: bool = False,
    dementia_or_mental_disorder: bool = False,
    risk_events: int = 0,
    assessed_on: date | None = None,
) -> CapabilityAssessment:
    """Record a GB/T 42195-2022 assessment; the level and its explanation come from ``rules.capability``."""
    ensure_scope(actor, Action.ASSESSMENT_RECORD, archive.region_id)
    day = assessed_on or clock.today()
    if day > clock.today():
        raise DomainError("future_date", _("The assessment date is in the future."), field="assessed_on")
    if reason not in AssessmentReason.values:
        raise DomainError("invalid_reason", _("Choose the reason for the assessment."), field="reason")
    try:
        result = capability.assess(
            scores,
            coma=coma,
            dementia_or_mental_disorder=dementia_or_mental_disorder,
            risk_events_in_window=risk_events,
            rules=capability_rules(on=day),
        )
    except capability.ScoreSheetError as exc:
        chinese = (translation.get_language() or "zh-hans").startswith("zh")
        raise DomainError("invalid_scores", exc.message_zh if chinese else exc.message_en, field="scores") from exc
    except ValueError as exc:
        raise DomainError("invalid_scores", str(exc), field="scores") from exc
    months = int(policy.value("capability.validity_months", on=day))
    assessment = CapabilityAssessment.objects.create(
        archive=archive,
        assessed_on=day,
        reason=reason,
        scores=dict(scores),
        coma=coma,
        dementia_or_mental_disorder=dementia_or_mental_disorder,
        risk_events=risk_events,
        total=result.total,
        preliminary_level=int(result.preliminary_level),
        final_level=int(result.final_level),
        explanation=result.reason_zh,
        valid_until=add_months(day, months),
        assessor=actor,
    )
    record_event(
        actor=actor,
        action="assessment.record",
        obj=archive,
        region_code=archive.region_id,
        changes={"level": [None, int(result.final_level)], "total": [None, result.total]},
    )
    return assessment
