"""The tamper-evident audit log: record decisions, verify the chain, replay past decisions.

Every decision can be appended to a log (SQLite, hash-chained, one transaction per append)
with the rulebook it was decided under; ``verify`` proves the chain intact as far as the
file shows, and ``replay`` re-decides every record under its own rulebook and compares.
"""

from scr_rules.audit._entry import (
    PSEUDONYM_KEY_ENV,
    make_entry,
    pseudonym,
    pseudonym_key_from_env,
)
from scr_rules.audit._import import RowProblem
from scr_rules.audit._log import AuditLog, ImportResult, replay
from scr_rules.audit._record import HUMAN_DECISIONS, Appended, HumanDecision, Record
from scr_rules.audit._replay import RecordReplay, ReplayReport, ReplaySummary, RuleChange
from scr_rules.audit._verify import VerifyProblem, VerifyResult

__all__ = [
    "HUMAN_DECISIONS",
    "PSEUDONYM_KEY_ENV",
    "Appended",
    "AuditLog",
    "HumanDecision",
    "ImportResult",
    "Record",
    "RecordReplay",
    "ReplayReport",
    "ReplaySummary",
    "RowProblem",
    "RuleChange",
    "VerifyProblem",
    "VerifyResult",
    "make_entry",
    "pseudonym",
    "pseudonym_key_from_env",
    "replay",
]
