"""Every error leaves the API as ``{"code": ..., "message": ...}`` with a fitting status.

Bad input also names what was wrong: ``"field"`` (the first field at fault, as it is called in the request:
``name``, ``ids.0``, ``on``, ``body``) and, for a schema validation, ``"errors"``: one ``{"field", "message",
"type"}`` per problem. A refusal by a service (``DomainError``) is a 400, a schema validation a 422, a body
that cannot be parsed a 400, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhulao.api.security import NulCharacter
from zhulao.core.exceptions import DomainError

# Where ninja says a value came from, and the names our endpoints give their body and query schemas: neither
# is part of the field as the client wrote it.
_LOCATIONS = frozenset({"body", "query", "path", "form", "header", "cookie", "file"})
_CONTAINERS = frozenset({"payload", "filters"})

_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "throttled"}


def field_name(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in _CONTAINERS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _problems(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Only the parts a client needs (pydantic's ``ctx`` may hold exception objects that are not JSON)."""
    return [
        {"field": field_name(e.get("loc", ())), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors
    ]


def _invalid(api: NinjaAPI, request: HttpRequest, problems: list[dict[str, str]], status: int) -> HttpResponse:
    first = problems[0] if problems else {"field": "body", "message": "Invalid input."}
    body = {
        "code": "invalid_input",
        "message": f"{first['field']}: {first['message']}",
        "field": first["field"],
        "errors": problems,
    }
    return api.create_response(request, body, status=status)


# Every operation may answer these, always in the error shape; the schema says so (schemathesis checks it).
ERROR_STATUSES = {
    "400": "Refused: a business rule, a body that is not JSON or a model check (code, message, field).",
    "401": "Not signed in.",
    "403": "The role does not carry the action, or the CSRF check failed.",
    "404": "Not found, or outside the user's scope.",
    "413": "The request body is too large.",
    "422": "The input does not fit the schema (field, errors).",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}},
            },
        },
    },
}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of an OpenAPI schema."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description, **error})
    return schema


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body = {"code": exc.code, "message": str(exc)}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        code = getattr(exc, "code", "forbidden")
        return api.create_response(request, {"code": code, "message": str(exc)}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"code": "not_found", "message": "Not found."}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "unauthenticated", "message": "Authentication required."}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own refusals: a body that is not JSON, a failed CSRF check."""
        body: dict[str, str] = {"code": _HTTP_CODES.get(exc.status_code, "error"), "message": str(exc)}
        if exc.status_code == 400:
            body.update(code="invalid_json", field="body")
        elif "CSRF" in str(exc):
            body["code"] = "csrf_failed"
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        body = {"code": "request_too_big", "message": "The request body is too large.", "field": "body"}
        return api.create_response(request, body, status=413)

    @api.exception_handler(NulCharacter)
    def nul(request: HttpRequest, exc: NulCharacter) -> HttpResponse:
        problem = {"field": exc.field, "message": "NUL characters are not allowed.", "type": "nul_character"}
        return _invalid(api, request, [problem], 422)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _invalid(api, request, _problems(exc.errors), 422)

    @api.exception_handler(pydantic.ValidationError)
    def invalid_value(request: HttpRequest, exc: pydantic.ValidationError) -> HttpResponse:
        """A schema checked inside an endpoint (a value shaped by its key, say)."""
        return _invalid(api, request, _problems([dict(e) for e in exc.errors(include_url=False)]), 422)

    @api.exception_handler(DjangoValidationError)
    def invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        """A model's own checks (``full_clean`` in a service) caught what the schema let through."""
        if hasattr(exc, "error_dict"):
            problems = [
                {"field": "body" if name == "__all__" else name, "message": str(message), "type": "model"}
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            problems = [{"field": "body", "message": str(m), "type": "model"} for m in exc.messages]
        return _invalid(api, request, problems, 400)
