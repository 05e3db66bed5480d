"""Services of the people registry (S4–S6): register, households, evidence, merge, unmask."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.people import eligibility, selectors, services
from zhulao.people.choices import Category, EmploymentStatus, Relation
from zhulao.people.models import Evidence, ExternalPlacement, Person, UnmaskLog
from zhulao.people.tests import factories as f
from zhulao.policy import services as policy_services
from zhulao.rules.eligibility import HukouType
from zhulao.rules.idcard import make_id_number

pytestmark = pytest.mark.usefixtures("policy")


def _id_ending_in_x(born: date = date(1979, 8, 8)) -> str:
    for seq in range(0, 1000, 2):
        number = make_id_number("350602", born, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives a check character X")  # pragma: no cover


def _audit_text() -> str:
    """Everything the audit trail holds, as one string."""
    rows = AuditEvent.objects.values_list("changes", "reason", "object_repr")
    return "\n".join(json.dumps(changes, ensure_ascii=False) + reason + repr_ for changes, reason, repr_ in rows)


# ------------------------------------------------------------------------------ person_create


def test_s4_village_registers_a_person_in_its_own_village_and_the_audit_holds_only_the_masked_id(regions, village_a):
    # given
    number = f.id_number(date(1980, 3, 15))
    # when
    person = f.make_person(regions["village_a"], actor=village_a, id_number=number, phone="13812345678")
    # then
    assert Person.objects.get() == person
    event = AuditEvent.objects.get(action="person.create")
    assert event.actor == village_a
    assert event.object_id == str(person.public_id)
    assert event.region_code == "350602100200"
    assert event.changes["id_number"] == [None, "350602" + "*" * 12]
    assert event.changes["phone"] == [None, "138****5678"]
    assert number not in _audit_text()
    assert "13812345678" not in _audit_text()


def test_s4_village_cannot_register_a_person_in_another_region(regions, village_a):
    with pytest.raises(Forbidden) as refused:
        f.make_person(regions["village_b"], actor=village_a)
    assert refused.value.code == "out_of_scope"
    assert not Person.objects.exists()


def test_s4_helper_cannot_register_a_person(regions, helper_a):
    with pytest.raises(Forbidden) as refused:
        f.make_person(regions["village_a"], actor=helper_a)
    assert refused.value.code == "forbidden"
    assert not Person.objects.exists()


def test_s4_wrong_check_digit_is_refused_naming_the_expected_character(regions, village_a):
    # given
    bad, right = f.with_wrong_check_digit(f.id_number())
    # when
    with pytest.raises(DomainError) as refused:
        f.make_person(regions["village_a"], actor=village_a, id_number=bad)
    # then
    assert (refused.value.code, refused.value.field) == ("id_check_digit", "id_number")
    assert f"应为 {right}" in str(refused.value)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"id_number": f.with_impossible_birth_date()}, "id_birth_date", "id_number"),
        (
            {"id_number": make_id_number("350602", timezone.localdate() + timedelta(days=400), 124)},
            "id_future_birth_date",
            "id_number",
        ),
        ({"phone": "12345"}, "invalid_phone", "phone"),
        ({"phone": "138-abcd-5678"}, "invalid_phone", "phone"),
        ({"bank_account": "62220202"}, "invalid_bank_account", "bank_account"),
        ({"disability_grade": 2}, "certificate_required", "disability_certificate"),
        (
            {"id_number": f.id_number(male=True), "retirement_track": "female50"},
            "track_mismatch",
            "retirement_track",
        ),
        ({"retirement_track": "male"}, "track_mismatch", "retirement_track"),
        ({"retirement_track": "female55"}, "track_reason_required", "retirement_track_reason"),
        ({"name": "  "}, "name_required", "name"),
        ({"hukou_region_code": "3506"}, "invalid_hukou_code", "hukou_region_code"),
    ],
)
def test_s4_bad_input_is_refused_on_its_field_and_nothing_is_written(regions, village_a, overrides, code, field):
    # when
    with pytest.raises(DomainError) as refused:
        f.make_person(regions["village_a"], actor=village_a, **overrides)
    # then
    assert (refused.value.code, refused.value.field) == (code, field)
    assert str(refused.value)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_s4_31_february_message_names_the_birth_date(regions, village_a):
    with pytest.raises(DomainError) as refused:
        f.make_person(regions["village_a"], actor=village_a, id_number=f.with_impossible_birth_date())
    assert "19900231" in str(refused.value)


def test_s4_one_person_per_id_number_also_when_typed_with_a_lower_case_x(regions, village_a, civil_affairs_a):
    # given
    number = _id_ending_in_x()
    first = f.make_person(regions["village_a"], actor=village_a, id_number=number)
    # when / then: the same number again, and with a lower-case x, from another user and village
    for again in (number, number[:17] + "x", " " + number.lower() + " "):
        with pytest.raises(DomainError) as refused:
            f.make_person(regions["village_a2"], actor=civil_affairs_a, id_number=again, name="重复")
        assert (refused.value.code, refused.value.field) == ("duplicate_person", "id_number")
    assert list(Person.objects.all()) == [first]
    assert AuditEvent.objects.filter(action="person.create").count() == 1


def test_s4_a_lower_case_x_is_stored_upper_case(regions, village_a):
    number = _id_ending_in_x()
    person = f.make_person(regions["village_a"], actor=village_a, id_number=number.lower())
    person.refresh_from_db()
    assert person.id_number == number
    assert person.id_number_masked == number[:6] + "*" * 12  # the check character is never shown
    assert services.find_by_id_number(number.lower()) == person


def test_s4_sex_and_birth_date_are_derived_from_the_id_number(regions, village_a):
    man = f.make_person(regions["village_a"], actor=village_a, id_number=f.id_number(date(1971, 12, 30), male=True))
    woman = f.make_person(regions["village_a"], actor=village_a, id_number=f.id_number(date(1985, 2, 28)))
    assert (man.sex, man.birth_date, man.retirement_track) == ("M", date(1971, 12, 30), "male")
    assert (woman.sex, woman.birth_date) == ("F", date(1985, 2, 28))


def test_s4_women_get_the_default_track_of_the_policy_table(regions, village_a):
    # given: the seeded default is the worker track (50)
    first = f.make_person(regions["village_a"], actor=village_a)
    assert first.retirement_track == "female50"
    # when: the policy table changes the default
    policy_services.parameter_add(
        actor=None,
        key="people.default_female_track",
        value="female55",
        effective_from=timezone.localdate() - timedelta(days=1),
        source="test notice",
        confidence="CONFIRMED",
    )
    # then
    assert f.make_person(regions["village_a"], actor=village_a).retirement_track == "female55"


def test_s4_a_woman_may_be_put_on_the_cadre_track_with_a_reason(regions, village_a):
    person = f.make_person(
        regions["village_a"], actor=village_a, retirement_track="female55", retirement_track_reason="原为干部身份"
    )
    assert (person.retirement_track, person.retirement_track_reason) == ("female55", "原为干部身份")


def test_s4_changing_a_womans_track_later_needs_a_reason(regions, village_a):
    # given
    number = f.id_number()
    person = f.make_person(regions["village_a"], actor=village_a, id_number=number)
    # when: changed without a reason
    with pytest.raises(DomainError) as refused:
        services.person_update(
            actor=village_a,
            person=person,
            data=f.person_data(regions["village_a"], id_number=number, retirement_track="female55"),
        )
    # then
    assert (refused.value.code, refused.value.field) == ("track_reason_required", "retirement_track_reason")
    person.refresh_from_db()
    assert person.retirement_track == "female50"
    # when: with a reason
    services.person_update(
        actor=village_a,
        person=person,
        data=f.person_data(
            regions["village_a"], id_number=number, retirement_track="female55", retirement_track_reason="干部档案"
        ),
    )
    # then
    person.refresh_from_db()
    assert person.retirement_track == "female55"
    event = AuditEvent.objects.get(action="person.update")
    assert event.changes["retirement_track"] == ["female50", "female55"]


def test_s4_phone_and_bank_account_are_stored_normalised_and_masked(regions, village_a):
    person = f.make_person(
        regions["village_a"], actor=village_a, phone="+86 138-1234-5678", bank_account="6222 0202 0011 2233 445"
    )
    person.refresh_from_db()
    assert (person.phone, person.phone_masked) == ("13812345678", "138****5678")
    assert (person.bank_account, person.bank_account_masked) == ("6222020200112233445", "****3445")


def test_s5_urban_rural_class_comes_from_the_registration_village(regions, village_a):
    person = f.make_person(regions["village_a"], actor=village_a)
    assert (person.hukou_region_code, person.urban_rural_code, person.is_urban) == ("350602100200", "220", False)


@pytest.mark.parametrize(
    ("hukou", "expected"),
    [
        ("350602100200", {HukouType.CITY, HukouType.PROVINCE}),
        ("350203100000", {HukouType.PROVINCE}),
        ("110101000000", {HukouType.OTHER}),
    ],
)
def test_s5_the_registration_place_decides_city_and_province_not_the_id_number(regions, hukou, expected):
    # given: the ID number was issued in Beijing; the registration place is what counts
    person = f.make_person(regions["village_a"], id_number=f.id_number(address="110101"), hukou_region_code=hukou)
    # when / then
    assert eligibility.hukou_types(person, on=timezone.localdate()) == frozenset(expected)


# ------------------------------------------------------------------------------ households


def test_s4_a_household_has_one_head(regions, village_a):
    # given
    household = f.make_household(regions["village_a"], actor=village_a)
    head = f.make_person(regions["village_a"])
    other = f.make_person(regions["village_a"], name="林志明")
    services.household_set_member(actor=village_a, household=household, person=head, relation=Relation.HEAD)
    # when
    with pytest.raises(DomainError) as refused:
        services.household_set_member(actor=village_a, household=household, person=other, relation=Relation.HEAD)
    # then
    assert (refused.value.code, refused.value.field) == ("head_exists", "relation")
    other.refresh_from_db()
    assert other.household_id is None
    # the head may be set again, and the other joins as a spouse
    services.household_set_member(actor=village_a, household=household, person=head, relation=Relation.HEAD)
    services.household_set_member(actor=village_a, household=household, person=other, relation=Relation.SPOUSE)
    assert [m.relation for m in selectors.household_members(household)] == ["head", "spouse"]
    assert AuditEvent.objects.filter(action="household.member").count() == 2


def test_s4_village_cannot_add_a_member_to_a_household_of_another_village(regions, village_a):
    household = f.make_household(regions["village_b"])
    person = f.make_person(regions["village_a"])
    with pytest.raises(Forbidden):
        services.household_set_member(actor=village_a, household=household, person=person, relation=Relation.HEAD)


def _household_with(region, *members: tuple[date, str]):
    household = f.make_household(region)
    for index, (born, status) in enumerate(members):
        person = f.make_person(region, id_number=f.id_number(born), employment_status=status, name=f"成员{index}")
        f.put_in_household(household, person, Relation.HEAD if index == 0 else Relation.CHILD)
    return household


def test_s4_zero_employment_when_no_working_age_member_is_employed(regions):
    today = timezone.localdate()
    household = _household_with(
        regions["village_a"],
        (f.years_ago(45), EmploymentStatus.UNEMPLOYED),
        (f.years_ago(20), EmploymentStatus.UNEMPLOYED),
        (f.years_ago(12), EmploymentStatus.UNEMPLOYED),  # a child: not of working age
    )
    assert selectors.is_zero_employment(household, on=today) is True


def test_s4_not_zero_employment_when_one_member_works(regions):
    household = _household_with(
        regions["village_a"],
        (f.years_ago(45), EmploymentStatus.UNEMPLOYED),
        (f.years_ago(22), EmploymentStatus.EMPLOYED),
    )
    assert selectors.is_zero_employment(household, on=timezone.localdate()) is False


def test_s4_a_household_of_students_only_is_not_zero_employment(regions):
    household = _household_with(
        regions["village_a"], (f.years_ago(19), EmploymentStatus.STUDENT), (f.years_ago(17), EmploymentStatus.STUDENT)
    )
    assert selectors.is_zero_employment(household, on=timezone.localdate()) is False


def test_s4_zero_employment_is_unknown_without_a_household_or_members(regions):
    assert selectors.is_zero_employment(f.make_household(regions["village_a"]), on=timezone.localdate()) is None
    assert selectors.is_zero_employment(None, on=timezone.localdate()) is None


# ------------------------------------------------------------------------------ evidence


def test_s4_household_categories_land_on_the_household(regions, civil_affairs_a):
    # given
    household = f.make_household(regions["village_a"])
    person = f.put_in_household(household, f.make_person(regions["village_a"]))
    # when: recorded from the person's page
    evidence = services.evidence_add(
        actor=civil_affairs_a,
        category=Category.RURAL_DIBAO,
        person=person,
        valid_from=date(2025, 1, 1),
        valid_until=date(2027, 12, 31),
        certificate_number="芗民低保-2025-001",
    )
    # then
    assert (evidence.person_id, evidence.household_id) == (None, household.pk)
    assert evidence.verified_by == civil_affairs_a
    assert evidence.region_id == "350602100200"
    assert evidence in selectors.person_evidence(person)
    event = AuditEvent.objects.get(action="evidence.add")
    assert event.changes["category"] == [None, "rural_dibao"]


def test_s4_a_household_category_needs_a_household(regions, civil_affairs_a):
    person = f.make_person(regions["village_a"])
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=civil_affairs_a,
            category=Category.POVERTY_REGISTERED,
            person=person,
            valid_from=date(2025, 1, 1),
            certificate_number="x",
        )
    assert (refused.value.code, refused.value.field) == ("household_required", "category")
    assert not Evidence.objects.exists()


def test_s4_person_categories_land_on_the_person(regions, civil_affairs_a):
    household = f.make_household(regions["village_a"])
    person = f.put_in_household(household, f.make_person(regions["village_a"]))
    evidence = services.evidence_add(
        actor=civil_affairs_a,
        category=Category.DISABLED,
        person=person,
        valid_from=date(2024, 1, 1),
        issuing_department="芗城区残联",
    )
    assert (evidence.person_id, evidence.household_id) == (person.pk, None)


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"certificate_number": "", "issuing_department": "  "}, "source_required", "certificate_number"),
        ({"valid_from": date(2025, 6, 1), "valid_until": date(2025, 5, 31)}, "bad_dates", "valid_until"),
        ({"category": "no_such"}, "invalid_category", "category"),
    ],
)
def test_s4_evidence_needs_a_source_and_sensible_dates(regions, civil_affairs_a, kwargs, code, field):
    person = f.make_person(regions["village_a"])
    values = {"category": Category.DISABLED, "valid_from": date(2025, 1, 1), "certificate_number": "残-1"}
    values.update(kwargs)
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=civil_affairs_a, person=person, **values)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Evidence.objects.exists()


def test_s4_village_without_evidence_rights_and_other_region_cannot_verify(regions, village_a, civil_affairs_b):
    person = f.make_person(regions["village_a"])
    for actor, code in ((village_a, "forbidden"), (civil_affairs_b, "out_of_scope")):
        with pytest.raises(Forbidden) as refused:
            services.evidence_add(
                actor=actor,
                category=Category.DISABLED,
                person=person,
                valid_from=date(2025, 1, 1),
                certificate_number="1",
            )
        assert refused.value.code == code
    assert not Evidence.objects.exists()


def test_s4_withdrawn_evidence_no_longer_counts(regions, civil_affairs_a):
    # given
    person = f.make_person(regions["village_a"])
    evidence = f.add_evidence(Category.DISABLED, person=person)
    today = timezone.localdate()
    assert evidence.is_valid_on(today)
    # when: no reason
    with pytest.raises(DomainError):
        services.evidence_withdraw(actor=civil_affairs_a, evidence=evidence, reason=" ")
    # when
    services.evidence_withdraw(actor=civil_affairs_a, evidence=evidence, reason="证件注销")
    # then
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None
    assert not evidence.is_valid_on(today)
    assert AuditEvent.objects.get(action="evidence.withdraw").reason == "证件注销"


# ------------------------------------------------------------------------------ merge


def test_s4_merge_moves_evidence_and_placements_to_the_kept_record(regions, civil_affairs_a, hr_a):
    # given: the same woman entered twice with a typo in the ID number
    keep = f.make_person(regions["village_a"], id_number=f.id_number(date(1975, 5, 5)))
    duplicate = f.make_person(regions["village_a"], id_number=f.id_number(date(1975, 5, 6)))
    evidence = f.add_evidence(Category.DISABLED, person=duplicate)
    placement = f.make_external_placement(duplicate, started_on=date(2021, 1, 1), ended_on=date(2023, 12, 31))
    services.person_unmask(actor=hr_a, person=duplicate, field="id_number", reason="核对重复记录")
    # when
    result = services.person_merge(actor=civil_affairs_a, keep=keep, duplicate=duplicate, reason="录入重复")
    # then
    assert result == keep
    evidence.refresh_from_db()
    placement.refresh_from_db()
    duplicate.refresh_from_db()
    assert evidence.person_id == keep.pk
    assert placement.person_id == keep.pk
    assert duplicate.merged_into_id == keep.pk
    assert UnmaskLog.objects.get().person_id == duplicate.pk  # history stays where it happened
    assert list(Person.objects.active()) == [keep]
    event = AuditEvent.objects.get(action="person.merge")
    assert event.reason == "录入重复"
    assert event.changes["merged"] == [None, str(duplicate.public_id)]
    assert event.changes["moved"][1] == {"people.evidence": 1, "people.externalplacement": 1}


def test_s4_merge_refuses_the_same_record_twice_merged_and_other_region(regions, civil_affairs_a):
    # given
    keep = f.make_person(regions["village_a"])
    duplicate = f.make_person(regions["village_a"], name="林秀英二")
    elsewhere = f.make_person(regions["village_b"], name="外区")
    # same record
    with pytest.raises(DomainError) as refused:
        services.person_merge(actor=civil_affairs_a, keep=keep, duplicate=keep, reason="r")
    assert refused.value.code == "same_person"
    # other region
    with pytest.raises(Forbidden) as out:
        services.person_merge(actor=civil_affairs_a, keep=keep, duplicate=elsewhere, reason="r")
    assert out.value.code == "out_of_scope"
    # no reason
    with pytest.raises(DomainError) as no_reason:
        services.person_merge(actor=civil_affairs_a, keep=keep, duplicate=duplicate, reason="")
    assert no_reason.value.code == "reason_required"
    # already merged
    services.person_merge(actor=civil_affairs_a, keep=keep, duplicate=duplicate, reason="录入重复")
    for pair in ((keep, duplicate), (duplicate, keep)):
        with pytest.raises(DomainError) as again:
            services.person_merge(actor=civil_affairs_a, keep=pair[0], duplicate=pair[1], reason="再次")
        assert again.value.code == "already_merged"
    assert AuditEvent.objects.filter(action="person.merge").count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.merged_into_id is None


def test_s4_village_cannot_merge(regions, village_a):
    keep = f.make_person(regions["village_a"])
    duplicate = f.make_person(regions["village_a"], name="林秀英二")
    with pytest.raises(Forbidden):
        services.person_merge(actor=village_a, keep=keep, duplicate=duplicate, reason="录入重复")
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


# ------------------------------------------------------------------------------ unmask


def test_s4_unmask_returns_the_full_value_and_is_logged_and_audited(regions, hr_a):
    # given
    number = f.id_number()
    person = f.make_person(
        regions["village_a"], id_number=number, phone="13912345678", bank_account="6222020200112233445"
    )
    # when
    values = [
        services.person_unmask(actor=hr_a, person=person, field=field, reason="核对补贴发放")
        for field in ("id_number", "phone", "bank_account")
    ]
    # then
    assert values == [number, "13912345678", "6222020200112233445"]
    log = UnmaskLog.objects.filter(field="id_number").get()
    assert (log.user, log.person, log.reason, log.day) == (hr_a, person, "核对补贴发放", timezone.localdate())
    events = AuditEvent.objects.filter(action="person.unmask").order_by("seq")
    assert [e.changes["field"][1] for e in events] == ["id_number", "phone", "bank_account"]
    assert all(e.reason == "核对补贴发放" and e.actor == hr_a for e in events)
    assert number not in _audit_text()


@pytest.mark.parametrize("reason", ["", "   ", "看看"])
def test_s4_unmask_needs_a_typed_reason(regions, hr_a, reason):
    person = f.make_person(regions["village_a"])
    with pytest.raises(DomainError) as refused:
        services.person_unmask(actor=hr_a, person=person, field="id_number", reason=reason)
    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert not UnmaskLog.objects.exists()
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_s4_unmask_refuses_fields_that_are_not_sensitive(regions, hr_a):
    person = f.make_person(regions["village_a"])
    with pytest.raises(DomainError) as refused:
        services.person_unmask(actor=hr_a, person=person, field="id_number_index", reason="核对补贴发放")
    assert refused.value.code == "invalid_field"


def test_s4_unmask_outside_ones_region_is_forbidden(regions, make_user, civil_affairs_b):
    person = f.make_person(regions["village_a"])
    hr_b = make_user("hr", "county_b")
    for actor in (hr_b, civil_affairs_b):
        with pytest.raises(Forbidden) as refused:
            services.person_unmask(actor=actor, person=person, field="id_number", reason="核对补贴发放")
        assert refused.value.code == "out_of_scope"
    assert not UnmaskLog.objects.exists()


def test_s4_village_may_not_unmask(regions, village_a):
    person = f.make_person(regions["village_a"])
    with pytest.raises(Forbidden) as refused:
        services.person_unmask(actor=village_a, person=person, field="id_number", reason="核对补贴发放")
    assert refused.value.code == "forbidden"
    assert not UnmaskLog.objects.exists()


def test_s4_unmask_stops_at_the_daily_quota(regions, hr_a, civil_affairs_a, settings):
    # given
    settings.UNMASK_QUOTA = 2
    person = f.make_person(regions["village_a"])
    services.person_unmask(actor=hr_a, person=person, field="id_number", reason="核对补贴发放")
    services.person_unmask(actor=hr_a, person=person, field="phone", reason="核对补贴发放")
    # when
    with pytest.raises(Forbidden) as refused:
        services.person_unmask(actor=hr_a, person=person, field="id_number", reason="核对补贴发放")
    # then
    assert refused.value.code == "unmask_quota"
    assert UnmaskLog.objects.filter(user=hr_a).count() == 2
    assert AuditEvent.objects.filter(action="person.unmask").count() == 2
    # the quota is per user, and yesterday's views do not count
    assert services.person_unmask(actor=civil_affairs_a, person=person, field="id_number", reason="核对补贴发放")
    UnmaskLog.objects.filter(user=hr_a).update(day=timezone.localdate() - timedelta(days=1))
    assert services.person_unmask(actor=hr_a, person=person, field="id_number", reason="核对补贴发放")


def test_s6_external_placements_are_kept_per_person(regions):
    person = f.make_person(regions["village_a"])
    f.make_external_placement(person, started_on=date(2020, 1, 1), ended_on=date(2022, 12, 31))
    assert ExternalPlacement.objects.filter(person=person).count() == 1
