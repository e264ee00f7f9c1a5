"""What every case decided under one regime's rules and one set of settings shares.

A ``Plan`` holds what depends only on the rules in force and the settings: which rules are
switched on, each criterion's outcome, the rules switched off. A ``Verdict`` holds what
depends, besides, only on the truths of the criteria in force: the outcome under every
reading of the law, the rules met and unknown in the order they are explained, the
advice, the unresolved law and the other readings. Both are remembered (a few truth
patterns cover most cases), so a case pays only for what its own facts show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scr_rules.decide import _readings as readings
from scr_rules.decide import _reasons as reasons
from scr_rules.decide._decision import STRENGTH, Disabled, OtherReading, UnresolvedLaw
from scr_rules.decide._memo import recall, remember
from scr_rules.decide._notes import _advice
from scr_rules.decide._parts import Part
from scr_rules.law import Regime, Rule, RuleBook, Setting, SettingValue, Truth


@dataclass(frozen=True, eq=False)
class Plan:
    """A regime's rules in force on a day, under one set of settings."""

    regime: Regime
    rules: tuple[Rule, ...]
    values: Mapping[str, SettingValue]
    declared: Mapping[str, Setting]
    in_force: tuple[Rule, ...]  # every criterion in force, switched on or not
    active: tuple[Rule, ...]  # every rule switched on
    criteria: tuple[Rule, ...]  # the criteria switched on
    outcome_of: dict[str, str]
    disabled: tuple[Part[Disabled], ...]
    factors: tuple[Rule, ...]
    duties: tuple[Rule, ...]

    def verdict(self, truths: Mapping[str, Truth]) -> Verdict:
        """Return the verdict for these truths (remembered by the criteria's truths)."""
        pattern = tuple([truths[rule.id] for rule in self.in_force])
        key = (Verdict, self, pattern)
        found: Verdict | None = recall(key)
        if found is None:
            found = remember(key, _verdict(self, truths))
        return found


@dataclass(frozen=True, eq=False)
class Verdict:
    """What the criteria's truths decide, and the rules that explain it."""

    outcome: str
    possible_outcomes: tuple[str, ...]
    force: str | None
    explained: tuple[tuple[Rule, str], ...]  # (rule, "met" or "unknown"), in the order shown
    not_met: tuple[Rule, ...]
    open_rules: tuple[Rule, ...]  # strongest outcome first
    strongest: tuple[Rule, ...]  # the met rules whose outcome is the outcome
    unknown: tuple[Rule, ...]
    advice: tuple[str, ...]
    unresolved_law: tuple[Part[UnresolvedLaw], ...]
    other_readings: tuple[Part[OtherReading], ...]


def plan_for(
    book: RuleBook,
    regime: Regime,
    rules: tuple[Rule, ...],
    values: Mapping[str, SettingValue],
    declared: Mapping[str, Setting],
) -> Plan:
    """Return the plan for a regime's rules in force under these settings (remembered)."""
    # the rulebook keeps each tuple of rules in force, so its id stays its own (checked)
    key = (Plan, book, regime.id, id(rules), tuple(values.items()))
    found: Plan | None = recall(key)
    if found is None or found.rules is not rules:
        found = remember(key, _plan(regime, rules, dict(values), declared))
    return found


def _plan(
    regime: Regime,
    rules: tuple[Rule, ...],
    values: Mapping[str, SettingValue],
    declared: Mapping[str, Setting],
) -> Plan:
    active = tuple(rule for rule in rules if readings.enabled(rule, values))
    criteria = tuple(rule for rule in active if rule.spec.kind == "criterion")
    return Plan(
        regime=regime,
        rules=rules,
        values=values,
        declared=declared,
        in_force=tuple(rule for rule in rules if rule.spec.kind == "criterion"),
        active=active,
        criteria=criteria,
        outcome_of={rule.id: readings.outcome_of(rule, values) for rule in criteria},
        disabled=tuple(
            reasons.disabled(rule, values) for rule in rules if not readings.enabled(rule, values)
        ),
        factors=tuple(rule for rule in active if rule.spec.kind == "factor"),
        duties=tuple(
            rule for rule in active if rule.spec.kind == "duty" and rule.spec.duty is not None
        ),
    )


def _verdict(plan: Plan, truths: Mapping[str, Truth]) -> Verdict:
    values, regime = plan.values, plan.regime
    settled = readings.settle(plan.in_force, truths, values, plan.declared, regime.id)
    outcome = settled.verdict.outcome
    outcome_of = plan.outcome_of
    met = [rule for rule in plan.criteria if truths[rule.id] is True]
    unknown = [rule for rule in plan.criteria if truths[rule.id] is None]
    strongest = tuple(rule for rule in met if outcome_of[rule.id] == outcome)
    explained = sorted(
        [(rule, "met") for rule in met] + [(rule, "unknown") for rule in unknown],
        key=lambda item: (item[1] != "met", -STRENGTH[outcome_of[item[0].id]], item[0].id),
    )
    others = readings.other_readings(
        plan.in_force, truths, values, plan.declared, regime.id, outcome
    )
    return Verdict(
        outcome=outcome,
        possible_outcomes=tuple(
            sorted(settled.verdict.possible, key=STRENGTH.__getitem__, reverse=True)
        ),
        force=strongest[0].spec.force if strongest else None,
        explained=tuple(explained),
        not_met=tuple(rule for rule in plan.criteria if truths[rule.id] is False),
        open_rules=tuple(
            sorted(settled.verdict.open_rules, key=lambda r: -STRENGTH[outcome_of[r.id]])
        ),
        strongest=strongest,
        unknown=tuple(unknown),
        advice=_advice(outcome, regime, settled.unresolved_law),
        unresolved_law=tuple(Part.of(entry) for entry in settled.unresolved_law),
        other_readings=tuple(Part.of(entry) for entry in others),
    )
