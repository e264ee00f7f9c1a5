"""Checks across rule files: ids, regimes, settings, dates, and every worked example."""

from __future__ import annotations

from typing import Any

from scr_rules.case import ALL_FACTS, CHILD_AGE_LIMIT, UNKNOWN, FactValue, derive
from scr_rules.errors import Problem
from scr_rules.law._conditions import evaluate
from scr_rules.law._schema import UNRESOLVED, InForce, Regime, Rule, RuleSpec, Setting

REGIMES_FILE = "regimes.yaml"
SETTINGS_FILE = "settings.yaml"


def cross_check(
    rules: list[Rule],
    regimes: list[Regime],
    settings: list[Setting],
    child_age_limit: int = CHILD_AGE_LIMIT,
) -> list[Problem]:
    """Check ids, regimes, settings and dates across files, then run every example."""
    problems: list[Problem] = []
    regime_by_id = {regime.id: regime for regime in regimes}
    setting_by_name = {setting.name: setting for setting in settings}
    ids = [rule.id for rule in rules]
    problems += _regime_problems(regimes)
    problems += _setting_problems(settings)
    for rule in rules:
        spec, where = rule.spec, f"{rule.path} ({rule.id})"
        problems += [Problem(where, message) for message in _kind_problems(spec)]
        if ids.count(rule.id) > 1:
            problems.append(Problem(where, "duplicate rule id"))
        regime = regime_by_id.get(spec.regime)
        if regime is None:
            problems.append(Problem(where, f"regime: unknown regime {spec.regime!r}"))
        elif not _within(spec.in_force, regime.in_force):
            problems.append(
                Problem(
                    where,
                    f"in_force: {spec.in_force.span()} lies outside "
                    f"regime {regime.id} ({regime.in_force.span()})",
                )
            )
        if spec.enabled_when is not None:
            setting = setting_by_name.get(spec.enabled_when.setting)
            if setting is None:
                problems.append(
                    Problem(where, f"enabled_when: unknown setting {spec.enabled_when.setting!r}")
                )
            elif spec.enabled_when.equals not in setting.readings():
                problems.append(
                    Problem(
                        where,
                        f"enabled_when: {spec.enabled_when.equals!r} is "
                        f"not a value of {setting.name!r}",
                    )
                )
        if spec.outcome_setting is not None:
            setting = setting_by_name.get(spec.outcome_setting)
            if setting is None:
                problems.append(Problem(where, f"unknown setting {spec.outcome_setting!r}"))
            elif not set(setting.values) <= {"mandatory", "discretionary"}:
                problems.append(
                    Problem(
                        where,
                        f"outcome_setting: {setting.name!r} must take "
                        "the values mandatory / discretionary",
                    )
                )
    if not problems:
        problems += [
            p for rule in rules for p in example_problems(rule, setting_by_name, child_age_limit)
        ]
    return problems


def _kind_problems(spec: RuleSpec) -> list[str]:
    """Check that a rule carries what its kind needs, and nothing another kind needs."""
    has_outcome = spec.outcome is not None or spec.outcome_setting is not None
    if spec.kind == "criterion":
        wanted = [] if has_outcome else ["a criterion needs an outcome (or outcome_setting)"]
        return wanted + (["a criterion has no duty block"] if spec.duty else [])
    problems = [f"a {spec.kind} has no outcome"] if has_outcome or spec.review_type else []
    if spec.kind == "duty" and spec.duty is None:
        problems.append("a duty needs a duty block (name, action, who, due)")
    if spec.kind == "factor" and spec.duty is not None:
        problems.append("a factor has no duty block")
    return problems


def _regime_problems(regimes: list[Regime]) -> list[Problem]:
    ids = {regime.id for regime in regimes}
    return [
        Problem(
            REGIMES_FILE, f"{regime.id}: area_switch replaces unknown regime {switch.replaces!r}"
        )
        for regime in regimes
        if (switch := regime.area_switch) is not None and switch.replaces not in ids
    ]


def _setting_problems(settings: list[Setting]) -> list[Problem]:
    problems: list[Problem] = []
    names = [setting.name for setting in settings]
    for setting in settings:
        where = f"{SETTINGS_FILE}: {setting.name}"
        if names.count(setting.name) > 1:
            problems.append(Problem(where, "duplicate setting name"))
        if not any(
            type(v) is type(setting.default) and v == setting.default for v in setting.values
        ):
            problems.append(Problem(where, f"default {setting.default!r} is not one of its values"))
        if len(setting.readings()) < 2:
            problems.append(Problem(where, "a setting needs at least two values that settle it"))
        if UNRESOLVED in setting.values and setting.evidence is None:
            problems.append(Problem(where, "an unresolved setting needs its evidence tag"))
    return problems


def _within(inner: InForce, outer: InForce) -> bool:
    if inner.from_ < outer.from_:
        return False
    if outer.to is None:
        return True
    return inner.to is not None and inner.to <= outer.to


def example_facts(
    raw: dict[str, Any], child_age_limit: int = CHILD_AGE_LIMIT
) -> dict[str, FactValue]:
    """Return an example's known facts, with derived facts added where the example omits them."""
    known = {name: value for name, value in raw.items() if value != UNKNOWN}
    for name, value in derive(known, child_age_limit).items():
        known.setdefault(name, value)
    return known


def example_problems(
    rule: Rule, settings: dict[str, Setting], child_age_limit: int = CHILD_AGE_LIMIT
) -> list[Problem]:
    """Validate a rule's examples and run each through the reference evaluator."""
    where = f"{rule.path} ({rule.id})"
    problems: list[Problem] = []
    spec = rule.spec
    kinds = {example.fires for example in spec.examples}
    if not {True, False, UNKNOWN} <= kinds:
        problems.append(
            Problem(
                where,
                "examples: need at least one that fires (true), one "
                "that does not (false) and one unknown",
            )
        )
    for index, example in enumerate(spec.examples):
        loc = f"{where}: examples[{index}]"
        bad = [name for name in example.facts if name not in ALL_FACTS]
        bad += [
            name
            for name, value in example.facts.items()
            if name in ALL_FACTS and value != UNKNOWN and not ALL_FACTS[name].accepts(value)
        ]
        if bad:
            problems.append(Problem(loc, f"fact {bad[0]!r} is unknown or has an invalid value"))
            continue
        unread = [name for name in example.facts if name not in rule.facts()]
        if unread:
            problems.append(Problem(loc, f"facts {unread} are not read by this rule"))
        result = evaluate(rule.condition, example_facts(example.facts, child_age_limit))
        got = UNKNOWN if result is None else result
        if got != example.fires:
            problems.append(
                Problem(loc, f"{example.name!r}: expected fires={example.fires}, got {got}")
            )
    return problems
