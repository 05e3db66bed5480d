"""Scan every text column of the database for a resident ID number in clear (for tests).

What counts as a hit is ``core.pii.id_numbers_in``: a valid 18-character ID number at the head of a run
of digits, in any text, character or JSON value (encrypted values and hex digests skipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from zhulao.core.pii import id_numbers_in
from zhulao.rules.masking import mask_id_number

_TEXT_TYPES = ("char", "text", "clob", "json", "varchar")


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    masked: str  # the ID number found, masked (the report itself must not leak it)


def ids_in_text(text: str, *, today: date) -> list[str]:
    """The valid ID numbers at the head of a digit run in ``text`` (see ``core.pii.id_numbers_in``)."""
    return id_numbers_in(text, today=today)


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
