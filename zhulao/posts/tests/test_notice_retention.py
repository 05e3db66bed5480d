"""S7 / issue "Personal-data leaks" point 8: after ``recruitment.notice_public_retention_days`` the public
copy of an archived notice (page and PDF) shows only the counts and the archive hash; staff keep the
full snapshot. The decision is one model predicate, ``PublicNotice.public_details_expired``."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from zhulao import policy
from zhulao.core.testing.pdftext import compact, pdf_text
from zhulao.policy import services as policy_services
from zhulao.policy.models import PolicyParameter
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

KEY = "recruitment.notice_public_retention_days"


@pytest.fixture
def archived(regions, crew, batch, station, applicant):
    (post,) = f.open_posts(station)
    f.qualified(crew, batch, post, applicant)
    return f.close_notice(crew, f.open_notice(crew, batch, regions["county_a"]))


def _last_public_day(notice) -> date:
    days = policy.value(KEY, region=notice.region_id, on=notice.closes_on)
    return notice.closes_on + timedelta(days=days)


def _page(notice) -> str:
    return Client().get(reverse("public:notice_detail", args=[notice.public_id])).content.decode()


def _pdf(notice) -> str:
    response = Client().get(reverse("public:notice_pdf", args=[notice.public_id]))
    assert response.status_code == 200
    return compact(pdf_text(response.content))


def test_s7_the_retention_is_a_dated_policy_value_for_zhangzhou(archived):
    row = policy.resolve(KEY, region=archived.region_id, on=archived.closes_on)
    assert isinstance(row.value, int)
    assert row.value > 0


def test_s7_before_the_retention_ends_the_public_page_and_pdf_show_the_candidates(archived, applicant):
    # given: the last day the details are public
    with f.on(_last_public_day(archived)):
        # when
        page, printed = _page(archived), _pdf(archived)
    # then
    assert not archived.public_details_expired(_last_public_day(archived))
    assert applicant.name in page
    assert applicant.name in printed
    assert archived.snapshot_sha256 in page


def test_s7_after_the_retention_the_public_sees_only_the_counts_and_the_hash(archived, applicant, crew, client_for):
    # given: the day after the last public day
    after = _last_public_day(archived) + timedelta(days=1)
    with f.on(after):
        # when
        page, printed = _page(archived), _pdf(archived)
        staff_pdf = client_for(crew.hr).get(reverse("posts:notice_pdf", args=[archived.public_id]))
    # then: no name, age, village or masked number; the counts and the hash remain
    assert archived.public_details_expired(after)
    for detail in (applicant.name, applicant.id_number_masked, applicant.region.name):
        assert detail not in page
        assert detail not in printed
    assert re.search(r'data-testid="candidate-count">[^<]*\b1\b', page)
    assert archived.snapshot_sha256 in page
    assert "共1人" in printed
    assert archived.snapshot_sha256 in printed
    # and staff still print the full snapshot
    assert staff_pdf.status_code == 200
    assert applicant.name in compact(pdf_text(staff_pdf.content))


def test_s7_an_open_notice_is_never_expired(regions, crew, batch, station, applicant):
    (post,) = f.open_posts(station)
    f.qualified(crew, batch, post, applicant)
    notice = f.open_notice(crew, batch, regions["county_a"])
    assert not notice.public_details_expired(notice.closes_on + timedelta(days=3650))


def test_s7_a_later_longer_retention_never_republishes_and_a_shorter_one_applies_at_once(archived):
    # given: the notice is past its retention
    after = _last_public_day(archived) + timedelta(days=1)
    assert archived.public_details_expired(after)
    # when: a new, longer value comes into force later
    policy_services.parameter_add(
        actor=None,
        key=KEY,
        value=3650,
        effective_from=after,
        source="test",
        confidence="UNCONFIRMED",
        region_prefix="3506",
    )
    # then: still expired
    assert archived.public_details_expired(after + timedelta(days=1))
    # when: a shorter value (0 days) comes into force the day after the notice
    policy_services.parameter_add(
        actor=None,
        key=KEY,
        value=0,
        effective_from=archived.closes_on + timedelta(days=2),
        source="test",
        confidence="UNCONFIRMED",
        region_prefix="350602",
    )
    # then: it applies to this notice from that day
    assert not archived.public_details_expired(archived.closes_on + timedelta(days=1))
    assert archived.public_details_expired(archived.closes_on + timedelta(days=2))


def test_s7_without_a_retention_value_the_details_are_withdrawn(archived):
    # given: a notice of a region with no value for the key (fail closed)
    archived.region_id = "360100000000"
    assert not PolicyParameter.objects.filter(key=KEY, region_prefix__in=["", "36", "3601"]).exists()
    # then
    assert archived.public_details_expired(archived.closes_on + timedelta(days=1))
