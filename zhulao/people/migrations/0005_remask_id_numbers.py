"""Recompute the stored masked ID numbers under the one masking rule (only the address code).

The previous rule also kept the last four characters, which together with the birth date or the
birth year shown beside them let anyone rebuild the number (docs/permissions.md, "Masking").
Reversing restores the old format from the encrypted number.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _remask(apps: Any, _schema_editor: Any) -> None:
    from zhulao.rules.masking import mask_id_number

    person_model = apps.get_model("people", "Person")
    for person in person_model.objects.only("pk", "id_number_masked").iterator():
        masked = mask_id_number(person.id_number_masked)
        if masked != person.id_number_masked:
            person_model.objects.filter(pk=person.pk).update(id_number_masked=masked)


def _restore_old_mask(apps: Any, _schema_editor: Any) -> None:
    person_model = apps.get_model("people", "Person")
    for person in person_model.objects.only("pk", "id_number").iterator():
        number = "".join((person.id_number or "").split()).upper()
        old = number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)  # noqa: PLR2004
        person_model.objects.filter(pk=person.pk).update(id_number_masked=old)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_encrypt_certificates_and_redact_audit")]

    operations = [migrations.RunPython(_remask, _restore_old_mask, elidable=True)]
