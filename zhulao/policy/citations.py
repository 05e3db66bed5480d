"""Policy values as sentences for official papers: the contract, the public notice, the hire page.

An official paper cites the document a value comes from by its title and the day it took effect
(``PolicyParameter.document_*``), e.g. "月工资 1,960.00 元，依据《福建省人力资源和社会保障厅关于
公布我省最低工资标准的通知》（2022年4月1日起执行）第二档月最低工资标准确定。". A value with no
official document on record (every UNCONFIRMED value, and any other value whose document is not
known) is said to be "as set on this platform" (按本平台的设定): the platform never names a rule
that nobody has seen. The research note (``source``, status, URLs) stays on the policy pages.

Sentences are translated when they are rendered (the PDFs render them in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhulao.policy.keys import KEYS

_CHINESE_NUMERALS = "零一二三四五六七八九十"


class Citable(Protocol):
    """Anything that carries a value's official document: a ``PolicyParameter``, a ``Resolved``,
    or a :class:`Document` read back from an archived snapshot."""

    @property
    def document_title(self) -> str: ...

    @property
    def document_number(self) -> str: ...

    @property
    def document_date(self) -> date | None: ...


@dataclass(frozen=True)
class Document:
    """A value's official document, as archived in a notice snapshot (JSON)."""

    document_title: str = ""
    document_number: str = ""
    document_date: date | None = None

    @classmethod
    def of(cls, row: Citable) -> Document:
        return cls(row.document_title, row.document_number, row.document_date)

    def as_json(self) -> dict[str, str] | None:
        """The snapshot form; ``None`` when no official document is on record."""
        if not self.document_title:
            return None
        return {
            "title": self.document_title,
            "number": self.document_number,
            "in_force_from": self.document_date.isoformat() if self.document_date else "",
        }

    @classmethod
    def from_json(cls, data: dict[str, str] | None) -> Document:
        if not data:
            return cls()
        day = data.get("in_force_from") or ""
        return cls(str(data.get("title", "")), str(data.get("number", "")), date.fromisoformat(day) if day else None)


def _chinese() -> bool:
    return (translation.get_language() or "zh").startswith("zh")


def _day(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _amount(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def tier_name(tier: Any) -> str:
    """ "tier 2" / "第二档"."""
    number = str(tier)
    if _chinese() and number.isdigit() and int(number) <= 10:
        number = _CHINESE_NUMERALS[int(number)]
    return _("tier %(number)s") % {"number": number}


def document_name(row: Citable) -> str:
    """《title》 with its number and the day it took effect; "" when no official document is on record."""
    if not row.document_title:
        return ""
    number, day = row.document_number, row.document_date
    if number and day:
        details = _("%(number)s, in force from %(date)s") % {"number": number, "date": _day(day)}
    elif day:
        details = _("in force from %(date)s") % {"date": _day(day)}
    else:
        details = number
    if not details:
        return _("《%(title)s》") % {"title": row.document_title}
    return _("《%(title)s》 (%(details)s)") % {"title": row.document_title, "details": details}


def authority(row: Citable) -> str:
    """ "under 《…》 (…)", or "as set on this platform" when no official document is on record."""
    name = document_name(row)
    if not name:
        return _("as set on this platform")
    return _("under %(document)s") % {"document": name}


def _notice_period(value: dict[str, Any], row: Citable | None) -> str:
    days = int(value["days"])
    if value.get("unit") == "calendar_day":
        period = ngettext("%(days)s calendar day", "%(days)s calendar days", days) % {"days": days}
    else:
        period = ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}
    if row is None:  # a notice archived before its basis was recorded as a row
        return _("The notice runs for %(period)s.") % {"period": period}
    return _("The notice runs for %(period)s, %(basis)s.") % {"period": period, "basis": authority(row)}


def _minimum_wage(value: tuple[Any, Decimal], row: Citable) -> str:
    tier, amount = value
    context = {"amount": _amount(amount), "tier": tier_name(tier)}
    name = document_name(row)
    if not name:
        return _("Monthly wage %(amount)s yuan: the %(tier)s monthly minimum wage, as set on this platform.") % context
    return _("Monthly wage %(amount)s yuan: the %(tier)s monthly minimum wage under %(document)s.") % {
        **context,
        "document": name,
    }


def _programme_wage(value: tuple[Decimal, Decimal], row: Citable) -> str:
    amount, minimum = value
    return _(
        "Monthly wage %(amount)s yuan, %(basis)s (not below the local monthly minimum wage of %(minimum)s yuan)."
    ) % {
        "amount": _amount(amount),
        "basis": authority(row),
        "minimum": _amount(minimum),
    }


def document_basis(key: str, value: Any, row: Citable | None) -> str:
    """The sentence an official paper prints for ``value`` of policy parameter ``key``, citing ``row``.

    ``value`` is what the paper applies: the row's value for ``recruitment.notice_period``; ``(tier,
    amount)`` for ``min_wage.monthly_tiers``; ``(wage, minimum)`` for ``programme.wage`` with an
    override. Any other key: its label and the authority. ``row`` None (only for a notice period
    archived before rows were recorded): the sentence names no basis.
    """
    if key == "recruitment.notice_period":
        return _notice_period(value, row)
    if row is None:
        raise ValueError(f"{key}: a document sentence needs the parameter row")
    if key == "min_wage.monthly_tiers":
        return _minimum_wage(value, row)
    if key == "programme.wage":
        return _programme_wage(value, row)
    return _("%(label)s: %(basis)s.") % {"label": KEYS[key].label, "basis": authority(row)}


def wage_sentence(amount: Decimal, cited: list[Any]) -> str:
    """The basis of a contract's monthly wage, from the rows ``policy.selectors.programme_wage`` cited:
    the tier of the work location, the minimum-wage table and the programme rule."""
    rows = {row.key: row for row in cited}
    tier = rows["min_wage.tier"].value
    table = rows["min_wage.monthly_tiers"]
    minimum = Decimal(str(table.value[str(tier)]))
    programme = rows.get("programme.wage")
    if programme is not None and amount != minimum:
        return document_basis("programme.wage", (amount, minimum), programme)
    return document_basis("min_wage.monthly_tiers", (tier, amount), table)
