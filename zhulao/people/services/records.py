"""Merging duplicates, unmasking, tying accounts to persons and recording earlier placements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope, require_action
from zhulao.people.models import Person, UnmaskLog
from zhulao.people.services.persons import SENSITIVE, find_by_id_number

# Relations that keep pointing at the merged record (history, not references to move).
_MERGE_KEEP = {("people", "unmasklog")}


@transaction.atomic
def person_merge(*, actor: User | None, keep: Person, duplicate: Person, reason: str) -> Person:
    """Merge a record entered twice by mistake: every reference moves to ``keep``; ``duplicate`` is kept,
    marked as merged, for the record."""
    if keep.pk == duplicate.pk:
        raise DomainError("same_person", _("Choose two different records."))
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    ensure_scope(actor, Action.PERSON_MERGE, keep.region_id)
    ensure_scope(actor, Action.PERSON_MERGE, duplicate.region_id)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise DomainError("already_merged", _("One of the records has already been merged."))
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if isinstance(model, str):  # pragma: no cover - only "self", handled by merged_into below
            continue
        label = (model._meta.app_label, model._meta.model_name)
        if label in _MERGE_KEEP or relation.remote_field.name == "merged_into" or relation.many_to_many:
            continue
        count = model._default_manager.filter(**{relation.remote_field.name: duplicate}).update(
            **{relation.remote_field.name: keep}
        )
        if count:
            moved[model._meta.label_lower] = count
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record_event(
        actor=actor,
        action="person.merge",
        obj=keep,
        region_code=keep.region_id,
        changes={"merged": [None, str(duplicate.public_id)], "moved": [None, moved]},
        reason=reason,
    )
    return keep


@transaction.atomic
def person_unmask(*, actor: User, person: Person, field: str, reason: str) -> str:
    """The full value of a sensitive field, for a typed reason; counted against a daily quota and audited."""
    if field not in SENSITIVE:
        raise DomainError("invalid_field", _("This field cannot be unmasked."))
    ensure_scope(actor, Action.PERSON_UNMASK, person.region_id)
    if len(reason.strip()) < 4:
        raise DomainError("reason_required", _("Say why you need the full value."), field="reason")
    today = clock.today()
    User.objects.select_for_update().filter(pk=actor.pk).first()  # serialise one user's quota checks
    used = UnmaskLog.objects.filter(user=actor, day=today).count()
    if used >= settings.UNMASK_QUOTA:
        raise Forbidden(
            "unmask_quota",
            _("You have used today's %(n)d full-value views. Try again tomorrow.") % {"n": settings.UNMASK_QUOTA},
        )
    UnmaskLog.objects.create(user=actor, person=person, field=field, reason=reason.strip()[:200], day=today)
    record_event(
        actor=actor,
        action="person.unmask",
        obj=person,
        region_code=person.region_id,
        changes={"field": [None, field]},
        reason=reason.strip(),
    )
    return str(getattr(person, field))


@transaction.atomic
def person_link_user(*, actor: User | None, username: str, id_number: str, reason: str) -> Person:
    """Tie a login account to the account holder's own person record (by ID number), so that separation of
    duties knows the cadre's household, phone and bank account (S20). The system administrator does this;
    the record itself stays unseen by them (only the link is written and audited)."""
    if actor is not None:
        require_action(actor, Action.USER_MANAGE)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise DomainError("unknown_user", _("No account with this username."), field="username")
    person = find_by_id_number(id_number)
    if person is None:
        raise DomainError("unknown_person", _("No person with this ID number is registered."), field="id_number")
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise DomainError("already_linked", _("This account is already tied to another person."), field="username")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = person.user_id
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    record_event(
        actor=actor,
        action="person.link_user",
        obj=person,
        region_code=person.region_id,
        changes={"user": [before, user.pk]},
        reason=reason,
    )
    return person


@transaction.atomic
def external_placement_add(
    *,
    actor: User | None,
    person: Person,
    post_name: str,
    employer_name: str,
    started_on: date,
    first_approved_on: date,
    source: str,
    ended_on: date | None = None,
) -> Any:
    """Record a public-welfare placement held outside this platform: it counts toward the cap of
    placements and the no-double-post rule (S6)."""
    from zhulao.people.models import ExternalPlacement

    ensure_scope(actor, Action.PERSON_EDIT, person.region_id)
    if not (post_name.strip() and employer_name.strip() and source.strip()):
        raise DomainError("fields_required", _("Give the post, the employer and the source."), field="post_name")
    if ended_on is not None and ended_on < started_on:
        raise DomainError("bad_dates", _("The end is before the start."), field="ended_on")
    if first_approved_on > started_on:
        raise DomainError("bad_dates", _("The subsidy cannot be approved after the start."), field="first_approved_on")
    placement = ExternalPlacement(
        person=person,
        post_name=post_name.strip(),
        employer_name=employer_name.strip(),
        started_on=started_on,
        ended_on=ended_on,
        first_approved_on=first_approved_on,
        source=source.strip(),
        region_id=person.region_id,
    )
    placement.full_clean()
    placement.save()
    record_event(
        actor=actor,
        action="person.external_placement",
        obj=person,
        region_code=person.region_id,
        changes={"post": [None, post_name], "started_on": [None, started_on]},
    )
    return placement
