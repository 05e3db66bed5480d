"""Every write to the people registry: persons, households, evidence, merges, unmasking (split by subject)."""

from zhulao.people.services.households import (
    evidence_add,
    evidence_withdraw,
    household_create,
    household_remove_member,
    household_set_member,
)
from zhulao.people.services.persons import (
    AUDITED_FIELDS,
    SENSITIVE,
    PersonData,
    default_track,
    find_by_id_number,
    normalize_bank_account,
    normalize_phone,
    person_create,
    person_update,
    translation_is_chinese,
    validate_id_number,
)
from zhulao.people.services.records import (
    external_placement_add,
    person_link_user,
    person_merge,
    person_unmask,
)

__all__ = [
    "AUDITED_FIELDS",
    "SENSITIVE",
    "PersonData",
    "default_track",
    "evidence_add",
    "evidence_withdraw",
    "external_placement_add",
    "find_by_id_number",
    "household_create",
    "household_remove_member",
    "household_set_member",
    "normalize_bank_account",
    "normalize_phone",
    "person_create",
    "person_link_user",
    "person_merge",
    "person_unmask",
    "person_update",
    "translation_is_chinese",
    "validate_id_number",
]
