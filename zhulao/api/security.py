"""The API's authentication: Django's session (with its CSRF check), after refusing NUL characters.

PostgreSQL cannot store a NUL character in text, so a NUL anywhere in a request (path, query string, JSON
body) would reach the database as a server error. Pages are safe already (Django's form fields refuse it);
the API refuses it here, before any parameter is parsed, as a 422 naming where it was.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth


class NulCharacter(Exception):
    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(field)


def reject_nul(request: HttpRequest) -> None:
    if "\x00" in request.path:
        raise NulCharacter("path")
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            raise NulCharacter(key.replace("\x00", "") or "query")
    body = request.body if request.method in ("POST", "PUT", "PATCH") else b""
    if b"\x00" in body or b"\\u0000" in body.lower():  # raw, or escaped in JSON
        raise NulCharacter("body")


class SessionAuthNoNul(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:  # an anonymous request is a 401 whatever it holds
            reject_nul(request)
        return user


session_auth = SessionAuthNoNul()
