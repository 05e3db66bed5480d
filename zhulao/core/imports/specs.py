"""What a spreadsheet import looks like: its columns, who may run it, and how one row is saved.

Core knows no domain. A domain app describes its import as an :class:`ImportSpec` and registers it
from its ``AppConfig.ready()``::

    from zhulao.core.imports import specs

    specs.register(specs.ImportSpec(
        kind="people", label=_("People"), columns=(...), action=Action.PERSON_IMPORT,
        dedupe_key=lambda v: v["id_number"], save_row=person_import_row, ...
    ))

The contract of ``save_row(actor, values, region_prefixes)``:

- ``values`` maps every column key to the value its ``parse`` returned, or ``None`` for an empty
  optional cell. Required cells are never empty; cells that failed ``parse`` never reach it.
- ``region_prefixes`` is the uploader's scope for the spec's action when the file was uploaded; the
  row must be saved inside it (raise ``Forbidden`` or ``DomainError`` otherwise).
- It calls the domain's service and returns :class:`RowOutcome`. It runs inside its own savepoint,
  so whatever it raises leaves nothing half-written: ``DomainError`` (its ``field`` may name a
  column key), ``ValueError``, ``ValidationError`` and ``PermissionDenied`` make the row a bad row
  with that message; anything else stops the job as failed.
- It must be **dedupe-aware**: for a record that already exists with the same values it returns
  ``UNCHANGED`` and writes nothing. Uploading the same file twice then creates nothing new, and a job
  run again after a failure only fills in what is missing.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhulao.rules import idcard


class RowOutcome(enum.StrEnum):
    """What ``save_row`` did with a good row."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Column:
    """One column of the sheet.

    ``header`` is the (Chinese) header text written in the template and matched in uploads (the
    ``key`` is accepted too). ``parse`` gets the cell as stripped, non-empty text and returns the
    value, or raises ``ValueError`` with a translated message. ``text`` formats the template column
    as text, so Excel keeps leading zeros and long numbers (ID and phone numbers).
    """

    key: str
    header: str
    required: bool
    parse: Callable[[str], Any]
    example: str = ""
    help: str | Promise = ""
    text: bool = True


@dataclass(frozen=True)
class ImportSpec:
    """A registered kind of import. See the module docstring for the ``save_row`` contract.

    ``dedupe_key(values)`` returns the identity of a parsed row (e.g. the normalised ID number), or
    ``""`` for none; a second row of the same file with the same key is reported as a bad row that
    names the first, in ``dedupe_column``. ``sensitive`` maps column keys to a masking kind of
    ``zhulao.core.audit.MASKERS`` (``"id_number"``, ``"phone"``, ``"bank_account"``,
    ``"disability_certificate"``, ``"name"``): their values are stored masked in the error list (any
    other column's value has its ID-shaped numbers masked).
    """

    kind: str
    label: str | Promise
    columns: tuple[Column, ...]
    action: str
    dedupe_key: Callable[[Mapping[str, Any]], str]
    save_row: Callable[[Any, dict[str, Any], list[str]], RowOutcome]
    sensitive: Mapping[str, str] = field(default_factory=dict)
    dedupe_column: str = ""
    description: str | Promise = ""

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if not re.fullmatch(r"[a-z0-9_]{1,50}", self.kind):
            raise ValueError(f"import kind {self.kind!r} must be 1-50 of a-z, 0-9 and _")
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"import {self.kind!r}: column keys must be present and unique")
        if len({c.header for c in self.columns}) != len(keys):
            raise ValueError(f"import {self.kind!r}: column headers must be unique")
        unknown = (set(self.sensitive) | ({self.dedupe_column} - {""})) - set(keys)
        if unknown:
            raise ValueError(f"import {self.kind!r}: unknown column keys {sorted(unknown)}")

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


_REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    """Make ``spec`` available under ``/imports/<kind>/``. Call it from the app's ``ready()``."""
    from zhulao.core.audit import MASKERS  # needs the models loaded: by ready() they are

    bad_kinds = set(spec.sensitive.values()) - set(MASKERS)
    if bad_kinds:
        raise ValueError(f"import {spec.kind!r}: unknown masking kinds {sorted(bad_kinds)}")
    existing = _REGISTRY.get(spec.kind)
    if existing is not None and existing is not spec:
        raise ValueError(f"an import of kind {spec.kind!r} is registered already")
    _REGISTRY[spec.kind] = spec
    return spec


def unregister(kind: str) -> None:
    """Forget a kind (for tests)."""
    _REGISTRY.pop(kind, None)


def get_spec(kind: str) -> ImportSpec:
    """The spec registered as ``kind``; ``LookupError`` when there is none."""
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(kind) from None


def all_specs() -> list[ImportSpec]:
    return sorted(_REGISTRY.values(), key=lambda s: s.kind)


# ---------------------------------------------------------------------------------------------
# Parsers shared by the domain specs. Each takes stripped, non-empty text.


def parse_text(raw: str) -> str:
    """Text with inner runs of whitespace collapsed to one space."""
    return " ".join(raw.split())


_DATE_FORMS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
# A date that another program wrote with a midnight time of day.
_MIDNIGHT = re.compile(r"[T\s]+00:00(?::00(?:\.0+)?)?$")


def parse_date(raw: str) -> date:
    """``1990-01-31``, ``1990/1/31``, ``1990.1.31``, ``19900131`` or ``1990年1月31日``."""
    text = "".join(_MIDNIGHT.sub("", raw.strip()).split())
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(_("There is no such day: %(value)s.") % {"value": raw}) from None
    raise ValueError(_("Not a date: write it as YYYY-MM-DD, for example 1990-01-31."))


def parse_id_number(raw: str) -> str:
    """A resident ID number (GB 11643), normalised to 18 upper-case characters."""
    try:
        return idcard.parse_id_number(raw, today=timezone.localdate()).number
    except idcard.IdNumberError as exc:
        # The rule's own message names the failing part (length, birth date, check digit with the
        # expected character), in the uploader's language.
        chinese = (translation.get_language() or "zh-hans").startswith("zh")
        raise ValueError(exc.message_zh if chinese else exc.message_en) from None
