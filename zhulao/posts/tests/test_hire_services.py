"""Hire (S6, S8): placement and contract after a closed notice; the database refuses two active placements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from zhulao.accounts import services as account_services
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.people import eligibility
from zhulao.policy import selectors as policy_selectors
from zhulao.posts import services
from zhulao.posts.choices import ApplicationStatus, PlacementEndReason, SubmittedVia
from zhulao.posts.models import Application, Contract, Placement, Post
from zhulao.posts.tests import factories as f
from zhulao.regions.choices import OrganizationKind
from zhulao.rules.eligibility import Status

pytestmark = pytest.mark.usefixtures("policy")

S = ApplicationStatus


@pytest.fixture
def station_post(station):
    (post,) = f.open_posts(station)
    return post


@pytest.fixture
def candidate(crew, batch, station_post, applicant):
    """A qualified applicant for the station's post."""
    return f.qualified(crew, batch, station_post, applicant)


@pytest.fixture
def notice(regions, crew, batch, candidate):
    """County A's notice, open from Monday 2025-09-15 to Friday 2025-09-19."""
    notice = f.open_notice(crew, batch, regions["county_a"])
    candidate.refresh_from_db()
    return notice


@pytest.fixture
def closed(crew, notice, candidate):
    """The notice closed on 2025-09-22; the candidate may be hired."""
    f.close_notice(crew, notice)
    candidate.refresh_from_db()
    return candidate


# ------------------------------------------------------------------------------------------- refusals


def test_s7_hire_requires_a_closed_notice(crew, notice, candidate):
    with pytest.raises(DomainError) as refused:
        f.hire(crew, candidate, day=f.NOTICE_CLOSES)
    assert refused.value.code == "notice_open"
    assert not Placement.objects.exists()
    candidate.refresh_from_db()
    assert candidate.status == S.IN_NOTICE


def test_s7_hire_requires_every_objection_about_the_candidate_resolved(crew, notice, candidate):
    # given: an objection raised during the period is still open when the notice closes
    with f.on(f.NOTICE_CLOSES):
        objection = services.objection_raise(
            notice=notice, application=candidate, text="该人员已在外地就业。", ip="1.2.3.4"
        )
    f.close_notice(crew, notice)
    # when / then
    with pytest.raises(DomainError) as refused:
        f.hire(crew, candidate)
    assert refused.value.code == "open_objections"
    assert not Placement.objects.exists()
    # once dismissed with a reason, the candidate can be hired
    with f.on(f.AFTER_NOTICE):
        services.objection_resolve(actor=crew.hr, objection=objection, uphold=False, resolution="经核实，未在外地就业")
    assert f.hire(crew, candidate).application == candidate


def test_s7_hire_only_of_a_candidate_in_a_notice(crew, batch, center, regions):
    person = f.eligible_person(regions["village_a"], name="郑丽", born=date(1979, 9, 9))
    reviewed = f.advance(f.submit(crew, batch, f.open_posts(center)[0], person), crew, to=S.REVIEWED)
    with pytest.raises(DomainError) as refused:
        f.hire(crew, reviewed)
    assert refused.value.code == "wrong_status"


def test_s7_a_placement_starts_after_the_notice_period(crew, closed):
    with pytest.raises(DomainError) as refused:
        f.hire(crew, closed, starts_on=f.NOTICE_CLOSES, day=f.AFTER_NOTICE)
    assert refused.value.code == "start_too_early"


def test_s20_the_employment_center_officer_who_qualified_cannot_hire_even_holding_the_hr_role(regions, crew, closed):
    # given
    account_services.role_grant(actor=None, user=crew.qualifier, role=Role.HR, region=regions["county_a"])
    crew.qualifier.forget_permissions()
    # when / then
    with pytest.raises(Forbidden) as refused, f.on(f.START):
        services.application_hire(actor=crew.qualifier, application=closed, starts_on=f.START)
    assert refused.value.code == "same_person"
    assert not Placement.objects.exists()


def test_s8_only_hr_hires(crew, closed):
    with pytest.raises(Forbidden), f.on(f.START):
        services.application_hire(actor=crew.reviewer, application=closed, starts_on=f.START)


# ------------------------------------------------------------------------------------------ the hire


def test_s8_hiring_a_station_helper_creates_the_placement_and_the_contract_with_the_village_committee(
    regions, crew, closed, station_post
):
    # given: the engine's decision for the start date
    decision = eligibility.decide(closed.person, on=f.START)
    # when
    placement = f.hire(crew, closed)
    # then: the placement
    assert (placement.person, placement.post, placement.application) == (closed.person, station_post, closed)
    assert placement.sequence == 1
    assert placement.started_on == placement.first_approved_on == date(2026, 1, 5)
    # a woman born 1980-06-15 retires in the 2030s: the full 36 months, start + 36 months − 1 day
    assert placement.planned_end == date(2029, 1, 4)
    assert decision.planned_end == placement.planned_end
    assert placement.ended_on is None
    # the contract: the post's employer, the programme wage of the post's region on the start date
    contract = Contract.objects.get(placement=placement)
    assert contract.employer == station_post.employer
    assert contract.employer.kind == OrganizationKind.VILLAGE_COMMITTEE
    assert contract.employer.region_id == regions["village_a"].code
    assert (contract.starts_on, contract.ends_on) == (date(2026, 1, 5), date(2029, 1, 4))
    wage, cited = policy_selectors.programme_wage(region=station_post.region_id, on=f.START)
    assert contract.monthly_wage == wage == Decimal("1960")  # 芗城区, tier 2 of the 2022 table
    for resolved in cited:
        assert resolved.cite() in contract.wage_basis
    assert "min_wage.tier" in contract.wage_basis
    assert "programme.wage" in contract.wage_basis
    # the same rows are kept for the sentence the contract prints
    assert {row.pk for row in contract.wage_parameters.all()} == {resolved.parameter_id for resolved in cited}
    # the application is hired, with its last step and audit event
    closed.refresh_from_db()
    assert closed.status == S.HIRED
    step = closed.steps.get(to_status=S.HIRED)
    assert (step.from_status, step.actor) == (S.IN_NOTICE, crew.hr)
    event = AuditEvent.objects.get(action="application.hire")
    assert (event.actor, event.object_id) == (crew.hr, str(closed.public_id))
    assert event.changes["status"] == [S.IN_NOTICE, S.HIRED]
    # the post is filled
    assert station_post not in Post.objects.vacant()
    assert Placement.objects.active().get() == placement


def test_s8_hiring_a_service_center_helper_makes_the_township_government_the_employer(regions, crew, batch, center):
    # given
    post = f.open_posts(center)[0]
    person = f.eligible_person(regions["village_a"], name="郑丽", born=date(1985, 9, 9))
    application = f.qualified(crew, batch, post, person)
    notice = f.open_notice(crew, batch, regions["county_a"])
    f.close_notice(crew, notice)
    # when
    placement = f.hire(crew, application)
    # then
    contract = placement.contract
    assert contract.employer == post.employer
    assert contract.employer.kind == OrganizationKind.TOWNSHIP_GOVERNMENT
    assert contract.employer.region_id == regions["township_a"].code
    assert placement.region == contract.region == post.region
    assert contract.monthly_wage == Decimal("1960")
    assert post not in Post.objects.vacant()
    assert f.open_posts(center)[1] in Post.objects.vacant()


# ------------------------------------------------------------------------------ the database says no


def _second_application(batch, post, person) -> Application:
    """An application written straight to the table (test setup for the constraint tests)."""
    return Application.objects.create(
        batch=batch,
        post=post,
        person=person,
        region=post.region,
        submitted_via=SubmittedVia.PUBLIC,
        applied_at=batch.published_at,
        status=S.IN_NOTICE,
    )


def _raw_placement(application: Application, post: Post) -> Placement:
    return Placement.objects.create(
        person=application.person,
        post=post,
        application=application,
        region=post.region,
        sequence=1,
        started_on=date(2026, 2, 2),
        first_approved_on=date(2026, 2, 2),
        planned_end=date(2029, 2, 1),
    )


def test_s2_the_database_refuses_a_second_active_placement_in_one_post(regions, crew, batch, closed, station_post):
    # given
    f.hire(crew, closed)
    other = f.eligible_person(regions["village_a"], name="郑丽", born=date(1979, 9, 9))
    application = _second_application(batch, station_post, other)
    # when / then
    with (
        pytest.raises(IntegrityError, match=r"placement_one_active_per_post|posts_placement\.post_id"),
        transaction.atomic(),
    ):
        _raw_placement(application, station_post)
    assert Placement.objects.filter(post=station_post).count() == 1


def test_s6_the_database_refuses_a_second_active_placement_of_one_person(regions, crew, closed, center):
    # given: hired at the station, and (written straight to the table) in a later batch for the center
    f.hire(crew, closed)
    post = f.open_posts(center)[0]
    later = f.publish_batch(
        crew.reviewer, regions["county_a"], [post], title="第二批", opens=date(2026, 3, 2), closes=date(2026, 3, 31)
    )
    application = _second_application(later, post, closed.person)
    # when / then: no 双岗
    with (
        pytest.raises(IntegrityError, match=r"placement_one_active_per_person|posts_placement\.person_id"),
        transaction.atomic(),
    ):
        _raw_placement(application, post)
    assert Placement.objects.filter(person=closed.person).count() == 1


def test_s2_ending_a_placement_makes_the_post_vacant_again(crew, closed, station_post):
    # given
    placement = f.hire(crew, closed)
    # when
    with f.on(date(2026, 6, 30)):
        ended = services.placement_end(
            actor=crew.hr, placement=placement, ended_on=date(2026, 6, 30), reason=PlacementEndReason.RESIGNED
        )
    # then
    assert (ended.ended_on, ended.end_reason) == (date(2026, 6, 30), PlacementEndReason.RESIGNED)
    assert station_post in Post.objects.vacant()
    assert not Placement.objects.active().exists()
    event = AuditEvent.objects.get(action="placement.end")
    assert event.changes["reason"] == [None, PlacementEndReason.RESIGNED]
    with pytest.raises(DomainError) as again, f.on(date(2026, 7, 1)):
        services.placement_end(
            actor=crew.hr, placement=placement, ended_on=date(2026, 7, 1), reason=PlacementEndReason.OTHER
        )
    assert again.value.code == "already_ended"


def test_s6_a_third_placement_is_refused_by_the_engine(regions, crew, station_post):
    # given: she lives alone and is not employed (a zero-employment household), so a 2nd placement is allowed
    person = f.eligible_person(regions["village_a"])
    first = f.hired_helper(crew, station_post, person, region=regions["county_a"])
    with f.on(date(2026, 3, 31)):
        services.placement_end(
            actor=crew.hr, placement=first, ended_on=date(2026, 3, 31), reason=PlacementEndReason.RESIGNED
        )
    second = f.hired_helper(
        crew,
        station_post,
        person,
        region=regions["county_a"],
        window=(date(2026, 4, 1), date(2026, 4, 30)),
        apply_on=date(2026, 4, 8),
        notice_opens=date(2026, 4, 13),  # Mon 13 … Fri 17
        notice_closed_on=date(2026, 4, 20),
        starts_on=date(2026, 5, 11),
    )
    assert second.sequence == 2
    assert second.first_approved_on == date(2026, 1, 5)  # the first approval carries over
    with f.on(date(2026, 6, 30)):
        services.placement_end(
            actor=crew.hr, placement=second, ended_on=date(2026, 6, 30), reason=PlacementEndReason.RESIGNED
        )
    # when: a third batch, and the application reaches qualification
    third = f.publish_batch(
        crew.reviewer, regions["county_a"], [station_post], opens=date(2026, 7, 1), closes=date(2026, 7, 31)
    )
    application = f.advance(f.submit(crew, third, station_post, person, day=date(2026, 7, 8)), crew, to=S.REVIEWED)
    with pytest.raises(DomainError) as refused, f.on(date(2026, 7, 8)):
        services.application_qualify(actor=crew.qualifier, application=application)
    # then
    assert refused.value.code == "not_eligible"
    assert "已安置2次" in str(refused.value)
    decision = eligibility.decide(person, on=date(2026, 7, 8))
    assert decision.criterion("placements").status is Status.FAILED
    application.refresh_from_db()
    assert application.status == S.REVIEWED


# -------------------------------------------------------------------------------- contract_register


def test_s8_hr_records_the_employment_registration_and_hiring_filing_dates(crew, closed):
    # given
    contract = f.hire(crew, closed).contract
    # when
    with f.on(date(2026, 1, 20)):
        services.contract_register(
            actor=crew.hr,
            contract=contract,
            employment_registered_on=date(2026, 1, 12),
            hiring_filed_on=date(2026, 1, 20),
        )
    # then
    contract.refresh_from_db()
    assert (contract.employment_registered_on, contract.hiring_filed_on) == (date(2026, 1, 12), date(2026, 1, 20))
    event = AuditEvent.objects.get(action="contract.register")
    assert event.actor == crew.hr
    assert event.changes == {
        "employment_registered_on": [None, "2026-01-12"],
        "hiring_filed_on": [None, "2026-01-20"],
    }
    # recording the same dates again changes nothing
    with f.on(date(2026, 1, 21)):
        services.contract_register(
            actor=crew.hr,
            contract=contract,
            employment_registered_on=date(2026, 1, 12),
            hiring_filed_on=date(2026, 1, 20),
        )
    assert AuditEvent.objects.filter(action="contract.register").count() == 1


def test_s8_a_registration_date_in_the_future_is_refused(crew, closed):
    contract = f.hire(crew, closed).contract
    with pytest.raises(DomainError) as refused, f.on(date(2026, 1, 20)):
        services.contract_register(
            actor=crew.hr, contract=contract, employment_registered_on=date(2026, 1, 21), hiring_filed_on=None
        )
    assert refused.value.code == "future_date"
    assert refused.value.field == "employment_registered_on"
    contract.refresh_from_db()
    assert contract.employment_registered_on is None
    assert not AuditEvent.objects.filter(action="contract.register").exists()


def test_s8_only_hr_registers_contracts(crew, closed):
    contract = f.hire(crew, closed).contract
    with pytest.raises(Forbidden), f.on(date(2026, 1, 20)):
        services.contract_register(
            actor=crew.reviewer, contract=contract, employment_registered_on=date(2026, 1, 12), hiring_filed_on=None
        )
