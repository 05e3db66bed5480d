"""Adding a dated parameter value: the only write; checked, audited, never an edit in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhulao.accounts.models import User
from zhulao.core.actions import Action
from zhulao.core.audit import record_event
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.querysets import require_action
from zhulao.policy import keys
from zhulao.policy.models import Confidence, PolicyParameter
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
    """Record a new dated value. ``actor`` None is the system (seed data from POLICY.md).

    A user may add values only for region prefixes inside their scope for ``policy.edit``.
    ``document_*`` name the official document that contracts and notices cite for the value
    (``policy.citations``); an unconfirmed value cites none.
    """
    if actor is not None:
        prefixes = require_action(actor, Action.POLICY_EDIT)
        if not any(region_prefix.startswith(p) for p in prefixes):
            raise Forbidden("out_of_scope", _("This region is outside your own scope."))
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
    document_title = document_title.strip().strip("《》")
    if (document_number.strip() or document_date) and not document_title:
        raise DomainError("document_title_required", _("Give the title of the document."), field="document_title")
    if document_title and confidence == Confidence.UNCONFIRMED:
        raise DomainError(
            "document_unconfirmed",
            _("An unconfirmed value cannot cite an official document: confirm it first, or leave the document empty."),
            field="document_title",
        )
    if key == "programme.wage":
        _check_programme_wage(value, region_prefix, effective_from)
    row = PolicyParameter(
        key=key,
        region_prefix=region_prefix,
        effective_from=effective_from,
        value=value,
        source=source.strip(),
        confidence=confidence,
        note=note.strip(),
        document_title=document_title,
        document_number=document_number.strip(),
        document_date=document_date,
        recorded_by=actor,
    )
    row.full_clean()
    row.save()
    record_event(
        actor=actor,
        action="policy.add",
        obj=row,
        region_code=region_prefix.ljust(12, "0") if region_prefix else "",
        changes={
            "value": [None, value],
            "effective_from": [None, effective_from],
            "confidence": [None, confidence],
            "document": [None, document_title],
        },
    )
    return row
