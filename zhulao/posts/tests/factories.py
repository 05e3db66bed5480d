"""Test data for facilities, posts and recruitment, made through the real services.

Plain helper functions, as in ``zhulao.people.tests.factories``: every object goes through its service
(quota from policy, employer from the facility kind, steps and audit events written), and each helper
stays one call. Recruitment runs on a fixed calendar (``APPLY_ON`` …) with the platform clock moved
there by :func:`on`, so the notice periods and the eligibility decisions do not depend on the day the
tests run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhulao.core import clock
from zhulao.people.choices import Category, Relation
from zhulao.people.models import Household, Person
from zhulao.people.tests import factories as people
from zhulao.posts import services
from zhulao.posts.choices import ApplicationStatus, FacilityKind, SubmittedVia
from zhulao.posts.models import Application, Facility, Placement, Post, PublicNotice, RecruitmentBatch
from zhulao.regions.models import Region

# The recruitment calendar of the tests (2025: the seed holds the 2024–2026 holiday calendars).
WINDOW_OPEN = date(2025, 9, 1)
WINDOW_CLOSE = date(2025, 9, 30)
APPLY_ON = date(2025, 9, 10)  # a Wednesday inside the window
NOTICE_OPENS = date(2025, 9, 15)  # a Monday: 5 working days end on Friday 2025-09-19
NOTICE_CLOSES = date(2025, 9, 19)
AFTER_NOTICE = date(2025, 9, 22)  # the first day the notice may be closed
START = date(2026, 1, 5)  # placements start on a 2026 date (芗城区 tier 2: 1960 a month)
ALLOWED = ["city", "province"]


on = clock.frozen  # the platform clock moved to a day (re-exported: many tests call ``f.on``)


@dataclass
class Crew:
    """Four different people for the four decision steps (S20), and the village clerk entering applications."""

    clerk: Any  # village staff: submit, withdraw
    recommender: Any  # village employer: 推荐
    reviewer: Any  # Civil Affairs: 审核, publishes batches, creates facilities
    qualifier: Any  # employment service center: 资格审查
    hr: Any  # HR: public notice, hire, contract registration


# --------------------------------------------------------------------------- facilities and batches


def make_facility(
    actor: Any,
    region: Region,
    *,
    kind: str = FacilityKind.HOME_CARE_STATION,
    name: str = "",
    opened_on: date | None = None,
) -> Facility:
    return services.facility_create(
        actor=actor, kind=kind, name=name or f"{region.name}{kind}", region=region, opened_on=opened_on
    )


def open_posts(facility: Facility) -> list[Post]:
    return list(facility.posts.filter(closed_on__isnull=True).order_by("number"))


def publish_batch(
    actor: Any,
    region: Region,
    posts: list[Post],
    *,
    title: str = "2025年助老公益性岗位招聘",
    opens: date = WINDOW_OPEN,
    closes: date = WINDOW_CLOSE,
    allowed: list[str] | None = None,
) -> RecruitmentBatch:
    return services.batch_publish(
        actor=actor,
        title=title,
        region=region,
        posts=posts,
        allowed_hukou_types=list(ALLOWED if allowed is None else allowed),
        applications_open=opens,
        applications_close=closes,
    )


# ----------------------------------------------------------------------------------------- people


def eligible_person(
    region: Region,
    *,
    name: str = "林秀英",
    born: date = date(1980, 6, 15),
    household: Household | None = None,
    relation: str = Relation.HEAD,
    **overrides: Any,
) -> Person:
    """A woman of 45 (in 2025) in ``region``, willing and able, whose household holds valid 农村低保 evidence.

    Pass ``household`` to put her in an existing household (its evidence counts for her too).
    """
    person = people.make_person(region, name=name, id_number=people.id_number(born), **overrides)
    if household is None:
        household = people.make_household(region)
        people.put_in_household(household, person, relation)
        people.add_evidence(Category.RURAL_DIBAO, household=household, valid_from=date(2023, 1, 1))
    else:
        people.put_in_household(household, person, relation)
    person.refresh_from_db()
    return person


def link_account(person: Person, user: Any) -> Person:
    """Make ``person`` the holder of ``user``'s account (a plain link; no service writes it: test setup)."""
    person.user = user
    person.save(update_fields=["user"])
    user.refresh_from_db()
    return person


# ------------------------------------------------------------------------------------ applications


def submit(
    crew: Crew, batch: RecruitmentBatch, post: Post, person: Person, *, day: date = APPLY_ON, **kwargs: Any
) -> Application:
    with on(day):
        return services.application_submit(
            actor=crew.clerk, batch=batch, post=post, person=person, via=SubmittedVia.STAFF, **kwargs
        )


# The decision steps before the notice, in order, each with the crew member who takes it.
_STEPS: list[tuple[str, Callable[..., Application], str]] = [
    (ApplicationStatus.RECOMMENDED, services.application_recommend, "recommender"),
    (ApplicationStatus.REVIEWED, services.application_review, "reviewer"),
    (ApplicationStatus.QUALIFIED, services.application_qualify, "qualifier"),
]
_ORDER: list[str] = [ApplicationStatus.SUBMITTED, *(status for status, _step, _who in _STEPS)]


def advance(application: Application, crew: Crew, *, to: str, day: date = APPLY_ON) -> Application:
    """Walk ``application`` from its current status up to ``to`` (recommended / reviewed / qualified)."""
    application.refresh_from_db()
    start, end = _ORDER.index(application.status), _ORDER.index(to)
    with on(day):
        for _status, step, who in _STEPS[start:end]:
            application = step(actor=getattr(crew, who), application=application)
    application.refresh_from_db()
    return application


def qualified(crew: Crew, batch: RecruitmentBatch, post: Post, person: Person) -> Application:
    return advance(submit(crew, batch, post, person), crew, to=ApplicationStatus.QUALIFIED)


def open_notice(crew: Crew, batch: RecruitmentBatch, region: Region, *, day: date = NOTICE_OPENS) -> PublicNotice:
    with on(day):
        return services.notice_open(actor=crew.hr, batch=batch, region=region)


def close_notice(crew: Crew, notice: PublicNotice, *, day: date = AFTER_NOTICE) -> PublicNotice:
    with on(day):
        return services.notice_close(actor=crew.hr, notice=notice)


def hire(crew: Crew, application: Application, *, starts_on: date = START, day: date | None = None) -> Placement:
    with on(day or starts_on):
        return services.application_hire(actor=crew.hr, application=application, starts_on=starts_on)


def hired_helper(
    crew: Crew,
    post: Post,
    person: Person,
    *,
    region: Region,
    starts_on: date = START,
    window: tuple[date, date] = (WINDOW_OPEN, WINDOW_CLOSE),
    apply_on: date = APPLY_ON,
    notice_opens: date = NOTICE_OPENS,
    notice_closed_on: date = AFTER_NOTICE,
) -> Placement:
    """The whole path for one person: batch → submit → recommend → review → qualify → notice → hire."""
    batch = publish_batch(crew.reviewer, region, [post], opens=window[0], closes=window[1])
    application = submit(crew, batch, post, person, day=apply_on)
    advance(application, crew, to=ApplicationStatus.QUALIFIED, day=apply_on)
    notice = open_notice(crew, batch, region, day=notice_opens)
    close_notice(crew, notice, day=notice_closed_on)
    application.refresh_from_db()
    return hire(crew, application, starts_on=starts_on)
