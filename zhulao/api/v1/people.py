"""People registry over JSON: masked reads, the same services for writes, eligibility explanations."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhulao.api.v1._common import Day, max_length
from zhulao.api.v1._common import actor as _actor
from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.querysets import require_action
from zhulao.people import eligibility, selectors, services
from zhulao.people.models import Evidence, Household, Person, UnmaskLog
from zhulao.regions import selectors as region_selectors
from zhulao.rules.eligibility import HukouType

router = Router()


class PersonOut(Schema):
    """Only masked values ever leave through the API; the full value needs the unmask endpoint.

    ``birth_date`` is given only on the detail of a person whose region the caller may unmask, and is
    ``null`` otherwise: beside the region and sex it would narrow the ID number to 500 candidates
    (docs/permissions.md, "Masking"). ``birth_year`` is always given."""

    public_id: UUID
    name: str
    sex: str
    birth_year: int
    birth_date: date | None
    id_number_masked: str
    phone_masked: str
    disability_certificate_masked: str
    disability_grade: int | None
    region_code: str
    hukou_region_code: str
    urban_rural_code: str
    retirement_track: str
    employment_status: str
    household_id: UUID | None


def _out(p: Person, *, birth_date: bool = False) -> PersonOut:
    return PersonOut(
        public_id=p.public_id,
        name=p.name,
        sex=p.sex,
        birth_year=p.birth_date.year,
        birth_date=p.birth_date if birth_date else None,
        id_number_masked=p.id_number_masked,
        phone_masked=p.phone_masked,
        disability_certificate_masked=p.disability_certificate_masked,
        disability_grade=p.disability_grade,
        region_code=p.region_id,
        hukou_region_code=p.hukou_region_code,
        urban_rural_code=p.urban_rural_code,
        retirement_track=p.retirement_track,
        employment_status=p.employment_status,
        household_id=p.household.public_id if p.household else None,
    )


class PersonPage(Schema):
    count: int
    page: int
    results: list[PersonOut]


class PersonFilterIn(Schema):
    q: str = ""
    region: str = ""
    category: str = ""
    sex: str = ""
    page: int = 1


@router.get("/persons", response=PersonPage)
def person_list(request: HttpRequest, filters: Query[PersonFilterIn]) -> PersonPage:
    require_action(request.user, Action.PERSON_VIEW)  # a role without it: 403, as on the page
    rows = selectors.person_list(
        user=_actor(request),
        filters=selectors.PersonFilters(q=filters.q, region=filters.region, category=filters.category, sex=filters.sex),
    )
    page = Paginator(rows, 50).get_page(filters.page)
    return PersonPage(count=page.paginator.count, page=page.number, results=[_out(p) for p in page])


class PersonIn(Schema):
    name: str = max_length(Person, "name")
    id_number: str = Field(max_length=18)
    region_code: str = Field(max_length=12)
    hukou_region_code: str = max_length(Person, "hukou_region_code", "")
    phone: str = Field("", max_length=20)
    bank_account: str = Field("", max_length=30)
    retirement_track: str = max_length(Person, "retirement_track", "")
    retirement_track_reason: str = max_length(Person, "retirement_track_reason", "")
    disability_certificate: str = ""
    disability_grade: int | None = None
    employment_registration: str = ""
    employment_registered_on: Day | None = None
    employment_status: str = "unemployed"
    willing_to_work: bool | None = None
    able_to_work: bool | None = None
    notes: str = ""


def _data(payload: PersonIn) -> services.PersonData:
    values = payload.dict()
    region = region_selectors.region_resolve(values.pop("region_code"))
    return services.PersonData(region=region, **values)


@router.post("/persons", response={201: PersonOut})
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    return Status(201, _out(services.person_create(actor=_actor(request), data=_data(payload))))


@router.get("/persons/{public_id}", response=PersonOut)
def person_detail(request: HttpRequest, public_id: UUID) -> PersonOut:
    actor = _actor(request)
    person = selectors.get_person_for_user(actor, public_id)
    return _out(person, birth_date=actor.can(Action.PERSON_UNMASK, person.region_id))


@router.put("/persons/{public_id}", response=PersonOut)
def person_update(request: HttpRequest, public_id: UUID, payload: PersonIn) -> PersonOut:
    person = selectors.get_person_for_user(_actor(request), public_id, Action.PERSON_EDIT)
    return _out(services.person_update(actor=_actor(request), person=person, data=_data(payload)))


class CriterionOut(Schema):
    code: str
    status: str
    reason_zh: str
    reason_en: str
    cites: list[str]


class DecisionOut(Schema):
    on: date
    status: str
    criteria: list[CriterionOut]
    categories: list[str]
    priority_group: int
    priority_zh: str
    priority_en: str
    planned_end: date | None  # null for a caller without the unmask permission (docs/permissions.md)


@router.get("/persons/{public_id}/eligibility", response=DecisionOut)
def person_eligibility(
    request: HttpRequest, public_id: UUID, on: Day | None = None, hukou_types: str = ""
) -> DecisionOut:
    """The line-by-line decision on ``on`` (default today; another day needs the unmask permission, never
    before the person's birth); ``hukou_types``: comma list of city, province, poverty_labour."""
    actor = _actor(request)
    person = selectors.get_person_for_user(actor, public_id, Action.ELIGIBILITY_VIEW)
    try:
        allowed = [HukouType(t) for t in hukou_types.split(",") if t] or None
    except ValueError as exc:
        raise DomainError("invalid_hukou_type", "Unknown registration type.", field="hukou_types") from exc
    d = eligibility.decide_for_viewer(viewer=actor, person=person, on=on, allowed=allowed)
    return DecisionOut(
        on=d.on,
        status=str(d.status),
        criteria=[
            CriterionOut(
                code=c.code,
                status=str(c.status),
                reason_zh=c.reason_zh,
                reason_en=c.reason_en,
                cites=list(c.cites),
            )
            for c in d.criteria
        ],
        categories=sorted(str(c) for c in d.categories),
        priority_group=d.priority.group,
        priority_zh=d.priority.label_zh,
        priority_en=d.priority.label_en,
        # The planned end may be the retirement date (the birthday moved): only for a role that may unmask.
        planned_end=d.planned_end if actor.can(Action.PERSON_UNMASK, person.region_id) else None,
    )


class UnmaskIn(Schema):
    field: str = max_length(UnmaskLog, "field")
    reason: str = max_length(UnmaskLog, "reason")


class UnmaskOut(Schema):
    field: str
    value: str


@router.post("/persons/{public_id}/unmask", response=UnmaskOut)
def person_unmask(request: HttpRequest, public_id: UUID, payload: UnmaskIn) -> UnmaskOut:
    person = selectors.get_person_for_user(_actor(request), public_id, Action.PERSON_UNMASK)
    value = services.person_unmask(actor=_actor(request), person=person, field=payload.field, reason=payload.reason)
    return UnmaskOut(field=payload.field, value=value)


class EvidenceIn(Schema):
    category: str = max_length(Evidence, "category")
    valid_from: Day
    valid_until: Day | None = None
    certificate_number: str = max_length(Evidence, "certificate_number", "")
    issuing_department: str = max_length(Evidence, "issuing_department", "")


class EvidenceOut(Schema):
    id: int
    category: str
    valid_from: date
    valid_until: date | None
    on_household: bool


@router.post("/persons/{public_id}/evidence", response={201: EvidenceOut})
def evidence_add(request: HttpRequest, public_id: UUID, payload: EvidenceIn) -> Status[EvidenceOut]:
    person = selectors.get_person_for_user(_actor(request), public_id, Action.EVIDENCE_VERIFY)
    e = services.evidence_add(actor=_actor(request), person=person, **payload.dict())
    return Status(
        201,
        EvidenceOut(
            id=e.pk,
            category=e.category,
            valid_from=e.valid_from,
            valid_until=e.valid_until,
            on_household=e.household_id is not None,
        ),
    )


class MergeIn(Schema):
    duplicate_id: UUID
    reason: str


@router.post("/persons/{public_id}/merge", response=PersonOut)
def person_merge(request: HttpRequest, public_id: UUID, payload: MergeIn) -> PersonOut:
    actor = _actor(request)
    keep = selectors.get_person_for_user(actor, public_id, Action.PERSON_MERGE)
    duplicate = selectors.get_person_for_user(actor, payload.duplicate_id, Action.PERSON_MERGE)
    return _out(services.person_merge(actor=actor, keep=keep, duplicate=duplicate, reason=payload.reason))


class HouseholdIn(Schema):
    region_code: str = Field(max_length=12)
    registration_number: str = max_length(Household, "registration_number", "")
    address: str = max_length(Household, "address", "")


class HouseholdOut(Schema):
    public_id: UUID
    region_code: str
    registration_number: str
    zero_employment: bool | None


@router.post("/households", response={201: HouseholdOut})
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[HouseholdOut]:
    household = services.household_create(
        actor=_actor(request),
        region=region_selectors.region_resolve(payload.region_code),
        registration_number=payload.registration_number,
        address=payload.address,
    )
    return Status(
        201,
        HouseholdOut(
            public_id=household.public_id,
            region_code=household.region_id,
            registration_number=household.registration_number,
            zero_employment=None,
        ),
    )


class MemberIn(Schema):
    person_id: UUID
    relation: str


@router.post("/households/{public_id}/members", response=HouseholdOut)
def household_add_member(request: HttpRequest, public_id: UUID, payload: MemberIn) -> HouseholdOut:
    actor = _actor(request)
    household = selectors.get_household_for_user(actor, public_id, Action.PERSON_EDIT)
    person = selectors.get_person_for_user(actor, payload.person_id, Action.PERSON_EDIT)
    services.household_set_member(actor=actor, household=household, person=person, relation=payload.relation)
    return HouseholdOut(
        public_id=household.public_id,
        region_code=household.region_id,
        registration_number=household.registration_number,
        zero_employment=selectors.is_zero_employment(household, on=timezone.localdate()),
    )
