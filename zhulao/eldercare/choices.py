"""Elder categories, groups, services (六助 and more), assessment reasons and statuses (S13–S17); activity
kinds (S18); emergency kinds and the escalation ladder (S16)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ElderCategory(models.TextChoices):
    """Categories kept as separate flags: a person can be several at once (POLICY §6.2)."""

    TEKUN = "tekun", _("Extreme poverty support (特困)")
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    DIBAO_EDGE = "dibao_edge", _("Near minimum living allowance (低保边缘)")
    DISABLED_CARE = "disabled_care", _("Disabled or semi-disabled (失能/半失能)")
    EMPTY_NEST = "empty_nest", _("Empty nest (空巢)")
    LIVING_ALONE = "living_alone", _("Living alone (独居)")
    LEFT_BEHIND = "left_behind", _("Left behind (留守)")
    WIDOWED_CHILDLESS = "widowed_childless", _("Widowed or childless (孤寡)")
    FP_SPECIAL = "fp_special", _("Family-planning special family (计生特殊家庭)")
    SEVERELY_DISABLED = "severely_disabled", _("Severely disabled (重残)")
    ENTITLED = "entitled", _("Entitled groups (优抚)")
    ADVANCED_AGE = "advanced_age", _("Advanced age (高龄)")  # computed from the age threshold in policy


# The seed's three archive groups, in the order pages list them (their members: policy eldercare.group_mapping).
ARCHIVE_GROUPS = ("托底", "困境", "重点保障")


class ArchiveStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ServiceKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning (助洁)")
    BATHING = "bathing", _("Bathing (助浴)")
    MEDICAL = "medical", _("Medical help (助医)")
    MEALS = "meals", _("Meals (助餐)")
    MOBILITY = "mobility", _("Mobility (助行)")
    RECREATION = "recreation", _("Recreation (助乐)")
    DAILY_CARE = "daily_care", _("Daily-life care (生活照料)")
    HEALTH_CARE = "health_care", _("Health care (医疗保健)")
    ERRANDS = "errands", _("Errands and purchases (代买代办)")
    SAFETY = "safety", _("Safety watch (安全守护)")
    INFORMATION = "information", _("Passing on information (信息传达)")


class AssessmentReason(models.TextChoices):
    FIRST = "first", _("First assessment (首次评估)")
    ROUTINE = "routine", _("Routine assessment (常规评估)")
    IMMEDIATE = "immediate", _("Immediate assessment (即时评估)")
    REVIEW = "review", _("Re-assessment on request (复评)")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HANDLED = "handled", _("Handled")


class ActivityKind(models.TextChoices):
    """天天有活动、周周有公益、月月有主题."""

    DAILY = "daily", _("Daily activity")
    WEEKLY_WELFARE = "weekly_welfare", _("Weekly public-welfare activity")
    MONTHLY_THEME = "monthly_theme", _("Monthly theme")


class EmergencyKind(models.TextChoices):
    FALL = "fall", _("Fall")
    ILLNESS = "illness", _("Sudden illness")
    FIRE = "fire", _("Fire")
    MISSING = "missing", _("Missing")
    OTHER = "other", _("Other")


class EscalationLevel(models.TextChoices):
    """The ladder: the helper, then the village, then township Civil Affairs (each with a deadline)."""

    HELPER = "helper", _("Helper")
    VILLAGE = "village", _("Village / community")
    TOWNSHIP = "township", _("Township")
