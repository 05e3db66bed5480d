"""The application workflow (S7) and separation of duties (S20): one test per transition, then the refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from zhulao.accounts import services as account_services
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.people.choices import Relation
from zhulao.people.tests import factories as people
from zhulao.posts import services
from zhulao.posts.choices import ApplicationStatus, BatchStatus, ConflictKind, SubmittedVia
from zhulao.posts.models import Application, ApplicationStep, ConflictFlag, RecruitmentBatch
from zhulao.posts.tests import factories as f

pytestmark = pytest.mark.usefixtures("policy")

S = ApplicationStatus


def _station_post(station):
    (post,) = f.open_posts(station)
    return post


def _assert_moved(application: Application, *, frm: str, to: str, actor, action: str) -> None:
    """The application is in ``to``, its last step says who moved it from ``frm``, and the audit trail agrees."""
    application.refresh_from_db()
    assert application.status == to
    step = application.steps.order_by("at", "id").last()
    assert (step.from_status, step.to_status, step.actor) == (frm, to, actor)
    event = AuditEvent.objects.filter(action=action, object_id=str(application.public_id)).get()
    assert event.actor == actor
    assert event.changes["status"] == [frm, to]


# ------------------------------------------------------------------------------------- the transitions


def test_s7_village_staff_submit_an_application_with_a_first_step(crew, batch, station, applicant):
    # when
    application = f.submit(crew, batch, _station_post(station), applicant, note="本人申请")
    # then
    assert application.status == S.SUBMITTED
    assert application.region == _station_post(station).region
    assert application.submitted_via == SubmittedVia.STAFF
    step = application.steps.get()
    assert (step.from_status, step.to_status, step.actor, step.note) == ("", S.SUBMITTED, crew.clerk, "本人申请")
    event = AuditEvent.objects.get(action="application.submit")
    assert (event.actor, event.object_id) == (crew.clerk, str(application.public_id))


def test_s7_the_public_portal_submits_without_an_actor_and_the_contact_is_stored_encrypted(
    crew, batch, station, applicant
):
    # when
    with f.on(f.APPLY_ON):
        application = services.application_submit(
            actor=None,
            batch=batch,
            post=_station_post(station),
            person=applicant,
            via=SubmittedVia.PUBLIC,
            contact_phone="13900001111",
        )
    # then
    assert application.submitted_via == SubmittedVia.PUBLIC
    assert application.steps.get().actor is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM posts_application WHERE id = %s", [application.pk])
        (stored,) = cursor.fetchone()
    assert "13900001111" not in stored
    assert Application.objects.get().contact_phone == "13900001111"


def test_s7_a_service_center_application_belongs_to_the_applicants_village_which_recommends_it(
    crew, batch, center, applicant
):
    # given: the center's posts are at the township; the village of the applicant enters and recommends
    post = f.open_posts(center)[0]
    application = f.submit(crew, batch, post, applicant)
    assert application.region == applicant.region
    # when
    with f.on(f.APPLY_ON):
        services.application_recommend(actor=crew.recommender, application=application)
    # then
    _assert_moved(
        application, frm=S.SUBMITTED, to=S.RECOMMENDED, actor=crew.recommender, action="application.recommend"
    )


def test_s7_the_village_employer_recommends(crew, batch, station, applicant):
    # given
    application = f.submit(crew, batch, _station_post(station), applicant)
    # when
    with f.on(f.APPLY_ON):
        services.application_recommend(actor=crew.recommender, application=application, note="群众认可")
    # then
    _assert_moved(
        application, frm=S.SUBMITTED, to=S.RECOMMENDED, actor=crew.recommender, action="application.recommend"
    )
    assert application.steps.get(to_status=S.RECOMMENDED).note == "群众认可"


def test_s7_civil_affairs_reviews_a_recommended_application(crew, batch, station, applicant):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.RECOMMENDED)
    # when
    with f.on(f.APPLY_ON):
        services.application_review(actor=crew.reviewer, application=application)
    # then
    _assert_moved(application, frm=S.RECOMMENDED, to=S.REVIEWED, actor=crew.reviewer, action="application.review")


def test_s7_the_employment_center_qualifies_an_eligible_applicant_and_keeps_the_engines_decision(
    crew, batch, station, applicant
):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.REVIEWED)
    # when
    with f.on(f.APPLY_ON):
        services.application_qualify(actor=crew.qualifier, application=application)
    # then
    _assert_moved(application, frm=S.REVIEWED, to=S.QUALIFIED, actor=crew.qualifier, action="application.qualify")
    assert application.eligibility["status"] == "passed"
    assert application.eligibility["on"] == f.APPLY_ON.isoformat()
    assert application.override_reason == ""
    assert not AuditEvent.objects.filter(action="application.override").exists()


def test_s7_the_path_takes_four_different_people_and_leaves_a_full_timeline(crew, batch, station, applicant):
    # when
    application = f.qualified(crew, batch, _station_post(station), applicant)
    # then
    steps = list(application.steps.order_by("at", "id").values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("", S.SUBMITTED, crew.clerk.pk),
        (S.SUBMITTED, S.RECOMMENDED, crew.recommender.pk),
        (S.RECOMMENDED, S.REVIEWED, crew.reviewer.pk),
        (S.REVIEWED, S.QUALIFIED, crew.qualifier.pk),
    ]


@pytest.mark.parametrize(
    ("status", "who"),
    [
        (S.SUBMITTED, "recommender"),
        (S.RECOMMENDED, "reviewer"),
        (S.REVIEWED, "qualifier"),
        (S.QUALIFIED, "hr"),
    ],
)
def test_s7_the_role_responsible_for_the_next_step_rejects_with_a_reason(crew, batch, station, applicant, status, who):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=status)
    actor = getattr(crew, who)
    # when
    with f.on(f.APPLY_ON):
        services.application_reject(actor=actor, application=application, reason="  不符合岗位要求 ")
    # then
    _assert_moved(application, frm=status, to=S.REJECTED, actor=actor, action="application.reject")
    assert application.rejection_reason == "不符合岗位要求"
    assert application.steps.get(to_status=S.REJECTED).note == "不符合岗位要求"
    assert AuditEvent.objects.get(action="application.reject").reason == "不符合岗位要求"


def test_s7_reject_requires_a_reason(crew, batch, station, applicant):
    application = f.submit(crew, batch, _station_post(station), applicant)
    with pytest.raises(DomainError) as refused, f.on(f.APPLY_ON):
        services.application_reject(actor=crew.recommender, application=application, reason="  ")
    assert refused.value.code == "reason_required"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_s7_reject_by_a_role_not_responsible_for_the_step_is_forbidden(crew, batch, station, applicant):
    # given: a submitted application waits for the village, not for HR
    application = f.submit(crew, batch, _station_post(station), applicant)
    with pytest.raises(Forbidden), f.on(f.APPLY_ON):
        services.application_reject(actor=crew.hr, application=application, reason="不符合")
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_s7_a_closed_application_cannot_be_rejected_again(crew, batch, station, applicant):
    application = f.submit(crew, batch, _station_post(station), applicant)
    with f.on(f.APPLY_ON):
        services.application_reject(actor=crew.recommender, application=application, reason="不符合")
        with pytest.raises(DomainError) as refused:
            services.application_reject(actor=crew.recommender, application=application, reason="再次")
    assert refused.value.code == "wrong_status"
    assert application.steps.filter(to_status=S.REJECTED).count() == 1


def test_s7_the_applicant_withdraws_through_village_staff_with_a_reason(crew, batch, station, applicant):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.REVIEWED)
    # when
    with f.on(f.APPLY_ON):
        services.application_withdraw(actor=crew.clerk, application=application, reason="外出务工")
    # then
    _assert_moved(application, frm=S.REVIEWED, to=S.WITHDRAWN, actor=crew.clerk, action="application.withdraw")
    assert application.rejection_reason == "外出务工"


def test_s7_withdrawal_requires_a_reason_and_a_withdrawn_application_moves_no_more(crew, batch, station, applicant):
    application = f.submit(crew, batch, _station_post(station), applicant)
    with f.on(f.APPLY_ON):
        with pytest.raises(DomainError) as refused:
            services.application_withdraw(actor=crew.clerk, application=application, reason="")
        assert refused.value.code == "reason_required"
        services.application_withdraw(actor=crew.clerk, application=application, reason="外出务工")
        with pytest.raises(DomainError) as refused:
            services.application_recommend(actor=crew.recommender, application=application)
    assert refused.value.code == "wrong_status"


# ------------------------------------------------------------------------------------ wrong status / role


@pytest.mark.parametrize(
    ("status", "service", "who"),
    [
        (S.SUBMITTED, services.application_review, "reviewer"),
        (S.SUBMITTED, services.application_qualify, "qualifier"),
        (S.RECOMMENDED, services.application_recommend, "clerk"),
        (S.RECOMMENDED, services.application_qualify, "qualifier"),
        (S.REVIEWED, services.application_recommend, "clerk"),
    ],
)
def test_s7_a_step_out_of_order_is_refused_and_writes_nothing(crew, batch, station, applicant, status, service, who):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=status)
    steps = application.steps.count()
    # when
    with pytest.raises(DomainError) as refused, f.on(f.APPLY_ON):
        service(actor=getattr(crew, who), application=application)
    # then
    assert refused.value.code == "wrong_status"
    application.refresh_from_db()
    assert application.status == status
    assert application.steps.count() == steps


@pytest.mark.parametrize(
    ("status", "service", "who"),
    [
        (S.SUBMITTED, services.application_recommend, "reviewer"),  # Civil Affairs does not recommend
        (S.RECOMMENDED, services.application_review, "recommender"),  # the village does not review
        (S.RECOMMENDED, services.application_review, "qualifier"),  # nor the employment center
        (S.REVIEWED, services.application_qualify, "reviewer"),  # Civil Affairs does not qualify
        (S.REVIEWED, services.application_qualify, "hr"),
    ],
)
def test_s20_a_step_by_the_wrong_role_is_forbidden(crew, batch, station, applicant, status, service, who):
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=status)
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        service(actor=getattr(crew, who), application=application)
    assert refused.value.code == "forbidden"
    application.refresh_from_db()
    assert application.status == status


def test_s20_a_helper_cannot_submit(batch, station, applicant, helper_a):
    with pytest.raises(Forbidden), f.on(f.APPLY_ON):
        services.application_submit(actor=helper_a, batch=batch, post=_station_post(station), person=applicant)
    assert not Application.objects.exists()


def test_s20_a_village_cannot_recommend_for_another_village(crew, batch, station, applicant, village_b):
    application = f.submit(crew, batch, _station_post(station), applicant)
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_recommend(actor=village_b, application=application)
    assert refused.value.code == "out_of_scope"


def test_s20_civil_affairs_of_another_county_cannot_review(crew, batch, station, applicant, civil_affairs_b):
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.RECOMMENDED)
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_review(actor=civil_affairs_b, application=application)
    assert refused.value.code == "out_of_scope"
    application.refresh_from_db()
    assert application.status == S.RECOMMENDED


def test_s20_a_village_cannot_enter_an_application_for_a_person_of_another_village(regions, crew, batch, station):
    person = f.eligible_person(regions["village_a2"])
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_submit(actor=crew.clerk, batch=batch, post=_station_post(station), person=person)
    assert refused.value.code == "out_of_scope"
    assert not Application.objects.exists()


# -------------------------------------------------------------------------------- separation of duties


def test_s20_one_user_never_takes_two_decision_steps_of_one_application(
    regions, make_user, crew, batch, station, applicant
):
    # given: a village cadre who also holds Civil Affairs in the county recommended the application
    two_hats = make_user(Role.VILLAGE_EMPLOYER, "village_a", username="two_hats")
    account_services.role_grant(actor=None, user=two_hats, role=Role.CIVIL_AFFAIRS, region=regions["county_a"])
    two_hats.forget_permissions()
    application = f.submit(crew, batch, _station_post(station), applicant)
    with f.on(f.APPLY_ON):
        services.application_recommend(actor=two_hats, application=application)
        # when / then
        with pytest.raises(Forbidden) as refused:
            services.application_review(actor=two_hats, application=application)
    assert refused.value.code == "same_person"
    application.refresh_from_db()
    assert application.status == S.RECOMMENDED
    # another Civil Affairs officer may review
    with f.on(f.APPLY_ON):
        services.application_review(actor=crew.reviewer, application=application)


def test_s20_whoever_reviewed_cannot_qualify_even_holding_the_employment_center_role(
    regions, crew, batch, station, applicant
):
    # given
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.REVIEWED)
    account_services.role_grant(actor=None, user=crew.reviewer, role=Role.EMPLOYMENT_CENTER, region=regions["county_a"])
    crew.reviewer.forget_permissions()
    # when / then
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_qualify(actor=crew.reviewer, application=application)
    assert refused.value.code == "same_person"


def test_s20_nobody_acts_on_an_application_from_their_own_household(regions, crew, batch, station, applicant):
    # given: the recommending cadre lives in the applicant's household
    cadre = f.eligible_person(
        regions["village_a"],
        name="林建华",
        born=date(1975, 2, 2),
        household=applicant.household,
        relation=Relation.SPOUSE,
    )
    f.link_account(cadre, crew.recommender)
    application = f.submit(crew, batch, _station_post(station), applicant)
    # when / then
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_recommend(actor=crew.recommender, application=application)
    assert refused.value.code == "own_household"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_s20_nobody_acts_on_their_own_application(regions, crew, batch, station):
    # given: the reviewing officer applies (no household on record: the check is on the person herself)
    officer = people.make_person(regions["village_a"], name="郑丽", id_number=people.id_number(date(1985, 5, 5)))
    assert officer.household_id is None
    f.link_account(officer, crew.reviewer)
    application = f.advance(f.submit(crew, batch, _station_post(station), officer), crew, to=S.RECOMMENDED)
    with pytest.raises(Forbidden) as refused, f.on(f.APPLY_ON):
        services.application_review(actor=crew.reviewer, application=application)
    assert refused.value.code == "own_household"


# ----------------------------------------------------------------------------------- qualification


def test_s7_an_ineligible_applicant_is_not_qualified_without_an_override(regions, crew, batch, station):
    # given: born 1960, past the statutory retirement age
    retired = f.eligible_person(regions["village_a"], name="王桂兰", born=date(1960, 3, 1))
    application = f.advance(f.submit(crew, batch, _station_post(station), retired), crew, to=S.REVIEWED)
    # when / then
    with pytest.raises(DomainError) as refused, f.on(f.APPLY_ON):
        services.application_qualify(actor=crew.qualifier, application=application)
    assert refused.value.code == "not_eligible"
    assert refused.value.field == "override_reason"
    application.refresh_from_db()
    assert application.status == S.REVIEWED
    assert not AuditEvent.objects.filter(action="application.qualify").exists()


def test_s7_an_override_with_a_reason_qualifies_and_is_audited(regions, crew, batch, station):
    # given
    retired = f.eligible_person(regions["village_a"], name="王桂兰", born=date(1960, 3, 1))
    application = f.advance(f.submit(crew, batch, _station_post(station), retired), crew, to=S.REVIEWED)
    # when
    with f.on(f.APPLY_ON):
        services.application_qualify(
            actor=crew.qualifier, application=application, override_reason="县政府专题会议纪要〔2025〕12号特批"
        )
    # then
    _assert_moved(application, frm=S.REVIEWED, to=S.QUALIFIED, actor=crew.qualifier, action="application.qualify")
    assert application.override_reason == "县政府专题会议纪要〔2025〕12号特批"
    assert application.eligibility["status"] == "failed"
    override = AuditEvent.objects.get(action="application.override")
    assert (override.actor, override.object_id) == (crew.qualifier, str(application.public_id))
    assert override.reason == "县政府专题会议纪要〔2025〕12号特批"
    assert override.changes == {"eligibility": [None, "failed"]}


def test_s7_an_override_reason_on_an_eligible_applicant_is_not_kept(crew, batch, station, applicant):
    application = f.advance(f.submit(crew, batch, _station_post(station), applicant), crew, to=S.REVIEWED)
    with f.on(f.APPLY_ON):
        services.application_qualify(actor=crew.qualifier, application=application, override_reason="无需")
    application.refresh_from_db()
    assert application.override_reason == ""
    assert not AuditEvent.objects.filter(action="application.override").exists()


# ------------------------------------------------------------------------------------ conflicts of interest


def test_s20_a_phone_shared_with_the_recommending_cadre_is_flagged_and_blocks_qualification_until_resolved(
    regions, crew, batch, station
):
    # given: the applicant gave the recommending cadre's phone number
    applicant = f.eligible_person(regions["village_a"], phone="13800138000")
    cadre = people.make_person(
        regions["village_a"], name="陈主任", id_number=people.id_number(male=True), phone="13800138000"
    )
    f.link_account(cadre, crew.recommender)
    application = f.submit(crew, batch, _station_post(station), applicant)
    # when
    with f.on(f.APPLY_ON):
        services.application_recommend(actor=crew.recommender, application=application)
    # then: one flag, naming the cadre and the step
    flag = ConflictFlag.objects.get()
    assert (flag.application, flag.kind, flag.other_person, flag.other_role) == (
        application,
        ConflictKind.PHONE,
        cadre,
        "step:recommended",
    )
    assert flag.resolved_at is None
    assert AuditEvent.objects.get(action="application.conflict_flag").changes == {
        "kind": [None, "phone"],
        "with": [None, "step:recommended"],
    }

    # when: reviewed, then the employment center tries to qualify
    f.advance(application, crew, to=S.REVIEWED)
    with pytest.raises(DomainError) as refused, f.on(f.APPLY_ON):
        services.application_qualify(actor=crew.qualifier, application=application)
    # then
    assert refused.value.code == "open_conflicts"
    application.refresh_from_db()
    assert application.status == S.REVIEWED
    assert ConflictFlag.objects.count() == 1  # re-checking does not duplicate the flag

    # when: resolving needs a reason, and the reviewer (a decider already) may not resolve it
    with f.on(f.APPLY_ON):
        with pytest.raises(DomainError) as refused:
            services.conflict_resolve(actor=crew.qualifier, flag=flag, resolution=" ")
        assert refused.value.code == "reason_required"
        with pytest.raises(Forbidden) as forbidden:
            services.conflict_resolve(actor=crew.reviewer, flag=flag, resolution="经核实")
        assert forbidden.value.code == "same_person"
        services.conflict_resolve(actor=crew.qualifier, flag=flag, resolution="经核实为代填联系电话，已更正")
        services.application_qualify(actor=crew.qualifier, application=application)
    # then
    flag.refresh_from_db()
    assert flag.resolved_by == crew.qualifier
    assert flag.resolution == "经核实为代填联系电话，已更正"
    resolved = AuditEvent.objects.get(action="application.conflict_resolve")
    assert resolved.reason == "经核实为代填联系电话，已更正"
    application.refresh_from_db()
    assert application.status == S.QUALIFIED


def test_s20_sharing_a_household_with_a_current_helper_of_the_township_is_flagged(regions, crew, station, center):
    # given: a helper holds the station's post; a member of her household applies for the center in 2026
    helper = f.eligible_person(regions["village_a"], name="黄美玲", born=date(1978, 4, 4))
    f.hired_helper(crew, _station_post(station), helper, region=regions["county_a"])
    applicant = f.eligible_person(
        regions["village_a"],
        name="黄美华",
        born=date(1982, 5, 5),
        household=helper.household,
        relation=Relation.SIBLING,
    )
    later = f.publish_batch(
        crew.reviewer, regions["county_a"], f.open_posts(center), opens=date(2026, 2, 2), closes=date(2026, 2, 27)
    )
    application = f.submit(crew, later, f.open_posts(center)[0], applicant, day=date(2026, 2, 9))
    # when
    f.advance(application, crew, to=S.REVIEWED, day=date(2026, 2, 9))
    # then
    flag = ConflictFlag.objects.get()
    assert (flag.kind, flag.other_person, flag.other_role) == (ConflictKind.HOUSEHOLD, helper, "current_helper")
    with pytest.raises(DomainError) as refused, f.on(date(2026, 2, 10)):
        services.application_qualify(actor=crew.qualifier, application=application)
    assert refused.value.code == "open_conflicts"


def test_s20_a_household_member_who_holds_no_post_is_not_flagged_as_a_current_helper(regions, crew, batch, station):
    # given: the applicant's husband is in the registry (same household and phone) but was never placed
    applicant = f.eligible_person(regions["village_a"], phone="13800138000")
    f.eligible_person(
        regions["village_a"],
        name="陈建国",
        born=date(1978, 1, 1),
        household=applicant.household,
        relation=Relation.SPOUSE,
        phone="13800138000",
    )
    # when
    application = f.qualified(crew, batch, _station_post(station), applicant)
    # then
    assert not ConflictFlag.objects.exists()
    assert application.status == S.QUALIFIED


# ------------------------------------------------------------------------------------------ submission


def test_s7_placement_is_local_an_applicant_registered_in_another_township_is_refused(regions, crew, batch, station):
    # given: lives in village_a but is registered (户籍) in 郭坑镇 of 龙文区
    outsider = f.eligible_person(regions["village_a"], hukou_region_code=regions["village_b"].code)
    # when / then
    with pytest.raises(DomainError) as refused:
        f.submit(crew, batch, _station_post(station), outsider)
    assert refused.value.code == "not_local"
    assert batch.local_rule == "township"
    assert not Application.objects.exists()


def test_s7_one_open_application_per_person_and_batch(crew, batch, station, center, applicant):
    # given
    first = f.submit(crew, batch, _station_post(station), applicant)
    # when / then: not even for another post of the batch
    with pytest.raises(DomainError) as refused:
        f.submit(crew, batch, f.open_posts(center)[0], applicant)
    assert refused.value.code == "duplicate_application"
    # after a withdrawal the person may apply again
    with f.on(f.APPLY_ON):
        services.application_withdraw(actor=crew.clerk, application=first, reason="改报其他岗位")
    second = f.submit(crew, batch, f.open_posts(center)[0], applicant)
    assert Application.objects.filter(person=applicant).count() == 2
    assert second.status == S.SUBMITTED


@pytest.mark.parametrize("day", [date(2025, 8, 31), date(2025, 10, 1)])
def test_s7_a_batch_takes_applications_only_inside_its_window(crew, batch, station, applicant, day):
    with pytest.raises(DomainError) as refused:
        f.submit(crew, batch, _station_post(station), applicant, day=day)
    assert refused.value.code == "batch_not_open"
    assert not ApplicationStep.objects.exists()


def test_s7_a_closed_batch_takes_no_applications(crew, batch, station, applicant):
    services.batch_close(actor=crew.reviewer, batch=batch, reason="名额已满")
    assert RecruitmentBatch.objects.get(pk=batch.pk).status == BatchStatus.CLOSED
    with pytest.raises(DomainError) as refused:
        f.submit(crew, batch, _station_post(station), applicant)
    assert refused.value.code == "batch_not_open"


def test_s7_a_post_outside_the_batch_is_refused(regions, crew, batch, applicant, civil_affairs_a):
    other = f.make_facility(civil_affairs_a, regions["village_a"], name="东山村幸福院", kind="happiness_home")
    with pytest.raises(DomainError) as refused:
        f.submit(crew, batch, f.open_posts(other)[0], applicant)
    assert refused.value.code == "post_not_in_batch"


def test_s7_civil_affairs_publishes_a_batch_of_vacant_posts_with_the_local_rule_from_policy(
    regions, crew, station, center
):
    # when
    batch = f.publish_batch(crew.reviewer, regions["county_a"], f.open_posts(station) + f.open_posts(center))
    # then
    assert batch.status == BatchStatus.OPEN
    assert batch.published_by == crew.reviewer
    assert batch.allowed_hukou_types == ["city", "province"]
    assert batch.local_rule == "township"
    assert batch.posts.count() == 3
    assert AuditEvent.objects.get(action="batch.publish").changes["posts"] == [None, 3]


def test_s7_a_batch_of_another_county_or_with_an_unknown_registration_type_is_refused(
    regions, crew, station, civil_affairs_b
):
    with pytest.raises(Forbidden):
        f.publish_batch(civil_affairs_b, regions["county_a"], f.open_posts(station))
    with pytest.raises(DomainError) as refused:
        f.publish_batch(crew.reviewer, regions["county_a"], f.open_posts(station), allowed=["city", "martian"])
    assert refused.value.code == "invalid_hukou_types"
