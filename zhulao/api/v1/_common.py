"""What every API module shares: the signed-in user, and the bounded types every input is checked against at
the edge (a 422 naming the field, never a database overflow or a date out of range deep inside)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

from django.db import models
from django.db.models import Model
from django.http import HttpRequest
from pydantic import AfterValidator, Field

from zhulao.accounts.models import User

MAX_DB_INT = 2**63 - 1  # the largest id a database integer column holds
# The days a date in the API may name: far enough from year 1 and 9999 that no date arithmetic overflows;
# the services refuse what is implausible for their own reasons (future_date, policy_missing…).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 12, 31)


def _moment_in_range(value: datetime) -> datetime:
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        raise ValueError(f"Give a time from {FIRST_DAY.year} to {LAST_DAY.year}.")
    return value


DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Moment = Annotated[datetime, AfterValidator(_moment_in_range)]


def actor(request: HttpRequest) -> User:
    """The signed-in user (django_auth has already refused anonymous requests)."""
    return cast(User, request.user)


def max_length(model: type[Model], field: str, default: Any = ...) -> Any:
    """A schema field no longer than the model's column (``name: str = max_length(Person, "name")``)."""
    column = model._meta.get_field(field)
    assert isinstance(column, models.Field)
    return Field(default, max_length=column.max_length)
