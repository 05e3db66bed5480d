"""Services of elder care (S13–S17): archives, contacts, assessments, pairings, visits and needs.

Every service is tried on its allowed path (with the audit event it writes) and on its refused paths
(another region, a role without the action, bad input), checking that a refusal writes nothing.
"""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhulao import policy as policy_values
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.eldercare import selectors, services
from zhulao.eldercare.choices import NeedStatus
from zhulao.eldercare.models import (
    CapabilityAssessment,
    ElderArchive,
    EmergencyContact,
    HouseholdArchive,
    NeedReport,
    Pairing,
    ServiceRecord,
    Visit,
)
from zhulao.eldercare.tests import factories as f
from zhulao.people.tests import factories as people
from zhulao.policy import services as policy_services
from zhulao.rules.dates import add_months

pytestmark = pytest.mark.usefixtures("policy")

TODAY = date(2025, 3, 12)  # the platform clock of these tests (a Wednesday)


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _audit_text() -> str:
    rows = AuditEvent.objects.values_list("changes", "reason", "object_repr")
    return "\n".join(json.dumps(changes, ensure_ascii=False) + reason + repr_ for changes, reason, repr_ in rows)


@pytest.fixture
def elder(regions, village_a) -> ElderArchive:
    """A left-behind elder of village A, archived by the village committee."""
    return f.make_elder(regions["village_a"], actor=village_a, categories=["left_behind"])


@pytest.fixture
def paired(elder, helper_a, village_a) -> ElderArchive:
    """The elder, paired with helper A since 1 January."""
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 1))
    return elder


@pytest.fixture
def other_helper(make_user):
    """A helper of 东山村's neighbour village 西山村 (the same township)."""
    return make_user(Role.HELPER, "village_a2", username="helper_village_a2")


# =============================================================================== archive_create


def test_s13_village_creates_an_archive_with_sorted_unique_categories_and_an_audit_event(regions, village_a):
    # given
    person = people.make_person(regions["village_a"], id_number=people.id_number(date(1948, 2, 2)))
    # when
    archive = services.archive_create(
        actor=village_a,
        person=person,
        categories=["left_behind", "dibao", "left_behind"],
        living_conditions="  独居平房，屋顶有漏雨  ",
    )
    # then
    archive.refresh_from_db()
    assert archive.categories == ["dibao", "left_behind"]
    assert archive.living_conditions == "独居平房，屋顶有漏雨"
    assert archive.region_id == "350602100200"
    [event] = _events("archive.create")
    assert event.actor == village_a
    assert event.object_id == str(archive.public_id)
    assert event.region_code == "350602100200"
    assert event.changes == {"categories": [None, ["dibao", "left_behind"]]}


def test_s13_one_archive_per_person_a_second_is_refused(regions, village_a, township_a):
    # given
    person = people.make_person(regions["village_a"])
    services.archive_create(actor=village_a, person=person, categories=["empty_nest"])
    # when
    with pytest.raises(DomainError) as refused:
        services.archive_create(actor=township_a, person=person, categories=["dibao"])
    # then
    assert refused.value.code == "archive_exists"
    assert ElderArchive.objects.get().categories == ["empty_nest"]
    assert len(_events("archive.create")) == 1


@pytest.mark.parametrize(
    "categories",
    [["martian"], ["left_behind", "orphan"], ["advanced_age"]],  # 高龄 is computed from the age, never stored
)
def test_s13_unknown_categories_are_refused_and_nothing_is_saved(regions, village_a, categories):
    person = people.make_person(regions["village_a"])
    with pytest.raises(DomainError) as refused:
        services.archive_create(actor=village_a, person=person, categories=categories)
    assert refused.value.code == "invalid_category"
    assert refused.value.field == "categories"
    assert not ElderArchive.objects.exists()
    assert not HouseholdArchive.objects.exists()
    assert not _events("archive.create")


@pytest.mark.parametrize(
    ("actor_name", "code"),
    [
        ("civil_affairs_b", "out_of_scope"),  # Civil Affairs of another county
        ("village_b", "out_of_scope"),  # another village committee
        ("helper_a", "forbidden"),  # a helper keeps no archives
        ("hr_a", "forbidden"),  # HR has no elder-care action
    ],
)
def test_s13_archive_create_is_refused_outside_the_actors_scope(request, regions, actor_name, code):
    actor = request.getfixturevalue(actor_name)
    person = people.make_person(regions["village_a"])
    with pytest.raises(Forbidden) as refused:
        services.archive_create(actor=actor, person=person, categories=["left_behind"])
    assert refused.value.code == code
    assert not ElderArchive.objects.exists()


@pytest.mark.parametrize("actor_name", ["village_a", "township_a", "civil_affairs_a", "civil_affairs_city"])
def test_s13_staff_of_the_village_and_above_may_create_the_archive(request, regions, actor_name):
    actor = request.getfixturevalue(actor_name)
    person = people.make_person(regions["village_a"])
    archive = services.archive_create(actor=actor, person=person, categories=["left_behind"])
    assert archive.pk is not None
    assert _events("archive.create")[0].actor == actor


def test_s13_household_archive_is_created_once_for_the_household(regions, village_a):
    # given: an elderly couple in one household, and a widow living on her own (no household)
    household = people.make_household(regions["village_a"], number="H350602001")
    # when
    husband = f.make_elder(regions["village_a"], actor=village_a, household=household, male=True, name="陈阿公")
    wife = f.make_elder(regions["village_a"], actor=village_a, household=household, name="林阿婆")
    alone = f.make_elder(regions["village_a"], actor=village_a, categories=["living_alone"], name="黄阿婆")
    # then
    household_archive = HouseholdArchive.objects.get()
    assert household_archive.household == household
    assert household_archive.region_id == "350602100200"
    assert husband.household_archive == wife.household_archive == household_archive
    assert set(household_archive.members.all()) == {husband, wife}
    assert alone.household_archive is None


# =============================================================================== archive_update


def test_s13_archive_update_audits_only_what_changed(elder, village_a):
    # when
    services.archive_update(
        actor=village_a,
        archive=elder,
        categories=["left_behind", "disabled_care"],
        psychological_state="思念外出务工的儿子，情绪低落",
    )
    # then
    elder.refresh_from_db()
    assert elder.categories == ["disabled_care", "left_behind"]
    assert elder.psychological_state == "思念外出务工的儿子，情绪低落"
    [event] = _events("archive.update")
    assert event.actor == village_a
    assert event.object_id == str(elder.public_id)
    assert event.changes == {
        "categories": [["left_behind"], ["disabled_care", "left_behind"]],
        "psychological_state": ["", "思念外出务工的儿子，情绪低落"],
    }


def test_s13_archive_update_without_a_change_writes_no_event(elder, village_a):
    # given
    services.archive_update(actor=village_a, archive=elder, categories=["left_behind"], service_needs="助餐")
    before = AuditEvent.objects.count()
    stamp = ElderArchive.objects.get().updated_at
    # when: the same values again (categories in another order, text with spaces around it)
    services.archive_update(actor=village_a, archive=elder, categories=["left_behind"], service_needs="  助餐 ")
    # then
    assert AuditEvent.objects.count() == before
    assert ElderArchive.objects.get().updated_at == stamp


def test_s13_archive_update_keeps_the_texts_not_given(regions, village_a):
    elder = f.make_elder(regions["village_a"], actor=village_a, living_conditions="砖混结构，一楼")
    services.archive_update(actor=village_a, archive=elder, categories=["empty_nest"])
    elder.refresh_from_db()
    assert elder.living_conditions == "砖混结构，一楼"
    assert elder.categories == ["empty_nest"]


def test_s13_archive_update_refuses_another_region_and_unknown_categories(elder, civil_affairs_b, village_a):
    with pytest.raises(Forbidden) as refused:
        services.archive_update(actor=civil_affairs_b, archive=elder, categories=["dibao"])
    assert refused.value.code == "out_of_scope"
    with pytest.raises(DomainError) as invalid:
        services.archive_update(actor=village_a, archive=elder, categories=["dibao", "rich"])
    assert invalid.value.code == "invalid_category"
    assert ElderArchive.objects.get().categories == ["left_behind"]
    assert not _events("archive.update")


# =============================================================================== contact_add


def test_s13_contact_phone_is_normalised_masked_and_encrypted_and_the_audit_keeps_the_mask(elder, village_a):
    # when
    contact = services.contact_add(
        actor=village_a, archive=elder, name=" 陈建国 ", relation="儿子", phone="+86 138-1234-5678"
    )
    # then
    contact = EmergencyContact.objects.get(pk=contact.pk)
    assert contact.name == "陈建国"
    assert contact.phone == "13812345678"
    assert contact.phone_masked == "138****5678"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {EmergencyContact._meta.db_table} WHERE id = %s", [contact.pk])
        [raw] = cursor.fetchone()
    assert raw.startswith("v1$")
    assert "12345678" not in raw
    [event] = _events("archive.contact_add")
    assert event.object_id == str(elder.public_id)
    assert event.changes == {"contact": [None, "138****5678"]}
    assert "13812345678" not in _audit_text()


@pytest.mark.parametrize(
    ("name", "phone", "code"),
    [
        ("", "13812345678", "contact_incomplete"),
        ("陈建国", "", "contact_incomplete"),
        ("陈建国", "12ab", "invalid_phone"),
    ],
)
def test_s13_contact_needs_a_name_and_a_valid_phone(elder, village_a, name, phone, code):
    with pytest.raises(DomainError) as refused:
        services.contact_add(actor=village_a, archive=elder, name=name, relation="儿子", phone=phone)
    assert refused.value.code == code
    assert not EmergencyContact.objects.exists()


def test_s13_contact_add_is_refused_to_a_helper_and_another_region(elder, helper_a, village_b):
    for actor, code in ((helper_a, "forbidden"), (village_b, "out_of_scope")):
        with pytest.raises(Forbidden) as refused:
            services.contact_add(actor=actor, archive=elder, name="陈建国", relation="儿子", phone="13812345678")
        assert refused.value.code == code
    assert not EmergencyContact.objects.exists()


# =============================================================================== assessment_record


@pytest.mark.parametrize(
    ("total", "level"),
    [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (0, 4)],
)
def test_s13_assessment_level_at_the_band_boundaries(elder, township_a, total, level):
    with f.on(TODAY):
        assessment = services.assessment_record(actor=township_a, archive=elder, scores=f.scores(total), reason="first")
    assessment.refresh_from_db()
    assert assessment.total == total
    assert assessment.preliminary_level == level
    assert assessment.final_level == level
    assert f"总分{total}/90分" in assessment.explanation


def test_s13_coma_sets_level_4_whatever_the_score(elder, civil_affairs_a):
    with f.on(TODAY):
        assessment = services.assessment_record(
            actor=civil_affairs_a, archive=elder, scores=f.scores(90), reason="immediate", coma=True
        )
    assert (assessment.total, assessment.preliminary_level, assessment.final_level) == (90, 0, 4)
    assert "昏迷" in assessment.explanation


def test_s13_dementia_and_risk_events_raise_the_level_by_the_policy(elder, township_a):
    with f.on(TODAY):
        assessment = services.assessment_record(
            actor=township_a,
            archive=elder,
            scores=f.scores(70),
            reason="routine",
            dementia_or_mental_disorder=True,
            risk_events=2,
        )
    # 70 → level 1; dementia +1; two risk events in 30 days +1 (stacking assumed by the policy)
    assert (assessment.preliminary_level, assessment.final_level) == (1, 3)


def test_s13_an_item_out_of_range_is_refused_naming_the_item_and_nothing_is_saved(elder, township_a):
    sheet = f.scores(90)
    sheet["stairs"] = 4  # 上下楼梯 is scored 0–3
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.assessment_record(actor=township_a, archive=elder, scores=sheet, reason="first")
    assert refused.value.code == "invalid_scores"
    assert refused.value.field == "scores"
    assert "上下楼梯" in str(refused.value)
    assert not CapabilityAssessment.objects.exists()
    assert not _events("assessment.record")


def test_s13_a_missing_item_is_refused_naming_it(elder, township_a):
    sheet = f.scores(90)
    del sheet["hearing"]
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.assessment_record(actor=township_a, archive=elder, scores=sheet, reason="first")
    assert "听力" in str(refused.value)
    assert not CapabilityAssessment.objects.exists()


def test_s13_an_assessment_dated_in_the_future_is_refused(elder, township_a):
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.assessment_record(
            actor=township_a, archive=elder, scores=f.scores(80), reason="first", assessed_on=TODAY + timedelta(days=1)
        )
    assert refused.value.code == "future_date"
    assert not CapabilityAssessment.objects.exists()


def test_s13_an_unknown_reason_is_refused(elder, township_a):
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.assessment_record(actor=township_a, archive=elder, scores=f.scores(80), reason="whim")
    assert refused.value.code == "invalid_reason"
    assert not CapabilityAssessment.objects.exists()


def test_s13_validity_is_the_policy_months_from_the_assessment_day(elder, township_a):
    # given: the seed's 12 months, and a later dated value of 6 months
    policy_services.parameter_add(
        actor=None,
        key="capability.validity_months",
        value=6,
        effective_from=date(2025, 3, 1),
        source="test",
        confidence="UNCONFIRMED",
    )
    # when: one assessment before the change, one after (both on a 31st: month ends clamp)
    with f.on(TODAY):
        before = services.assessment_record(
            actor=township_a, archive=elder, scores=f.scores(80), reason="first", assessed_on=date(2025, 1, 31)
        )
        after = services.assessment_record(actor=township_a, archive=elder, scores=f.scores(80), reason="routine")
    # then
    assert int(policy_values.value("capability.validity_months", on=date(2025, 1, 31))) == 12
    assert before.valid_until == add_months(date(2025, 1, 31), 12) == date(2026, 1, 31)
    assert after.valid_until == add_months(TODAY, 6) == date(2025, 9, 12)


def test_s13_assessment_is_audited_with_level_and_total(elder, township_a):
    with f.on(TODAY):
        services.assessment_record(actor=township_a, archive=elder, scores=f.scores(50), reason="first")
    [event] = _events("assessment.record")
    assert event.actor == township_a
    assert event.object_id == str(elder.public_id)
    assert event.changes == {"level": [None, 2], "total": [None, 50]}


@pytest.mark.parametrize(("actor_name", "code"), [("village_a", "forbidden"), ("civil_affairs_b", "out_of_scope")])
def test_s13_assessment_is_refused_without_the_action_or_outside_the_scope(request, elder, actor_name, code):
    actor = request.getfixturevalue(actor_name)
    with f.on(TODAY), pytest.raises(Forbidden) as refused:
        services.assessment_record(actor=actor, archive=elder, scores=f.scores(80), reason="first")
    assert refused.value.code == code
    assert not CapabilityAssessment.objects.exists()


# =============================================================================== pairing_assign


def test_s14_village_pairs_its_helper_with_an_elder(elder, helper_a, village_a):
    with f.on(TODAY):
        pairing = services.pairing_assign(actor=village_a, archive=elder, helper=helper_a)
    pairing.refresh_from_db()
    assert (pairing.helper, pairing.started_on, pairing.ended_on) == (helper_a, TODAY, None)
    assert pairing.assigned_by == village_a
    assert pairing.region_id == elder.region_id
    [event] = _events("pairing.assign")
    assert event.object_id == str(elder.public_id)
    assert event.changes == {"helper": [None, "helper_village_a"]}


def test_s14_a_helper_of_the_same_township_may_be_paired(elder, other_helper, township_a):
    pairing = services.pairing_assign(actor=township_a, archive=elder, helper=other_helper)
    assert pairing.helper == other_helper


def test_s14_a_helper_of_another_township_is_refused(elder, make_user, township_a):
    outsider = make_user(Role.HELPER, "village_b", username="helper_village_b")
    with pytest.raises(DomainError) as refused:
        services.pairing_assign(actor=township_a, archive=elder, helper=outsider)
    assert refused.value.code == "helper_not_local"
    assert not Pairing.objects.exists()
    assert not _events("pairing.assign")


def test_s14_a_user_who_is_not_a_helper_cannot_be_paired(elder, village_a, township_a):
    with pytest.raises(DomainError) as refused:
        services.pairing_assign(actor=township_a, archive=elder, helper=village_a)
    assert refused.value.code == "helper_not_local"


@pytest.mark.parametrize(
    ("actor_name", "code"),
    [("civil_affairs_a", "forbidden"), ("helper_a", "forbidden"), ("village_b", "out_of_scope")],
)
def test_s14_pairing_is_refused_without_the_action_or_outside_the_scope(request, elder, helper_a, actor_name, code):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(Forbidden) as refused:
        services.pairing_assign(actor=actor, archive=elder, helper=helper_a)
    assert refused.value.code == code
    assert not Pairing.objects.exists()


def test_s14_reassignment_ends_the_old_pairing_and_keeps_its_history(elder, helper_a, other_helper, village_a):
    # given
    f.pair(elder, helper_a, actor=village_a, day=date(2025, 1, 6))
    # when
    f.pair(elder, other_helper, actor=village_a, day=date(2025, 3, 3))
    # then
    old, new = Pairing.objects.order_by("started_on")
    assert (old.helper, old.started_on, old.ended_on) == (helper_a, date(2025, 1, 6), date(2025, 3, 3))
    assert (new.helper, new.started_on, new.ended_on) == (other_helper, date(2025, 3, 3), None)
    assert [e.changes["helper"] for e in _events("pairing.assign")] == [
        [None, "helper_village_a"],
        ["helper_village_a", "helper_village_a2"],
    ]
    # the old helper can no longer record a visit
    with f.on(date(2025, 3, 4)), pytest.raises(Forbidden):
        services.visit_start(actor=helper_a, archive=elder)


def test_s14_pairing_the_same_helper_again_changes_nothing(paired, helper_a, village_a):
    before = AuditEvent.objects.count()
    with f.on(TODAY):
        again = services.pairing_assign(actor=village_a, archive=paired, helper=helper_a)
    assert again == Pairing.objects.get()
    assert again.started_on == date(2025, 1, 1)
    assert AuditEvent.objects.count() == before


def _raw_active_pairing(archive: ElderArchive, helper, day: date) -> None:
    """A raw INSERT of an active pairing, past the service and the ORM."""
    sql = (
        f"INSERT INTO {Pairing._meta.db_table} (archive_id, helper_id, region_id, started_on, ended_on, assigned_by_id)"
        " VALUES (%s, %s, %s, %s, NULL, NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [archive.pk, helper.pk, archive.region_id, day])


def test_s14_the_database_refuses_two_active_pairings_for_one_elder(paired, other_helper):
    # the partial unique index itself refuses a second active pairing
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_active_pairing(paired, other_helper, TODAY)
    # and the same through the ORM
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(archive=paired, helper=other_helper, region=paired.region, started_on=TODAY)
    assert Pairing.objects.filter(ended_on__isnull=True).count() == 1


def test_s14_an_ended_pairing_and_a_new_active_one_may_coexist(paired, other_helper, helper_a):
    Pairing.objects.filter(helper=helper_a).update(ended_on=date(2025, 2, 1))
    _raw_active_pairing(paired, other_helper, date(2025, 2, 1))
    assert Pairing.objects.count() == 2


def test_s14_pairing_end_needs_a_reason_and_is_audited(paired, village_a):
    pairing = Pairing.objects.get()
    with pytest.raises(DomainError) as refused:
        services.pairing_end(actor=village_a, pairing=pairing, reason=" ")
    assert refused.value.code == "reason_required"
    with f.on(TODAY):
        services.pairing_end(actor=village_a, pairing=pairing, reason="助老员离岗")
    assert Pairing.objects.get().ended_on == TODAY
    [event] = _events("pairing.end")
    assert event.reason == "助老员离岗"


# =============================================================================== visit_start


def test_s14_a_paired_helper_starts_a_visit_today(paired, helper_a):
    with f.on(TODAY, time(9, 30)):
        visit = services.visit_start(actor=helper_a, archive=paired, location=" 东山村12号 ")
    visit.refresh_from_db()
    assert visit.visit_date == TODAY
    assert timezone.localtime(visit.opened_at).date() == TODAY
    assert visit.submitted_at is None
    assert visit.location == "东山村12号"
    assert visit.region_id == paired.region_id
    [event] = _events("visit.start")
    assert event.actor == helper_a
    assert event.object_id == str(visit.public_id)


def test_s14_a_helper_not_paired_with_the_elder_is_refused(elder, helper_a):
    with f.on(TODAY), pytest.raises(Forbidden) as refused:
        services.visit_start(actor=helper_a, archive=elder)
    assert refused.value.code == "not_paired"
    assert not Visit.objects.exists()


def test_s14_a_helper_paired_with_another_elder_is_refused(regions, paired, other_helper, village_a):
    neighbour = f.make_elder(regions["village_a"], actor=village_a, name="郑阿公", male=True)
    f.pair(neighbour, other_helper, actor=village_a, day=date(2025, 1, 1))
    with f.on(TODAY), pytest.raises(Forbidden) as refused:
        services.visit_start(actor=other_helper, archive=paired)
    assert refused.value.code == "not_paired"


def test_s14_staff_cannot_record_visits(paired, village_a):
    with f.on(TODAY), pytest.raises(Forbidden) as refused:
        services.visit_start(actor=village_a, archive=paired)
    assert refused.value.code == "forbidden"


def test_s14_a_future_visit_date_is_refused(paired, helper_a):
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.visit_start(actor=helper_a, archive=paired, visit_date=TODAY + timedelta(days=1))
    assert refused.value.code == "future_date"
    assert refused.value.field == "visit_date"
    assert not Visit.objects.exists()


def test_s14_an_earlier_day_may_be_recorded_without_signal(paired, helper_a):
    with f.on(TODAY):
        visit = services.visit_start(actor=helper_a, archive=paired, visit_date=TODAY - timedelta(days=2))
    assert visit.visit_date == date(2025, 3, 10)


def test_s14_a_visit_dated_before_the_pairing_began_is_refused(paired, helper_a):
    # paired since 1 January 2025: a visit on 31 December 2024 cannot be the helper's
    with f.on(TODAY), pytest.raises(DomainError) as refused:
        services.visit_start(actor=helper_a, archive=paired, visit_date=date(2024, 12, 31))
    assert refused.value.code == "before_pairing"
    assert not Visit.objects.exists()
    with f.on(TODAY):
        assert services.visit_start(actor=helper_a, archive=paired, visit_date=date(2025, 1, 1)).pk


def test_s14_a_double_tap_returns_the_same_open_visit(paired, helper_a):
    with f.on(TODAY, time(9, 0)):
        first = services.visit_start(actor=helper_a, archive=paired)
    with f.on(TODAY, time(9, 1)):
        second = services.visit_start(actor=helper_a, archive=paired)
    assert second.pk == first.pk
    assert Visit.objects.count() == 1
    assert len(_events("visit.start")) == 1


# =============================================================================== visit_submit


def _started(archive, helper, at: time = time(9, 0)) -> Visit:
    with f.on(TODAY, at):
        return services.visit_start(actor=helper, archive=archive)


def test_s15_submit_records_each_service_with_its_minutes(paired, helper_a):
    # given
    visit = _started(paired, helper_a)
    # when
    with f.on(TODAY, time(10, 15)):
        services.visit_submit(
            actor=helper_a,
            visit=visit,
            services={"cleaning": 40, "medical": 25},
            living_state=" 生活能自理 ",
            family_contacted=True,
            notes="血压偏高，已提醒按时服药",
        )
    # then
    visit.refresh_from_db()
    assert visit.submitted_at is not None
    assert visit.submitted_at > visit.opened_at
    assert visit.living_state == "生活能自理"
    assert visit.family_contacted is True
    assert dict(visit.services.values_list("kind", "minutes")) == {"cleaning": 40, "medical": 25}
    [event] = _events("visit.submit")
    assert event.actor == helper_a
    assert event.changes == {"services": [None, {"cleaning": 40, "medical": 25}], "needs": [None, 0]}


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"cleaning": 30, "knitting": 20}, "invalid_service"),
        ({"cleaning": 0}, "invalid_minutes"),
        ({"meals": 601}, "invalid_minutes"),
        ({"meals": "30"}, "invalid_minutes"),
        ({}, "services_required"),
    ],
)
def test_s15_bad_services_are_refused_and_the_visit_stays_open(paired, helper_a, given, code):
    visit = _started(paired, helper_a)
    with f.on(TODAY, time(10, 0)), pytest.raises(DomainError) as refused:
        services.visit_submit(actor=helper_a, visit=visit, services=given, new_needs=["需要助浴"])
    assert refused.value.code == code
    visit.refresh_from_db()
    assert visit.submitted_at is None
    assert not ServiceRecord.objects.exists()
    assert not NeedReport.objects.exists()
    assert not _events("visit.submit")


def test_s17_new_needs_are_reported_open_in_the_elders_region_for_the_township(paired, helper_a, township_a, make_user):
    # given
    visit = _started(paired, helper_a)
    # when
    with f.on(TODAY, time(10, 0)):
        services.visit_submit(
            actor=helper_a, visit=visit, services={"safety": 15}, new_needs=[" 屋顶漏雨，需要维修 ", "  ", "想申请助餐"]
        )
    # then
    needs = list(NeedReport.objects.order_by("id"))
    assert [n.description for n in needs] == ["屋顶漏雨，需要维修", "想申请助餐"]
    for need in needs:
        assert (need.status, need.region_id, need.archive, need.visit, need.reported_by) == (
            NeedStatus.OPEN,
            "350602100200",
            paired,
            visit,
            helper_a,
        )
    assert list(selectors.need_list(user=township_a)) == needs
    other_township = make_user(Role.TOWNSHIP_EMPLOYER, "township_b", username="township_other")
    assert list(selectors.need_list(user=other_township)) == []
    assert _events("visit.submit")[0].changes["needs"] == [None, 2]


def test_s15_a_resent_submit_changes_nothing(paired, helper_a):
    # given
    visit = _started(paired, helper_a)
    with f.on(TODAY, time(10, 0)):
        services.visit_submit(actor=helper_a, visit=visit, services={"meals": 20}, new_needs=["需要助浴"], notes="一")
    submitted_at = Visit.objects.get().submitted_at
    events = AuditEvent.objects.count()
    # when
    with f.on(TODAY, time(10, 5)):
        again = services.visit_submit(
            actor=helper_a, visit=visit, services={"meals": 50, "bathing": 30}, new_needs=["另一个需求"], notes="二"
        )
    # then
    assert again.pk == visit.pk
    stored = Visit.objects.get()
    assert (stored.submitted_at, stored.notes) == (submitted_at, "一")
    assert dict(ServiceRecord.objects.values_list("kind", "minutes")) == {"meals": 20}
    assert NeedReport.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_s15_another_helper_cannot_submit_the_visit(paired, helper_a, other_helper, village_a):
    # given: the other helper is even paired with an elder of the same village
    visit = _started(paired, helper_a)
    # when / then
    with f.on(TODAY, time(10, 0)), pytest.raises(Forbidden) as refused:
        services.visit_submit(actor=other_helper, visit=visit, services={"meals": 20})
    assert refused.value.code == "not_your_visit"
    assert Visit.objects.get().submitted_at is None


def test_s15_a_helper_whose_pairing_ended_cannot_submit_the_open_visit(paired, helper_a, village_a):
    visit = _started(paired, helper_a)
    with f.on(TODAY):
        services.pairing_end(actor=village_a, pairing=Pairing.objects.get(), reason="调整结对")
    with f.on(TODAY, time(10, 0)), pytest.raises(Forbidden) as refused:
        services.visit_submit(actor=helper_a, visit=visit, services={"meals": 20})
    assert refused.value.code == "not_paired"
    assert Visit.objects.get().submitted_at is None


def test_s15_after_submitting_the_next_start_opens_a_new_visit(paired, helper_a):
    first = f.visit(helper_a, paired, date(2025, 3, 3))
    second = f.visit(helper_a, paired, TODAY)
    assert first.pk != second.pk
    assert Visit.objects.filter(submitted_at__isnull=False).count() == 2


# =============================================================================== need_handle


@pytest.fixture
def need(paired, helper_a) -> NeedReport:
    f.visit(helper_a, paired, date(2025, 3, 10), needs=["卫生间需要加装扶手"])
    return NeedReport.objects.get()


@pytest.mark.parametrize("actor_name", ["township_a", "civil_affairs_a"])
def test_s17_township_or_civil_affairs_marks_a_need_handled(request, need, actor_name):
    actor = request.getfixturevalue(actor_name)
    with f.on(TODAY, time(15, 0)):
        handled = services.need_handle(actor=actor, need=need, note=" 已联系村委安装扶手 ")
    handled.refresh_from_db()
    assert handled.status == NeedStatus.HANDLED
    assert handled.handled_by == actor
    assert handled.handled_at is not None
    assert timezone.localtime(handled.handled_at).date() == TODAY
    assert handled.handling_note == "已联系村委安装扶手"
    [event] = _events("need.handle")
    assert event.actor == actor
    assert event.object_id == str(need.archive.public_id)
    assert event.reason.strip() == "已联系村委安装扶手"


def test_s17_a_village_committee_cannot_handle_needs(need, village_a):
    with pytest.raises(Forbidden) as refused:
        services.need_handle(actor=village_a, need=need, note="已处理")
    assert refused.value.code == "forbidden"
    assert NeedReport.objects.get().status == NeedStatus.OPEN


def test_s17_another_township_cannot_handle_the_need(need, make_user, civil_affairs_b):
    other_township = make_user(Role.TOWNSHIP_EMPLOYER, "township_b", username="township_other")
    for actor in (other_township, civil_affairs_b):
        with pytest.raises(Forbidden) as refused:
            services.need_handle(actor=actor, need=need, note="已处理")
        assert refused.value.code == "out_of_scope"
    assert NeedReport.objects.get().status == NeedStatus.OPEN
    assert not _events("need.handle")


def test_s17_handling_needs_a_note(need, township_a):
    with pytest.raises(DomainError) as refused:
        services.need_handle(actor=township_a, need=need, note="   ")
    assert refused.value.code == "note_required"
    assert refused.value.field == "note"
    assert NeedReport.objects.get().status == NeedStatus.OPEN


def test_s17_handling_a_handled_need_again_changes_nothing(need, township_a, civil_affairs_a):
    services.need_handle(actor=township_a, need=need, note="已安装扶手")
    services.need_handle(actor=civil_affairs_a, need=need, note="再次处理")
    stored = NeedReport.objects.get()
    assert (stored.handled_by, stored.handling_note) == (township_a, "已安装扶手")
    assert len(_events("need.handle")) == 1


def test_s15_a_tick_box_value_is_not_taken_for_minutes(paired, helper_a):
    visit = _started(paired, helper_a)
    with f.on(TODAY, time(10, 0)), pytest.raises(DomainError):
        services.visit_submit(actor=helper_a, visit=visit, services={"cleaning": True})
