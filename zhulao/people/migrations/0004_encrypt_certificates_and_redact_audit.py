"""Encrypt the disability certificate and evidence certificate numbers already stored, and mask the
certificate numbers copied in clear into old audit diffs (a new audit chain epoch, ADR 0010).

Forward: every value not yet encrypted (``v1$…``) is encrypted with the personal-data key and its masked
copy is filled in; then ``core.redaction.audit_redact`` masks ``disability_certificate`` in every audit diff in
one transaction, keeps the old chain head in an ``AuditEpoch`` row and appends an ``audit.redact`` event.
It refuses (and the migration fails, changing nothing) if the chain does not verify first.

Backward: the values are decrypted again (so that 0003 can be reversed); the audit redaction is not
undone (the clear values are gone, on purpose).
"""

from django.db import migrations

REASON = (
    "Disability certificate numbers (the holder's ID number + 2 digits) were stored unmasked in audit diffs; "
    "replaced by their mask (migration people 0004, ADR 0010)."
)


def _rewrite(schema_editor, table, column, masked_column, transform, mask):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, value in rows:
            new = transform(value)
            if new is None:
                continue
            params = [new, mask(new)] if mask else [new]
            sets = f"{quote(column)} = %s" + (f", {quote(masked_column)} = %s" if mask else "")
            cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE id = %s", [*params, pk])  # noqa: S608


def forward(apps, schema_editor):
    from zhulao.core import crypto, redaction
    from zhulao.rules import masking

    def certificate(value):
        return None if value.startswith(f"{crypto.PREFIX}$") else "".join(value.split()).upper()

    def evidence_number(value):
        return None if value.startswith(f"{crypto.PREFIX}$") else value.strip()

    for table, column, masked, clean, mask in (
        (
            "people_person",
            "disability_certificate",
            "disability_certificate_masked",
            certificate,
            masking.mask_disability_certificate,
        ),
        (
            "people_evidence",
            "certificate_number",
            "certificate_number_masked",
            evidence_number,
            masking.mask_id_numbers_in_text,
        ),
    ):
        # the masked copy first (from the clear value), then the encrypted value
        _rewrite(schema_editor, table, column, masked, clean, mask)
        _rewrite(
            schema_editor,
            table,
            column,
            masked,
            lambda value: None if value.startswith(f"{crypto.PREFIX}$") else crypto.encrypt(value),
            None,
        )
    redaction.audit_redact(
        keys={"disability_certificate": "disability_certificate"},
        reason=REASON,
        event_model=apps.get_model("core", "AuditEvent"),
        epoch_model=apps.get_model("core", "AuditEpoch"),
    )


def backward(apps, schema_editor):
    from zhulao.core import crypto

    for table, column in (
        ("people_person", "disability_certificate"),
        ("people_evidence", "certificate_number"),
    ):
        _rewrite(
            schema_editor,
            table,
            column,
            "",
            lambda value: crypto.decrypt(value) if value.startswith(f"{crypto.PREFIX}$") else None,
            None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_encrypt_certificate_numbers"),
        ("core", "0004_audit_epoch"),
    ]
    operations = [migrations.RunPython(forward, backward)]
