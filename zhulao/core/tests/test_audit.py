"""The audit trail: same-transaction writes, masking, append-only, and a tamper-evident hash chain.

No test here (or anywhere) uses ``transaction=True``: the append-only triggers refuse the flush
that transactional tests end with. Browser tests run against a separate server process instead.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from zhulao.core import audit
from zhulao.core.migrations import _triggers
from zhulao.core.models import AppendOnlyError, AuditEvent


def _events(n: int) -> list[AuditEvent]:
    return [audit.record_event(actor=None, action="test.event", object_repr=f"row {i}") for i in range(n)]


def test_chain_links_each_event_to_the_previous(db):
    # when
    first, second, third = _events(3)
    # then
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.row_hash
    assert third.prev_hash == second.row_hash
    assert [first.seq, second.seq, third.seq] == [first.seq, first.seq + 1, first.seq + 2]
    assert audit.verify_chain().ok


def test_sensitive_values_are_masked_in_the_diff():
    changes = audit.diff(
        {"id_number": "11010519491231002X", "phone": "13812345678", "name": "张三"},
        {"id_number": "53010219200508011X", "phone": "13912345678", "name": "张三"},
        sensitive={"id_number": "id_number", "phone": "phone"},
    )
    assert changes == {
        "id_number": ["110105************", "530102************"],
        "phone": ["138****5678", "139****5678"],
    }


def test_orm_refuses_update_and_delete(db):
    event = _events(1)[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_trigger_refuses_raw_update_and_delete(db):
    event = _events(1)[0]
    for sql in (
        "UPDATE core_auditevent SET action = 'changed' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "test.event"


def _tamper(sql: str, params: list[int]) -> None:
    """Edit the table as its owner would, with the append-only triggers switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute("DROP TRIGGER core_auditevent_no_delete")
            cursor.execute(sql, params)
            for statement in _triggers.SQLITE_FORWARD:
                cursor.execute(statement)


def test_verify_audit_reports_a_raw_sql_edit(db):
    # given
    events = _events(5)
    call_command("verify_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # when: someone with database access changes the third event
    _tamper("UPDATE core_auditevent SET object_repr = 'forged' WHERE seq = %s", [events[2].seq])
    # then
    with pytest.raises(CommandError, match=f"#{events[2].seq}"):
        call_command("verify_audit")


def test_verify_audit_reports_a_deleted_event(db):
    events = _events(4)
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [events[1].seq])
    report = audit.verify_chain()
    assert report.first_broken_seq == events[1].seq
    assert "missing" in report.problem


def test_audit_write_shares_the_callers_transaction(db):
    before = AuditEvent.objects.count()

    def failing_service() -> None:
        with transaction.atomic():
            audit.record_event(actor=None, action="test.rolled_back")
            raise RuntimeError("the service failed after writing its event")

    with pytest.raises(RuntimeError):
        failing_service()
    assert AuditEvent.objects.count() == before


def test_sequence_is_unique(db):
    event = _events(1)[0]
    clone = AuditEvent(
        seq=event.seq, occurred_at=event.occurred_at, action="x", prev_hash=event.prev_hash, row_hash="0" * 64
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
