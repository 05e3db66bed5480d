"""The policy basis of recruitment's official papers as sentences (``policy.citations``): the notice
period of a public notice and the monthly wage of a contract.

Used by the notice PDF and pages (staff and public) and by the contract PDF and the placement page,
so each says the same thing. A closed notice's sentence is built from its archived snapshot only.
"""

from __future__ import annotations

import re
from typing import Any

from zhulao.policy import selectors as policy_selectors
from zhulao.policy.citations import Document, document_basis, wage_sentence
from zhulao.policy.selectors import Resolved
from zhulao.posts.models import Contract, PublicNotice

_LEGACY_PERIOD = re.compile(r"'days':\s*(\d+),\s*'unit':\s*'(\w+)'")


def legacy_period(basis: str) -> dict[str, Any] | None:
    """Days and unit read from a period basis written before notices kept their parameter row."""
    match = _LEGACY_PERIOD.search(basis)
    if match is None:
        return None
    return {"days": int(match.group(1)), "unit": match.group(2)}


def snapshot_period(notice: PublicNotice) -> dict[str, Any] | None:
    """What a snapshot archives of the period: days, unit and the official document (``None``: as set
    on this platform). ``None`` for a notice opened before notices kept their parameter row."""
    row = notice.period_parameter
    if row is None:
        return None
    return {"days": row.value["days"], "unit": row.value["unit"], "document": Document.of(row).as_json()}


def period_sentence_from(period: dict[str, Any] | None, *, legacy_basis: str = "") -> str:
    """The sentence for an archived ``period`` (see :func:`snapshot_period`); a notice from before
    then gets its days without a basis, since the document it relied on was not recorded."""
    if period is not None:
        return document_basis("recruitment.notice_period", period, Document.from_json(period.get("document")))
    value = legacy_period(legacy_basis)
    if value is None:
        return ""
    return document_basis("recruitment.notice_period", value, None)


def notice_period_sentence(notice: PublicNotice) -> str:
    """The notice-period sentence of a notice that may still be open (staff pages, open notices)."""
    return period_sentence_from(snapshot_period(notice), legacy_basis=notice.period_basis)


def contract_wage_sentence(contract: Contract) -> str:
    """The wage sentence of a contract, from the policy rows recorded at hire.

    A contract made before contracts kept their rows resolves them again for its work location and
    start date (rows are never edited, so this is what decided the wage unless a newer row was added
    for the same day since)."""
    rows = [Resolved.of(row) for row in contract.wage_parameters.all()]
    if not rows:
        _wage, rows = policy_selectors.programme_wage(region=contract.region_id, on=contract.starts_on)
    return wage_sentence(contract.monthly_wage, rows)
