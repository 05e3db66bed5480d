"""Errors raised by services: a stable code for the API and a translated message for people."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule said no. ``code`` is stable (API clients switch on it); ``message`` is for people.

    ``field`` names the form field the error belongs to, when there is one. ``followup``, when given, is
    work that must survive the refusal (e.g. routing a case to other staff): a caller that catches the
    error after rolling back a savepoint runs it (the spreadsheet import does).
    """

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        field: str | None = None,
        followup: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.followup = followup

    def __str__(self) -> str:
        return str(self.message)


class Forbidden(PermissionDenied):
    """The actor's roles do not allow this action (HTTP 403). Carries a stable code too."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
