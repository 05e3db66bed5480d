"""Hire (S8): after the notice, the placement and the labour contract with the post's employer; HR
records the employment registration and the hiring filing. Placements end; posts become vacant."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError
from zhulao.people import eligibility
from zhulao.policy import selectors as policy_selectors
from zhulao.posts.choices import ApplicationStatus, NoticeStatus, ObjectionStatus, PlacementEndReason, Standing
from zhulao.posts.models import Application, ApplicationStep, Contract, Placement
from zhulao.posts.services import standing
from zhulao.posts.services._common import ensure_scope
from zhulao.posts.services.accounts import placement_account_close
from zhulao.posts.services.recruitment import decision_snapshot, ensure_separation
from zhulao.rules.eligibility import HukouType


@transaction.atomic
def application_hire(*, actor: Any, application: Application, starts_on: date, note: str = "") -> Placement:
    """Create the placement (1st or 2nd) and the contract. Only after the notice is closed, with every
    objection about this candidate resolved, and with the eligibility engine still agreeing on the start
    date (or the override recorded at qualification)."""
    application = (
        # of=self: the notice is a nullable join, and PostgreSQL cannot lock the nullable side of an outer join
        Application.objects.select_for_update(of=("self",))
        .select_related("person", "post__employer", "notice", "batch")
        .get(pk=application.pk)
    )
    ensure_scope(actor, Action.HIRE, application.region_id)
    ensure_separation(actor, application, refuse_shared_contact=True)
    if application.status != ApplicationStatus.IN_NOTICE or application.notice is None:
        raise DomainError("wrong_status", _("Only a candidate in a public notice can be hired."))
    notice = application.notice
    if notice.status != NoticeStatus.CLOSED:
        raise DomainError(
            "notice_open",
            _("The public notice runs until %(day)s and must be closed before anyone is hired.")
            % {"day": notice.closes_on.isoformat()},
        )
    if application.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise DomainError("open_objections", _("An objection about this candidate is still open."))
    standing.ensure_may_be_hired(application)  # a reserve only after everyone ahead dropped out
    if starts_on <= notice.closes_on:
        raise DomainError("start_too_early", _("The placement starts after the notice period."), field="starts_on")
    person = application.person
    decision = eligibility.decide(
        person, on=starts_on, allowed=[HukouType(t) for t in application.batch.allowed_hukou_types]
    )
    if not decision.eligible and not application.override_reason:
        failed = "、".join(c.reason_zh for c in decision.criteria if c.status != "passed")
        raise DomainError("not_eligible", _("Not eligible on the start date: %(why)s") % {"why": failed})
    if decision.planned_end is None:
        raise DomainError("no_period", _("No subsidy period can start on this date (statutory retirement)."))
    earlier = list(Placement.objects.filter(person=person).order_by("started_on"))
    first_approved = min([p.first_approved_on for p in earlier], default=starts_on)
    external = list(person.external_placements.all())
    if external:
        first_approved = min(first_approved, *[p.first_approved_on for p in external])
    wage, cited = policy_selectors.programme_wage(region=application.post.region_id, on=starts_on)
    placement = Placement(
        person=person,
        post=application.post,
        application=application,
        region=application.post.region,
        sequence=len(earlier) + len(external) + 1,
        started_on=starts_on,
        first_approved_on=first_approved,
        planned_end=decision.planned_end,
    )
    placement.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:  # the database says no: the post or the person holds an active placement
        raise DomainError("post_or_person_taken", _("The post is filled, or the person holds another post.")) from exc
    contract = Contract(
        placement=placement,
        employer=application.post.employer,
        region=application.post.region,
        starts_on=starts_on,
        ends_on=decision.planned_end,
        monthly_wage=wage,
        wage_basis="; ".join(c.cite() for c in cited),
    )
    contract.full_clean()
    contract.save()
    contract.wage_parameters.set([c.parameter_id for c in cited])
    application.eligibility = decision_snapshot(decision)
    application.status = ApplicationStatus.HIRED
    application.save(update_fields=["eligibility", "status", "updated_at"])
    ApplicationStep.objects.create(
        application=application,
        from_status=ApplicationStatus.IN_NOTICE,
        to_status=ApplicationStatus.HIRED,
        actor=actor,
        at=clock.now(),
        note=note.strip(),
    )
    record_event(
        actor=actor,
        action="application.hire",
        obj=application,
        region_code=application.region_id,
        changes={
            "status": [ApplicationStatus.IN_NOTICE, ApplicationStatus.HIRED],
            "placement": [None, placement.sequence],
            "planned_end": [None, placement.planned_end],
            "monthly_wage": [None, wage],
            "standing": [None, application.standing or Standing.PROPOSED],
            "reserve_order": [None, application.reserve_order],
        },
    )
    return placement


@transaction.atomic
def contract_register(
    *, actor: Any, contract: Contract, employment_registered_on: date | None, hiring_filed_on: date | None
) -> Contract:
    """HR records 就业登记 and 用工备案 dates (never before the contract starts being signed for)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    ensure_scope(actor, Action.CONTRACT_REGISTER, contract.region_id)
    for value, field in ((employment_registered_on, "employment_registered_on"), (hiring_filed_on, "hiring_filed_on")):
        if value is not None and value > clock.today():
            raise DomainError("future_date", _("The date is in the future."), field=field)
    before = {
        "employment_registered_on": contract.employment_registered_on,
        "hiring_filed_on": contract.hiring_filed_on,
    }
    contract.employment_registered_on = employment_registered_on
    contract.hiring_filed_on = hiring_filed_on
    after = {"employment_registered_on": employment_registered_on, "hiring_filed_on": hiring_filed_on}
    if before == after:
        return contract
    contract.save(update_fields=["employment_registered_on", "hiring_filed_on", "updated_at"])
    record_event(
        actor=actor,
        action="contract.register",
        obj=contract,
        region_code=contract.region_id,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return contract


@transaction.atomic
def placement_end(*, actor: Any, placement: Placement, ended_on: date, reason: str, note: str = "") -> Placement:
    """End a placement; its post becomes vacant again."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    ensure_scope(actor, Action.HIRE, placement.region_id)
    if reason not in PlacementEndReason.values:
        raise DomainError("invalid_reason", _("Choose why the placement ends."), field="reason")
    if placement.ended_on is not None:
        raise DomainError("already_ended", _("This placement has already ended."))
    if ended_on < placement.started_on:
        raise DomainError("bad_dates", _("The end is before the start."), field="ended_on")
    placement.ended_on = ended_on
    placement.end_reason = reason
    placement.save(update_fields=["ended_on", "end_reason", "updated_at"])
    record_event(
        actor=actor,
        action="placement.end",
        obj=placement,
        region_code=placement.region_id,
        changes={"ended_on": [None, ended_on], "reason": [None, reason]},
        reason=note,
    )
    placement_account_close(actor=actor, placement=placement, ended_on=ended_on)
    return placement
