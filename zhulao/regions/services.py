"""Writes to the region tree and organisations. Reference data: loaded by commands, audited."""

from __future__ import annotations

from django.db import transaction

from zhulao.core.audit import record_event
from zhulao.regions.choices import OrganizationKind, RegionLevel
from zhulao.regions.data import zhangzhou
from zhulao.regions.models import Organization, Region, RegionAlias


def _upsert(code: str, name: str, level: int, parent: Region | None, urban_rural_code: str = "") -> Region:
    region, created = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": parent, "urban_rural_code": urban_rural_code},
    )
    if not created and (region.name, region.urban_rural_code) != (name, urban_rural_code):
        region.name, region.urban_rural_code = name, urban_rural_code
        region.full_clean()
        region.save(update_fields=["name", "urban_rural_code"])
    return region


@transaction.atomic
def regions_load_zhangzhou(*, with_synthetic_villages: bool = True) -> dict[str, int]:
    """Load Fujian → Zhangzhou → 11 counties → township units (POLICY §5) and aliases; idempotent.

    Villages and communities are synthetic but correctly coded (no official list is shipped).
    """
    before = Region.objects.count()
    province = _upsert(*zhangzhou.PROVINCE, level=RegionLevel.PROVINCE, parent=None)
    city = _upsert(*zhangzhou.CITY, level=RegionLevel.CITY, parent=province)
    counties = {code[:6]: _upsert(code, name, RegionLevel.COUNTY, city) for code, name in zhangzhou.COUNTIES}
    villages = 0
    for code, name, kind in zhangzhou.TOWNSHIPS:
        township = _upsert(code, name, RegionLevel.TOWNSHIP, counties[code[:6]])
        if with_synthetic_villages:
            for v_code, v_name, class_code in zhangzhou.synthetic_villages(code, kind):
                _upsert(v_code, v_name, RegionLevel.VILLAGE, township, class_code)
                villages += 1
    for old_code, new_code, note in zhangzhou.ALIASES:
        RegionAlias.objects.update_or_create(old_code=old_code, defaults={"region_id": new_code, "note": note})
    added = Region.objects.count() - before
    if added:
        record_event(
            actor=None,
            action="regions.load",
            object_type="regions.region",
            object_repr="漳州市",
            region_code=city.code,
            changes={"added": [0, added]},
        )
    return {"regions": Region.objects.count(), "added": added, "villages": villages}


ORGANIZATION_NAMES: dict[str, str] = {
    OrganizationKind.CIVIL_AFFAIRS: "{}民政局",
    OrganizationKind.HR: "{}人力资源和社会保障局",
    OrganizationKind.FINANCE: "{}财政局",
    OrganizationKind.EMPLOYMENT_CENTER: "{}就业服务中心",
    OrganizationKind.TOWNSHIP_GOVERNMENT: "{}人民政府",
    OrganizationKind.STREET_OFFICE: "{}办事处",
    OrganizationKind.VILLAGE_COMMITTEE: "{}村民委员会",
    OrganizationKind.COMMUNITY_COMMITTEE: "{}居民委员会",
}


def organization_kind_for(region: Region) -> list[str]:
    """The organisation kinds that exist at a region, by level (and 街道 vs 镇/乡, 村 vs 社区)."""
    if region.level in (RegionLevel.CITY, RegionLevel.COUNTY):
        return [
            OrganizationKind.CIVIL_AFFAIRS,
            OrganizationKind.HR,
            OrganizationKind.FINANCE,
            OrganizationKind.EMPLOYMENT_CENTER,
        ]
    if region.level == RegionLevel.TOWNSHIP:
        suffix = int(region.code[6:9])
        if suffix < 100:
            return [OrganizationKind.STREET_OFFICE]
        if suffix < 400:
            return [OrganizationKind.TOWNSHIP_GOVERNMENT]
        return []
    if region.level == RegionLevel.VILLAGE:
        return [
            OrganizationKind.COMMUNITY_COMMITTEE if int(region.code[9:]) < 200 else OrganizationKind.VILLAGE_COMMITTEE
        ]
    return []


def _org_name(kind: str, region: Region) -> str:
    name = region.name
    if kind == OrganizationKind.VILLAGE_COMMITTEE and name.endswith("村"):
        name = name[:-1]
    if kind == OrganizationKind.COMMUNITY_COMMITTEE and name.endswith("社区"):
        name = name[:-2] + "社区"
        return name + "居民委员会"
    if kind == OrganizationKind.STREET_OFFICE:
        return name + "办事处"
    return ORGANIZATION_NAMES[kind].format(name)


@transaction.atomic
def organizations_load(*, under: str = "3506") -> int:
    """One organisation of each applicable kind at every region under ``under``; idempotent."""
    existing = set(Organization.objects.values_list("kind", "region_id"))
    new = []
    for region in Region.objects.filter(code__startswith=under).order_by("code"):
        for kind in organization_kind_for(region):
            if (kind, region.code) not in existing:
                new.append(Organization(kind=kind, region=region, name=_org_name(kind, region)))
    Organization.objects.bulk_create(new, batch_size=500)
    if new:
        record_event(
            actor=None,
            action="organizations.load",
            object_type="regions.organization",
            region_code=under.ljust(12, "0"),
            changes={"added": [0, len(new)]},
        )
    return len(new)
