"""The one way to write the audit trail: ``record_event``, inside the caller's transaction.

Sensitive values are masked before they are stored (PIPL; SECURITY item 15): the caller names
the kind of each sensitive field and the diff keeps only the masked form. A value that was stored
unmasked by an older version is masked afterwards only by ``core.redaction.audit_redact`` (ADR 0010),
which opens a new, recorded chain epoch.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from zhulao.core import context
from zhulao.core.models import AuditEvent
from zhulao.rules import masking

GENESIS_HASH = "0" * 64
# PostgreSQL advisory-lock key serialising appends to the chain (any constant bigint).
_CHAIN_LOCK_KEY = 7_240_511


def _mask_secret(_value: str | None) -> str:
    return "******"


MASKERS: dict[str, Callable[[str | None], str]] = {
    "id_number": masking.mask_id_number,
    "phone": masking.mask_phone,
    "bank_account": masking.mask_bank_account,
    "name": masking.mask_name,
    "disability_certificate": masking.mask_disability_certificate,
    "free_text": masking.mask_id_numbers_in_text,
    "secret": _mask_secret,
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _scrub(value: Any) -> Any:
    """Every string in a JSON-able value with its ID-shaped numbers masked: the safety net behind the
    declared sensitive kinds, so that an ID number in an undeclared free-text field is not stored."""
    if isinstance(value, str):
        return masking.mask_id_numbers_in_text(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def mask_value(value: Any, kind: str | None) -> Any:
    if kind is None or value in (None, ""):
        return _jsonable(value)
    return MASKERS[kind](str(value))


def shown_changes(changes: Any) -> Any:
    """A stored diff as it is shown: ID numbers through today's masking rule again, so that an event
    recorded under an older rule (which kept the last four characters) shows no more than a new one.
    The stored diff is never rewritten (it is hashed into the chain)."""
    if not isinstance(changes, dict):
        return changes
    shown = dict(changes)
    for field, values in changes.items():
        if field == "id_number" and isinstance(values, list):
            shown[field] = [masking.mask_id_number(v) if isinstance(v, str) else v for v in values]
    return shown


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], *, sensitive: Mapping[str, str] | None = None
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed, sensitive ones masked."""
    sensitive = sensitive or {}
    changes: dict[str, list[Any]] = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old != new:
            kind = sensitive.get(field)
            changes[field] = [mask_value(old, kind), mask_value(new, kind)]
    return changes


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _hash_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "actor_roles": event.actor_roles,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "region_code": event.region_code,
        "changes": event.changes,
        "outcome": event.outcome,
        "reason": event.reason,
        "ip": event.ip,
        "request_id": event.request_id,
    }


def compute_hash(event: AuditEvent, prev_hash: str) -> str:
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, prev_hash.encode() + canonical(_hash_fields(event)), hashlib.sha256).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record_event(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region_code: str = "",
    changes: Mapping[str, Any] | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the current transaction (atomic if there is none).

    ``actor`` is a user or ``None`` for the system itself. ``changes`` must already be masked
    (use :func:`diff`); as a safety net, any 18-character ID-shaped number left in ``changes``,
    ``reason`` or ``object_repr`` is masked too (``masking.mask_id_numbers_in_text``). If the write
    fails, the caller's transaction fails with it (fail closed).
    """
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        ctx = context.current()
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
            object_repr = object_repr or str(obj)
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            seq=seq,
            occurred_at=timezone.now(),
            actor=actor if authenticated else None,
            actor_label=actor.get_username() if authenticated else "system",
            actor_roles=",".join(sorted(actor.active_role_names())) if authenticated else "",
            action=action,
            object_type=object_type,
            object_id=object_id[:64],
            object_repr=masking.mask_id_numbers_in_text(object_repr[:200]),
            region_code=region_code,
            changes=_scrub(_jsonable(dict(changes or {}))),
            outcome=outcome,
            reason=masking.mask_id_numbers_in_text(reason),
            ip=ctx.ip,
            request_id=ctx.request_id,
            prev_hash=prev_hash,
        )
        event.row_hash = compute_hash(event, prev_hash)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(events: Iterable[AuditEvent] | None = None) -> ChainReport:
    """Walk the chain in ``seq`` order and report the first row whose link or hash does not hold."""
    rows: Iterator[AuditEvent] = (
        iter(events) if events is not None else AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    )
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"missing event #{expected_seq} (found #{event.seq})")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "previous-hash link does not match")
        if not hmac.compare_digest(compute_hash(event, prev_hash), event.row_hash):
            return ChainReport(checked, event.seq, "content does not match its hash")
        prev_hash, expected_seq, checked = event.row_hash, expected_seq + 1, checked + 1
    return ChainReport(checked, None, "")


def chain_head() -> tuple[int, str]:
    """The last sequence number and hash (to copy to a separate store daily)."""
    seq = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    head = AuditEvent.objects.filter(seq=seq).values_list("row_hash", flat=True).first()
    return seq, head or GENESIS_HASH
