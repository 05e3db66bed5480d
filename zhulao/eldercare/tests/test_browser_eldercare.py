"""The elder-care journey in Chromium (S13–S15, S17): the village registers and pairs an elder, the helper
visits on a 360-px phone, the township handles the need that was found."""

from __future__ import annotations

import gzip
import json
import random
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from zhulao.core.testing.browser import ARTIFACTS, login, screenshot
from zhulao.rules.idcard import make_id_number

pytestmark = pytest.mark.browser

PAGE_BUDGET = 150 * 1024  # UX.md: helper pages under 150 KB


def _desktop(browser, live_app, username):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_app, username)
    return page


def _flash(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360-px phone"


def _tap_height(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["height"])


def test_s13_s14_s15_s17_elder_care_journey_on_a_phone(live_app, browser, phone_page):
    tag = f"{random.randint(1000, 9999)}"
    elder = f"陈阿婆{tag}"

    # the village committee (cun_punan) registers an elderly woman of its village …
    village_user = _desktop(browser, live_app, "cun_punan")
    me = village_user.request.get(f"{live_app}/api/v1/me").json()
    village = next(a["region_code"] for a in me["assignments"] if a["role"] == "village_employer")
    id_number = make_id_number("350602", date(1940, 5, 5), random.randint(1, 499) * 2)
    village_user.goto(f"{live_app}/people/new/")
    village_user.fill("input[name=name]", elder)
    village_user.fill("input[name=id_number]", id_number)
    village_user.fill("input[name=region]", village)
    village_user.locator("[data-testid=person-form] button[type=submit]").click()
    village_user.wait_for_url("**/people/*/")

    # … opens her archive: left behind and living alone (高龄 comes from her birth date) …
    village_user.goto(f"{live_app}/care/archives/new/")
    village_user.fill("input[name=id_number]", id_number)
    village_user.check("input[name=categories][value=left_behind]")
    village_user.check("input[name=categories][value=living_alone]")
    village_user.fill("textarea[name=living_conditions]", "独居砖瓦房，子女在厦门务工")
    village_user.locator("[data-testid=archive-form] button[type=submit]").click()
    village_user.wait_for_url("**/care/archives/*/")
    archive_url = village_user.url
    categories = village_user.locator("[data-testid=categories]").inner_text()
    for label in ("留守", "独居", "高龄"):
        assert label in categories
    assert "重点保障" in village_user.locator("[data-testid=groups]").inner_text()
    assert "未结对" in village_user.locator("[data-testid=current-helper]").inner_text()
    assert id_number not in village_user.content()

    # … and pairs her with the village's helper
    village_user.click("[data-testid=pair]")
    village_user.wait_for_url("**/pairing/")
    helper_option = village_user.locator("select[name=helper] option", has_text="zly_punan")
    village_user.select_option("select[name=helper]", value=helper_option.get_attribute("value"))
    village_user.locator("[data-testid=pairing-form] button[type=submit]").click()
    village_user.wait_for_url(archive_url)
    assert "已为该老人结对助老员" in _flash(village_user)
    helper_name = village_user.locator("[data-testid=current-helper] strong").inner_text()
    assert helper_name

    # the helper opens 今日 on a 360-px phone: the elder is due, with her tags and a big start button
    phone = phone_page
    login(phone, live_app, "zly_punan")
    transfers: dict[str, bytes] = {}

    def keep(response) -> None:
        if response.request.resource_type in {"document", "stylesheet", "script", "image", "font"}:
            try:
                transfers[response.url] = response.body()
            except PlaywrightError:  # a redirect has no body
                transfers.setdefault(response.url, b"")

    phone.on("response", keep)
    phone.goto(f"{live_app}/care/today/")
    phone.wait_for_load_state("networkidle")
    phone.remove_listener("response", keep)
    card = phone.locator("[data-testid=elder-card]", has_text=elder)
    assert card.count() == 1
    assert card.get_attribute("data-state") == "due"
    card_text = card.inner_text()
    for label in ("留守", "独居", "高龄", "待走访", "从未"):
        assert label in card_text
    assert phone.locator("main table").count() == 0
    start = card.locator("[data-testid=visit-start]")
    assert start.inner_text() == "开始走访"
    assert _tap_height(start) >= 44
    _no_sideways_scroll(phone)
    screenshot(phone, "eldercare-my-day-360")

    # the page weight: HTML + CSS + JS, as sent and as gzip would send them
    raw = sum(len(body) for body in transfers.values())
    zipped = sum(len(gzip.compress(body)) for body in transfers.values())
    sizes = {urlparse(u).path: (len(b), len(gzip.compress(b))) for u, b in transfers.items()}
    report = {"raw_bytes": raw, "gzip_bytes": zipped, "files": sizes}
    (ARTIFACTS / "eldercare-my-day-weight.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert zipped < PAGE_BUDGET

    # she starts the visit: the form has the six helps first, each a big toggle with its minutes
    start.click()
    phone.wait_for_url("**/care/visits/*/")
    visit_url = phone.url
    rows = phone.locator("[data-testid=visit-form] .service-row")
    assert rows.count() == 11
    assert rows.first.get_attribute("data-testid") == "service-cleaning"
    assert _tap_height(phone.locator("label[for=id_service_cleaning]")) >= 44
    assert phone.input_value("input[name=minutes_cleaning]") == "30"
    _no_sideways_scroll(phone)

    # she sends it without ticking a service: refused, and what she wrote is still there
    phone.fill("textarea[name=notes]", "老人精神不错，提醒按时服药")
    phone.click("[data-testid=visit-submit]")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("[data-testid=not-submitted]").is_visible()
    assert "请至少勾选一项" in phone.locator("[data-testid=services-error]").inner_text()
    assert phone.input_value("textarea[name=notes]") == "老人精神不错，提醒按时服药"

    # she ticks two services, changes one's minutes and writes a new need
    phone.click("label[for=id_service_cleaning]")
    phone.click("label[for=id_service_meals]")
    phone.fill("input[name=minutes_meals]", "20")
    phone.check("input[name=family_contacted]")
    phone.fill("textarea[name=new_needs]", "卫生间需要安装扶手")
    assert phone.is_checked("input[name=service_cleaning]")
    screenshot(phone, "eldercare-visit-form-360")
    phone.click("[data-testid=visit-submit]")
    phone.wait_for_url(visit_url)

    # the confirmation shows what was recorded
    summary = phone.locator("[data-testid=visit-summary]").inner_text()
    assert "走访已提交" in summary
    assert "助洁" in summary
    assert "助餐" in summary
    assert "20 分钟" in summary
    assert "卫生间需要安装扶手" in summary
    _no_sideways_scroll(phone)
    screenshot(phone, "eldercare-visit-done-360")

    # back on 今日 the elder has been visited this period
    phone.click("[data-testid=next-elder]")
    phone.wait_for_url("**/care/today/")
    card = phone.locator("[data-testid=elder-card]", has_text=elder)
    assert card.get_attribute("data-state") == "rest"
    assert "已走访" in card.inner_text()

    # the township (xz_punan) sees the need and marks it handled
    township = _desktop(browser, live_app, "xz_punan")
    township.goto(f"{live_app}/care/needs/")
    need = township.locator("[data-testid=needs] li", has_text="卫生间需要安装扶手")
    assert elder in need.inner_text()
    need.locator("input[name=note]").fill("已联系村委会，下周安装扶手")
    need.locator("button[type=submit]").click()
    township.wait_for_load_state("networkidle")
    assert "已标记为已处理" in _flash(township)
    assert township.locator("[data-testid=needs] li", has_text="卫生间需要安装扶手").count() == 0
    township.goto(f"{live_app}/care/needs/?status=handled")
    assert "下周安装扶手" in township.locator("[data-testid=needs] li", has_text="卫生间需要安装扶手").inner_text()

    # the archive now shows the visit, the need (handled) and the change history
    township.goto(archive_url)
    assert "助洁" in township.locator("[data-testid=visits]").inner_text()
    assert "已处理" in township.locator("[data-testid=needs]").inner_text()
    history = township.locator("[data-testid=history]").inner_text()
    for step in ("建立了老年人档案", "结对了助老员与老年人", "处理了需求"):
        assert step in history

    screenshot(township, "eldercare-archive-detail")

    # the township records her capability assessment (GB/T 42195-2022): the level and why come back
    township.click("[data-testid=assess]")
    township.wait_for_url("**/assessments/new/")
    items = township.locator("[data-testid=assessment-form] fieldset select")
    assert items.count() == 26
    for i in range(items.count()):
        select = items.nth(i)
        values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        select.select_option(values[-2] if i < 8 else values[-1])  # one point short on each self-care item
    screenshot(township, "eldercare-assessment-form")
    township.locator("[data-testid=assessment-form] button[type=submit]").click()
    township.wait_for_url(archive_url)
    assert "总分82/90分" in _flash(township)
    assert "1级" in township.locator("[data-testid=assessments]").inner_text()

    # and the township's coverage counts her as visited
    township.goto(f"{live_app}/care/coverage/")
    assert elder not in township.locator("[data-testid=not-visited]").inner_text()
    screenshot(township, "eldercare-coverage")
