"""The options of ``scr triage`` that append its decision to an audit log."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from scr_rules.audit import HUMAN_DECISIONS, AuditLog, Record, pseudonym_key_from_env
from scr_rules.case import Case
from scr_rules.decide import Decision
from scr_rules.errors import AuditError
from scr_rules.law import RuleBook

PANEL = "Audit log"


# The decision the board actually took: a choice per decision the audit log records.
HumanChoice = StrEnum("HumanChoice", {name: name for name in HUMAN_DECISIONS})  # type: ignore[misc]


RecordOption = Annotated[
    Path | None,
    typer.Option(
        "--record",
        help="Append the decision to this audit log (created, mode 0600, on first use).",
        rich_help_panel=PANEL,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(help="Who records it: a role or staff id, never a name.", rich_help_panel=PANEL),
]
HumanDecisionOption = Annotated[
    HumanChoice | None,
    typer.Option(
        help="The board's actual decision, recorded beside the engine's.", rich_help_panel=PANEL
    ),
]
HumanReasonOption = Annotated[
    str | None,
    typer.Option(help="A short reason for the board's decision (no names).", rich_help_panel=PANEL),
]
PseudonymiseOption = Annotated[
    bool,
    typer.Option(
        "--pseudonymise",
        help="Record a keyed pseudonym of case_ref (HMAC-SHA256, key in $SCR_PSEUDONYM_KEY).",
        rich_help_panel=PANEL,
    ),
]


@dataclass(frozen=True)
class Recording:
    """What ``scr triage --record`` was asked to record beside the decision."""

    log: Path
    by: str | None
    human_decision: HumanChoice | None
    human_reason: str | None
    key: bytes | None


def recording(
    log: Path | None,
    by: str | None,
    human_decision: HumanChoice | None,
    human_reason: str | None,
    pseudonymise: bool,
) -> Recording | None:
    """Check the recording options of ``scr triage``; raise AuditError on a bad combination."""
    if log is None:
        given = [
            name
            for name, value in [
                ("--by", by),
                ("--human-decision", human_decision),
                ("--human-reason", human_reason),
                ("--pseudonymise", pseudonymise or None),
            ]
            if value
        ]
        if given:
            raise AuditError(f"{', '.join(given)} needs --record LOG (the audit log to append to)")
        return None
    key = pseudonym_key_from_env() if pseudonymise else None
    return Recording(log, by, human_decision, human_reason, key)


def record_decision(rec: Recording, case: Case, decision: Decision, book: RuleBook) -> Record:
    """Append a triage decision to the log and say so on stderr (stdout keeps the decision)."""
    with AuditLog(rec.log) as log:
        record = log.record(
            case,
            decision,
            rulebook=book,
            by=rec.by,
            human_decision=rec.human_decision.value if rec.human_decision else None,  # type: ignore[arg-type]
            human_reason=rec.human_reason,
            pseudonymise_key=rec.key,
        )
    sys.stderr.write(f"recorded: record {record.id} in {rec.log} (head {record.hash})\n")
    return record
