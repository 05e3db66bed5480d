"""Read an uploaded spreadsheet (.xlsx or .csv) into rows of text, refusing what is unsafe.

The type is told by the content, never by the file name: an .xlsx starts with the ZIP signature
and holds ``xl/workbook.xml``; anything else must be text (UTF-8 with or without BOM, else GB18030)
that parses as CSV. A whole file is refused (:class:`FileRefused`) when it is too big, has too many
rows, lacks a required header, or holds a formula anywhere (an xlsx formula, or a CSV cell that a
spreadsheet would run as one). A single cell that lost information (a long number Excel stored as a
number) is reported on its row instead, so the other rows still go in.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from zhulao.core.imports.specs import Column

XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)
# Cells right of this column are neither read nor checked.
MAX_COLUMNS = 200
# An .xlsx may unpack to at most this many times its own size (at least 1 MiB): a ZIP bomb stops here.
_MAX_UNPACKED_RATIO = 20
# Excel keeps 15 significant digits: a longer number typed into a number cell lost the rest.
_EXACT_FLOAT_LIMIT = 1e15
_LOST_DIGITS_TEXT = re.compile(r"[+-]?\d(?:\.\d+)?[eE]\+?\d+")


class FileRefused(Exception):
    """The whole file is refused; ``message`` says why, for people."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ..., /) -> Any: ...


@dataclass
class SheetRow:
    """One data row: ``number`` is the spreadsheet row (the header is row 1).

    ``cells`` maps each column key to its text ("" when empty or the column is absent);
    ``problems`` maps a column key to why that cell could not be read faithfully.
    """

    number: int
    cells: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)


@dataclass
class Sheet:
    file_type: str  # "xlsx" or "csv"
    rows: list[SheetRow]
    ignored_headers: list[str] = field(default_factory=list)


@dataclass
class _Cell:
    text: str
    problem: str = ""


def read_upload(upload: Upload, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, refused when larger than ``max_bytes``."""
    if upload.size is not None and upload.size > max_bytes:
        raise _too_big(max_bytes)
    content = upload.read(max_bytes + 1)
    if not isinstance(content, bytes):
        raise FileRefused(_("The upload could not be read."))
    if len(content) > max_bytes:
        raise _too_big(max_bytes)
    if not content:
        raise FileRefused(_("The file is empty."))
    return content


def read_table(content: bytes, *, columns: Sequence[Column], max_rows: int) -> Sheet:
    """Rows of text under the known headers; raises :class:`FileRefused` for a file refused whole."""
    if content.startswith(XLSX_MAGIC):
        file_type, raw_rows = "xlsx", _xlsx_rows(content)
    elif content.startswith(_OLE2_MAGIC):
        raise FileRefused(_("This is an old .xls workbook: save it as .xlsx (Excel Workbook) and upload again."))
    else:
        file_type, raw_rows = "csv", _csv_rows(content)
    with closing(raw_rows):
        return _tabulate(file_type, raw_rows, columns, max_rows)


def _too_big(max_bytes: int) -> FileRefused:
    return FileRefused(
        _("The file is larger than %(size)s MB. Split it into smaller files.")
        % {"size": f"{max_bytes / 1024 / 1024:.0f}"}
    )


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(_("This file is neither an Excel workbook (.xlsx) nor a CSV file."))


def _formula_refused(reference: str) -> FileRefused:
    return FileRefused(
        _(
            "Cell %(cell)s holds a formula. Formulas are not accepted: copy the sheet and paste it "
            "back as values only, then upload again."
        )
        % {"cell": reference}
    )


def _lost_digits_message() -> str:
    return _(
        "This long number was stored as a number and lost digits; format the column as text and type the number again."
    )


# ----------------------------------------------------------------------------------------- xlsx


def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_spreadsheet() from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRefused(_("The workbook contains macros. Save it as a plain .xlsx workbook and upload again."))
    if sum(info.file_size for info in infos) > _MAX_UNPACKED_RATIO * max(len(content), 1024 * 1024):
        raise FileRefused(_("The workbook unpacks to far more data than it holds. It cannot be read."))


def _xlsx_rows(content: bytes) -> Generator[list[_Cell], None, None]:
    _check_zip(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # an untrusted file: any failure to open it is a refusal, not a crash
        raise _not_a_spreadsheet() from None
    try:
        if not workbook.worksheets:
            raise _not_a_spreadsheet()
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # malformed sheet XML
                raise _not_a_spreadsheet() from None
            number += 1
            yield [_xlsx_cell(cell, number, index) for index, cell in enumerate(row, start=1)]
    finally:
        workbook.close()


def _xlsx_cell(cell: Any, row: int, column: int) -> _Cell:
    value = cell.value
    if (
        getattr(cell, "data_type", None) == "f"
        or isinstance(value, (ArrayFormula, DataTableFormula))
        or (isinstance(value, str) and value.startswith("="))
    ):
        raise _formula_refused(f"{get_column_letter(column)}{row}")
    return _xlsx_value(value)


def _xlsx_value(value: Any) -> _Cell:
    if value is None:
        return _Cell("")
    if isinstance(value, bool):
        return _Cell("TRUE" if value else "FALSE")
    if isinstance(value, int):
        return _Cell(str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return _Cell(str(value), _("This cell does not hold a number."))
        if abs(value) >= _EXACT_FLOAT_LIMIT:
            return _Cell(f"{value:.15G}", _lost_digits_message())
        return _Cell(str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return _Cell(value.date().isoformat())
        return _Cell(value.isoformat())
    if isinstance(value, (date, time)):
        return _Cell(value.isoformat())
    return _text_cell(str(value))


def _text_cell(text: str) -> _Cell:
    text = text.strip()
    if _LOST_DIGITS_TEXT.fullmatch(text):
        return _Cell(text, _lost_digits_message())
    return _Cell(text)


# ------------------------------------------------------------------------------------------ csv


def _decode(content: bytes) -> str:
    if b"\x00" in content:
        raise _not_a_spreadsheet()
    if content.startswith(codecs.BOM_UTF8):
        try:
            text = content[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise _not_a_spreadsheet() from None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        raise _not_a_spreadsheet()  # binary data that happened to decode
    return text


def _csv_formula(text: str) -> bool:
    """Would a spreadsheet run this cell? ``=…``, or ``+ - @`` before a letter or a parenthesis."""
    text = text.lstrip()
    if len(text) < 2:
        return False
    if text[0] == "=":
        return True
    return text[0] in "+-@" and (text[1] == "(" or text[1].isalpha())


def _csv_rows(content: bytes) -> Generator[list[_Cell], None, None]:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _not_a_spreadsheet() from None
        number += 1
        cells = []
        for index, raw in enumerate(record[:MAX_COLUMNS], start=1):
            if _csv_formula(raw):
                raise _formula_refused(f"{get_column_letter(index)}{number}")
            cells.append(_text_cell(raw))
        yield cells


# ------------------------------------------------------------------------------------- headers


def _header_key(text: str) -> str:
    return "".join(text.split()).rstrip("*＊").casefold()


def _match_headers(header_row: Sequence[_Cell], columns: Sequence[Column]) -> tuple[dict[int, Column], list[str]]:
    by_text: dict[str, Column] = {}
    for column in columns:
        by_text.setdefault(_header_key(column.header), column)
        by_text.setdefault(_header_key(column.key), column)
    positions: dict[int, Column] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header_row):
        if not cell.text:
            continue
        matched = by_text.get(_header_key(cell.text))
        if matched is None:
            ignored.append(cell.text)
            continue
        column = matched
        if column.key in seen:
            raise FileRefused(
                _("The column %(header)s appears twice in the header row. Keep one of them.")
                % {"header": column.header}
            )
        seen[column.key] = cell.text
        positions[index] = column
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing:
        raise FileRefused(
            _(
                "The header row (row 1) lacks the required columns %(columns)s. Download the template "
                "and keep its header row."
            )
            % {"columns": "、".join(missing)}
        )
    return positions, ignored


def _tabulate(file_type: str, raw_rows: Iterable[list[_Cell]], columns: Sequence[Column], max_rows: int) -> Sheet:
    iterator = iter(raw_rows)
    header_row = next(iterator, None)
    if header_row is None:
        raise FileRefused(_("The file is empty."))
    positions, ignored = _match_headers(header_row, columns)
    example = {c.key: c.example for c in columns if c.example}
    rows: list[SheetRow] = []
    for number, raw in enumerate(iterator, start=2):
        cells = {c.key: "" for c in columns}
        problems: dict[str, str] = {}
        for index, column in positions.items():
            cell = raw[index] if index < len(raw) else _Cell("")
            cells[column.key] = cell.text
            if cell.problem:
                problems[column.key] = cell.problem
        if not any(cells.values()):
            continue  # blank line
        if example and all(cells[key] == value for key, value in example.items()):
            continue  # the template's example row, left in
        if len(rows) >= max_rows:
            raise FileRefused(
                _("The file has more than %(max)s data rows. Split it into smaller files.") % {"max": max_rows}
            )
        rows.append(SheetRow(number=number, cells=cells, problems=problems))
    if not rows:
        raise FileRefused(_("The file has a header row but no data rows."))
    return Sheet(file_type=file_type, rows=rows, ignored_headers=ignored)
