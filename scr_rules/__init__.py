"""Decide whether a child-safeguarding Serious Case Review is required in England, and say why.

Typical use::

    from scr_rules import load_case, triage

    decision = triage(load_case("cases/death-neglect-factor-2008.yaml"))
    print(decision.outcome, decision.met_rules())
"""

from scr_rules.audit import (
    AuditLog,
    Record,
    RecordReplay,
    ReplayReport,
    ReplaySummary,
    RuleChange,
    VerifyProblem,
    VerifyResult,
    replay,
)
from scr_rules.case import Case, Facts, case_from_dict, load_case
from scr_rules.decide import (
    Alternative,
    Decision,
    Disabled,
    Duty,
    Factor,
    FailedTest,
    NotMet,
    Outcome,
    Question,
    Reason,
    Selection,
    compare,
    select_regime,
    triage,
)
from scr_rules.errors import (
    AuditError,
    CaseFileError,
    EngineError,
    InputError,
    RegimeError,
    RuleFileError,
    ScrRulesError,
)
from scr_rules.law import Rule, RuleBook, SettingError, load_rulebook, resolve_settings

__all__ = [
    "Alternative",
    "AuditError",
    "AuditLog",
    "Case",
    "CaseFileError",
    "Decision",
    "Disabled",
    "Duty",
    "EngineError",
    "Factor",
    "Facts",
    "FailedTest",
    "InputError",
    "NotMet",
    "Outcome",
    "Question",
    "Reason",
    "Record",
    "RecordReplay",
    "RegimeError",
    "ReplayReport",
    "ReplaySummary",
    "Rule",
    "RuleBook",
    "RuleChange",
    "RuleFileError",
    "ScrRulesError",
    "Selection",
    "SettingError",
    "VerifyProblem",
    "VerifyResult",
    "case_from_dict",
    "compare",
    "load_case",
    "load_rulebook",
    "replay",
    "resolve_settings",
    "select_regime",
    "triage",
]
