"""Loading the Zhangzhou tree, resolving old codes, breadcrumbs, browsing and the region in focus."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhulao.core.exceptions import DomainError
from zhulao.core.models import AuditEvent
from zhulao.regions import selectors, services
from zhulao.regions.choices import RegionLevel
from zhulao.regions.context_processors import FOCUS_SESSION_KEY
from zhulao.regions.models import Region

BROWSE = reverse("regions:browse")
FOCUS = reverse("regions:set_focus")


# --- loading and resolving -----------------------------------------------------------------------------


def test_loading_zhangzhou_twice_changes_nothing_the_second_time(db):
    # when
    first = services.regions_load_zhangzhou()
    second = services.regions_load_zhangzhou()
    # then
    assert first["added"] == first["regions"] > 0
    assert second["added"] == 0
    assert second["regions"] == first["regions"] == Region.objects.count()
    city = Region.objects.under("3506")
    assert city.at_level(RegionLevel.COUNTY).count() == 11
    assert city.at_level(RegionLevel.TOWNSHIP).count() == 146
    assert AuditEvent.objects.filter(action="regions.load").count() == 1


def test_every_loaded_region_hangs_under_its_parent_code(db):
    services.regions_load_zhangzhou(with_synthetic_villages=False)
    for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent"):
        assert region.parent is not None
        assert region.contains(region.code)
        assert region.parent.contains(region.code)
        assert region.parent.level == region.level - 1


@pytest.mark.parametrize(
    ("old_code", "current"),
    [
        pytest.param("350681000000", "350604000000", id="longhai-city-to-district"),
        pytest.param("350625", "350605000000", id="changtai-county-short-code"),
        pytest.param("350681100000", "350604001000", id="shima-town-to-subdistrict"),
        pytest.param("350602", "350602000000", id="current-code-padded"),
    ],
)
def test_old_codes_resolve_to_the_current_region(db, old_code, current):
    # given
    services.regions_load_zhangzhou(with_synthetic_villages=False)
    # when / then
    assert selectors.region_resolve(old_code).code == current


@pytest.mark.parametrize("code", ["999999", "35060A", "3506021002001"])
def test_unknown_or_malformed_code_is_refused(db, code):
    services.regions_load_zhangzhou(with_synthetic_villages=False)
    with pytest.raises(DomainError) as exc:
        selectors.region_resolve(code)
    assert exc.value.code == "unknown_region"


def test_breadcrumb_of_a_village_runs_from_the_province(regions):
    crumbs = selectors.region_breadcrumb(regions["village_a"])
    assert [r.level for r in crumbs] == [1, 2, 3, 4, 5]
    assert [r.name for r in crumbs] == ["福建省", "漳州市", "芗城区", "浦南镇", "东山村"]


# --- browsing -----------------------------------------------------------------------------------------------


def test_civil_affairs_browses_a_village_of_own_county(civil_affairs_a, regions, client_for):
    # when
    response = client_for(civil_affairs_a).get(BROWSE, {"code": regions["village_a"].code})
    # then
    assert response.status_code == 200
    assert response.context["region"] == regions["village_a"]
    assert len(response.context["breadcrumb"]) == 5


def test_browsing_a_county_lists_only_its_children_in_scope(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(BROWSE, {"code": regions["county_a"].code})
    assert response.context["children"] == [regions["township_a"]]


def test_browse_without_a_code_starts_at_the_top_of_own_scope(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(BROWSE)
    assert response.status_code == 200
    assert response.context["roots"] == [regions["county_a"]]


def test_browsing_a_village_of_another_county_is_404(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).get(BROWSE, {"code": regions["village_b"].code})
    assert response.status_code == 404


def test_helper_cannot_browse_regions(helper_a, regions, client_for):
    response = client_for(helper_a).get(BROWSE, {"code": regions["village_a"].code})
    assert response.status_code == 403


def test_region_detail_redirects_to_browse(civil_affairs_a, regions, client_for):
    client = client_for(civil_affairs_a)
    response = client.get(reverse("regions:detail", args=[regions["village_a"].code]))
    assert response.status_code == 302
    assert response["Location"] == f"{BROWSE}?code={regions['village_a'].code}"
    assert client.get(reverse("regions:detail", args=[regions["village_b"].code])).status_code == 404


# --- the region in focus ---------------------------------------------------------------------------------


def test_setting_the_focus_inside_own_scope_is_remembered(civil_affairs_a, regions, client_for):
    # given
    client = client_for(civil_affairs_a)
    # when
    response = client.post(FOCUS, {"code": regions["township_a"].code, "next": BROWSE})
    # then
    assert response.status_code == 302
    assert response["Location"] == BROWSE
    assert client.session[FOCUS_SESSION_KEY] == regions["township_a"].code
    page = client.get(BROWSE)
    assert page.context["focus_region"] == regions["township_a"]


def test_setting_the_focus_outside_own_scope_is_404(civil_affairs_a, regions, client_for):
    client = client_for(civil_affairs_a)
    response = client.post(FOCUS, {"code": regions["village_b"].code})
    assert response.status_code == 404
    assert FOCUS_SESSION_KEY not in client.session


def test_setting_the_focus_never_redirects_off_site(civil_affairs_a, regions, client_for):
    response = client_for(civil_affairs_a).post(
        FOCUS, {"code": regions["village_a"].code, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:workbench")


def test_helper_cannot_set_a_focus(helper_a, regions, client_for):
    response = client_for(helper_a).post(FOCUS, {"code": regions["village_a"].code})
    assert response.status_code == 403
