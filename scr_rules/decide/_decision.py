"""The decision: outcome, the regime and date that chose the law, and every reason."""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from scr_rules.case import FactValue
from scr_rules.engine import EvaluatorName
from scr_rules.vocabulary import Outcome, ReviewType, RuleOutcome

RuleStatus = Literal["met", "not_met", "unknown"]
DutyStatus = Literal[
    "due", "overdue", "done", "done_late", "possible", "possible_overdue", "date_unknown"
]
DECISION_SCHEMA: Final = "scr-decision/1"
STRENGTH: dict[str, int] = {"not_required": 0, "discretionary": 1, "mandatory": 2}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(_Frozen):
    """A rule that is met, or still possible (unknown), with the facts behind it."""

    rule_id: str
    title: str
    outcome: RuleOutcome
    force: str
    status: Literal["met", "unknown"]
    citation: str
    evidence: str
    catalogue: str
    reason: str
    facts: dict[str, FactValue] = Field(
        description="Every fact the rule reads, with its value ('unknown' when unknown)."
    )
    waiting_on: tuple[str, ...] = Field(
        default=(), description="For an unknown rule: the facts to establish."
    )
    notes: str | None = None
    presumed: tuple[str, ...] = Field(
        default=(), description="Unknown facts a presumption settled (e.g. WT 2013's concern)."
    )
    review_type: ReviewType | None = None


class FailedTest(_Frozen):
    """One condition that failed: the fact, its value and what the rule expected."""

    fact: str
    value: FactValue
    expected: str
    because: dict[str, FactValue] = Field(
        default_factory=dict,
        description="For a derived fact: the known facts it was derived from.",
    )


class NotMet(_Frozen):
    """A rule that cannot apply, and the exact conditions that failed (the "why not")."""

    rule_id: str
    title: str
    outcome: RuleOutcome
    status: Literal["not_met"] = "not_met"
    citation: str
    evidence: str
    failed: tuple[FailedTest, ...]


class Disabled(_Frozen):
    """A rule not evaluated because a setting switches it off (e.g. unverified law)."""

    rule_id: str
    title: str
    outcome: RuleOutcome
    evidence: str
    setting: str
    why: str


class Question(_Frozen):
    """A missing fact, and what establishing it could lead to."""

    fact: str
    could_lead_to: RuleOutcome
    rules: tuple[str, ...]


class Duty(_Frozen):
    """A step that follows from the case (a notification, a decision, a review) and when."""

    rule_id: str
    duty: str
    action: str
    who: str
    due: date | None = Field(description="The deadline, when the date it runs from is known.")
    due_rule: str | None = Field(description="How the deadline is counted, in words.")
    basis: str
    evidence: str
    status: DutyStatus = Field(
        description=(
            "due / overdue: the duty applies (overdue once its date has passed against "
            "today); done / done_late: the case records it done (late: after the date); "
            "possible / possible_overdue: it applies if unknown facts bear it out; "
            "date_unknown: it applies but the date it runs from is not given."
        )
    )
    waiting_on: tuple[str, ...] = ()
    done_on: date | None = Field(default=None, description="When the case records it done.")
    regime: str | None = Field(default=None, description="The regime whose law sets the duty.")


class Factor(_Frozen):
    """A matter the decision-maker must weigh; it never changes the outcome by itself."""

    rule_id: str
    title: str
    status: RuleStatus
    citation: str
    evidence: str


class UnresolvedLaw(_Frozen):
    """A switch over unverified law or a disputed reading whose readings decide differently."""

    setting: str
    regime: str
    rule_ids: tuple[str, ...] = Field(description="The rules the switch governs.")
    evidence: str = Field(description="How well the provision was verified (regimes.md 0.1).")
    outcomes: dict[str, Outcome] = Field(
        description="The outcome under each value that settles the point, e.g. {'true': ...}."
    )


class OtherReading(_Frozen):
    """Another value of a settled switch that would give this case another outcome."""

    setting: str
    value: bool | str
    outcome: Outcome
    regime: str


class Alternative(_Frozen):
    """What another candidate regime decides when the dates cannot pick one."""

    regime: str
    decision_date: date | None
    outcome: Outcome
    possible_outcomes: tuple[Outcome, ...]
    met_rules: tuple[str, ...]


class Decision(_Frozen):
    """The outcome for one case under one regime, and every rule that led to it."""

    schema_: Literal["scr-decision/1"] = Field(default=DECISION_SCHEMA, alias="schema")
    case_ref: str
    outcome: Outcome
    possible_outcomes: tuple[Outcome, ...]
    force: str | None = Field(description="The legal force of the strongest met rule.")
    regime: str
    regime_title: str
    regime_reason: str
    decision_date: date | None = Field(description="The date that selected the regime.")
    date_source: str = Field(description="Where decision_date came from.")
    reasons: tuple[Reason, ...]
    not_met: tuple[NotMet, ...]
    disabled: tuple[Disabled, ...]
    missing_facts: tuple[str, ...]
    questions: tuple[Question, ...]
    advice: tuple[str, ...]
    warnings: tuple[str, ...]
    settings: dict[str, bool | str]
    settings_overridden: tuple[str, ...] = Field(
        default=(), description="The settings whose value is not the rulebook's default."
    )
    evaluator: EvaluatorName
    rulebook: str
    engine_version: str
    jurisdiction: str = "england"
    review_type: ReviewType | None = Field(
        default=None, description="Wales: the kind of child practice review required."
    )
    duties: tuple[Duty, ...] = ()
    factors: tuple[Factor, ...] = ()
    alternatives: tuple[Alternative, ...] = Field(
        default=(), description="Each candidate regime's decision, when the dates allow several."
    )
    today: date | None = Field(default=None, description="The date duties were checked against.")
    unresolved_law: tuple[UnresolvedLaw, ...] = Field(
        default=(),
        description="Unverified or disputed provisions that decide this case, with each outcome.",
    )
    other_readings: tuple[OtherReading, ...] = Field(
        default=(), description="Settings whose other value would change this outcome."
    )
    review_type_waiting_on: tuple[str, ...] = Field(
        default=(),
        description="Wales: a review is required but these facts decide its type.",
    )
    duty_notes: tuple[str, ...] = Field(
        default=(), description="What the duties cannot show (e.g. timescales not encoded)."
    )
    requested_regime: str | None = Field(
        default=None, description="The regime the caller forced (--regime), if any."
    )
    requested_decision_date: date | None = Field(
        default=None, description="The decision date the caller gave (--decision-date), if any."
    )

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, serialize_by_alias=True
    )

    def met_rules(self) -> list[str]:
        """Return the ids of the rules that are met."""
        return [reason.rule_id for reason in self.reasons if reason.status == "met"]

    def to_json(self) -> str:
        """Return the decision as the public JSON (case-file.md)."""
        return self.model_dump_json(indent=2)
