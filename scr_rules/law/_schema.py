"""The rule-file schema: a rule, its citation and dates, a regime, a setting (pydantic)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scr_rules.case import IsoDate
from scr_rules.law._conditions import Condition, facts_read
from scr_rules.vocabulary import Jurisdiction, ReviewType, RuleOutcome

Evidence = Literal["primary", "secondary", "unverified"]
EVIDENCE_ORDER: tuple[Evidence, ...] = tuple(reversed(get_args(Evidence)))  # weakest first
Force = Literal["statute", "regulation", "statutory_guidance"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Strict):
    """Where a rule comes from and how well that was verified (regimes.md 0.1)."""

    instrument: str
    reference: str
    evidence: Evidence
    text: str
    catalogue: str = Field(description="The criterion id in regimes.md, e.g. ENG06-M1.")

    def short(self) -> str:
        """Return 'instrument, reference'."""
        return f"{self.instrument}, {self.reference}"


class InForce(_Strict):
    """The inclusive dates between which a rule or regime applies, and their source."""

    from_: IsoDate = Field(alias="from")
    to: IsoDate | None = None
    source: str

    @model_validator(mode="after")
    def _in_order(self) -> InForce:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self

    def covers(self, day: date) -> bool:
        """Say whether ``day`` falls inside these inclusive dates."""
        return self.from_ <= day and (self.to is None or day <= self.to)

    def covers_after(self, day: date) -> bool:
        """Say whether these dates reach ``day`` or later."""
        return self.to is None or self.to >= day

    def span(self) -> str:
        """Return 'from .. to' in ISO dates."""
        return f"{self.from_.isoformat()} .. {self.to.isoformat() if self.to else 'open'}"


class Example(_Strict):
    """A worked example inside a rule file: facts and whether the rule fires."""

    name: str
    facts: dict[str, Any]
    fires: bool | Literal["unknown"]
    settings: dict[str, Any] = Field(default_factory=dict)


class EnabledWhen(_Strict):
    """A rule is evaluated only while a setting has this value (a switch, regimes.md 15)."""

    setting: str
    equals: bool | str


class Due(_Strict):
    """When a duty falls due: so many working days, calendar days or months after a date."""

    within: int = Field(ge=0)
    unit: Literal["working_days", "calendar_days", "months"]
    from_: Literal["incident_date", "notification_date", "decision_date"] = Field(alias="from")


class DutySpec(_Strict):
    """A step that must follow (a notification, a decision, a review), and its deadline."""

    name: str
    action: str
    who: str
    due: Due | None = None
    when_outcome: tuple[Literal[RuleOutcome, "undetermined"], ...] | None = Field(
        default=None, description="Only when the decision's outcome is one of these."
    )
    done_by: Literal["decision_date"] | None = Field(
        default=None, description="The duty is done once the case gives this date."
    )


class RuleSpec(_Strict):
    """The metadata of one rule file; ``when`` is parsed into a Condition separately.

    A ``criterion`` decides the outcome; a ``duty`` adds a step with its deadline; a
    ``factor`` is a matter the decision-maker must weigh (it never changes the outcome).
    """

    id: str
    regime: str
    kind: Literal["criterion", "duty", "factor"] = "criterion"
    title: str
    outcome: RuleOutcome | None = None
    review_type: ReviewType | None = None
    duty: DutySpec | None = None
    outcome_setting: str | None = Field(
        default=None, description="A setting whose value replaces the outcome (a switch)."
    )
    enabled_when: EnabledWhen | None = Field(
        default=None, description="The rule is off unless this setting has this value."
    )
    force: Force
    citation: Citation
    in_force: InForce
    when: Any
    reason: str
    notes: str | None = None
    examples: tuple[Example, ...]


class AreaSwitch(_Strict):
    """A regime that began area by area: before an area's own start date the old one applies."""

    fact: Literal["area_new_arrangements_start_date"]
    replaces: str
    latest: IsoDate = Field(description="By this date every area had switched.")


class Regime(_Strict):
    """A period of law: which instruments applied, from when until when."""

    id: str
    jurisdiction: Jurisdiction
    title: str
    in_force: InForce
    not_required_advice: str
    decider: str = Field(default="the LSCB chair", description="Who takes the decision.")
    area_switch: AreaSwitch | None = None


UNRESOLVED = "unresolved"  # a setting value: the law here is unverified or disputed (0.5)


class Setting(_Strict):
    """A switch where the sources disagree (regimes.md section 15), with its default.

    A switch over unverified law or a disputed reading also takes ``unresolved``: a case
    the provision could catch is then undetermined, with each reading's outcome shown.
    """

    name: str
    values: tuple[bool | str, ...]
    default: bool | str
    description: str
    source: str
    evidence: Evidence | None = Field(
        default=None, description="How well the provision the switch governs was verified."
    )

    def readings(self) -> tuple[bool | str, ...]:
        """Return the values that settle the point (every value but ``unresolved``)."""
        return tuple(value for value in self.values if value != UNRESOLVED)


@dataclass(frozen=True, eq=False)  # equal and hashed by identity: a cache key
class Rule:
    """One provision: its metadata, its parsed condition and the file it came from."""

    spec: RuleSpec
    condition: Condition
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    def facts(self) -> list[str]:
        """Return the facts the condition reads."""
        return facts_read(self.condition)


class _Value(_Strict):
    source: str


class IntValue(_Value):
    """A whole number the law fixes, with its source."""

    value: int = Field(ge=0)


class DateValue(_Value):
    """A date the law fixes, with its source."""

    value: IsoDate


class Period(_Value):
    """A length of time, with its source."""

    within: int = Field(ge=0)
    unit: Literal["working_days", "calendar_days", "months"]


class LawValues(_Strict):
    """Values of the law the engine reads (``rules/values.yaml``).

    A rulebook recorded before the file existed gets the values the engine then had
    built in (``LEGACY``), so it replays as it was decided.
    """

    child_age_limit: IntValue
    statutory_dhr_start: DateValue
    decision_window: Period


LEGACY_VALUES = LawValues(
    child_age_limit=IntValue(value=18, source="built in before rules/values.yaml"),
    statutory_dhr_start=DateValue(value=date(2011, 4, 13), source="built in before values.yaml"),
    decision_window=Period(within=31, unit="calendar_days", source="built in before values.yaml"),
)
