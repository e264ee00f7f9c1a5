"""What the audit version of a decision record adds to the board's: every rule and provision.

Every rule not met and why, every rule not decided, the switched-off and unresolved
provisions and the settings in force, other regimes' answers for the same facts, the
interview's transcript (when the log holds one) and the case file as decided.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scr_rules.case import UNKNOWN, Case
from scr_rules.decide import Decision, compare
from scr_rules.errors import ScrRulesError
from scr_rules.law import RuleBook, load_questions
from scr_rules.render._record_facts import fact_value, words
from scr_rules.render._record_model import (
    Block,
    Items,
    LoggedRecord,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from scr_rules.render._summary import failed_text
from scr_rules.vocabulary import value_text

CASE_FIELDS = ("case_ref", "jurisdiction", "incident_date", "notification_date", "decision_date")


def audit_sections(
    decision: Decision, case: Case, record: LoggedRecord | None, rulebook: RuleBook | None
) -> list[Section]:
    """Return the sections only the audit version has, in reading order."""
    sections = [
        _not_met_section(decision),
        _unknown_section(decision),
        _provisions_section(decision),
        _other_regimes_section(decision, case, rulebook),
        _interview_section(record),
        _case_section(case),
    ]
    return [section for section in sections if section is not None]


def _not_met_section(decision: Decision) -> Section:
    rows = tuple(
        (
            f"{item.rule_id}: {item.title}",
            words(item.outcome),
            item.evidence,
            "; ".join(failed_text(test) for test in item.failed),
        )
        for item in decision.not_met
    )
    block: Block = (
        Table(("rule", "would give", "evidence", "why not"), rows) if rows else Paragraph("None.")
    )
    return Section("not-met", "Rules not met, and why", (block,))


def _unknown_section(decision: Decision) -> Section | None:
    rows = tuple(
        (f"{r.rule_id}: {r.title}", words(r.outcome), r.evidence, ", ".join(r.waiting_on))
        for r in decision.reasons
        if r.status == "unknown"
    )
    if not rows:
        return None
    return Section(
        "unknown",
        "Rules not decided (waiting on unknown facts)",
        (Table(("rule", "would give", "evidence", "waiting on"), rows),),
    )


def _provisions_section(decision: Decision) -> Section:
    blocks: list[Block] = [Subheading("Switched off (not evaluated)")]
    off = tuple(
        (d.rule_id, words(d.outcome), d.evidence, d.setting, d.why) for d in decision.disabled
    )
    header = ("rule", "would give", "evidence", "setting", "why")
    blocks.append(Table(header, off) if off else Paragraph("None."))
    blocks.append(Subheading("Unresolved law (the readings decide differently)"))
    unresolved = tuple(
        (
            u.setting,
            u.regime,
            ", ".join(u.rule_ids),
            u.evidence,
            "; ".join(f"{value} gives {words(o)}" for value, o in sorted(u.outcomes.items())),
        )
        for u in decision.unresolved_law
    )
    header = ("setting", "regime", "rules", "evidence", "readings")
    blocks.append(Table(header, unresolved) if unresolved else Paragraph("None."))
    if decision.other_readings:
        blocks.append(Subheading("Other readings that would change the outcome"))
        blocks.append(
            Items(
                tuple(
                    f"{o.setting}={value_text(o.value)} gives {words(o.outcome)} ({o.regime})"
                    for o in decision.other_readings
                )
            )
        )
    blocks.append(Subheading("Settings in force"))
    changed = set(decision.settings_overridden)
    rows = tuple(
        (name, value_text(value), "set for this case" if name in changed else "default")
        for name, value in sorted(decision.settings.items())
    )
    blocks.append(Table(("setting", "value", "source"), rows))
    return Section("provisions", "Switched-off and unresolved provisions", tuple(blocks))


def _other_regimes_section(
    decision: Decision, case: Case, rulebook: RuleBook | None
) -> Section | None:
    title = "Other regimes' answers for the same facts"
    if rulebook is None or rulebook.digest != decision.rulebook:
        note = (
            f"Not computed: the decision was made under rulebook {decision.rulebook}, which "
            "is not the rulebook at hand; scr compare with those rules gives them."
        )
        return Section("other-regimes", title, (Paragraph(note),))
    try:
        comparisons = compare(case, rulebook=rulebook, settings=decision.settings)
    except ScrRulesError as exc:
        return Section("other-regimes", title, (Paragraph(f"Not computed: {exc}"),))
    rows = tuple(
        (
            c.regime.id + (" (this decision)" if c.regime.id == decision.regime else ""),
            c.evaluated_on.isoformat(),
            words(c.decision.outcome),
            ", ".join(c.decision.met_rules()) or "-",
            ", ".join(c.decision.missing_facts) or "-",
        )
        for c in comparisons
    )
    return Section(
        "other-regimes",
        title,
        (
            Paragraph(
                "Each regime of the jurisdiction, on the case's decision date when it falls "
                "inside it, otherwise on the regime's first day, with the same settings."
            ),
            Table(("regime", "evaluated on", "outcome", "rules met", "missing facts"), rows),
        ),
    )


def _interview_section(record: LoggedRecord | None) -> Section | None:
    if record is None or not record.interview:
        return None
    rows = tuple(
        (str(number), *_answer(step)) for number, step in enumerate(record.interview, start=1)
    )
    return Section(
        "interview",
        "Interview transcript",
        (Table(("#", "question", "answer"), rows),),
    )


def _answer(step: Mapping[str, Any]) -> tuple[str, str]:
    """Return the question asked for a fact and the answer in the interview's words."""
    fact, answer = str(step.get("fact", "?")), step.get("answer")
    if isinstance(answer, list):
        answer = tuple(answer)
    try:
        question = load_questions().question(fact)
    except (KeyError, ScrRulesError):
        return fact, fact_value(answer) if answer is not None else "-"
    label = "not known" if answer in (None, UNKNOWN) else question.label(answer)
    given = fact_value(UNKNOWN if answer is None else answer)
    return f"{question.text} ({fact})", f"{label} ({given})"


def _case_section(case: Case) -> Section:
    data = case.dump()
    rows: list[tuple[str, str]] = [(name, str(data[name])) for name in CASE_FIELDS if name in data]
    rows += [(f"duties_done.{k}", str(v)) for k, v in sorted(data.get("duties_done", {}).items())]
    rows += [
        (f"facts.{name}", fact_value(tuple(v) if isinstance(v, list) else v))
        for name, v in sorted(data.get("facts", {}).items())
    ]
    return Section(
        "case-file",
        "The case file as decided",
        (
            Paragraph("A fact left out is unknown.", note=True),
            Table(("field", "value"), tuple(rows)),
        ),
    )
