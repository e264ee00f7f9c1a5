"""The facts a decision record shows: those relied on, and those not known and what they could do.

A fact is relied on when a met rule read it known, when a rule not met failed on it, or when a
presumption settled it; an unknown fact either could change the outcome (``missing_facts``,
with where it could lead) or cannot, and the record says which.
"""

from __future__ import annotations

from collections.abc import Iterable

from scr_rules.case import UNKNOWN, FactValue
from scr_rules.decide import Decision
from scr_rules.render._record_model import Block, Items, Paragraph, Section, Subheading, Table
from scr_rules.vocabulary import value_text


def words(outcome: str) -> str:
    """Spell an outcome in capitals, as the banner does: NOT REQUIRED."""
    return outcome.replace("_", " ").upper()


def fact_value(value: FactValue) -> str:
    """Spell a fact's value as a case file does; a set of values joined, or none."""
    if isinstance(value, tuple | list):
        return ", ".join(value) or "none"
    return value_text(value)


def fact_list(facts: Iterable[tuple[str, FactValue]]) -> str:
    """Spell facts as ``name = value``, comma-separated."""
    return ", ".join(f"{name} = {fact_value(value)}" for name, value in facts)


def facts_section(decision: Decision, *, audit: bool) -> Section:
    """Say which facts the outcome relied on, and which unknown facts could change it."""
    blocks: list[Block] = [Subheading("Facts relied on")]
    rows = relied_on(decision, audit=audit)
    blocks.append(Table(("fact", "value", "relied on for"), rows) if rows else Paragraph("None."))
    blocks.append(Subheading("Not known, and could change the outcome"))
    could = [_missing_line(decision, fact) for fact in decision.missing_facts]
    blocks.append(Items(tuple(could)) if could else Paragraph("None: no unknown fact can."))
    idle = unknown_but_idle(decision)
    if idle:
        blocks += [Subheading("Not known, and cannot change the outcome"), Paragraph(idle)]
    if decision.review_type_waiting_on:
        waiting = ", ".join(decision.review_type_waiting_on)
        blocks.append(Paragraph(f"The review type (concise or extended) waits on: {waiting}."))
    return Section("facts", "Facts relied on and facts not known", tuple(blocks))


def relied_on(decision: Decision, *, audit: bool) -> tuple[tuple[str, str, str], ...]:
    """Return (fact, value, what it decided) for every known fact a rule met or failed on."""
    values: dict[str, str] = {}
    uses: dict[str, dict[str, list[str]]] = {}

    def use(fact: str, value: str, how: str, rule: str) -> None:
        values.setdefault(fact, value)
        uses.setdefault(fact, {}).setdefault(how, []).append(rule)

    for reason in decision.reasons:
        for fact, value in reason.facts.items():
            if reason.status == "met" and value != UNKNOWN:
                use(fact, fact_value(value), "meets", reason.rule_id)
        for fact in reason.presumed:
            use(fact, "not known (presumed)", "presumption in", reason.rule_id)
    for item in decision.not_met:
        for test in item.failed:
            use(test.fact, fact_value(test.value), "rules out", item.rule_id)
    return tuple(
        (fact, values[fact], "; ".join(_uses(how, rules, audit) for how, rules in found.items()))
        for fact, found in sorted(uses.items())
    )


def _uses(how: str, rules: list[str], audit: bool) -> str:
    if audit or len(rules) <= 2:
        return f"{how} {', '.join(rules)}"
    return f"{how} {len(rules)} rules"


def _missing_line(decision: Decision, fact: str) -> str:
    leads = [q for q in decision.questions if q.fact == fact]
    if leads:
        return "; ".join(
            f"{fact}: could lead to {words(q.could_lead_to)} via {', '.join(q.rules)}"
            for q in leads
        )
    if fact == "decision_date":
        return "decision_date: it picks the regime, and the regimes the dates allow differ"
    return f"{fact}: establishing it could change the outcome"


def unknown_but_idle(decision: Decision) -> str | None:
    """Name the unknown facts the rules read that cannot change the outcome, if any."""
    missing = set(decision.missing_facts) | set(decision.review_type_waiting_on)
    presumed = {fact for r in decision.reasons for fact in r.presumed}
    idle = sorted(
        {
            fact
            for reason in decision.reasons
            for fact, value in reason.facts.items()
            if value == UNKNOWN and fact not in missing | presumed
        }
    )
    return ", ".join(idle) + "." if idle else None
