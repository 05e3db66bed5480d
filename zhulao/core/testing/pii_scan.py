"""Scan every text column of the database for a resident ID number in clear (for tests).

A hit is a valid 18-character ID number (real date, check character right) at the head of a run of
digits, anywhere in a text, character or JSON value: ``"35060219900101123X12"`` (a disability
certificate number) and ``"证号350602199001011234"`` are hits. Encrypted values (``v1$…``) and
hexadecimal digests (32 characters or more, as in hashes and blind indexes) are skipped: their digit
runs are noise, not ID numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection

from zhulao.rules.idcard import is_valid_id_number
from zhulao.rules.masking import mask_id_number

_TEXT_TYPES = ("char", "text", "clob", "json", "varchar")
_TOKEN = re.compile(r"[0-9A-Za-z]+")
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{32,}")
_ID_AT_RUN_HEAD = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    masked: str  # the ID number found, masked (the report itself must not leak it)


def ids_in_text(text: str, *, today: date) -> list[str]:
    """The valid ID numbers at the head of a digit run in ``text`` (encrypted values and digests skipped)."""
    if text.startswith("v1$"):
        return []
    found: list[str] = []
    for token in _TOKEN.findall(text):
        if _HEX_DIGEST.fullmatch(token):
            continue
        found.extend(m for m in _ID_AT_RUN_HEAD.findall(token) if is_valid_id_number(m, today=today))
    return found


def _text_columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    columns = []
    for column in description:
        kind = connection.introspection.get_field_type(column.type_code, column).lower()
        if any(t in kind for t in _TEXT_TYPES):
            columns.append(column.name)
    return columns


def id_numbers_in_database(*, today: date) -> list[Hit]:
    """Every ID number in clear in any text column of any table (one hit per value found)."""
    hits: list[Hit] = []
    quote = connection.ops.quote_name
    for table in sorted(connection.introspection.table_names()):
        columns = _text_columns(table)
        if not columns:
            continue
        select = ", ".join(f"CAST({quote(c)} AS TEXT)" for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM {quote(table)}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value:
                        hits.extend(Hit(table, column, mask_id_number(n)) for n in ids_in_text(str(value), today=today))
    return hits
