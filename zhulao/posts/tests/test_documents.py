"""Official papers read as documents (issue "What users meet first", points 2, 3 and 6): the policy
basis of the wage and of the notice period is a sentence citing the document by title and date,
without research notes; names and villages never wrap in the middle of the word; the archived
snapshot of a notice downloads byte for byte as hashed."""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError
from zhulao.core.testing.pdftext import compact, pdf_text, split_words
from zhulao.policy import services as policy_services
from zhulao.policy.citations import document_basis, wage_sentence
from zhulao.policy.selectors import Resolved, resolve
from zhulao.posts import citations, pdfs
from zhulao.posts.choices import FacilityKind
from zhulao.posts.models import PublicNotice
from zhulao.posts.tests import factories as f
from zhulao.regions.data.zhangzhou import TOWNSHIPS, synthetic_villages
from zhulao.regions.models import Organization, Region

pytestmark = pytest.mark.usefixtures("policy")

MIN_WAGE_NOTICE = "《福建省人力资源和社会保障厅关于公布我省最低工资标准的通知》"
RESEARCH_NOTES = ("CONFIRMED", "INFERRED", "http", "{'", "POLICY", "recruitment.notice_period", "min_wage.")
EN = {"accept-language": "en"}


def research_notes_in(text: str) -> list[str]:
    return [marker for marker in RESEARCH_NOTES if marker in text]


@pytest.fixture
def notice(regions, crew, batch, station, applicant):
    (post,) = f.open_posts(station)
    f.qualified(crew, batch, post, applicant)
    return f.open_notice(crew, batch, regions["county_a"])


# ------------------------------------------------------------------------------ the sentences


def test_s8_a_wage_at_the_minimum_cites_the_minimum_wage_notice_by_title_and_date():
    # given: the three rows that decide a wage in 芗城区 (tier 2) in 2026
    rows = [resolve(key, region="350602100200", on=f.START) for key in ("min_wage.tier", "min_wage.monthly_tiers")]
    rows.append(resolve("programme.wage", region="350602100200", on=f.START))
    # when
    with translation.override("en"):
        sentence = wage_sentence(Decimal("1960.00"), rows)
    # then
    assert sentence == (
        "Monthly wage 1,960.00 yuan: the tier 2 monthly minimum wage"
        f" under {MIN_WAGE_NOTICE} (in force from April 1, 2022)."
    )


def test_s8_a_wage_from_a_row_without_document_says_it_is_set_on_this_platform():
    # given: the 2020 table is inferred: no official document is on record for it
    rows = [
        resolve(key, region="350602100200", on=date(2021, 1, 4)) for key in ("min_wage.tier", "min_wage.monthly_tiers")
    ]
    # when
    with translation.override("en"):
        sentence = wage_sentence(Decimal("1720.00"), rows)
    # then
    assert sentence == "Monthly wage 1,720.00 yuan: the tier 2 monthly minimum wage, as set on this platform."


def test_s8_a_wage_above_the_minimum_cites_the_programme_rule_and_the_minimum():
    # given: a programme override of 2,000 without a document
    tier = resolve("min_wage.tier", region="350602100200", on=f.START)
    table = resolve("min_wage.monthly_tiers", region="350602100200", on=f.START)
    programme = Resolved(
        "programme.wage",
        {"basis": "min_wage_monthly", "override": "2000"},
        date(2026, 1, 1),
        "3506",
        "x",
        "INFERRED",
        0,
    )
    # when
    with translation.override("en"):
        sentence = wage_sentence(Decimal("2000.00"), [tier, table, programme])
    # then
    assert sentence == (
        "Monthly wage 2,000.00 yuan, as set on this platform"
        " (not below the local monthly minimum wage of 1,960.00 yuan)."
    )


def test_s7_the_unconfirmed_notice_period_says_plainly_that_it_is_set_on_this_platform():
    rule = resolve("recruitment.notice_period", region="350602000000", on=f.NOTICE_OPENS)
    with translation.override("en"):
        assert (
            document_basis(rule.key, rule.value, rule) == "The notice runs for 5 working days, as set on this platform."
        )


def test_s7_a_notice_period_with_its_document_cites_number_and_date():
    row = Resolved(
        "recruitment.notice_period", {"days": 7, "unit": "calendar_day"}, date(2027, 1, 1), "3506", "x", "CONFIRMED", 0,
        "漳州市公益性岗位公示办法", "漳人社〔2026〕1号", date(2027, 1, 1),
    )  # fmt: skip
    with translation.override("en"):
        sentence = document_basis(row.key, row.value, row)
    assert sentence == (
        "The notice runs for 7 calendar days,"
        " under 《漳州市公益性岗位公示办法》 (漳人社〔2026〕1号, in force from Jan. 1, 2027)."
    )


def test_policy_an_unconfirmed_value_cannot_cite_an_official_document():
    with pytest.raises(DomainError) as caught:
        policy_services.parameter_add(
            actor=None,
            key="recruitment.notice_period",
            region_prefix="3506",
            effective_from=date(2027, 1, 1),
            value={"days": 5, "unit": "working_day"},
            source="a guess",
            confidence="UNCONFIRMED",
            document_title="某某办法",
        )
    assert caught.value.code == "document_unconfirmed"


def test_policy_the_seeded_minimum_wage_rows_carry_their_document_and_the_placeholders_none():
    table = resolve("min_wage.monthly_tiers", region="350602000000", on=f.START)
    period = resolve("recruitment.notice_period", region="350602000000", on=f.START)
    assert (table.document_title, table.document_date) == (MIN_WAGE_NOTICE.strip("《》"), date(2022, 4, 1))
    assert period.document_title == ""


# ------------------------------------------------------------------------------ contract


def test_s8_the_contract_pdf_cites_the_document_title_date_and_wage_without_research_notes(
    crew, regions, station, applicant
):
    # given
    (post,) = f.open_posts(station)
    contract = f.hired_helper(crew, post, applicant, region=regions["county_a"]).contract
    # when
    data = pdfs.contract_pdf(contract)
    # then
    text = compact(pdf_text(data))
    with translation.override("zh-hans"):
        sentence = citations.contract_wage_sentence(contract)
    assert compact(sentence) in text
    assert MIN_WAGE_NOTICE in text
    assert "2022年4月1日" in text
    assert "1,960.00" in text
    assert research_notes_in(text) == []
    assert split_words(data, [applicant.name, contract.employer.name]) == []


def test_s8_the_placement_page_shows_the_wage_sentence(crew, regions, station, applicant, hr_a, client_for):
    (post,) = f.open_posts(station)
    placement = f.hired_helper(crew, post, applicant, region=regions["county_a"])
    response = client_for(hr_a).get(reverse("posts:placement_detail", args=[placement.public_id]), headers=EN)
    page = html.unescape(response.content.decode())
    assert f"Monthly wage 1,960.00 yuan: the tier 2 monthly minimum wage under {MIN_WAGE_NOTICE}" in page
    assert research_notes_in(page) == []


# ------------------------------------------------------------------------------ notice


def test_s7_the_notice_pdf_states_the_period_and_its_basis_without_research_notes(notice):
    # when
    text = compact(pdf_text(pdfs.notice_pdf(notice)))
    # then
    with translation.override("zh-hans"):
        sentence = citations.notice_period_sentence(notice)
    assert "5" in sentence
    assert compact(sentence) in text
    assert research_notes_in(text) == []


def test_s7_the_staff_notice_page_states_the_period_and_its_basis_without_research_notes(notice, hr_a, client_for):
    response = client_for(hr_a).get(reverse("posts:notice_detail", args=[notice.public_id]), headers=EN)
    page = html.unescape(response.content.decode())
    assert "The notice runs for 5 working days, as set on this platform." in page
    assert research_notes_in(page) == []


def test_s7_the_archived_notice_states_the_period_from_its_snapshot(crew, notice):
    # given
    closed = f.close_notice(crew, notice)
    # when
    text = compact(pdf_text(pdfs.notice_pdf(closed)))
    page = html.unescape(
        Client().get(reverse("public:notice_detail", args=[closed.public_id]), headers=EN).content.decode()
    )
    # then
    assert "The notice runs for 5 working days, as set on this platform." in page
    assert research_notes_in(page) == []
    assert research_notes_in(text) == []


# ------------------------------------------------------------------------------ printing


def _longest_demo_villages(count: int) -> list[str]:
    names = {name for code, _name, kind in TOWNSHIPS for _code, name, _class in synthetic_villages(code, kind)}
    return sorted(names, key=lambda name: (-len(name), name))[:count]


# The longest names the demo generates (surname + two characters), and compound-surname names of four.
LONG_NAMES = ["欧阳秀英", "司马春梅", "叶梅水", "郑晓红", "蔡国强", "庄雅婷"]


@pytest.fixture
def long_notice(regions, crew, make_user):
    """A notice of six candidates with the longest names, living in the villages with the longest demo names,
    each applying for the post of the home-care station of their own village."""
    township = regions["township_a"]
    villages = []
    for index, name in enumerate(_longest_demo_villages(len(LONG_NAMES))):
        village, _ = Region.objects.get_or_create(
            code=f"{township.code[:9]}{210 + index}",
            defaults={"name": name, "level": 5, "parent": township, "urban_rural_code": "220"},
        )
        Organization.objects.get_or_create(
            kind="village_committee", region=village, defaults={"name": f"{name}村民委员会"}
        )
        villages.append(village)
    kind = FacilityKind.HOME_CARE_STATION
    stations = [
        f.make_facility(crew.reviewer, v, kind=kind, name=f"{v.name}居家养老服务站", opened_on=date(2025, 1, 6))
        for v in villages
    ]
    posts = [f.open_posts(station)[0] for station in stations]
    batch = f.publish_batch(crew.reviewer, regions["county_a"], posts)
    for index, (name, village, post) in enumerate(zip(LONG_NAMES, villages, posts, strict=True)):
        person = f.eligible_person(village, name=name, born=date(1980 + index, 3, 10))
        local = replace(
            crew, clerk=make_user(Role.VILLAGE_EMPLOYER, village), recommender=make_user(Role.VILLAGE_EMPLOYER, village)
        )
        f.qualified(local, batch, post, person)
    return f.open_notice(crew, batch, regions["county_a"])


def test_s7_no_name_or_village_is_split_across_lines_in_the_notice_pdf(long_notice):
    # given
    content = pdfs.notice_content(long_notice)
    assert sorted(c["name"] for c in content.candidates) == sorted(LONG_NAMES)
    villages = [c["village"] for c in content.candidates]
    assert {len(v) for v in villages} == {4}
    # when
    data = pdfs.notice_pdf(long_notice)
    # then: each name and each village is printed whole on one line
    assert split_words(data, LONG_NAMES + villages) == []


def test_s7_the_archived_notice_pdf_keeps_names_whole_too(crew, long_notice):
    closed = f.close_notice(crew, long_notice)
    # the staff copy: the public one withdraws the names after the public retention period
    villages = [c["village"] for c in pdfs.notice_content(closed, public=False).candidates]
    assert split_words(pdfs.notice_pdf(closed, public=False), LONG_NAMES + villages) == []


# ------------------------------------------------------------------------------ snapshot download


def _shown_hash(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([0-9a-f]{{64}})<', page)
    assert match is not None
    return match.group(1)


def _download_link(page: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="snapshot-download"', page)
    assert match is not None
    return html.unescape(match.group(1))


def _check_download(client: Client, page: str, testid: str) -> None:
    shown = _shown_hash(page, testid)
    response = client.get(_download_link(page))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    filename = re.search(r'attachment; filename="(notice-[0-9a-f-]+\.json)"', response["Content-Disposition"])
    assert filename is not None
    assert hashlib.sha256(response.content).hexdigest() == shown
    assert f"sha256sum {filename.group(1)}" in page  # the one-sentence instruction names the file


def test_s7_anyone_downloads_the_archived_snapshot_whose_sha256_is_the_one_shown(crew, notice):
    # given
    closed = f.close_notice(crew, notice)
    client = Client()
    with f.on(f.AFTER_NOTICE):  # within the public retention period
        # when
        page = client.get(reverse("public:notice_detail", args=[closed.public_id])).content.decode()
        # then
        _check_download(client, page, "sha256")
    assert closed.snapshot_sha256 in page


def test_s7_after_the_public_retention_the_snapshot_is_for_staff_only(crew, notice, hr_a, client_for):
    # given a notice whose public retention period is over
    closed = f.close_notice(crew, notice)
    assert closed.public_details_expired()
    # when / then: the public page offers no download and the public URL answers 404; staff still download
    page = Client().get(reverse("public:notice_detail", args=[closed.public_id])).content.decode()
    assert 'data-testid="snapshot-download"' not in page
    assert Client().get(reverse("public:notice_snapshot", args=[closed.public_id])).status_code == 404
    assert client_for(hr_a).get(reverse("posts:notice_snapshot", args=[closed.public_id])).status_code == 200


def test_s7_staff_download_the_archived_snapshot_whose_sha256_is_the_one_shown(crew, notice, hr_a, client_for):
    closed = f.close_notice(crew, notice)
    client = client_for(hr_a)
    page = client.get(reverse("posts:notice_detail", args=[closed.public_id])).content.decode()
    _check_download(client, page, "notice-hash")


def test_s7_an_open_notice_has_no_snapshot_to_download(notice, hr_a, client_for):
    assert Client().get(reverse("public:notice_snapshot", args=[notice.public_id])).status_code == 404
    assert client_for(hr_a).get(reverse("posts:notice_snapshot", args=[notice.public_id])).status_code == 404


def test_s7_the_staff_snapshot_of_another_county_is_404(crew, notice, civil_affairs_b, client_for):
    closed = f.close_notice(crew, notice)
    assert client_for(civil_affairs_b).get(reverse("posts:notice_snapshot", args=[closed.public_id])).status_code == 404


def test_s7_the_staff_snapshot_is_forbidden_to_a_helper(crew, notice, helper_a, client_for):
    closed = f.close_notice(crew, notice)
    assert client_for(helper_a).get(reverse("posts:notice_snapshot", args=[closed.public_id])).status_code == 403


# ------------------------------------------------------------------------------ records from before


def test_s8_a_contract_from_before_the_kept_rows_resolves_them_again(crew, regions, station, applicant):
    # given: a contract whose rows were not kept (made before Contract.wage_parameters existed)
    (post,) = f.open_posts(station)
    contract = f.hired_helper(crew, post, applicant, region=regions["county_a"]).contract
    with translation.override("en"):
        kept = citations.contract_wage_sentence(contract)
        contract.wage_parameters.clear()
        # when
        resolved = citations.contract_wage_sentence(contract)
    # then
    assert resolved == kept
    assert MIN_WAGE_NOTICE in resolved


def test_s7_a_snapshot_from_before_the_period_row_states_the_days_without_a_basis(crew, notice):
    # given: an archive written with the old research-note basis
    closed = f.close_notice(crew, notice)
    data = json.loads(closed.snapshot)
    data["period_basis"] = "recruitment.notice_period = {'days': 5, 'unit': 'working_day'} (2020-01-01, UNCONFIRMED; x)"
    del data["period"]
    snapshot = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    PublicNotice.objects.filter(pk=closed.pk).update(snapshot=snapshot, snapshot_sha256=digest)
    closed.refresh_from_db()
    # when
    with translation.override("en"):
        content = pdfs.notice_content(closed)
    # then
    assert content.period_sentence == "The notice runs for 5 working days."
