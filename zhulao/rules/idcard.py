"""Resident identity card numbers (公民身份号码), GB 11643-1999.

An 18-character number is: a 6-digit address code (the county where the household was
registered when the number was assigned; it never changes afterwards, so use it only as a
hint), an 8-digit birth date ``YYYYMMDD``, a 3-digit sequence code (odd = male, even =
female) and one check character computed with ISO 7064 MOD 11-2.

Old 15-digit numbers (``YYMMDD`` birth date, no check character) are accepted and upgraded
to 18 characters. See POLICY.md section 4.

Everything here is pure: plain strings and dates in, an :class:`IdNumber` or an
:class:`IdNumberError` (with a stable ``code`` and messages in Chinese and English) out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhulao.rules.dates import full_years_between

__all__ = [
    "CHECK_CHARS",
    "WEIGHTS",
    "IdNumber",
    "IdNumberError",
    "age_on",
    "check_char",
    "is_valid_id_number",
    "make_id_number",
    "parse_id_number",
    "upgrade_15",
]

#: Weights W1..W17 of the MOD 11-2 checksum (W_i = 2^(18-i) mod 11).
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

#: Check character indexed by ``sum(a_i * W_i) % 11``.
CHECK_CHARS = "10X98765432"

_DIGITS = frozenset("0123456789")

#: Sequence codes 996-999 of an old 15-digit number mark centenarians: the century is "18".
#: A convention seen in public code, not confirmed as part of the standard (POLICY.md §4).
_CENTENARIAN_SEQUENCES = frozenset({"996", "997", "998", "999"})


class IdNumberError(ValueError):
    """An ID number failed validation.

    ``code`` is stable and machine-readable, one of ``"empty"``, ``"length"``, ``"chars"``,
    ``"birth_date"``, ``"future_birth_date"``, ``"check_digit"``. ``message_zh`` and
    ``message_en`` name the failing part. ``expected`` is the correct check character for
    ``"check_digit"`` errors and ``None`` otherwise. ``str(error)`` is the English message.
    """

    code: str
    message_zh: str
    message_en: str
    expected: str | None

    def __init__(self, code: str, message_zh: str, message_en: str, expected: str | None = None) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.expected = expected


@dataclass(frozen=True)
class IdNumber:
    """A validated 18-character ID number and the facts encoded in it."""

    number: str
    address_code: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def province_code(self) -> str:
        """First 2 digits of the address code (e.g. ``"35"`` = 福建). A hint only."""
        return self.address_code[:2]

    @property
    def city_code(self) -> str:
        """First 4 digits of the address code (e.g. ``"3506"`` = 漳州). A hint only."""
        return self.address_code[:4]

    @property
    def county_code(self) -> str:
        """The full 6-digit address code (county level) at the time the number was assigned."""
        return self.address_code[:6]


def check_char(first17: str) -> str:
    """Return the MOD 11-2 check character for the first 17 digits of an ID number.

    Raises ``ValueError`` unless ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError("check_char() needs exactly 17 digits")
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _bad_char_error(number: str, allowed_last_x: bool) -> IdNumberError | None:
    """Return a ``chars`` error for the first character that is not allowed, or ``None``."""
    for index, ch in enumerate(number):
        if ch in _DIGITS or (allowed_last_x and index == 17 and ch == "X"):
            continue
        position = index + 1
        if allowed_last_x:
            rule_zh = "前17位应为数字，第18位应为数字或 X"
            rule_en = "the first 17 characters must be digits and the 18th a digit or X"
        else:
            rule_zh = "旧版15位号码应全部为数字"
            rule_en = "an old 15-digit number must contain digits only"
        return IdNumberError(
            "chars",
            f"第{position}位字符“{ch}”无效：{rule_zh}",
            f"Character {position} ({ch!r}) is not allowed: {rule_en}",
        )
    return None


def upgrade_15(raw15: str) -> str:
    """Upgrade an old 15-digit number to 18 characters.

    Inserts the century before the 2-digit year (``"19"``, or ``"18"`` when the 3-digit
    sequence code is 996-999, an unconfirmed centenarian convention) and appends the check
    character. The birth date is not validated here; :func:`parse_id_number` does that.

    Raises :class:`IdNumberError` (``length`` or ``chars``) for anything but 15 digits.
    """
    if len(raw15) != 15:
        raise IdNumberError(
            "length",
            f"旧版身份证号码应为15位，实际为 {len(raw15)} 位",
            f"An old ID number must have 15 characters, not {len(raw15)}",
        )
    error = _bad_char_error(raw15, allowed_last_x=False)
    if error is not None:
        raise error
    century = "18" if raw15[12:15] in _CENTENARIAN_SEQUENCES else "19"
    first17 = raw15[:6] + century + raw15[6:]
    return first17 + check_char(first17)


def _normalise(raw: str) -> str:
    """Remove all whitespace and upper-case a trailing ``x``."""
    return "".join(raw.split()).upper()


def parse_id_number(raw: str, *, today: date) -> IdNumber:
    """Validate ``raw`` and return the :class:`IdNumber` it encodes.

    Whitespace anywhere is removed and a lower-case ``x`` is accepted (the stored number is
    upper-case). 15-digit numbers are upgraded with :func:`upgrade_15`. Checks, in order:
    empty, length, characters, birth date is a real date, birth date not after ``today``,
    check character. The first failure raises :class:`IdNumberError`.

    Plausibility of the age (e.g. not 150 years old) is left to the caller.
    """
    number = _normalise(raw)
    if not number:
        raise IdNumberError("empty", "身份证号码为空", "The ID number is empty")
    if len(number) == 15:
        number = upgrade_15(number)
    elif len(number) != 18:
        raise IdNumberError(
            "length",
            f"身份证号码应为18位（或旧版15位），实际为 {len(number)} 位",
            f"The ID number must have 18 characters (or 15 for an old number), not {len(number)}",
        )
    error = _bad_char_error(number, allowed_last_x=True)
    if error is not None:
        raise error

    birth_part = number[6:14]
    try:
        birth_date = date(int(birth_part[:4]), int(birth_part[4:6]), int(birth_part[6:8]))
    except ValueError:
        raise IdNumberError(
            "birth_date",
            f"出生日期 {birth_part} 不是有效日期",
            f"Birth date {birth_part} is not a valid date",
        ) from None
    if birth_date > today:
        raise IdNumberError(
            "future_birth_date",
            f"出生日期 {birth_part} 晚于今天",
            f"Birth date {birth_part} is after today",
        )

    expected = check_char(number[:17])
    actual = number[17]
    if actual != expected:
        raise IdNumberError(
            "check_digit",
            f"校验码错误：第18位应为 {expected}，实际为 {actual}",
            f"Check digit is wrong: the 18th character should be {expected}, not {actual}",
            expected=expected,
        )

    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, address_code=number[:6], birth_date=birth_date, sex=sex)


def is_valid_id_number(raw: str, *, today: date) -> bool:
    """Return whether :func:`parse_id_number` accepts ``raw``."""
    try:
        parse_id_number(raw, today=today)
    except IdNumberError:
        return False
    return True


def make_id_number(address_code: str, birth_date: date, sequence: int) -> str:
    """Build a valid 18-character number (for synthetic data and tests).

    ``address_code`` must be 6 digits and ``sequence`` in 0..999 (odd = male, even =
    female). Raises ``ValueError`` otherwise.
    """
    if len(address_code) != 6 or not set(address_code) <= _DIGITS:
        raise ValueError(f"address_code must be 6 digits, got {address_code!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be in 0..999, got {sequence}")
    if birth_date.year < 1000:
        raise ValueError(f"birth year must have 4 digits, got {birth_date.year}")
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def age_on(birth_date: date, on: date) -> int:
    """Age in full years (周岁) on the date ``on``.

    The age goes up on the birthday itself; someone born on 29 February turns a year
    older on 1 March in common years. Raises ``ValueError`` if ``on`` is before
    ``birth_date``.
    """
    return full_years_between(birth_date, on)
