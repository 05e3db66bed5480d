"""The public portal (no login): open batches and the application form, public notices with the
objection form, archived notices with their hash, the notice PDF. Masked IDs only, no cookies on
plain pages, throttled per client address."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from zhulao.core.models import AuditEvent, RateCounter
from zhulao.core.testing.pdftext import compact, pdf_text
from zhulao.eldercare.models import Notification
from zhulao.people import services as people_services
from zhulao.people.models import Person
from zhulao.people.tests import factories as people
from zhulao.posts import public
from zhulao.posts.choices import ApplicationStatus, SubmittedVia
from zhulao.posts.models import Application, Objection
from zhulao.posts.tests import factories as f
from zhulao.rules import masking

pytestmark = pytest.mark.usefixtures("policy")

IP = "203.0.113.7"


@pytest.fixture
def anon() -> Client:
    return Client(REMOTE_ADDR=IP)


@pytest.fixture
def station_post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def notice(regions, crew, batch, station_post, applicant):
    f.qualified(crew, batch, station_post, applicant)
    return f.open_notice(crew, batch, regions["county_a"])


def html(response) -> str:
    return response.content.decode()


def cookies(response) -> set[str]:
    return set(response.cookies.keys())


def application_form(regions, post, **overrides):
    data = {
        "name": "陈美华",
        "id_number": people.id_number(),
        "phone": "13900001111",
        "village": regions["village_a"].code,
        "post": str(post.public_id),
        "consent": "on",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------------- every page


def test_every_public_page_opens_without_login_and_sets_no_cookie_without_a_form(
    anon, batch, notice, crew, django_assert_max_num_queries
):
    # given
    with f.on(f.NOTICE_OPENS):
        # when / then: pages without a form set no cookie at all
        with django_assert_max_num_queries(6):
            home = anon.get(reverse("public:home"))
        archive = anon.get(reverse("public:notice_archive"))
        pdf = anon.get(reverse("public:notice_pdf", args=[notice.public_id]))
        # pages with a form set only the CSRF cookie
        with django_assert_max_num_queries(8):
            detail = anon.get(reverse("public:notice_detail", args=[notice.public_id]))
    with f.on(f.APPLY_ON):
        batch_page = anon.get(reverse("public:batch_detail", args=[batch.public_id]))
    assert [r.status_code for r in (home, archive, pdf, detail, batch_page)] == [200] * 5
    assert cookies(home) == cookies(archive) == cookies(pdf) == set()
    assert cookies(detail) == cookies(batch_page) == {"csrftoken"}
    assert pdf["Content-Type"] == "application/pdf"
    assert batch.title in html(home)
    assert notice.title in html(home)
    assert "工作人员登录" in html(home) or "Staff login" in html(home)
    assert reverse("accounts:login") in html(home)
    # no staff navigation, no inline script or style (strict CSP)
    for page in (home, archive, detail, batch_page):
        assert "navbar-nav" not in html(page)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html(page))
        assert " style=" not in html(page)
        assert "<style" not in html(page)


def test_the_home_page_lists_the_batch_window_posts_and_registration_types(anon, batch):
    with f.on(f.APPLY_ON):
        page = html(anon.get(reverse("public:home")))
    assert "本市户籍" in page
    assert "本省户籍" in page
    assert reverse("public:batch_detail", args=[batch.public_id]) in page
    assert reverse("public:notice_archive") in page


def test_a_closed_or_unknown_batch_is_not_found(anon, batch, crew):
    with f.on(f.APPLY_ON):
        from zhulao.posts import services

        services.batch_close(actor=crew.reviewer, batch=batch)
        assert anon.get(reverse("public:batch_detail", args=[batch.public_id])).status_code == 404
        assert anon.get(reverse("public:batch_detail", args=[notice_id()])).status_code == 404


def notice_id():
    import uuid

    return uuid.uuid4()


# -------------------------------------------------------------------------------------- notices


def test_s7_the_notice_page_shows_the_allowlisted_fields_with_the_id_number_masked(anon, notice, applicant):
    # when
    with f.on(f.NOTICE_OPENS):
        page = html(anon.get(reverse("public:notice_detail", args=[notice.public_id])))
    # then
    assert applicant.name in page
    assert applicant.id_number_masked in page
    assert applicant.id_number not in page
    assert applicant.id_number[6:14] not in page  # no birth date either
    assert applicant.region.name in page
    assert reverse("public:notice_pdf", args=[notice.public_id]) in page


def test_s7_a_notice_before_its_period_or_unknown_is_not_found(anon, notice):
    with f.on(f.APPLY_ON):  # before the notice opens
        assert anon.get(reverse("public:notice_detail", args=[notice.public_id])).status_code == 404
        assert anon.get(reverse("public:notice_pdf", args=[notice.public_id])).status_code == 404
    with f.on(f.NOTICE_OPENS):
        assert anon.get(reverse("public:notice_detail", args=[notice_id()])).status_code == 404


def test_s7_names_are_escaped_on_the_notice_page(anon, regions, crew, batch, station_post):
    # given
    evil = f.eligible_person(regions["village_a"], name="<img src=x onerror=alert(1)>")
    f.qualified(crew, batch, station_post, evil)
    notice = f.open_notice(crew, batch, regions["county_a"])
    # when
    with f.on(f.NOTICE_OPENS):
        page = html(anon.get(reverse("public:notice_detail", args=[notice.public_id])))
    # then
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def _objection(notice, applicant, text="该候选人已在其他单位就业。"):
    return {"candidate": str(applicant.applications.get().public_id), "text": text, "contact": "13800002222"}


def test_s7_an_objection_is_stored_and_the_sixth_from_one_address_in_an_hour_is_refused(anon, notice, applicant):
    url = reverse("public:notice_detail", args=[notice.public_id])
    with f.on(f.NOTICE_OPENS):
        # when: five objections from one address
        for _ in range(5):
            response = anon.post(url, _objection(notice, applicant))
            assert response.status_code == 302
            assert response["Location"].endswith("?received=1")
        # then: stored, with the contact encrypted and no address kept
        objection = Objection.objects.filter(notice=notice).first()
        assert objection.text == "该候选人已在其他单位就业。"
        assert objection.contact == "13800002222"
        assert IP not in objection.source_hash
        # when: a sixth from the same address
        refused = anon.post(url, _objection(notice, applicant))
        # then
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert Objection.objects.filter(notice=notice).count() == 5
        # another address may still object
        other = Client(REMOTE_ADDR="198.51.100.9").post(url, _objection(notice, applicant))
        assert other.status_code == 302
    assert Objection.objects.filter(notice=notice).count() == 6


def test_s7_an_objection_needs_a_candidate_of_this_notice_and_some_text(anon, notice, applicant):
    url = reverse("public:notice_detail", args=[notice.public_id])
    with f.on(f.NOTICE_OPENS):
        short = anon.post(url, _objection(notice, applicant, text="不"))
        stranger = anon.post(url, {**_objection(notice, applicant), "candidate": str(notice_id())})
    assert short.status_code == stranger.status_code == 400
    assert Objection.objects.count() == 0


def test_s7_no_objection_after_the_period(anon, notice, applicant):
    url = reverse("public:notice_detail", args=[notice.public_id])
    with f.on(f.AFTER_NOTICE):  # ended, not yet archived: shown without the form
        page = anon.get(url)
        response = anon.post(url, _objection(notice, applicant))
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" not in html(page)
    assert response.status_code == 400
    assert Objection.objects.count() == 0


def test_s7_a_closed_notice_shows_its_snapshot_and_the_hash_of_that_snapshot(anon, crew, notice, applicant):
    # given: archived, then the live record changes
    notice = f.close_notice(crew, notice)
    data = people_services.PersonData(name="林秀兰", id_number=applicant.id_number, region=applicant.region)
    people_services.person_update(actor=None, person=applicant, data=data)
    # when
    with f.on(f.AFTER_NOTICE):
        response = anon.get(reverse("public:notice_detail", args=[notice.public_id]))
        archive = anon.get(reverse("public:notice_archive"))
    # then
    page = html(response)
    assert response.status_code == 200
    assert cookies(response) == set()
    printed = re.search(r'data-testid="sha256">([0-9a-f]{64})<', page).group(1)
    assert printed == notice.snapshot_sha256 == hashlib.sha256(notice.snapshot.encode()).hexdigest()
    assert "林秀英" in page  # the archived name
    assert "林秀兰" not in page
    assert applicant.id_number not in page
    assert "csrfmiddlewaretoken" not in page
    assert notice.snapshot_sha256 in html(archive)
    assert notice.title in html(archive)


def test_s7_downloading_an_archived_notice_twice_prints_the_same_hash(anon, crew, notice, applicant):
    # given
    notice = f.close_notice(crew, notice)
    url = reverse("public:notice_pdf", args=[notice.public_id])
    # when
    with f.on(f.AFTER_NOTICE):
        first, second = anon.get(url), anon.get(url)
    # then
    hashes = [re.findall(r"存档哈希（SHA-256）：([0-9a-f]{64})", compact(pdf_text(r.content))) for r in (first, second)]
    assert hashes == [[notice.snapshot_sha256], [notice.snapshot_sha256]]
    assert applicant.id_number not in pdf_text(first.content)
    assert 'filename="notice-' in first["Content-Disposition"]


# ---------------------------------------------------------------------------------- applications


def test_s7_a_public_application_registers_the_person_and_is_submitted_via_the_portal(
    anon, regions, batch, station_post
):
    # given
    data = application_form(regions, station_post)
    url = reverse("public:batch_detail", args=[batch.public_id])
    # when
    with f.on(f.APPLY_ON):
        response = anon.post(url, data)
    # then
    assert response.status_code == 200
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_via == SubmittedVia.PUBLIC
    assert application.post == station_post
    assert application.contact_phone == "13900001111"
    assert application.steps.get().actor is None
    person = application.person
    assert (person.name, person.region, person.willing_to_work) == ("陈美华", regions["village_a"], True)
    page = html(response)
    assert person.id_number_masked in page
    assert data["id_number"] not in page
    assert AuditEvent.objects.filter(action=public.SUBMIT_ACTION, ip=IP, outcome="success").count() == 1


def test_s7_a_public_application_of_a_registered_person_uses_their_record(
    anon, regions, batch, station_post, applicant
):
    # given: the applicant is already in the registry
    data = application_form(regions, station_post, name=applicant.name, id_number=applicant.id_number)
    # when
    with f.on(f.APPLY_ON):
        response = anon.post(reverse("public:batch_detail", args=[batch.public_id]), data)
    # then
    assert response.status_code == 200
    assert Application.objects.get().person == applicant
    assert Person.objects.count() == 1


def _without_ids(response, *numbers: str) -> str:
    """The page with the CSRF tokens and the masked forms of ``numbers`` left out."""
    page = html(response)
    for number in numbers:
        page = page.replace(masking.mask_id_number(number), "ID")
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)


def test_s7_a_registered_number_with_another_name_gets_the_same_answer_as_an_unregistered_one(
    anon, regions, batch, station_post, applicant, village_a
):
    # given: a registered number typed with the wrong name, and a number nobody registered
    url = reverse("public:batch_detail", args=[batch.public_id])
    unregistered = people.id_number()
    with f.on(f.APPLY_ON):
        # when
        wrong_name = anon.post(url, application_form(regions, station_post, name="王五", id_number=applicant.id_number))
        unknown = anon.post(url, application_form(regions, station_post, name="王五", id_number=unregistered))
    # then: the same status and the same page, apart from the masked number the visitor typed
    assert wrong_name.status_code == unknown.status_code == 200
    assert _without_ids(wrong_name, applicant.id_number) == _without_ids(unknown, unregistered)
    assert applicant.name not in html(wrong_name)  # the registered name is never revealed
    # and the mismatch is something the village checks
    entered = Application.objects.get(person=applicant)
    assert "王五" in entered.steps.get().note
    note = Notification.objects.get(kind=public.CHECK_KIND, user=village_a)
    assert applicant.id_number_masked in note.title


def test_s7_a_registered_person_the_services_refuse_gets_the_same_answer_and_a_case_for_the_village(
    anon, regions, batch, station_post, applicant, village_a
):
    # given: the registered person already applied in this batch
    url = reverse("public:batch_detail", args=[batch.public_id])
    data = application_form(regions, station_post, name=applicant.name, id_number=applicant.id_number)
    with f.on(f.APPLY_ON):
        first = anon.post(url, data)
        # when: the same again (which the services refuse), and an unregistered number
        again = anon.post(url, data)
        unknown = anon.post(url, {**data, "id_number": (other := people.id_number())})
    # then: the same answer every time; the refusal is audited and routed to the village
    assert first.status_code == again.status_code == unknown.status_code == 200
    assert _without_ids(again, applicant.id_number) == _without_ids(unknown, other)
    assert Application.objects.filter(person=applicant).count() == 1
    assert AuditEvent.objects.filter(action=public.SUBMIT_ACTION, reason="duplicate_application").count() == 1
    assert Notification.objects.filter(kind=public.CHECK_KIND, user=village_a).count() == 1


def test_s7_a_bad_id_number_shows_the_reason_and_writes_nothing(anon, regions, batch, station_post):
    # given
    wrong, right = people.with_wrong_check_digit(people.id_number())
    before = (Person.objects.count(), Application.objects.count(), AuditEvent.objects.count())
    # when
    with f.on(f.APPLY_ON):
        response = anon.post(
            reverse("public:batch_detail", args=[batch.public_id]),
            application_form(regions, station_post, id_number=wrong),
        )
    # then
    assert response.status_code == 400
    assert (Person.objects.count(), Application.objects.count(), AuditEvent.objects.count()) == before
    form = response.context["form"]
    assert form.errors["id_number"]
    assert "csrfmiddlewaretoken" in html(response)
    assert "陈美华" in html(response)  # the form keeps what was typed


def test_s7_missing_fields_and_consent_are_field_errors(anon, regions, batch, station_post):
    with f.on(f.APPLY_ON):
        response = anon.post(
            reverse("public:batch_detail", args=[batch.public_id]),
            application_form(regions, station_post, consent="", phone="12"),
        )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"consent", "phone"}
    assert Application.objects.count() == 0


def test_s7_the_sixth_public_application_from_one_address_in_an_hour_is_refused(
    anon, regions, batch, station_post, settings
):
    url = reverse("public:batch_detail", args=[batch.public_id])
    with f.on(f.APPLY_ON):
        # given: five applications from one address
        for _ in range(settings.PUBLIC_APPLY_PER_IP_PER_HOUR):
            assert anon.post(url, application_form(regions, station_post)).status_code == 200
        # when
        refused = anon.post(url, application_form(regions, station_post))
        # then
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert refused.context["form"].non_field_errors() == [str(public.THROTTLED)]
        assert Application.objects.count() == 5
        # another address is not affected
        other = Client(REMOTE_ADDR="198.51.100.9").post(url, application_form(regions, station_post))
        assert other.status_code == 200
    assert Application.objects.filter(submitted_via=SubmittedVia.PUBLIC).count() == 6


def test_s7_repeated_attempts_from_one_address_are_throttled_registered_or_not(
    anon, regions, batch, station_post, applicant, settings
):
    # given: attempts that are not received (a bad phone), from one address
    url = reverse("public:batch_detail", args=[batch.public_id])
    data = application_form(regions, station_post, id_number=applicant.id_number, phone="12")
    limit = settings.PUBLIC_APPLY_ATTEMPTS_PER_IP_PER_HOUR
    with f.on(f.APPLY_ON):
        statuses = [anon.post(url, data).status_code for _ in range(limit + 1)]
    # then
    assert statuses == [400] * limit + [429]


def test_s7_the_whole_form_has_a_global_ceiling_over_every_address(regions, batch, station_post, settings):
    # given: a low global ceiling, reached from many addresses
    settings.PUBLIC_APPLY_GLOBAL_PER_HOUR = 3
    url = reverse("public:batch_detail", args=[batch.public_id])
    with f.on(f.APPLY_ON):
        statuses = [
            Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, application_form(regions, station_post)).status_code
            for i in range(1, 5)
        ]
    # then: the fourth address is refused although it never tried before
    assert statuses == [200, 200, 200, 429]
    assert Application.objects.count() == 3
    assert RateCounter.objects.filter(scope="public_apply_all", key="*").get().count == 4


def test_s7_no_application_outside_the_window(anon, regions, batch, station_post):
    with f.on(f.WINDOW_OPEN.replace(day=1).replace(month=8)):  # the batch is published, not yet open
        page = anon.get(reverse("public:batch_detail", args=[batch.public_id]))
        response = anon.post(
            reverse("public:batch_detail", args=[batch.public_id]), application_form(regions, station_post)
        )
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" not in html(page)
    assert cookies(page) == set()
    assert response.status_code == 400
    assert Application.objects.count() == 0
