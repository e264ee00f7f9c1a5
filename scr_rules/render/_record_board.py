"""What the board reads in a decision record: outcome, legal basis, steps, integrity.

Every sentence comes from the Decision (and the log's record, when there is one), so the
record never says anything ``scr triage`` does not. The audit version adds to these
sections (``_record_audit``); it never says something different. The facts are in
``_record_facts``.
"""

from __future__ import annotations

import shlex

from scr_rules.decide import STRENGTH, Decision, Duty, NotMet, Reason, unresolved_text
from scr_rules.render._record_facts import fact_list, words
from scr_rules.render._record_model import (
    Block,
    Commands,
    Items,
    LoggedRecord,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from scr_rules.render._relevance import relevant
from scr_rules.render._summary import failed_text
from scr_rules.render._text import readings_line

FACTOR_STATUS = {"met": "applies", "unknown": "not known", "not_met": "does not apply"}
DUTY_FLAGS = {
    "overdue": "OVERDUE",
    "possible": "if it applies",
    "possible_overdue": "OVERDUE if it applies",
    "date_unknown": "give the date it runs from",
}
BOARD_DECISIONS = {
    "initiated": "a review was initiated",
    "declined": "a review was declined",
    "alternative_review": "another kind of review was chosen",
}
AGREEMENT_WORDS = {
    "agrees": "it follows the criteria",
    "disagrees": "it does not follow the criteria",
    "discretion": "the outcome left the choice to the board",
    "not_assessable": "the criteria cannot judge it (the outcome is undetermined)",
}


def outcome_section(decision: Decision) -> Section:
    """Say the outcome, the reading of the law it rests on, and what it still turns on."""
    blocks: list[Block] = []
    readings = readings_line(decision)
    if readings:
        blocks.append(Paragraph(readings))
    if decision.review_type:
        blocks.append(Paragraph(f"Review type: {decision.review_type} child practice review."))
    if decision.outcome == "undetermined":
        possible = ", ".join(words(o) for o in decision.possible_outcomes)
        blocks.append(Paragraph(f"Still possible: {possible}."))
    if decision.force:
        blocks.append(Paragraph(f"Legal force: {decision.force.replace('_', ' ')}."))
    law = [unresolved_text(u) for u in decision.unresolved_law]
    if law:
        blocks += [Subheading("The law is open"), Items(tuple(law))]
    if decision.alternatives:
        rows = tuple(
            (a.regime, str(a.decision_date or "-"), words(a.outcome), ", ".join(a.met_rules) or "-")
            for a in decision.alternatives
        )
        blocks += [
            Subheading("Regimes the dates allow (each decided on its own)"),
            Table(("regime", "from", "outcome", "rules met"), rows),
        ]
    blocks += [Paragraph(text) for text in decision.advice if text not in law]  # said above
    blocks += [Paragraph(f"Warning: {text}") for text in decision.warnings]
    return Section("outcome", "Outcome", tuple(blocks))


def legal_basis_section(decision: Decision, *, audit: bool) -> Section:
    """List each met rule with its citation, evidence tag and the presumptions applied."""
    met = sorted(
        (r for r in decision.reasons if r.status == "met"),
        key=lambda r: (-STRENGTH[r.outcome], r.rule_id),
    )
    blocks: list[Block] = []
    for reason in met:
        blocks += [Subheading(reason.title), Items(_met_lines(reason, audit))]
    if not met:
        blocks.append(Paragraph("No rule is met."))
    if not audit:  # the audit version lists every open and failed rule in sections of its own
        shown = relevant(decision)
        if shown.unknown:
            blocks += [Subheading("Still open: rules that could change the outcome")]
            blocks.append(Items(tuple(_open_line(r) for r in shown.unknown)))
        if shown.not_met:
            blocks += [Subheading("Near misses: each ruled out by one known fact")]
            blocks.append(Items(tuple(_near_miss(n) for n in shown.not_met)))
    return Section("legal-basis", "Legal basis", tuple(blocks))


def _met_lines(reason: Reason, audit: bool) -> tuple[str, ...]:
    lines = [
        reason.reason,
        f"Source: {reason.citation}.",
        f"Rule {reason.rule_id} ({reason.catalogue}): {reason.outcome}; "
        f"{reason.force.replace('_', ' ')}; {reason.evidence} evidence.",
    ]
    if reason.presumed:
        lines.append(
            f"Presumption applied: {', '.join(reason.presumed)} not known, so the presumption "
            "stands until evidence rebuts it."
        )
    if audit:
        lines.append("Facts: " + fact_list(reason.facts.items()))
        if reason.notes:
            lines.append(f"Note: {reason.notes}")
    return tuple(lines)


def _open_line(reason: Reason) -> str:
    return (
        f"{reason.title} ({reason.rule_id}, would give {words(reason.outcome)}; "
        f"{reason.evidence} evidence): waiting on {', '.join(reason.waiting_on)}."
    )


def _near_miss(item: NotMet) -> str:
    why = "; ".join(failed_text(test) for test in item.failed)
    return f"{item.title} ({item.rule_id}, would give {words(item.outcome)}): {why}."


def factors_section(decision: Decision) -> Section | None:
    """List the matters the safeguarding partners must weigh (2018 on), with their sources."""
    if not decision.factors:
        return None
    rows = tuple(
        (FACTOR_STATUS.get(f.status, f.status), f.title, f"{f.citation} [{f.evidence} evidence]")
        for f in decision.factors
    )
    return Section(
        "factors",
        "Factors for the partners to weigh",
        (
            Paragraph("Each is for the partners to weigh; none decides the outcome by itself."),
            Table(("status", "factor", "source"), rows),
        ),
    )


def next_steps_section(decision: Decision, *, audit: bool) -> Section:
    """List the duties that follow, by date, with who does them and how the date is counted.

    The audit version also gives each duty's legal basis (the board's pages keep to dates).
    """
    several = len({d.regime for d in decision.duties}) > 1
    rows = tuple(_duty_row(d, several, audit) for d in decision.duties)
    header = ("by", "step", "who", "how the date is counted" + (" and basis" if audit else ""))
    blocks: list[Block] = [
        Table(header, rows) if rows else Paragraph("No duty follows from these facts.")
    ]
    blocks += [Paragraph(note, note=True) for note in decision.duty_notes]
    return Section("next-steps", "Next steps", tuple(blocks))


def _duty_row(duty: Duty, with_regime: bool, audit: bool) -> tuple[str, str, str, str]:
    if duty.status in ("done", "done_late"):
        done = duty.done_on.isoformat() if duty.done_on else "date not given"
        when = f"done {done}" + (" LATE" if duty.status == "done_late" else "")
    else:
        when = duty.due.isoformat() if duty.due else "date unknown"
        flag = DUTY_FLAGS.get(duty.status)
        when += f" ({flag})" if flag else ""
    step = (f"[{duty.regime}] " if with_regime and duty.regime else "") + duty.action
    if duty.waiting_on:
        step += f" (waiting on {', '.join(duty.waiting_on)})"
    parts = (duty.due_rule, duty.basis if audit else None, duty.rule_id)
    return when, step, duty.who, "; ".join(part for part in parts if part)


def board_decision_section(record: LoggedRecord | None) -> Section | None:
    """Say what the board decided, when the log records it."""
    if record is None:
        return None
    if record.human_decision is None:
        text: list[Block] = [Paragraph("No board decision is recorded with this record.")]
        return Section("board-decision", "The board's decision", tuple(text))
    decided = BOARD_DECISIONS.get(record.human_decision, record.human_decision)
    lines = [f"Decision: {record.human_decision} ({decided})."]
    if record.human_reason:
        lines.append(f"Reason given: {record.human_reason}")
    if record.agreement in AGREEMENT_WORDS:
        lines.append(f"Against the criteria: {AGREEMENT_WORDS[record.agreement]}.")
    return Section("board-decision", "The board's decision", (Items(tuple(lines)),))


def integrity_section(decision: Decision, record: LoggedRecord | None) -> Section:
    """Give the record's id and hash and the commands that reproduce and prove it."""
    if record is None:
        return Section(
            "integrity",
            "Integrity",
            (
                Paragraph(
                    "Not from an audit log: nothing seals this record. Record the decision "
                    "(scr triage FILE --record LOG) and make the record from the log "
                    "(scr report --log LOG --record ID) to give it an integrity line."
                ),
            ),
        )
    log = shlex.quote(record.log)
    who = f" by {record.by}" if record.by else ""
    return Section(
        "integrity",
        "Integrity",
        (
            Paragraph(
                f"Record {record.id} of {record.log}, recorded {record.recorded_at}{who} "
                f"({record.origin}); hash {record.hash}."
            ),
            Commands(
                (
                    f"scr replay {log} --record {record.id}",
                    f"scr audit verify {log} \\",  # two lines: the hash alone fits a page
                    f"    --anchor {record.hash}",
                )
            ),
            Paragraph(
                f"The replay decides the case again under the rules recorded with it and must "
                f"say: identical, {decision.outcome}. The verify must find the anchor: this "
                "record, and every record before it, unchanged."
            ),
        ),
    )
