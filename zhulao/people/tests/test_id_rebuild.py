"""The rebuild attack on the people registry (S2): a role without the unmask permission reads what a list,
detail page, eligibility explanation, API answer or export shows of a person, and counts the ID numbers
still possible (its region, sex and birth year are taken as known). At least 1,000 must remain."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhulao.core import clock
from zhulao.core.testing.rebuild import candidates_left, workbook_text
from zhulao.people.tests import factories as f
from zhulao.rules.masking import MIN_ID_CANDIDATES

pytestmark = pytest.mark.usefixtures("policy")

API = "/api/v1"
BORN = date(1978, 7, 23)


@pytest.fixture
def person(regions):
    return f.make_person(regions["village_a"], name="郑美玲", id_number=f.id_number(BORN, male=False))


def _left(text: str, person) -> int:
    return candidates_left(text, person, today=clock.today())


def test_s2_person_list_page_leaves_at_least_1000_candidates_to_a_village_employer(person, village_a, client_for):
    # when
    html = client_for(village_a).get(reverse("people:person_list")).content.decode()
    # then
    assert person.name in html
    assert _left(html, person) >= MIN_ID_CANDIDATES


@pytest.mark.parametrize("actor", ["village_a", "township_a"])
def test_s2_person_detail_page_leaves_at_least_1000_candidates_without_unmask(person, client_for, request, actor):
    user = request.getfixturevalue(actor)
    # when
    html = client_for(user).get(person.get_absolute_url()).content.decode()
    # then
    assert person.name in html
    assert str(BORN.year) in html  # the birth year is what the task needs
    assert _left(html, person) >= MIN_ID_CANDIDATES


def test_s2_eligibility_explanation_gives_the_retirement_month_not_the_day(person, village_a, client_for):
    # when
    url = reverse("people:person_eligibility", args=[person.public_id])
    html = client_for(village_a).get(url).content.decode()
    # then
    assert 'data-criterion="working_age"' in html
    assert _left(html, person) >= MIN_ID_CANDIDATES


def test_s2_api_person_list_and_detail_leave_at_least_1000_candidates(person, village_a, client_for):
    client = client_for(village_a)
    # when
    listing = client.get(f"{API}/persons")
    detail = client.get(f"{API}/persons/{person.public_id}")
    eligibility = client.get(f"{API}/persons/{person.public_id}/eligibility")
    # then
    (row,) = listing.json()["results"]
    assert row["birth_year"] == BORN.year
    assert row["birth_date"] is None
    assert detail.json()["birth_date"] is None
    assert eligibility.json()["planned_end"] is None
    for response in (listing, detail, eligibility):
        assert response.status_code == 200
        assert _left(response.content.decode(), person) >= MIN_ID_CANDIDATES


def test_s2_person_export_leaves_at_least_1000_candidates_to_a_township_employer(person, township_a, client_for):
    # when
    response = client_for(township_a).get(reverse("people:person_export"))
    # then
    text = workbook_text(response.content)
    assert person.name in text
    assert _left(text, person) >= MIN_ID_CANDIDATES


def test_s2_a_role_with_unmask_still_sees_the_birth_date_on_the_detail(person, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    # when
    html = client.get(person.get_absolute_url()).content.decode()
    detail = client.get(f"{API}/persons/{person.public_id}").json()
    # then
    assert BORN.isoformat() in html
    assert 'data-testid="unmask-form"' in html
    assert detail["birth_date"] == BORN.isoformat()
    assert client.get(f"{API}/persons/{person.public_id}/eligibility").json()["planned_end"] is not None


def test_s2_the_stored_mask_keeps_only_the_address_code(person):
    assert person.id_number_masked == person.id_number[:6] + "*" * 12


def test_s2_the_data_migration_remasks_stored_values_and_reverses(person):
    import importlib

    from django.apps import apps

    from zhulao.people.models import Person

    migration = importlib.import_module("zhulao.people.migrations.0005_remask_id_numbers")
    old = person.id_number[:6] + "********" + person.id_number[-4:]
    Person.objects.filter(pk=person.pk).update(id_number_masked=old)
    # when
    migration._remask(apps, None)
    # then
    assert Person.objects.get(pk=person.pk).id_number_masked == person.id_number[:6] + "*" * 12
    # and backwards
    migration._restore_old_mask(apps, None)
    assert Person.objects.get(pk=person.pk).id_number_masked == old


def test_s2_an_audit_event_recorded_with_the_old_mask_is_shown_with_the_new_one(person, audit_admin, client_for):
    from zhulao.core import audit

    # given an event written when the mask still kept the last four characters
    old = person.id_number[:6] + "********" + person.id_number[-4:]
    audit.record_event(actor=None, action="person.update", obj=person, changes={"id_number": [None, old]})
    client = client_for(audit_admin)
    # when
    from zhulao.core.models import AuditEvent

    seq = AuditEvent.objects.filter(action="person.update").order_by("-seq").values_list("seq", flat=True).first()
    page = client.get(reverse("core:audit_detail", args=[seq])).content.decode()
    api = client.get(f"{API}/audit/events").content.decode()
    # then
    for shown in (page, api):
        assert old not in shown
        assert person.id_number[:6] + "*" * 12 in shown
    assert audit.verify_chain().ok  # the stored diff is unchanged
