from zhulao.posts.models.facilities import Facility, FacilityStatusChange, Post
from zhulao.posts.models.placements import Contract, Placement
from zhulao.posts.models.recruitment import (
    Application,
    ApplicationStep,
    ConflictFlag,
    Objection,
    PublicNotice,
    RecruitmentBatch,
)

__all__ = [
    "Application",
    "ApplicationStep",
    "ConflictFlag",
    "Contract",
    "Facility",
    "FacilityStatusChange",
    "Objection",
    "Placement",
    "Post",
    "PublicNotice",
    "RecruitmentBatch",
]
