"""Synthetic candidates for the demo: households across the Zhangzhou villages with a realistic mix of
target groups. Everything goes through the services; names and ID numbers are generated (valid check
digits), never real."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhulao.core import synthetic
from zhulao.people import services
from zhulao.people.choices import Category, EmploymentRegistration, EmploymentStatus, Relation
from zhulao.people.models import Person
from zhulao.regions.models import Region

# Departments that issue each kind of proof (synthetic certificate numbers).
ISSUERS: dict[str, str] = {
    Category.DISABLED: "区县残疾人联合会",
    Category.URBAN_DIBAO: "乡镇人民政府（街道办事处）民政",
    Category.RURAL_DIBAO: "乡镇人民政府民政",
    Category.POVERTY_REGISTERED: "县乡村振兴局",
    Category.UNSTABLE_EX_POOR: "县乡村振兴局（防返贫监测）",
    Category.FAMILY_PLANNING: "县卫生健康局",
    Category.DIBAO_EDGE: "乡镇人民政府民政",
}


def _person(rng: random.Random, village: Region, *, born: date, male: bool, status: str, today: date) -> Person:
    id_number = synthetic.id_number(rng, address_code=village.code[:6], born=born, male=male)
    urban = village.urban_rural_code.startswith("1")
    registration = ""
    registered_on = None
    if status == EmploymentStatus.UNEMPLOYED and rng.random() < 0.7:
        registration = EmploymentRegistration.UNEMPLOYED if urban else EmploymentRegistration.JOB_SEEKER
        registered_on = today - timedelta(days=rng.randint(30, 1500))
    grade = rng.choice((1, 2, 3, 3, 4, 4)) if rng.random() < 0.12 else None
    hukou = village.code
    if rng.random() < 0.04:  # registered elsewhere in Fujian (本省户籍)
        hukou = "350203" + village.code[6:]
    return services.person_create(
        actor=None,
        data=services.PersonData(
            name=synthetic.person_name(rng),
            id_number=id_number,
            region=village,
            hukou_region_code=hukou,
            urban_rural_code=village.urban_rural_code if hukou != village.code else "",
            phone=synthetic.phone(rng) if rng.random() < 0.8 else "",
            disability_certificate=f"{id_number}{grade}{rng.randint(1, 7)}" if grade else "",
            disability_grade=grade,
            employment_registration=registration,
            employment_registered_on=registered_on,
            employment_status=status,
            willing_to_work=True if status == EmploymentStatus.UNEMPLOYED else None,
            able_to_work=(grade is None or grade > 2) if status == EmploymentStatus.UNEMPLOYED else None,
        ),
    )


def _household(rng: random.Random, village: Region, today: date) -> int:
    household = services.household_create(
        actor=None, region=village, registration_number=f"H{rng.randint(10**7, 10**8 - 1)}"
    )
    head_male = rng.random() < 0.6
    head_age = rng.randint(28, 62)
    head_status = rng.choice([EmploymentStatus.UNEMPLOYED] * 3 + [EmploymentStatus.EMPLOYED])
    born = today - timedelta(days=head_age * 365 + rng.randint(0, 364))
    created = [(_person(rng, village, born=born, male=head_male, status=head_status, today=today), Relation.HEAD)]
    if rng.random() < 0.75:
        spouse_born = born + timedelta(days=rng.randint(-1500, 1500))
        status = rng.choice([EmploymentStatus.UNEMPLOYED, EmploymentStatus.EMPLOYED, EmploymentStatus.UNEMPLOYED])
        created.append(
            (
                _person(rng, village, born=spouse_born, male=not head_male, status=status, today=today),
                Relation.SPOUSE,
            )
        )
    for _ in range(rng.choice((0, 1, 1, 2))):
        child_born = born + timedelta(days=rng.randint(20 * 365, 32 * 365))
        if child_born >= today - timedelta(days=6 * 365):
            continue
        age = (today - child_born).days // 365
        status = (
            EmploymentStatus.STUDENT
            if age < 18
            else rng.choice([EmploymentStatus.EMPLOYED, EmploymentStatus.EMPLOYED, EmploymentStatus.UNEMPLOYED])
        )
        created.append(
            (
                _person(rng, village, born=child_born, male=rng.random() < 0.5, status=status, today=today),
                Relation.CHILD,
            )
        )
    for person, relation in created:
        services.household_set_member(actor=None, household=household, person=person, relation=relation)
    urban = village.urban_rural_code.startswith("1")
    start = today - timedelta(days=rng.randint(30, 700))

    def proof(category: str, number: str = "", **target: Any) -> None:
        expired = rng.random() < 0.06
        valid_until = (today - timedelta(days=rng.randint(1, 60))) if expired else start + timedelta(days=730)
        drawn = f"Z{rng.randint(10**9, 10**10 - 1)}"  # drawn even when unused: the same demo for a seed
        services.evidence_add(
            actor=None,
            category=category,
            valid_from=start,
            valid_until=valid_until,
            certificate_number=number or drawn,
            issuing_department=ISSUERS[category],
            **target,
        )

    roll = rng.random()
    if roll < 0.18:
        proof(Category.URBAN_DIBAO if urban else Category.RURAL_DIBAO, household=household)
    elif roll < 0.26:
        proof(Category.DIBAO_EDGE, household=household)
    if not urban and rng.random() < 0.12:
        proof(Category.POVERTY_REGISTERED, household=household)
        if rng.random() < 0.35:
            proof(Category.UNSTABLE_EX_POOR, household=household)
    if not urban and rng.random() < 0.06:
        proof(Category.FAMILY_PLANNING, household=household)
    for person, _relation in created:
        if person.disability_grade:
            # the disability certificate (残疾人证) is the proof: its number is the ID number + 2 digits
            proof(Category.DISABLED, number=person.disability_certificate, person=person)
    return len(created)


def load(command: Any, options: dict[str, Any]) -> str:
    """Add synthetic candidates until there are ``--people`` of them; safe to re-run."""
    target = int(options.get("people", 3000))
    existing = Person.objects.count()
    if existing >= target:
        return f"people: {existing} persons already present"
    rng = random.Random(350600 + existing)  # noqa: S311 - demo data, not security
    villages = list(Region.objects.filter(level=5, code__startswith="3506").order_by("code"))
    today = timezone.localdate()
    created = 0
    while existing + created < target:
        with transaction.atomic():
            created += _household(rng, rng.choice(villages), today)
    return f"people: {created} synthetic persons added ({existing + created} in all)"
