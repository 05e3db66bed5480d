"""A helper's home is their day (S14): signing in on a 360-px phone lands on 今日, not the workbench."""

from __future__ import annotations

import pytest

from zhulao.core.testing.browser import login, screenshot

pytestmark = pytest.mark.browser


def test_s14_helper_signs_in_on_a_phone_and_lands_on_my_day(live_app, phone_page):
    # when the helper signs in at 360 px
    login(phone_page, live_app, "zly_punan")
    # then the first page is my day, and it fits the phone
    assert phone_page.url == f"{live_app}/care/today/"
    assert phone_page.locator("h1").first.inner_text() == "今日"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360-px phone"
    assert screenshot(phone_page, "helper-home-360").exists()
