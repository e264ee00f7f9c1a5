"""Deciding a case: the regime by date, the rules' truths combined, and every explanation.

``triage`` chooses the law in force (``select_regimes``), asks an evaluator for each rule's
truth, combines them (the strongest met outcome, unless a stronger one is still open or
unverified law decides it), and explains: reasons, why-nots, missing facts, duties with
their deadlines, unresolved law and other readings. ``compare`` does it under every regime;
``next_question`` asks, of a case still open, the question whose answer can change it.
"""

from typing import TYPE_CHECKING, Any

from scr_rules.decide._decision import (
    DECISION_SCHEMA,
    STRENGTH,
    Alternative,
    Decision,
    Disabled,
    Duty,
    DutyStatus,
    Factor,
    FailedTest,
    NotMet,
    OtherReading,
    Question,
    Reason,
    RuleStatus,
    UnresolvedLaw,
)
from scr_rules.decide._duties import add_months, add_working_days, due_date, is_working_day
from scr_rules.decide._readings import unresolved_text
from scr_rules.decide._regimes import (
    Candidate,
    Selection,
    decision_window_end,
    select_regimes,
)
from scr_rules.decide._triage import engine_version, select_regime, triage, triage_json
from scr_rules.vocabulary import Outcome

if TYPE_CHECKING:  # imported when first used (see __getattr__): triage needs none of them
    from scr_rules.decide._compare import Comparison, compare, comparisons_json
    from scr_rules.decide._interview import (
        AnswerOption,
        InterviewQuestion,
        NextStep,
        WhyAsked,
        next_question,
    )
    from scr_rules.decide._schemas import SCHEMA_NAMES, published_schema

_LAZY = {
    "scr_rules.decide._compare": ("Comparison", "compare", "comparisons_json"),
    "scr_rules.decide._interview": (
        "AnswerOption",
        "InterviewQuestion",
        "NextStep",
        "WhyAsked",
        "next_question",
    ),
    "scr_rules.decide._schemas": ("SCHEMA_NAMES", "published_schema"),
}


def __getattr__(name: str) -> Any:
    """Import the compare, interview and schema names on first use (a one-case start is faster)."""
    import importlib

    for module, names in _LAZY.items():
        if name in names:
            value = getattr(importlib.import_module(module), name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'scr_rules.decide' has no attribute {name!r}")


__all__ = [
    "DECISION_SCHEMA",
    "SCHEMA_NAMES",
    "STRENGTH",
    "Alternative",
    "AnswerOption",
    "Candidate",
    "Comparison",
    "Decision",
    "Disabled",
    "Duty",
    "DutyStatus",
    "Factor",
    "FailedTest",
    "InterviewQuestion",
    "NextStep",
    "NotMet",
    "OtherReading",
    "Outcome",
    "Question",
    "Reason",
    "RuleStatus",
    "Selection",
    "UnresolvedLaw",
    "WhyAsked",
    "add_months",
    "add_working_days",
    "compare",
    "comparisons_json",
    "decision_window_end",
    "due_date",
    "engine_version",
    "is_working_day",
    "next_question",
    "published_schema",
    "select_regime",
    "select_regimes",
    "triage",
    "triage_json",
    "unresolved_text",
]
