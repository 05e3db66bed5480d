"""After every migration, the audit table still has its append-only triggers.

On SQLite, a later migration that alters ``core_auditevent`` rebuilds the table and silently drops
its triggers; this test fails then, and the migration must re-create them (see migrations/_triggers.py).
"""

from __future__ import annotations

from django.db import connection


def test_audit_table_keeps_its_triggers_after_all_migrations(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal"
            )
            expected = {
                "core_auditevent_no_update",
                "core_auditevent_no_delete",
                "core_auditevent_no_truncate",
            }
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
            expected = {"core_auditevent_no_update", "core_auditevent_no_delete"}
        names = {row[0] for row in cursor.fetchall()}
    assert expected <= names
