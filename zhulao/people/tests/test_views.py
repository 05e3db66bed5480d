"""Pages of the people registry (S4–S6). Every page: allowed, other region (404), wrong role (403)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from zhulao.core.models import AuditEvent
from zhulao.people.choices import Category, Relation
from zhulao.people.models import Evidence, Household, Person, UnmaskLog
from zhulao.people.tests import factories as f
from zhulao.rules.eligibility import CRITERIA

pytestmark = pytest.mark.usefixtures("policy")

LIST = reverse("people:person_list")
EXPORT = reverse("people:person_export")
CREATE = reverse("people:person_create")
HOUSEHOLD_CREATE = reverse("people:household_create")

NUMBER = f.id_number(date(1981, 6, 18), seq=246)
PHONE = "13812345678"
BANK = "6222020200112233445"


@pytest.fixture
def person(regions):
    """A woman of village_a (芗城区) with known numbers, in a household."""
    household = f.make_household(regions["village_a"], number="户-0001")
    person = f.make_person(regions["village_a"], name="林秀英", id_number=NUMBER, phone=PHONE, bank_account=BANK)
    return f.put_in_household(household, person)


@pytest.fixture
def finance_a(make_user):
    return make_user("finance", "county_a")


@pytest.fixture
def hr_b(make_user):
    return make_user("hr", "county_b")


def url(name: str, obj) -> str:
    return reverse(f"people:{name}", args=[obj.public_id])


def _html(response) -> str:
    return response.content.decode()


def _form_post(**overrides: str) -> dict[str, str]:
    data = {
        "name": "王美玲",
        "id_number": f.id_number(date(1979, 9, 9), seq=468),
        "region": "350602100200",
        "hukou_region_code": "",
        "retirement_track": "",
        "retirement_track_reason": "",
        "phone": "13912345678",
        "bank_account": "",
        "disability_certificate": "",
        "disability_grade": "",
        "employment_registration": "",
        "employment_registered_on": "",
        "employment_status": "unemployed",
        "willing_to_work": "1",
        "able_to_work": "1",
        "notes": "",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------ list


def test_s4_list_shows_masked_numbers_only(person, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(LIST)
    # then
    assert response.status_code == 200
    html = _html(response)
    assert "林秀英" in html
    assert person.id_number_masked in html
    assert "138****5678" in html
    for secret in (NUMBER, PHONE, BANK):
        assert secret not in html


def test_s4_list_of_another_region_does_not_show_the_person(person, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(LIST)
    assert response.status_code == 200
    assert "林秀英" not in _html(response)
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s4_list_is_forbidden_to_roles_without_person_view(person, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(LIST).status_code == 403


def test_s4_list_filters_by_category_and_region(regions, civil_affairs_a, client_for):
    # given
    on_dibao = f.make_person(regions["village_a"], name="低保户主")
    household = f.make_household(regions["village_a"])
    f.put_in_household(household, on_dibao)
    f.add_evidence(Category.RURAL_DIBAO, household=household)
    disabled = f.make_person(regions["village_a2"], name="残疾居民")
    f.add_evidence(Category.DISABLED, person=disabled)
    f.make_person(regions["village_a2"], name="普通居民")
    expired = f.make_person(regions["village_a2"], name="过期居民")
    f.add_evidence(Category.DISABLED, person=expired, valid_until=f.yesterday())
    client = client_for(civil_affairs_a)

    def names(**params: str) -> set[str]:
        response = client.get(LIST, params)
        assert response.status_code == 200
        return {p.name for p in response.context["page"]}

    # then
    assert names() == {"低保户主", "残疾居民", "普通居民", "过期居民"}
    assert names(category="rural_dibao") == {"低保户主"}
    assert names(category="disabled") == {"残疾居民"}
    assert names(region="350602100201") == {"残疾居民", "普通居民", "过期居民"}
    assert names(region="350602100201", category="disabled") == {"残疾居民"}
    assert names(village="350602100200") == {"低保户主"}
    assert names(q="残疾") == {"残疾居民"}


def test_s4_list_query_count_does_not_grow_with_the_rows(
    regions, civil_affairs_a, client_for, django_assert_max_num_queries
):
    # given: 30 persons, some in households
    household = f.make_household(regions["village_a"])
    for index in range(30):
        person = f.make_person(
            regions["village_a" if index % 2 else "village_a2"],
            name=f"居民{index:02d}",
            id_number=f.id_number(date(1970 + index, 1 + index % 12, 1 + index % 28), seq=2 * index),
            phone=f"1380000{index:04d}",
        )
        if index % 3 == 0:
            f.put_in_household(household, person, Relation.HEAD if index == 0 else Relation.CHILD)
    client = client_for(civil_affairs_a)
    client.get(LIST)  # a first request, as a signed-in user's next one
    # when / then: session, user, roles, count, cascader regions, the rows, session save — not one per row
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"]) == 30
    with django_assert_max_num_queries(12):
        client.get(LIST, {"category": "rural_dibao", "region": "350602"})
    with django_assert_max_num_queries(12):
        export = client.get(EXPORT)
    assert _workbook_text(export).count("居民") == 30


# ------------------------------------------------------------------------------ export


def _workbook_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    )


def test_s4_export_holds_masked_numbers_only_and_is_audited(person, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(EXPORT)
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _workbook_text(response)
    assert "林秀英" in text
    assert person.id_number_masked in text
    for secret in (NUMBER, PHONE, BANK):
        assert secret not in text
    event = AuditEvent.objects.get(action="person.export")
    assert event.changes["rows"] == [None, 1]


def test_s4_export_of_another_region_leaves_the_person_out(person, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(EXPORT)
    assert response.status_code == 200
    assert "林秀英" not in _workbook_text(response)


@pytest.mark.parametrize("actor", ["helper_a", "finance_a", "village_a"])
def test_s4_export_is_forbidden_without_person_export(person, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="person.export").exists()


# ------------------------------------------------------------------------------ detail and eligibility


def test_s4_detail_shows_the_person_masked_with_eligibility(person, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(url("person_detail", person))
    assert response.status_code == 200
    html = _html(response)
    assert person.id_number_masked in html
    assert 'data-testid="eligibility-table"' in html
    for code in CRITERIA:
        assert f'data-criterion="{code}"' in html
    for secret in (NUMBER, PHONE, BANK):
        assert secret not in html


def test_s4_detail_of_another_region_is_404(person, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("person_detail", person)).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s4_detail_is_forbidden_without_person_view(person, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("person_detail", person)).status_code == 403


def test_s4_eligibility_fragment_explains_each_criterion_for_the_chosen_date_and_batch(
    person, employment_center_a, client_for
):
    # when
    response = client_for(employment_center_a).get(
        url("person_eligibility", person), {"on": "2026-01-01", "hukou_types": "city"}
    )
    # then
    assert response.status_code == 200
    html = _html(response)
    assert "<html" not in html  # a fragment
    assert "2026-01-01" in html
    for code in CRITERIA:
        assert html.count(f'data-criterion="{code}"') == 1
    assert "原因说明" in html  # the "why" column
    decision = response.context["decision"]
    assert decision.on == date(2026, 1, 1)
    for criterion in decision.criteria:
        assert criterion.reason_zh in html
    assert "本批次招收：本市户籍" in decision.criterion("hukou_type").reason_zh
    assert 'data-testid="priority"' in html


def test_s4_eligibility_fragment_in_english_gives_the_english_reasons(person, employment_center_a, client_for):
    response = client_for(employment_center_a).get(
        url("person_eligibility", person), {"on": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = _html(response)
    assert "Why" in html
    assert response.context["decision"].criterion("working_age").reason_en in html


def test_s4_eligibility_fragment_of_another_region_is_404(person, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("person_eligibility", person)).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s4_eligibility_fragment_is_forbidden_without_eligibility_view(person, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("person_eligibility", person)).status_code == 403


# ------------------------------------------------------------------------------ create and edit


def test_s4_village_registers_a_person_through_the_form(regions, village_a, client_for):
    client = client_for(village_a)
    assert client.get(CREATE).status_code == 200
    # when
    response = client.post(CREATE, _form_post())
    # then
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert (person.name, person.region_id, person.phone_masked) == ("王美玲", "350602100200", "139****5678")


def test_s4_village_cannot_register_in_another_village(regions, village_a, client_for):
    response = client_for(village_a).post(CREATE, _form_post(region="350603103200"))
    assert response.status_code == 403
    assert not Person.objects.exists()


@pytest.mark.parametrize("actor", ["helper_a", "hr_a", "finance_a"])
def test_s4_register_form_is_forbidden_without_person_edit(regions, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form_post()).status_code == 403
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"id_number": f.with_wrong_check_digit(NUMBER)[0]}, "id_number", f"应为 {NUMBER[-1]}"),
        ({"id_number": f.with_impossible_birth_date()}, "id_number", "19900231"),
        ({"phone": "12345"}, "phone", "12345"),
        ({"disability_grade": "2"}, "disability_certificate", ""),
        ({"retirement_track": "female55"}, "retirement_track_reason", ""),
        ({"hukou_region_code": "3506"}, "hukou_region_code", ""),
        ({"region": "350602999999"}, "region", ""),
        ({"name": ""}, "name", ""),
        ({"employment_registration": "unemployed"}, "employment_registered_on", ""),
    ],
)
def test_s4_bad_input_re_renders_the_form_with_the_error_on_its_field(
    regions, village_a, client_for, overrides, field, text
):
    # when
    response = client_for(village_a).post(CREATE, _form_post(**overrides))
    # then
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert text in " ".join(errors[field])
    assert 'class="invalid-feedback d-block"' in _html(response)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_s4_edit_form_saves_changes(person, village_a, client_for):
    client = client_for(village_a)
    assert client.get(url("person_edit", person)).status_code == 200
    # when
    response = client.post(
        url("person_edit", person),
        _form_post(name="林秀英", id_number=NUMBER, phone=PHONE, bank_account=BANK, employment_status="employed"),
    )
    # then
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.employment_status == "employed"
    assert AuditEvent.objects.get(action="person.update").changes["employment_status"] == ["unemployed", "employed"]


def test_s4_edit_form_bad_input_writes_nothing(person, village_a, client_for):
    response = client_for(village_a).post(
        url("person_edit", person), _form_post(name="改名", id_number=NUMBER, phone="abc")
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    person.refresh_from_db()
    assert person.name == "林秀英"
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_s4_edit_of_another_region_is_404(person, civil_affairs_b, village_b, client_for):
    for actor in (civil_affairs_b, village_b):
        client = client_for(actor)
        assert client.get(url("person_edit", person)).status_code == 404
        assert client.post(url("person_edit", person), _form_post(id_number=NUMBER)).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "hr_a"])
def test_s4_edit_is_forbidden_without_person_edit(person, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(url("person_edit", person)).status_code == 403
    assert client.post(url("person_edit", person), _form_post(id_number=NUMBER)).status_code == 403


def test_s4_edit_form_does_not_reveal_full_numbers_to_a_role_without_unmask(person, village_a, client_for):
    html = _html(client_for(village_a).get(url("person_edit", person)))
    for secret in (NUMBER, PHONE, BANK):
        assert secret not in html
    assert person.id_number_masked in html  # shown as the hint of the empty field


def test_s4_edit_with_empty_sensitive_fields_keeps_them_and_clear_removes_them(person, village_a, client_for):
    # given: the edit form posted with the ID, phone and bank fields left empty
    data = _form_post(id_number="", phone="", bank_account="", name="新名字")
    # when
    response = client_for(village_a).post(url("person_edit", person), data)
    # then
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number, person.phone, person.bank_account) == ("新名字", NUMBER, PHONE, BANK)
    # and the clear box removes the phone
    client_for(village_a).post(url("person_edit", person), {**data, "clear_phone": "on"})
    person.refresh_from_db()
    assert person.phone == ""
    assert person.bank_account == BANK


# ------------------------------------------------------------------------------ unmask


def test_s4_unmask_shows_the_full_number_and_records_it(person, hr_a, client_for):
    # when
    response = client_for(hr_a).post(url("person_unmask", person), {"field": "id_number", "reason": "核对补贴发放"})
    # then
    assert response.status_code == 200
    assert f'data-testid="unmasked-value">{NUMBER}<' in _html(response)
    assert response["Cache-Control"] == "no-store"
    assert UnmaskLog.objects.get().user == hr_a
    assert AuditEvent.objects.get(action="person.unmask").reason == "核对补贴发放"


def test_s4_unmask_without_a_reason_shows_no_value(person, hr_a, client_for):
    response = client_for(hr_a).post(url("person_unmask", person), {"field": "id_number", "reason": ""})
    assert response.status_code == 200
    assert NUMBER not in _html(response)
    assert 'role="alert"' in _html(response)
    assert not UnmaskLog.objects.exists()


def test_s4_unmask_past_the_daily_quota_is_refused(person, hr_a, client_for, settings):
    settings.UNMASK_QUOTA = 1
    client = client_for(hr_a)
    assert client.post(url("person_unmask", person), {"field": "phone", "reason": "核对补贴发放"}).status_code == 200
    response = client.post(url("person_unmask", person), {"field": "id_number", "reason": "核对补贴发放"})
    assert response.status_code == 403
    assert NUMBER not in _html(response)
    assert UnmaskLog.objects.count() == 1


def test_s4_unmask_in_another_region_is_404(person, hr_b, civil_affairs_b, client_for):
    for actor in (hr_b, civil_affairs_b):
        response = client_for(actor).post(
            url("person_unmask", person), {"field": "id_number", "reason": "核对补贴发放"}
        )
        assert response.status_code == 404
    assert not UnmaskLog.objects.exists()


@pytest.mark.parametrize("actor", ["village_a", "helper_a", "finance_a"])
def test_s4_unmask_is_forbidden_without_person_unmask(person, client_for, request, actor):
    response = client_for(request.getfixturevalue(actor)).post(
        url("person_unmask", person), {"field": "id_number", "reason": "核对补贴发放"}
    )
    assert response.status_code == 403
    assert NUMBER not in _html(response)
    assert not UnmaskLog.objects.exists()


def test_s4_unmask_needs_post(person, hr_a, client_for):
    assert client_for(hr_a).get(url("person_unmask", person)).status_code == 405


# ------------------------------------------------------------------------------ evidence and merge


def _evidence_post(**overrides: str) -> dict[str, str]:
    data = {
        "category": "disabled",
        "certificate_number": "残-35060219810618",
        "issuing_department": "",
        "valid_from": "2025-01-01",
        "valid_until": "",
    }
    data.update(overrides)
    return data


def test_s4_evidence_is_recorded_from_the_person_page(person, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    response = client.post(url("evidence_add", person), _evidence_post())
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    evidence = Evidence.objects.get()
    assert (evidence.person, evidence.category, evidence.verified_by) == (person, "disabled", civil_affairs_a)
    # a household category from the same page lands on the household
    client.post(url("evidence_add", person), _evidence_post(category="rural_dibao"))
    assert Evidence.objects.get(category="rural_dibao").household_id == person.household_id


def test_s4_bad_evidence_is_reported_and_not_saved(person, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    response = client.post(url("evidence_add", person), _evidence_post(certificate_number=""), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    client.post(url("evidence_add", person), _evidence_post(valid_until="2024-01-01"))
    client.post(url("evidence_add", person), _evidence_post(valid_from="不是日期"))
    assert not Evidence.objects.exists()


def test_s4_evidence_in_another_region_is_404(person, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).post(url("evidence_add", person), _evidence_post()).status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("actor", ["village_a", "hr_a", "helper_a"])
def test_s4_evidence_is_forbidden_without_evidence_verify(person, client_for, request, actor):
    response = client_for(request.getfixturevalue(actor)).post(url("evidence_add", person), _evidence_post())
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_s4_evidence_is_withdrawn_with_a_reason(person, civil_affairs_a, civil_affairs_b, village_a, client_for):
    evidence = f.add_evidence(Category.DISABLED, person=person)
    withdraw = reverse("people:evidence_withdraw", args=[person.public_id, evidence.pk])
    assert client_for(civil_affairs_b).post(withdraw, {"reason": "注销"}).status_code == 404
    assert client_for(village_a).post(withdraw, {"reason": "注销"}).status_code == 403
    assert client_for(civil_affairs_a).post(withdraw, {"reason": ""}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None
    assert client_for(civil_affairs_a).post(withdraw, {"reason": "证件注销"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None


def _duplicate(regions, region="village_a"):
    return f.make_person(regions[region], name="林秀英(重复)", id_number=f.id_number(date(1981, 6, 19), seq=246))


def test_s4_merge_from_the_person_page(regions, person, civil_affairs_a, client_for):
    # given
    duplicate = _duplicate(regions)
    f.add_evidence(Category.DISABLED, person=duplicate)
    # when
    response = client_for(civil_affairs_a).post(
        url("person_merge", person), {"duplicate_id_number": duplicate.id_number, "reason": "录入重复"}
    )
    # then
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == person.pk
    assert Evidence.objects.get().person_id == person.pk
    assert AuditEvent.objects.filter(action="person.merge").count() == 1


def test_s4_merge_with_a_record_of_another_region_is_refused(regions, person, civil_affairs_a, client_for):
    duplicate = _duplicate(regions, "village_b")
    response = client_for(civil_affairs_a).post(
        url("person_merge", person), {"duplicate_id_number": duplicate.id_number, "reason": "录入重复"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_s4_merge_on_a_person_of_another_region_is_404(regions, person, civil_affairs_b, client_for):
    duplicate = _duplicate(regions)
    response = client_for(civil_affairs_b).post(
        url("person_merge", person), {"duplicate_id_number": duplicate.id_number, "reason": "录入重复"}
    )
    assert response.status_code == 404
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


@pytest.mark.parametrize("actor", ["village_a", "hr_a", "helper_a"])
def test_s4_merge_is_forbidden_without_person_merge(regions, person, client_for, request, actor):
    duplicate = _duplicate(regions)
    response = client_for(request.getfixturevalue(actor)).post(
        url("person_merge", person), {"duplicate_id_number": duplicate.id_number, "reason": "录入重复"}
    )
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


# ------------------------------------------------------------------------------ households


def test_s4_household_page_shows_members_and_zero_employment(person, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(url("household_detail", person.household))
    assert response.status_code == 200
    html = _html(response)
    assert "林秀英" in html
    assert response.context["zero_employment"] is True
    assert 'data-testid="zero-employment"' in html
    assert NUMBER not in html


def test_s4_household_page_of_another_region_is_404(person, civil_affairs_b, client_for):
    assert client_for(civil_affairs_b).get(url("household_detail", person.household)).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s4_household_page_is_forbidden_without_person_view(person, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("household_detail", person.household)).status_code == 403


def test_s4_village_creates_a_household(regions, village_a, client_for):
    client = client_for(village_a)
    assert client.get(HOUSEHOLD_CREATE).status_code == 200
    response = client.post(HOUSEHOLD_CREATE, {"region": "350602100200", "registration_number": "户-9", "address": ""})
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == household.get_absolute_url()
    assert household.registration_number == "户-9"


def test_s4_village_cannot_create_a_household_in_another_village(regions, village_a, client_for):
    response = client_for(village_a).post(HOUSEHOLD_CREATE, {"region": "350603103200", "registration_number": "户-9"})
    assert response.status_code == 403
    assert not Household.objects.exists()


def test_s4_household_form_refuses_a_region_that_is_not_a_village(regions, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).post(HOUSEHOLD_CREATE, {"region": "350602100000", "registration_number": ""})
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Household.objects.exists()


@pytest.mark.parametrize("actor", ["helper_a", "hr_a", "finance_a"])
def test_s4_household_create_is_forbidden_without_person_edit(regions, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(HOUSEHOLD_CREATE).status_code == 403
    assert client.post(HOUSEHOLD_CREATE, {"region": "350602100200"}).status_code == 403
    assert not Household.objects.exists()


def test_s4_village_adds_a_member_by_id_number(regions, person, village_a, client_for):
    # given
    son = f.make_person(regions["village_a"], name="陈家豪", id_number=f.id_number(date(2004, 2, 2), male=True))
    # when
    response = client_for(village_a).post(
        url("household_add_member", person.household), {"id_number": son.id_number.lower(), "relation": "child"}
    )
    # then
    assert response.status_code == 302
    son.refresh_from_db()
    assert (son.household_id, son.relation) == (person.household_id, "child")


def test_s4_adding_a_second_head_or_an_unknown_person_is_reported(regions, person, village_a, client_for):
    other = f.make_person(regions["village_a"], name="林志明")
    client = client_for(village_a)
    add = url("household_add_member", person.household)
    response = client.post(add, {"id_number": other.id_number, "relation": "head"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    response = client.post(add, {"id_number": f.id_number(date(1990, 1, 1), seq=8), "relation": "child"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    other.refresh_from_db()
    assert other.household_id is None


def test_s4_adding_a_member_in_another_region_is_404(regions, person, civil_affairs_b, client_for):
    other = f.make_person(regions["village_b"], name="外区居民")
    response = client_for(civil_affairs_b).post(
        url("household_add_member", person.household), {"id_number": other.id_number, "relation": "child"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.household_id is None


def test_s4_a_person_of_another_region_cannot_be_added_to_ones_household(regions, person, village_a, client_for):
    other = f.make_person(regions["village_b"], name="外区居民")
    client_for(village_a).post(
        url("household_add_member", person.household), {"id_number": other.id_number, "relation": "child"}
    )
    other.refresh_from_db()
    assert other.household_id is None


@pytest.mark.parametrize("actor", ["helper_a", "hr_a"])
def test_s4_adding_a_member_is_forbidden_without_person_edit(regions, person, client_for, request, actor):
    other = f.make_person(regions["village_a"], name="林志明")
    response = client_for(request.getfixturevalue(actor)).post(
        url("household_add_member", person.household), {"id_number": other.id_number, "relation": "child"}
    )
    assert response.status_code == 403


def test_s4_household_evidence_from_the_household_page(person, civil_affairs_a, civil_affairs_b, village_a, client_for):
    add = url("household_evidence_add", person.household)
    data = _evidence_post(category="rural_dibao", valid_until=str(timezone.localdate().replace(year=2030)))
    assert client_for(civil_affairs_b).post(add, data).status_code == 404
    assert client_for(village_a).post(add, data).status_code == 403
    assert client_for(civil_affairs_a).post(add, data).status_code == 302
    assert Evidence.objects.get().household_id == person.household_id
