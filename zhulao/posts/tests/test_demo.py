"""The demo (S2, S7): 444 posts from the quota rule, a completed round with archived notices, a round in
progress with applications waiting at every step, and nothing added on a second run."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from zhulao.people.models import Person
from zhulao.posts.choices import ApplicationStatus, BatchStatus, NoticeStatus
from zhulao.posts.models import Application, Contract, Facility, Placement, Post, PublicNotice, RecruitmentBatch

DEMO = ("load_demo", "--force", "--quiet-logins", "--people", "150")


def _counts() -> dict[str, int]:
    return {
        "facilities": Facility.objects.count(),
        "posts": Post.objects.count(),
        "applications": Application.objects.count(),
        "placements": Placement.objects.count(),
        "notices": PublicNotice.objects.count(),
        "batches": RecruitmentBatch.objects.count(),
        "persons": Person.objects.count(),
    }


@pytest.mark.django_db
def test_s2_s7_demo_posts_rounds_and_idempotence() -> None:
    # given / when
    call_command(*DEMO)

    # then: the quota rule yields exactly the seed's 444 posts
    assert Post.objects.open().count() == 444

    # round 1 is complete: archived notices whose hash matches the snapshot, people hired with contracts
    closed = list(PublicNotice.objects.filter(status=NoticeStatus.CLOSED))
    assert closed
    for notice in closed:
        assert notice.snapshot
        assert hashlib.sha256(notice.snapshot.encode()).hexdigest() == notice.snapshot_sha256
    assert Placement.objects.filter(ended_on__isnull=True).exists()
    assert Contract.objects.filter(employment_registered_on__isnull=False, hiring_filed_on__isnull=False).exists()
    assert Application.objects.filter(status=ApplicationStatus.REJECTED).exclude(rejection_reason="").exists()

    # round 2 is in progress in 芗城区, with a vacant post in the villages of 浦南镇 (cun_punan's)
    batch = RecruitmentBatch.objects.get(status=BatchStatus.OPEN, region_id="350602000000")
    statuses = set(batch.applications.values_list("status", flat=True))
    assert {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.REVIEWED,
        ApplicationStatus.QUALIFIED,
    } <= statuses
    assert Post.objects.vacant().filter(batches=batch, region__code__startswith="350602100").exists()
    assert batch.applications.filter(status=ApplicationStatus.SUBMITTED, region__code__startswith="350602100").exists()

    # a second run adds nothing
    before = _counts()
    call_command(*DEMO)
    assert _counts() == before
