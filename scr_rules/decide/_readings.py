"""Readings of the law: what the outcome is under each value of the switches that matter.

A switch over unverified law or a disputed reading may be ``unresolved`` (regimes.md 0.5).
The outcome is then worked out under every value that settles it: if they agree, the
switch cannot change this case and it is decided as usual; if they differ, the case is
undetermined and the decision says what each reading gives. A switch with a value also
reports the other values that would change the outcome ("other readings"), so an
officer never learns only at the bottom of the page that a default decided the headline.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scr_rules.decide._decision import STRENGTH, OtherReading, UnresolvedLaw
from scr_rules.law import EVIDENCE_ORDER, UNRESOLVED, Rule, Setting, SettingValue, Truth
from scr_rules.vocabulary import value_text


@dataclass(frozen=True)
class Verdict:
    """The outcome of a regime's criteria under one set of settled values."""

    outcome: str
    possible: frozenset[str]
    open_rules: tuple[Rule, ...]  # unknown rules whose outcome beats the best met one


@dataclass(frozen=True)
class Settled:
    """The outcome once every unresolved switch has been tried both ways."""

    verdict: Verdict
    unresolved_law: tuple[UnresolvedLaw, ...]


def enabled(rule: Rule, values: Mapping[str, SettingValue]) -> bool:
    """Say whether a rule is evaluated; a rule under an unresolved switch is shown."""
    switch = rule.spec.enabled_when
    if switch is None:
        return True
    current = values[switch.setting]
    return current == UNRESOLVED or same_value(current, switch.equals)


def outcome_of(rule: Rule, values: Mapping[str, SettingValue]) -> str:
    """Return a criterion's outcome (an unresolved outcome switch shows its strongest)."""
    name = rule.spec.outcome_setting
    if name is None:
        return rule.spec.outcome or "discretionary"
    value = values[name]
    return "mandatory" if value == UNRESOLVED else str(value)


def verdict(
    criteria: Sequence[Rule], truths: Mapping[str, Truth], values: Mapping[str, SettingValue]
) -> Verdict:
    """Combine the criteria: the strongest met outcome, unless a stronger one is open."""
    active = [rule for rule in criteria if enabled(rule, values)]
    best = max(
        (outcome_of(r, values) for r in active if truths[r.id] is True),
        key=STRENGTH.__getitem__,
        default="not_required",
    )
    open_rules = tuple(
        r
        for r in active
        if truths[r.id] is None and STRENGTH[outcome_of(r, values)] > STRENGTH[best]
    )
    possible = frozenset({best, *(outcome_of(r, values) for r in open_rules)})
    return Verdict("undetermined" if open_rules else best, possible, open_rules)


def switches(criteria: Sequence[Rule]) -> list[str]:
    """Return the settings that switch these criteria or their outcomes, in rule order."""
    names: list[str] = []
    for rule in criteria:
        for name in (
            rule.spec.enabled_when.setting if rule.spec.enabled_when else None,
            rule.spec.outcome_setting,
        ):
            if name is not None and name not in names:
                names.append(name)
    return names


def settle(
    criteria: Sequence[Rule],
    truths: Mapping[str, Truth],
    values: Mapping[str, SettingValue],
    declared: Mapping[str, Setting],
    regime: str,
) -> Settled:
    """Decide the criteria under every reading of the unresolved switches they depend on."""
    unresolved = [name for name in switches(criteria) if values[name] == UNRESOLVED]
    if not unresolved:
        return Settled(verdict(criteria, truths, values), ())
    options = [declared[name].readings() for name in unresolved]
    by_reading = {
        combo: verdict(criteria, truths, {**values, **dict(zip(unresolved, combo, strict=True))})
        for combo in itertools.product(*options)
    }
    law = []
    for index, name in enumerate(unresolved):
        outcomes = {
            value_text(value): _combine(
                [v for combo, v in by_reading.items() if same_value(combo[index], value)]
            ).outcome
            for value in options[index]
        }
        if len(set(outcomes.values())) > 1:
            law.append(_unresolved_entry(declared[name], criteria, outcomes, regime))
    return Settled(_combine(list(by_reading.values())), tuple(law))


def other_readings(
    criteria: Sequence[Rule],
    truths: Mapping[str, Truth],
    values: Mapping[str, SettingValue],
    declared: Mapping[str, Setting],
    regime: str,
    outcome: str,
) -> tuple[OtherReading, ...]:
    """Return each settled switch value, other than the one used, that changes the outcome."""
    found: list[OtherReading] = []
    for name in switches(criteria):
        current = values[name]
        if current == UNRESOLVED:
            continue
        for value in declared[name].readings():
            if same_value(value, current):
                continue
            changed = settle(criteria, truths, {**values, name: value}, declared, regime)
            if changed.verdict.outcome != outcome:
                found.append(
                    OtherReading(
                        setting=name,
                        value=value,
                        outcome=changed.verdict.outcome,  # type: ignore[arg-type]
                        regime=regime,
                    )
                )
    return tuple(found)


def _combine(verdicts: list[Verdict]) -> Verdict:
    outcomes = {v.outcome for v in verdicts}
    possible = frozenset(o for v in verdicts for o in v.possible)
    open_rules = tuple({r.id: r for v in verdicts for r in v.open_rules}.values())
    outcome = outcomes.pop() if len(outcomes) == 1 else "undetermined"
    return Verdict(outcome, possible, open_rules)


def _unresolved_entry(
    setting: Setting, criteria: Sequence[Rule], outcomes: dict[str, str], regime: str
) -> UnresolvedLaw:
    governed = [
        rule
        for rule in criteria
        if (rule.spec.enabled_when and rule.spec.enabled_when.setting == setting.name)
        or rule.spec.outcome_setting == setting.name
    ]
    evidence: str = setting.evidence or min(
        (rule.spec.citation.evidence for rule in governed),
        key=EVIDENCE_ORDER.index,
        default="unverified",
    )
    return UnresolvedLaw(
        setting=setting.name,
        regime=regime,
        rule_ids=tuple(rule.id for rule in governed),
        evidence=evidence,
        outcomes=outcomes,  # type: ignore[arg-type]
    )


def same_value(left: SettingValue, right: SettingValue) -> bool:
    return type(left) is type(right) and left == right


def unresolved_text(entry: UnresolvedLaw) -> str:
    """Say in words what each reading of an unresolved provision gives."""
    readings_text = ", with ".join(
        f"{value} the answer is {outcome.replace('_', ' ').upper()}"
        for value, outcome in entry.outcomes.items()
    )
    return (
        f"The law here is {entry.evidence if entry.evidence == 'unverified' else 'disputed'} "
        f"({entry.setting}, {entry.regime}): with {readings_text}; take legal advice or set "
        f"it with --set {entry.setting}=VALUE."
    )
