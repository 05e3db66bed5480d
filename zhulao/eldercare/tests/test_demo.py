"""The elder-care demo (S13–S18, S3): 4 archives per synthetic candidate in the three groups; the two demo helpers
paired with every elder of their village and a year of visits; every hired helper with an account and paired;
needs handled by the township; work due and overdue on the helper's day; emergencies up the ladder; family
confirmations and calls; opening logs that improve after the posts and activities; an intact audit chain, and
nothing added on a second run. One run of the demo (at the scale of the browser tests) serves every check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.management import call_command

from zhulao import policy
from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core import clock
from zhulao.core.audit import verify_chain
from zhulao.core.models import AuditEvent
from zhulao.core.testing.pii_scan import id_numbers_in_database
from zhulao.eldercare import selectors
from zhulao.eldercare.choices import EscalationLevel, NeedStatus
from zhulao.eldercare.demo.common import light_hashing
from zhulao.eldercare.demo.pairings import PILOT_TOWNSHIPS, ROLLOUT_MONTHS
from zhulao.eldercare.models import (
    Activity,
    CapabilityAssessment,
    ConfirmationCall,
    ElderArchive,
    Emergency,
    EmergencyContact,
    EmergencyStep,
    FacilityDayLog,
    FamilyConfirmation,
    HouseholdArchive,
    NeedReport,
    Notification,
    Pairing,
    ServiceRecord,
    Visit,
)
from zhulao.eldercare.services import operations
from zhulao.people.models import Person
from zhulao.posts.choices import FacilityKind
from zhulao.posts.demo import R1_START
from zhulao.posts.models import Facility, Placement
from zhulao.rules.dates import add_months
from zhulao.rules.idcard import age_on

DEMO = ("load_demo", "--force", "--quiet-logins", "--people", "150")


def _counts() -> dict[str, int]:
    return {
        "archives": ElderArchive.objects.count(),
        "households": HouseholdArchive.objects.count(),
        "contacts": EmergencyContact.objects.count(),
        "assessments": CapabilityAssessment.objects.count(),
        "pairings": Pairing.objects.count(),
        "visits": Visit.objects.count(),
        "services": ServiceRecord.objects.count(),
        "needs": NeedReport.objects.count(),
        "persons": Person.objects.count(),
        "accounts": User.objects.count(),
        "emergencies": Emergency.objects.count(),
        "steps": EmergencyStep.objects.count(),
        "confirmations": FamilyConfirmation.objects.count(),
        "calls": ConfirmationCall.objects.count(),
        "activities": Activity.objects.count(),
        "logs": FacilityDayLog.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (in a transaction rolled back at the end)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command(*DEMO)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_s13_demo_archives_are_synthetic_elders_in_the_three_groups() -> None:
    today = clock.today()
    # 4 × 150 archives of synthetic elderly persons (born 1930–1965), each in a household archive
    assert ElderArchive.objects.count() == 600
    births = list(ElderArchive.objects.values_list("person__birth_date", flat=True))
    assert all(date(1930, 1, 1) <= b <= date(1965, 12, 31) and age_on(b, today) >= 60 for b in births)
    assert not ElderArchive.objects.filter(household_archive__isnull=True).exists()
    assert HouseholdArchive.objects.count() < 600  # couples share one 一户一档

    # the three groups of the policy mapping are all represented
    mapping = policy.value("eldercare.group_mapping", region="350600000000", on=today)
    advanced = int(policy.value("eldercare.advanced_age", region="350600000000", on=today))
    groups: set[str] = set()
    for archive in ElderArchive.objects.select_related("person"):
        categories = selectors.categories_of(archive, on=today, advanced_age=advanced)
        assert categories, f"{archive} has no category"
        groups.update(selectors.groups_of(categories, mapping))
    assert groups == {"托底", "困境", "重点保障"}


def test_s14_demo_helpers_keep_their_village_a_year_of_visits_and_work_due() -> None:
    today = clock.today()
    # both demo helpers are paired with every elder of their village, with a year of monthly visits
    for username, township in (("zly_punan", "xz_punan"), ("zly_guokeng", "xz_guokeng")):
        helper = User.objects.get(username=username)
        pairings = Pairing.objects.filter(helper=helper, ended_on__isnull=True)
        village = helper.active_assignments()[0].region_id
        assert 15 <= pairings.count() <= 25
        assert set(pairings.values_list("archive_id", flat=True)) == set(
            ElderArchive.objects.filter(region_id=village).values_list("id", flat=True)
        )
        visits = Visit.objects.filter(helper=helper)
        assert visits.count() >= 12 * pairings.count() * 0.8
        assert visits.filter(visit_date__lt=add_months(today, -11)).exists()
        assert not visits.filter(services__isnull=True).exists()
        assert NeedReport.objects.filter(
            archive__region_id=village, status=NeedStatus.HANDLED, handled_by__username=township
        ).exists()

    # "my day" of zly_punan has one overdue elder and work still due this month
    day = selectors.my_day(helper=User.objects.get(username="zly_punan"), on=today)
    overdue = [i for i in day if i.status and i.status.overdue]
    assert len(overdue) == 1
    assert "left_behind" in overdue[0].categories
    assert day[0] is overdue[0]
    assert sum(1 for i in day if i.status and i.status.due) >= 2
    assert NeedReport.objects.filter(status=NeedStatus.OPEN).exists()


def test_s8_s14_demo_every_hired_helper_has_an_account_and_is_paired() -> None:
    today = clock.today()
    # every helper in post has an account issued through the service, holding the helper role
    in_post = Placement.objects.filter(ended_on__isnull=True, planned_end__gte=today)
    assert in_post.count() >= 20
    assert not in_post.filter(person__user__isnull=True).exists()
    assert (
        AuditEvent.objects.filter(action="placement.account_issue").count()
        == Placement.objects.filter(person__user__isnull=False).count()
    )
    # every user holding the helper role today looks after elders
    helpers = set(RoleAssignment.objects.active().filter(role=Role.HELPER).values_list("user_id", flat=True))
    paired = Pairing.objects.filter(ended_on__isnull=True)
    assert helpers
    assert helpers <= set(paired.values_list("helper_id", flat=True))
    # every elder of a village with a helper has one; elsewhere some have none
    villages = set(paired.values_list("region_id", flat=True))
    with_helper = set(paired.values_list("archive_id", flat=True))
    there = set(ElderArchive.objects.filter(region_id__in=villages).values_list("id", flat=True))
    assert there <= with_helper
    assert ElderArchive.objects.exclude(id__in=with_helper).exists()


def test_s14_s15_demo_hired_helpers_visit_by_the_rules_a_year_in_the_pilot() -> None:
    today = clock.today()
    hired = Visit.objects.exclude(helper__username__in=["zly_punan", "zly_guokeng"])
    rollout = add_months(today.replace(day=1), -ROLLOUT_MONTHS)
    # a year of visits in the pilot townships, the roll-out months elsewhere
    pilot = hired.filter(region__code__regex=r"^(" + "|".join(PILOT_TOWNSHIPS) + ")")
    assert pilot.filter(visit_date__lt=add_months(today, -10)).exists()
    assert not hired.exclude(pk__in=pilot).filter(visit_date__lt=rollout).exists()
    assert hired.exclude(pk__in=pilot).filter(visit_date__gte=rollout).exists()
    # every visit submitted with its services, never in the future, never before its pairing
    assert not Visit.objects.filter(submitted_at__isnull=True).exists()
    assert not Visit.objects.filter(visit_date__gt=today).exists()
    assert not Visit.objects.filter(services__isnull=True).exists()
    for pairing in Pairing.objects.filter(ended_on__isnull=True).exclude(helper__username__startswith="zly_")[:50]:
        assert not hired.filter(archive=pairing.archive, visit_date__lt=pairing.started_on).exists()


def test_s16_demo_emergencies_go_up_the_ladder_and_two_are_open() -> None:
    # closed ones: reported, acknowledged (some after escalation), referred, closed with an outcome, followed up
    hours = int(policy.value("emergency.followup_hours", region="350600000000", on=clock.today()))
    closed = Emergency.objects.filter(closed_at__isnull=False).prefetch_related("steps")
    assert closed.count() >= 10
    for emergency in closed:
        steps = [s.action for s in emergency.steps.all()]
        assert steps[0] == "reported"
        assert steps[-1] == "closed"
        assert "acknowledged" in steps
        assert emergency.outcome
        assert Visit.objects.filter(
            archive=emergency.archive,
            opened_at__gte=emergency.closed_at,
            opened_at__lte=emergency.occurred_at + timedelta(hours=hours),
        ).exists(), f"no follow-up visit after {emergency}"
    assert closed.filter(steps__action="escalated").exists()
    assert closed.filter(steps__action="acknowledged", steps__level=EscalationLevel.VILLAGE).exists()
    assert closed.filter(referral_120=True).exists()
    # open now: one of zly_punan's elders, waiting for the village (cun_punan has the alert)
    waiting = Emergency.objects.get(closed_at__isnull=True, acknowledged_at__isnull=True)
    assert waiting.level == EscalationLevel.VILLAGE
    assert waiting.archive.pairings.get(ended_on__isnull=True).helper.username == "zly_punan"
    assert Notification.objects.filter(
        user__username="cun_punan", url=waiting.get_absolute_url(), read_at__isnull=True
    ).exists()
    # and one acknowledged by the township, taken to hospital, not yet closed
    in_hand = Emergency.objects.get(closed_at__isnull=True, acknowledged_at__isnull=False)
    assert in_hand.referral_120
    # the alerts of closed emergencies have been read
    urls = [e.get_absolute_url() for e in closed]
    assert not Notification.objects.filter(url__in=urls, read_at__isnull=True).exists()


def test_s15_demo_families_confirm_recent_visits_and_last_months_calls_are_drawn() -> None:
    today = clock.today()
    confirmed = FamilyConfirmation.objects.filter(confirmed_at__isnull=False)
    assert confirmed.filter(happened=True, rating__isnull=False).exists()
    assert not FamilyConfirmation.objects.filter(visit__visit_date__lt=today - timedelta(days=31)).exists()
    calls = ConfirmationCall.objects.filter(month=add_months(today.replace(day=1), -1))
    assert calls.exists()
    assert calls.exclude(result="").exists()  # some made by the demo users
    assert calls.filter(result="").exists()  # the others still to make


def test_s3_s18_demo_opening_logs_improve_after_the_posts_and_activities_keep_the_cadence() -> None:
    today = clock.today()
    # every facility's log starts with its opening; none after yesterday
    assert not FacilityDayLog.objects.filter(day__gte=today).exists()
    assert FacilityDayLog.objects.filter(day__lt=date(2024, 4, 1)).exists()
    # operating rate and daily hours are higher after the posts opened (fewer helpers in a small demo)
    before, after = operations.before_after(user=None, prefix="3506", pivot=R1_START)
    assert before.operating_rate is not None
    assert after.operating_rate is not None
    assert after.operating_rate > before.operating_rate
    assert before.avg_daily_hours is not None
    assert after.avg_daily_hours is not None
    assert after.avg_daily_hours > before.avg_daily_hours
    # activities of the last three months only; some facilities meet 天天/周周/月月 last month, not all
    first = add_months(today.replace(day=1), -2)
    assert not Activity.objects.filter(held_on__lt=first).exists()
    last_month = add_months(today.replace(day=1), -1)
    met = []
    for facility in Facility.objects.filter(activities__isnull=False).distinct():
        figures = operations.cadence(facility=facility, month_start=last_month)
        met.append(figures["every_day"] and figures["every_week"] and figures["theme"])
    assert any(met)
    assert not all(met)
    assert Facility.objects.filter(kind=FacilityKind.SERVICE_CENTER, activities__isnull=False).exists()


def test_s20_demo_writes_the_audit_chain_and_a_second_run_adds_nothing() -> None:
    # every event was written through the audit chain, which still verifies
    assert verify_chain().ok
    # a second run adds nothing
    before = _counts()
    call_command(*DEMO)
    assert _counts() == before


def test_s4_s20_demo_leaves_no_id_number_in_clear_in_any_text_column() -> None:
    # given: the demo writes disability certificates (the ID number + 2 digits), as person and evidence data
    assert Person.objects.exclude(disability_certificate="").exists()
    # when: every text, character and JSON column of every table is read with raw SQL
    hits = id_numbers_in_database(today=clock.today())
    # then: no valid 18-character ID number starts a run of digits anywhere (encrypted or masked only)
    assert hits == []


def test_s20_demo_helper_passwords_are_hashed_lightly_then_raised_at_the_first_sign_in(settings) -> None:
    # given: the production hasher
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    # when: the demo hashes a helper's password
    with light_hashing():
        encoded = make_password("Zhulao#Demo2026")
    # then: 1,000 iterations, readable by the configured hasher, which asks to raise it when it is next used
    assert encoded.startswith("pbkdf2_sha256$1000$")
    assert check_password("Zhulao#Demo2026", encoded)
    assert identify_hasher(encoded).must_update(encoded)
    assert not identify_hasher(make_password("Zhulao#Demo2026")).must_update(make_password("Zhulao#Demo2026"))
