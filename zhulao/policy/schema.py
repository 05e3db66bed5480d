"""A small schema language for policy values: types, required fields, bounds and allowed values.

Every key of ``zhulao.policy.keys`` has one schema. ``check(value)`` raises ``InvalidValue`` with a
reason in words that names the field and the bound ("service_center: 3 is above the maximum 2");
``describe()`` gives the same rules as one line for the documentation and the add form.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


class InvalidValue(ValueError):
    """A value that does not fit its key's schema; ``str()`` is the reason in words."""


def _at(path: str, message: str | Promise) -> InvalidValue:
    text = str(message)
    return InvalidValue(f"{path}: {text}" if path else text)


class Schema(ABC):
    """What one value (or one part of it) may be: ``check`` raises ``InvalidValue`` with the reason."""

    @abstractmethod
    def check(self, value: Any, path: str = "") -> None: ...

    @abstractmethod
    def describe(self) -> str: ...


@dataclass(frozen=True)
class Int(Schema):
    """A whole number (never a boolean) between ``min`` and ``max`` inclusive."""

    min: int
    max: int

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _at(path, _("%(value)s is not a whole number") % {"value": _show(value)})
        if value < self.min:
            raise _at(path, _("%(value)s is below the minimum %(min)s") % {"value": value, "min": self.min})
        if value > self.max:
            raise _at(path, _("%(value)s is above the maximum %(max)s") % {"value": value, "max": self.max})

    def describe(self) -> str:
        return f"integer {self.min}–{self.max}"


@dataclass(frozen=True)
class Dec(Schema):
    """A decimal written as a string ("0.16", "1720") or a whole number, between ``min`` and ``max``."""

    min: Decimal
    max: Decimal

    def check(self, value: Any, path: str = "") -> None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _at(path, _('%(value)s is not a decimal written as a string, e.g. "0.16"') % {"value": _show(value)})
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            number = Decimal("NaN")
        if not number.is_finite():
            raise _at(path, _("%(value)s is not a decimal number") % {"value": _show(value)})
        if number < self.min:
            raise _at(path, _("%(value)s is below the minimum %(min)s") % {"value": value, "min": self.min})
        if number > self.max:
            raise _at(path, _("%(value)s is above the maximum %(max)s") % {"value": value, "max": self.max})

    def describe(self) -> str:
        return f"decimal string {self.min}–{self.max}"


@dataclass(frozen=True)
class Bool(Schema):
    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, bool):
            raise _at(path, _("%(value)s is not true or false") % {"value": _show(value)})

    def describe(self) -> str:
        return "true / false"


@dataclass(frozen=True)
class Enum(Schema):
    """One of ``values`` (strings)."""

    values: tuple[str, ...]

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, str) or value not in self.values:
            raise _at(
                path,
                _("%(value)s is not one of %(allowed)s") % {"value": _show(value), "allowed": _choices(self.values)},
            )

    def describe(self) -> str:
        return "one of " + _choices(self.values)


@dataclass(frozen=True)
class IsoDate(Schema):
    def check(self, value: Any, path: str = "") -> None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise _at(path, _("%(value)s is not an ISO date (YYYY-MM-DD)") % {"value": _show(value)}) from None

    def describe(self) -> str:
        return "ISO date"


@dataclass(frozen=True)
class Nullable(Schema):
    inner: Schema

    def check(self, value: Any, path: str = "") -> None:
        if value is not None:
            self.inner.check(value, path)

    def describe(self) -> str:
        return f"null or {self.inner.describe()}"


@dataclass(frozen=True)
class ListOf(Schema):
    item: Schema
    min_items: int = 0
    max_items: int = 1000
    unique: bool = True

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, list):
            raise _at(path, _("a list is required"))
        if not self.min_items <= len(value) <= self.max_items:
            raise _at(
                path,
                _("%(count)s items; between %(min)s and %(max)s are allowed")
                % {"count": len(value), "min": self.min_items, "max": self.max_items},
            )
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]")
        if self.unique and len({repr(v) for v in value}) != len(value):
            raise _at(path, _("an item is listed twice"))

    def describe(self) -> str:
        return f"list of {self.min_items}–{self.max_items} × ({self.item.describe()})"


@dataclass(frozen=True)
class Obj(Schema):
    """A mapping with exactly the named ``fields`` (all required unless listed in ``optional``)."""

    fields: Mapping[str, Schema]
    optional: frozenset[str] = frozenset()

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, dict):
            raise _at(path, _("a mapping with the fields %(fields)s is required") % {"fields": _choices(self.fields)})
        missing = [name for name in self.fields if name not in value and name not in self.optional]
        if missing:
            raise _at(path, _("the field %(field)s is required") % {"field": _choices(missing)})
        unknown = sorted(str(name) for name in value if name not in self.fields)
        if unknown:
            raise _at(
                path,
                _("unknown field %(field)s (allowed: %(allowed)s)")
                % {"field": _choices(unknown), "allowed": _choices(self.fields)},
            )
        for name, schema in self.fields.items():
            if name in value:
                schema.check(value[name], _join(path, name))

    def describe(self) -> str:
        parts = [f"{name}{'?' if name in self.optional else ''}: {s.describe()}" for name, s in self.fields.items()]
        return "{" + "; ".join(parts) + "}"

    def bound(self, name: str) -> int | None:
        """The maximum of an integer field (e.g. the most posts a facility kind may have)."""
        schema = self.fields.get(name)
        return schema.max if isinstance(schema, Int) else None


@dataclass(frozen=True)
class MapOf(Schema):
    """A mapping from keys matching ``key_pattern`` (or listed in ``keys``) to values of one schema."""

    value: Schema
    key_pattern: str = ""
    keys: tuple[str, ...] = ()
    min_items: int = 1
    max_items: int = 100

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, dict):
            raise _at(path, _("a mapping is required"))
        if not self.min_items <= len(value) <= self.max_items:
            raise _at(
                path,
                _("%(count)s entries; between %(min)s and %(max)s are allowed")
                % {"count": len(value), "min": self.min_items, "max": self.max_items},
            )
        for name, item in value.items():
            if self.keys and name not in self.keys:
                raise _at(
                    path,
                    _("unknown entry %(field)s (allowed: %(allowed)s)")
                    % {"field": _show(name), "allowed": _choices(self.keys)},
                )
            if self.key_pattern and not re.fullmatch(self.key_pattern, str(name)):
                raise _at(path, _("%(field)s is not an allowed entry name") % {"field": _show(name)})
            self.value.check(item, _join(path, str(name)))

    def describe(self) -> str:
        names = _choices(self.keys) if self.keys else f"/{self.key_pattern}/"
        most = min(self.max_items, len(self.keys)) if self.keys else self.max_items
        return f"{self.min_items}–{most} entries {names} → {self.value.describe()}"


@dataclass(frozen=True)
class Checked(Schema):
    """A schema plus a rule across fields (e.g. deadlines that must grow from level to level)."""

    inner: Schema
    rule: Callable[[Any], None]
    rule_text: str = ""

    def check(self, value: Any, path: str = "") -> None:
        self.inner.check(value, path)
        try:
            self.rule(value)
        except InvalidValue:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise _at(path, str(exc)) from exc

    def describe(self) -> str:
        return f"{self.inner.describe()}; {self.rule_text}" if self.rule_text else self.inner.describe()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def _choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)
