"""Masking of personal data for display (lists, notices, exports to other parties).

Each function takes the raw value (or ``None``) and returns the masked text; empty or
``None`` input returns ``""``. Masking never reveals more than the fixed parts below, and
for values too short to mask safely everything is replaced by asterisks.

The ID-number rule is one rule for every surface (pages, API, exports, PDFs, public pages,
logs, audit diffs): only the 6-digit address code is kept. The reason is the rebuild attack
(docs/permissions.md, "Masking"): sex is shown almost everywhere and the region is on every
row, so the birth date together with the last four characters, or even the birth date alone
(region + date + sex leaves 500 numbers), narrows a number to a handful of candidates.
:func:`id_candidates` counts what remains; a role without the unmask permission must never be
left with fewer than :data:`MIN_ID_CANDIDATES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from zhulao.rules.dates import full_years_between
from zhulao.rules.idcard import CHECK_CHARS, WEIGHTS

__all__ = [
    "MIN_ID_CANDIDATES",
    "id_candidates",
    "mask_bank_account",
    "mask_disability_certificate",
    "mask_id_number",
    "mask_id_numbers_in_text",
    "mask_name",
    "mask_phone",
]

# An 18-character ID number at the head of a run of digits (17 digits, then a digit or X).
_ID_AT_RUN_HEAD = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx]")

#: Fewest ID numbers that what a role without the unmask permission sees may leave possible.
MIN_ID_CANDIDATES = 1000

#: Length of the address code, the only part of an ID number a masked value keeps.
_ID_KEEP = 6


def _compact(value: str | None) -> str:
    """Remove all whitespace (and return "" for None)."""
    if not value:
        return ""
    return "".join(value.split())


def _keep_ends(value: str, head: int, tail: int) -> str:
    """Keep ``head`` leading and ``tail`` trailing characters, asterisks in between."""
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str | None) -> str:
    """``"35060219900101123X"`` → ``"350602************"``.

    Keeps only the address code (first 6 characters) of a value of 15 characters or more
    (a 15-digit legacy number becomes 6 digits and 9 asterisks); shorter values become all
    asterisks. The birth date, the sequence code (whose last digit gives the sex) and the
    check character are never shown.

    The rule is idempotent and also re-masks a value masked under an older rule (one that
    kept the last four): ``mask_id_number("350602********123X") == "350602************"``.
    Archived snapshots that stored the old mask are shown through it.
    """
    compact = _compact(value).upper()
    if len(compact) >= 15:
        return _keep_ends(compact, _ID_KEEP, 0)
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


# ------------------------------------------------------------------------------------ candidates


def _residues(allowed: Iterable[frozenset[int]], weights: Iterable[int]) -> list[int]:
    """How many digit strings (one digit from each allowed set) give each weighted sum mod 11."""
    counts = [1] + [0] * 10
    for digits, weight in zip(allowed, weights, strict=True):
        step = [0] * 11
        for residue, n in enumerate(counts):
            if n:
                for d in digits:
                    step[(residue + d * weight) % 11] += n
        counts = step
    return counts


def _allowed(char: str, fixed: str | None = None) -> frozenset[int]:
    """Digits a masked position may hold: the shown digit, else ``fixed``'s digit, else any."""
    every = frozenset(range(10))
    shown = frozenset({int(char)}) if char.isdigit() else every
    if fixed is not None:
        return shown & frozenset({int(fixed)})
    return shown


def _birth_window(
    *,
    today: date,
    birth_date: date | None,
    birth_year: int | None,
    birth_month: tuple[int, int] | None,
    ages: Iterable[tuple[int, date]],
    earliest: date,
) -> list[date]:
    """Every birth date consistent with what is visible (inclusive window, filtered)."""
    first, last = earliest, today
    if birth_date is not None:
        first, last = max(first, birth_date), min(last, birth_date)
    if birth_year is not None:
        first, last = max(first, date(birth_year, 1, 1)), min(last, date(birth_year, 12, 31))
    if birth_month is not None:
        year, month = birth_month
        next_month = date(year + month // 12, month % 12 + 1, 1)
        first, last = max(first, date(year, month, 1)), min(last, next_month - timedelta(days=1))
    checks = list(ages)
    for age, on in checks:
        first = max(first, date(on.year - age - 1, 1, 1))
        last = min(last, date(on.year - age, 12, 31), on)
    days: list[date] = []
    day = first
    while day <= last:
        if all(full_years_between(day, on) == age for age, on in checks):
            days.append(day)
        day += timedelta(days=1)
    return days


def id_candidates(
    masked: str,
    *,
    today: date,
    birth_date: date | None = None,
    birth_year: int | None = None,
    birth_month: tuple[int, int] | None = None,
    ages: Iterable[tuple[int, date]] = (),
    sex: str | None = None,
    region_code: str | None = None,
    earliest: date | None = None,
) -> int:
    """Count the valid ID numbers consistent with everything a viewer sees of one person.

    ``masked`` is the ID number as shown (digits, ``X``, and ``*`` for a hidden character;
    18 characters, or 15 for a legacy number; ``""`` when no ID number is shown at all).
    The other facts narrow it further: the exact ``birth_date``; the ``birth_year``; the
    ``birth_month`` as ``(year, month)``; ``ages``, pairs ``(age in full years, on day)``
    (several ages read on different days narrow the birthday further); ``sex`` (``"M"`` or
    ``"F"``, the parity of the 17th digit); ``region_code``, the 6-digit address code a
    viewer can guess from the region shown. Birth dates run from ``earliest`` (default 120
    years before ``today``) to ``today``.

    Every hidden address digit counts as ten possibilities (not every code is assigned): pass
    ``region_code`` when a region is visible. A 15-digit number is counted with the century
    ``19``. Returns ``0`` when the facts contradict each other.
    """
    pattern = "".join(masked.split()).upper() or "*" * 18
    if len(pattern) not in (15, 18) or any(c not in "0123456789X*" for c in pattern):
        raise ValueError(f"a masked ID number has 15 or 18 characters of 0-9, X or *, got {masked!r}")
    if region_code is not None and (len(region_code) != _ID_KEEP or not region_code.isdigit()):
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    legacy = len(pattern) == 15
    address = [_allowed(pattern[i], region_code[i] if region_code else None) for i in range(_ID_KEEP)]
    seq_at = 12 if legacy else 14
    sequence = [_allowed(pattern[seq_at + i]) for i in range(3)]
    if sex is not None:
        parity = 1 if sex == "M" else 0
        sequence[2] = frozenset(d for d in sequence[2] if d % 2 == parity)
    fixed_part = _residues(address + sequence, WEIGHTS[:6] + WEIGHTS[14:17])
    free = sum(fixed_part)
    if not free:
        return 0
    days = _birth_window(
        today=today,
        birth_date=birth_date,
        birth_year=birth_year,
        birth_month=birth_month,
        ages=ages,
        earliest=earliest or date(today.year - 120, 1, 1),
    )
    shown_date = pattern[6:seq_at]
    check = "*" if legacy else pattern[17]
    if check != "*" and check not in CHECK_CHARS:
        return 0
    total = 0
    for day in days:
        digits = f"{day:%Y%m%d}"[2:] if legacy else f"{day:%Y%m%d}"
        if legacy and day.year // 100 != 19:  # noqa: PLR2004 - the century of every legacy number
            continue
        if any(s != "*" and s != d for s, d in zip(shown_date, digits, strict=True)):
            continue
        if check == "*":
            total += free
            continue
        residue = sum(int(d) * w for d, w in zip(f"{day:%Y%m%d}", WEIGHTS[6:14], strict=True)) % 11
        total += fixed_part[(CHECK_CHARS.index(check) - residue) % 11]
    return total
