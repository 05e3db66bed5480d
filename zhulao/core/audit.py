"""The one way to write the audit trail: ``record_event``, inside the caller's transaction.

Sensitive values are masked before they are stored (PIPL; SECURITY item 15): the caller names
the kind of each sensitive field and the diff keeps only the masked form. A value that was stored
unmasked by an older version is masked afterwards only by ``audit_redact`` (ADR 0010), which opens
a new, recorded chain epoch.
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
from zhulao.core.migrations import _triggers
from zhulao.core.models import AuditEpoch, AuditEvent
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


# --- Redaction: a new chain epoch (ADR 0010) -------------------------------------------------------


class AuditChainBroken(Exception):
    """The chain does not verify, so it is not rewritten (a rewrite would hide the break)."""


@dataclass(frozen=True)
class RedactionResult:
    epoch: int
    previous_head: tuple[int, str]
    new_head: tuple[int, str]
    rows_redacted: int
    rows_rehashed: int


def _redact_value(value: Any, mask: Callable[[str | None], str]) -> Any:
    """Mask a stored ``[old, new]`` pair (or a bare value); already-masked strings are left alone."""
    if isinstance(value, list):
        return [_redact_value(v, mask) for v in value]
    if isinstance(value, str) and value and "*" not in value:
        return mask(value)
    return value


def _redacted_changes(changes: Any, keys: Mapping[str, str]) -> Any:
    if not isinstance(changes, dict):
        return changes
    out = dict(changes)
    for key, kind in keys.items():
        if key in out:
            out[key] = _redact_value(out[key], MASKERS[kind])
    return out


def _lift_update_trigger() -> None:
    """Switch off the UPDATE trigger for the current transaction only (ADR 0010).

    PostgreSQL: ``ALTER TABLE … DISABLE TRIGGER`` is transactional and takes an ACCESS EXCLUSIVE lock on
    the table, so no other session reads or appends until the commit, and a rollback undoes it; it needs
    the table's owner (the role that runs the migrations), not a superuser. PostgreSQL refuses it while
    the transaction has deferred foreign-key checks pending on the table, so those are run first
    (``SET CONSTRAINTS ALL IMMEDIATE``; Django makes every foreign key ``DEFERRABLE INITIALLY DEFERRED``,
    which :func:`_restore_update_trigger` sets back). SQLite: ``DROP TRIGGER`` is transactional too (the
    write transaction holds the database lock). Both are undone by :func:`_restore_update_trigger`
    before the transaction commits.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


def _restore_update_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(_triggers.SQLITE_FORWARD[0])


def audit_redact(
    *,
    keys: Mapping[str, str],
    reason: str,
    event_model: Any = None,
    epoch_model: Any = None,
) -> RedactionResult | None:
    """Mask the values of ``keys`` (key → masking kind) in every stored diff and open a new chain epoch.

    In one transaction: verify the chain (refuse if broken), record the head in an ``AuditEpoch`` row,
    lift the UPDATE trigger, replace the values by their mask, recompute every hash from the first
    changed row on, restore the trigger, and append an ``audit.redact`` event naming the epoch, the old
    head and the new head. Nothing to redact: nothing is written and ``None`` is returned.
    ``event_model`` / ``epoch_model`` let a data migration pass its historical models.
    """
    event_cls: Any = event_model or AuditEvent
    epoch_cls: Any = epoch_model or AuditEpoch
    if not reason.strip():
        raise ValueError("a redaction needs a reason")
    unknown = set(keys.values()) - set(MASKERS)
    if unknown:
        raise ValueError(f"unknown masking kinds: {sorted(unknown)}")
    with transaction.atomic():
        _lock_chain()
        report = verify_chain(event_cls.objects.order_by("seq").iterator(chunk_size=_PAGE))
        if not report.ok:
            raise AuditChainBroken(f"event #{report.first_broken_seq}: {report.problem}")
        head = event_cls.objects.order_by("-seq").values_list("seq", "row_hash").first()
        if head is None or not _any_to_redact(event_cls, keys):
            return None
        previous_head = (head[0], head[1])
        number = (epoch_cls.objects.aggregate(m=Max("number"))["m"] or 0) + 1
        started_at = timezone.now()
        _lift_update_trigger()
        redacted, rehashed, prev_hash = _rewrite(event_cls, keys)
        _restore_update_trigger()
        new_head = (previous_head[0], prev_hash)
        ctx = context.current()
        event = event_cls(
            seq=new_head[0] + 1,
            occurred_at=started_at,
            actor=None,
            actor_label="system",
            actor_roles="",
            action="audit.redact",
            object_type="core.auditepoch",
            object_id=str(number),
            object_repr=f"epoch {number}",
            region_code="",
            changes=_epoch_changes(number, previous_head, new_head, sorted(keys), redacted, rehashed),
            outcome=AuditEvent.Outcome.SUCCESS,
            reason=reason,
            ip=ctx.ip,
            request_id=ctx.request_id,
            prev_hash=new_head[1],
        )
        event.row_hash = compute_hash(event, new_head[1])
        event.save(force_insert=True)
        epoch_cls.objects.create(
            number=number,
            started_at=started_at,
            previous_head_seq=previous_head[0],
            previous_head_hash=previous_head[1],
            new_head_seq=new_head[0],
            new_head_hash=new_head[1],
            event_seq=event.seq,
            keys=sorted(keys),
            reason=reason,
            rows_redacted=redacted,
            rows_rehashed=rehashed,
        )
    return RedactionResult(number, previous_head, new_head, redacted, rehashed)


_PAGE = 2000


def _any_to_redact(event_cls: Any, keys: Mapping[str, str]) -> bool:
    for row in event_cls.objects.order_by("seq").only("changes").iterator(chunk_size=_PAGE):
        if _redacted_changes(row.changes, keys) != row.changes:
            return True
    return False


def _rewrite(event_cls: Any, keys: Mapping[str, str]) -> tuple[int, int, str]:
    """Mask, re-link and re-hash the rows page by page (the UPDATE trigger is lifted); returns the number
    of rows whose diff was masked, of rows whose hash changed, and the new head hash."""
    field = event_cls._meta.get_field("changes")
    redacted = rehashed = 0
    prev_hash, after = GENESIS_HASH, 0
    while True:
        page = list(event_cls.objects.filter(seq__gt=after).order_by("seq")[:_PAGE])
        if not page:
            return redacted, rehashed, prev_hash
        updates = []
        for row in page:
            masked = _redacted_changes(row.changes, keys)
            if masked != row.changes:
                redacted += 1
                row.changes = masked
            row.prev_hash = prev_hash
            new_hash = compute_hash(row, prev_hash)
            if new_hash != row.row_hash:
                rehashed += 1
                row.row_hash = new_hash
                updates.append((field.get_db_prep_save(row.changes, connection), prev_hash, new_hash, row.pk))
            prev_hash, after = row.row_hash, row.seq
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE core_auditevent SET changes = %s, prev_hash = %s, row_hash = %s WHERE id = %s", updates
                )


def _epoch_changes(
    number: int, previous: tuple[int, str], new: tuple[int, str], keys: list[str], redacted: int, rehashed: int
) -> dict[str, list[Any]]:
    return {
        "epoch": [None, number],
        "previous_head": [None, [previous[0], previous[1]]],
        "new_head": [None, [new[0], new[1]]],
        "keys": [None, keys],
        "rows_redacted": [None, redacted],
        "rows_rehashed": [None, rehashed],
    }


def verify_epochs() -> list[str]:
    """Problems between the ``AuditEpoch`` rows and the ``audit.redact`` events of the chain (empty: none).

    Each epoch must match, number for number, the redaction event it names; each redaction event must
    have its epoch. So the kept old heads cannot be edited or removed without it being reported.
    """
    problems: list[str] = []
    redactions = {e.seq: e for e in AuditEvent.objects.filter(action="audit.redact")}
    for epoch in AuditEpoch.objects.order_by("number"):
        event = redactions.pop(epoch.event_seq, None)
        expected = _epoch_changes(
            epoch.number,
            (epoch.previous_head_seq, epoch.previous_head_hash),
            (epoch.new_head_seq, epoch.new_head_hash),
            list(epoch.keys),
            epoch.rows_redacted,
            epoch.rows_rehashed,
        )
        if event is None:
            problems.append(f"epoch {epoch.number}: no redaction event #{epoch.event_seq} in the chain")
        elif event.changes != expected or event.object_id != str(epoch.number):
            problems.append(f"epoch {epoch.number} does not match its redaction event #{event.seq}")
    problems.extend(f"redaction event #{seq} has no epoch record" for seq in sorted(redactions))
    return problems


def epochs() -> list[AuditEpoch]:
    """The chain's epochs, oldest first (their previous heads are the heads kept from before each rewrite)."""
    return list(AuditEpoch.objects.order_by("number"))
