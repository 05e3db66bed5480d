"""Model fields for personal data: encrypted at rest, decrypted on load."""

from __future__ import annotations

from typing import Any

from django.db import models

from zhulao.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Stores ``v1$<key id>$<base64(nonce+ciphertext)>``; Python code sees plain text.

    It cannot be filtered on: look values up through their blind index column instead.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
