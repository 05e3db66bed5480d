"""The elder-care demo (S13–S17): 4 archives per synthetic candidate in the three groups, the two demo helpers
paired with every elder of their village and a year of visits, needs handled by the township, work due and
overdue on the helper's day, an intact audit chain, and nothing added on a second run."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from zhulao import policy
from zhulao.accounts.models import User
from zhulao.core import clock
from zhulao.core.audit import verify_chain
from zhulao.eldercare import selectors
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
from zhulao.people.models import Person
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
    }


@pytest.mark.django_db
def test_s13_s17_demo_archives_pairings_visits_and_idempotence() -> None:
    # given / when
    call_command(*DEMO)
    today = clock.today()

    # then: 4 × 150 archives of synthetic elderly persons (born 1930–1965), each in a household archive
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
        assert not visits.filter(submitted_at__isnull=True).exists()
        assert visits.filter(visit_date__lt=add_months(today, -11)).exists()
        assert not visits.filter(visit_date__gt=today).exists()
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

    # every event was written through the audit chain, which still verifies
    assert verify_chain().ok

    # a second run adds nothing
    before = _counts()
    call_command(*DEMO)
    assert _counts() == before
