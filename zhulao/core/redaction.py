"""Redacting secrets out of old audit diffs: a new, recorded chain epoch (ADR 0010).

``audit_redact`` masks values that an older version stored in clear, re-hashes the chain in one
transaction and keeps the old head in an ``AuditEpoch``; ``verify_epochs`` checks every epoch
against its ``audit.redact`` event. Kept apart from ``core.audit`` (the everyday writer and verifier).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from zhulao.core import context
from zhulao.core.audit import GENESIS_HASH, MASKERS, _lock_chain, compute_hash, verify_chain
from zhulao.core.migrations import _triggers
from zhulao.core.models import AuditEpoch, AuditEvent


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
