"""The ID-number rebuild attack, for tests: how many numbers remain to a viewer who reads a surface.

A test signs in as a role without the unmask permission, takes what a page, API answer, export or PDF
shows, and asserts that :func:`candidates_left` is at least :data:`zhulao.rules.masking.MIN_ID_CANDIDATES`.
The viewer is assumed to know the person's region (so the address code), sex and birth year whatever the
surface shows; the surface is searched for the birth date (in the usual spellings), for the statutory
retirement date derived from it, and for the most revealing rendering of the ID number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from openpyxl import load_workbook

from zhulao.rules.masking import id_candidates

_MASKED = re.compile(r"[0-9X*]{15,18}")


def _spellings(day: date) -> list[str]:
    return [
        f"{day:%Y-%m-%d}",
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}-{day.month}-{day.day}",
    ]


def shows_day(text: str, day: date) -> bool:
    """Whether ``text`` spells ``day`` to the day."""
    return any(s in text for s in _spellings(day))


def shown_id(text: str, number: str) -> str:
    """The most revealing rendering of ``number`` found in ``text`` (``""`` when none)."""
    best, revealed = "", -1
    for token in _MASKED.findall(text.upper()):
        for size in (18, 15):
            if len(token) < size:
                continue
            for start in range(len(token) - size + 1):
                piece = token[start : start + size]
                if size == 18 and len(number) == 18 and all(c in ("*", n) for c, n in zip(piece, number, strict=True)):
                    digits = sum(c != "*" for c in piece)
                    if digits > revealed:
                        best, revealed = piece, digits
    return best


def workbook_text(content: bytes) -> str:
    """Every cell of every sheet of an .xlsx, one line per row."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def derived_days(person: Any, *, today: date) -> list[date]:
    """Dates derived from the birth date that give it back to the day: the statutory retirement date."""
    from zhulao.policy import selectors as policy_selectors
    from zhulao.rules.retirement import RetirementTrack, statutory_retirement

    scheme = policy_selectors.retirement_scheme(on=today)
    return [statutory_retirement(person.birth_date, RetirementTrack(person.retirement_track), scheme).retirement_date]


def candidates_left(
    text: str, person: Any, *, today: date, derived: bool = True, ages: Iterable[tuple[int, date]] = ()
) -> int:
    """ID numbers consistent with ``text`` plus the person's region code, sex and birth year (and the
    ``ages`` the surface shows, as ``(age, on day)``)."""
    number = person.id_number
    birth = person.birth_date
    days = [birth, *(derived_days(person, today=today) if derived else [])]
    exact = any(shows_day(text, day) for day in days)
    return id_candidates(
        shown_id(text, number),
        today=today,
        birth_date=birth if exact else None,
        birth_year=birth.year,
        sex=person.sex,
        region_code=number[:6],
        ages=ages,
    )
