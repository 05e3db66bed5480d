"""Test data for elder care, made through the real services (audit events, masking, policy).

Plain helper functions, as in ``zhulao.people.tests.factories``: an elder is a person registered through
``people.services.person_create`` with an archive from ``eldercare.services.archive_create``. Visits lie on
given days, so the platform clock (``zhulao.core.clock``) is moved there with :func:`on`.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from zhulao.core import clock
from zhulao.eldercare import services
from zhulao.eldercare.models import ElderArchive, Pairing, Visit
from zhulao.people.choices import Relation
from zhulao.people.models import Household
from zhulao.people.tests import factories as people
from zhulao.regions.models import Region
from zhulao.rules import capability

BORN = date(1945, 6, 1)


on = clock.frozen  # the platform clock moved to a day (re-exported: many tests call ``f.on``)


def make_elder(
    region: Region,
    *,
    actor: Any = None,
    categories: list[str] | tuple[str, ...] = ("left_behind",),
    born: date = BORN,
    male: bool = False,
    household: Household | None = None,
    name: str = "陈阿婆",
    **texts: str,
) -> ElderArchive:
    """A person born on ``born`` in ``region`` (in ``household`` if given) and their archive."""
    person = people.make_person(region, name=name, id_number=people.id_number(born, male=male, address=region.code[:6]))
    if household is not None:
        relation = Relation.SPOUSE if household.members.exists() else Relation.HEAD
        people.put_in_household(household, person, relation=relation)
        person.refresh_from_db()
    return services.archive_create(actor=actor, person=person, categories=list(categories), **texts)


def pair(archive: ElderArchive, helper: Any, *, actor: Any = None, day: date | None = None) -> Pairing:
    """Pair ``helper`` with the elder (from ``day`` when given: the clock is moved there)."""
    if day is None:
        return services.pairing_assign(actor=actor, archive=archive, helper=helper)
    with on(day):
        return services.pairing_assign(actor=actor, archive=archive, helper=helper)


def visit(
    helper: Any,
    archive: ElderArchive,
    day: date,
    *,
    at: time = time(10, 0),
    services_given: dict[str, int] | None = None,
    needs: list[str] | None = None,
) -> Visit:
    """A visit opened and submitted by ``helper`` on ``day`` (the clock moved there)."""
    with on(day, at):
        started = services.visit_start(actor=helper, archive=archive)
        return services.visit_submit(
            actor=helper, visit=started, services=services_given or {"cleaning": 30}, new_needs=needs
        )


def scores(total: int = capability.MAX_TOTAL) -> dict[str, int]:
    """A full score sheet adding up to ``total`` (items filled to their maxima in the standard's order)."""
    if not 0 <= total <= capability.MAX_TOTAL:
        raise ValueError(total)
    sheet: dict[str, int] = {}
    left = total
    for item in capability.ITEMS:
        sheet[item.code] = min(item.max, left)
        left -= sheet[item.code]
    return sheet
