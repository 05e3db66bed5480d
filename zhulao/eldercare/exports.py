"""Excel export of the elders not visited in the period, with the why of each: masked values only, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from zhulao.core.audit import record_event
from zhulao.core.spreadsheets import ExportWorkbook, xlsx_response
from zhulao.eldercare.selectors import Missed
from zhulao.regions.models import Region


def not_visited_workbook_response(*, actor: Any, region: Region, on: date, missed: list[Missed]) -> HttpResponse:
    workbook = ExportWorkbook()
    sheet = workbook.create_sheet(_("Not visited"))
    sheet.append(
        [
            _("Name"),
            _("ID number (masked)"),
            _("Village / community"),
            _("Village code"),
            _("Rule"),
            _("Helper"),
            _("Last visit"),
            _("Emergency follow-up overdue"),
            _("Why"),
        ]
    )
    for m in missed:
        sheet.append(
            [
                m.archive.person.name,
                m.archive.person.id_number_masked,
                m.archive.region.name,
                m.archive.region_id,
                m.rule,
                str(m.helper) if m.helper else _("No helper paired"),
                m.last_visit.isoformat() if m.last_visit else _("never"),
                _("yes") if m.followup_overdue else "",
                m.reason,
            ]
        )
    record_event(
        actor=actor,
        action="coverage.export",
        object_type="eldercare.elderarchive",
        region_code=region.code,
        changes={"rows": [None, len(missed)], "region": [None, region.code], "on": [None, on.isoformat()]},
    )
    return xlsx_response(workbook, f"not-visited-{region.code}")
