"""The law as frozen data: rule files, regimes, settings, conditions, the rulebook and its digest.

Beside it, the interview's questions (``load_questions``): the wording, hints and cited legal
definitions of every fact, checked against the facts but not part of the digest.

Nothing here evaluates a case against an engine or knows about one; conditions carry the
three-valued reference semantics (``evaluate``) that every evaluator must agree with.
"""

from scr_rules.law._conditions import (
    All,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Truth,
    evaluate,
    facts_read,
    failures,
    parse_condition,
    presumed,
    waiting_on,
)
from scr_rules.law._questions import (
    NOT_KNOWN_LABEL,
    Choice,
    Definition,
    QuestionBook,
    QuestionEntry,
    Topic,
    load_questions,
    questions_from_document,
)
from scr_rules.law._rulebook import (
    QUESTIONS_FILE,
    RULEBOOK_SCHEMA,
    RuleBook,
    bundled_rules_dir,
    load_rulebook,
    rulebook_digest,
    rulebook_from_canonical,
)
from scr_rules.law._schema import (
    EVIDENCE_ORDER,
    LEGACY_VALUES,
    UNRESOLVED,
    Citation,
    DutySpec,
    Example,
    InForce,
    LawValues,
    Period,
    Regime,
    Rule,
    RuleSpec,
    Setting,
)
from scr_rules.law._settings import (
    SettingError,
    SettingValue,
    parse_assignments,
    resolve_settings,
)
from scr_rules.law._validation import example_facts

__all__ = [
    "EVIDENCE_ORDER",
    "LEGACY_VALUES",
    "NOT_KNOWN_LABEL",
    "QUESTIONS_FILE",
    "RULEBOOK_SCHEMA",
    "UNRESOLVED",
    "All",
    "AnyOf",
    "Choice",
    "Citation",
    "Comparison",
    "Condition",
    "Definition",
    "DutySpec",
    "Example",
    "InForce",
    "LawValues",
    "Not",
    "Period",
    "QuestionBook",
    "QuestionEntry",
    "Regime",
    "Rule",
    "RuleBook",
    "RuleSpec",
    "Setting",
    "SettingError",
    "SettingValue",
    "Topic",
    "Truth",
    "bundled_rules_dir",
    "evaluate",
    "example_facts",
    "facts_read",
    "failures",
    "load_questions",
    "load_rulebook",
    "parse_assignments",
    "parse_condition",
    "presumed",
    "questions_from_document",
    "resolve_settings",
    "rulebook_digest",
    "rulebook_from_canonical",
    "waiting_on",
]
