"""Printable documents of recruitment: the public notice (公示) and the labour contract (劳动合同).

A closed notice is printed FROM its archived snapshot, so the PDF shows exactly what was hashed,
and the hash is checked before it is printed. Only the allowlisted, masked fields of a candidate
(``services.notices.public_entry``) ever reach a template.
"""

from __future__ import annotations

import json
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
from zhulao.posts.archive import snapshot_bytes, snapshot_filename
from zhulao.posts.choices import NoticeStatus, Standing
from zhulao.posts.citations import contract_wage_sentence, notice_period_sentence, period_sentence_from
from zhulao.posts.models import Contract, PublicNotice
from zhulao.posts.services.notices import public_entry
from zhulao.rules.masking import mask_id_number

# The only keys of a candidate entry a public page or PDF shows (SECURITY item 25).
PUBLIC_FIELDS = ("name", "sex", "age", "village", "post", "id_number", "standing", "reserve_order")


@dataclass
class NoticeContent:
    """What the public sees of a notice: live while open, the archived snapshot once closed."""

    public_id: str
    title: str
    region: str
    opens_on: date
    closes_on: date
    period_sentence: str  # the length of the period and its official basis (policy.citations)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    archived: bool = False
    sha256: str = ""
    objections: int | None = None
    # Past the public retention (``PublicNotice.public_details_expired``): no candidates, only their number.
    details_withdrawn: bool = False
    candidate_count: int = 0

    @property
    def snapshot_filename(self) -> str:
        return snapshot_filename(self.public_id)

    @property
    def proposed(self) -> list[dict[str, Any]]:
        """拟聘人员: at most one per post (a snapshot from before standings existed lists everyone here)."""
        return [c for c in self.candidates if c.get("standing") != Standing.RESERVE]

    @property
    def reserves(self) -> list[dict[str, Any]]:
        """候补人员, per post in their order: hired only if everyone ahead of them drops out."""
        rows = [c for c in self.candidates if c.get("standing") == Standing.RESERVE]
        return sorted(rows, key=lambda c: (str(c.get("post", "")), int(c.get("reserve_order") or 0)))

    @property
    def accepting_objections(self) -> bool:
        return not self.archived and self.opens_on <= clock.today() <= self.closes_on


def _allowlisted(entry: dict[str, Any]) -> dict[str, Any]:
    """The public fields of a candidate; the ID number through today's masking rule, so that a snapshot
    archived under an older rule (which kept the last four) is shown like a new one."""
    shown = {"application": str(entry.get("application", "")), **{k: entry.get(k, "") for k in PUBLIC_FIELDS}}
    shown["id_number"] = mask_id_number(str(shown["id_number"] or ""))
    return shown


def notice_content(notice: PublicNotice, *, public: bool = True) -> NoticeContent:
    """The content of ``notice``. A closed notice is read only from its snapshot (never live data),
    after checking the snapshot against its SHA-256 (``archive.SnapshotMismatch`` otherwise). For the public
    (``public=True``), a notice past its public retention shows no candidate, only how many there were, the
    objections and the hash; staff (``public=False``) get the whole snapshot."""
    if notice.status == NoticeStatus.CLOSED:
        data = json.loads(snapshot_bytes(notice))  # raises SnapshotMismatch when the hash differs
        candidates = [_allowlisted(e) for e in data.get("candidates", [])]
        withdrawn = public and notice.public_details_expired()
        return NoticeContent(
            public_id=str(notice.public_id),
            title=str(data["title"]),
            region=str(data["region"]),
            opens_on=date.fromisoformat(data["opens_on"]),
            closes_on=date.fromisoformat(data["closes_on"]),
            period_sentence=period_sentence_from(data.get("period"), legacy_basis=str(data.get("period_basis", ""))),
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
    return NoticeContent(
        public_id=str(notice.public_id),
        title=notice.title,
        region=notice.region.name,
        opens_on=notice.opens_on,
        closes_on=notice.closes_on,
        period_sentence=notice_period_sentence(notice),
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
        # The post ("facility · post N") may wrap only between its parts, never inside "岗位 1".
        rows = [(c, str(c["post"]).split(" · ")) for c in content.proposed]
        reserve_rows = [(c, str(c["post"]).split(" · ")) for c in content.reserves]
        return render_pdf(
            "posts/pdf/notice.html",
            {
                "notice": content,
                "rows": rows,
                "reserve_rows": reserve_rows,
                "page_url": page_url,
                "printed_on": clock.today(),
            },
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
    }
    with translation.override("zh-hans"):  # a Chinese legal document, whatever the reader's language
        context["wage_sentence"] = contract_wage_sentence(contract)
        return render_pdf("posts/pdf/contract.html", context, request=request)
