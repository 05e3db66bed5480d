"""What every API module shares."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from zhulao.accounts.models import User


def actor(request: HttpRequest) -> User:
    """The signed-in user (django_auth has already refused anonymous requests)."""
    return cast(User, request.user)
