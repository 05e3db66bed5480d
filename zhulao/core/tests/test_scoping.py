"""The one scoping point: per-action scope, other region → 404, wrong role → 403 (S20 groundwork)."""

from __future__ import annotations

import pytest
from django.http import Http404

from zhulao.accounts import services as account_services
from zhulao.accounts.roles import Role
from zhulao.core.actions import Action
from zhulao.core.exceptions import Forbidden
from zhulao.regions.models import Region


def test_county_user_sees_only_own_county(civil_affairs_a, regions):
    # when
    visible = set(Region.objects.visible_to(civil_affairs_a, Action.REGION_VIEW).values_list("code", flat=True))
    # then
    assert regions["village_a"].code in visible
    assert regions["county_a"].code in visible
    assert regions["village_b"].code not in visible
    assert regions["city"].code not in visible


def test_other_region_object_is_404(civil_affairs_a, regions):
    with pytest.raises(Http404):
        Region.objects.get_for_user(civil_affairs_a, Action.REGION_VIEW, code=regions["village_b"].code)


def test_action_without_role_is_403(helper_a, regions):
    with pytest.raises(Forbidden):
        Region.objects.get_for_user(helper_a, Action.REGION_VIEW, code=regions["village_a"].code)


def test_scope_is_per_action_not_union(make_user, regions):
    # given: Civil Affairs in 芗城区 and security administrator … no: a business user holding
    # civil affairs in A and village employer in B
    user = make_user(Role.CIVIL_AFFAIRS, "county_a", username="two_hats")
    account_services.role_grant(actor=None, user=user, role=Role.VILLAGE_EMPLOYER, region=regions["village_b"])
    user.forget_permissions()
    # then: region.view is carried by both roles, so both regions are visible for it …
    assert sorted(user.scope_prefixes(Action.REGION_VIEW)) == ["350602", "350603103200"]
    # … but an action only civil affairs carries would use only county A (checked in later apps);
    # here the audit action is carried by neither
    assert user.scope_prefixes(Action.AUDIT_VIEW) == []


def test_anonymous_sees_nothing(db, regions):
    from django.contrib.auth.models import AnonymousUser

    assert not Region.objects.visible_to(AnonymousUser(), Action.REGION_VIEW).exists()


def test_disabled_user_sees_nothing(civil_affairs_a, regions):
    civil_affairs_a.is_active = False
    civil_affairs_a.forget_permissions()
    assert civil_affairs_a.scope_prefixes(Action.REGION_VIEW) == []
