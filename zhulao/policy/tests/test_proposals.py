"""A change of the post quota: a preview step that writes nothing, then a second administrator approves."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.policy import services
from zhulao.policy.models import ParameterProposal, PolicyParameter, ProposalStatus
from zhulao.posts.choices import FacilityKind
from zhulao.posts.models import Post
from zhulao.posts.tests import factories as f

QUOTA = {"service_center": 1, "home_care_station": 1, "happiness_home": 1}
ADD = reverse("policy:add")
PROPOSALS = reverse("policy:proposals")


@pytest.fixture
def second_admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, "city", username="second_admin")


@pytest.fixture
def center(regions, policy, civil_affairs_a):
    return f.make_facility(
        civil_affairs_a,
        regions["township_a"],
        kind=FacilityKind.SERVICE_CENTER,
        name="浦南镇养老服务照料中心",
        opened_on=date(2025, 1, 6),
    )


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "key": "facility.post_quota",
        "region_prefix": "3506",
        "effective_from": "2025-07-01",
        "value": json.dumps(QUOTA),
        "source": "漳州市 test notice",
        "confidence": "CONFIRMED",
        "note": "",
    }
    data.update(overrides)
    return data


def _propose(actor) -> ParameterProposal:
    return services.parameter_propose(
        actor=actor,
        key="facility.post_quota",
        value=QUOTA,
        effective_from=date(2025, 7, 1),
        source="test",
        confidence="CONFIRMED",
        region_prefix="3506",
    )


def _quota_rows() -> int:
    return PolicyParameter.objects.filter(key="facility.post_quota").count()


# --- the preview step ----------------------------------------------------------------------------------


def test_s2_the_form_first_shows_the_posts_the_quota_would_close_and_writes_nothing(center, system_admin, client_for):
    # given
    client = client_for(system_admin)
    rows_before, posts_before, events_before = _quota_rows(), Post.objects.count(), AuditEvent.objects.count()
    # when: a quota of one post per service center is entered
    response = client.post(ADD, _form())
    # then: the preview page lists the center's post 2 as closing; nothing is written
    assert response.status_code == 200
    preview = response.context["preview"]
    (row,) = preview.rows
    assert row.closes == (str(center.posts.get(number=2)),)
    assert str(center.posts.get(number=2)) in response.content.decode()
    assert 'name="confirmed"' in response.content.decode()
    assert (_quota_rows(), Post.objects.count(), AuditEvent.objects.count()) == (
        rows_before,
        posts_before,
        events_before,
    )
    assert not ParameterProposal.objects.exists()


def test_s2_confirming_the_preview_proposes_the_value_and_records_nothing_yet(center, system_admin, client_for):
    rows_before = _quota_rows()
    # when
    response = client_for(system_admin).post(ADD, {**_form(), "confirmed": "1"})
    # then
    assert response.status_code == 302
    assert response["Location"] == PROPOSALS
    proposal = ParameterProposal.objects.get()
    assert (proposal.status, proposal.proposed_by, proposal.value) == (ProposalStatus.PENDING, system_admin, QUOTA)
    assert _quota_rows() == rows_before
    assert AuditEvent.objects.filter(action="policy.propose", actor=system_admin).exists()


def test_s2_a_key_without_a_preview_is_recorded_at_once(system_admin, client_for):
    response = client_for(system_admin).post(
        ADD, _form(key="eligibility.working_age_min", value="18", region_prefix="3506")
    )
    assert response.status_code == 302
    assert PolicyParameter.objects.get(key="eligibility.working_age_min").value == 18


# --- maker–checker -----------------------------------------------------------------------------------------


def test_s2_a_user_cannot_add_a_quota_directly(policy, system_admin):
    with pytest.raises(DomainError) as refused:
        services.parameter_add(
            actor=system_admin,
            key="facility.post_quota",
            value=QUOTA,
            effective_from=date(2025, 7, 1),
            source="test",
            confidence="CONFIRMED",
            region_prefix="3506",
        )
    assert refused.value.code == "needs_approval"


def test_s2_the_proposer_cannot_approve_their_own_proposal(policy, system_admin):
    proposal = _propose(system_admin)
    with pytest.raises(Forbidden) as refused:
        services.parameter_approve(actor=system_admin, proposal=proposal)
    assert refused.value.code == "same_person"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not PolicyParameter.objects.filter(key="facility.post_quota", effective_from=date(2025, 7, 1)).exists()


def test_s2_a_second_administrator_approves_and_the_value_is_recorded_and_audited(policy, system_admin, second_admin):
    proposal = _propose(system_admin)
    # when
    row = services.parameter_approve(actor=second_admin, proposal=proposal, note="checked against the notice")
    # then
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.parameter) == (ProposalStatus.APPROVED, second_admin, row)
    assert (row.value, row.recorded_by) == (QUOTA, system_admin)
    approve = AuditEvent.objects.get(action="policy.approve")
    assert approve.actor == second_admin
    assert approve.reason == "checked against the notice"
    assert AuditEvent.objects.get(action="policy.add", object_id=str(row.pk)).actor == second_admin
    # and: it cannot be approved twice
    with pytest.raises(DomainError) as again:
        services.parameter_approve(actor=second_admin, proposal=proposal)
    assert again.value.code == "already_decided"


def test_s2_other_roles_cannot_approve(policy, system_admin, civil_affairs_a, security_admin):
    proposal = _propose(system_admin)
    for actor in (civil_affairs_a, security_admin):
        with pytest.raises(Forbidden):
            services.parameter_approve(actor=actor, proposal=proposal)


def test_s2_a_rejection_needs_a_reason_and_records_nothing(policy, system_admin, second_admin):
    proposal = _propose(system_admin)
    with pytest.raises(DomainError):
        services.parameter_reject(actor=second_admin, proposal=proposal, reason=" ")
    services.parameter_reject(actor=second_admin, proposal=proposal, reason="not in the notice")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.parameter is None
    assert AuditEvent.objects.get(action="policy.reject").actor == second_admin


def test_s2_only_the_proposer_withdraws(policy, system_admin, second_admin):
    proposal = _propose(system_admin)
    with pytest.raises(Forbidden):
        services.parameter_withdraw(actor=second_admin, proposal=proposal)
    services.parameter_withdraw(actor=system_admin, proposal=proposal, reason="typo")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_s2_a_proposal_out_of_bounds_is_refused(policy, system_admin):
    with pytest.raises(DomainError) as refused:
        services.parameter_propose(
            actor=system_admin,
            key="facility.post_quota",
            value={**QUOTA, "service_center": 3},
            effective_from=date(2025, 7, 1),
            source="test",
            confidence="CONFIRMED",
            region_prefix="3506",
        )
    assert refused.value.code == "invalid_value"
    assert not ParameterProposal.objects.exists()


# --- the proposals page -------------------------------------------------------------------------------------


def test_s2_the_second_administrator_sees_the_preview_and_approves_on_the_page(
    center, system_admin, second_admin, client_for
):
    proposal = _propose(system_admin)
    client = client_for(second_admin)
    # when
    page = client.get(PROPOSALS)
    # then
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert row["may_decide"] is True
    assert str(center.posts.get(number=2)) in page.content.decode()
    response = client.post(reverse("policy:proposal_decide", args=[proposal.pk, "approve"]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_s2_the_proposer_sees_no_approve_button(policy, system_admin, client_for):
    _propose(system_admin)
    page = client_for(system_admin).get(PROPOSALS)
    (row,) = page.context["rows"]
    assert row["may_decide"] is False


def test_s2_the_proposals_page_is_403_for_civil_affairs(civil_affairs_a, client_for):
    assert client_for(civil_affairs_a).get(PROPOSALS).status_code == 403


def test_s2_a_proposal_of_another_city_is_404(policy, system_admin, make_user, client_for):
    proposal = _propose(system_admin)
    outsider = make_user(Role.SYSTEM_ADMIN, "county_b", username="county_admin")
    response = client_for(outsider).post(reverse("policy:proposal_decide", args=[proposal.pk, "approve"]))
    assert response.status_code == 404
