"""Errors raised by services: a stable code for the API and a translated message for people."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule said no. ``code`` is stable (API clients switch on it); ``message`` is for people.

    ``field`` names the form field the error belongs to, when there is one.
    """

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Forbidden(PermissionDenied):
    """The actor's roles do not allow this action (HTTP 403). Carries a stable code too."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
