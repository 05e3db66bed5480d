"""Static files (docs/decisions/0011-static-files-and-compression.md): hashed names from the built manifest,
every linked file present, and each page loading only the scripts it uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.template import Engine
from django.test import override_settings

from zhulao.core.staticfiles import BuiltStaticFilesStorage

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "zhulao").glob("*/templates"))]
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")
INCLUDE_TAG = re.compile(r"""{%\s*include\s+['"]([^'"]+)['"]""")
HTMX_ATTRIBUTE = re.compile(r"\bhx-(?!headers\b)[a-z-]+=")
NO_HTMX = re.compile(r"{%\s*block htmx\s*%}\s*{%\s*endblock\s*%}")
BOOTSTRAP_JS_USE = re.compile(r"""data-bs-(toggle|dismiss|ride|spy)=["']?([a-z]+)""")
HANDLED_BY_ZHULAO_JS = {("toggle", "collapse"), ("dismiss", "alert")}


def _templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


def _with_includes(source: str, seen: set[str] | None = None) -> str:
    """The template's text with the text of every template it includes by a literal name."""
    seen = set() if seen is None else seen
    parts = [source]
    for name in INCLUDE_TAG.findall(source):
        if name not in seen:
            seen.add(name)
            _template, origin = Engine.get_default().find_template(name)
            parts.append(_with_includes(Path(origin.name).read_text("utf-8"), seen))
    return "\n".join(parts)


def test_built_storage_links_the_hashed_names_even_with_debug_on(tmp_path):
    # given a collectstatic manifest
    manifest = {"paths": {"css/zhulao.css": "css/zhulao.0123456789ab.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest), "utf-8")
    with override_settings(DEBUG=True):
        # when a server with DEBUG on (the browser tests') links a file, then it links the built name
        built = BuiltStaticFilesStorage(location=str(tmp_path), base_url="/static/")
        assert built.url("css/zhulao.css") == "/static/css/zhulao.0123456789ab.css"
        # (Django's own manifest storage would link the plain name, which WhiteNoise does not cache for good)
        plain = ManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")
        assert plain.url("css/zhulao.css") == "/static/css/zhulao.css"


def test_tests_link_static_files_without_a_manifest(client):
    # given the test settings (no collectstatic run), when a page is rendered, then it links static/ as it is
    html = client.get("/accounts/login/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.trimmed.min.css" in html
    assert "/static/js/zhulao.js" in html


def test_every_static_file_a_template_links_exists():
    # a missing file would make the manifest storage fail the page in production
    missing = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _templates()
        for name in STATIC_TAG.findall(path.read_text("utf-8"))
        if not finders.find(name)
    }
    assert not missing, sorted(missing)


def test_pages_that_leave_htmx_out_use_no_htmx_attribute():
    offenders = []
    for path in _templates():
        source = path.read_text("utf-8")
        if NO_HTMX.search(source) and HTMX_ATTRIBUTE.search(_with_includes(source)):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"these pages empty the htmx block but use hx- attributes: {offenders}"


def test_bootstrap_javascript_is_loaded_where_a_template_needs_more_than_the_menu_and_closing_a_message():
    # the base layout does not load Bootstrap's JavaScript; zhulao.js opens the menu and closes messages
    offenders = []
    for path in _templates():
        source = path.read_text("utf-8")
        needs = {use for use in BOOTSTRAP_JS_USE.findall(source) if use not in HANDLED_BY_ZHULAO_JS}
        if needs and "bootstrap.bundle.min.js" not in source:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(needs)}")
    assert not offenders, (
        "add vendor/bootstrap/bootstrap.bundle.min.js in the block head of these templates (or of the page "
        f"that includes them): {offenders}"
    )


def test_a_missing_source_map_keeps_its_name_but_a_missing_file_fails(tmp_path):
    # given a built storage where a library names a source map that is not copied
    storage = BuiltStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    # when its name is hashed, then it stays as it is (developer tools only) …
    assert storage.hashed_name("vendor/lib/lib.min.js.map") == "vendor/lib/lib.min.js.map"
    # … while any other missing file still stops collectstatic
    with pytest.raises(ValueError, match="could not be found"):
        storage.hashed_name("vendor/lib/lib.min.css")
