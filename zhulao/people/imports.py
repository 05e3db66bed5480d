"""The spreadsheet import of persons (candidates), on the generic machinery in ``zhulao.core.imports``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.imports import specs
from zhulao.core.querysets import in_scope
from zhulao.people import services
from zhulao.people.choices import EmploymentRegistration, EmploymentStatus
from zhulao.people.services import routing
from zhulao.regions.models import Region

_YES = {"是", "有", "yes", "y", "1", "true"}
_NO = {"否", "无", "no", "n", "0", "false"}


def parse_yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(_("Write 是 or 否."))


def parse_village(raw: str) -> str:
    code = raw.strip()
    if not (code.isdigit() and len(code) == 12):
        raise ValueError(_("A village code has 12 digits."))
    return code


def parse_grade(raw: str) -> int:
    if raw.strip() not in {"1", "2", "3", "4"}:
        raise ValueError(_("The disability grade is 1, 2, 3 or 4."))
    return int(raw.strip())


def _choice(choices: type[Any]) -> Any:
    by_label = {str(label): value for value, label in choices.choices}

    def parse(raw: str) -> str:
        text = raw.strip()
        if text in choices.values:
            return text
        if text in by_label:
            return str(by_label[text])
        raise ValueError(_("Not one of: %(values)s") % {"values": "、".join(by_label)})

    return parse


COLUMNS = (
    specs.Column("name", "姓名", True, specs.parse_text, "陈志明", text=False),
    specs.Column("id_number", "身份证号", True, specs.parse_id_number, "35060219800101123X"),
    specs.Column("village", "村居代码", True, parse_village, "350602100200"),
    specs.Column(
        "hukou_region_code",
        "户籍地代码",
        False,
        parse_village,
        "350602100200",
        help=gettext_lazy("Empty: the same village."),
    ),
    specs.Column("phone", "手机号", False, specs.parse_text, "13800000000"),
    specs.Column("bank_account", "银行账号", False, specs.parse_text, ""),
    specs.Column("disability_certificate", "残疾证号", False, specs.parse_text, ""),
    specs.Column("disability_grade", "残疾等级", False, parse_grade, "", text=False),
    specs.Column("employment_registration", "就业登记", False, _choice(EmploymentRegistration), "失业登记", text=False),
    specs.Column("employment_registered_on", "登记日期", False, specs.parse_date, "2024-03-01", text=False),
    specs.Column("employment_status", "就业状态", False, _choice(EmploymentStatus), "未就业", text=False),
    specs.Column("willing_to_work", "就业意愿", False, parse_yes_no, "是", text=False),
    specs.Column("able_to_work", "劳动能力", False, parse_yes_no, "是", text=False),
)


def _data(values: dict[str, Any], region: Region) -> services.PersonData:
    return services.PersonData(
        name=values["name"],
        id_number=values["id_number"],
        region=region,
        hukou_region_code=values.get("hukou_region_code") or "",
        phone=values.get("phone") or "",
        bank_account=values.get("bank_account") or "",
        disability_certificate=values.get("disability_certificate") or "",
        disability_grade=values.get("disability_grade"),
        employment_registration=values.get("employment_registration") or "",
        employment_registered_on=values.get("employment_registered_on"),
        employment_status=values.get("employment_status") or EmploymentStatus.UNEMPLOYED,
        willing_to_work=values.get("willing_to_work"),
        able_to_work=values.get("able_to_work"),
    )


def save_row(actor: Any, values: dict[str, Any], region_prefixes: list[str]) -> specs.RowOutcome:
    """Create the person, update it when the sheet changed it, or leave it when identical."""
    code = values["village"]
    if not in_scope(code, region_prefixes):
        # A DomainError naming the column (not Forbidden), so the error list says which cell is wrong.
        raise DomainError("out_of_scope", _("This village is outside your own scope."), field="village")
    region = Region.objects.filter(code=code, level=5).first()
    if region is None:
        raise DomainError("unknown_region", _("Village code %(code)s is unknown.") % {"code": code}, field="village")
    data = _data(values, region)
    existing = services.find_by_id_number(values["id_number"])
    if existing is None:
        services.person_create(actor=actor, data=data)
        return specs.RowOutcome.CREATED
    if not in_scope(existing.region_id, region_prefixes):
        if routing.in_reach(actor, existing):
            message = _("This person is registered in another region.")
            raise DomainError("registered_elsewhere", message, field="id_number")
        # Out of the uploader's reach: say only that the number cannot be used; the holding county is told.
        raise routing.unavailable(
            lambda: routing.person_route_held_elsewhere(actor=actor, person=existing, entered_in=code)
        )
    before = existing.updated_at
    data.retirement_track = existing.retirement_track
    updated = services.person_update(actor=actor, person=existing, data=data)
    return specs.RowOutcome.UNCHANGED if updated.updated_at == before else specs.RowOutcome.UPDATED


SPEC = specs.ImportSpec(
    kind="persons",
    label=gettext_lazy("Persons (candidates)"),
    columns=COLUMNS,
    action=Action.PERSON_IMPORT,
    dedupe_key=lambda values: str(values.get("id_number") or ""),
    dedupe_column="id_number",
    save_row=save_row,
    sensitive={
        "id_number": "id_number",
        "phone": "phone",
        "bank_account": "bank_account",
        "disability_certificate": "disability_certificate",
        "name": "name",
    },
    description=gettext_lazy("One row per person. A person already registered is updated, never duplicated."),
)
