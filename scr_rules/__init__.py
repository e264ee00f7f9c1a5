"""Decide whether a child-safeguarding Serious Case Review is required in England, and say why.

Typical use::

    from scr_rules import load_case, triage

    decision = triage(load_case("cases/death-neglect-factor-2008.yaml"))
    print(decision.outcome, decision.met_rules())
"""

from importlib import metadata as _metadata

from scr_rules.audit import (
    Assessment,
    AuditLog,
    BoardReport,
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
    NextStep,
    NotMet,
    Outcome,
    Question,
    Reason,
    Selection,
    compare,
    next_question,
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

try:
    __version__ = _metadata.version("scr-rules")
except _metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "Alternative",
    "Assessment",
    "AuditError",
    "AuditLog",
    "BoardReport",
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
    "NextStep",
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
    "__version__",
    "case_from_dict",
    "compare",
    "load_case",
    "load_rulebook",
    "next_question",
    "replay",
    "resolve_settings",
    "select_regime",
    "triage",
]
