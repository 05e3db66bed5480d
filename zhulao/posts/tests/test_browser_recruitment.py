"""The recruitment journey in Chromium (S7, S8, S20): every role does its step through the pages."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhulao.core.testing.browser import login, screenshot
from zhulao.rules.idcard import make_id_number

pytestmark = pytest.mark.browser


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _as(browser, live_app, username):
    page = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    login(page, live_app, username)
    return page


def _flash(page) -> str:
    return page.locator(".alert").all_inner_texts().__str__()


def test_s7_recruitment_journey_from_batch_to_contract(live_app, browser, move_clock):
    today = _today()
    tag = f"{random.randint(1000, 9999)}"
    # the village of the demo village user
    village_user = _as(browser, live_app, "cun_punan")
    me = village_user.request.get(f"{live_app}/api/v1/me").json()
    village = next(a["region_code"] for a in me["assignments"] if a["role"] == "village_employer")
    rural = village[9:] >= "200"

    # Civil Affairs registers a facility in that village: its post opens at once
    civil = _as(browser, live_app, "mz_xiangcheng")
    civil.goto(f"{live_app}/recruitment/facilities/")
    civil.locator("summary").first.click()
    form = civil.locator("form[action$='/facilities/new/']")
    form.locator("select[name=kind]").select_option("happiness_home" if rural else "home_care_station")
    form.locator("input[name=name]").fill(f"测试幸福院{tag}")
    form.locator("input[name=region]").fill(village)
    form.locator("button[type=submit]").click()
    civil.wait_for_selector("[data-testid=posts]")
    assert "空缺" in civil.locator("[data-testid=posts]").inner_text()

    # … and publishes a batch for it
    civil.goto(f"{live_app}/recruitment/batches/new/")
    civil.fill("input[name=title]", f"浦南镇助老员招聘{tag}")
    civil.fill("input[name=region]", "350602000000")
    civil.locator("label", has_text=f"测试幸福院{tag}").click()
    civil.check("input[name=allowed_hukou_types][value=city]")
    civil.fill("input[name=applications_open]", (today - timedelta(days=1)).isoformat())
    civil.fill("input[name=applications_close]", (today + timedelta(days=40)).isoformat())
    civil.locator("[data-testid=batch-form] button[type=submit]").click()
    civil.wait_for_url("**/recruitment/batches/*/")
    batch_url = civil.url

    # the village registers the applicant (a one-person household out of work: 零就业家庭) …
    id_number = make_id_number("350602", date(1984, 5, 5), random.randint(1, 499) * 2)
    village_user.goto(f"{live_app}/people/new/")
    village_user.fill("input[name=name]", f"林秀英{tag}")
    village_user.fill("input[name=id_number]", id_number)
    village_user.fill("input[name=region]", village)
    village_user.select_option("select[name=willing_to_work]", "1")
    village_user.select_option("select[name=able_to_work]", "1")
    village_user.locator("[data-testid=person-form] button[type=submit]").click()
    village_user.wait_for_url("**/people/*/")
    village_user.goto(f"{live_app}/people/households/new/")
    village_user.fill("input[name=region]", village)
    village_user.locator("main form button[type=submit]").click()
    village_user.wait_for_url("**/people/households/*/")
    village_user.fill("input[name=id_number]", id_number)
    village_user.select_option("select[name=relation]", "head")
    village_user.locator("main form button[type=submit]").first.click()
    village_user.wait_for_load_state("networkidle")
    assert village_user.locator("[data-testid=zero-employment]").inner_text() == "是"

    # … enters the application and recommends it
    village_user.goto(batch_url)
    village_user.fill("[data-testid=application-form] input[name=id_number]", id_number)
    village_user.select_option("[data-testid=application-form] select[name=post]", label=f"测试幸福院{tag} · 1")
    village_user.locator("[data-testid=application-form] button[type=submit]").click()
    village_user.wait_for_url("**/recruitment/applications/*/")
    application_url = village_user.url
    village_user.click("[data-testid=step-submit]")
    village_user.wait_for_load_state("networkidle")
    assert "已推荐" in village_user.locator("[data-testid=application-status]").inner_text()

    # Civil Affairs reviews; the employment center qualifies with the eligibility explanation in view
    civil.goto(application_url)
    civil.click("[data-testid=step-submit]")
    civil.wait_for_load_state("networkidle")
    center = _as(browser, live_app, "jy_xiangcheng")
    center.goto(application_url)
    assert center.locator("[data-testid=eligibility-table] tbody tr").count() == 7
    center.click("[data-testid=step-submit]")
    center.wait_for_load_state("networkidle")
    assert "资格审查" in center.locator("[data-testid=timeline]").inner_text()

    # HR opens the public notice
    hr = _as(browser, live_app, "rs_xiangcheng")
    hr.goto(f"{live_app}/recruitment/notices/")
    hr.locator("summary").first.click()
    hr.select_option("[data-testid=notice-open-form] select[name=batch]", label=f"浦南镇助老员招聘{tag}")
    hr.fill("[data-testid=notice-open-form] input[name=region]", "350602000000")
    hr.locator("[data-testid=notice-open-form] button[type=submit]").click()
    hr.wait_for_url("**/recruitment/notices/*/")
    notice_id = hr.url.rstrip("/").rsplit("/", 1)[1]

    # an anonymous visitor reads it on the public page and objects
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}).new_page()
    visitor.goto(f"{live_app}/public/notices/{notice_id}/")
    public_text = visitor.locator("main").inner_text()
    assert f"林秀英{tag}" in public_text
    assert id_number not in visitor.content()
    assert id_number[:6] + "*" * 12 in public_text
    visitor.select_option("select[name=candidate]", index=1)
    visitor.fill("textarea[name=text]", "此人家中有经营性收入，不符合条件，请核查。")
    visitor.locator("form button[type=submit]").click()
    visitor.wait_for_load_state("networkidle")
    screenshot(visitor, "public-notice-objection")

    # HR dismisses the objection with a reason
    hr.goto(f"{live_app}/recruitment/notices/{notice_id}/")
    hr.select_option("[data-testid=objection-resolve] select[name=decision]", "dismiss")
    hr.fill("[data-testid=objection-resolve] input[name=resolution]", "经入户核查，其家庭无经营性收入，异议不成立。")
    hr.locator("[data-testid=objection-resolve] button[type=submit]").click()
    hr.wait_for_load_state("networkidle")
    assert "不成立" in hr.locator("[data-testid=objections]").inner_text()

    # hiring before the period ends is refused
    start = today + timedelta(days=12)
    hr.goto(application_url)
    hr.fill("[data-testid=hire-form] input[name=starts_on]", start.isoformat())
    hr.click("[data-testid=hire-submit]")
    hr.wait_for_load_state("networkidle")
    assert "公示" in _flash(hr)
    assert "公示中" in hr.locator("[data-testid=application-status]").inner_text()

    # the period ends; HR closes and archives the notice; its hash is public
    move_clock(10)
    hr.goto(f"{live_app}/recruitment/notices/{notice_id}/")
    hr.click("[data-testid=notice-close]")
    hr.wait_for_selector("[data-testid=notice-hash]")
    digest = hr.locator("[data-testid=notice-hash]").inner_text()
    visitor.goto(f"{live_app}/public/notices/{notice_id}/")
    assert digest in visitor.content()

    # HR hires; the contract PDF downloads
    hr.goto(application_url)
    hr.fill("[data-testid=hire-form] input[name=starts_on]", start.isoformat())
    hr.click("[data-testid=hire-submit]")
    hr.wait_for_url("**/recruitment/placements/*/")
    assert hr.locator("[data-testid=employer]").inner_text().endswith("委员会")
    with hr.expect_download() as download:
        hr.click("[data-testid=contract-pdf]")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    screenshot(hr, "placement-contract")
