"""The facts of a case: one strict, three-valued field per fact the rules read.

A fact left out, or given as ``unknown``, is unknown. Booleans accept only ``true`` and
``false`` (no ``"yes"``, ``1`` or ``"true"``): a silent coercion is a wrong decision.
Facts are named as in regimes.md section 12 and case-file.md.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from scr_rules.vocabulary import iso_date_only, value_text

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

SubjectStatus = Literal["born_alive", "unborn", "stillborn", "unknown"]
AbsenceEvidence = Literal["none", "clear", "definitive", "unknown"]
AgencyInvolvement = Literal["none", "single_agency", "multi_agency", "unknown"]
AbuseType = Literal["physical", "sexual", "emotional", "neglect", "exploitation", "other"]


def _iso_date_or_unknown(value: Any) -> Any:
    """Let through only a date, 'unknown' or text spelt YYYY-MM-DD (no timestamps)."""
    return value if value == UNKNOWN else iso_date_only(value)


IsoDate = Annotated[date, BeforeValidator(iso_date_only)]  # a date, never a timestamp
DateOrUnknown = Annotated[date | Literal["unknown"], BeforeValidator(_iso_date_or_unknown)]
AbuseTypes = tuple[AbuseType, ...] | Literal["unknown"]

FactValue = bool | int | str | tuple[str, ...]


def _fact(description: str) -> Any:
    return Field(default=UNKNOWN, description=description)


class Facts(BaseModel):
    """What the reviewer established about the case; every fact may be unknown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject_status: SubjectStatus = _fact(
        "Whether the subject was born alive, unborn or stillborn; unknown counts as born alive "
        "(the reading under which the review criteria can apply)."
    )
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
    # Working Together 2013 and 2015 (regimes.md 5, 6)
    absence_evidence: AbsenceEvidence = _fact(
        "When interagency_concern is 'absent': how firmly the evidence shows no concern "
        "(WT 2013: 'clear'; WT 2015: 'definitive')."
    )
    serious_or_long_term_impairment: TriState = _fact(
        "Serious and/or likely long-term impairment of physical or mental health or of "
        "physical, intellectual, emotional, social or behavioural development."
    )
    child_recovered: TriState = _fact(
        "The child has recovered; it never negates serious harm (WT 2015 onwards)."
    )
    in_regulated_setting_or_service: TriState = _fact(
        "The child died in a regulated setting or service (WT 2015 notifiable incident)."
    )
    dols_order_16_17: TriState = _fact(
        "A 16/17-year-old subject to a deprivation-of-liberty order under the Mental "
        "Capacity Act 2005 (WT 2015, unverified limb)."
    )
    agency_involvement: AgencyInvolvement = _fact(
        "Which agencies were involved with the child or family."
    )
    # 2018 onwards: notification and local child safeguarding practice reviews (regimes.md 7, 8)
    incident_in_la_area: TriState = _fact("The incident happened in the local authority's area.")
    normally_resident_in_la_area: TriState = _fact(
        "The child normally lives in the local authority's area."
    )
    incident_outside_england: TriState = _fact("The incident happened outside England.")
    care_leaver_under_25: TriState = _fact(
        "The child or young person was a care leaver aged under 25 (WT 2023)."
    )
    lcspr_improvements_needed: TriState = _fact(
        "The case highlights or may highlight improvements needed (reg. 11(a), S.I. 2018/789)."
    )
    lcspr_recurrent_themes: TriState = _fact(
        "The case highlights or may highlight recurrent themes (reg. 11(b))."
    )
    lcspr_two_agencies_concern: TriState = _fact(
        "The case highlights or may highlight concerns about two or more agencies working "
        "together (reg. 11(c))."
    )
    panel_recommends_local_review: TriState = _fact(
        "The Panel considered the case and concluded a local review may be more appropriate "
        "(reg. 11(d))."
    )
    national_importance_or_complex: TriState = _fact(
        "The case raises issues that are complex or of national importance (s16B)."
    )
    legislative_change_issue: TriState = _fact(
        "The case may require a change of legislation or guidance (reg. 3)."
    )
    single_agency_concern: TriState = _fact(
        "There is cause for concern about the actions of a single agency."
    )
    multiple_areas_involved: TriState = _fact(
        "More than one local authority, police area or health commissioner is involved."
    )
    institutional_setting: TriState = _fact(
        "The case concerns a child in an institutional setting."
    )
    area_new_arrangements_start_date: DateOrUnknown = _fact(
        "The date the area's safeguarding-partner arrangements replaced its LSCB (2018-2019)."
    )
    # Wales (regimes.md 9)
    within_board_area: TriState = _fact("The child was within the Board's area.")
    abuse_or_neglect_types: AbuseTypes = _fact(
        "The kinds of abuse or neglect known or suspected, as a list."
    )
    looked_after_within_6_months: TriState = _fact(
        "The child was looked after on any date in the 6 months before the reference date."
    )
    on_cp_register_within_6_months: TriState = _fact(
        "The child was on the child protection register on any date in the 6 months before "
        "the reference date."
    )
    impairment_identified_date: DateOrUnknown = _fact(
        "Wales: the date a s28 or s175 body identified a serious and permanent impairment."
    )
    child_harmed: TriState = _fact(
        "The child suffered harm of any severity (Children Act 1989 s31(9) sense); Wales "
        "2006 reg. 4(2) needs only harm."
    )


@dataclass(frozen=True)
class FactDomain:
    """The values a fact can take besides unknown, for rule validation and generation."""

    name: str
    kind: Literal["bool", "enum", "int", "set", "date"]
    values: tuple[FactValue, ...]
    minimum: int | None = None
    maximum: int | None = None
    derived_from: tuple[str, ...] = ()
    asked_as: tuple[str, ...] = ()  # what to ask for a derived fact, if not all its sources

    def accepts(self, value: object) -> bool:
        """Say whether ``value`` is one of this fact's known values."""
        if self.kind == "date":
            return False  # dates choose regimes and deadlines; rules never test them
        if self.kind == "set":
            return type(value) is str and value in self.values
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
        if self.kind == "date":
            words = ["a date YYYY-MM-DD"]
        elif self.kind == "set":
            words = ["a list of " + ", ".join(repr(v) for v in self.values)]
        elif self.kind == "int":
            words = [f"a whole number from {self.minimum} to {self.maximum}"]
        elif self.kind == "bool":
            words = [value_text(v) for v in (True, False)]
        else:
            words = [repr(v) for v in self.values]
        if with_unknown:
            words.append("unknown")
        return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def _domain_of(name: str, annotation: Any) -> FactDomain:
    if name == "child_age_at_incident":
        return FactDomain(name, "int", (), minimum=0, maximum=25)
    if name.endswith("_date"):
        return FactDomain(name, "date", ())
    if name == "abuse_or_neglect_types":
        return FactDomain(name, "set", typing.get_args(AbuseType))
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
    "abuse_known_or_suspected": FactDomain(
        "abuse_known_or_suspected",
        "bool",
        (True, False),
        derived_from=("abuse_or_neglect", "abuse_or_neglect_types"),
    ),
    # "AN" of regimes.md 0.3: defined by the entailments in entailments.yaml (12.1)
    "abuse_or_neglect_known_or_suspected": FactDomain(
        "abuse_or_neglect_known_or_suspected",
        "bool",
        (True, False),
        derived_from=(
            "abuse_or_neglect",
            "sexual_abuse",
            "abuse_or_neglect_factor_in_death",
            "killed_by_relative_with_risk_factor",
            "abuse_or_neglect_types",
        ),
        asked_as=("abuse_or_neglect",),  # the others can settle it, but this is the question
    ),
}
CODE_DERIVED = ("is_child", "abuse_known_or_suspected")  # computed in ``derive`` itself

ALL_FACTS: dict[str, FactDomain] = {**BASE_FACTS, **DERIVED_FACTS}
NOT_DATES = tuple(name for name, domain in BASE_FACTS.items() if domain.kind != "date")


def source_facts(name: str) -> tuple[str, ...]:
    """Return the base facts a user must supply to settle ``name``."""
    domain = ALL_FACTS[name]
    return domain.derived_from or (name,)


def asked_facts(name: str) -> tuple[str, ...]:
    """Return the base facts to ask for while ``name`` is unknown (a missing fact)."""
    domain = ALL_FACTS[name]
    return domain.asked_as or domain.derived_from or (name,)
