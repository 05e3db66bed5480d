"""Feed the pure eligibility engine (``zhulao.rules.eligibility``) from the registry and the policy table."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhulao.people import selectors
from zhulao.people.models import Person
from zhulao.policy import selectors as policy_selectors
from zhulao.rules import eligibility as rules
from zhulao.rules.retirement import RetirementScheme, RetirementTrack

# Later apps (posts) add providers of placements: (person) -> iterable of rules.PastPlacement,
# and of "holds another current post" checks.
PLACEMENT_PROVIDERS: list[Callable[[Person], Iterable[rules.PastPlacement]]] = []


def _cited(key: str, *, region: str, on: date, convert: Callable[[Any], Any] = lambda v: v) -> rules.Cited:
    resolved = policy_selectors.resolve(key, region=region, on=on)
    return rules.Cited(convert(resolved.value), resolved.cite())


def params_for(*, region: str, on: date) -> rules.Params:
    """Every threshold the engine needs, each with the dated parameter that decided it."""
    return rules.Params(
        working_age_min=_cited("eligibility.working_age_min", region=region, on=on),
        retirement_scheme=_cited("retirement.scheme", region=region, on=on, convert=RetirementScheme.from_mapping),
        urban_older_age=_cited("eligibility.urban_older_age", region=region, on=on),
        rural_family_planning_age=_cited("eligibility.rural_family_planning_age", region=region, on=on),
        long_unemployed_years=_cited("eligibility.long_unemployed_years", region=region, on=on),
        max_period_months=_cited("placement.max_period_months", region=region, on=on),
        max_placements=_cited("placement.max_count", region=region, on=on),
        near_retirement_years=_cited("placement.near_retirement_years", region=region, on=on),
    )


def hukou_types(person: Person, *, on: date) -> frozenset[rules.HukouType]:
    """本市 / 本省 from the current registration code (never from the ID number), plus 建档立卡 labour."""
    home = settings.HOME_REGION_PREFIX
    code = person.hukou_region_code
    types = set()
    if code.startswith(home):
        types.add(rules.HukouType.CITY)
    if code.startswith(home[:2]):
        types.add(rules.HukouType.PROVINCE)
    if not types:
        types.add(rules.HukouType.OTHER)
    poverty = any(e.category == "poverty_registered" and e.is_valid_on(on) for e in selectors.person_evidence(person))
    if poverty and person.is_urban is False:
        types.add(rules.HukouType.POVERTY_LABOUR)
    return frozenset(types)


def candidate_for(person: Person, *, on: date) -> rules.Candidate:
    evidence: dict[rules.Category, rules.EvidenceState] = {}
    for item in selectors.person_evidence(person):
        try:
            category = rules.Category(item.category)
        except ValueError:
            continue  # e.g. 低保边缘: recorded, but not a target group for posts
        state = rules.EvidenceState.VALID if item.is_valid_on(on) else rules.EvidenceState.EXPIRED
        if evidence.get(category) != rules.EvidenceState.VALID:
            evidence[category] = state
    placements: list[rules.PastPlacement] = [
        rules.PastPlacement(start=p.started_on, end=p.ended_on, first_approval=p.first_approved_on)
        for p in person.external_placements.all()
    ]
    for provider in PLACEMENT_PROVIDERS:
        placements.extend(provider(person))
    active = [p for p in placements if p.end is None or p.end >= on]
    return rules.Candidate(
        birth_date=person.birth_date,
        sex=person.sex,
        retirement_track=RetirementTrack(person.retirement_track),
        is_urban=person.is_urban,
        willing_to_work=person.willing_to_work,
        able_to_work=person.able_to_work,
        hukou_types=hukou_types(person, on=on),
        evidence=evidence,
        unemployed_registered_since=(
            person.employment_registered_on if person.employment_registration == "unemployed" else None
        ),
        zero_employment_household=selectors.is_zero_employment(person.household, on=on),
        disability_grade=person.disability_grade,
        placements=tuple(placements),
        has_other_current_post=bool(active),
    )


def decide(person: Person, *, on: date, allowed: Iterable[rules.HukouType] | None = None) -> rules.Decision:
    """The engine's decision for ``person`` on ``on`` against a batch allowing ``allowed`` types."""
    batch = rules.Batch(
        allowed_hukou_types=frozenset(allowed)
        if allowed
        else frozenset({rules.HukouType.CITY, rules.HukouType.PROVINCE, rules.HukouType.POVERTY_LABOUR})
    )
    return rules.decide(candidate_for(person, on=on), batch, params_for(region=person.region_id, on=on), on=on)


def decide_for_viewer(
    *, viewer: Any, person: Person, on: date | None, allowed: Iterable[rules.HukouType] | None = None
) -> rules.Decision:
    """The decision a signed-in ``viewer`` asked for, on ``on`` (default today).

    Another day than today needs the unmask permission over the person's region: the age criterion flips on
    the birthday, so free choice of the day would let a role that sees only the birth year find the birth
    date by bisection (docs/permissions.md, "Masking"). A day before the person's birth is refused.
    """
    from zhulao.core import clock
    from zhulao.core.actions import Action
    from zhulao.core.exceptions import DomainError, Forbidden

    today = clock.today()
    day = on or today
    if day != today and not viewer.can(Action.PERSON_UNMASK, person.region_id):
        raise Forbidden(
            "day_needs_unmask",
            _("Only a role that may see the full record can judge eligibility on another day than today."),
        )
    if day < person.birth_date:
        raise DomainError("before_birth", _("The day is before the person was born."), field="on")
    return decide(person, on=day, allowed=allowed)
