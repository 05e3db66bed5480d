"""/api/v1/: session-authenticated JSON API with OpenAPI docs at /api/v1/docs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Swagger

from zhulao.api import errors
from zhulao.api.security import session_auth
from zhulao.api.v1 import core, eldercare, emergencies, operations, people, posts


# Swagger UI from ninja's static files ("ninja" in INSTALLED_APPS), under the site's strict CSP; no validator
# badge (it would load an image from the validator's site).
class ZhulaoAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The schema, with the error answers every operation may give (``errors.ERROR_STATUSES``)."""
        return errors.document(super().get_openapi_schema(*args, **kwargs))


api = ZhulaoAPI(
    title="Zhulao API",
    version="1",
    urls_namespace="api-v1",
    auth=session_auth,
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.install(api)
api.add_router("/", core.router, tags=["core"])
api.add_router("/", people.router, tags=["people"])
api.add_router("/", posts.router, tags=["recruitment"])
api.add_router("/", eldercare.router, tags=["elder care"])
api.add_router("/", emergencies.router, tags=["emergencies and notifications"])
api.add_router("/", operations.router, tags=["facility operation"])


# The schema and its docs page carry no auth of their own: they stay behind the login redirect.
_SIGNED_IN_ONLY = frozenset({"openapi-json", "openapi-view"})


def _unwrap_login_required(patterns: list[Any]) -> list[Any]:
    """The API answers 401 itself (django_auth), so its endpoints opt out of the login redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _unwrap_login_required(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name not in _SIGNED_IN_ONLY:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


urls = api.urls
_unwrap_login_required(urls[0])
