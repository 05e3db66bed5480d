"""Signing in and out: generic errors, lockout, disabled accounts, audit, session handling, headers."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import base_user, hashers
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from zhulao.accounts import services, views
from zhulao.accounts.forms import LoginForm
from zhulao.accounts.models import User
from zhulao.core import throttle
from zhulao.core.models import AuditEvent, RateCounter
from zhulao.core.testing.fixtures import PASSWORD

LOGIN = reverse("accounts:login")
WORKBENCH = reverse("core:workbench")


def _post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def _in_chinese(message) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def test_login_page_is_public_and_chinese_by_default(db):
    # when
    response = Client().get(LOGIN)
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-CN"' in html
    compiled = Path(settings.BASE_DIR, "locale", "zh_Hans", "LC_MESSAGES", "django.mo")
    if compiled.exists():
        assert "登录" in html


def test_correct_login_goes_to_the_workbench(civil_affairs_a):
    # when
    response = _post_login(Client(), civil_affairs_a.username, PASSWORD)
    # then
    assert response.status_code == 302
    assert response["Location"] == WORKBENCH


def test_username_is_matched_ignoring_case(civil_affairs_a):
    response = _post_login(Client(), civil_affairs_a.username.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_generic_answer(civil_affairs_a):
    # when
    wrong_password = _post_login(Client(), civil_affairs_a.username, "Not#The1Password")
    unknown_user = _post_login(Client(), "nobody_here", "Not#The1Password")
    # then
    generic = _in_chinese(LoginForm.error_messages["invalid_login"])
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert _errors(wrong_password) == _errors(unknown_user) == [generic]
    assert generic in wrong_password.content.decode()


def test_account_locks_after_the_failure_limit_and_unlocks_after_the_lockout(civil_affairs_a):
    # given: LOGIN_FAIL_LIMIT wrong passwords in a row
    client = Client()
    for _ in range(settings.LOGIN_FAIL_LIMIT):
        _post_login(client, civil_affairs_a.username, "Not#The1Password")
    # when: the right password
    locked = _post_login(client, civil_affairs_a.username, PASSWORD)
    # then: refused, with the same answer as a wrong password (the lock is not announced)
    assert locked.status_code == 200
    assert _errors(locked) == [_in_chinese(LoginForm.error_messages["invalid_login"])]
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(civil_affairs_a.public_id)).exists()
    # when: the clock has moved past the lockout
    later = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        unlocked = _post_login(client, civil_affairs_a.username, PASSWORD)
    # then
    assert unlocked.status_code == 302
    assert unlocked["Location"] == WORKBENCH
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.failed_login_count == 0
    assert civil_affairs_a.locked_until is None


def test_one_failure_short_of_the_limit_does_not_lock(civil_affairs_a):
    client = Client()
    for _ in range(settings.LOGIN_FAIL_LIMIT - 1):
        _post_login(client, civil_affairs_a.username, "Not#The1Password")
    assert _post_login(client, civil_affairs_a.username, PASSWORD).status_code == 302


def test_successful_login_resets_the_failure_count(civil_affairs_a):
    # given: failures, then a success
    client = Client()
    for _ in range(settings.LOGIN_FAIL_LIMIT - 1):
        _post_login(client, civil_affairs_a.username, "Not#The1Password")
    assert _post_login(client, civil_affairs_a.username, PASSWORD).status_code == 302
    # when: one more failure
    _post_login(Client(), civil_affairs_a.username, "Not#The1Password")
    # then: not locked
    assert _post_login(Client(), civil_affairs_a.username, PASSWORD).status_code == 302


def test_disabled_account_with_the_right_password_is_told_it_is_disabled(civil_affairs_a):
    # given
    services.user_set_active(actor=None, user=civil_affairs_a, active=False, reason="left")
    # when
    response = _post_login(Client(), civil_affairs_a.username, PASSWORD)
    # then
    assert response.status_code == 200
    assert _errors(response) == [_in_chinese(LoginForm.error_messages["inactive"])]


def test_refusals_of_locked_and_disabled_accounts_are_audited_as_failed_logins(civil_affairs_a):
    # given: a locked account
    User.objects.filter(pk=civil_affairs_a.pk).update(
        locked_until=timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    )
    # when
    _post_login(Client(), civil_affairs_a.username, PASSWORD)
    # then
    assert AuditEvent.objects.filter(action="auth.login_failed", object_repr=civil_affairs_a.username).count() == 1
    # given: the same account disabled and unlocked
    User.objects.filter(pk=civil_affairs_a.pk).update(locked_until=None)
    services.user_set_active(actor=None, user=civil_affairs_a, active=False, reason="left")
    # when
    _post_login(Client(), civil_affairs_a.username, PASSWORD)
    # then
    assert AuditEvent.objects.filter(action="auth.login_failed", object_repr=civil_affairs_a.username).count() == 2


def test_disabled_account_with_a_wrong_password_gets_the_generic_answer(civil_affairs_a):
    services.user_set_active(actor=None, user=civil_affairs_a, active=False, reason="left")
    response = _post_login(Client(), civil_affairs_a.username, "Not#The1Password")
    assert _errors(response) == [_in_chinese(LoginForm.error_messages["invalid_login"])]


def test_login_logout_and_failed_login_are_audited(civil_affairs_a):
    # given
    client = Client()
    # when
    _post_login(client, civil_affairs_a.username, "Not#The1Password")
    _post_login(client, civil_affairs_a.username, PASSWORD)
    client.post(reverse("accounts:logout"))
    # then
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.outcome == AuditEvent.Outcome.FAILURE
    assert failed.object_repr == civil_affairs_a.username
    assert AuditEvent.objects.get(action="auth.login").actor == civil_affairs_a
    assert AuditEvent.objects.get(action="auth.logout").actor == civil_affairs_a


def test_session_key_changes_on_login(civil_affairs_a):
    # given: an anonymous session
    client = Client()
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    assert before is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    # when
    _post_login(client, civil_affairs_a.username, PASSWORD)
    # then
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(civil_affairs_a.pk)


def test_idle_session_is_logged_out(civil_affairs_a, client_for):
    # given: signed in, then idle for longer than the timeout
    client = client_for(civil_affairs_a)
    assert client.get(WORKBENCH).status_code == 200
    session = client.session
    session["zh_last"] = time.time() - (settings.IDLE_TIMEOUT_MINUTES + 1) * 60
    session.save()
    # when
    response = client.get(WORKBENCH)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(WORKBENCH).status_code == 302  # still logged out
    assert AuditEvent.objects.filter(action="auth.logout", actor=civil_affairs_a).exists()


def test_administrator_idle_timeout_is_shorter(system_admin, civil_affairs_a, client_for):
    # given: both idle for just over the administrators' timeout, well within the business one
    idle = (settings.ADMIN_IDLE_TIMEOUT_MINUTES + 1) * 60
    assert idle < settings.IDLE_TIMEOUT_MINUTES * 60
    clients = {}
    for user in (system_admin, civil_affairs_a):
        client = client_for(user)
        client.get(WORKBENCH)
        session = client.session
        session["zh_last"] = time.time() - idle
        session.save()
        clients[user.username] = client
    # then
    assert clients[system_admin.username].get(WORKBENCH).status_code == 302
    assert clients[civil_affairs_a.username].get(WORKBENCH).status_code == 200


def test_session_ends_after_the_absolute_limit_even_when_active(civil_affairs_a, client_for):
    client = client_for(civil_affairs_a)
    client.get(WORKBENCH)
    session = client.session
    session["zh_started"] = time.time() - (settings.ABSOLUTE_SESSION_HOURS * 3600 + 60)
    session.save()
    response = client.get(WORKBENCH)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_pages_for_signed_in_users_are_not_cached(civil_affairs_a, client_for):
    response = client_for(civil_affairs_a).get(WORKBENCH)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [LOGIN, WORKBENCH, "/no-such-page/"])
def test_every_response_has_a_strict_content_security_policy(db, path):
    response = Client().get(path)
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_signed_in_error_pages_have_the_content_security_policy_too(helper_a, client_for):
    response = client_for(helper_a).get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_anonymous_page_request_is_sent_to_login(db):
    response = Client().get(WORKBENCH)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# ---------------------------------------------------------------- lockout answer and per-address throttle


def test_s20_a_locked_account_gets_exactly_the_wrong_password_answer(civil_affairs_a, village_a):
    # given: one account locked, another merely mistyped
    User.objects.filter(pk=civil_affairs_a.pk).update(
        locked_until=timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    )
    # when: the locked account is tried with its right and with a wrong password; the other with a wrong one
    locked_right = _post_login(Client(), civil_affairs_a.username, PASSWORD)
    locked_wrong = _post_login(Client(), civil_affairs_a.username, "Not#The1Password")
    wrong = _post_login(Client(), village_a.username, "Not#The1Password")
    # then: the same status and the same page, word for word
    assert locked_right.status_code == locked_wrong.status_code == wrong.status_code == 200
    pages = [
        _page_without_tokens(r, name)
        for r, name in (
            (locked_right, civil_affairs_a.username),
            (locked_wrong, civil_affairs_a.username),
            (wrong, village_a.username),
        )
    ]
    assert pages[0] == pages[1] == pages[2]
    assert "10:" not in _errors(locked_right)[0]


def test_s20_the_password_hasher_runs_for_unknown_locked_and_wrong(civil_affairs_a, village_a):
    # given: a locked account
    User.objects.filter(pk=civil_affairs_a.pk).update(
        locked_until=timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    )
    cases = [("nobody_here", "Not#The1Password"), (civil_affairs_a.username, PASSWORD), (village_a.username, "x")]
    for username, password in cases:
        # when
        with (
            mock.patch.object(base_user, "make_password", wraps=hashers.make_password) as make,
            mock.patch.object(base_user, "check_password", wraps=hashers.check_password) as check,
        ):
            _post_login(Client(), username, password)
        # then: exactly one run of the hasher, whatever the case
        assert make.call_count + check.call_count == 1, username


def _page_without_tokens(response, username: str) -> str:
    """The page with the CSRF tokens (random per response) and the echoed username left out."""
    import re

    html = response.content.decode().replace(f'value="{username}"', 'value="…"')
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_s20_one_address_trying_many_usernames_is_throttled_with_429(db, settings):
    # given: an address that failed LOGIN_IP_FAIL_LIMIT times with different usernames
    client = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [_post_login(client, f"user{i}", "Not#The1Password").status_code for i in range(30)]
    # then: 200 up to the limit, then 429 with Retry-After and a clear message
    limit = settings.LOGIN_IP_FAIL_LIMIT
    assert statuses == [200] * limit + [429] * (30 - limit)
    throttled = _post_login(client, "user99", "Not#The1Password")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert _errors(throttled) == [_in_chinese(views.THROTTLED_LOGIN)]
    # and another address is not affected
    assert _post_login(Client(REMOTE_ADDR="10.0.0.10"), "user0", "x").status_code == 200


def test_s20_a_locked_colleague_does_not_block_a_second_user_behind_the_same_address(civil_affairs_a, village_a):
    # given: one user behind the office address locks their account
    office = "10.1.2.3"
    for _ in range(settings.LOGIN_FAIL_LIMIT + 1):
        _post_login(Client(REMOTE_ADDR=office), civil_affairs_a.username, "Not#The1Password")
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.is_locked()
    # when: a colleague signs in from the same address
    response = _post_login(Client(REMOTE_ADDR=office), village_a.username, PASSWORD)
    # then
    assert response.status_code == 302
    assert settings.LOGIN_IP_FAIL_LIMIT > settings.LOGIN_FAIL_LIMIT


def test_s20_a_throttled_attempt_does_not_check_the_password(civil_affairs_a, settings):
    # given: the address is over its limit
    settings.LOGIN_IP_FAIL_LIMIT = 2
    client = Client(REMOTE_ADDR="10.0.0.7")
    for name in ("a", "b"):
        _post_login(client, name, "x")
    # when: the right password of a real account
    response = _post_login(client, civil_affairs_a.username, PASSWORD)
    # then: refused, not signed in, no failure counted on the account
    assert response.status_code == 429
    civil_affairs_a.refresh_from_db()
    assert civil_affairs_a.failed_login_count == 0


def test_s20_login_counters_are_database_rows_shared_by_processes(db, settings):
    # given: failures counted by "one process"
    settings.LOGIN_IP_FAIL_LIMIT = 3
    for name in ("a", "b", "c"):
        _post_login(Client(REMOTE_ADDR="10.0.0.8"), name, "x")
    # then: the count is a row, not process memory, and no address is stored in it
    row = RateCounter.objects.get(scope="login_ip")
    assert row.count == 3
    assert "10.0.0.8" not in row.key
    # when: "another process" (no shared memory; the cache is emptied) gets the next attempt
    from django.core.cache import cache

    cache.clear()
    assert throttle.count(views.login_ip_limit(), "10.0.0.8") == 3
    assert _post_login(Client(REMOTE_ADDR="10.0.0.8"), "d", "x").status_code == 429
