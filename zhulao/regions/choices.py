"""Region levels and organisation kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    """The five levels of the statistical code tree, with the length of their code prefix."""

    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village / community")


# Significant digits of a 12-digit code at each level: scope is a prefix filter on these.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


class OrganizationKind(models.TextChoices):
    """Bodies that take part in the programme; each sits at one region level."""

    CIVIL_AFFAIRS = "civil_affairs", _("Civil Affairs bureau")
    HR = "hr", _("HR & Social Security bureau")
    FINANCE = "finance", _("Finance bureau")
    EMPLOYMENT_CENTER = "employment_center", _("Employment service center")
    TOWNSHIP_GOVERNMENT = "township_government", _("Township government")
    STREET_OFFICE = "street_office", _("Street office")
    VILLAGE_COMMITTEE = "village_committee", _("Village committee")
    COMMUNITY_COMMITTEE = "community_committee", _("Community committee")


ORGANIZATION_LEVELS: dict[str, frozenset[int]] = {
    OrganizationKind.CIVIL_AFFAIRS: frozenset({RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY}),
    OrganizationKind.HR: frozenset({RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY}),
    OrganizationKind.FINANCE: frozenset({RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY}),
    OrganizationKind.EMPLOYMENT_CENTER: frozenset({RegionLevel.CITY, RegionLevel.COUNTY}),
    OrganizationKind.TOWNSHIP_GOVERNMENT: frozenset({RegionLevel.TOWNSHIP}),
    OrganizationKind.STREET_OFFICE: frozenset({RegionLevel.TOWNSHIP}),
    OrganizationKind.VILLAGE_COMMITTEE: frozenset({RegionLevel.VILLAGE}),
    OrganizationKind.COMMUNITY_COMMITTEE: frozenset({RegionLevel.VILLAGE}),
}
