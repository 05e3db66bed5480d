"""Generic spreadsheet imports, driven by a dummy spec registered here (core knows no domain).

The dummy "test_people" spec saves a row as an audit event keyed by a hash of the ID number, so
the tests can count what was written; it is dedupe-aware like a real spec must be.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from zhulao.accounts.models import User
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.imports import reading, services, specs
from zhulao.core.models import AuditEvent, ImportJob, ImportRowError
from zhulao.rules.idcard import make_id_number
from zhulao.rules.masking import mask_id_number

KIND = "test_people"
ID_1 = make_id_number("350602", date(1990, 1, 1), 123)
ID_2 = make_id_number("350602", date(1985, 6, 30), 456)
ID_3 = make_id_number("350603", date(1970, 12, 31), 789)
BAD_CHECK = ID_1[:17] + ("0" if ID_1[17] != "0" else "1")
HEADERS = ["姓名", "身份证号", "出生日期"]


class Boom(RuntimeError):
    """An unexpected error inside save_row (a bug), not a domain refusal."""


def _person_key(id_number: str) -> str:
    return hashlib.sha256(id_number.encode()).hexdigest()[:32]


def _save_row(actor: Any, values: dict[str, Any], region_prefixes: list[str]) -> specs.RowOutcome:
    key = _person_key(values["id_number"])
    state = {
        "name": values["name"],
        "birth_date": values["birth_date"].isoformat() if values["birth_date"] else None,
    }
    last = AuditEvent.objects.filter(action__startswith="test_people.", object_id=key).order_by("-seq").first()
    if last is not None and last.changes == state:
        return specs.RowOutcome.UNCHANGED
    record_event(
        actor=actor,
        action="test_people.update" if last else "test_people.create",
        object_type="test.person",
        object_id=key,
        changes=state,
    )
    if values["name"] == "拒绝":  # written, then refused: the savepoint must undo the write
        raise DomainError("refused", "The domain refused this person.", field="name")
    if values["name"] == "崩溃":
        raise Boom("bug")
    return specs.RowOutcome.UPDATED if last else specs.RowOutcome.CREATED


SPEC = specs.ImportSpec(
    kind=KIND,
    label="Test people",
    columns=(
        specs.Column("name", "姓名", True, specs.parse_text, example="张三", help="Full name"),
        specs.Column(
            "id_number",
            "身份证号",
            True,
            specs.parse_id_number,
            example=make_id_number("350602", date(1960, 1, 1), 1),
        ),
        specs.Column("birth_date", "出生日期", False, specs.parse_date, example="1960-01-01", text=False),
    ),
    action=Action.REGION_VIEW,
    dedupe_key=lambda values: values["id_number"],
    dedupe_column="id_number",
    save_row=_save_row,
    sensitive={"id_number": "id_number"},
)
specs.register(SPEC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", headers: list[str] = HEADERS) -> bytes:
    lines = [",".join(headers)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(content: bytes, name: str = "people.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def start(actor: User, content: bytes, name: str = "people.xlsx") -> ImportJob:
    return services.import_start(actor=actor, kind=KIND, uploaded_file=upload(content, name))


def person_events(action: str = "test_people.create") -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action=action)


def errors_of(job: ImportJob) -> list[ImportRowError]:
    return list(ImportRowError.objects.filter(job=job).order_by("row_number", "id"))


# ------------------------------------------------------------------------------ rows and errors


def test_good_rows_are_kept_and_bad_rows_reported_with_row_column_and_reason(civil_affairs_a):
    # given
    content = xlsx(
        [
            ["王芳", ID_1, "1990-01-01"],  # row 2: good
            ["李四", BAD_CHECK, ""],  # row 3: wrong check digit
            ["赵六", ID_2, "1985-02-31"],  # row 4: 31 February
            ["钱七", ID_3, "不知道"],  # row 5: text in a date column
            ["王芳二", ID_1, ""],  # row 6: the same person as row 2
            ["孙八", ID_2, date(1985, 6, 30)],  # row 7: good (a real date cell)
            ["", ID_3, ""],  # row 8: required name missing
        ]
    )
    # when
    job = start(civil_affairs_a, content)
    # then
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.created_rows, job.error_rows) == (7, 2, 5)
    found = {(e.row_number, e.column_key): e.message for e in errors_of(job)}
    assert set(found) == {
        (3, "id_number"),
        (4, "birth_date"),
        (5, "birth_date"),
        (6, "id_number"),
        (8, "name"),
    }
    assert "check digit is wrong" in found[(3, "id_number")].lower()
    assert "should be 5" in found[(3, "id_number")]
    assert "no such day" in found[(4, "birth_date")]
    assert "Not a date" in found[(5, "birth_date")]
    assert "row 2" in found[(6, "id_number")]
    assert "required" in found[(8, "name")]
    assert person_events().count() == 2
    saved = person_events().get(object_id=_person_key(ID_2))
    assert saved.changes == {"name": "孙八", "birth_date": "1985-06-30"}


def test_a_row_refused_by_the_domain_leaves_nothing_half_written(civil_affairs_a):
    # when: save_row writes, then raises DomainError naming the "name" column
    job = start(civil_affairs_a, xlsx([["拒绝", ID_1, ""], ["王芳", ID_2, ""]]))
    # then
    [error] = errors_of(job)
    assert (error.row_number, error.column_key, error.column_header) == (2, "name", "姓名")
    assert error.message == "The domain refused this person."
    assert not person_events().filter(object_id=_person_key(ID_1)).exists()
    assert job.created_rows == 1


def test_an_unexpected_error_fails_the_job_and_keeps_the_rows_before(civil_affairs_a):
    # when
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""], ["崩溃", ID_2, ""], ["李四", ID_3, ""]]))
    # then
    assert job.status == ImportJob.Status.FAILED
    assert "unexpected error" in job.failure_message
    assert job.content  # kept, so the job can be run again
    assert person_events().filter(object_id=_person_key(ID_1)).exists()
    assert not person_events().filter(object_id=_person_key(ID_2)).exists()
    assert AuditEvent.objects.filter(action="import.finish", outcome="failure").count() == 1


def test_a_long_number_stored_as_a_number_is_reported_on_its_row(civil_affairs_a):
    # given: Excel turned the ID into 3.5060219900101E+17
    content = xlsx([["王芳", 3.5060219900101e17, ""], ["李四", ID_2, ""]])
    # when
    job = start(civil_affairs_a, content)
    # then
    [error] = errors_of(job)
    assert (error.row_number, error.column_key) == (2, "id_number")
    assert "lost digits" in error.message
    assert job.created_rows == 1


def test_headers_match_by_key_too_and_blank_rows_and_extra_columns_are_ignored(civil_affairs_a):
    # given
    content = xlsx(
        [["王芳", ID_1, "x"], [None, None, None], ["李四", ID_2, "y"]], headers=["name", "id_number", "备注"]
    )
    # when
    job = start(civil_affairs_a, content)
    # then
    assert (job.total_rows, job.created_rows, job.error_rows) == (2, 2, 0)


# ------------------------------------------------------------------------------ refused files


def test_a_formula_cell_refuses_the_whole_file_naming_the_cell(civil_affairs_a):
    # given
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["王芳", ID_1, "1990-01-01"])
    sheet.append(["李四", ID_2, "1985-06-30"])
    sheet["C4"] = "=TODAY()"
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    with pytest.raises(DomainError) as refused:
        start(civil_affairs_a, buffer.getvalue())
    # then
    assert refused.value.code == "import_file_refused"
    assert "C4" in str(refused.value)
    assert not ImportJob.objects.exists()
    assert not person_events().exists()
    assert AuditEvent.objects.filter(action="import.refuse", outcome="failure").count() == 1


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-HYPERLINK(1)", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"])
def test_a_csv_cell_a_spreadsheet_would_run_refuses_the_whole_file(civil_affairs_a, cell):
    content = csv_bytes([["王芳", ID_1, ""], ['"' + cell.replace('"', '""') + '"', ID_2, ""]])
    with pytest.raises(DomainError, match="A3"):
        start(civil_affairs_a, content, "people.csv")


def test_negative_numbers_and_phone_prefixes_are_not_formulas():
    assert not reading._csv_formula("-5")
    assert not reading._csv_formula("+86 138 0000 0000")
    assert reading._csv_formula("-A1")


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # a picture
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .xls
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x01",  # a PDF
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(civil_affairs_a, content):
    with pytest.raises(DomainError) as refused:
        start(civil_affairs_a, content, "people.xlsx")
    assert refused.value.code == "import_file_refused"
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(civil_affairs_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(DomainError, match="neither"):
        start(civil_affairs_a, buffer.getvalue(), "people.xlsx")


def test_an_oversized_file_is_refused(civil_affairs_a, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = csv_bytes([["王芳" * 50, ID_1, ""]] * 10)
    assert len(content) > 1000
    with pytest.raises(DomainError, match="larger than"):
        start(civil_affairs_a, content, "people.csv")


def test_too_many_rows_are_refused(civil_affairs_a, settings):
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(DomainError, match="more than 2"):
        start(civil_affairs_a, xlsx([["王芳", ID_1, ""], ["李四", ID_2, ""], ["赵六", ID_3, ""]]))


def test_a_missing_required_header_refuses_the_file_naming_it(civil_affairs_a):
    with pytest.raises(DomainError, match="身份证号"):
        start(civil_affairs_a, xlsx([["王芳", "1990-01-01"]], headers=["姓名", "出生日期"]))


def test_a_role_without_the_action_may_not_import(helper_a):
    with pytest.raises(Forbidden):
        start(helper_a, xlsx([["王芳", ID_1, ""]]))


# --------------------------------------------------------------------------------- encodings


def test_a_gb18030_csv_is_read(civil_affairs_a):
    # given: what Excel on a Chinese Windows saves as "CSV"
    content = csv_bytes([["王芳", ID_1, "1990/1/1"], ["欧阳娜娜", ID_2, "19850630"]], encoding="gb18030")
    # when
    job = start(civil_affairs_a, content, "people.csv")
    # then
    assert (job.created_rows, job.error_rows) == (2, 0)
    saved = person_events().get(object_id=_person_key(ID_2))
    assert saved.changes == {"name": "欧阳娜娜", "birth_date": "1985-06-30"}


def test_a_utf8_csv_with_bom_is_read(civil_affairs_a):
    content = b"\xef\xbb\xbf" + csv_bytes([["王芳", ID_1, "1990-01-01"]])
    job = start(civil_affairs_a, content, "people.csv")
    assert job.created_rows == 1
    assert person_events().get().changes["name"] == "王芳"


# ---------------------------------------------------------------------------- re-runs, progress


def test_uploading_the_same_file_again_creates_nothing_new(civil_affairs_a):
    # given
    content = xlsx([["王芳", ID_1, "1990-01-01"], ["李四", ID_2, ""], ["坏", BAD_CHECK, ""]])
    first = start(civil_affairs_a, content)
    # when
    second = start(civil_affairs_a, content)
    # then
    assert (first.created_rows, first.unchanged_rows) == (2, 0)
    assert (second.created_rows, second.updated_rows, second.unchanged_rows, second.error_rows) == (
        0,
        0,
        2,
        1,
    )
    assert person_events().count() == 2
    assert second.file_sha256 == first.file_sha256


def test_running_a_done_job_again_does_nothing(civil_affairs_a):
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""]]))
    again = services.import_run(job_id=job.pk)
    assert again.status == ImportJob.Status.DONE
    assert again.finished_at == job.finished_at
    assert person_events().count() == 1
    assert bytes(again.content) == b""


def test_a_large_file_runs_in_the_task_after_commit_and_counters_match(
    civil_affairs_a, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given: more rows than run in the request, progress written every 2 rows
    settings.IMPORT_SYNC_MAX_ROWS = 2
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    rows = [[f"人{i}", make_id_number("350602", date(1980, 1, 1 + i), i), ""] for i in range(5)]
    rows.append(["坏", BAD_CHECK, ""])
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(civil_affairs_a, xlsx(rows))
    # then: staged, waiting for the task
    assert job.status == ImportJob.Status.PENDING
    assert len(callbacks) == 1
    assert bytes(ImportJob.objects.get(pk=job.pk).content) != xlsx(rows)  # stored encrypted
    callbacks[0]()  # the ImmediateBackend runs import_run_task now
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.total_rows == job.processed_rows == 6
    assert (job.created_rows, job.error_rows) == (5, 1)
    assert job.created_rows + job.updated_rows + job.unchanged_rows + job.error_rows == job.processed_rows
    assert ImportRowError.objects.filter(job=job).count() == 1
    assert bytes(job.content) == b""  # the staged file is dropped once done
    finish = AuditEvent.objects.get(action="import.finish")
    assert finish.changes["created_rows"] == 5


def test_progress_counters_are_written_during_the_run(civil_affairs_a, monkeypatch):
    # given: watch each progress write
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    seen = []
    original = services._Run.flush

    def flush(self):
        original(self)
        seen.append(ImportJob.objects.values_list("processed_rows", "created_rows", "error_rows").get(pk=self.job.pk))

    monkeypatch.setattr(services._Run, "flush", flush)
    rows = [
        ["王芳", ID_1, ""],
        ["坏", BAD_CHECK, ""],
        ["李四", ID_2, ""],
        ["赵六", ID_3, ""],
        ["钱七", BAD_CHECK, ""],
    ]
    # when
    start(civil_affairs_a, xlsx(rows))
    # then
    assert seen == [(2, 1, 1), (4, 3, 1)]


# ------------------------------------------------------------------------- views and downloads


def test_upload_page_lists_columns_and_the_template_link(client_for, civil_affairs_a):
    response = client_for(civil_affairs_a).get(reverse("imports:upload_page", args=[KIND]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "身份证号" in body
    assert reverse("imports:template", args=[KIND]) in body


def test_upload_pages_are_404_for_an_unknown_kind_and_403_without_the_action(client_for, civil_affairs_a, helper_a):
    assert client_for(civil_affairs_a).get(reverse("imports:upload_page", args=["nope"])).status_code == 404
    assert client_for(helper_a).get(reverse("imports:upload_page", args=[KIND])).status_code == 403
    assert client_for(helper_a).get(reverse("imports:template", args=[KIND])).status_code == 403


def test_the_template_has_headers_an_example_and_text_columns(client_for, civil_affairs_a):
    # when
    response = client_for(civil_affairs_a).get(reverse("imports:template", args=[KIND]))
    # then
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A2"].value == "张三"
    assert sheet["B2"].number_format == "@"
    assert sheet.column_dimensions["B"].width >= 18
    # and the untouched template holds no data: its example row is skipped
    with pytest.raises(DomainError, match="没有数据行"):
        start(civil_affairs_a, content)


def test_upload_view_redirects_to_the_job_page_with_the_counts(client_for, civil_affairs_a):
    # given
    client = client_for(civil_affairs_a)
    file = upload(xlsx([["王芳", ID_1, ""], ["坏", BAD_CHECK, ""]]))
    # when
    response = client.post(reverse("imports:upload", args=[KIND]), {"file": file})
    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert b'data-testid="count-created">1<' in page.content
    assert b"<progress" in page.content
    assert b"style=" not in page.content


def test_upload_view_shows_why_a_file_was_refused(client_for, civil_affairs_a):
    client = client_for(civil_affairs_a)
    response = client.post(reverse("imports:upload", args=[KIND]), {"file": upload(b"\x89PNG\r\n\x1a\n\x00")})
    assert response.status_code == 200
    assert "既不是 Excel 工作簿".encode() in response.content
    assert not ImportJob.objects.exists()


def test_the_progress_poll_returns_the_fragment_while_running_and_refreshes_when_done(client_for, civil_affairs_a):
    # given
    client = client_for(civil_affairs_a)
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""]]))
    # when: done
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    # then
    assert done["HX-Refresh"] == "true"
    # when: still running
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    running = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    # then
    body = running.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "<progress" in body
    assert "<html" not in body


def test_the_error_file_holds_the_masked_id_never_the_full_one(client_for, civil_affairs_a):
    # given: a duplicate row, so the error names a valid (maskable) ID number
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""], ["王芳", ID_1, ""], ["坏", BAD_CHECK, ""]]))
    client = client_for(civil_affairs_a)
    # when
    response = client.get(reverse("imports:job_errors", args=[job.public_id]))
    # then
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == [3, "身份证号", ID_1[:6] + "*" * 12]
    assert rows[2][0] == 4
    text = str(rows)
    assert ID_1 not in text
    assert BAD_CHECK not in text
    page = client.get(job.get_absolute_url()).content.decode()
    assert ID_1 not in page
    assert BAD_CHECK not in page


def test_the_job_page_is_for_the_uploader_and_those_whose_scope_covers_it(
    client_for, civil_affairs_a, civil_affairs_b, civil_affairs_city, helper_a
):
    # given: uploaded in county A
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""], ["坏", BAD_CHECK, ""]]))
    urls = [job.get_absolute_url(), reverse("imports:job_errors", args=[job.public_id])]
    for url in urls:
        # then
        assert client_for(civil_affairs_a).get(url).status_code == 200
        assert client_for(civil_affairs_city).get(url).status_code == 200  # the city covers county A
        assert client_for(civil_affairs_b).get(url).status_code == 404  # another county
        assert client_for(helper_a).get(url).status_code == 403  # no such action
    other = client_for(civil_affairs_a).get(
        reverse("imports:job_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert other.status_code == 404


def test_the_job_page_reads_a_bounded_number_of_queries(client_for, civil_affairs_a, django_assert_max_num_queries):
    # given: many bad rows
    job = start(civil_affairs_a, xlsx([[f"坏{i}", BAD_CHECK, ""] for i in range(120)]))
    client = client_for(civil_affairs_a)
    # then
    with django_assert_max_num_queries(13):
        response = client.get(job.get_absolute_url())
    assert response.status_code == 200
    assert job.error_rows == 120


def test_recent_jobs_on_the_upload_page_are_the_users_own(client_for, civil_affairs_a, civil_affairs_b):
    job = start(civil_affairs_a, xlsx([["王芳", ID_1, ""]]), "mine.xlsx")
    mine = client_for(civil_affairs_a).get(reverse("imports:upload_page", args=[KIND])).content.decode()
    theirs = client_for(civil_affairs_b).get(reverse("imports:upload_page", args=[KIND])).content.decode()
    assert job.get_absolute_url() in mine
    assert job.get_absolute_url() not in theirs


# ---------------------------------------------------------------------------- pure pieces


def test_parse_date_accepts_the_usual_forms_and_refuses_impossible_days():
    for raw in ["1990-01-31", "1990/1/31", "1990.1.31", "19900131", "1990年1月31日", "1990-01-31 00:00:00"]:
        assert specs.parse_date(raw) == date(1990, 1, 31)
    with pytest.raises(ValueError, match="no such day"):
        specs.parse_date("1990-02-31")
    with pytest.raises(ValueError, match="Not a date"):
        specs.parse_date("31/01/1990")


def test_xlsx_values_become_text():
    # openpyxl gives naive datetimes: a workbook has no time zone
    assert reading._xlsx_value(datetime(1990, 1, 31)).text == "1990-01-31"  # noqa: DTZ001
    assert reading._xlsx_value(datetime(1990, 1, 31, 8, 30)).text == "1990-01-31T08:30:00"  # noqa: DTZ001
    assert reading._xlsx_value(12.0).text == "12"
    assert reading._xlsx_value(350602199001011234).text == "350602199001011234"
    assert reading._xlsx_value(3.5060219900101e17).problem
    assert reading._xlsx_value(" 王芳 ").text == "王芳"
    assert reading._text_cell("3.50602E+17").problem  # the same loss, come through a CSV


def test_a_spec_refuses_unknown_column_keys():
    with pytest.raises(ValueError, match="unknown column keys"):
        specs.ImportSpec(
            kind="broken",
            label="Broken",
            columns=SPEC.columns,
            action=Action.REGION_VIEW,
            dedupe_key=lambda values: "",
            save_row=_save_row,
            sensitive={"phone": "phone"},
        )


def test_s4_an_id_number_in_a_column_not_declared_sensitive_is_masked_in_the_error(civil_affairs_a):
    # given: the ID number typed into the birth-date column by mistake
    job = start(civil_affairs_a, csv_bytes([["王芳", ID_2, f"{ID_1}"]]))
    # then: the bad cell is reported with the number masked
    [error] = errors_of(job)
    assert error.column_key == "birth_date"
    assert ID_1 not in error.value_masked
    assert error.value_masked == mask_id_number(ID_1)
