"""One place per post: among qualified candidates one is proposed for hire (拟聘), the others are reserves
(候补) in the engine's priority order, on the notice in words; a reserve is hired only after the first drops out."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.core.testing.pdftext import compact, pdf_text
from zhulao.people.tests import factories as people
from zhulao.posts import pdfs, services
from zhulao.posts.choices import ApplicationStatus, Standing
from zhulao.posts.tests import factories as f
from zhulao.rules.eligibility import Category

pytestmark = pytest.mark.usefixtures("policy")


@pytest.fixture
def post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def second_person(regions):
    return f.eligible_person(regions["village_a"], name="陈美玲", born=date(1978, 3, 2))


@pytest.fixture
def two_qualified(crew, batch, post, applicant, second_person):
    """Two candidates of the same priority group for the station's single post; the first applied earlier."""
    first = f.qualified(crew, batch, post, applicant)
    second = f.advance(
        f.submit(crew, batch, post, second_person, day=date(2025, 9, 11)), crew, to=ApplicationStatus.QUALIFIED
    )
    first.refresh_from_db()
    return first, second


def _withdraw(crew, application, day=f.AFTER_NOTICE):
    with f.on(day):
        return services.application_withdraw(actor=crew.clerk, application=application, reason="找到其他工作")


# --- at qualification --------------------------------------------------------------------------------------


def test_s7_the_second_qualified_candidate_for_a_one_place_post_is_reserve_1(two_qualified):
    first, second = two_qualified
    assert (first.standing, first.reserve_order) == (Standing.PROPOSED, None)
    assert (second.standing, second.reserve_order) == (Standing.RESERVE, 1)
    event = AuditEvent.objects.filter(action="application.standing", object_id=str(second.public_id)).get()
    assert event.changes["standing"] == ["", Standing.RESERVE]


def test_s7_priority_decides_before_application_time(crew, batch, post, applicant, second_person):
    # given: the later applicant is 脱贫不稳定 (priority group 1), the first is not
    people.add_evidence(Category.UNSTABLE_EX_POOR, person=second_person, valid_from=date(2023, 1, 1))
    first = f.qualified(crew, batch, post, applicant)
    assert first.standing == Standing.PROPOSED
    # when
    second = f.advance(
        f.submit(crew, batch, post, second_person, day=date(2025, 9, 11)), crew, to=ApplicationStatus.QUALIFIED
    )
    # then: the disabled applicant is proposed; the earlier one becomes reserve 1
    first.refresh_from_db()
    assert second.eligibility["priority"]["group"] < first.eligibility["priority"]["group"]
    assert (second.standing, first.standing, first.reserve_order) == (Standing.PROPOSED, Standing.RESERVE, 1)


def test_s7_a_reserve_not_yet_on_a_notice_moves_up_when_the_first_withdraws(crew, two_qualified):
    first, second = two_qualified
    _withdraw(crew, first, day=date(2025, 9, 12))
    second.refresh_from_db()
    assert (second.standing, second.reserve_order) == (Standing.PROPOSED, None)


# --- on the notice -------------------------------------------------------------------------------------------


def test_s7_the_notice_lists_one_proposed_candidate_and_the_reserve_in_words(regions, crew, batch, two_qualified):
    first, second = two_qualified
    # when
    notice = f.open_notice(crew, batch, regions["county_a"])
    # then: the public content has one 拟聘 and one 候补
    content = pdfs.notice_content(notice)
    assert [c["name"] for c in content.proposed] == [first.person.name]
    assert [(c["name"], c["reserve_order"]) for c in content.reserves] == [(second.person.name, 1)]
    # and: the PDF says so in words
    text = compact(pdf_text(pdfs.notice_pdf(notice)))
    assert "拟聘人员" in text
    assert "候补人员" in text
    assert "第1候补" in text
    # (names are compared by their first two characters: the PDF's column layout is another change's topic)
    assert text.index(first.person.name[:2]) < text.index("第1候补") < text.index(second.person.name[:2])


def test_s7_the_public_page_shows_the_reserves_apart(regions, crew, batch, two_qualified, client):
    first, second = two_qualified
    notice = f.open_notice(crew, batch, regions["county_a"])
    with f.on(f.NOTICE_OPENS):
        response = client.get(reverse("public:notice_detail", args=[notice.public_id]))
    html = response.content.decode()
    proposed = html[html.index('data-testid="proposed"') : html.index('data-testid="reserves"')]
    reserves = html[html.index('data-testid="reserves"') :]
    assert first.person.name in proposed
    assert second.person.name not in proposed
    assert second.person.name in reserves


def test_s7_the_archived_snapshot_keeps_the_standing(regions, crew, batch, two_qualified):
    first, second = two_qualified
    notice = f.open_notice(crew, batch, regions["county_a"])
    closed = f.close_notice(crew, notice)
    content = pdfs.notice_content(closed, public=False)  # staff: past the public retention
    assert [c["standing"] for c in content.proposed] == [Standing.PROPOSED]
    assert [(c["standing"], c["reserve_order"]) for c in content.reserves] == [(Standing.RESERVE, 1)]


def test_s7_someone_qualified_after_the_notice_ranks_behind_those_on_it(
    regions, crew, batch, post, applicant, second_person
):
    # given: one candidate on the notice; a later applicant with a higher priority qualifies afterwards
    first = f.qualified(crew, batch, post, applicant)
    f.open_notice(crew, batch, regions["county_a"])
    people.add_evidence(Category.UNSTABLE_EX_POOR, person=second_person, valid_from=date(2023, 1, 1))
    late = f.advance(
        f.submit(crew, batch, post, second_person, day=date(2025, 9, 16)), crew, to=ApplicationStatus.QUALIFIED
    )
    # then: the public saw the first as 拟聘; the late one is reserve 1 despite the higher priority
    first.refresh_from_db()
    assert late.eligibility["priority"]["group"] < first.eligibility["priority"]["group"]
    assert first.standing == Standing.PROPOSED
    assert (late.standing, late.reserve_order) == (Standing.RESERVE, 1)


# --- at hire -----------------------------------------------------------------------------------------------


@pytest.fixture
def closed_two(regions, crew, batch, two_qualified):
    first, second = two_qualified
    notice = f.open_notice(crew, batch, regions["county_a"])
    f.close_notice(crew, notice)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def test_s8_the_reserve_cannot_be_hired_while_the_first_stands(crew, closed_two):
    first, second = closed_two
    with pytest.raises(DomainError) as refused:
        f.hire(crew, second)
    assert refused.value.code == "reserve_not_reached"
    second.refresh_from_db()
    assert second.status == ApplicationStatus.IN_NOTICE


def test_s8_the_reserve_is_hired_after_the_first_withdraws(crew, closed_two):
    first, second = closed_two
    _withdraw(crew, first)
    placement = f.hire(crew, second)
    assert placement.person == second.person
    event = AuditEvent.objects.get(action="application.hire", object_id=str(second.public_id))
    assert event.changes["standing"] == [None, Standing.RESERVE]
    assert event.changes["reserve_order"] == [None, 1]


def test_s8_the_reserve_is_hired_after_the_first_is_rejected_at_hire(crew, closed_two):
    first, second = closed_two
    with f.on(f.AFTER_NOTICE):
        services.application_reject(actor=crew.hr, application=first, reason="未按时签订劳动合同")
    placement = f.hire(crew, second)
    assert placement.post == second.post


def test_s8_once_the_first_is_hired_the_reserve_cannot_be(crew, closed_two):
    first, second = closed_two
    f.hire(crew, first)
    with pytest.raises(DomainError) as refused:
        f.hire(crew, second)
    assert refused.value.code == "post_or_person_taken"


def test_s8_the_hire_to_do_lists_the_reserve_only_once_the_first_dropped_out(crew, closed_two):
    from zhulao.posts import selectors

    first, second = closed_two

    def ready() -> list[str]:
        with f.on(f.AFTER_NOTICE):
            (group,) = [g for g in selectors.todo_groups(crew.hr) if g.kind == "hire"]
        return [item["url"] for item in group.items]

    assert ready() == [first.get_absolute_url()]
    _withdraw(crew, first)
    assert ready() == [second.get_absolute_url()]


def test_s7_the_data_migration_ranks_candidates_listed_before_standings_existed(regions, crew, batch, two_qualified):
    import importlib

    from django.apps import apps

    from zhulao.posts.models import Application

    # given: both candidates on a notice without a standing (as before the change)
    first, second = two_qualified
    f.open_notice(crew, batch, regions["county_a"])
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(standing="", reserve_order=None)
    # when
    importlib.import_module("zhulao.posts.migrations.0005_rank_open_candidates").rank(apps, None)
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.standing, second.standing, second.reserve_order) == (Standing.PROPOSED, Standing.RESERVE, 1)
