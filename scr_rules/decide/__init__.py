"""Deciding a case: the regime by date, the rules' truths combined, and every explanation.

``triage`` chooses the law in force (``select_regimes``), asks an evaluator for each rule's
truth, combines them (the strongest met outcome, unless a stronger one is still open or
unverified law decides it), and explains: reasons, why-nots, missing facts, duties with
their deadlines, unresolved law and other readings. ``compare`` does it under every regime.
"""

from scr_rules.decide._compare import Comparison, compare
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
from scr_rules.decide._triage import engine_version, select_regime, triage
from scr_rules.vocabulary import Outcome

__all__ = [
    "DECISION_SCHEMA",
    "STRENGTH",
    "Alternative",
    "Candidate",
    "Comparison",
    "Decision",
    "Disabled",
    "Duty",
    "DutyStatus",
    "Factor",
    "FailedTest",
    "NotMet",
    "OtherReading",
    "Outcome",
    "Question",
    "Reason",
    "RuleStatus",
    "Selection",
    "UnresolvedLaw",
    "add_months",
    "add_working_days",
    "compare",
    "decision_window_end",
    "due_date",
    "engine_version",
    "is_working_day",
    "select_regime",
    "select_regimes",
    "triage",
    "unresolved_text",
]
