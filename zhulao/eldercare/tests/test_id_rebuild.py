"""The rebuild attack on the elder archives (S2, S12, S14): a role without the unmask permission reads the
archive list, an archive and the coverage export, and counts the ID numbers still possible (region, sex
and birth year taken as known). At least 1,000 must remain."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhulao.core import clock
from zhulao.core.testing.rebuild import candidates_left, workbook_text
from zhulao.eldercare.tests import factories as f
from zhulao.rules.masking import MIN_ID_CANDIDATES

pytestmark = pytest.mark.usefixtures("policy")

BORN = date(1944, 9, 17)


@pytest.fixture
def elder(regions, township_a):
    return f.make_elder(regions["village_a"], actor=township_a, born=BORN, name="许阿嬷")


def _left(text: str, elder) -> int:
    return candidates_left(text, elder.person, today=clock.today(), derived=False)


@pytest.mark.parametrize("actor", ["village_a", "township_a"])
def test_s2_archive_list_and_detail_leave_at_least_1000_candidates(elder, client_for, request, actor):
    client = client_for(request.getfixturevalue(actor))
    # when
    listing = client.get(reverse("eldercare:archive_list")).content.decode()
    detail = client.get(elder.get_absolute_url()).content.decode()
    # then
    assert elder.person.name in listing
    assert elder.person.name in detail
    assert _left(listing, elder) >= MIN_ID_CANDIDATES
    assert _left(detail, elder) >= MIN_ID_CANDIDATES


def test_s2_coverage_export_leaves_at_least_1000_candidates(elder, township_a, client_for):
    # when
    response = client_for(township_a).get(reverse("eldercare:coverage_export"))
    # then
    text = workbook_text(response.content)
    assert elder.person.name in text
    assert _left(text, elder) >= MIN_ID_CANDIDATES


def test_s2_civil_affairs_with_unmask_sees_the_birth_date_of_the_elder(elder, civil_affairs_a, client_for):
    html = client_for(civil_affairs_a).get(elder.get_absolute_url()).content.decode()
    assert BORN.isoformat() in html
