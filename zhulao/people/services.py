"""Every write to the people registry: persons, households, evidence, merges and unmasking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.core import clock, crypto
from zhulao.core.actions import Action
from zhulao.core.audit import diff, record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope, require_action
from zhulao.people.choices import HOUSEHOLD_CATEGORIES, Category, Relation, Sex
from zhulao.people.models import Evidence, Household, Person, UnmaskLog
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import masking
from zhulao.rules.idcard import IdNumberError, parse_id_number

SENSITIVE = {"id_number": "id_number", "phone": "phone", "bank_account": "bank_account"}
AUDITED_FIELDS = [
    "name",
    "id_number",
    "phone",
    "bank_account",
    "region_id",
    "hukou_region_code",
    "urban_rural_code",
    "retirement_track",
    "disability_certificate",
    "disability_grade",
    "employment_registration",
    "employment_registered_on",
    "employment_status",
    "willing_to_work",
    "able_to_work",
    "household_id",
    "relation",
]


def normalize_phone(raw: str) -> str:
    """Digits only, without a +86 / 0086 prefix; empty stays empty. Refuses what is not a phone."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if digits and (not digits.isdigit() or not 7 <= len(digits) <= 12):
        raise DomainError("invalid_phone", _("Phone number %(value)s is not valid.") % {"value": raw}, field="phone")
    return digits


def normalize_bank_account(raw: str) -> str:
    digits = re.sub(r"\s", "", raw or "")
    if digits and (not digits.isdigit() or not 12 <= len(digits) <= 30):
        raise DomainError("invalid_bank_account", _("The bank account number is not valid."), field="bank_account")
    return digits


def validate_id_number(raw: str, *, today: date | None = None) -> Any:
    try:
        return parse_id_number(raw, today=today or clock.today())
    except IdNumberError as exc:
        message = exc.message_zh if translation_is_chinese() else exc.message_en
        raise DomainError(f"id_{exc.code}", message, field="id_number") from exc


def translation_is_chinese() -> bool:
    from django.utils import translation

    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def default_track(sex: str, on: date | None = None) -> str:
    if sex == Sex.MALE:
        return "male"
    return str(policy.value("people.default_female_track", on=on))


@dataclass
class PersonData:
    """What a form, the API or an import row supplies for a person."""

    name: str
    id_number: str
    region: Region
    hukou_region_code: str = ""
    phone: str = ""
    bank_account: str = ""
    retirement_track: str = ""
    retirement_track_reason: str = ""
    urban_rural_code: str = ""
    disability_certificate: str = ""
    disability_grade: int | None = None
    employment_registration: str = ""
    employment_registered_on: date | None = None
    employment_status: str = "unemployed"
    willing_to_work: bool | None = None
    able_to_work: bool | None = None
    notes: str = ""


def _values(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in AUDITED_FIELDS}


def _apply(person: Person, data: PersonData) -> None:
    parsed = validate_id_number(data.id_number)
    if not data.name.strip():
        raise DomainError("name_required", _("A name is required."), field="name")
    if data.region.level != RegionLevel.VILLAGE:
        raise DomainError("not_a_village", _("Choose a village or community."), field="region")
    hukou = (data.hukou_region_code or data.region.code).strip()
    if not (hukou.isdigit() and len(hukou) == 12):
        raise DomainError(
            "invalid_hukou_code",
            _("The registration region code must have 12 digits."),
            field="hukou_region_code",
        )
    urban_rural = data.urban_rural_code
    if not urban_rural:
        registered = Region.objects.filter(code=hukou).values_list("urban_rural_code", flat=True).first()
        urban_rural = registered or ""
    if data.disability_grade is not None and not data.disability_certificate.strip():
        raise DomainError(
            "certificate_required",
            _("A disability grade needs the certificate number."),
            field="disability_certificate",
        )
    track = data.retirement_track or person.retirement_track or default_track(parsed.sex)
    if parsed.sex == Sex.MALE and track != "male":
        raise DomainError("track_mismatch", _("Men are on the male retirement track."), field="retirement_track")
    if parsed.sex == Sex.FEMALE and track == "male":
        raise DomainError("track_mismatch", _("Choose a women's retirement track."), field="retirement_track")
    changing_track = person.pk is not None and person.retirement_track and track != person.retirement_track
    default = track == default_track(parsed.sex)
    if (changing_track or (person.pk is None and not default)) and not data.retirement_track_reason.strip():
        raise DomainError(
            "track_reason_required",
            _("Changing the retirement track from the default needs a reason."),
            field="retirement_track_reason",
        )
    phone = normalize_phone(data.phone)
    bank = normalize_bank_account(data.bank_account)
    person.name = data.name.strip()
    person.id_number = parsed.number
    person.id_number_index = crypto.blind_index("id_number", parsed.number)
    person.id_number_masked = masking.mask_id_number(parsed.number)
    person.sex = parsed.sex
    person.birth_date = parsed.birth_date
    person.retirement_track = track
    if data.retirement_track_reason.strip():
        person.retirement_track_reason = data.retirement_track_reason.strip()
    person.phone = phone
    person.phone_index = crypto.blind_index("phone", phone) if phone else ""
    person.phone_masked = masking.mask_phone(phone) if phone else ""
    person.bank_account = bank
    person.bank_account_index = crypto.blind_index("bank_account", bank) if bank else ""
    person.bank_account_masked = masking.mask_bank_account(bank) if bank else ""
    person.region = data.region
    person.hukou_region_code = hukou
    person.urban_rural_code = urban_rural
    person.disability_certificate = data.disability_certificate.strip()
    person.disability_grade = data.disability_grade
    person.employment_registration = data.employment_registration
    person.employment_registered_on = data.employment_registered_on
    person.employment_status = data.employment_status
    person.willing_to_work = data.willing_to_work
    person.able_to_work = data.able_to_work
    person.notes = data.notes


def find_by_id_number(raw: str) -> Person | None:
    parsed = validate_id_number(raw)
    return Person.objects.filter(id_number_index=crypto.blind_index("id_number", parsed.number)).first()


@transaction.atomic
def person_create(*, actor: User | None, data: PersonData) -> Person:
    """Register a person; one person per ID number (checked through the blind index)."""
    ensure_scope(actor, Action.PERSON_EDIT, data.region.code)
    person = Person()
    _apply(person, data)
    existing = Person.objects.filter(id_number_index=person.id_number_index).first()
    if existing is not None:
        raise DomainError(
            "duplicate_person",
            _("A person with this ID number is already registered (%(name)s).") % {"name": existing.name},
            field="id_number",
        )
    person.full_clean(exclude=["id_number", "phone", "bank_account"])
    person.save()
    record_event(
        actor=actor,
        action="person.create",
        obj=person,
        region_code=person.region_id,
        changes=diff({}, _values(person), sensitive=SENSITIVE),
    )
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, data: PersonData) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    ensure_scope(actor, Action.PERSON_EDIT, data.region.code)
    before = _values(person)
    _apply(person, data)
    clash = Person.objects.filter(id_number_index=person.id_number_index).exclude(pk=person.pk).first()
    if clash is not None:
        raise DomainError("duplicate_person", _("Another person already has this ID number."), field="id_number")
    changes = diff(before, _values(person), sensitive=SENSITIVE)
    if not changes:
        return person
    person.full_clean(exclude=["id_number", "phone", "bank_account"])
    person.save()
    record_event(actor=actor, action="person.update", obj=person, region_code=person.region_id, changes=changes)
    return person


@transaction.atomic
def household_create(
    *, actor: User | None, region: Region, registration_number: str = "", address: str = ""
) -> Household:
    ensure_scope(actor, Action.PERSON_EDIT, region.code)
    if region.level != RegionLevel.VILLAGE:
        raise DomainError("not_a_village", _("Choose a village or community."), field="region")
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
    if valid_until is not None and valid_until < valid_from:
        raise DomainError("bad_dates", _("'Valid until' is before 'valid from'."), field="valid_until")
    evidence = Evidence(
        person=person,
        household=household,
        category=category,
        certificate_number=certificate_number.strip(),
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


# Relations that keep pointing at the merged record (history, not references to move).
_MERGE_KEEP = {("people", "unmasklog")}


@transaction.atomic
def person_merge(*, actor: User | None, keep: Person, duplicate: Person, reason: str) -> Person:
    """Merge a record entered twice by mistake: every reference moves to ``keep``; ``duplicate`` is kept,
    marked as merged, for the record."""
    if keep.pk == duplicate.pk:
        raise DomainError("same_person", _("Choose two different records."))
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    ensure_scope(actor, Action.PERSON_MERGE, keep.region_id)
    ensure_scope(actor, Action.PERSON_MERGE, duplicate.region_id)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise DomainError("already_merged", _("One of the records has already been merged."))
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if isinstance(model, str):  # pragma: no cover - only "self", handled by merged_into below
            continue
        label = (model._meta.app_label, model._meta.model_name)
        if label in _MERGE_KEEP or relation.remote_field.name == "merged_into" or relation.many_to_many:
            continue
        count = model._default_manager.filter(**{relation.remote_field.name: duplicate}).update(
            **{relation.remote_field.name: keep}
        )
        if count:
            moved[model._meta.label_lower] = count
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record_event(
        actor=actor,
        action="person.merge",
        obj=keep,
        region_code=keep.region_id,
        changes={"merged": [None, str(duplicate.public_id)], "moved": [None, moved]},
        reason=reason,
    )
    return keep


@transaction.atomic
def person_unmask(*, actor: User, person: Person, field: str, reason: str) -> str:
    """The full value of a sensitive field, for a typed reason; counted against a daily quota and audited."""
    if field not in SENSITIVE:
        raise DomainError("invalid_field", _("This field cannot be unmasked."))
    ensure_scope(actor, Action.PERSON_UNMASK, person.region_id)
    if len(reason.strip()) < 4:
        raise DomainError("reason_required", _("Say why you need the full value."), field="reason")
    today = clock.today()
    User.objects.select_for_update().filter(pk=actor.pk).first()  # serialise one user's quota checks
    used = UnmaskLog.objects.filter(user=actor, day=today).count()
    if used >= settings.UNMASK_QUOTA:
        raise Forbidden(
            "unmask_quota",
            _("You have used today's %(n)d full-value views. Try again tomorrow.") % {"n": settings.UNMASK_QUOTA},
        )
    UnmaskLog.objects.create(user=actor, person=person, field=field, reason=reason.strip()[:200], day=today)
    record_event(
        actor=actor,
        action="person.unmask",
        obj=person,
        region_code=person.region_id,
        changes={"field": [None, field]},
        reason=reason.strip(),
    )
    return str(getattr(person, field))


@transaction.atomic
def person_link_user(*, actor: User | None, username: str, id_number: str, reason: str) -> Person:
    """Tie a login account to the account holder's own person record (by ID number), so that separation of
    duties knows the cadre's household, phone and bank account (S20). The system administrator does this;
    the record itself stays unseen by them (only the link is written and audited)."""
    if actor is not None:
        require_action(actor, Action.USER_MANAGE)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise DomainError("unknown_user", _("No account with this username."), field="username")
    person = find_by_id_number(id_number)
    if person is None:
        raise DomainError("unknown_person", _("No person with this ID number is registered."), field="id_number")
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise DomainError("already_linked", _("This account is already tied to another person."), field="username")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = person.user_id
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record_event(
        actor=actor,
        action="person.link_user",
        obj=person,
        region_code=person.region_id,
        changes={"user": [before, user.pk]},
        reason=reason,
    )
    return person


@transaction.atomic
def external_placement_add(
    *,
    actor: User | None,
    person: Person,
    post_name: str,
    employer_name: str,
    started_on: date,
    first_approved_on: date,
    source: str,
    ended_on: date | None = None,
) -> Any:
    """Record a public-welfare placement held outside this platform: it counts toward the cap of
    placements and the no-double-post rule (S6)."""
    from zhulao.people.models import ExternalPlacement

    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    if not (post_name.strip() and employer_name.strip() and source.strip()):
        raise DomainError("fields_required", _("Give the post, the employer and the source."), field="post_name")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("bad_dates", _("The end is before the start."), field="ended_on")
    if first_approved_on > started_on:
        raise DomainError("bad_dates", _("The subsidy cannot be approved after the start."), field="first_approved_on")
    placement = ExternalPlacement(
        person=person,
        post_name=post_name.strip(),
        employer_name=employer_name.strip(),
        started_on=started_on,
        ended_on=ended_on,
        first_approved_on=first_approved_on,
        source=source.strip(),
        region_id=person.region_id,
    )
    placement.full_clean()
    placement.save()
    record_event(
        actor=actor,
        action="person.external_placement",
        obj=person,
        region_code=person.region_id,
        changes={"post": [None, post_name], "started_on": [None, started_on]},
    )
    return placement
