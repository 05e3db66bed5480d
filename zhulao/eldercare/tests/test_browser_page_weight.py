"""What a helper's phone downloads (S14): 我的今日 and the visit form over a poor village connection.

The bytes are what Chromium received (each response's ``encodedDataLength``, headers included, read from
a CDP session: the strict CSP leaves no room for an evaluated script in the page), on a first load with
an empty browser cache and on a second load with the cache warm. The server serves the static files as
production does (docs/decisions/0011-static-files-and-compression.md)."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest

from zhulao.core.testing.browser import ARTIFACTS, login

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 150 * 1024  # UX.md: helper pages under 150 KB
CACHED_LOAD_BUDGET = 30 * 1024  # a second visit sends little more than the page itself
HTML_BUDGET = 20 * 1024  # one page's HTML as sent: compressed
HTML_DECODED_BUDGET = 80 * 1024  # and unpacked: no inline blobs (today: about 2 KB for each elder's card)


@dataclass
class Load:
    url: str
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # request id → what came back

    @property
    def total(self) -> int:
        return sum(f.get("bytes", 0) for f in self.files.values())

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [f for f in self.files.values() if f.get("type") in types]

    def report(self) -> list[tuple[str, int, int, str]]:
        return [
            (f.get("path", "?")[:80], f.get("bytes", 0), f.get("decoded", 0), f.get("encoding", ""))
            for f in self.files.values()
        ]


def _load(page: Any, url: str, *, cold: bool) -> Load:
    """Open ``url`` and count every byte received; ``cold`` empties the browser cache first."""
    load = Load(url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    if cold:
        cdp.send("Network.clearBrowserCache")

    def received(event: dict[str, Any]) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        load.files.setdefault(event["requestId"], {}).update(
            path=urlparse(response["url"]).path,
            type=event.get("type", ""),
            status=response.get("status"),
            encoding=headers.get("content-encoding", ""),
            cache=headers.get("cache-control", ""),
            cached=bool(response.get("fromDiskCache") or response.get("fromPrefetchCache")),
        )

    def data(event: dict[str, Any]) -> None:
        entry = load.files.setdefault(event["requestId"], {})
        entry["decoded"] = entry.get("decoded", 0) + int(event["dataLength"])

    def finished(event: dict[str, Any]) -> None:
        load.files.setdefault(event["requestId"], {})["bytes"] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.dataReceived", data)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return load


def _check(first: Load, again: Load) -> None:
    detail = json.dumps({"first": first.report(), "again": again.report()}, ensure_ascii=False, indent=1)
    assert first.total < FIRST_LOAD_BUDGET, f"{first.url}: first load {first.total} B\n{detail}"
    assert again.total < CACHED_LOAD_BUDGET, f"{again.url}: second load {again.total} B\n{detail}"
    # the style sheets and scripts come compressed, under hashed names, cached for good
    assets = first.of_type("Stylesheet", "Script")
    assert assets, detail
    for f in assets:
        assert f["encoding"] in {"br", "gzip"}, f"{f['path']} sent uncompressed\n{detail}"
        assert "immutable" in f["cache"], f"{f['path']} not cached for good: {f['cache']!r}\n{detail}"
    # no echarts or Bootstrap's JavaScript on these pages, and not the whole of Bootstrap's CSS
    paths = [f.get("path", "") for f in first.files.values()]
    for unneeded in ("echarts", "bootstrap.bundle", "bootstrap.min."):
        assert not [p for p in paths if unneeded in p], f"{unneeded} loaded on {first.url}\n{detail}"
    # the page itself: compressed and small
    (html,) = first.of_type("Document")
    assert html["encoding"] in {"br", "gzip"}, f"{first.url}: HTML sent uncompressed\n{detail}"
    assert html["bytes"] < HTML_BUDGET, f"{first.url}: HTML {html['bytes']} B\n{detail}"
    assert 0 < html.get("decoded", 0) < HTML_DECODED_BUDGET, f"{first.url}: HTML {html.get('decoded')} B unpacked"


def test_s14_helper_phone_pages_stay_under_150_kb_and_under_30_kb_once_cached(live_app, phone_page):
    """Given a helper with due elders and an emergency, when she opens 今日 and a visit form on her phone,
    then each page costs under 150 KB with an empty cache and under 30 KB with a warm one."""
    phone = phone_page
    login(phone, live_app, "zly_guokeng")

    # a realistic day: her paired elders, some due, and an emergency she has just reported
    phone.goto(f"{live_app}/care/today/")
    phone.locator("[data-testid=elder-card]").first.locator("[data-testid=report-emergency]").click()
    phone.wait_for_url("**/care/emergencies/report/*/")
    phone.select_option("select[name=kind]", "fall")
    phone.fill("input[name=place]", f"院子台阶{random.randint(1, 99)}")
    phone.fill("textarea[name=description]", "老人在院子里摔倒，已扶起，膝盖擦伤")
    phone.locator("[data-testid=emergency-form] button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/care/emergencies/[0-9a-f-]{36}/$"))
    # without Bootstrap's JavaScript the message still closes, and the menu still opens and closes
    assert phone.locator(".alert").count() == 1
    phone.locator(".alert .btn-close").click()
    assert phone.locator(".alert").count() == 0
    menu = phone.locator("#mainnav")
    assert not menu.is_visible()
    phone.locator(".navbar-toggler").click()
    assert menu.is_visible()
    assert phone.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"
    phone.locator(".navbar-toggler").click()
    assert not menu.is_visible()

    today = f"{live_app}/care/today/"
    today_first = _load(phone, today, cold=True)
    today_again = _load(phone, today, cold=False)
    assert phone.locator("[data-testid=section-emergencies] a").count() >= 1
    assert phone.locator("[data-testid=elder-card]").count() >= 10
    waiting = phone.locator("[data-testid=elder-card][data-state=overdue], [data-testid=elder-card][data-state=due]")
    assert waiting.count() >= 1

    # the visit form of an elder who is due
    card = waiting.first
    go_on = card.locator("[data-testid=visit-continue]")
    if go_on.count():
        go_on.click()
    else:
        card.locator("[data-testid=visit-start]").click()
    phone.wait_for_url("**/care/visits/*/")
    visit = phone.url
    visit_first = _load(phone, visit, cold=True)
    visit_again = _load(phone, visit, cold=False)
    assert phone.locator("[data-testid=visit-form] .service-row").count() >= 6

    report = {
        name: {"total": load.total, "files": load.report()}
        for name, load in (
            ("today_first", today_first),
            ("today_again", today_again),
            ("visit_first", visit_first),
            ("visit_again", visit_again),
        )
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "helper-page-bytes.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    _check(today_first, today_again)
    _check(visit_first, visit_again)
