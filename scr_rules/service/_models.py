"""The service's documents as pydantic models: they are the OpenAPI components.

Request bodies are read and checked by the library itself (``case_from_dict`` and the
option checks in ``_bodies``), never by these models, so a bad case gets the library's own
problems; the models only describe the shapes for the spec and for client generators.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scr_rules.audit import HumanDecision
from scr_rules.case import Case, IsoDate
from scr_rules.law import RuleSpec
from scr_rules.vocabulary import Outcome, ReviewType


class _Closed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Open(BaseModel):
    """A document another package builds and may grow: new fields are allowed."""

    model_config = ConfigDict(frozen=True, extra="allow")


# --- requests ------------------------------------------------------------------------------


class DecisionOptions(_Closed):
    """The options of ``scr triage``, by the same names."""

    regime: str | None = Field(default=None, description="Force this regime (see /v1/regimes).")
    decision_date: IsoDate | None = Field(
        default=None, description="The date the decision is taken; overrides the case file's."
    )
    settings: dict[str, bool | str] = Field(
        default_factory=dict, description="Switches where sources disagree (see /v1/settings)."
    )
    today: IsoDate | None = Field(
        default=None, description="Flag duties overdue against this date (none: no flags)."
    )


class DecisionRequest(Case):
    """A case file (``scr-case/1``) as JSON, optionally with the options of ``scr triage``."""

    options: DecisionOptions | None = None


class ComparisonOptions(_Closed):
    """The options of ``scr compare``."""

    settings: dict[str, bool | str] = Field(default_factory=dict)


class ComparisonRequest(Case):
    """A case file as JSON, optionally with the options of ``scr compare``."""

    options: ComparisonOptions | None = None


class InterviewOptions(_Closed):
    """The options of ``scr next``."""

    regime: str | None = None
    decision_date: IsoDate | None = None
    settings: dict[str, bool | str] = Field(default_factory=dict)


class InterviewRequest(_Closed):
    """A case so far and the facts the officer chose to skip."""

    case: Case
    skipped: list[str] = Field(default_factory=list, description="Fact names not to ask again.")
    options: InterviewOptions | None = None


class RecordAudit(_Closed):
    """Who records the decision, and what the board decided (as ``scr triage --record``)."""

    by: str | None = Field(
        default=None,
        description="A role or staff id, never a name (default: the bearer token's name).",
    )
    human_decision: HumanDecision | None = None
    human_reason: str | None = Field(default=None, description="A short reason, no names.")


class RecordRequest(Case):
    """A case file as JSON with the options of ``scr triage`` and what to record beside it."""

    options: DecisionOptions | None = None
    audit: RecordAudit | None = None


# --- responses -----------------------------------------------------------------------------


class SchemaLink(_Closed):
    """One public contract: its schema id and where its JSON Schema is served."""

    schema_: str = Field(alias="schema")
    url: str

    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True)


class ServiceIndex(_Closed):
    """What this service decides with: the engine, the rulebook and the contracts."""

    engine_version: str
    rulebook: str = Field(description="The sha256 of the canonical rule files in use.")
    regimes: list[str]
    schemas: dict[str, SchemaLink]


class Health(_Closed):
    """The service is up."""

    status: Literal["ok"]


class ComparisonRow(_Closed):
    """One regime's answer for the case (a row of ``scr compare --format json``)."""

    regime: str
    evaluated_on: IsoDate
    outcome: Outcome
    possible_outcomes: list[Outcome]
    met_rules: list[str]
    missing_facts: list[str]
    review_type: ReviewType | None


class RuleSummary(_Closed):
    """A rule as ``scr rules list`` shows it."""

    id: str
    regime: str
    kind: str
    title: str
    outcome: str | None
    outcome_setting: str | None
    enabled_when: dict[str, Any] | None
    force: str
    evidence: str
    catalogue: str
    in_force: dict[str, Any]


class RuleDetail(RuleSpec):
    """A rule file in full (as ``scr rules show``), with its path in the rules tree."""

    path: str


class NextStepDocument(_Open):
    """The document ``scr next --format json`` prints: the next question, or the end."""


class VerifyProblemItem(_Open):
    """One thing wrong with the audit log."""

    record_id: int | None
    rulebook: str | None
    message: str


class VerifyDocument(_Open):
    """The result of ``scr audit verify --format json``."""

    ok: bool
    first_bad: int | None
    records: int
    rulebooks: int
    head: str | None
    problems: list[VerifyProblemItem]
    problem_count: int


class AuditRecord(_Open):
    """One audit record, as ``scr audit show LOG ID --format json`` prints it."""

    id: int
    recorded_at: str
    case_ref: str
    case: dict[str, Any]
    decision: dict[str, Any]
    rulebook: str
    prev_hash: str
    hash: str


class ProblemItem(_Closed):
    """One problem with the request, from the library's own checks."""

    pointer: str = Field(description="JSON Pointer (RFC 6901) into the request body.")
    field: str = Field(description="The same place as the library names it, e.g. facts.x.")
    message: str
    expected: str | None = None
    found: str | None = None


class Problem(_Closed):
    """An error as RFC 9457 ``application/problem+json``."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str
    errors: list[ProblemItem] | None = None
