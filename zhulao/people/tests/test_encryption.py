"""Personal data at rest (S4, SECURITY): ID, phone and bank numbers never stored in the clear.

The scan reads every text-like column of every table with raw SQL, so a new column or table that
leaks a plaintext value (an audit field, an import error, a cache) is caught without naming it.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from zhulao.core import crypto
from zhulao.core.imports import services as import_services
from zhulao.core.models import ImportJob
from zhulao.people import services
from zhulao.people.models import Person
from zhulao.people.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

# Field types whose columns hold text (JSON included: the audit trail's "changes" is JSON).
TEXT_TYPES = {
    "CharField",
    "TextField",
    "JSONField",
    "SlugField",
    "EmailField",
    "URLField",
    "GenericIPAddressField",
    "IPAddressField",
    "FilePathField",
}

KNOWN = [
    # (ID number, phone, bank account)
    (f.id_number(date(1976, 4, 9), seq=321), "13812345678", "6222020200112233445"),
    (f.id_number(date(1988, 11, 30), seq=654), "15960001234", "6217000010002000300"),
    (f.id_number(date(1969, 7, 1), male=True, seq=987), "0596-2345678", "6228480088776655443"),
]


def _text_columns() -> list[tuple[str, str]]:
    """(table, column) of every text-like column of every table, found by introspection."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.get_table_list(cursor):
            if table.type != "t":
                continue
            for column in connection.introspection.get_table_description(cursor, table.name):
                try:
                    field_type = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    field_type = ""
                if field_type in TEXT_TYPES:
                    out.append((table.name, column.name))
    return out


def _scan(needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every needle found anywhere in a text-like column."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(f"SELECT CAST({quote(column)} AS TEXT) FROM {quote(table)}")  # noqa: S608
            for (value,) in cursor.fetchall():
                if value is None:
                    continue
                found.extend((table, column, needle) for needle in needles if needle in value)
    return found


@pytest.fixture
def known_persons(regions, village_a, hr_a, employment_center_a):
    """Three persons with known numbers, each touched the ways that write rows: create, update,
    unmask, an import with a bad row, a household."""
    persons = []
    for index, (number, phone, bank) in enumerate(KNOWN):
        persons.append(
            f.make_person(
                regions["village_a"],
                actor=village_a,
                name=f"测试{index}",
                id_number=number,
                phone=phone,
                bank_account=bank,
            )
        )
    services.person_update(
        actor=village_a,
        person=persons[0],
        data=f.person_data(
            regions["village_a"], name="测试0", id_number=KNOWN[0][0], phone="13800000000", bank_account=KNOWN[0][2]
        ),
    )
    for field in ("id_number", "phone", "bank_account"):
        services.person_unmask(actor=hr_a, person=persons[1], field=field, reason="核对补贴发放")
    household = f.make_household(regions["village_a"])
    f.put_in_household(household, persons[2])
    # an import that names the same people again, one row twice and one with a bad phone
    number, phone, bank = KNOWN[1]
    rows = [
        f.import_row("测试1", number, "350602100200", phone=phone, bank=bank),
        f.import_row("测试1", number, "350602100200", phone=phone, bank=bank),
        f.import_row("测试2", KNOWN[2][0], "350602100200", phone="1234", bank=KNOWN[2][2]),
    ]
    job = import_services.import_start(
        actor=employment_center_a, kind="persons", uploaded_file=f.upload(f.workbook_bytes(rows))
    )
    assert job.status == ImportJob.Status.DONE
    assert job.error_rows == 2
    return persons


def test_s4_no_table_holds_an_id_phone_or_bank_number_in_the_clear(known_persons):
    # given
    needles = [value for triple in KNOWN for value in triple] + ["13800000000", "05962345678"]
    # the scan does look at the tables that matter
    columns = set(_text_columns())
    assert ("people_person", "id_number") in columns
    assert ("core_importrowerror", "value_masked") in columns
    assert any(table == "core_auditevent" and column == "changes" for table, column in columns)
    # when
    found = _scan(needles)
    # then
    assert found == []


def test_s4_the_scan_would_find_a_plaintext_value(known_persons):
    # given: a value written in the clear behind the field's back
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET notes = %s WHERE name = %s", [KNOWN[0][0], "测试0"])
    # then
    assert _scan([KNOWN[0][0]]) == [("people_person", "notes", KNOWN[0][0])]


def test_s4_the_stored_value_is_a_tagged_ciphertext(known_persons):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, bank_account FROM people_person WHERE name = %s", ["测试1"])
        stored = cursor.fetchone()
    kid = crypto.key_id(crypto.encrypt("x"))
    assert all(value.startswith(f"v1${kid}$") for value in stored)
    assert [crypto.decrypt(value) for value in stored] == [KNOWN[1][0], KNOWN[1][1], KNOWN[1][2]]


def test_s4_lookup_by_id_number_goes_through_the_blind_index(known_persons):
    number = KNOWN[2][0]
    person = services.find_by_id_number(number)
    assert person is not None
    assert person.id_number == number
    assert person.id_number_index == crypto.blind_index("id_number", number)
    assert services.find_by_id_number(f.id_number(date(1999, 9, 9), seq=2)) is None


def test_s4_the_database_refuses_a_second_row_with_the_same_blind_index(known_persons):
    # given: a copy of a person, written without the service's duplicate check
    original = Person.objects.get(name="测试0")
    copy = Person.objects.get(pk=original.pk)
    copy.pk = None
    copy.public_id = uuid.uuid4()
    copy.name = "副本"
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)
    assert Person.objects.filter(id_number_index=original.id_number_index).count() == 1


def test_s4_a_different_pii_key_fails_loudly_and_an_old_key_still_decrypts(known_persons, settings):
    # given
    old_key = settings.PII_KEY
    settings.PII_KEY = "another-key-for-a-rotation-0123456789abcdef"
    settings.PII_OLD_KEYS = []
    crypto._keys.cache_clear()
    # when / then: the rows were sealed with a key no longer configured
    with pytest.raises(crypto.CryptoError):
        Person.objects.get(name="测试1")
    # when: the old key is listed for the rotation
    settings.PII_OLD_KEYS = [old_key]
    crypto._keys.cache_clear()
    # then
    person = Person.objects.get(name="测试1")
    assert (person.id_number, person.phone, person.bank_account) == KNOWN[1]
    # and new values are sealed with the new key
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_person WHERE name = %s", ["测试1"])
        (stored,) = cursor.fetchone()
    assert crypto.key_id(crypto.encrypt("x")) != crypto.key_id(stored)


def test_s4_an_altered_ciphertext_fails_loudly(known_persons):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_person WHERE name = %s", ["测试2"])
        (stored,) = cursor.fetchone()
    prefix, kid, body = stored.split("$", 2)
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]  # inside the ciphertext, not the padding
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(f"{prefix}${kid}${flipped}")
