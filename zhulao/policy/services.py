"""Adding a dated parameter value: the only write; checked, audited, never an edit in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core import clock
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import ensure_scope, require_action
from zhulao.policy import keys
from zhulao.policy.models import Confidence, ParameterProposal, PolicyParameter, ProposalStatus
from zhulao.policy.selectors import PolicyMissing, min_wage_monthly


def _minimum_wages_under(region_prefix: str, on: date) -> list[Decimal]:
    """The legal minimum at ``region_prefix`` and at every narrower area with its own tier below it.

    A city-wide override applies in every county, so it must reach the highest minimum among them.
    """
    prefixes = {region_prefix} | set(
        PolicyParameter.objects.filter(
            key="min_wage.tier", region_prefix__startswith=region_prefix, effective_from__lte=on
        ).values_list("region_prefix", flat=True)
    )
    minimums = []
    for prefix in sorted(prefixes):
        try:
            minimums.append(min_wage_monthly(region=prefix.ljust(12, "0"), on=on)[0])
        except PolicyMissing:
            continue
    return minimums


def _check_programme_wage(value: dict[str, Any], region_prefix: str, effective_from: date) -> None:
    override = value.get("override")
    if override is None:
        return
    minimums = _minimum_wages_under(region_prefix, effective_from)
    if not minimums:
        return
    minimum = max(minimums)
    if Decimal(str(override)) < minimum:
        raise DomainError(
            "below_min_wage",
            _("The programme wage %(wage)s is below the legal minimum wage %(minimum)s there on that date.")
            % {"wage": override, "minimum": minimum},
            field="value",
        )


def parameter_check(
    *,
    actor: User | None,
    key: str,
    value: Any,
    effective_from: date,
    source: str,
    confidence: str,
    region_prefix: str = "",
    document_title: str = "",
    document_number: str = "",
    document_date: date | None = None,
) -> None:
    """Every check :func:`parameter_add` makes, without writing: the scope, the key, the value against the
    key's schema (types, required fields, bounds, allowed values), the source and the status.

    The add form runs it before its preview step; ``DomainError.field`` names the field at fault."""
    ensure_scope(actor, Action.POLICY_EDIT, region_prefix)
    if key not in keys.KEYS:
        raise DomainError("unknown_key", _("Unknown parameter key."), field="key")
    try:
        keys.check_value(key, value)
    except keys.InvalidValue as exc:
        raise DomainError("invalid_value", _("Invalid value: %(error)s") % {"error": exc}, field="value") from exc
    if not source.strip():
        raise DomainError("source_required", _("Every value needs its source."), field="source")
    if confidence not in Confidence.values:
        raise DomainError("invalid_confidence", _("Unknown status."), field="confidence")
    if (document_number.strip() or document_date) and not document_title.strip().strip("《》"):
        raise DomainError("document_title_required", _("Give the title of the document."), field="document_title")
    if document_title.strip() and confidence == Confidence.UNCONFIRMED:
        raise DomainError(
            "document_unconfirmed",
            _("An unconfirmed value cannot cite an official document: confirm it first, or leave the document empty."),
            field="document_title",
        )
    if key == "programme.wage":
        _check_programme_wage(value, region_prefix, effective_from)


def _record(*, actor: User | None, recorded_by: User | None, fields: dict[str, Any]) -> PolicyParameter:
    row = PolicyParameter(**fields, recorded_by=recorded_by)
    row.full_clean()
    row.save()
    record_event(
        actor=actor,
        action="policy.add",
        obj=row,
        region_code=_region_code(fields["region_prefix"]),
        changes={
            "value": [None, fields["value"]],
            "effective_from": [None, fields["effective_from"]],
            "confidence": [None, fields["confidence"]],
            "document": [None, fields["document_title"]],
        },
    )
    return row


def _fields(
    *,
    key: str,
    value: Any,
    effective_from: date,
    source: str,
    confidence: str,
    region_prefix: str,
    note: str,
    document_title: str,
    document_number: str,
    document_date: date | None,
) -> dict[str, Any]:
    """The stored fields of a value (a row or a proposal), trimmed the one way both are stored."""
    return {
        "key": key,
        "region_prefix": region_prefix,
        "effective_from": effective_from,
        "value": value,
        "source": source.strip(),
        "confidence": confidence,
        "note": note.strip(),
        "document_title": document_title.strip().strip("《》"),
        "document_number": document_number.strip(),
        "document_date": document_date,
    }


def _fields_of(proposal: ParameterProposal) -> dict[str, Any]:
    """The value fields a proposal carries, to check and record it exactly as proposed."""
    return {name: getattr(proposal, name) for name in _VALUE_FIELDS}


_VALUE_FIELDS = (
    "key",
    "region_prefix",
    "effective_from",
    "value",
    "source",
    "confidence",
    "note",
    "document_title",
    "document_number",
    "document_date",
)


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The arguments of :func:`parameter_check` among a value's fields (all but the note)."""
    return {name: value for name, value in fields.items() if name != "note"}


def _region_code(region_prefix: str) -> str:
    return region_prefix.ljust(12, "0") if region_prefix else ""


@transaction.atomic
def parameter_add(
    *,
    actor: User | None,
    key: str,
    value: Any,
    effective_from: date,
    source: str,
    confidence: str,
    region_prefix: str = "",
    note: str = "",
    document_title: str = "",
    document_number: str = "",
    document_date: date | None = None,
) -> PolicyParameter:
    """Record a new dated value: the only writer of policy values (form, API, ``load_policy``, the seed).

    ``actor`` None is the system (seed data from POLICY.md). A user may add values only for region prefixes
    inside their scope for ``policy.edit``. A value outside its key's schema is refused with the reason. A key
    that needs approval (``KeySpec.needs_approval``) cannot be added directly by a user: it is proposed
    (:func:`parameter_propose`) and recorded when another administrator approves it. ``document_*`` name the
    official document that contracts and notices cite for the value (``policy.citations``); an unconfirmed
    value cites none.
    """
    fields = _fields(
        key=key,
        value=value,
        effective_from=effective_from,
        source=source,
        confidence=confidence,
        region_prefix=region_prefix,
        note=note,
        document_title=document_title,
        document_number=document_number,
        document_date=document_date,
    )
    parameter_check(actor=actor, **_checked(fields))
    if actor is not None and keys.KEYS[key].needs_approval:
        raise DomainError(
            "needs_approval",
            _("A change of %(key)s needs a second administrator's approval: propose it instead.") % {"key": key},
            field="key",
        )
    return _record(actor=actor, recorded_by=actor, fields=fields)


# ------------------------------------------------------------------------------- maker–checker


@transaction.atomic
def parameter_propose(
    *,
    actor: User,
    key: str,
    value: Any,
    effective_from: date,
    source: str,
    confidence: str,
    region_prefix: str = "",
    note: str = "",
    document_title: str = "",
    document_number: str = "",
    document_date: date | None = None,
) -> ParameterProposal:
    """Propose a value of a key that needs approval; it waits for another administrator (audited)."""
    fields = _fields(
        key=key,
        value=value,
        effective_from=effective_from,
        source=source,
        confidence=confidence,
        region_prefix=region_prefix,
        note=note,
        document_title=document_title,
        document_number=document_number,
        document_date=document_date,
    )
    parameter_check(actor=actor, **_checked(fields))
    if not keys.KEYS[key].needs_approval:
        raise DomainError("no_approval_needed", _("This key is recorded directly; no approval is needed."), field="key")
    proposal = ParameterProposal(**fields, proposed_by=actor, proposed_at=clock.now())
    proposal.full_clean()
    proposal.save()
    record_event(
        actor=actor,
        action="policy.propose",
        obj=proposal,
        region_code=_region_code(region_prefix),
        changes={"key": [None, key], "value": [None, value], "effective_from": [None, effective_from]},
    )
    return proposal


def _lock_pending(proposal: ParameterProposal) -> ParameterProposal:
    proposal = ParameterProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise DomainError(
            "already_decided",
            _("This proposal is already %(status)s.") % {"status": proposal.get_status_display()},
        )
    return proposal


def _ensure_checker(actor: User, proposal: ParameterProposal) -> None:
    ensure_scope(actor, Action.POLICY_EDIT, proposal.region_prefix)
    if actor.pk == proposal.proposed_by_id:
        raise Forbidden("same_person", _("Another administrator must decide on your own proposal."))


@transaction.atomic
def parameter_approve(*, actor: User, proposal: ParameterProposal, note: str = "") -> PolicyParameter:
    """A second administrator (never the proposer) approves: the value is checked again and recorded."""
    proposal = _lock_pending(proposal)
    _ensure_checker(actor, proposal)
    fields = _fields_of(proposal)
    parameter_check(actor=actor, **_checked(fields))
    row = _record(actor=actor, recorded_by=proposal.proposed_by, fields=fields)
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.decision_note = note.strip()
    proposal.parameter = row
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "parameter"])
    record_event(
        actor=actor,
        action="policy.approve",
        obj=proposal,
        region_code=_region_code(proposal.region_prefix),
        changes={"status": [ProposalStatus.PENDING, ProposalStatus.APPROVED], "parameter": [None, row.pk]},
        reason=note.strip(),
    )
    return row


@transaction.atomic
def parameter_reject(*, actor: User, proposal: ParameterProposal, reason: str) -> ParameterProposal:
    """A second administrator (never the proposer) rejects the proposal, with a reason; nothing is recorded."""
    proposal = _lock_pending(proposal)
    _ensure_checker(actor, proposal)
    if not reason.strip():
        raise DomainError("reason_required", _("A reason is required."), field="reason")
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.decision_note = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        action="policy.reject",
        obj=proposal,
        region_code=_region_code(proposal.region_prefix),
        changes={"status": [ProposalStatus.PENDING, ProposalStatus.REJECTED]},
        reason=reason.strip(),
    )
    return proposal


@transaction.atomic
def parameter_withdraw(*, actor: User, proposal: ParameterProposal, reason: str = "") -> ParameterProposal:
    """The proposer withdraws their own pending proposal."""
    proposal = _lock_pending(proposal)
    require_action(actor, Action.POLICY_EDIT)
    if actor.pk != proposal.proposed_by_id:
        raise Forbidden("not_the_proposer", _("Only the proposer may withdraw a proposal."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.decided_at = clock.now()
    proposal.decision_note = reason.strip()
    proposal.save(update_fields=["status", "decided_at", "decision_note"])
    record_event(
        actor=actor,
        action="policy.withdraw",
        obj=proposal,
        region_code=_region_code(proposal.region_prefix),
        changes={"status": [ProposalStatus.PENDING, ProposalStatus.WITHDRAWN]},
        reason=reason.strip(),
    )
    return proposal
