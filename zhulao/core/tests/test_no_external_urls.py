"""No page the platform serves loads or links anything from outside the site, and none answers 500.

A crawler signs in as each role, starts at the workbench and follows every same-site link (GET only, a bounded
number of pages per role); it also reads ``/public/`` anonymously and the API docs page. Every attribute of
every tag, every inline style and every stylesheet the pages link (read from the static files) is checked for
an ``http(s)://`` or protocol-relative ``//`` URL outside the site. The platform runs on government intranets
under a strict CSP: a CDN script or a web font would be blocked there, or leak who reads what.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from zhulao.eldercare.tests import factories as elder_factories
from zhulao.people.tests import factories as people_factories

pytestmark = pytest.mark.usefixtures("policy")

MAX_PAGES = 45  # per role: enough to reach every kind of page from the workbench and the navigation

ROLES = [
    "civil_affairs_city",
    "civil_affairs_a",
    "hr_a",
    "finance_a",
    "employment_center_a",
    "township_a",
    "village_a",
    "helper_a",
    "system_admin",
    "security_admin",
    "audit_admin",
]

# URLs outside the site that may appear, each with its reason. Nothing here is ever fetched by a browser.
ALLOWED = {
    "http://www.w3.org/": "XML namespaces of inline SVG (xmlns); an identifier, never fetched",
}

_URL = re.compile(r"""(?:https?:)?//[^\s"'()<>]+""", re.IGNORECASE)
_DATA_URI = re.compile(r"""data:[^"')\s]*""", re.IGNORECASE)  # inline images: base64 holds "//" too
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)  # licence headers name their project's site; never fetched
_SAME_SITE = ("http://testserver/", "//testserver/")
READ_STYLESHEETS: set[str] = set()  # the stylesheets actually read, so the CSS check cannot pass unread

# Same-site links not followed, with the reason.
_SKIPPED_NAMES = {
    "pdf": "documents, not pages (their own tests render them)",
    "export": "Excel downloads (their own tests read them)",
    "xlsx": "Excel downloads",
    "photo": "image files behind a scope check",
    "qr": "image of a confirmation link",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.stylesheets: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # tag, attribute, value
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            self.attributes.append((tag, name, value))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "link" and "stylesheet" in values.get("rel", "") and values.get("href"):
            self.stylesheets.append(values["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def external_urls(text: str) -> list[str]:
    return [
        url
        for url in _URL.findall(_DATA_URI.sub("", text))
        if not url.startswith(_SAME_SITE) and not any(url.startswith(prefix) for prefix in ALLOWED)
    ]


def _attribute_urls(page: _Page) -> list[str]:
    found = []
    for tag, name, value in page.attributes:
        stripped = value.strip()
        if name == "style" or stripped.lower().startswith(("http:", "https:", "//")) or "url(" in stripped:
            found += [f"<{tag} {name}> {url}" for url in external_urls(stripped)]
    return found


def _stylesheet_urls(href: str, seen: set[str]) -> list[str]:
    """The external URLs of a linked stylesheet (and the stylesheets it imports), read from the static files."""
    path = urlsplit(href).path
    if path in seen or not path.startswith("/static/"):
        return []
    seen.add(path)
    found = finders.find(path.removeprefix("/static/"))
    if not found:
        return []  # not collected in this checkout (vendor files come from npm); nothing is served either
    READ_STYLESHEETS.add(path)
    css = _CSS_COMMENT.sub("", Path(str(found)).read_text(encoding="utf-8", errors="replace"))
    urls = [f"{path}: {url}" for url in external_urls(css)]
    for imported in re.findall(r"""@import\s+(?:url\()?["']?([^"')\s]+)""", css):
        if imported.startswith("/"):
            urls += _stylesheet_urls(imported, seen)
    return urls


def _skipped(path: str) -> bool:
    if path.startswith(("/static/", "/api/")):
        return True
    try:
        name = resolve(path).url_name or ""
    except Resolver404:
        return False
    return any(word in name for word in _SKIPPED_NAMES)


def _pattern(url: str) -> str:
    """One page per view and set of query keys: the crawl reaches every kind of page, not every row."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return f"{route}?{'&'.join(keys)}"


def crawl(client: Client, start: Iterable[str], limit: int = MAX_PAGES) -> tuple[list[str], list[str]]:
    """(the problems found, the pages read): external URLs and server errors."""
    queue = deque(start)
    seen_patterns: set[str] = set()
    stylesheets: set[str] = set()
    problems: list[str] = []
    read: list[str] = []
    while queue and len(read) < limit:
        url = urldefrag(queue.popleft())[0]
        pattern = _pattern(url)
        if pattern in seen_patterns or _skipped(urlsplit(url).path):
            continue
        seen_patterns.add(pattern)
        response = client.get(url)
        read.append(url)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.content.decode())
        problems += [f"{url}: {p}" for p in _attribute_urls(page)]
        problems += [f"{url}: <style> {u}" for style in page.styles for u in external_urls(style)]
        for href in page.stylesheets:
            problems += [f"{url}: {u}" for u in _stylesheet_urls(href, stylesheets)]
        for href in page.links:
            target = urlsplit(href)
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
            elif target.scheme in ("http", "https") or href.startswith("//"):
                problems += [f"{url}: <a href> {u}" for u in external_urls(href)]
    return problems, read


@pytest.fixture
def some_data(regions, township_a, helper_a, village_a):
    """A person and an elder paired with the helper, so the lists and cards have something to link to."""
    people_factories.make_person(regions["village_a"], name="林秀英")
    elder = elder_factories.make_elder(regions["village_a"], actor=township_a)
    elder_factories.pair(elder, helper_a, actor=village_a)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_reaches_loads_from_outside_or_fails(role, some_data, request, client_for):
    # given
    client = client_for(request.getfixturevalue(role))
    # when
    problems, read = crawl(client, [reverse("core:workbench")])
    # then
    assert len(read) > 1  # the workbench and at least one page it links to
    assert READ_STYLESHEETS  # the site's own stylesheet at least
    assert problems == []


def test_public_pages_load_nothing_from_outside(db, regions):
    problems, read = crawl(Client(), ["/public/"])
    assert read
    assert problems == []


def test_api_docs_serve_swagger_from_the_site(civil_affairs_a, client_for):
    # when
    response = client_for(civil_affairs_a).get("/api/v1/docs")
    html = response.content.decode()
    # then: Swagger UI from our static files, under the strict CSP, without the validator badge
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
    assert '"validatorUrl": null' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = _Page()
    page.feed(html)
    assert _attribute_urls(page) == []
    assert [u for href in page.stylesheets for u in _stylesheet_urls(href, set())] == []
    assert finders.find("ninja/swagger-ui-bundle.js")


def test_the_crawler_sees_an_external_url():
    # a check that cannot fail is no check: a CDN script, a font in CSS and a protocol-relative image are caught
    page = _Page()
    page.feed(
        '<script src="https://cdn.jsdelivr.net/x.js"></script><img src="//img.example/a.png">'
        '<div style="background:url(https://fonts.example/f.woff)"></div>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="/people/">in</a>'
    )
    assert len(_attribute_urls(page)) == 3
    assert external_urls("@font-face{src:url(https://fonts.example/f.woff)}") == ["https://fonts.example/f.woff"]
    assert external_urls("a{background:url(data:image/png;base64,iVBO//z8D==)}") == []
