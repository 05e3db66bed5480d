from zhulao.people.models.households import Household
from zhulao.people.models.persons import Evidence, ExternalPlacement, Person, UnmaskLog

__all__ = ["Evidence", "ExternalPlacement", "Household", "Person", "UnmaskLog"]
