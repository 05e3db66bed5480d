"""Browser journey (S4–S6): an employment-center user reads a candidate's eligibility, line by line."""

from __future__ import annotations

import re

import pytest

from zhulao.core.testing.browser import login, screenshot

pytestmark = pytest.mark.browser


def test_s4_employment_center_sees_why_a_candidate_is_or_is_not_eligible(live_app, page):
    # given
    login(page, live_app, "jy_xiangcheng")
    page.goto(f"{live_app}/people/")
    rows = page.locator("[data-testid=person-table] tbody tr")
    assert rows.count() > 0
    # IDs are masked in the list
    assert re.search(r"\d{6}\*{12}", page.locator("[data-testid=person-table]").inner_text())
    # when: the user opens a candidate
    rows.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    # then: seven criteria, each with a result and a reason, and the priority
    criteria = page.locator("[data-testid=eligibility-table] tbody tr")
    assert criteria.count() == 7
    assert page.locator("[data-criterion=working_age]").count() == 1
    assert page.locator("[data-testid=priority]").inner_text().startswith("优先级")
    # when: another date and batch rules are chosen
    page.fill("input[name=on]", "2030-01-01")
    page.check("input[name=hukou_types][value=province]")
    page.click("[data-testid=eligibility-check]")
    # (no wait_for_function: the strict CSP forbids evaluating strings)
    page.locator("[data-testid=eligibility-status]", has_text="2030-01-01").wait_for()
    assert page.locator("[data-testid=eligibility-table] tbody tr").count() == 7
    screenshot(page, "person-eligibility")


def test_s4_unmasking_needs_a_reason_and_shows_the_full_number(live_app, page):
    login(page, live_app, "jy_xiangcheng")
    page.goto(f"{live_app}/people/")
    page.locator("[data-testid=person-table] tbody tr").first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    masked = page.locator("[data-testid=masked-id]").inner_text()
    page.fill("[data-testid=unmask-form] input[name=reason]", "核对申请材料")
    page.locator("[data-testid=unmask-form] button[type=submit]").click()
    value = page.wait_for_selector("[data-testid=unmasked-value]").inner_text()
    assert len(value) == 18
    assert value[:6] == masked[:6]
    assert masked == value[:6] + "*" * 12
