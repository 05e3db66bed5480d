"""Browser journeys of the UI shell, in Debian's Chromium."""

from __future__ import annotations

import pytest

from zhulao.core.testing.browser import login, screenshot

pytestmark = pytest.mark.browser


def test_village_user_logs_in_and_sees_the_workbench_in_chinese(live_app, page):
    # when
    login(page, live_app, "cun_punan")
    # then
    assert page.url.rstrip("/") == live_app
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").first.inner_text() == "工作台"
    assert "待办" in page.content()
    assert "村（居）用人单位" in page.locator("[data-testid=current-user]").inner_text()
    assert screenshot(page, "village-workbench").exists()


def test_wrong_password_shows_a_clear_error(live_app, page):
    login(page, live_app, "cun_punan", "wrong-password-1A!")
    assert "用户名或密码错误" in page.locator("[data-testid=login-error]").inner_text()


def test_english_switch(live_app, page):
    login(page, live_app, "mz_xiangcheng")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "Workbench"
    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "工作台"


def test_audit_admin_verifies_the_chain_and_system_admin_cannot_open_it(live_app, page, browser):
    login(page, live_app, "audit_admin")
    page.goto(f"{live_app}/audit/")
    page.click("[data-testid=verify-chain]")
    page.wait_for_selector("[data-testid=verify-ok]")
    screenshot(page, "audit-verify")
    # the system administrator gets 403 on the audit log
    other = browser.new_context(locale="zh-CN").new_page()
    login(other, live_app, "sys_admin")
    response = other.goto(f"{live_app}/audit/")
    assert response.status == 403
    other.context.close()
