"""Reads of the registry shaped for pages, exports and the eligibility engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhulao import policy
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.selectors import TodoGroup
from zhulao.people.choices import HOUSEHOLD_CATEGORIES, EmploymentStatus
from zhulao.people.models import Evidence, Household, Person
from zhulao.policy import selectors as policy_selectors
from zhulao.rules.idcard import age_on
from zhulao.rules.retirement import RetirementTrack, is_before_retirement


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    region: str = ""
    category: str = ""
    sex: str = ""
    status: str = ""  # "" | "merged"
    evidence: str = ""  # "" | "due": evidence expired or expiring within 30 days


def _valid_evidence(on: date) -> Q:
    return Q(withdrawn_at__isnull=True, valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def person_list(*, user: Any, filters: PersonFilters, action: str = Action.PERSON_VIEW) -> QuerySet[Person]:
    """Persons visible to ``user`` for ``action``, filtered; pages and exports show masked columns only."""
    persons = (
        Person.objects.visible_to(user, action)
        .select_related("region", "household")
        .defer("id_number", "phone", "bank_account", "disability_certificate")  # lists show the masked columns
    )
    persons = persons.filter(merged_into__isnull=filters.status != "merged")
    if filters.q:
        persons = persons.filter(name__icontains=filters.q.strip())
    if filters.region:
        persons = persons.filter(region__code__startswith=filters.region)
    if filters.sex:
        persons = persons.filter(sex=filters.sex)
    if filters.evidence == "due":
        due = evidence_due(user=user, on=clock.today())
        persons = persons.filter(Q(evidence__in=due) | Q(household__evidence__in=due)).distinct()
    if filters.category:
        on = clock.today()
        own = Evidence.objects.filter(_valid_evidence(on), person=OuterRef("pk"), category=filters.category)
        via_household = Evidence.objects.filter(
            _valid_evidence(on), household=OuterRef("household"), category=filters.category
        )
        persons = persons.filter(Exists(via_household) if filters.category in HOUSEHOLD_CATEGORIES else Exists(own))
    return persons.order_by("region_id", "name", "id")


def get_person_for_user(user: Any, public_id: Any, action: str = Action.PERSON_VIEW) -> Person:
    """One person: 403 without the action, 404 outside the user's scope for it."""
    return Person.objects.select_related("region", "household").get_for_user(user, action, public_id=public_id)


def get_household_for_user(user: Any, public_id: Any, action: str = Action.PERSON_VIEW) -> Household:
    return Household.objects.select_related("region").get_for_user(user, action, public_id=public_id)


def person_evidence(person: Person) -> list[Evidence]:
    """The person's own evidence and their household's, newest first."""
    rows = Evidence.objects.filter(Q(person=person) | Q(household_id=person.household_id, household__isnull=False))
    return list(rows.select_related("verified_by").order_by("category", "-valid_from"))


def household_members(household: Household) -> list[Person]:
    return list(household.members.filter(merged_into__isnull=True).order_by("relation", "birth_date"))


def is_zero_employment(household: Household | None, *, on: date) -> bool | None:
    """零就业家庭: the household has members able to work at working age and none of them is employed.

    Working age is from ``eligibility.working_age_min`` to each member's statutory retirement date.
    Students and people unable to work are not counted. None when the household is unknown or empty.
    """
    if household is None:
        return None
    members = household_members(household)
    if not members:
        return None
    min_age = int(policy.value("eligibility.working_age_min", on=on))
    scheme = policy_selectors.retirement_scheme(on=on)
    labour_force = [
        m
        for m in members
        if m.employment_status in (EmploymentStatus.EMPLOYED, EmploymentStatus.UNEMPLOYED)
        and m.birth_date <= on  # a member not yet born on that day is not in the labour force
        and age_on(m.birth_date, on) >= min_age
        and is_before_retirement(m.birth_date, RetirementTrack(m.retirement_track), scheme, on)
    ]
    if not labour_force:
        return False
    return not any(m.employment_status == EmploymentStatus.EMPLOYED for m in labour_force)


def evidence_due(*, user: Any, on: date, days: int = 30) -> QuerySet[Evidence]:
    """Evidence that expired in the last ``days`` or expires within ``days``: to renew or re-verify."""
    return (
        Evidence.objects.visible_to(user, Action.EVIDENCE_VERIFY)
        .filter(
            withdrawn_at__isnull=True,
            valid_until__range=(on - timedelta(days=days), on + timedelta(days=days)),
        )
        .select_related("person", "household")
        .order_by("valid_until", "id")
    )


def todo_groups(user: Any) -> list[TodoGroup]:
    """Workbench to-dos of the registry: evidence to renew."""
    if not user.can(Action.EVIDENCE_VERIFY):
        return []
    on = clock.today()
    due = evidence_due(user=user, on=on)
    items = []
    for evidence in due[:5]:
        target = evidence.person or evidence.household
        items.append(
            {
                "label": f"{evidence.get_category_display()} · {target}",
                "url": target.get_absolute_url() if target is not None else "",
                "since": evidence.valid_until,
            }
        )
    return [
        TodoGroup(
            kind="evidence_due",
            label=_("Evidence to renew (expired or expiring within 30 days)"),
            url=reverse("people:person_list") + "?evidence=due",
            count=due.count(),
            items=items,
        )
    ]
