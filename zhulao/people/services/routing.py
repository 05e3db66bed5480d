"""Cases routed to the staff who hold a person: an ID number entered where the person is out of reach.

Whoever enters an ID number that belongs to a person outside their scope is told only that the number
cannot be used (no name, no region); the staff of the county that holds the person are notified (through
the ``zhulao.core.notify`` hook) and the case is audited in the holding county, so they can contact
whoever entered it. The case is written in its own transaction after the refused write rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhulao.accounts import selectors as account_selectors
from zhulao.core import notify
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.people.models import Person

HELD_ELSEWHERE = "id_number_held_elsewhere"  # notification kind and audit action suffix


def unavailable(followup: Callable[[], object] | None = None) -> DomainError:
    """What the one who entered the number is told: nothing about the person or where they are held."""
    return DomainError(
        "id_number_unavailable",
        _(
            "This ID number cannot be used here. The staff responsible for this person have been told "
            "and will contact you; check the number with the applicant meanwhile."
        ),
        field="id_number",
        followup=followup,
    )


def in_reach(actor: Any, person: Person) -> bool:
    """Whether ``actor`` may see ``person`` (the system, ``None``, sees everyone)."""
    if actor is None:
        return True
    return Person.objects.visible_to(actor, Action.PERSON_VIEW).filter(pk=person.pk).exists()


def county_of(region_code: str) -> str:
    return region_code[:6].ljust(12, "0")


@transaction.atomic
def person_route_held_elsewhere(*, actor: Any, person: Person, entered_in: str) -> int:
    """Tell the holding county's staff (``person.edit`` at the county of ``person``) that ``actor``
    entered the person's ID number for region ``entered_in``; audited. Returns how many were told."""
    who = getattr(actor, "full_name", "") or getattr(actor, "username", "") or _("the public portal")
    title = _(
        "ID number %(masked)s of a resident of your county was entered by %(who)s (region %(region)s). "
        "Check the record and contact them."
    ) % {"masked": person.id_number_masked, "who": who, "region": entered_in}
    url = reverse("people:person_detail", args=[person.public_id])
    users = account_selectors.holders_at(Action.PERSON_EDIT, county_of(person.region_id))
    for user in users:
        notify.send(user=user, kind=HELD_ELSEWHERE, title=title, url=url)
    record_event(
        actor=actor,
        action="person." + HELD_ELSEWHERE,
        obj=person,
        region_code=person.region_id,
        outcome="failure",
        changes={"entered_in": [None, entered_in], "told": [None, len(users)]},
    )
    return len(users)
