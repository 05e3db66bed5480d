"""Printable documents of recruitment: the public notice (公示) and the labour contract (劳动合同).

A closed notice is printed FROM its archived snapshot, so the PDF shows exactly what was hashed,
and the hash is checked before it is printed. Only the allowlisted, masked fields of a candidate
(``services.notices.public_entry``) ever reach a template.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from zhulao.core import clock
from zhulao.core.pdf import render_pdf
from zhulao.posts import selectors
from zhulao.posts.choices import NoticeStatus
from zhulao.posts.models import Contract, PublicNotice
from zhulao.posts.services.notices import public_entry

# The only keys of a candidate entry a public page or PDF shows (SECURITY item 25).
PUBLIC_FIELDS = ("name", "sex", "age", "village", "post", "id_number")
_PERIOD = re.compile(r"'days':\s*(\d+),\s*'unit':\s*'(\w+)'")


class SnapshotMismatch(Exception):
    """The archived snapshot of a notice no longer matches its SHA-256: refuse to show it."""


@dataclass
class NoticeContent:
    """What the public sees of a notice: live while open, the archived snapshot once closed."""

    public_id: str
    title: str
    region: str
    opens_on: date
    closes_on: date
    period_days: int | None
    period_unit: str  # "working_day" or "calendar_day" ("" when the basis cannot be read)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    archived: bool = False
    sha256: str = ""
    objections: int | None = None
    # Past the public retention (``PublicNotice.public_details_expired``): no candidates, only their number.
    details_withdrawn: bool = False
    candidate_count: int = 0

    @property
    def accepting_objections(self) -> bool:
        return not self.archived and self.opens_on <= clock.today() <= self.closes_on


def period_of(basis: str) -> tuple[int | None, str]:
    """The number of days and the unit recorded in a notice's period basis (the cited policy value)."""
    match = _PERIOD.search(basis)
    if match is None:
        return None, ""
    return int(match.group(1)), match.group(2)


def _allowlisted(entry: dict[str, Any]) -> dict[str, Any]:
    return {"application": str(entry.get("application", "")), **{k: entry.get(k, "") for k in PUBLIC_FIELDS}}


def notice_content(notice: PublicNotice, *, public: bool = True) -> NoticeContent:
    """The content of ``notice``. A closed notice is read only from its snapshot (never live data),
    after checking the snapshot against its SHA-256. For the public (``public=True``), a notice past its
    public retention shows no candidate, only how many there were, the objections and the hash; staff
    (``public=False``) get the whole snapshot."""
    if notice.status == NoticeStatus.CLOSED:
        digest = hashlib.sha256(notice.snapshot.encode()).hexdigest()
        if digest != notice.snapshot_sha256:
            raise SnapshotMismatch(f"notice {notice.public_id}: snapshot does not match its SHA-256")
        data = json.loads(notice.snapshot)
        days, unit = period_of(str(data.get("period_basis", "")))
        candidates = [_allowlisted(e) for e in data.get("candidates", [])]
        withdrawn = public and notice.public_details_expired()
        return NoticeContent(
            public_id=str(notice.public_id),
            title=str(data["title"]),
            region=str(data["region"]),
            opens_on=date.fromisoformat(data["opens_on"]),
            closes_on=date.fromisoformat(data["closes_on"]),
            period_days=days,
            period_unit=unit,
            candidates=[] if withdrawn else candidates,
            archived=True,
            sha256=notice.snapshot_sha256,
            objections=data.get("objections"),
            details_withdrawn=withdrawn,
            candidate_count=len(candidates),
        )
    applications = list(selectors.notice_candidates(notice, standing_only=True))
    for application in applications:
        application.notice = notice  # public_entry reads opens_on from it: no query per candidate
    days, unit = period_of(notice.period_basis)
    return NoticeContent(
        public_id=str(notice.public_id),
        title=notice.title,
        region=notice.region.name,
        opens_on=notice.opens_on,
        closes_on=notice.closes_on,
        period_days=days,
        period_unit=unit,
        candidates=[_allowlisted(public_entry(a)) for a in applications],
        candidate_count=len(applications),
    )


def notice_pdf(notice: PublicNotice, *, request: HttpRequest | None = None, public: bool = True) -> bytes:
    """The notice as a PDF to post on a wall: title, period, masked candidates; the hash once archived.
    ``public`` as in ``notice_content`` (staff pass ``False``)."""
    page_url = ""
    if request is not None:
        page_url = request.build_absolute_uri(reverse("public:notice_detail", args=[notice.public_id]))
    with translation.override("zh-hans"):  # posted on a wall in China: always Chinese
        content = notice_content(notice, public=public)
        return render_pdf(
            "posts/pdf/notice.html",
            {"notice": content, "page_url": page_url, "printed_on": clock.today()},
            request=request,
        )


# ------------------------------------------------------------------------------------------ contract

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")


def _group_upper(group: int) -> str:
    out, zero, started = "", False, False
    for position in (3, 2, 1, 0):
        digit = group // 10**position % 10
        if digit == 0:
            zero = zero or started
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _UNITS[position]
        started = True
    return out


def rmb_upper(amount: Decimal) -> str:
    """An amount in 人民币大写, as on contracts and vouchers: ``Decimal("1960.50")`` → 壹仟玖佰陆拾元伍角."""
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents < 0 or cents >= 10**14:
        raise ValueError("amount out of range")
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    words, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(words)
            continue
        if words and (gap or group < 1000):
            words += "零"
        words += _group_upper(group) + _GROUPS[index]
        gap = False
    words = (words or "零") + "元"
    if jiao == 0 and fen == 0:
        return words + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    return words


def contract_pdf(contract: Contract, *, request: HttpRequest | None = None) -> bytes:
    """The labour contract of a placement, from the template, ready to print and sign."""
    contract = Contract.objects.select_related(
        "employer", "region", "placement__person", "placement__post__facility__region"
    ).get(pk=contract.pk)
    placement = contract.placement
    facility = placement.post.facility
    context = {
        "contract": contract,
        "number": contract.public_id.hex[:12].upper(),
        "employer": contract.employer,
        "person": placement.person,
        "id_masked": placement.person.id_number_masked,
        "post": placement.post,
        "facility": facility,
        "facility_kind": facility.get_kind_display(),
        "workplace": facility.address or f"{facility.region.name}{facility.name}",
        "wage": f"{contract.monthly_wage:,.2f}",
        "wage_upper": rmb_upper(contract.monthly_wage),
        "wage_basis": contract.wage_basis,
    }
    with translation.override("zh-hans"):  # a Chinese legal document, whatever the reader's language
        return render_pdf("posts/pdf/contract.html", context, request=request)
