"""Build log entries: check what is recorded beside a decision, and pseudonymise case_ref."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from scr_rules.audit._import import MAX_BY, ImportRow, RowProblem, check_human, check_text
from scr_rules.audit._keyed import MIN_KEY_LENGTH, checked_key
from scr_rules.audit._record import Entry, HumanDecision, Origin
from scr_rules.case import Case
from scr_rules.decide import Decision, triage
from scr_rules.errors import AuditError, ScrRulesError
from scr_rules.law import RuleBook, SettingValue

PSEUDONYM_KEY_ENV = "SCR_PSEUDONYM_KEY"
UNDATED_ROW = (
    "decision_date: the row has no date to choose the law by; expected the date the board "
    "decided (decision_date), or else notification_date or incident_date"
)


def pseudonym(case_ref: str, key: bytes) -> str:
    """Return the keyed pseudonym of a case reference (HMAC-SHA256, first 128 bits)."""
    digest = hmac.new(key, case_ref.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"hmac-sha256:{digest[:32]}"


def pseudonym_key_from_env() -> bytes:
    """Return the pseudonymisation key from SCR_PSEUDONYM_KEY; raise AuditError if unusable."""
    key = checked_key(PSEUDONYM_KEY_ENV, "--pseudonymise")
    if key is None:
        raise AuditError(
            f"--pseudonymise needs a key: {PSEUDONYM_KEY_ENV} is not set; set it to at least "
            f"{MIN_KEY_LENGTH} random characters, kept secret and the same for every record"
        )
    return key


def make_entry(
    case: Case,
    decision: Decision,
    rulebook: RuleBook,
    *,
    by: str | None = None,
    human_decision: HumanDecision | None = None,
    human_reason: str | None = None,
    pseudonymise_key: bytes | None = None,
    origin: Origin = "triage",
) -> Entry:
    """Check a decision for recording and return its log entry (the case_ref pseudonymised)."""
    problems = check_human(human_decision, human_reason)
    problems += [f"by: {p}" for p in check_text(by, MAX_BY)] if by is not None else []
    if decision.case_ref != case.case_ref:
        problems.append(f"the decision is for {decision.case_ref!r}, not {case.case_ref!r}")
    if decision.rulebook != rulebook.digest:
        problems.append(
            f"the decision was made under rulebook {decision.rulebook}, not {rulebook.digest}; "
            "pass the rulebook it was decided with"
        )
    if problems:
        raise AuditError("; ".join(problems))
    if pseudonymise_key is not None:
        ref = pseudonym(case.case_ref, pseudonymise_key)
        case = case.model_copy(update={"case_ref": ref})
        decision = decision.model_copy(update={"case_ref": ref})
    return Entry(
        by=by,
        origin=origin,
        case_ref=case.case_ref,
        case=case.dump(),
        decision=decision.model_dump(mode="json"),
        rulebook=rulebook.digest,
        engine_version=decision.engine_version,
        settings=dict(decision.settings),
        human_decision=human_decision,
        human_reason=human_reason,
    )


def import_entry(
    item: ImportRow | RowProblem,
    book: RuleBook,
    settings: Mapping[str, SettingValue] | None,
    by: str | None,
    key: bytes | None,
) -> Entry | RowProblem:
    """Decide one imported row and return its entry, or the row's problem."""
    if isinstance(item, RowProblem):
        return item
    case = item.case
    if case.decision_date is None and case.notification_date is None and case.incident_date is None:
        # said here, not by triage: its advice names options (--decision-date) import lacks
        return RowProblem(item.where, (UNDATED_ROW,))
    try:
        decision = triage(item.case, rulebook=book, settings=settings)
    except ScrRulesError as exc:
        return RowProblem(item.where, tuple(str(exc).splitlines()))
    return make_entry(
        item.case,
        decision,
        book,
        by=by,
        human_decision=item.human_decision,  # type: ignore[arg-type]
        human_reason=item.human_reason,
        pseudonymise_key=key,
        origin="import",
    )
