"""Redacting secrets out of old audit diffs (S20, ADR 0010): a new chain epoch, recorded and verifiable.

The rows are written as an older version wrote them (the certificate number in clear), then
``audit_redact`` masks them, keeps the old head in an ``AuditEpoch`` and appends an ``audit.redact``
event; ``verify_audit`` passes and reports the old head, and a later edit is still caught. Runs on SQLite
and PostgreSQL (the trigger is lifted differently on each).
"""

from __future__ import annotations

import importlib
import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhulao.core import audit, redaction
from zhulao.core.migrations import _triggers
from zhulao.core.models import AppendOnlyError, AuditEpoch, AuditEvent
from zhulao.rules import masking
from zhulao.rules.idcard import make_id_number

NUMBER = make_id_number("350602", date(1975, 5, 20), 246)
CERTIFICATE = f"{NUMBER}31"
KEYS = {"disability_certificate": "disability_certificate"}


def _append_as_before(action: str, changes: dict[str, list[str | None]] | None = None) -> AuditEvent:
    """Append an event as the writer did before it masked ID-shaped numbers itself (value stored as given)."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, audit.GENESIS_HASH)
    event = AuditEvent(
        seq=seq,
        occurred_at=timezone.now(),
        actor_label="system",
        action=action,
        object_repr=f"row {seq}",
        changes=changes or {},
        prev_hash=prev_hash,
    )
    event.row_hash = audit.compute_hash(event, prev_hash)
    event.save(force_insert=True)
    return event


def _old_style_events() -> list[AuditEvent]:
    """Events as written before the certificate was a sensitive kind: the number in clear in the diff."""
    return [
        audit.record_event(actor=None, action="test.before", object_repr="row 0"),
        _append_as_before("person.create", {"name": [None, "林秀英"], "disability_certificate": [None, CERTIFICATE]}),
        _append_as_before("person.update", {"disability_certificate": [CERTIFICATE, f"{NUMBER}21"]}),
        audit.record_event(actor=None, action="test.after", object_repr="row 3"),
    ]


def test_s20_the_writer_masks_an_id_number_left_in_an_undeclared_field(db):
    # when: a caller forgets to declare a field sensitive
    event = audit.record_event(
        actor=None, action="test.event", object_repr=f"证 {NUMBER}", changes={"note": [None, f"残疾证 {CERTIFICATE}"]}
    )
    # then: the number is masked anyway, the rest is kept
    masked = masking.mask_id_number(NUMBER)
    assert event.changes == {"note": [None, f"残疾证 {masked}31"]}
    assert event.object_repr == f"证 {masked}"
    assert NUMBER not in _raw_changes()


def _raw_changes() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(changes AS TEXT) FROM core_auditevent")
        return " ".join(row[0] for row in cursor.fetchall())


def _tamper(sql: str, params: list[object]) -> None:
    """Edit the table as its owner would, with the append-only triggers switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute(sql, params)
            cursor.execute(_triggers.SQLITE_FORWARD[0])


def test_s20_redaction_masks_the_values_keeps_the_old_head_and_the_chain_verifies(db):
    # given: a chain with the certificate in clear in two diffs
    events = _old_style_events()
    old_head = audit.chain_head()
    assert NUMBER in _raw_changes()
    # when
    result = redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    # then: the values are masked, nothing else of the diffs changed
    assert result is not None
    assert NUMBER not in _raw_changes()
    created = AuditEvent.objects.get(pk=events[1].pk)
    assert created.changes == {
        "name": [None, "林秀英"],
        "disability_certificate": [None, masking.mask_disability_certificate(CERTIFICATE)],
    }
    assert AuditEvent.objects.get(pk=events[2].pk).changes["disability_certificate"] == [
        masking.mask_disability_certificate(CERTIFICATE),
        masking.mask_disability_certificate(f"{NUMBER}21"),
    ]
    # rows before the first redacted one keep their hash; the others are re-linked
    assert AuditEvent.objects.get(pk=events[0].pk).row_hash == events[0].row_hash
    assert AuditEvent.objects.get(pk=events[3].pk).row_hash != events[3].row_hash
    # the epoch keeps the old head and names the new one, and so does the redaction event
    epoch = AuditEpoch.objects.get()
    assert (epoch.number, epoch.previous_head_seq, epoch.previous_head_hash) == (1, *old_head)
    assert (epoch.rows_redacted, epoch.rows_rehashed) == (2, 3)
    redact_event = AuditEvent.objects.get(action="audit.redact")
    assert redact_event.seq == old_head[0] + 1 == epoch.event_seq
    assert redact_event.changes["previous_head"] == [None, list(old_head)]
    assert redact_event.changes["new_head"] == [None, [epoch.new_head_seq, epoch.new_head_hash]]
    assert redact_event.prev_hash == epoch.new_head_hash
    # and the whole chain verifies; verify_audit reports the kept old head
    assert audit.verify_chain().ok
    assert redaction.verify_epochs() == []
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "audit chain intact" in out.getvalue()
    assert f"head before the rewrite #{old_head[0]} {old_head[1]}" in out.getvalue()


def test_s20_redaction_restores_the_append_only_trigger(db):
    _old_style_events()
    redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    event = AuditEvent.objects.order_by("seq").first()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'changed' WHERE id = %s", [event.pk])


def test_s20_an_edit_after_the_redaction_is_still_caught(db):
    # given: a redacted chain
    events = _old_style_events()
    redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    # when: someone with database access edits a redacted row afterwards
    _tamper("UPDATE core_auditevent SET object_repr = 'forged' WHERE id = %s", [events[1].pk])
    # then
    with pytest.raises(CommandError, match=f"#{events[1].seq}"):
        call_command("verify_audit")


def test_s20_an_edited_epoch_record_is_caught(db):
    # given
    _old_style_events()
    redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    # when: the kept old head is changed in the epoch table
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditepoch SET previous_head_hash = %s", ["f" * 64])
    # then
    event_seq = AuditEpoch.objects.get().event_seq
    assert redaction.verify_epochs() == [f"epoch 1 does not match its redaction event #{event_seq}"]
    with pytest.raises(CommandError, match="epochs do not hold"):
        call_command("verify_audit")


def test_s20_epochs_are_append_only(db):
    _old_style_events()
    redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    epoch = AuditEpoch.objects.get()
    with pytest.raises(AppendOnlyError):
        epoch.save()
    with pytest.raises(AppendOnlyError):
        AuditEpoch.objects.update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEpoch.objects.all().delete()


def test_s20_a_broken_chain_is_not_redacted(db):
    # given: a chain already edited behind its back
    events = _old_style_events()
    _tamper("UPDATE core_auditevent SET object_repr = 'forged' WHERE id = %s", [events[0].pk])
    # when / then: the redaction refuses (it would launder the edit) and writes nothing
    with pytest.raises(redaction.AuditChainBroken, match=f"#{events[0].seq}"):
        redaction.audit_redact(keys=KEYS, reason="certificate numbers were stored unmasked")
    assert not AuditEpoch.objects.exists()
    assert NUMBER in _raw_changes()


def test_s20_nothing_to_redact_opens_no_epoch_and_a_second_run_changes_nothing(db):
    # given: nothing secret in clear
    audit.record_event(actor=None, action="test.event", changes={"disability_certificate": [None, ""]})
    # then
    assert redaction.audit_redact(keys=KEYS, reason="nothing to do") is None
    assert not AuditEpoch.objects.exists()
    # a redaction run twice masks once (already-masked values are left alone)
    _old_style_events()
    assert redaction.audit_redact(keys=KEYS, reason="first") is not None
    assert redaction.audit_redact(keys=KEYS, reason="second") is None
    assert AuditEpoch.objects.count() == 1


def test_s20_the_data_migration_redacts_certificates_with_the_historical_models(db):
    # given: old-style events
    _old_style_events()
    name = "0004_encrypt_certificates_and_redact_audit"
    migration = importlib.import_module(f"zhulao.people.migrations.{name}")
    historical = MigrationExecutor(connection).loader.project_state(("people", name)).apps

    editor = SimpleNamespace(connection=connection)
    # when: the migration's forward step runs (values already encrypted are left as they are)
    migration.forward(historical, editor)
    # then
    assert NUMBER not in _raw_changes()
    assert AuditEpoch.objects.get().reason == migration.REASON
    assert audit.verify_chain().ok
    assert redaction.verify_epochs() == []
