"""The decision record for the board's minutes (``scr report``): Markdown, HTML or PDF.

``decision_record`` is the one entry point: the command line and the officer pages call it
with a Decision, its Case and, when the decision comes from an audit log, the log's record
as plain data (``LoggedRecord``; render sits below audit and cannot read the log). Nothing
in a record depends on the clock or the machine, so the same arguments give the same bytes.
"""

from __future__ import annotations

from scr_rules.case import Case
from scr_rules.decide import Decision, engine_version
from scr_rules.law import RuleBook, load_rulebook
from scr_rules.render._record_audit import audit_sections
from scr_rules.render._record_board import (
    board_decision_section,
    factors_section,
    integrity_section,
    legal_basis_section,
    next_steps_section,
    outcome_section,
)
from scr_rules.render._record_facts import facts_section
from scr_rules.render._record_html import render_record_html
from scr_rules.render._record_md import render_record_md
from scr_rules.render._record_model import (
    Audience,
    LoggedRecord,
    RecordDocument,
    RecordFormat,
    Section,
)
from scr_rules.render._record_pdf import render_record_pdf
from scr_rules.render._text import headline
from scr_rules.vocabulary import value_text

PSEUDONYM_PREFIX = "hmac-sha256:"  # what --pseudonymise records instead of the case_ref
NOT_ADVICE = (
    "A decision aid, not legal advice: the rules encode secondary restatements of the "
    "guidance, and each rule says how well its source was verified."
)
VERSION_WORDS = {
    Audience.board: "board: the outcome, its legal basis and what follows (for the minutes)",
    Audience.audit: "audit: also every rule not met, every provision and other regimes' answers",
}


def decision_record(
    decision: Decision,
    case: Case,
    *,
    audience: Audience | str = Audience.board,
    fmt: RecordFormat | str = RecordFormat.html,
    record: LoggedRecord | None = None,
    rulebook: RuleBook | None = None,
) -> bytes:
    """Return the decision record as UTF-8 Markdown or HTML, or as PDF.

    ``record`` (from the audit log) adds the board's decision and the integrity line;
    ``rulebook`` is the one the decision was made under (default: the bundled rules), which
    the audit version needs to give other regimes' answers. Raises UsageError for a PDF
    when WeasyPrint is not installed, ValueError for an unknown audience or format.
    """
    document = record_document(
        decision, case, audience=Audience(audience), record=record, rulebook=rulebook
    )
    kind = RecordFormat(fmt)
    if kind is RecordFormat.md:
        return render_record_md(document).encode("utf-8")
    html = render_record_html(document)
    if kind is RecordFormat.html:
        return html.encode("utf-8")
    return render_record_pdf(html)


def record_document(
    decision: Decision,
    case: Case,
    *,
    audience: Audience = Audience.board,
    record: LoggedRecord | None = None,
    rulebook: RuleBook | None = None,
) -> RecordDocument:
    """Gather the record's header and sections for one audience (before any format)."""
    audit = audience is Audience.audit
    sections: list[Section | None] = [
        outcome_section(decision),
        legal_basis_section(decision, audit=audit),
        facts_section(decision, audit=audit),
        factors_section(decision),
        next_steps_section(decision, audit=audit),
        board_decision_section(record),
    ]
    if audit:
        sections += audit_sections(decision, case, record, rulebook or load_rulebook())
    sections.append(integrity_section(decision, record))
    ref = f"{_ref_kind(decision.case_ref)} {decision.case_ref}"
    return RecordDocument(
        title=f"Decision record: {ref}",
        audience=audience,
        outcome=decision.outcome,
        banner=headline(decision),
        header=_header(decision, audience),
        sections=tuple(s for s in sections if s is not None),
        footer=f"{ref} | decision record, {audience.value} version | a decision aid, not "
        "legal advice",
        created=_created(decision, record),
        generator=engine_version().split(";")[0],
    )


def _ref_kind(case_ref: str) -> str:
    return "pseudonym" if case_ref.startswith(PSEUDONYM_PREFIX) else "case"


def _header(decision: Decision, audience: Audience) -> tuple[tuple[str, str], ...]:
    day = decision.decision_date.isoformat() if decision.decision_date else "not given"
    prepared = f"{decision.engine_version}, rulebook {decision.rulebook}"
    now = engine_version()
    if now != decision.engine_version:  # an old record rendered by a newer scr-rules
        prepared += f" (this record written by {now})"
    header = [
        (_ref_kind(decision.case_ref), decision.case_ref),
        ("regime", f"{decision.regime}: {decision.regime_title}"),
        ("why this regime", decision.regime_reason),
        ("decision date", f"{day} (source: {decision.date_source})"),
        ("prepared with", f"{prepared}; evaluator {decision.evaluator}"),
    ]
    if decision.settings_overridden:
        changed = ", ".join(
            f"{name}={value_text(decision.settings[name])}" for name in decision.settings_overridden
        )
        header.append(("readings set for this case", changed))
    header += [("version", VERSION_WORDS[audience]), ("status", NOT_ADVICE)]
    return tuple(header)


def _created(decision: Decision, record: LoggedRecord | None) -> str | None:
    """Return when the recorded decision was made: the log's time, else the decision date."""
    if record is not None:
        return record.recorded_at
    if decision.decision_date is not None:
        return f"{decision.decision_date.isoformat()}T00:00:00Z"
    return None


__all__ = ["Audience", "LoggedRecord", "RecordFormat", "decision_record", "record_document"]
