"""The person import (S4): the web upload, bad rows reported by row and column, no duplicates on re-upload."""

from __future__ import annotations

import io
import random
import sys
import time
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from zhulao.core import synthetic
from zhulao.core.imports import services as import_services
from zhulao.core.models import ImportJob, ImportRowError
from zhulao.eldercare.models import Notification
from zhulao.people import services
from zhulao.people.models import Person
from zhulao.people.services import routing
from zhulao.people.tests import factories as f
from zhulao.rules.idcard import make_id_number

pytestmark = pytest.mark.usefixtures("policy")

UPLOAD = reverse("imports:upload", args=["persons"])
TEMPLATE = reverse("imports:template", args=["persons"])

VILLAGE_A, VILLAGE_A2, VILLAGE_B = "350602100200", "350602100201", "350603103200"

GOOD = [
    ("林秀英", f.id_number(date(1981, 3, 5), seq=202), VILLAGE_A, {"phone": "13812345678"}),
    ("陈志明", f.id_number(date(1975, 8, 20), male=True, seq=203), VILLAGE_A, {"bank": "6222020200112233445"}),
    (
        "黄美玲",
        f.id_number(date(1990, 12, 1), seq=204),
        VILLAGE_A2,
        {"registration": "失业登记", "registered_on": "2024-03-01"},
    ),
    ("吴国强", f.id_number(date(1968, 1, 31), male=True, seq=205), VILLAGE_A, {"grade": "2", "certificate": "残-1"}),
]
BAD_CHECK, RIGHT_CHECK = f.with_wrong_check_digit(f.id_number(date(1985, 5, 5), seq=206))
FEB_31 = f.with_impossible_birth_date()


def _bad_rows() -> list[tuple[list, str, str]]:
    """(row cells, column key, words of the reason) for each kind of bad row."""
    return [
        (f.import_row("校验错", BAD_CHECK, VILLAGE_A), "id_number", f"应为 {RIGHT_CHECK}"),
        (f.import_row("二月卅一", FEB_31, VILLAGE_A), "id_number", "19900231"),
        (f.import_row("林秀英", GOOD[0][1].lower(), VILLAGE_A), "id_number", "第 2 行"),  # same as row 2
        (
            f.import_row("日期错", f.id_number(date(1982, 2, 2), seq=208), VILLAGE_A, registered_on="去年三月"),
            "employment_registered_on",
            "不是有效日期",
        ),
        (f.import_row("无此村", f.id_number(date(1983, 3, 3), seq=210), "350602100299"), "village", "350602100299"),
        (f.import_row("外区人", f.id_number(date(1984, 4, 4), seq=212), VILLAGE_B), "village", "管辖范围"),
        (
            f.import_row("意愿错", f.id_number(date(1986, 6, 6), seq=214), VILLAGE_A, willing="也许"),
            "willing_to_work",
            "是",
        ),
        (f.import_row("电话错", f.id_number(date(1987, 7, 7), seq=216), VILLAGE_A, phone="12"), "phone", "12"),
    ]


def _sheet() -> bytes:
    rows = [f.import_row(name, number, village, **cells) for name, number, village, cells in GOOD]
    rows.extend(row for row, _column, _words in _bad_rows())
    return f.workbook_bytes(rows)


def _upload(client, content: bytes, name: str = "persons.xlsx"):
    return client.post(UPLOAD, {"file": f.upload(content, name)})


def _errors(job: ImportJob) -> dict[int, ImportRowError]:
    return {e.row_number: e for e in ImportRowError.objects.filter(job=job).order_by("row_number")}


def _cells(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    )


def _full_numbers() -> list[str]:
    numbers = [number for _name, number, _village, _cells in GOOD] + [BAD_CHECK, FEB_31]
    numbers += [row[1] for row, _column, _words in _bad_rows()]
    return numbers + [n.upper() for n in numbers]


# ------------------------------------------------------------------------------ rows


def test_s4_good_rows_are_saved_and_each_bad_row_is_reported_by_row_column_and_reason(
    regions, employment_center_a, client_for
):
    # given
    client = client_for(employment_center_a)
    # when
    response = _upload(client, _sheet())
    # then: the job ran at once and the browser goes to it
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.DONE
    bad = _bad_rows()
    assert (job.total_rows, job.created_rows, job.error_rows) == (len(GOOD) + len(bad), len(GOOD), len(bad))
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(name for name, *_ in GOOD)
    errors = _errors(job)
    assert sorted(errors) == list(range(len(GOOD) + 2, len(GOOD) + 2 + len(bad)))
    for offset, (_row, column, words) in enumerate(bad):
        error = errors[len(GOOD) + 2 + offset]
        assert error.column_key == column, (error.row_number, error.message)
        assert error.column_header
        assert words in error.message, (error.row_number, error.message)
    # the saved rows hold what the sheet said
    huang = services.find_by_id_number(GOOD[2][1])
    assert (huang.region_id, huang.employment_registration, huang.employment_registered_on) == (
        VILLAGE_A2,
        "unemployed",
        date(2024, 3, 1),
    )
    wu = services.find_by_id_number(GOOD[3][1])
    assert (wu.sex, wu.disability_grade, wu.retirement_track) == ("M", 2, "male")


def test_s4_the_job_page_and_the_error_file_never_hold_a_full_id_number(regions, employment_center_a, client_for):
    # given
    client = client_for(employment_center_a)
    _upload(client, _sheet())
    job = ImportJob.objects.get()
    # when
    page = client.get(job.get_absolute_url())
    error_file = client.get(reverse("imports:job_errors", args=[job.public_id]))
    # then
    assert page.status_code == 200
    assert error_file.status_code == 200
    html = page.content.decode()
    text = _cells(b"".join(error_file.streaming_content))
    assert "350602********" in text  # the masked value is there to find the row by
    assert str(len(GOOD) + 2) in text
    for number in _full_numbers():
        assert number not in html
        assert number not in text
    stored = " ".join(ImportRowError.objects.values_list("value_masked", flat=True))
    for number in _full_numbers():
        assert number not in stored


def test_s4_uploading_the_same_file_again_creates_no_one(regions, employment_center_a, client_for):
    # given
    client = client_for(employment_center_a)
    content = _sheet()
    _upload(client, content)
    # when
    _upload(client, content)
    # then
    first, second = ImportJob.objects.order_by("id")
    assert Person.objects.count() == len(GOOD)
    assert (second.created_rows, second.updated_rows, second.unchanged_rows) == (0, 0, len(GOOD))
    assert second.error_rows == first.error_rows
    assert second.file_sha256 == first.file_sha256


def test_s4_a_changed_row_updates_the_person_in_place(regions, employment_center_a, client_for):
    # given
    client = client_for(employment_center_a)
    _upload(client, _sheet())
    name, number, village, cells = GOOD[0]
    # when
    _upload(client, f.workbook_bytes([f.import_row(name, number, village, **{**cells, "phone": "13999999999"})]))
    # then
    job = ImportJob.objects.order_by("-id").first()
    assert (job.created_rows, job.updated_rows, job.unchanged_rows) == (0, 1, 0)
    assert services.find_by_id_number(number).phone_masked == "139****9999"
    assert Person.objects.count() == len(GOOD)


def test_s4_a_person_already_registered_in_another_region_is_not_moved(
    regions, village_b, village_a, civil_affairs_b, client_for
):
    # given: registered by 竹田村 (龙文区)
    number = f.id_number(date(1977, 7, 7), seq=300)
    f.make_person(regions["village_b"], actor=village_b, id_number=number, name="竹田人")
    # when: 东山村 imports the same ID into its own village
    _upload(client_for(village_a), f.workbook_bytes([f.import_row("竹田人", number, VILLAGE_A)]))
    # then: the row says only that the number cannot be used; the holding county (龙文区) is told
    job = ImportJob.objects.get()
    [error] = _errors(job).values()
    assert (error.row_number, error.column_key) == (2, "id_number")
    assert str(routing.unavailable().message) in error.message
    assert "龙文区" not in error.message
    assert "竹田" not in error.message
    assert services.find_by_id_number(number).region_id == VILLAGE_B
    assert Notification.objects.filter(user=civil_affairs_b, kind=routing.HELD_ELSEWHERE).count() == 1


def test_s4_a_village_imports_only_into_its_own_village(regions, village_a, client_for):
    # when
    _upload(
        client_for(village_a),
        f.workbook_bytes(
            [
                f.import_row("本村", f.id_number(date(1980, 1, 2), seq=302), VILLAGE_A),
                f.import_row("邻村", f.id_number(date(1980, 1, 3), seq=304), VILLAGE_A2),
            ]
        ),
    )
    # then
    job = ImportJob.objects.get()
    assert (job.created_rows, job.error_rows) == (1, 1)
    [error] = _errors(job).values()
    assert (error.row_number, error.column_key) == (3, "village")
    assert list(Person.objects.values_list("name", flat=True)) == ["本村"]


# ------------------------------------------------------------------------------ files and roles


def test_s4_the_template_has_the_import_columns(regions, village_a, client_for):
    response = client_for(village_a).get(TEMPLATE)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == f.IMPORT_HEADERS
    # the template returned untouched imports nothing: its example row is skipped
    response = _upload(client_for(village_a), b"".join(client_for(village_a).get(TEMPLATE).streaming_content))
    assert response.status_code == 200
    assert "没有数据行" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def _formula_sheet() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(f.IMPORT_HEADERS)
    sheet.append(f.import_row("林秀英", GOOD[0][1], VILLAGE_A))
    sheet["A3"] = '=HYPERLINK("http://x","点我")'
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"this is not a spreadsheet", "persons.xlsx", ""),
        (f.workbook_bytes([["林秀英", VILLAGE_A]], headers=["姓名", "村居代码"]), "persons.xlsx", "身份证号"),
        (_formula_sheet(), "persons.xlsx", "A3"),
        (b"", "persons.xlsx", ""),
    ],
)
def test_s4_a_bad_file_is_refused_whole_and_saves_nothing(regions, village_a, client_for, content, name, words):
    # when
    response = _upload(client_for(village_a), content, name)
    # then
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors
    assert words in " ".join(errors["file"])
    assert not ImportJob.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize("actor", ["helper_a", "hr_a", "finance_a"])
def test_s4_import_is_forbidden_without_person_import(regions, make_user, client_for, request, actor):
    user = make_user("finance", "county_a") if actor == "finance_a" else request.getfixturevalue(actor)
    client = client_for(user)
    assert client.get(reverse("imports:upload_page", args=["persons"])).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert _upload(client, _sheet()).status_code == 403
    assert not ImportJob.objects.exists()
    assert not Person.objects.exists()


# ------------------------------------------------------------------------------ a large file


def _big_sheet(total: int, bad_every: int) -> tuple[bytes, int]:
    """``total`` rows; every ``bad_every``-th row is bad in one of five ways. Returns (content, bad count)."""
    rng = random.Random(20261128)
    start = date(1966, 1, 1)
    rows, bad = [], 0
    for index in range(total):
        born = start + timedelta(days=index)
        male = index % 2 == 1
        number = make_id_number("350602", born, (index % 400) * 2 + (1 if male else 0))
        village = VILLAGE_A if index % 3 else VILLAGE_A2
        cells = {"phone": synthetic.phone(rng)}
        if (index + 1) % bad_every == 0:
            bad += 1
            kind = bad % 5
            if kind == 0:
                number = f.with_wrong_check_digit(number)[0]
            elif kind == 1:
                number = f.with_impossible_birth_date()
            elif kind == 2:
                number = rows[index - 1][1]  # the row above again
            elif kind == 3:
                cells["registered_on"] = "不详"
            else:
                village = VILLAGE_B
        rows.append(f.import_row(synthetic.person_name(rng), number, village, **cells))
    return f.workbook_bytes(rows), bad


def test_s4_a_file_of_10000_rows_with_50_bad_saves_9950_and_reports_50(regions, employment_center_a, capsys):
    # given
    content, bad = _big_sheet(10_000, 200)
    assert bad == 50
    started = time.perf_counter()
    # when: staged (too big to run at once), then run as the queued task would
    job = import_services.import_start(actor=employment_center_a, kind="persons", uploaded_file=f.upload(content))
    assert job.status == ImportJob.Status.PENDING
    job = import_services.import_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    # then
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows, job.created_rows, job.error_rows) == (10_000, 10_000, 9_950, 50)
    assert Person.objects.count() == 9_950
    errors = list(ImportRowError.objects.filter(job=job).order_by("row_number"))
    assert len(errors) == 50
    assert [e.row_number for e in errors] == [201 + 200 * k for k in range(50)]
    assert {e.column_key for e in errors} == {"id_number", "employment_registered_on", "village"}
    with capsys.disabled():
        sys.stdout.write(f"\n[import timing] 10,000 rows: {elapsed:.1f} s\n")
