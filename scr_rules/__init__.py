"""Decide whether a child-safeguarding Serious Case Review is required in England, and say why.

Typical use::

    from scr_rules import load_case, triage

    decision = triage(load_case("cases/death-neglect-factor-2008.yaml"))
    print(decision.outcome, decision.met_rules())
"""

from scr_rules.audit import (
    AuditLog,
    RecordReplay,
    ReplayReport,
    ReplaySummary,
    RuleChange,
    VerifyProblem,
    VerifyResult,
    replay,
)
from scr_rules.case import Case, load_case
from scr_rules.decision import Decision, Disabled, FailedTest, NotMet, Outcome, Question, Reason
from scr_rules.errors import (
    AuditError,
    CaseFileError,
    EngineError,
    InputError,
    RegimeError,
    RuleFileError,
    ScrRulesError,
)
from scr_rules.facts import Facts
from scr_rules.rulebook import Rule, RuleBook, load_rulebook
from scr_rules.settings import SettingError, resolve_settings
from scr_rules.triage import select_regime, triage

__all__ = [
    "AuditError",
    "AuditLog",
    "Case",
    "CaseFileError",
    "Decision",
    "Disabled",
    "EngineError",
    "Facts",
    "FailedTest",
    "InputError",
    "NotMet",
    "Outcome",
    "Question",
    "Reason",
    "RecordReplay",
    "RegimeError",
    "ReplayReport",
    "ReplaySummary",
    "Rule",
    "RuleBook",
    "RuleChange",
    "RuleFileError",
    "ScrRulesError",
    "SettingError",
    "VerifyProblem",
    "VerifyResult",
    "load_case",
    "load_rulebook",
    "replay",
    "resolve_settings",
    "select_regime",
    "triage",
]
