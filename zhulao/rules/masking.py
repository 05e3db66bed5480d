"""Masking of personal data for display (lists, notices, exports to other parties).

Each function takes the raw value (or ``None``) and returns the masked text; empty or
``None`` input returns ``""``. Masking never reveals more than the fixed parts below, and
for values too short to mask safely everything is replaced by asterisks.
"""

from __future__ import annotations

import re

__all__ = [
    "mask_bank_account",
    "mask_disability_certificate",
    "mask_id_number",
    "mask_id_numbers_in_text",
    "mask_name",
    "mask_phone",
]

# An 18-character ID number at the head of a run of digits (17 digits, then a digit or X).
_ID_AT_RUN_HEAD = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")


def _compact(value: str | None) -> str:
    """Remove all whitespace (and return "" for None)."""
    if not value:
        return ""
    return "".join(value.split())


def _keep_ends(value: str, head: int, tail: int) -> str:
    """Keep ``head`` leading and ``tail`` trailing characters, asterisks in between."""
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str | None) -> str:
    """``"35060219900101123X"`` → ``"350602********123X"``.

    Keeps the address code (first 6) and the last 4 characters when the value is longer
    than 10 characters (so a 15-digit number keeps 6 + 4 with 5 asterisks); shorter values
    become all asterisks. A lower-case ``x`` is shown upper-case.
    """
    compact = _compact(value).upper()
    if len(compact) > 10:
        return _keep_ends(compact, 6, 4)
    return "*" * len(compact)


def mask_phone(value: str | None) -> str:
    """``"13812345678"`` → ``"138****5678"``.

    Spaces, dashes and a leading ``+86`` are removed first. Keeps the first 3 and last 4
    digits when at least 8 remain; otherwise all asterisks.
    """
    compact = _compact(value).replace("-", "")
    if compact.startswith("+86"):
        compact = compact[3:]
    if len(compact) >= 8:
        return _keep_ends(compact, 3, 4)
    return "*" * len(compact)


def mask_bank_account(value: str | None) -> str:
    """``"6222020200112233445"`` → ``"****3445"``.

    Only the last 4 characters are kept, after a fixed ``"****"`` that hides the length.
    Accounts of 4 characters or fewer become ``"****"``.
    """
    compact = _compact(value)
    if not compact:
        return ""
    if len(compact) <= 4:
        return "****"
    return "****" + compact[-4:]


def mask_name(value: str | None) -> str:
    """``"张三丰"`` → ``"张*丰"``, ``"张三"`` → ``"张*"``, ``"欧阳娜娜"`` → ``"欧**娜"``.

    For notices that must not print other people's full names. One-character names are
    returned unchanged; surrounding whitespace is removed.
    """
    name = (value or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return _keep_ends(name, 1, 1)


def mask_disability_certificate(value: str | None) -> str:
    """``"35060219900101123X32"`` → ``mask_id_number("35060219900101123X") + "32"``.

    A disability certificate number (残疾人证号) is the holder's 18-character ID number followed by
    2 digits (the kind and the grade of the disability): the head is masked by :func:`mask_id_number`,
    so it follows that rule, and the trailing digits stay (they are on the record anyway). Any other
    value is masked as a whole by :func:`mask_id_number`.
    """
    compact = _compact(value).upper()
    if len(compact) >= 18 and _ID_AT_RUN_HEAD.match(compact):
        return mask_id_number(compact[:18]) + compact[18:]
    return mask_id_number(compact)


def mask_id_numbers_in_text(value: str | None) -> str:
    """Free text with every 18-character ID-shaped number in it masked by :func:`mask_id_number`.

    ``"残疾证 35060219900101123X32"`` → ``"残疾证 " + mask_id_number("35060219900101123X") + "32"``; the
    rest of the text (other numbers, words, hexadecimal digests) is kept as it is.
    """
    if not value:
        return ""
    return _TOKEN.sub(_mask_token, value)


# Letters and digits: a token. A hexadecimal digest (32 characters or more) is left as it is: its
# digit runs are part of a hash, not an ID number.
_TOKEN = re.compile(r"[0-9A-Za-z]+")
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{32,}")


def _mask_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if _HEX_DIGEST.fullmatch(token):
        return token
    return _ID_AT_RUN_HEAD.sub(lambda m: mask_id_number(m.group(0)), token)
