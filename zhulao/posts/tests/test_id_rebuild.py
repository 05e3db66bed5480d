"""The rebuild attack on recruitment (S2, S7, S8): what the public notice (page and PDF, live or archived),
the placement page and the contract leave of a candidate's ID number to a viewer without the unmask
permission (region, sex and birth year taken as known). At least 1,000 numbers must remain."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from zhulao.core.testing.pdftext import pdf_text
from zhulao.core.testing.rebuild import candidates_left, derived_days
from zhulao.posts.tests import factories as f
from zhulao.rules.idcard import age_on
from zhulao.rules.masking import MIN_ID_CANDIDATES

pytestmark = pytest.mark.usefixtures("policy")

BORN = date(1978, 5, 19)


@pytest.fixture
def person(regions):
    return f.eligible_person(regions["village_a"], name="黄淑贞", born=BORN)


@pytest.fixture
def application(crew, batch, station, person):
    (post,) = f.open_posts(station)
    return f.qualified(crew, batch, post, person)


@pytest.fixture
def notice(regions, crew, batch, application):
    return f.open_notice(crew, batch, regions["county_a"])


def _left(text: str, person, on: date) -> int:
    return candidates_left(text, person, today=on, ages=[(age_on(person.birth_date, f.NOTICE_OPENS), f.NOTICE_OPENS)])


def test_s2_the_public_notice_page_and_pdf_leave_at_least_1000_candidates(notice, person):
    anon = Client()
    with f.on(f.NOTICE_OPENS):
        page = anon.get(reverse("public:notice_detail", args=[notice.public_id])).content.decode()
        pdf = anon.get(reverse("public:notice_pdf", args=[notice.public_id])).content
    assert person.name in page
    assert _left(page, person, f.NOTICE_OPENS) >= MIN_ID_CANDIDATES
    assert _left(pdf_text(pdf), person, f.NOTICE_OPENS) >= MIN_ID_CANDIDATES


def test_s2_an_archived_snapshot_with_the_old_mask_is_shown_through_the_new_rule(crew, notice, person):
    # given a notice archived when the mask still kept the last four characters
    notice = f.close_notice(crew, notice)
    old = person.id_number[:6] + "********" + person.id_number[-4:]
    data = json.loads(notice.snapshot)
    for entry in data["candidates"]:
        entry["id_number"] = old
    notice.snapshot = json.dumps(data, ensure_ascii=False)
    notice.snapshot_sha256 = hashlib.sha256(notice.snapshot.encode()).hexdigest()
    notice.save(update_fields=["snapshot", "snapshot_sha256"])
    # when
    with f.on(f.AFTER_NOTICE):
        page = Client().get(reverse("public:notice_detail", args=[notice.public_id])).content.decode()
    # then
    assert person.name in page
    assert old not in page
    assert person.id_number[:6] + "*" * 12 in page
    assert _left(page, person, f.AFTER_NOTICE) >= MIN_ID_CANDIDATES


def test_s2_the_placement_page_gives_a_retirement_bound_end_to_the_month_only(crew, notice, application, client_for):
    # given a woman whose subsidy runs until her statutory retirement
    f.close_notice(crew, notice)
    placement = f.hire(crew, application)
    person = placement.person
    assert placement.planned_end == derived_days(person, today=f.START)[0]
    # when the village employer (no unmask) opens the placement
    client = client_for(crew.recommender)
    with f.on(f.START):
        html = client.get(placement.get_absolute_url()).content.decode()
        contract = client.get(reverse("posts:contract_pdf", args=[placement.public_id]))
    # then
    assert person.name in html
    assert f"{placement.planned_end:%Y-%m}" in html
    assert candidates_left(html, person, today=f.START) >= MIN_ID_CANDIDATES
    assert contract.status_code == 403  # the contract prints the exact end: only for a role with unmask
    with f.on(f.START):
        assert client_for(crew.hr).get(reverse("posts:contract_pdf", args=[placement.public_id])).status_code == 200
