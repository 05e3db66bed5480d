"""PDFs of the public notice and the labour contract: offline rendering, CJK fonts, masked IDs only,
a closed notice printed from its archived snapshot with its SHA-256."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.test import override_settings

from zhulao.core import pdf
from zhulao.core.testing.pdftext import compact, pdf_text, poppler
from zhulao.people import services as people_services
from zhulao.posts import archive, citations, pdfs
from zhulao.posts.choices import ApplicationStatus
from zhulao.posts.models import PublicNotice
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")


@pytest.fixture
def notice(regions, crew, batch, station, applicant):
    (post,) = f.open_posts(station)
    f.qualified(crew, batch, post, applicant)
    return f.open_notice(crew, batch, regions["county_a"])


# ------------------------------------------------------------------------------------- render_pdf


def test_the_fetcher_serves_our_static_files_and_refuses_everything_else(tmp_path):
    fetcher = pdf.StaticOnlyFetcher(pdf.static_dir())
    inside = (pdf.static_dir() / "css" / "print.css").as_uri()
    assert b"@page" in fetcher.fetch(inside).read()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    refused = [
        "https://example.com/logo.png",
        "http://127.0.0.1/x.css",
        "ftp://example.com/x",
        "data:text/plain,hello",
        outside.as_uri(),
        pdf.static_dir().as_uri() + "/../config/settings.py",
        "file://evil.example/" + str(pdf.static_dir() / "css" / "print.css"),
    ]
    for url in refused:
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "remote.html": '<p>外部资源</p><img src="https://example.com/x.png">'
                        '<link rel="stylesheet" href="http://example.com/x.css">'
                        '<img src="file:///etc/hostname">'
                    },
                )
            ]
        },
    }
]


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_render_pdf_never_reaches_the_network_and_still_prints():
    # given: a template naming remote and local-but-foreign resources; any real fetch would fail the test
    with patch("urllib.request.OpenerDirector.open", side_effect=AssertionError("network access")) as opened:
        # when
        data = pdf.render_pdf("remote.html", {})
    # then
    assert data.startswith(b"%PDF-")
    opened.assert_not_called()


def test_s7_the_notice_pdf_is_a4_with_embedded_cjk_fonts_and_page_numbers(notice, applicant):
    # when
    data = pdfs.notice_pdf(notice)
    # then: A4; the Noto CJK fonts are embedded (from fontconfig, never fetched)
    assert data.startswith(b"%PDF-")
    assert "(A4)" in poppler("pdfinfo", data)
    fonts = poppler("pdffonts", data)
    assert re.search(r"Noto-?Sans-?CJK-?SC", fonts)
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
    text = pdf_text(data)
    assert "第1页/共1页" in compact(text)
    assert applicant.name in text
    assert "公示期" in compact(text)
    assert "公示期：2025年9月15日至2025年9月19日。" in compact(text)


# --------------------------------------------------------------------------------------- notices


def test_s7_the_notice_pdf_shows_only_the_masked_id_number(notice, applicant):
    # when
    data = pdfs.notice_pdf(notice)
    # then
    text = compact(pdf_text(data))
    assert applicant.id_number_masked in text
    assert applicant.id_number not in text
    assert applicant.id_number[6:14] not in text  # the birth date is hidden
    assert applicant.id_number.encode() not in data


def test_s7_a_closed_notice_prints_its_snapshot_hash_and_the_same_hash_every_time(crew, notice):
    # given
    notice = f.close_notice(crew, notice)
    assert notice.snapshot_sha256 == hashlib.sha256(notice.snapshot.encode()).hexdigest()
    # when
    first = compact(pdf_text(pdfs.notice_pdf(notice)))
    second = compact(pdf_text(pdfs.notice_pdf(PublicNotice.objects.get(pk=notice.pk))))
    # then
    printed = re.findall(r"存档哈希（SHA-256）：([0-9a-f]{64})", first)
    assert printed == [notice.snapshot_sha256]
    assert re.findall(r"存档哈希（SHA-256）：([0-9a-f]{64})", second) == printed


def test_s7_a_closed_notice_is_printed_from_the_snapshot_not_from_live_data(crew, notice, applicant):
    # given: the notice is archived, then the person's record changes
    notice = f.close_notice(crew, notice)
    data = people_services.PersonData(
        name="林秀兰", id_number=applicant.id_number, region=applicant.region, willing_to_work=True, able_to_work=True
    )
    people_services.person_update(actor=None, person=applicant, data=data)
    # when: printed within the public retention period
    with f.on(f.AFTER_NOTICE):
        text = compact(pdf_text(pdfs.notice_pdf(notice)))
    # then: the archived name, as hashed
    assert "林秀英" in text
    assert "林秀兰" not in text


def test_s7_a_snapshot_that_no_longer_matches_its_hash_is_refused(crew, notice):
    # given: someone edits the archive behind the services' back
    notice = f.close_notice(crew, notice)
    PublicNotice.objects.filter(pk=notice.pk).update(snapshot=notice.snapshot.replace("林秀英", "张三"))
    notice.refresh_from_db()
    # when / then
    with pytest.raises(archive.SnapshotMismatch):
        pdfs.notice_pdf(notice)


def test_s7_the_notice_content_keeps_only_the_allowlisted_fields(notice):
    content = pdfs.notice_content(notice)
    assert [set(c) for c in content.candidates] == [{"application", *pdfs.PUBLIC_FIELDS}]


def test_a_period_basis_from_before_the_parameter_row_gives_the_days_and_their_unit():
    basis = "recruitment.notice_period = {'days': 7, 'unit': 'calendar_day'} (2020-01-01, UNCONFIRMED; x)"
    assert citations.legacy_period(basis) == {"days": 7, "unit": "calendar_day"}
    assert citations.legacy_period("something else") is None


# -------------------------------------------------------------------------------------- contract


def test_s8_the_contract_names_both_parties_the_term_and_the_wage_with_a_masked_id(crew, regions, station, applicant):
    # given
    (post,) = f.open_posts(station)
    placement = f.hired_helper(crew, post, applicant, region=regions["county_a"])
    contract = placement.contract
    # when
    data = pdfs.contract_pdf(contract)
    # then
    text = compact(pdf_text(data))
    assert "公益性岗位劳动合同书" in text
    assert contract.employer.name in text
    assert applicant.name in text
    assert applicant.id_number_masked in text
    assert applicant.id_number not in text
    assert "东山村居家养老服务站" in text
    assert "2026年1月5日" in text
    assert contract.ends_on.strftime("%Y年").lstrip("0") in text
    assert f"{contract.monthly_wage:,.2f}" in text
    assert pdfs.rmb_upper(contract.monthly_wage) in text
    assert "本合同一式三份" in text
    assert "甲方（盖章）" in text
    assert "乙方（签字）" in text
    assert placement.application.status == ApplicationStatus.HIRED


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1960", "壹仟玖佰陆拾元整"),
        ("1960.50", "壹仟玖佰陆拾元伍角"),
        ("1960.05", "壹仟玖佰陆拾元零伍分"),
        ("2030.56", "贰仟零叁拾元伍角陆分"),
        ("0.30", "零元叁角"),
        ("10", "壹拾元整"),
        ("100005", "壹拾万零伍元整"),
        ("105000", "壹拾万伍仟元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("100000500", "壹亿零伍佰元整"),
        ("1001", "壹仟零壹元整"),
    ],
)
def test_amounts_are_written_in_rmb_capitals(amount, words):
    assert pdfs.rmb_upper(Decimal(amount)) == words
