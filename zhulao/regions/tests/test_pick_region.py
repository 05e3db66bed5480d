"""The one scoped region picker (``regions.selectors.pick_region``) behind every figures page, its API and the
focus bar: the region asked for when it is in scope, 404 for a code out of scope or unknown, the top of the
user's scope by default (the region in focus first, on pages and in the bar)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from zhulao.core.actions import Action
from zhulao.core.exceptions import Forbidden
from zhulao.core.querysets import ensure_scope, in_scope
from zhulao.regions import selectors
from zhulao.regions.context_processors import FOCUS_SESSION_KEY

pytestmark = pytest.mark.usefixtures("policy")  # the figures need the visit rules and group mapping

UNKNOWN_IN_SCOPE = "350602999000"  # a township code under 芗城区 that does not exist

PAGES = {
    "coverage": reverse("eldercare:coverage"),
    "operation": reverse("eldercare:operation"),
    "indicators": reverse("eldercare:indicators"),
}
APIS = {
    "coverage": ("/api/v1/care/coverage", "region"),
    "operation": ("/api/v1/care/operation", "region"),
    "indicators": ("/api/v1/care/indicators", "region_code"),
}


# --- the picker itself -----------------------------------------------------------------------------------


def test_s19_picker_gives_the_region_asked_for_within_scope(regions, civil_affairs_a):
    region = selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW, regions["township_a"].code)
    assert region == regions["township_a"]


def test_s19_picker_defaults_to_the_top_of_the_scope(regions, civil_affairs_a):
    assert selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW) == regions["county_a"]


@pytest.mark.parametrize("code", ["350603000000", UNKNOWN_IN_SCOPE, "not-a-code"])
def test_s19_picker_answers_404_out_of_scope_or_unknown(regions, civil_affairs_a, code):
    with pytest.raises(Http404):
        selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW, code)


def test_s19_picker_uses_the_focus_only_within_scope(regions, civil_affairs_a):
    # given: a focus inside the scope, then one outside it
    inside = selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW, focus=regions["village_a"].code)
    outside = selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW, focus=regions["county_b"].code)
    # then: the focus is a default, never a reason to fail
    stale = selectors.pick_region(civil_affairs_a, Action.ARCHIVE_VIEW, focus=UNKNOWN_IN_SCOPE)
    assert inside == regions["village_a"]
    assert outside == regions["county_a"]
    assert stale == regions["county_a"]
    # and a code asked for wins over the focus
    chosen = selectors.pick_region(
        civil_affairs_a, Action.ARCHIVE_VIEW, regions["township_a"].code, focus=regions["village_a"].code
    )
    assert chosen == regions["township_a"]


def test_s19_picker_is_403_without_the_action(regions, helper_a):
    with pytest.raises(Forbidden):
        selectors.pick_region(helper_a, Action.FACILITY_VIEW)


def test_scope_helper_and_the_service_check_keep_their_answer(regions, civil_affairs_a):
    assert in_scope("350602100000", ["350602"])
    assert not in_scope("350603100000", ["350602", "350623"])
    ensure_scope(civil_affairs_a, Action.ARCHIVE_VIEW, "350602")  # in scope: no error
    ensure_scope(None, Action.POLICY_EDIT, "350603")  # the system
    with pytest.raises(Forbidden) as exc:
        ensure_scope(civil_affairs_a, Action.ARCHIVE_VIEW, "350603")
    assert exc.value.code == "out_of_scope"


# --- pages: coverage (S14), operation figures (S3), indicators (S19) ------------------------------------


@pytest.mark.parametrize("family", sorted(PAGES))
def test_s19_figures_page_shows_the_region_chosen_in_scope(family, regions, civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(PAGES[family], {"township": regions["township_a"].code})
    assert response.status_code == 200
    assert response.context["region"] == regions["township_a"]


@pytest.mark.parametrize("family", sorted(PAGES))
@pytest.mark.parametrize("code", ["350603000000", UNKNOWN_IN_SCOPE])
def test_s19_figures_page_out_of_scope_or_unknown_is_404(family, code, regions, civil_affairs_a, client_for):
    assert client_for(civil_affairs_a).get(PAGES[family], {"township": code}).status_code == 404


@pytest.mark.parametrize("family", sorted(PAGES))
def test_s19_figures_page_defaults_to_the_focus_then_the_top_of_scope(family, regions, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    assert client.get(PAGES[family]).context["region"] == regions["county_a"]
    session = client.session
    session[FOCUS_SESSION_KEY] = regions["village_a"].code
    session.save()
    assert client.get(PAGES[family]).context["region"] == regions["village_a"]


# --- API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(APIS))
def test_s19_figures_api_gives_the_region_asked_for_or_the_top_of_scope(family, regions, civil_affairs_a, client_for):
    url, field = APIS[family]
    client = client_for(civil_affairs_a)
    chosen = client.get(url, {"region": regions["township_a"].code})
    default = client.get(url)
    assert (chosen.status_code, default.status_code) == (200, 200)
    assert chosen.json()[field] == regions["township_a"].code
    assert default.json()[field] == regions["county_a"].code


@pytest.mark.parametrize("family", sorted(APIS))
@pytest.mark.parametrize("code", ["350603000000", UNKNOWN_IN_SCOPE, "xyz"])
def test_s19_figures_api_out_of_scope_or_unknown_is_404(family, code, regions, civil_affairs_a, client_for):
    url, _field = APIS[family]
    assert client_for(civil_affairs_a).get(url, {"region": code}).status_code == 404


# --- the focus bar -----------------------------------------------------------------------------------------


def test_focus_bar_shows_the_focus_in_scope_and_the_top_otherwise(regions, civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    browse = reverse("regions:browse")
    assert client.get(browse).context["focus_region"] == regions["county_a"]
    session = client.session
    session[FOCUS_SESSION_KEY] = regions["county_b"].code  # out of scope: the top of the scope is shown
    session.save()
    assert client.get(browse).context["focus_region"] == regions["county_a"]
    session[FOCUS_SESSION_KEY] = regions["township_a"].code
    session.save()
    assert client.get(browse).context["focus_region"] == regions["township_a"]
