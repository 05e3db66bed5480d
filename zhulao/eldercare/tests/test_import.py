"""Elder archives import (issue: reuse the people import machinery): good rows kept, bad rows reported."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from zhulao.core.imports import services as import_services
from zhulao.eldercare.models import ElderArchive
from zhulao.people.tests import factories as people_factories


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "村居代码", "类别", "居住情况", "服务需求"])
    for row in rows:
        sheet.append(row)
    for cell in sheet["B"]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_s13_import_keeps_good_rows_and_reports_bad_ones(policy, regions, village_a):
    good = people_factories.id_number(date(1941, 1, 1))
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    upload = _xlsx(
        [
            ["陈阿婆", good, "350602100200", "留守、独居", "平房", "助餐"],
            ["李阿公", bad_check, "350602100200", "空巢", "", ""],
            ["王阿婆", people_factories.id_number(date(1942, 2, 2)), "350602100200", "不存在的类别", "", ""],
            ["张阿公", people_factories.id_number(date(1943, 3, 3)), "350603103200", "孤寡", "", ""],
        ]
    )
    job = import_services.import_start(
        actor=village_a, kind="elders", uploaded_file=SimpleUploadedFile("elders.xlsx", upload)
    )
    job = import_services.import_run(job_id=job.pk)
    assert (job.created_rows, job.error_rows) == (1, 3)
    archive = ElderArchive.objects.get()
    assert archive.categories == ["left_behind", "living_alone"]
    errors = {(e.row_number, e.column_key) for e in job.errors.all()}
    assert errors == {(3, "id_number"), (4, "categories"), (5, "village")}
    # re-uploading the same file creates nothing new
    again = import_services.import_run(
        job_id=import_services.import_start(
            actor=village_a, kind="elders", uploaded_file=SimpleUploadedFile("elders.xlsx", upload)
        ).pk
    )
    assert (again.created_rows, again.unchanged_rows) == (0, 1)
    assert ElderArchive.objects.count() == 1
