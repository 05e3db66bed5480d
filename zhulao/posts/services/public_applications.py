"""Applications received from the public form (S7): one answer for registered and unregistered numbers.

Once the typed values are well-formed, an unregistered number is registered in the chosen village and
applies; a registered one applies for the record (a different name is noted for the village to check,
never told to the visitor); a registered person the services refuse is not entered, the refusal is
audited and the village is told. Only refusals that depend on what was typed reach the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from zhulao.accounts import selectors as account_selectors
from zhulao.core import notify
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.people import services as people_services
from zhulao.people.models import Person
from zhulao.posts.choices import SubmittedVia
from zhulao.posts.models import Application, Post, RecruitmentBatch
from zhulao.posts.services.recruitment import _check_local, application_submit
from zhulao.regions.models import Region

SUBMIT_ACTION = "application.submit_public"
CHECK_KIND = "public_application_check"  # notification kind: a public application for the village to check


def public_application_receive(
    *, batch: RecruitmentBatch, post: Post, village: Region, name: str, id_number: str, phone: str
) -> None:
    """Enter a well-formed application from the public form. Raises ``DomainError`` / ``ValidationError``
    only for what the visitor typed (never because of someone's record)."""
    typed = _Typed(batch=batch, post=post, village=village, name=name.strip(), id_number=id_number, phone=phone)
    # The local-placement rule on the chosen village, the same for every number.
    _check_local(Person(region=village, hukou_region_code=village.code), post, batch.local_rule)
    person = people_services.find_by_id_number(id_number)
    if person is None:
        _submit_new(typed)
        return
    try:
        _submit_registered(typed, person)
    except DomainError as exc:
        _route_refusal(batch, person, exc.code, str(exc.message))
    except ValidationError as exc:  # a model check the services run last (full_clean)
        _route_refusal(batch, person, "invalid", " ".join(exc.messages))


def public_application_refused(*, batch: RecruitmentBatch, code: str) -> None:
    """Leave a failed attempt in the audit trail."""
    record_event(
        actor=None,
        action=SUBMIT_ACTION,
        obj=batch,
        region_code=batch.region_id,
        outcome=AuditEvent.Outcome.FAILURE,
        reason=code,
    )


@dataclass(frozen=True)
class _Typed:
    """What the visitor typed, once well-formed."""

    batch: RecruitmentBatch
    post: Post
    village: Region
    name: str
    id_number: str
    phone: str


@transaction.atomic
def _submit_new(typed: _Typed) -> Application:
    """Register the applicant in the chosen village and submit the application."""
    person = people_services.person_create(
        actor=None,
        data=people_services.PersonData(
            name=typed.name,
            id_number=typed.id_number,
            region=typed.village,
            phone=typed.phone,
            willing_to_work=True,
        ),
    )
    return _submit_for(typed, person, note="")


def _submit_for(typed: _Typed, person: Person, *, note: str) -> Application:
    application = application_submit(
        actor=None,
        batch=typed.batch,
        post=typed.post,
        person=person,
        via=SubmittedVia.PUBLIC,
        contact_phone=typed.phone,
        note=note,
    )
    record_event(actor=None, action=SUBMIT_ACTION, obj=application, region_code=application.region_id)
    return application


@transaction.atomic
def _submit_registered(typed: _Typed, person: Person) -> None:
    """The number is registered: submit for the record; a different name is noted for the village to
    check, never told to the visitor."""
    if typed.name == person.name:
        _submit_for(typed, person, note="")
        return
    note = gettext("Name given on the public form: %(name)s. It differs from the record: check it with the applicant.")
    application = _submit_for(typed, person, note=note % {"name": typed.name})
    title = gettext("A public application for %(masked)s gives a name that differs from the record: check it.")
    _tell_village(
        person,
        title % {"masked": person.id_number_masked},
        reverse("posts:application_detail", args=[application.public_id]),
    )


@transaction.atomic
def _route_refusal(batch: RecruitmentBatch, person: Person, code: str, message: str) -> None:
    """A registered person's application the services refused: audited, and a case for their village."""
    public_application_refused(batch=batch, code=code)
    title = gettext(
        "A public application for %(masked)s could not be entered (%(reason)s): check it with the applicant."
    )
    _tell_village(
        person,
        title % {"masked": person.id_number_masked, "reason": message},
        reverse("people:person_detail", args=[person.public_id]),
    )


def _tell_village(person: Person, title: str, url: str) -> None:
    """Notify the village staff who recommend applications at the person's village."""
    for user in account_selectors.holders_at(Action.APPLICATION_RECOMMEND, person.region_id):
        notify.send(user=user, kind=CHECK_KIND, title=title, url=url)
