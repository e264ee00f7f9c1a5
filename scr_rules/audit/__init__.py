"""The tamper-evident audit log: record decisions, verify the chain, replay past decisions.

Every decision can be appended to a log (SQLite, hash-chained, one transaction per append)
with the rulebook it was decided under; ``verify`` proves the chain intact as far as the
file shows (and, with the board's key in ``SCR_AUDIT_KEY``, that it was not rebuilt),
``replay`` re-decides every record under its own rulebook and compares, and ``report``
sets the board's decisions beside the engine's, by regime and year.
"""

from scr_rules.audit._agreement import AGREEMENTS, Agreement, Assessment, human_agreement
from scr_rules.audit._changes import RuleChange
from scr_rules.audit._chart import CHARTS_HINT, agreement_chart
from scr_rules.audit._entry import (
    PSEUDONYM_KEY_ENV,
    make_entry,
    pseudonym,
    pseudonym_key_from_env,
)
from scr_rules.audit._export import CSV_COLUMNS, LogExportFormat, write_atomically
from scr_rules.audit._import import RowProblem
from scr_rules.audit._keyed import AUDIT_KEY_ENV, audit_key_from_env
from scr_rules.audit._log import AuditLog, ImportResult, replay
from scr_rules.audit._record import HUMAN_DECISIONS, Appended, HumanDecision, Record
from scr_rules.audit._replay import RecordReplay, ReplayReport, ReplaySummary
from scr_rules.audit._report import BoardReport, BoardReportFormat
from scr_rules.audit._report_html import render_html
from scr_rules.audit._report_md import render_markdown
from scr_rules.audit._schema import LOG_SCHEMA
from scr_rules.audit._verify import ANCHOR_FORM, VerifyProblem, VerifyResult, parse_anchor

__all__ = [
    "AGREEMENTS",
    "ANCHOR_FORM",
    "AUDIT_KEY_ENV",
    "CHARTS_HINT",
    "CSV_COLUMNS",
    "HUMAN_DECISIONS",
    "LOG_SCHEMA",
    "PSEUDONYM_KEY_ENV",
    "Agreement",
    "Appended",
    "Assessment",
    "AuditLog",
    "BoardReport",
    "BoardReportFormat",
    "HumanDecision",
    "ImportResult",
    "LogExportFormat",
    "Record",
    "RecordReplay",
    "ReplayReport",
    "ReplaySummary",
    "RowProblem",
    "RuleChange",
    "VerifyProblem",
    "VerifyResult",
    "agreement_chart",
    "audit_key_from_env",
    "human_agreement",
    "make_entry",
    "parse_anchor",
    "pseudonym",
    "pseudonym_key_from_env",
    "render_html",
    "render_markdown",
    "replay",
    "write_atomically",
]
