"""Finding resident ID numbers in free text: for the services that refuse them in notes, and the scan test.

A hit is a valid 18-character ID number (real birth date, right check character) at the head of a run
of digits: ``"35060219900101123X12"`` (a disability certificate number) and ``"证号350602199001011234"``
are hits. Encrypted values (``v1$…``) and hexadecimal digests (32 characters or more) are skipped: their
digit runs are noise, not ID numbers.
"""

from __future__ import annotations

import re
from datetime import date

from zhulao.rules.idcard import is_valid_id_number

_TOKEN = re.compile(r"[0-9A-Za-z]+")
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{32,}")
_ID_AT_RUN_HEAD = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")


def id_numbers_in(text: str, *, today: date) -> list[str]:
    """The valid ID numbers at the head of a digit run in ``text`` (encrypted values and digests skipped)."""
    if not text or text.startswith("v1$"):
        return []
    found: list[str] = []
    for token in _TOKEN.findall(text):
        if _HEX_DIGEST.fullmatch(token):
            continue
        found.extend(m.upper() for m in _ID_AT_RUN_HEAD.findall(token) if is_valid_id_number(m, today=today))
    return found
