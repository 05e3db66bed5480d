"""Login accounts for hired helpers (S8 → S14): ``placement_account_issue`` through the service, the placement
page, the API and the ``issue_helper_accounts`` command.

Who may issue: the employer side (``pairing.manage`` in the placement's region) or HR (``application.hire``);
another region is refused (404 on the page and the API), another role too (403).
"""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from zhulao.accounts.models import RoleAssignment, User
from zhulao.accounts.roles import Role
from zhulao.core.exceptions import DomainError, Forbidden
from zhulao.core.models import AuditEvent
from zhulao.eldercare import selectors as eldercare_selectors
from zhulao.eldercare import services as eldercare_services
from zhulao.eldercare.tests import factories as elders
from zhulao.people.models import Person
from zhulao.posts import services
from zhulao.posts.choices import PlacementEndReason
from zhulao.posts.models import Placement
from zhulao.posts.services.accounts import one_time_password
from zhulao.posts.tests import factories as f
from zhulao.regions.models import Organization

pytestmark = pytest.mark.usefixtures("policy")

VILLAGE_A = "350602100200"


@pytest.fixture
def hr_b(make_user):
    return make_user(Role.HR, "county_b", username="hr_county_b")


@pytest.fixture
def station_placement(regions, crew, station, applicant) -> Placement:
    """The applicant of village_a hired at village_a's station from 2026-01-05."""
    (post,) = f.open_posts(station)
    return f.hired_helper(crew, post, applicant, region=regions["county_a"])


@pytest.fixture
def center_placement(regions, crew, center) -> Placement:
    """A woman of village_a hired at township_a's service center (a township-level post) from 2026-01-05."""
    person = f.eligible_person(regions["village_a"], name="黄美玲", born=date(1978, 2, 3))
    return f.hired_helper(crew, f.open_posts(center)[0], person, region=regions["county_a"])


def issue(actor: Any, placement: Placement) -> tuple[User, str]:
    return services.placement_account_issue(actor=actor, placement=placement)


# ------------------------------------------------------------------------------------------ the service


def test_s8_the_village_employer_issues_the_station_helpers_account(village_a, station_placement):
    # given
    person = station_placement.person
    # when
    user, password = issue(village_a, station_placement)
    # then: an account in the person's name, its one-time password, tied to the person
    assert user.full_name == person.name
    assert user.username == "zly0210020001"
    assert user.check_password(password)
    assert Person.objects.get(pk=person.pk).user == user
    # the helper role at the helper's village, for the village committee, for the placement's period
    (assignment,) = RoleAssignment.objects.filter(user=user)
    assert (assignment.role, assignment.region_id) == (Role.HELPER, VILLAGE_A)
    assert assignment.organization == Organization.objects.get(region_id=VILLAGE_A, kind="village_committee")
    assert (assignment.valid_from, assignment.valid_until) == (
        station_placement.started_on,
        station_placement.planned_end,
    )
    assert assignment.granted_by is None  # granted by the system, as a consequence of the placement
    # the issuing actor is recorded in the same transaction, beside the system's account events
    event = AuditEvent.objects.get(action="placement.account_issue")
    assert (event.actor, event.object_id) == (village_a, str(station_placement.public_id))
    assert event.changes["username"] == [None, user.username]
    for action in ("user.create", "role.grant", "person.link_user"):
        assert AuditEvent.objects.filter(action=action, actor__isnull=True).exists()


def test_s14_an_issued_helper_can_be_paired_with_an_elder_of_the_township(regions, village_a, station_placement):
    # given
    user, _password = issue(village_a, station_placement)
    archive = elders.make_elder(regions["village_a"])
    # when
    pairing = eldercare_services.pairing_assign(actor=village_a, archive=archive, helper=User.objects.get(pk=user.pk))
    # then
    assert pairing.helper == user
    assert user in eldercare_selectors.helpers_for_archive(archive, on=date(2026, 12, 1))


@pytest.mark.parametrize("actor", ["township_a", "hr_a"])
def test_s8_the_township_and_hr_may_issue_a_station_helpers_account(request, station_placement, actor):
    # when
    user, _password = issue(request.getfixturevalue(actor), station_placement)
    # then
    assert user.has_role(Role.HELPER)


@pytest.mark.parametrize("actor", ["township_a", "hr_a"])
def test_s8_a_center_helper_gets_the_role_at_the_village_where_she_lives(request, center_placement, actor):
    # when: the center is a township-level post
    user, _password = issue(request.getfixturevalue(actor), center_placement)
    # then
    assert RoleAssignment.objects.get(user=user).region_id == VILLAGE_A


@pytest.mark.parametrize(
    ("actor", "placement"),
    [
        ("village_b", "station_placement"),
        ("hr_b", "station_placement"),
        ("village_a", "center_placement"),  # the center's employer is the township, above the village
    ],
)
def test_s8_an_issuer_of_another_region_is_refused(request, actor, placement):
    # given
    placement = request.getfixturevalue(placement)
    # when / then
    with pytest.raises(Forbidden) as refused:
        issue(request.getfixturevalue(actor), placement)
    assert refused.value.code == "out_of_scope"
    assert not User.objects.filter(username__startswith="zly").exists()


@pytest.mark.parametrize("actor", ["civil_affairs_a", "employment_center_a", "helper_a"])
def test_s8_a_role_that_neither_employs_nor_hires_is_refused(request, station_placement, actor):
    with pytest.raises(Forbidden) as refused:
        issue(request.getfixturevalue(actor), station_placement)
    assert refused.value.code == "forbidden"
    assert Person.objects.get(pk=station_placement.person_id).user is None


def test_s8_no_account_for_an_ended_placement(crew, village_a, station_placement):
    # given
    with f.on(date(2026, 6, 30)):
        services.placement_end(
            actor=crew.hr, placement=station_placement, ended_on=date(2026, 6, 30), reason=PlacementEndReason.RESIGNED
        )
    # when / then
    with pytest.raises(DomainError) as refused:
        issue(village_a, station_placement)
    assert refused.value.code == "placement_ended"
    assert not User.objects.filter(username__startswith="zly").exists()


def test_s8_no_account_after_the_planned_end_of_the_placement(village_a, station_placement):
    # given: the day after the placement's planned end (it was never ended on the platform)
    after = station_placement.planned_end.replace(year=station_placement.planned_end.year + 1)
    # when / then
    with pytest.raises(DomainError) as refused, f.on(after):
        issue(village_a, station_placement)
    assert refused.value.code == "placement_over"
    assert station_placement.planned_end.isoformat() in str(refused.value)


def test_s8_a_second_account_is_refused_and_the_first_is_named(village_a, township_a, station_placement):
    # given
    user, _password = issue(village_a, station_placement)
    # when / then
    with pytest.raises(DomainError) as refused:
        issue(township_a, station_placement)
    assert refused.value.code == "already_has_account"
    assert user.username in str(refused.value)
    assert User.objects.filter(username__startswith="zly").count() == 1


def test_s8_a_person_without_a_village_gets_no_account(regions, village_a, township_a, station_placement):
    # given: the record was moved to the township itself (written straight to the table: an imported record)
    Person.objects.filter(pk=station_placement.person_id).update(region=regions["township_a"])
    # when / then
    with pytest.raises(DomainError) as refused:
        issue(township_a, station_placement)
    assert refused.value.code == "no_village"
    assert not User.objects.filter(username__startswith="zly").exists()
    assert not AuditEvent.objects.filter(action="placement.account_issue").exists()


def test_s8_a_helper_living_outside_the_posts_township_gets_no_account(regions, village_a, station_placement):
    # given: the record says she lives in 龙文区 (written straight to the table)
    Person.objects.filter(pk=station_placement.person_id).update(region=regions["village_b"])
    # when / then
    with pytest.raises(DomainError) as refused:
        issue(village_a, station_placement)
    assert refused.value.code == "village_outside_township"


def test_s8_usernames_of_one_village_are_numbered(regions, crew, village_a, station_placement, center_placement):
    # when: two helpers live in village_a
    first, _p1 = issue(village_a, station_placement)
    second, _p2 = issue(None, center_placement)
    # then
    assert (first.username, second.username) == ("zly0210020001", "zly0210020002")


def test_s8_the_one_time_password_always_passes_the_password_rules():
    for _ in range(300):
        password = one_time_password()
        validate_password(password, User(username="zly0210020001"))
        assert len(password) >= 10


# ------------------------------------------------------------------------------------------ the page


def account_url(placement: Placement) -> str:
    return reverse("posts:placement_account", args=[placement.public_id])


def test_s8_the_placement_page_offers_the_button_to_the_employer(village_a, station_placement, client_for):
    response = client_for(village_a).get(station_placement.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_issue_account"] is True
    assert b'data-testid="issue-account"' in response.content


def test_s8_the_placement_page_hides_the_button_from_civil_affairs(civil_affairs_a, station_placement, client_for):
    response = client_for(civil_affairs_a).get(station_placement.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_issue_account"] is False
    assert b'data-testid="issue-account"' not in response.content


def test_s8_the_button_shows_the_username_and_the_password_once(village_a, station_placement, client_for):
    # given
    client = client_for(village_a)
    # when
    response = client.post(account_url(station_placement))
    # then
    assert response.status_code == 200
    user = Person.objects.get(pk=station_placement.person_id).user
    assert user is not None
    password = response.context["password"]
    assert user.check_password(password)
    assert f'data-testid="issued-password">{password}<'.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    # the placement page now shows the account, never the password, and no button
    page = client.get(station_placement.get_absolute_url())
    assert user.username.encode() in page.content
    assert password.encode() not in page.content
    assert page.context["can_issue_account"] is False


def test_s8_a_second_press_is_refused_with_a_message(village_a, station_placement, client_for):
    # given
    client = client_for(village_a)
    client.post(account_url(station_placement))
    # when
    response = client.post(account_url(station_placement))
    # then
    assert response.status_code == 302
    assert response["Location"] == station_placement.get_absolute_url()
    assert User.objects.filter(username__startswith="zly").count() == 1


@pytest.mark.parametrize("actor", ["village_b", "hr_b"])
def test_s8_the_button_of_another_region_is_404(request, station_placement, client_for, actor):
    response = client_for(request.getfixturevalue(actor)).post(account_url(station_placement))
    assert response.status_code == 404
    assert Person.objects.get(pk=station_placement.person_id).user is None


@pytest.mark.parametrize("actor", ["civil_affairs_a", "helper_a"])
def test_s8_the_button_is_forbidden_to_another_role(request, station_placement, client_for, actor):
    response = client_for(request.getfixturevalue(actor)).post(account_url(station_placement))
    assert response.status_code == 403
    assert Person.objects.get(pk=station_placement.person_id).user is None


def test_s8_the_button_only_takes_a_post(village_a, station_placement, client_for):
    assert client_for(village_a).get(account_url(station_placement)).status_code == 405


# ------------------------------------------------------------------------------------------ the API


def api(client: Client, placement: Placement) -> Any:
    return client.post(f"/api/v1/placements/{placement.public_id}/account", {}, content_type="application/json")


def test_s8_the_api_issues_the_account(hr_a, station_placement, client_for):
    # when
    response = api(client_for(hr_a), station_placement)
    # then
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username=body["username"])
    assert user.check_password(body["one_time_password"])
    assert (body["role"], body["region_code"]) == (Role.HELPER, VILLAGE_A)
    assert response["Cache-Control"] == "no-store"


def test_s8_the_api_refuses_a_second_account_with_its_code(hr_a, station_placement, client_for):
    client = client_for(hr_a)
    api(client, station_placement)
    response = api(client, station_placement)
    assert response.status_code == 400
    assert response.json()["code"] == "already_has_account"


def test_s8_the_api_of_another_region_is_404(hr_b, station_placement, client_for):
    assert api(client_for(hr_b), station_placement).status_code == 404


@pytest.mark.parametrize("actor", ["civil_affairs_a", "helper_a"])
def test_s8_the_api_is_forbidden_to_another_role(request, station_placement, client_for, actor):
    response = api(client_for(request.getfixturevalue(actor)), station_placement)
    assert response.status_code == 403
    assert Person.objects.get(pk=station_placement.person_id).user is None


def test_s8_the_api_needs_a_session(station_placement):
    assert api(Client(), station_placement).status_code == 401


# ------------------------------------------------------------------------------------------ the command


def test_s8_the_command_issues_every_missing_account_and_keeps_the_passwords_off_the_terminal(
    tmp_path: Path, village_a, station_placement, center_placement
):
    # given
    out = tmp_path / "accounts.csv"
    stdout = io.StringIO()
    # when
    call_command("issue_helper_accounts", "--out", str(out), stdout=stdout)
    # then
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # the header and two helpers
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    for line in lines[1:]:
        username, password, *_rest = line.split(",")
        assert User.objects.get(username=username).check_password(password)
        assert password not in stdout.getvalue()
    assert "2 issued, 0 skipped" in stdout.getvalue()
    # a second run issues nothing (into a new file: an existing one is never overwritten)
    again = io.StringIO()
    call_command("issue_helper_accounts", "--out", str(tmp_path / "again.csv"), stdout=again)
    assert "0 issued" in again.getvalue()
    with pytest.raises(CommandError):
        call_command("issue_helper_accounts", "--out", str(out), stdout=io.StringIO())


def test_s8_the_command_keeps_to_the_region_and_counts_the_refusals(
    tmp_path: Path, regions, station_placement, center_placement
):
    # given: the center helper's record lies in a township, not a village
    Person.objects.filter(pk=center_placement.person_id).update(region=regions["township_a"])
    stdout = io.StringIO()
    # when: only the station's village (the center lies at the township, outside the prefix)
    call_command("issue_helper_accounts", "--region", VILLAGE_A, "--out", str(tmp_path / "a.csv"), stdout=stdout)
    # then
    assert "1 issued, 0 skipped" in stdout.getvalue()
    # when: the whole township
    call_command("issue_helper_accounts", "--region", "350602100", "--out", str(tmp_path / "b.csv"), stdout=stdout)
    # then
    assert "0 issued, 1 skipped (no_village: 1)" in stdout.getvalue()


def test_s8_ending_the_placement_ends_the_helper_role_that_day(village_a, crew, station_placement):
    # given: an issued account with the helper role until the planned end
    user, _password = issue(village_a, station_placement)
    grant = user.assignments.get(role=Role.HELPER)
    assert grant.valid_until == station_placement.planned_end
    # when: HR ends the placement
    ended = date(2026, 6, 30)
    with f.on(ended):
        services.placement_end(
            actor=crew.hr, placement=station_placement, ended_on=ended, reason=PlacementEndReason.RESIGNED
        )
    # then: the role stops that day (no access to elders' data afterwards), audited
    grant.refresh_from_db()
    assert grant.valid_until == ended
    assert AuditEvent.objects.filter(action="placement.account_close").count() == 1
