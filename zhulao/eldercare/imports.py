"""Spreadsheet import of elder archives, on the generic machinery of ``zhulao.core.imports``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhulao.core.actions import Action
from zhulao.core.exceptions import DomainError
from zhulao.core.imports import specs
from zhulao.core.querysets import in_scope
from zhulao.eldercare import services
from zhulao.eldercare.choices import ElderCategory
from zhulao.eldercare.models import ElderArchive
from zhulao.people import services as people_services
from zhulao.people.imports import parse_village
from zhulao.regions.models import Region

# Chinese short names accepted in the 类别 column (also the codes themselves).
CATEGORY_NAMES = {
    "特困": "tekun",
    "低保": "dibao",
    "低保边缘": "dibao_edge",
    "失能": "disabled_care",
    "半失能": "disabled_care",
    "空巢": "empty_nest",
    "独居": "living_alone",
    "留守": "left_behind",
    "孤寡": "widowed_childless",
    "计生特殊": "fp_special",
    "计生特殊家庭": "fp_special",
    "重残": "severely_disabled",
    "优抚": "entitled",
}


def parse_categories(raw: str) -> list[str]:
    codes = []
    for part in raw.replace("，", ",").replace("、", ",").split(","):
        name = part.strip()
        if not name:
            continue
        code = CATEGORY_NAMES.get(name, name)
        if code not in ElderCategory.values or code == ElderCategory.ADVANCED_AGE:
            raise ValueError(_("Unknown category: %(name)s") % {"name": name})
        codes.append(code)
    return sorted(set(codes))


CATEGORY_HELP = gettext_lazy(
    "Separate with 、 or commas: 特困 低保 低保边缘 失能 空巢 独居 留守 孤寡 计生特殊 重残 优抚"
)

COLUMNS = (
    specs.Column("name", "姓名", True, specs.parse_text, "陈阿婆", text=False),
    specs.Column("id_number", "身份证号", True, specs.parse_id_number, "350602194003031228"),
    specs.Column("village", "村居代码", True, parse_village, "350602100200"),
    specs.Column(
        "categories",
        "类别",
        True,
        parse_categories,
        "留守、独居",
        text=False,
        help=gettext_lazy("Separate with 、 or commas: 特困 低保 低保边缘 失能 空巢 独居 留守 孤寡 计生特殊 重残 优抚"),
    ),
    specs.Column("living_conditions", "居住情况", False, specs.parse_text, "独居平房", text=False),
    specs.Column("service_needs", "服务需求", False, specs.parse_text, "助餐", text=False),
)


def save_row(actor: Any, values: dict[str, Any], region_prefixes: list[str]) -> specs.RowOutcome:
    code = values["village"]
    if not in_scope(code, region_prefixes):
        raise DomainError("out_of_scope", _("This village is outside your own scope."), field="village")
    region = Region.objects.filter(code=code, level=5).first()
    if region is None:
        raise DomainError("unknown_region", _("Village code %(code)s is unknown.") % {"code": code}, field="village")
    person = people_services.find_by_id_number(values["id_number"])
    created = person is None
    if person is None:
        person = people_services.person_create(
            actor=actor,
            data=people_services.PersonData(
                name=values["name"], id_number=values["id_number"], region=region, employment_status="retired"
            ),
        )
    texts = {k: values.get(k) or "" for k in ("living_conditions", "service_needs")}
    archive = ElderArchive.objects.filter(person=person).first()
    if archive is None:
        services.archive_create(actor=actor, person=person, categories=values["categories"], **texts)
        return specs.RowOutcome.CREATED
    before = archive.updated_at
    updated = services.archive_update(actor=actor, archive=archive, categories=values["categories"], **texts)
    if created or updated.updated_at != before:
        return specs.RowOutcome.UPDATED
    return specs.RowOutcome.UNCHANGED


SPEC = specs.ImportSpec(
    kind="elders",
    label=gettext_lazy("Elder archives"),
    columns=COLUMNS,
    action=Action.ARCHIVE_EDIT,
    dedupe_key=lambda values: str(values.get("id_number") or ""),
    dedupe_column="id_number",
    save_row=save_row,
    sensitive={"id_number": "id_number", "name": "name"},
    description=gettext_lazy("One row per elderly person; an archive already there is updated, never duplicated."),
)
