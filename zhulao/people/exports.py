"""Excel export of the person list: masked values only, audited."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from zhulao.core.audit import record_event
from zhulao.core.spreadsheets import ExportWorkbook, xlsx_response
from zhulao.people.models import Person

EXPORT_MAX_ROWS = 100_000


def person_workbook_response(*, actor: Any, persons: QuerySet[Person], filters: Any) -> HttpResponse:
    workbook = ExportWorkbook()
    sheet = workbook.create_sheet(_("Persons"))
    sheet.append(
        [
            _("Name"),
            _("Sex"),
            _("Birth year"),
            _("ID number (masked)"),
            _("Phone (masked)"),
            _("Village / community"),
            _("Village code"),
            _("Household registration region code"),
            _("Urban/rural class"),
            _("Employment status"),
        ]
    )
    count = 0
    for person in persons[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        sheet.append(
            [
                person.name,
                person.get_sex_display(),
                person.birth_date.year,  # never the date: with the region and sex it narrows the ID
                person.id_number_masked,
                person.phone_masked,
                person.region.name,
                person.region_id,
                person.hukou_region_code,
                person.urban_rural_code,
                person.get_employment_status_display(),
            ]
        )
        count += 1
    record_event(
        actor=actor,
        action="person.export",
        object_type="people.person",
        changes={"rows": [None, count], "filters": [None, vars(filters)]},
    )
    return xlsx_response(workbook, "persons")
