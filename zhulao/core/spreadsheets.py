"""The one writer for every spreadsheet we hand out (Excel exports, import templates and error files, CSV).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what Excel, LibreOffice
and WPS read as a formula (or a DDE command), so a person named ``=HYPERLINK("http://…"&A1,"x")`` would become
a live link in the exported file. Every cell goes through ``cell_value``: such text gets a leading apostrophe
(the OWASP "CSV injection" advice) and is written as a string cell, never as a formula. Numbers, dates and
booleans stay what they are; anything else is written as its text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_KEPT = (bool, int, float, Decimal, date, datetime)


def neutral_text(text: str) -> str:
    """The text as a spreadsheet shows it without ever evaluating it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value: Any) -> Any:
    """What to put in a cell: numbers, dates and booleans as themselves, everything else as safe text."""
    if value is None or isinstance(value, _KEPT):
        return value
    return neutral_text(str(value))


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [cell_value(v) for v in values]


class ExportSheet:
    """A write-only sheet whose every appended cell goes through ``cell_value``."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self.column_dimensions = sheet.column_dimensions

    def append(self, values: Iterable[Any]) -> None:
        self._sheet.append(safe_row(values))


class ExportWorkbook:
    """A streaming (write-only) workbook for downloads; sheets are added with ``create_sheet``."""

    def __init__(self) -> None:
        self._workbook = Workbook(write_only=True)

    def create_sheet(self, title: str) -> ExportSheet:
        return ExportSheet(self._workbook.create_sheet(str(title)[:31]))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def set_cell(sheet: Worksheet, *, row: int, column: int, value: Any) -> Any:
    """Write one cell of an ordinary (formatted) workbook, safely; returns the cell for styling."""
    return sheet.cell(row=row, column=column, value=cell_value(value))


def save_workbook(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: ExportWorkbook, stem: str) -> HttpResponse:
    """The workbook as a download named ``<stem>-<YYYYmmdd-HHMM>.xlsx`` (local time)."""
    if not isinstance(workbook, ExportWorkbook):  # a bare openpyxl workbook would skip the neutralising
        raise TypeError("xlsx_response takes an ExportWorkbook")
    response = HttpResponse(workbook.save(), content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``cell_value``."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))
