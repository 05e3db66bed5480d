"""Choices of the people registry: sex, retirement track, registration, relations, target groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class RetirementTrack(models.TextChoices):
    MALE = "male", _("Male (60)")
    FEMALE_50 = "female50", _("Female worker (50)")
    FEMALE_55 = "female55", _("Female cadre (55)")


class EmploymentRegistration(models.TextChoices):
    NONE = "", _("Not registered")
    UNEMPLOYED = "unemployed", _("Unemployment registration")  # 失业登记 (urban)
    JOB_SEEKER = "job_seeker", _("Job-seeker registration")  # 求职登记 (rural)


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    UNEMPLOYED = "unemployed", _("Not employed")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    UNABLE = "unable", _("Unable to work")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    """Target-group categories that need evidence (computed ones — age, long unemployment,
    zero-employment family — are not stored). Values match ``zhulao.rules.eligibility.Category``."""

    DISABLED = "disabled", _("Disabled (certificate)")
    URBAN_DIBAO = "urban_dibao", _("Urban minimum living allowance")
    RURAL_DIBAO = "rural_dibao", _("Rural minimum living allowance")
    DIBAO_EDGE = "dibao_edge", _("Near minimum living allowance")
    POVERTY_REGISTERED = "poverty_registered", _("Registered poor household")
    UNSTABLE_EX_POOR = "unstable_ex_poor", _("Unstable after poverty exit (monitored)")
    FAMILY_PLANNING = "family_planning", _("Rural one-child / two-daughter household")


# Categories that belong to the whole household (evidence recorded once on the household).
HOUSEHOLD_CATEGORIES = frozenset(
    {
        Category.URBAN_DIBAO,
        Category.RURAL_DIBAO,
        Category.DIBAO_EDGE,
        Category.POVERTY_REGISTERED,
        Category.UNSTABLE_EX_POOR,
        Category.FAMILY_PLANNING,
    }
)
