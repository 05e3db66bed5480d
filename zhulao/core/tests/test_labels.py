"""Codes in words: every action has a label in both languages; the done list and the audit log show words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from zhulao.core import labels
from zhulao.core.actions import Action
from zhulao.core.audit import record_event

ZHULAO = Path(__file__).resolve().parents[2]


def _recorded_actions() -> set[str]:
    """Every action code passed as ``action="…"`` (or through a module constant ``*_ACTION = "…"``) in the
    application code: what ``record_event`` and its wrappers write to the audit trail."""
    found: set[str] = set()
    for path in ZHULAO.rglob("*.py"):
        if "tests" in path.parts or "testing" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "action":
                value = node.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and "." in value.value:
                    found.add(value.value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(n.endswith("_ACTION") for n in names) and isinstance(node.value.value, str):
                    found.add(node.value.value)
    return found


def _permission_actions() -> set[str]:
    return {v for k, v in vars(Action).items() if k.isupper() and isinstance(v, str)}


def test_scan_finds_the_audit_actions_of_every_app():
    # a guard on the scan itself: it must see actions written by core, accounts, people, posts and elder care
    found = _recorded_actions()
    assert {"audit.verify", "role.grant", "person.unmask", "application.recommend", "visit.submit"} <= found
    assert "application.submit_public" in found  # through a module constant


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_action_and_audit_event_has_a_label(language):
    # given every permission action and every action written to the audit trail
    codes = _permission_actions() | _recorded_actions()
    # when each is put in words
    with translation.override(language):
        missing = sorted(c for c in codes if labels.action_label(c) == c)
    # then none is left as a raw code
    assert missing == []


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_every_label_is_translated_to_chinese():
    # given every code; when put in words in Chinese; then each label is Chinese, not the English fallback
    codes = _permission_actions() | _recorded_actions()
    with translation.override("zh-hans"):
        untranslated = sorted(c for c in codes if not _has_chinese(labels.action_label(c)))
        assert labels.action_label("visit.submit") == "提交了走访"
    assert untranslated == []
    with translation.override("en"):
        assert labels.action_label("visit.submit") == "Submitted a visit"


def test_roles_in_words():
    with translation.override("en"):
        assert labels.roles_label("civil_affairs,hr") == "Civil Affairs, HR & Social Security"
    with translation.override("zh-hans"):
        assert "civil_affairs" not in labels.roles_label("civil_affairs")


def test_done_list_shows_words_not_codes(civil_affairs_a, client_for):
    # given the user did something recorded with a code
    record_event(actor=civil_affairs_a, action="need.handle", object_type="eldercare.needreport", object_id="1")
    # when the workbench is opened in English
    with translation.override("en"):
        response = client_for(civil_affairs_a).get(reverse("core:workbench"), HTTP_ACCEPT_LANGUAGE="en")
    # then the 已办 row says what was done
    body = response.content.decode()
    assert "Handled a need" in body
    assert "need.handle" not in body


def test_audit_list_shows_words_and_keeps_personal_labels_out(audit_admin, civil_affairs_a, client_for, regions):
    # given an unmasking of a person in region A
    record_event(
        actor=civil_affairs_a,
        action="person.unmask",
        object_type="people.person",
        object_id="5f0c8e2a-0000-4000-8000-000000000000",
        object_repr="王小明",
        region_code="350602100200",
        changes={"field": [None, "id_number"]},
    )
    # when the audit administrator reads the log
    response = client_for(audit_admin).get(reverse("core:audit_list"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    # then action, object and role are in words; the codes, the name and the Python dict are not on the list
    assert "Showed full personal data" in body
    assert "Civil Affairs" in body
    assert "#5f0c8e2a" in body
    for raw in ("person.unmask", "people.person", ">civil_affairs<", "王小明", "{&#x27;field"):
        assert raw not in body


def _event_in(region_code: str, actor):
    return record_event(actor=actor, action="role.grant", object_type="accounts.user", region_code=region_code)


def test_audit_detail_shows_the_raw_values_to_the_audit_admin(audit_admin, civil_affairs_a, client_for):
    # given an event with changes
    event = record_event(
        actor=civil_affairs_a,
        action="person.unmask",
        object_type="people.person",
        object_id="abc",
        region_code="350602100200",
        changes={"field": [None, "phone"]},
    )
    # when the administrator opens it
    response = client_for(audit_admin).get(reverse("core:audit_detail", args=[event.seq]))
    # then the codes and the JSON changes are there
    assert response.status_code == 200
    body = response.content.decode()
    assert "person.unmask" in body
    assert "people.person" in body
    assert "civil_affairs" in body
    assert "&quot;phone&quot;" in body


def test_audit_detail_out_of_region_is_404(make_user, civil_affairs_b, client_for):
    # given an audit administrator of county A and an event of county B
    admin_a = make_user("audit_admin", "county_a")
    event = _event_in("350603103200", civil_affairs_b)
    # when / then
    assert client_for(admin_a).get(reverse("core:audit_detail", args=[event.seq])).status_code == 404
    # and a sign-in event (no region) is only for a city-wide scope
    no_region = _event_in("", civil_affairs_b)
    assert client_for(admin_a).get(reverse("core:audit_detail", args=[no_region.seq])).status_code == 404


def test_audit_detail_for_another_role_is_403(security_admin, civil_affairs_a, client_for):
    event = _event_in("350602100200", civil_affairs_a)
    assert client_for(security_admin).get(reverse("core:audit_detail", args=[event.seq])).status_code == 403
    assert client_for(civil_affairs_a).get(reverse("core:audit_detail", args=[event.seq])).status_code == 403
