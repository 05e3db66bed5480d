"""Facility kinds, statuses and the application workflow with its allowed transitions (S1, S2, S7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    SERVICE_CENTER = "service_center", _("Elder-care service center")  # 养老服务照料中心
    HOME_CARE_STATION = "home_care_station", _("Community home-care station")  # 社区居家养老服务站
    HAPPINESS_HOME = "happiness_home", _("Rural happiness home")  # 农村幸福院


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # entered by village staff or through the public portal
    RECOMMENDED = "recommended", _("Recommended")  # 推荐: the village employer
    REVIEWED = "reviewed", _("Reviewed")  # 审核: Civil Affairs
    QUALIFIED = "qualified", _("Qualified")  # 资格审查: the employment service center
    IN_NOTICE = "in_notice", _("In public notice")  # 公示: HR
    HIRED = "hired", _("Hired")  # 聘用: placement and contract created
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Each status → the statuses its one service may move it to (rejected/withdrawn from any open step).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.RECOMMENDED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.RECOMMENDED: frozenset(
        {ApplicationStatus.REVIEWED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.REVIEWED: frozenset(
        {ApplicationStatus.QUALIFIED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.QUALIFIED: frozenset(
        {ApplicationStatus.IN_NOTICE, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.IN_NOTICE: frozenset(
        {ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.HIRED: frozenset(),  # final: the placement's own life begins
    ApplicationStatus.REJECTED: frozenset(),  # final, with the reason
    ApplicationStatus.WITHDRAWN: frozenset(),  # final, with the reason
}
OPEN_STATUSES = frozenset(s for s, nxt in ALLOWED_TRANSITIONS.items() if nxt)


class Standing(models.TextChoices):
    """Where a qualified candidate stands for their post: a post has one place, so one candidate is proposed
    for hire (拟聘人员) and the others are reserves (候补人员) in priority order, hired only if everyone ahead
    drops out. Decided at qualification and frozen when the candidate is put on a public notice."""

    PROPOSED = "proposed", _("Proposed for hire")  # 拟聘
    RESERVE = "reserve", _("Reserve")  # 候补


# The statuses in which a candidate holds a standing for the post (qualified, or on a notice).
RANKED_STATUSES = frozenset({ApplicationStatus.QUALIFIED, ApplicationStatus.IN_NOTICE})


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed and archived")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class ConflictKind(models.TextChoices):
    HOUSEHOLD = "household", _("Same household")
    PHONE = "phone", _("Same phone number")
    BANK_ACCOUNT = "bank_account", _("Same bank account")


class SubmittedVia(models.TextChoices):
    STAFF = "staff", _("Entered by village staff")
    PUBLIC = "public", _("Public portal")


class PlacementEndReason(models.TextChoices):
    PERIOD_END = "period_end", _("Subsidy period ended")
    RETIREMENT = "retirement", _("Statutory retirement")
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed after assessment")
    OTHER = "other", _("Other")
