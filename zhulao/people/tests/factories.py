"""Test data for the people registry, made through the real services (blind index, masking, audit).

Plain helper functions rather than factory_boy classes: a person must go through
``services.person_create`` for its encrypted columns, blind indexes and masked copies to be right,
and the helpers stay one call each.
"""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhulao.people import services
from zhulao.people.choices import Relation
from zhulao.people.models import Evidence, ExternalPlacement, Household, Person
from zhulao.regions.models import Region
from zhulao.rules.idcard import check_char, make_id_number

_sequences = itertools.count(100)


def id_number(
    born: date = date(1980, 3, 15), *, male: bool = False, address: str = "350602", seq: int | None = None
) -> str:
    """A valid synthetic ID number; each call gets a fresh sequence unless ``seq`` is given."""
    if seq is None:
        seq = (next(_sequences) % 499) * 2 + (1 if male else 0)
    return make_id_number(address, born, seq)


def with_wrong_check_digit(number: str) -> tuple[str, str]:
    """``number`` with a wrong 18th character, and the character that would be right."""
    right = check_char(number[:17])
    wrong = "0" if right != "0" else "1"
    return number[:17] + wrong, right


def with_impossible_birth_date(address: str = "350602") -> str:
    """A number born on 31 February (the check character is right for its 17 digits)."""
    first17 = f"{address}19900231123"
    return first17 + check_char(first17)


def years_ago(years: int, *, on: date | None = None) -> date:
    """A birth date (1 January) that makes the person exactly ``years`` old on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return date(on.year - years, 1, 1)


def person_data(region: Region, **overrides: Any) -> services.PersonData:
    """What a form would send for a woman of 46 in ``region``, willing and able to work."""
    values: dict[str, Any] = {
        "name": "林秀英",
        "id_number": id_number(),
        "region": region,
        "willing_to_work": True,
        "able_to_work": True,
    }
    values.update(overrides)
    return services.PersonData(**values)


def make_person(region: Region, *, actor: Any = None, **overrides: Any) -> Person:
    """A person registered through ``services.person_create`` (``actor=None``: the system)."""
    return services.person_create(actor=actor, data=person_data(region, **overrides))


def make_household(region: Region, *, actor: Any = None, number: str = "") -> Household:
    return services.household_create(actor=actor, region=region, registration_number=number)


def put_in_household(household: Household, person: Person, relation: str = Relation.HEAD) -> Person:
    return services.household_set_member(actor=None, household=household, person=person, relation=relation)


def add_evidence(
    category: str,
    *,
    person: Person | None = None,
    household: Household | None = None,
    valid_from: date = date(2020, 1, 1),
    valid_until: date | None = None,
    certificate_number: str = "证-0001",
) -> Evidence:
    return services.evidence_add(
        actor=None,
        category=category,
        person=person,
        household=household,
        valid_from=valid_from,
        valid_until=valid_until,
        certificate_number=certificate_number,
    )


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def make_external_placement(person: Person, *, started_on: date, ended_on: date | None = None) -> ExternalPlacement:
    """A placement recorded outside the platform (no service writes these yet: straight to the model)."""
    return ExternalPlacement.objects.create(
        person=person,
        post_name="养老护理员",
        employer_name="浦南镇敬老院",
        started_on=started_on,
        ended_on=ended_on,
        first_approved_on=started_on,
        source="县人社局台账",
        region_id=person.region_id,
    )


# ----------------------------------------------------------------------------- person import sheets

IMPORT_HEADERS = [
    "姓名",
    "身份证号",
    "村居代码",
    "户籍地代码",
    "手机号",
    "银行账号",
    "残疾证号",
    "残疾等级",
    "就业登记",
    "登记日期",
    "就业状态",
    "就业意愿",
    "劳动能力",
]


def import_row(name: str, number: str, village: str, **cells: Any) -> list[Any]:
    """One row of the person import, in the order of ``IMPORT_HEADERS``."""
    values = {"hukou": "", "phone": "", "bank": "", "certificate": "", "grade": "", "registration": ""}
    values.update({"registered_on": "", "status": "未就业", "willing": "是", "able": "是"})
    values.update(cells)
    return [
        name,
        number,
        village,
        values["hukou"],
        values["phone"],
        values["bank"],
        values["certificate"],
        values["grade"],
        values["registration"],
        values["registered_on"],
        values["status"],
        values["willing"],
        values["able"],
    ]


def workbook_bytes(rows: list[list[Any]], headers: list[str] = IMPORT_HEADERS) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "persons.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
