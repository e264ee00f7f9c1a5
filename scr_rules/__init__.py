"""Decide whether a child-safeguarding Serious Case Review is required in England, and say why.

Typical use::

    from scr_rules import load_case, triage

    decision = triage(load_case("cases/death-neglect-factor-2008.yaml"))
    print(decision.outcome, decision.met_rules())
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported when first used (see __getattr__)
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

# Where the public names live, cheapest first: a name is looked up in each in turn, so
# ``from scr_rules import triage`` never loads the audit log (``import scr_rules`` alone
# loads nothing). tests/test_public_api.py checks every name comes from where the imports
# above say.
_MODULES = (
    "scr_rules.errors",
    "scr_rules.case",
    "scr_rules.law",
    "scr_rules.decide",
    "scr_rules.audit",
)


def __getattr__(name: str) -> Any:
    """Import a public name on first use, from the module that defines it."""
    import importlib

    if name == "__version__":
        value: Any = _version()
    elif name in __all__:
        for module_name in _MODULES:
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                value = getattr(module, name)
                break
        else:  # pragma: no cover - tests/test_public_api.py finds every name
            raise AttributeError(f"module 'scr_rules' cannot find {name!r}")
    else:
        raise AttributeError(f"module 'scr_rules' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("scr-rules")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0.0.0+unknown"


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
