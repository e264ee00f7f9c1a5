"""The facts of a case: one strict, three-valued field per fact the rules read.

A fact left out, or given as ``unknown``, is unknown. Booleans accept only ``true`` and
``false`` (no ``"yes"``, ``1`` or ``"true"``): a silent coercion is a wrong decision.
Facts are named as in regimes.md section 12 and case-file.md.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

UNKNOWN = "unknown"
CHILD_AGE_LIMIT = 18  # "child" means anyone who has not reached their 18th birthday

TriState = Annotated[bool, Strict()] | Literal["unknown"]
Age = Annotated[int, Strict(), Field(ge=0, le=25)] | Literal["unknown"]
AbuseOrNeglect = Literal["known", "suspected", "not_suspected", "unknown"]
FactorInDeath = Literal["known", "suspected", "not_a_factor", "unknown"]
DhrInitiated = Literal["statutory", "non_statutory", "none", "unknown"]
ViolentAssaultBy = Literal["another_child", "adult", "none", "unknown"]
InteragencyConcern = Literal["present", "uncertain", "absent", "unknown"]
DiedIn = Literal[
    "police_custody",
    "remand",
    "post_sentence_custody",
    "young_offender_institution",
    "secure_training_centre",
    "secure_childrens_home",
    "none",
    "unknown",
]

FactValue = bool | int | str


def _fact(description: str) -> Any:
    return Field(default=UNKNOWN, description=description)


class Facts(BaseModel):
    """What the reviewer established about the case; every fact may be unknown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    child_age_at_incident: Age = _fact(
        "The child's age in whole years at the time of the death or harm (0 to 25)."
    )
    child_died: TriState = _fact("The child has died.")
    death_suspected_suicide: TriState = _fact("The death is suspected to be suicide.")
    abuse_or_neglect: AbuseOrNeglect = _fact(
        "Whether abuse or neglect of the child is known or suspected (reg. 5(2)(a))."
    )
    abuse_or_neglect_factor_in_death: FactorInDeath = _fact(
        "Whether abuse or neglect is known or suspected to be a factor in the child's death."
    )
    child_seriously_harmed: TriState = _fact("The child has been seriously harmed.")
    potentially_life_threatening_injury: TriState = _fact(
        "The child sustained a potentially life-threatening injury."
    )
    serious_permanent_impairment: TriState = _fact(
        "Serious and permanent impairment of the child's health or development."
    )
    sexual_abuse: TriState = _fact("The child was subjected to sexual abuse.")
    parent_murdered: TriState = _fact("A parent of the child has been murdered.")
    dhr_initiated: DhrInitiated = _fact(
        "Whether a domestic homicide review has been initiated (statutory only from 13 Apr 2011)."
    )
    violent_assault_by: ViolentAssaultBy = _fact(
        "Who, if anyone, seriously harmed the child in a violent assault."
    )
    interagency_concern: InteragencyConcern = _fact(
        "Whether the case gives cause for concern about how the authority, its Board "
        "partners and other professionals worked together to safeguard the child."
    )
    died_in: DiedIn = _fact("The custody or secure setting in which the child died, or none.")
    detained_under_mental_health_act: TriState = _fact(
        "The child was detained under the Mental Health Act when they died."
    )
    looked_after: TriState = _fact("The child was looked after by a local authority.")
    killed_by_relative_with_risk_factor: TriState = _fact(
        "The child was killed by a parent, carer or close relative with a mental illness, "
        "known to misuse substances or to perpetrate domestic abuse (extension, WT 2010)."
    )


@dataclass(frozen=True)
class FactDomain:
    """The values a fact can take besides unknown, for rule validation and generation."""

    name: str
    kind: Literal["bool", "enum", "int"]
    values: tuple[FactValue, ...]
    minimum: int | None = None
    maximum: int | None = None
    derived_from: tuple[str, ...] = ()

    def accepts(self, value: object) -> bool:
        """Say whether ``value`` is one of this fact's known values."""
        if self.kind == "int":
            return (
                type(value) is int
                and self.minimum is not None
                and self.maximum is not None
                and self.minimum <= value <= self.maximum
            )
        return any(type(value) is type(v) and value == v for v in self.values)

    def describe(self, with_unknown: bool = True) -> str:
        """Return the expected values in words, for error messages."""
        if self.kind == "int":
            words = [f"a whole number from {self.minimum} to {self.maximum}"]
        elif self.kind == "bool":
            words = ["true", "false"]
        else:
            words = [repr(v) for v in self.values]
        if with_unknown:
            words.append("unknown")
        return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def _domain_of(name: str, annotation: Any) -> FactDomain:
    if name == "child_age_at_incident":
        return FactDomain(name, "int", (), minimum=0, maximum=25)
    options = [arg for arg in typing.get_args(annotation) if arg is not type(None)] or [annotation]
    if any(typing.get_origin(opt) is Annotated for opt in options):
        return FactDomain(name, "bool", (True, False))
    literals = [value for opt in options for value in (typing.get_args(opt) or (opt,))]
    return FactDomain(name, "enum", tuple(v for v in literals if v != UNKNOWN))


BASE_FACTS: dict[str, FactDomain] = {
    name: _domain_of(name, field.annotation) for name, field in Facts.model_fields.items()
}

# Derived facts: computed here, never given in a case file; rules may read them.
DERIVED_FACTS: dict[str, FactDomain] = {
    "is_child": FactDomain(
        "is_child", "bool", (True, False), derived_from=("child_age_at_incident",)
    ),
}

ALL_FACTS: dict[str, FactDomain] = {**BASE_FACTS, **DERIVED_FACTS}


def known_facts(facts: Facts) -> dict[str, FactValue]:
    """Return the known base and derived facts; an unknown fact is absent, never null."""
    known: dict[str, FactValue] = {name: value for name, value in facts if value != UNKNOWN}
    known.update(derive(known))
    return known


def derive(known: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """Compute the derived facts that the known base facts settle.

    ``is_child``: true when the age at the incident is under 18 (WT glossary: a child is
    anyone who has not reached their 18th birthday); unknown when the age is unknown.
    """
    derived: dict[str, FactValue] = {}
    age = known.get("child_age_at_incident")
    if isinstance(age, int) and not isinstance(age, bool):
        derived["is_child"] = age < CHILD_AGE_LIMIT
    return derived


def source_facts(name: str) -> tuple[str, ...]:
    """Return the base facts a user must supply to settle ``name``."""
    domain = ALL_FACTS[name]
    return domain.derived_from or (name,)
