"""The workbooks we hand out: the blank template of a spec and the error file of a job."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhulao.core.imports.specs import ImportSpec
from zhulao.core.models import ImportRowError
from zhulao.core.spreadsheets import ExportWorkbook, safe_row, save_workbook, set_cell

TEXT_FORMAT = "@"
_TEMPLATE_ROWS = 500  # rows pre-formatted as text below the example


def _width(*texts: str) -> int:
    # CJK characters take two columns
    return max(10, *(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 4 for text in texts))


def template_workbook(spec: ImportSpec) -> bytes:
    """Header row, one example row and column widths; text columns are formatted as text ("@").

    The example row may be left in: a row equal to it is skipped on upload.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", str(spec.label))[:31] or spec.kind
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        header = set_cell(sheet, row=1, column=index, value=column.header)
        header.font = Font(bold=True, color="C00000" if column.required else None)
        example = set_cell(sheet, row=2, column=index, value=column.example)
        example.font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = _width(column.header, column.example)
        if column.text:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for row in range(2, _TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append(safe_row([_("Column"), _("Required"), _("Example"), _("How to fill it in")]))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        notes.append(safe_row([column.header, _("yes") if column.required else _("no"), column.example, column.help]))
    notes.append([])
    for line in (
        _("Fill in the first sheet from row 2 on; keep the header row as it is."),
        _("The grey example row may stay: it is skipped."),
        _("Type values only: formulas are refused."),
        _("Keep ID and phone columns formatted as text, or Excel loses digits."),
    ):
        notes.append(safe_row([line]))
    for letter, width in zip("ABCD", (16, 10, 24, 60), strict=True):
        notes.column_dimensions[letter].width = width
    return save_workbook(workbook)


def error_workbook(errors: Iterable[ImportRowError]) -> bytes:
    """One line per bad cell: row number, column, masked value and the problem."""
    workbook = ExportWorkbook()
    sheet = workbook.create_sheet(_("Bad rows"))
    for letter, width in zip("ABCD", (8, 16, 24, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_("Row"), _("Column"), _("Value"), _("Problem")])
    for error in errors:
        sheet.append([error.row_number, error.column_header, error.value_masked, error.message])
    return workbook.save()
