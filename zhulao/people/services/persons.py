"""Persons: registration and updates, with the ID number, phone and bank account validated and encrypted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.core import clock, crypto, pii
from zhulao.core.actions import Action
from zhulao.core.audit import diff, record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import ensure_scope
from zhulao.people.choices import Sex
from zhulao.people.models import Person
from zhulao.people.services import routing
from zhulao.regions.choices import RegionLevel
from zhulao.regions.models import Region
from zhulao.rules import masking
from zhulao.rules.idcard import IdNumberError, parse_id_number

# Fields that are masked in audit diffs and can be unmasked (for a reason, counted and audited).
SENSITIVE = {
    "id_number": "id_number",
    "phone": "phone",
    "bank_account": "bank_account",
    "disability_certificate": "disability_certificate",
}
# The masked copy's column width (an 18-character ID number + 2 digits, with room for older formats).
DISABILITY_CERTIFICATE_MAX = 30
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


def refuse_id_numbers(text: str, *, field: str) -> None:
    """Free text is stored as typed (not encrypted): refuse an ID number in it, naming the field."""
    if pii.id_numbers_in(text, today=clock.today()):
        raise DomainError(
            "id_number_in_text",
            _("Do not write an ID number here: this text is not encrypted. Use the ID number fields."),
            field=field,
        )


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
    if len("".join(data.disability_certificate.split())) > DISABILITY_CERTIFICATE_MAX:
        raise DomainError(
            "certificate_too_long",
            _("The disability certificate number has at most %(n)d characters.") % {"n": DISABILITY_CERTIFICATE_MAX},
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
    refuse_id_numbers(data.notes, field="notes")
    refuse_id_numbers(data.retirement_track_reason, field="retirement_track_reason")
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
    certificate = "".join(data.disability_certificate.split()).upper()
    person.disability_certificate = certificate
    person.disability_certificate_masked = masking.mask_disability_certificate(certificate)
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


class _HeldElsewhere(Exception):
    """The ID number belongs to a person out of the actor's reach (raised inside, routed outside, the
    write's transaction)."""

    def __init__(self, person: Person, entered_in: str) -> None:
        super().__init__("held elsewhere")
        self.person = person
        self.entered_in = entered_in


def _refuse_duplicate(actor: User | None, existing: Person, entered_in: str, message: Any) -> None:
    if not routing.in_reach(actor, existing):
        raise _HeldElsewhere(existing, entered_in)
    raise DomainError("duplicate_person", message, field="id_number")


def person_create(*, actor: User | None, data: PersonData) -> Person:
    """Register a person; one person per ID number (checked through the blind index).

    A number already registered within the actor's reach is refused with the person's name; one held
    out of reach is refused without any hint of whom or where, and routed to the holding county
    (``routing.person_route_held_elsewhere``, written after the refused write rolled back)."""
    try:
        return _person_create(actor=actor, data=data)
    except _HeldElsewhere as held:
        routing.person_route_held_elsewhere(actor=actor, person=held.person, entered_in=held.entered_in)
        raise routing.unavailable() from None


@transaction.atomic
def _person_create(*, actor: User | None, data: PersonData) -> Person:
    ensure_scope(actor, Action.PERSON_EDIT, data.region.code)
    person = Person()
    _apply(person, data)
    existing = Person.objects.filter(id_number_index=person.id_number_index).first()
    if existing is not None:
        message = _("A person with this ID number is already registered (%(name)s).") % {"name": existing.name}
        _refuse_duplicate(actor, existing, data.region.code, message)
    person.full_clean(exclude=["id_number", "phone", "bank_account", "disability_certificate"])
    person.save()
    record_event(
        actor=actor,
        action="person.create",
        obj=person,
        region_code=person.region_id,
        changes=diff({}, _values(person), sensitive=SENSITIVE),
    )
    return person


def person_update(*, actor: User | None, person: Person, data: PersonData) -> Person:
    """Change a person's record; a new ID number held by another person is refused like in ``person_create``."""
    try:
        return _person_update(actor=actor, person=person, data=data)
    except _HeldElsewhere as held:
        routing.person_route_held_elsewhere(actor=actor, person=held.person, entered_in=held.entered_in)
        raise routing.unavailable() from None


@transaction.atomic
def _person_update(*, actor: User | None, person: Person, data: PersonData) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    ensure_scope(actor, Action.PERSON_EDIT, data.region.code)
    before = _values(person)
    _apply(person, data)
    clash = Person.objects.filter(id_number_index=person.id_number_index).exclude(pk=person.pk).first()
    if clash is not None:
        _refuse_duplicate(actor, clash, data.region.code, _("Another person already has this ID number."))
    changes = diff(before, _values(person), sensitive=SENSITIVE)
    if not changes:
        return person
    person.full_clean(exclude=["id_number", "phone", "bank_account", "disability_certificate"])
    person.save()
    record_event(actor=actor, action="person.update", obj=person, region_code=person.region_id, changes=changes)
    return person
