"""Pages of elder care (S13–S17). Every page: allowed, other region (404), wrong role (403), and the bad inputs."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from zhulao.core import clock
from zhulao.core.models import AuditEvent
from zhulao.eldercare import services
from zhulao.eldercare.models import CapabilityAssessment, ElderArchive, EmergencyContact, NeedReport, Pairing, Visit
from zhulao.people.tests import factories as f
from zhulao.rules import capability

pytestmark = pytest.mark.usefixtures("policy")

MY_DAY = reverse("eldercare:my_day")
ARCHIVES = reverse("eldercare:archive_list")
ARCHIVE_NEW = reverse("eldercare:archive_create")
COVERAGE = reverse("eldercare:coverage")
NEEDS = reverse("eldercare:need_list")

BORN = date(1940, 3, 15)


def url(name: str, obj) -> str:
    return reverse(f"eldercare:{name}", args=[obj.public_id])


def _html(response) -> str:
    return response.content.decode()


def make_archive(region, *, name="陈阿婆", categories=("left_behind", "living_alone"), born=BORN, **texts):
    person = f.make_person(region, name=name, id_number=f.id_number(born))
    return services.archive_create(actor=None, person=person, categories=list(categories), **texts)


@pytest.fixture
def helper_b(make_user):
    return make_user("helper", "village_b", username="helper_village_b")


@pytest.fixture
def helper_a2(make_user):
    """A second helper of village_a, not paired with the elder."""
    return make_user("helper", "village_a", username="helper_village_a_2")


@pytest.fixture
def township_b(make_user):
    return make_user("township_employer", "township_b", username="township_employer_b")


@pytest.fixture
def archive(regions):
    """An elder of village_a (born 1940: 高龄 too), left behind and living alone."""
    return make_archive(regions["village_a"], living_conditions="独居平房")


@pytest.fixture
def paired(archive, helper_a):
    services.pairing_assign(actor=None, archive=archive, helper=helper_a)
    return archive


@pytest.fixture
def visit(paired, helper_a):
    return services.visit_start(actor=helper_a, archive=paired)


def _visit_post(**overrides: str) -> dict[str, str]:
    data = {
        "service_cleaning": "on",
        "minutes_cleaning": "40",
        "service_meals": "on",
        "minutes_meals": "20",
        "living_state": "屋内整洁",
        "psychological_state": "情绪稳定",
        "family_contacted": "on",
        "notes": "提醒按时服药",
        "new_needs": "需要助浴\n\n需要轮椅",
    }
    data.update(overrides)
    return data


def _assessment_post(**overrides: str) -> dict[str, str]:
    data = {item.code: str(item.max) for item in capability.ITEMS}
    data.update({"reason": "first", "risk_events": "0", "assessed_on": clock.today().isoformat()})
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------ navigation


def test_nav_shows_each_role_its_elder_care_pages(helper_a, civil_affairs_a, township_a, client_for):
    helper_page = _html(client_for(helper_a).get(MY_DAY))
    assert MY_DAY in helper_page
    assert ARCHIVES not in helper_page
    staff_page = _html(client_for(township_a).get(ARCHIVES))
    for link in (ARCHIVES, NEEDS, COVERAGE):
        assert link in staff_page
    assert MY_DAY not in staff_page


# ------------------------------------------------------------------------------ my day (S14)


def test_s14_my_day_lists_the_paired_elder_with_a_start_button(paired, helper_a, client_for):
    response = client_for(helper_a).get(MY_DAY)
    assert response.status_code == 200
    html = _html(response)
    assert "陈阿婆" in html
    assert "东山村" in html
    for tag in ("留守", "独居", "高龄"):
        assert tag in html
    assert url("visit_start", paired) in html
    assert "<table" not in html


def test_s14_my_day_in_english_says_why_in_english(paired, helper_a, client_for):
    client = client_for(helper_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _html(client.get(MY_DAY))
    assert "Start the visit" in html
    assert "needs 1 visit(s)" in html
    assert "应走访" not in html


def test_s14_my_day_is_forbidden_to_staff(village_a, civil_affairs_a, client_for):
    assert client_for(village_a).get(MY_DAY).status_code == 403
    assert client_for(civil_affairs_a).get(MY_DAY).status_code == 403


def test_s14_my_day_of_another_helper_does_not_show_the_elder(paired, helper_b, helper_a2, client_for):
    for other in (helper_b, helper_a2):
        response = client_for(other).get(MY_DAY)
        assert response.status_code == 200
        assert "陈阿婆" not in _html(response)


def test_s14_my_day_puts_overdue_first_then_due_then_the_rest(regions, helper_a, client_for, monkeypatch):
    # given: created in the reverse of the expected order, so the order is not the ids'
    village = regions["village_a"]
    visited = make_archive(village, name="已访老人", categories=["left_behind"], born=date(1950, 1, 1))
    due = make_archive(village, name="待访老人", categories=["empty_nest"], born=date(1950, 2, 1))
    overdue = make_archive(village, name="逾期老人", categories=["widowed_childless"], born=date(1950, 3, 1))
    services.pairing_assign(actor=None, archive=visited, helper=helper_a)
    services.pairing_assign(actor=None, archive=due, helper=helper_a)
    today = clock.today()
    with monkeypatch.context() as m:  # paired two months ago: last month's missing visit makes it overdue
        m.setattr(clock, "today", lambda: today - timedelta(days=62))
        services.pairing_assign(actor=None, archive=overdue, helper=helper_a)
    done = services.visit_start(actor=helper_a, archive=visited)
    services.visit_submit(actor=helper_a, visit=done, services={"cleaning": 30})
    # when
    response = client_for(helper_a).get(MY_DAY)
    # then
    html = _html(response)
    positions = [html.index(name) for name in ("逾期老人", "待访老人", "已访老人")]
    assert positions == sorted(positions)
    sections = response.context["sections"]
    assert [c["item"].archive for c in sections["overdue"]] == [overdue]
    assert [c["item"].archive for c in sections["due"]] == [due]
    assert [c["item"].archive for c in sections["rest"]] == [visited]
    assert 'data-state="overdue"' in html
    assert "text-bg-danger" in html


def test_s14_an_overdue_elder_visited_this_period_leaves_the_overdue_section(
    archive, helper_a, client_for, monkeypatch
):
    # given: paired two months ago, no visit last month, visited today
    today = clock.today()
    with monkeypatch.context() as m:
        m.setattr(clock, "today", lambda: today - timedelta(days=62))
        services.pairing_assign(actor=None, archive=archive, helper=helper_a)
    visit = services.visit_start(actor=helper_a, archive=archive)
    services.visit_submit(actor=helper_a, visit=visit, services={"meals": 30})
    # when
    sections = client_for(helper_a).get(MY_DAY).context["sections"]
    # then
    assert sections["overdue"] == []
    [card] = sections["rest"]
    assert card["item"].status.overdue  # last month is still short: the "why" says so


def test_s14_my_day_offers_to_continue_an_open_visit(visit, helper_a, client_for):
    html = _html(client_for(helper_a).get(MY_DAY))
    assert visit.get_absolute_url() in html
    assert 'data-testid="visit-continue"' in html


def test_s14_my_day_query_count_does_not_grow_with_elders(regions, helper_a, client_for, django_assert_max_num_queries):
    for n in range(6):
        archive = make_archive(regions["village_a"], name=f"老人{n}", born=date(1945, 1, n + 1))
        services.pairing_assign(actor=None, archive=archive, helper=helper_a)
        if n % 2:
            services.visit_start(actor=helper_a, archive=archive)
    client = client_for(helper_a)
    with django_assert_max_num_queries(17):
        response = client.get(MY_DAY)
    assert response.context["count"] == 6


# ------------------------------------------------------------------------------ visits (S14, S15, S17)


def test_s14_start_opens_a_visit_and_leads_to_its_form(paired, helper_a, client_for):
    # when
    response = client_for(helper_a).post(url("visit_start", paired))
    # then
    visit = Visit.objects.get(archive=paired)
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.visit_date == clock.today()
    assert visit.submitted_at is None


def test_s14_a_second_tap_continues_the_same_visit(paired, helper_a, client_for):
    client = client_for(helper_a)
    client.post(url("visit_start", paired))
    client.post(url("visit_start", paired))
    assert Visit.objects.filter(archive=paired).count() == 1


def test_s14_start_only_by_post(paired, helper_a, client_for):
    assert client_for(helper_a).get(url("visit_start", paired)).status_code == 405


def test_s14_start_for_an_elder_not_paired_is_not_found(paired, helper_a2, helper_b, client_for):
    for other in (helper_a2, helper_b):
        assert client_for(other).post(url("visit_start", paired)).status_code == 404
    assert not Visit.objects.exists()


def test_s14_start_is_forbidden_to_staff(paired, village_a, client_for):
    assert client_for(village_a).post(url("visit_start", paired)).status_code == 403


def test_s14_a_future_visit_date_is_refused(paired, helper_a, client_for):
    # when
    tomorrow = clock.today() + timedelta(days=1)
    response = client_for(helper_a).post(url("visit_start", paired), {"visit_date": tomorrow.isoformat()}, follow=True)
    # then
    assert not Visit.objects.exists()
    assert response.redirect_chain[-1][0] == MY_DAY
    assert "alert-danger" in _html(response)


def test_s14_an_earlier_day_can_be_recorded(paired, helper_a, client_for):
    earlier = clock.today() - timedelta(days=2)
    paired.pairings.update(started_on=earlier - timedelta(days=30))  # paired a month ago (test setup)
    client_for(helper_a).post(url("visit_start", paired), {"visit_date": earlier.isoformat()})
    assert Visit.objects.get(archive=paired).visit_date == earlier


def test_s14_a_day_before_the_pairing_is_refused(paired, helper_a, client_for):
    earlier = clock.today() - timedelta(days=2)
    client_for(helper_a).post(url("visit_start", paired), {"visit_date": earlier.isoformat()})
    assert not Visit.objects.filter(archive=paired).exists()


def test_s15_visit_form_shows_the_services_six_helps_first(visit, helper_a, client_for):
    response = client_for(helper_a).get(visit.get_absolute_url())
    assert response.status_code == 200
    html = _html(response)
    assert html.index('data-testid="service-recreation"') < html.index('data-testid="service-daily_care"')
    assert html.count('type="number"') == 11
    assert 'value="30"' in html
    assert "<table" not in html


def test_s15_visit_page_of_another_helper_is_not_found(visit, helper_a2, helper_b, client_for):
    for other in (helper_a2, helper_b):
        assert client_for(other).get(visit.get_absolute_url()).status_code == 404
        assert client_for(other).post(visit.get_absolute_url(), _visit_post()).status_code == 404
    visit.refresh_from_db()
    assert visit.submitted_at is None


def test_s15_visit_page_is_forbidden_to_staff(visit, village_a, civil_affairs_a, client_for):
    for staff in (village_a, civil_affairs_a):
        assert client_for(staff).get(visit.get_absolute_url()).status_code == 403


def test_s15_visit_page_after_the_pairing_ended_is_not_found(visit, paired, helper_a, client_for):
    services.pairing_end(actor=None, pairing=paired.pairings.get(), reason="助老员调岗")
    assert client_for(helper_a).get(visit.get_absolute_url()).status_code == 404


def test_s15_submit_records_services_and_needs_then_shows_the_summary(visit, helper_a, client_for):
    # when
    client = client_for(helper_a)
    response = client.post(visit.get_absolute_url(), _visit_post())
    # then
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.submitted_at is not None
    assert visit.family_contacted
    assert visit.notes == "提醒按时服药"
    assert {s.kind: s.minutes for s in visit.services.all()} == {"cleaning": 40, "meals": 20}
    assert sorted(NeedReport.objects.filter(visit=visit).values_list("description", flat=True)) == [
        "需要助浴",
        "需要轮椅",
    ]
    summary = client.get(visit.get_absolute_url())
    html = _html(summary)
    assert 'data-testid="visit-summary"' in html
    assert "需要轮椅" in html
    assert "40" in html
    assert 'data-testid="visit-form"' not in html


def test_s15_a_resent_submit_changes_nothing(visit, helper_a, client_for):
    client = client_for(helper_a)
    client.post(visit.get_absolute_url(), _visit_post())
    response = client.post(visit.get_absolute_url(), _visit_post(new_needs="又一个需求"))
    assert response.status_code == 200
    assert NeedReport.objects.count() == 2


def test_s15_submit_without_a_service_keeps_everything_typed(visit, helper_a, client_for):
    # when: no service ticked
    data = _visit_post()
    for key in ("service_cleaning", "service_meals"):
        data.pop(key)
    response = client_for(helper_a).post(visit.get_absolute_url(), data)
    # then: the form again, with what was typed and why it failed; nothing saved
    assert response.status_code == 200
    html = _html(response)
    assert 'data-testid="not-submitted"' in html
    assert 'data-testid="services-error"' in html
    assert "提醒按时服药" in html
    assert "需要轮椅" in html
    assert 'value="40"' in html
    visit.refresh_from_db()
    assert visit.submitted_at is None
    assert not NeedReport.objects.exists()


def test_s15_minutes_out_of_range_are_shown_at_the_service(visit, helper_a, client_for):
    response = client_for(helper_a).post(visit.get_absolute_url(), _visit_post(minutes_cleaning="0"))
    assert response.status_code == 200
    assert "minutes_cleaning" in response.context["form"].errors
    assert re.search(r'<input[^>]*name="service_meals"[^>]*checked', _html(response))
    visit.refresh_from_db()
    assert visit.submitted_at is None


# ------------------------------------------------------------------------------ archive list (S13)


def test_s13_archive_list_shows_masked_ids_categories_and_the_helper(paired, helper_a, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(ARCHIVES)
    assert response.status_code == 200
    html = _html(response)
    person = paired.person
    assert person.name in html
    assert person.id_number_masked in html
    assert person.id_number not in html
    assert "留守" in html
    assert str(helper_a) in html


def test_s13_archive_list_of_another_region_is_empty(archive, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(ARCHIVES)
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("actor", ["helper_a", "finance_a", "hr_a"])
def test_s13_archive_list_is_forbidden_without_archive_view(archive, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(ARCHIVES).status_code == 403


def test_s13_archive_list_filters_by_category_and_region(regions, civil_affairs_a, client_for):
    make_archive(regions["village_a"], name="留守老人", categories=["left_behind"], born=date(1950, 1, 1))
    make_archive(regions["village_a2"], name="空巢老人", categories=["empty_nest"], born=date(1950, 1, 2))
    client = client_for(civil_affairs_a)
    names = lambda r: [row["archive"].person.name for row in r.context["rows"]]  # noqa: E731
    assert names(client.get(ARCHIVES, {"category": "empty_nest"})) == ["空巢老人"]
    assert names(client.get(ARCHIVES, {"village": regions["village_a"].code})) == ["留守老人"]
    partial = client.get(ARCHIVES, {"category": "left_behind"}, HTTP_HX_REQUEST="true")
    assert "<html" not in _html(partial)
    assert names(partial) == ["留守老人"]


def test_s13_archive_list_query_count_does_not_grow(
    regions, helper_a, civil_affairs_a, client_for, django_assert_max_num_queries
):
    for n in range(8):
        archive = make_archive(regions["village_a"], name=f"老人{n}", born=date(1945, 2, n + 1))
        if n % 2:
            services.pairing_assign(actor=None, archive=archive, helper=helper_a)
    client = client_for(civil_affairs_a)
    with django_assert_max_num_queries(14):
        response = client.get(ARCHIVES)
    assert len(response.context["rows"]) == 8


# ------------------------------------------------------------------------------ archive detail


def test_s13_archive_detail_shows_categories_groups_contacts_and_history(paired, civil_affairs_a, client_for):
    # given
    services.contact_add(actor=None, archive=paired, name="陈建国", relation="儿子", phone="13812345678")
    services.archive_update(actor=None, archive=paired, categories=["left_behind", "living_alone", "dibao"])
    # when
    response = client_for(civil_affairs_a).get(url("archive_detail", paired))
    # then
    assert response.status_code == 200
    html = _html(response)
    assert "高龄" in html  # born 1940: over the policy's 80
    assert "重点保障" in html
    assert "托底" in html
    assert "138****5678" in html
    assert "13812345678" not in html
    assert paired.person.id_number not in html
    history = response.context["history"]
    assert {h["event"].action for h in history} >= {"archive.create", "archive.update", "pairing.assign"}
    assert "低保" in html


def test_s13_archive_detail_of_another_region_is_not_found(archive, civil_affairs_b, village_b, client_for):
    for other in (civil_affairs_b, village_b):
        assert client_for(other).get(url("archive_detail", archive)).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s13_archive_detail_is_forbidden_without_archive_view(archive, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("archive_detail", archive)).status_code == 403


def test_s13_archive_detail_lists_visits_with_services_and_needs(visit, helper_a, township_a, client_for):
    services.visit_submit(actor=helper_a, visit=visit, services={"bathing": 45}, new_needs=["想要老花镜"])
    html = _html(client_for(township_a).get(url("archive_detail", visit.archive)))
    assert "想要老花镜" in html
    assert "45" in html


# ------------------------------------------------------------------------------ archive create / edit


def test_s13_village_creates_an_archive_from_an_id_number(regions, village_a, client_for):
    # given
    person = f.make_person(regions["village_a"], name="林阿公", id_number=f.id_number(BORN, male=True))
    # when
    response = client_for(village_a).post(
        ARCHIVE_NEW,
        {"id_number": person.id_number, "categories": ["left_behind", "living_alone"], "living_conditions": "土木房"},
    )
    # then
    archive = ElderArchive.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == archive.get_absolute_url()
    assert archive.categories == ["left_behind", "living_alone"]
    assert archive.living_conditions == "土木房"
    assert AuditEvent.objects.filter(action="archive.create", object_id=str(archive.public_id)).exists()


def test_s13_create_for_a_person_of_another_region_is_refused_at_the_field(regions, village_b, client_for):
    person = f.make_person(regions["village_a"], name="林阿公", id_number=f.id_number(BORN, male=True))
    response = client_for(village_b).post(ARCHIVE_NEW, {"id_number": person.id_number, "categories": ["left_behind"]})
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert not ElderArchive.objects.exists()


def test_s13_create_twice_is_refused(archive, village_a, client_for):
    response = client_for(village_a).post(ARCHIVE_NEW, {"id_number": archive.person.id_number})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ElderArchive.objects.count() == 1


@pytest.mark.parametrize("actor", ["helper_a", "finance_a", "hr_a"])
def test_s13_create_is_forbidden_without_archive_edit(client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(ARCHIVE_NEW).status_code == 403


def test_s13_edit_changes_the_categories_and_is_audited(archive, village_a, client_for):
    client = client_for(village_a)
    assert client.get(url("archive_edit", archive)).status_code == 200
    response = client.post(url("archive_edit", archive), {"categories": ["empty_nest"], "service_needs": "助餐"})
    assert response.status_code == 302
    archive.refresh_from_db()
    assert archive.categories == ["empty_nest"]
    assert archive.service_needs == "助餐"
    assert AuditEvent.objects.filter(action="archive.update", object_id=str(archive.public_id)).exists()


def test_s13_edit_of_another_region_is_not_found(archive, village_b, client_for):
    assert client_for(village_b).post(url("archive_edit", archive), {"categories": []}).status_code == 404


def test_s13_edit_is_forbidden_to_roles_without_archive_edit(archive, helper_a, client_for):
    assert client_for(helper_a).get(url("archive_edit", archive)).status_code == 403


def test_s13_contact_is_added_with_a_masked_phone(archive, village_a, civil_affairs_b, finance_a, client_for):
    data = {"name": "陈建国", "relation": "儿子", "phone": "13812345678"}
    assert client_for(civil_affairs_b).post(url("contact_add", archive), data).status_code == 404
    assert client_for(finance_a).post(url("contact_add", archive), data).status_code == 403
    response = client_for(village_a).post(url("contact_add", archive), data)
    assert response.status_code == 302
    assert EmergencyContact.objects.get(archive=archive).phone_masked == "138****5678"


# ------------------------------------------------------------------------------ assessment (GB/T 42195)


def test_s13_assessment_is_recorded_with_its_level(archive, township_a, client_for):
    # when
    client = client_for(township_a)
    page = client.get(url("assessment_create", archive))
    assert page.status_code == 200
    assert f'value="{clock.today().isoformat()}"' in _html(page)  # an ISO date that <input type=date> shows
    response = client.post(url("assessment_create", archive), _assessment_post(eating="0", walking="1"))
    # then
    assert response.status_code == 302
    assessment = CapabilityAssessment.objects.get(archive=archive)
    assert assessment.total == 90 - 4 - 3
    assert assessment.final_level == 1
    html = _html(client.get(url("archive_detail", archive)))
    assert assessment.explanation in html


def test_s13_an_item_out_of_range_is_shown_at_its_field_and_nothing_is_saved(archive, township_a, client_for):
    # when: 进食 (eating) scores at most 4
    response = client_for(township_a).post(url("assessment_create", archive), _assessment_post(eating="5"))
    # then
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "eating" in errors
    assert "进食" in errors["eating"][0]
    assert not CapabilityAssessment.objects.exists()
    assert 'data-testid="assessment-not-saved"' in _html(response)


def test_s13_a_future_assessment_date_is_refused(archive, township_a, client_for):
    later = (clock.today() + timedelta(days=3)).isoformat()
    response = client_for(township_a).post(url("assessment_create", archive), _assessment_post(assessed_on=later))
    assert response.status_code == 200
    assert "assessed_on" in response.context["form"].errors
    assert not CapabilityAssessment.objects.exists()


def test_s13_assessment_of_another_region_is_not_found(archive, township_b, client_for):
    assert client_for(township_b).get(url("assessment_create", archive)).status_code == 404


@pytest.mark.parametrize("actor", ["village_a", "helper_a"])
def test_s13_assessment_is_forbidden_without_assessment_record(archive, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("assessment_create", archive)).status_code == 403


# ------------------------------------------------------------------------------ pairing (S14)


def test_s14_pairing_offers_the_township_helpers_only(archive, helper_a, helper_a2, helper_b, village_a, client_for):
    response = client_for(village_a).get(url("pairing_assign", archive))
    assert response.status_code == 200
    choices = list(response.context["form"].fields["helper"].queryset)
    assert set(choices) == {helper_a, helper_a2}


def test_s14_village_pairs_a_helper_and_reassigning_keeps_history(archive, helper_a, helper_a2, village_a, client_for):
    client = client_for(village_a)
    assert client.post(url("pairing_assign", archive), {"helper": helper_a.pk}).status_code == 302
    assert client.post(url("pairing_assign", archive), {"helper": helper_a2.pk}).status_code == 302
    assert Pairing.objects.filter(archive=archive).count() == 2
    assert Pairing.objects.get(archive=archive, ended_on__isnull=True).helper == helper_a2


def test_s14_a_helper_of_another_township_cannot_be_chosen(archive, helper_b, village_a, client_for):
    response = client_for(village_a).post(url("pairing_assign", archive), {"helper": helper_b.pk})
    assert response.status_code == 200
    assert "helper" in response.context["form"].errors
    assert not Pairing.objects.exists()


def test_s14_pairing_of_another_region_is_not_found(archive, helper_a, village_b, client_for):
    assert client_for(village_b).post(url("pairing_assign", archive), {"helper": helper_a.pk}).status_code == 404


@pytest.mark.parametrize("actor", ["helper_a", "civil_affairs_a"])
def test_s14_pairing_is_forbidden_without_pairing_manage(archive, client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(url("pairing_assign", archive)).status_code == 403


def test_s14_pairing_end_needs_a_reason(paired, village_a, client_for):
    client = client_for(village_a)
    client.post(url("pairing_end", paired), {"reason": ""})
    assert Pairing.objects.get(archive=paired).ended_on is None
    assert client.post(url("pairing_end", paired), {"reason": "老人搬去子女家"}).status_code == 302
    assert Pairing.objects.get(archive=paired).ended_on == clock.today()


# ------------------------------------------------------------------------------ coverage


def test_s14_coverage_lists_who_was_not_visited_and_their_helper(regions, paired, helper_a, township_a, client_for):
    # given: a second elder, visited this month; the first is not
    other = make_archive(regions["village_a2"], name="林阿婆", categories=["empty_nest"], born=date(1944, 4, 4))
    services.pairing_assign(actor=None, archive=other, helper=helper_a)
    done = services.visit_start(actor=helper_a, archive=other)
    services.visit_submit(actor=helper_a, visit=done, services={"meals": 30})
    # when
    response = client_for(township_a).get(COVERAGE)
    # then
    assert response.status_code == 200
    assert response.context["region"] == regions["township_a"]
    total = response.context["total"]
    assert (total.due, total.visited) == (2, 1)
    assert response.context["total_percent"] == 50
    missed = response.context["missed"]
    assert [m.archive for m in missed] == [paired]
    assert missed[0].helper == helper_a
    html = _html(response)
    assert "东山村" in html
    assert "西山村" in html
    assert "50.0%" in html


def test_s14_coverage_follows_the_cascader_within_scope(regions, archive, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    response = client.get(COVERAGE, {"township": regions["township_a"].code})
    assert response.context["region"] == regions["township_a"]
    # a region out of scope is 404, never silently replaced by the user's own
    assert client.get(COVERAGE, {"county": regions["county_b"].code}).status_code == 404


def test_s14_coverage_of_another_region_does_not_count_the_elder(archive, civil_affairs_b, client_for):
    response = client_for(civil_affairs_b).get(COVERAGE)
    assert response.status_code == 200
    assert response.context["total"].due == 0
    assert "陈阿婆" not in _html(response)


@pytest.mark.parametrize("actor", ["helper_a", "finance_a"])
def test_s14_coverage_is_forbidden_without_archive_view(client_for, request, actor):
    assert client_for(request.getfixturevalue(actor)).get(COVERAGE).status_code == 403


# ------------------------------------------------------------------------------ needs (S17)


@pytest.fixture
def need(visit, helper_a):
    services.visit_submit(actor=helper_a, visit=visit, services={"cleaning": 30}, new_needs=["需要助浴"])
    return NeedReport.objects.get()


def test_s17_township_sees_the_need_and_marks_it_handled(need, township_a, client_for):
    client = client_for(township_a)
    assert "需要助浴" in _html(client.get(NEEDS))
    response = client.post(url("need_handle", need), {"note": "已联系助浴车"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "handled"
    assert need.handling_note == "已联系助浴车"


def test_s17_need_handle_of_another_region_is_not_found(need, township_b, client_for):
    assert client_for(township_b).post(url("need_handle", need), {"note": "x"}).status_code == 404
    assert "需要助浴" not in _html(client_for(township_b).get(NEEDS))


@pytest.mark.parametrize("actor", ["village_a", "helper_a"])
def test_s17_needs_are_forbidden_without_need_handle(need, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    assert client.get(NEEDS).status_code == 403
    assert client.post(url("need_handle", need), {"note": "x"}).status_code == 403
