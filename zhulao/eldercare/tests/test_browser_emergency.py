"""An emergency in Chromium (S16): the helper reports it from her phone, the village does not acknowledge it in
time, the periodic job moves it up to the township, which is notified and acknowledges; the helper closes it
and the elder's follow-up visit is then overdue on her day."""

from __future__ import annotations

import re

import pytest

from zhulao.core.testing.browser import login, screenshot

pytestmark = pytest.mark.browser

EMERGENCY_URL = re.compile(r"/care/emergencies/[0-9a-f-]{36}/$")


def _desktop(browser, live_app, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_app, username)
    return page


def _card(phone, state: str):
    return phone.locator(f"[data-testid=elder-card][data-state={state}]")


def test_s16_unacknowledged_emergency_escalates_to_the_township(live_app, browser, phone_page, move_clock, live_manage):
    phone = phone_page
    login(phone, live_app, "zly_punan")
    phone.goto(f"{live_app}/care/today/")
    # an elder visited this period (else one still due): after the emergency she must be visited again
    cards = _card(phone, "rest") if _card(phone, "rest").count() else _card(phone, "due")
    card = cards.first
    elder = card.locator("[data-testid=elder-name]").inner_text()

    # the helper reports a fall from the elder's card
    card.locator("[data-testid=report-emergency]").click()
    phone.wait_for_url("**/care/emergencies/report/*/")
    phone.select_option("select[name=kind]", "fall")
    phone.fill("input[name=place]", "老人家中厨房")
    phone.fill("textarea[name=description]", "老人在厨房滑倒，意识清醒，右腿疼痛")
    phone.locator("[data-testid=emergency-form] button[type=submit]").click()
    phone.wait_for_url(EMERGENCY_URL)
    emergency_url = phone.url
    assert "村（居）" in phone.locator("[data-testid=emergency-level]").inner_text()
    assert phone.locator("[data-testid=emergency-steps] [data-step=reported]").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "emergency-reported-360")

    # the village committee is alerted but does not acknowledge
    village = _desktop(browser, live_app, "cun_punan")
    village.goto(f"{live_app}/care/emergencies/notifications/all/")
    assert elder in village.locator("main").inner_text()

    # a day later the periodic job finds the village's deadline passed and moves it up to the township
    move_clock(1)
    out = live_manage("escalate_emergencies")
    escalated = int(re.search(r"(\d+) escalated", out).group(1))
    assert escalated >= 1

    township = _desktop(browser, live_app, "xz_punan")
    township.goto(f"{live_app}/")
    assert township.locator("[data-testid=notifications] .badge").count() == 1
    township.goto(f"{live_app}/care/emergencies/notifications/all/")
    alert = township.locator("main li", has_text=elder).first
    assert "紧急事件：跌倒" in alert.inner_text()
    alert.locator("a").click()
    township.wait_for_url(emergency_url)
    assert "乡镇（街道）" in township.locator("[data-testid=emergency-level]").inner_text()
    assert township.locator("[data-testid=emergency-steps] [data-step=escalated]").count() == 1
    township.click("[data-testid=acknowledge]")
    township.wait_for_url(emergency_url)
    assert "已接报" in township.locator("[data-testid=emergency-level]").inner_text()
    steps = township.locator("[data-testid=emergency-steps] li")
    assert [s.get_attribute("data-step") for s in steps.all()] == ["reported", "escalated", "acknowledged"]
    screenshot(township, "emergency-escalated-acknowledged")

    # running the job again changes nothing: the township has it
    assert "0 escalated" in live_manage("escalate_emergencies")

    # the helper closes it with the outcome; her elder now needs a follow-up visit, overdue a day later
    phone.goto(emergency_url)
    phone.fill("input[name=note]", "已送镇卫生院检查，无骨折，家属已到场")
    phone.locator("input[name=note] + button").click()
    phone.wait_for_url(emergency_url)
    assert "无骨折" in phone.locator("main").inner_text()
    phone.goto(f"{live_app}/care/today/")
    card = phone.locator("[data-testid=elder-card]", has_text=elder)
    assert card.get_attribute("data-state") == "overdue"
    assert "紧急事件发生于" in card.text_content()
