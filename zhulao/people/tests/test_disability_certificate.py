"""The disability certificate number (S4, SECURITY): it is the holder's ID number + 2 digits, so it is
encrypted at rest, shown masked to every role (page, API, export, edit form) and masked in audit diffs.
The same for a certificate number given as evidence."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.people import services
from zhulao.people.choices import Category
from zhulao.people.models import Evidence, Person
from zhulao.people.tests import factories as f
from zhulao.rules import masking

pytestmark = pytest.mark.usefixtures("policy")

NUMBER = f.id_number(date(1979, 2, 14), seq=135)
CERTIFICATE = f"{NUMBER}32"
ROLES = [
    "civil_affairs_a",
    "civil_affairs_city",
    "hr_a",
    "employment_center_a",
    "township_a",
    "village_a",
    "finance_a",
    "helper_a",
    "audit_admin",
    "system_admin",
    "security_admin",
]


@pytest.fixture
def person(regions):
    return f.make_person(
        regions["village_a"], name="林秀英", id_number=NUMBER, disability_certificate=CERTIFICATE, disability_grade=3
    )


def _raw(sql: str, params: list[object]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [str(value) for row in cursor.fetchall() for value in row]


def _digits_of_the_id(text: str) -> bool:
    """Does ``text`` hold the ID number, or its birth-date-and-sequence middle (what the mask hides)?"""
    return NUMBER in text or NUMBER[6:14] in text


def test_s4_certificate_is_encrypted_at_rest_and_masked_by_the_id_number_rule(person):
    # when: the columns are read with raw SQL
    stored = _raw(
        "SELECT disability_certificate, disability_certificate_masked FROM people_person WHERE id = %s", [person.pk]
    )
    # then: the number is a ciphertext, the copy is masked; the model still reads the number
    assert stored[0].startswith("v1$")
    assert not any(_digits_of_the_id(value) for value in stored)
    assert stored[1] == masking.mask_id_number(NUMBER) + "32"
    assert Person.objects.get(pk=person.pk).disability_certificate == CERTIFICATE


def test_s4_certificate_mask_follows_the_id_number_mask():
    # the head is masked by mask_id_number (whatever that rule is), the two grade digits stay
    assert masking.mask_disability_certificate(CERTIFICATE.lower()) == masking.mask_id_number(NUMBER) + "32"
    assert (
        masking.mask_disability_certificate(f" {NUMBER[:9]} {NUMBER[9:]}32 ") == masking.mask_id_number(NUMBER) + "32"
    )
    # another format is masked as a whole
    assert masking.mask_disability_certificate("残疾证-0001") == masking.mask_id_number("残疾证-0001")
    assert masking.mask_disability_certificate("") == ""


@pytest.mark.parametrize("role", ROLES)
def test_s4_person_page_shows_the_certificate_masked_to_every_role(person, client_for, request, role):
    # when
    response = client_for(request.getfixturevalue(role)).get(person.get_absolute_url())
    # then: a role that may see the page sees the mask only; the others do not see the page
    assert response.status_code in {200, 403, 404}
    html = response.content.decode()
    assert not _digits_of_the_id(html)
    if response.status_code == 200:
        assert person.disability_certificate_masked in html


def test_s4_edit_form_does_not_carry_the_certificate(person, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get(reverse("people:person_edit", args=[person.public_id]))
    # then: the field starts empty, with the mask as a hint
    assert response.status_code == 200
    html = response.content.decode()
    assert not _digits_of_the_id(html)
    assert person.disability_certificate_masked in html


def test_s4_edit_left_empty_keeps_the_certificate_and_clearing_removes_it(person, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    edit = reverse("people:person_edit", args=[person.public_id])
    post = {
        "name": "林秀英",
        "id_number": "",
        "region": "350602100200",
        "employment_status": "unemployed",
        "disability_certificate": "",
        "disability_grade": "3",
        "notes": "",
    }
    # when: saved with the certificate field left empty
    client.post(edit, post)
    # then: the stored number is kept
    assert Person.objects.get(pk=person.pk).disability_certificate == CERTIFICATE
    # when: cleared, with the grade removed
    client.post(edit, {**post, "disability_grade": "", "clear_disability_certificate": "on"})
    # then
    person.refresh_from_db()
    assert (person.disability_certificate, person.disability_certificate_masked, person.disability_grade) == (
        "",
        "",
        None,
    )


@pytest.mark.parametrize("role", ROLES)
def test_s4_api_gives_the_certificate_masked_to_every_role(person, client_for, request, role):
    # when
    response = client_for(request.getfixturevalue(role)).get(f"/api/v1/persons/{person.public_id}")
    # then
    assert response.status_code in {200, 403, 404}
    assert not _digits_of_the_id(response.content.decode())
    if response.status_code == 200:
        assert response.json()["disability_certificate_masked"] == person.disability_certificate_masked


def test_s4_export_does_not_hold_the_certificate(person, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(reverse("people:person_export"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    text = " ".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
    assert "林秀英" in text
    assert not _digits_of_the_id(text)


def test_s4_certificate_is_masked_in_the_audit_diff(person, regions):
    # given: the certificate changed after the registration
    other = f"{NUMBER}21"
    services.person_update(
        actor=None,
        person=person,
        data=f.person_data(
            regions["village_a"], name="林秀英", id_number=NUMBER, disability_certificate=other, disability_grade=2
        ),
    )
    # then: neither diff holds the number in clear, both hold its mask
    created = AuditEvent.objects.get(action="person.create", object_id=str(person.public_id))
    updated = AuditEvent.objects.get(action="person.update", object_id=str(person.public_id))
    assert created.changes["disability_certificate"] == [None, masking.mask_disability_certificate(CERTIFICATE)]
    assert updated.changes["disability_certificate"] == [
        masking.mask_disability_certificate(CERTIFICATE),
        masking.mask_disability_certificate(other),
    ]
    raw = " ".join(_raw("SELECT CAST(changes AS TEXT) FROM core_auditevent", []))
    assert not _digits_of_the_id(raw)


def test_s4_certificate_can_be_unmasked_for_a_reason(person, civil_affairs_a):
    # when
    value = services.person_unmask(
        actor=civil_affairs_a, person=person, field="disability_certificate", reason="核对残疾人证"
    )
    # then
    assert value == CERTIFICATE
    assert AuditEvent.objects.filter(action="person.unmask").exists()


def test_s4_too_long_certificate_is_refused_naming_the_field(regions):
    with pytest.raises(DomainError) as error:
        f.make_person(regions["village_a"], disability_certificate="1" * 31, disability_grade=2)
    assert error.value.field == "disability_certificate"


def test_s5_evidence_certificate_number_is_encrypted_and_shown_masked(person, civil_affairs_a, client_for):
    # given: a 残疾人证 given as the evidence of the category
    evidence = f.add_evidence(Category.DISABLED, person=person, certificate_number=f"残疾证 {CERTIFICATE}")
    # then: encrypted at rest, the masked copy keeps the words and masks the number
    stored = _raw(
        "SELECT certificate_number, certificate_number_masked FROM people_evidence WHERE id = %s", [evidence.pk]
    )
    assert stored[0].startswith("v1$")
    assert stored[1] == "残疾证 " + masking.mask_id_number(NUMBER) + "32"
    assert Evidence.objects.get(pk=evidence.pk).certificate_number == f"残疾证 {CERTIFICATE}"
    # and the person page shows the mask
    html = client_for(civil_affairs_a).get(person.get_absolute_url()).content.decode()
    assert stored[1] in html
    assert not _digits_of_the_id(html)


@pytest.mark.parametrize("field", ["notes", "retirement_track_reason"])
def test_s4_an_id_number_in_free_text_is_refused_naming_the_field(regions, field):
    # when / then: free text is not encrypted, so an ID number in it is refused (nothing is saved)
    with pytest.raises(DomainError) as error:
        f.make_person(regions["village_a"], **{field: f"家属身份证 {NUMBER}"})
    assert (error.value.code, error.value.field) == ("id_number_in_text", field)
    assert not Person.objects.exists()


@pytest.mark.parametrize("field", ["registration_number", "address"])
def test_s4_an_id_number_in_a_household_field_is_refused(regions, field):
    with pytest.raises(DomainError) as error:
        services.household_create(actor=None, region=regions["village_a"], **{field: f"{CERTIFICATE}"})
    assert error.value.field == field


def test_s4_other_numbers_in_notes_are_kept(regions):
    # a phone number, a date and a case number are not ID numbers
    person = f.make_person(regions["village_a"], notes="电话 13812345678，2024-05-01 来访，案号 2024035060200001")
    assert "13812345678" in person.notes


def test_s4_the_notes_page_shows_the_refusal_on_the_field(regions, civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).post(
        reverse("people:person_create"),
        {
            "name": "王美玲",
            "id_number": f.id_number(date(1979, 9, 9), seq=468),
            "region": "350602100200",
            "employment_status": "unemployed",
            "notes": f"身份证 {NUMBER}",
        },
    )
    # then: the form comes back with the error, the number is not saved
    assert response.status_code == 200
    assert response.context["form"].errors["notes"]
    assert NUMBER not in response.content.decode().replace(f"身份证 {NUMBER}", "")  # only the typed value comes back
    assert not Person.objects.exists()
