"""Facility operation in Chromium (S3, S18): the village committee logs today's opening hours (a bad value is
refused and nothing typed is lost) and records an activity; the calendar shows it with the cadence checks; the
city's Civil Affairs compares the operating figures before and after the posts came."""

from __future__ import annotations

import random
from datetime import date

import pytest

from zhulao.core.testing.browser import login, screenshot

pytestmark = pytest.mark.browser


def _desktop(browser, live_app, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_app, username)
    return page


def _server_today(page) -> date:
    """The server's today (its clock may be moved by other tests), read off the activity form's latest date."""
    return date.fromisoformat(page.locator("input[name=held_on]").get_attribute("max"))


def test_s3_s18_village_logs_hours_and_an_activity_city_compares_before_and_after(live_app, browser):
    tag = f"{random.randint(1000, 9999)}"
    village = _desktop(browser, live_app, "cun_punan")

    # the village committee opens its facility from the facility list
    village.goto(f"{live_app}/recruitment/facilities/")
    village.locator("main table a").first.click()
    village.wait_for_url("**/recruitment/facilities/*/")
    links = village.locator("[data-testid=facility-operation-links] a")
    calendar_href, log_href = links.nth(0).get_attribute("href"), links.nth(1).get_attribute("href")

    # it records an activity of today, with one of its elders taking part
    village.goto(f"{live_app}{calendar_href}")
    village.click("[data-testid=activity-new]")
    village.wait_for_url("**/activities/new/")
    today = _server_today(village)
    village.check("input[name=kind][value=monthly_theme]")
    village.fill("input[name=held_on]", today.isoformat())
    village.fill("input[name=title]", f"重阳敬老主题月·健康讲座{tag}")
    village.fill("input[name=partner]", "卫健部门")
    elders = village.locator("input[name=elders]")
    if elders.count():
        elders.first.check()
    screenshot(village, "operation-activity-form")
    village.locator("[data-testid=activity-form] button[type=submit]").click()
    village.wait_for_url("**/activities/?month=*")
    assert f"健康讲座{tag}" in village.locator("[data-testid=activities]").inner_text()
    day = village.locator(f"[data-testid=day-{today.isoformat()}]")
    assert day.locator(".badge").count() >= 1
    assert village.locator("[data-testid=cadence-theme]").get_attribute("data-status") == "met"
    screenshot(village, "operation-calendar")

    # today's opening hours: 30 is refused, what was typed stays, nothing is saved; 8.5 is saved
    village.goto(f"{live_app}{log_href}")
    field = village.locator(f"[data-testid=row-{today.isoformat()}] input")
    field.fill("30")
    village.click("[data-testid=sheet-save]")
    village.wait_for_load_state("networkidle")
    assert village.locator("[data-testid=sheet-error]").is_visible()
    assert village.locator(f"[data-testid=error-{today.isoformat()}]").is_visible()
    assert village.locator(f"[data-testid=row-{today.isoformat()}] input").input_value() == "30"
    village.locator(f"[data-testid=row-{today.isoformat()}] input").fill("8.5")
    village.click("[data-testid=sheet-save]")
    village.wait_for_load_state("networkidle")
    assert village.locator(".alert-success").count() == 1
    village.goto(f"{live_app}{log_href}")
    assert village.locator(f"[data-testid=row-{today.isoformat()}] input").input_value() in ("8.5", "8.50")

    # the city's Civil Affairs compares the figures around the day the first helpers started work
    city = _desktop(browser, live_app, "mz_city")
    city.goto(f"{live_app}/care/operation/")
    before_after = city.locator("[data-testid=before-after]")
    assert before_after.is_visible()
    rate = city.locator("[data-testid=change-rate]").inner_text()
    hours = city.locator("[data-testid=change-hours]").inner_text()
    assert rate.strip().startswith("+"), rate  # the demo's logs: more facilities open after the posts came
    assert hours.strip().startswith("+"), hours
    assert city.locator("[data-testid=operation-children] tbody tr").count() >= 2
    screenshot(city, "operation-figures-city")
