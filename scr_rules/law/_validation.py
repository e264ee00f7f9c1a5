"""Checks across rule files: ids, regimes, settings, dates, and every worked example."""

from __future__ import annotations

import re
from typing import Any, get_args

from scr_rules.case import ALL_FACTS, CHILD_AGE_LIMIT, UNKNOWN, FactValue, derive
from scr_rules.errors import Problem
from scr_rules.law._conditions import Comparison, Condition, Not, evaluate
from scr_rules.law._schema import UNRESOLVED, InForce, Regime, Rule, RuleSpec, Setting
from scr_rules.vocabulary import RuleOutcome

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
    problems += _regime_problems(regimes, rules)
    problems += _regime_size_problems(rules)
    problems += _setting_problems(settings)
    for rule in rules:
        spec, where = rule.spec, f"{rule.path} ({rule.id})"
        problems += [Problem(where, message) for message in structure_problems(rule)]
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
            elif not set(setting.values) <= set(get_args(RuleOutcome)):
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


def _regime_problems(regimes: list[Regime], rules: list[Rule] | None = None) -> list[Problem]:
    ids = [regime.id for regime in regimes]
    problems = [
        Problem(
            REGIMES_FILE, f"{regime.id}: area_switch replaces unknown regime {switch.replaces!r}"
        )
        for regime in regimes
        if (switch := regime.area_switch) is not None and switch.replaces not in ids
    ]
    problems += [
        Problem(REGIMES_FILE, f"{regime_id}: duplicate regime id")
        for regime_id in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if rules is not None:
        used = {rule.spec.regime for rule in rules if rule.spec.kind == "criterion"}
        problems += [
            Problem(REGIMES_FILE, f"{regime_id}: a regime with no criterion rules decides nothing")
            for regime_id in dict.fromkeys(ids)
            if regime_id not in used
        ]
    return problems


# What durable-rules takes, measured with margin: it failed (error 113) at about 12 levels
# of nesting and (error 303) at 65 comparisons in one group, and corrupted memory after.
MAX_DEPTH = 8
MAX_WIDTH = 32
MAX_COMPARISONS_PER_RULE = 200
MAX_COMPARISONS_PER_REGIME = 1000


def structure_problems(rule: Rule) -> list[str]:
    """Return why a rule's condition is beyond what the engine is known to evaluate."""
    depth, width, count = _shape(rule.condition)
    problems = []
    if depth > MAX_DEPTH:
        problems.append(f"when: nested {depth} levels deep; at most {MAX_DEPTH}")
    if width > MAX_WIDTH:
        problems.append(f"when: a group of {width} conditions; at most {MAX_WIDTH} in one group")
    if count > MAX_COMPARISONS_PER_RULE:
        problems.append(f"when: {count} comparisons; at most {MAX_COMPARISONS_PER_RULE}")
    return problems


def _shape(condition: Condition) -> tuple[int, int, int]:
    """Return (depth, widest group, comparisons) of a condition."""
    if isinstance(condition, Comparison):
        return 0, 0, 1
    parts = (condition.part,) if isinstance(condition, Not) else condition.parts
    shapes = [_shape(part) for part in parts]
    return (
        1 + max(s[0] for s in shapes),
        max(len(parts), *(s[1] for s in shapes)),
        sum(s[2] for s in shapes),
    )


def _regime_size_problems(rules: list[Rule]) -> list[Problem]:
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule.spec.regime] = counts.get(rule.spec.regime, 0) + _shape(rule.condition)[2]
    return [
        Problem(
            REGIMES_FILE,
            f"{regime}: {count} comparisons across its rules; at most "
            f"{MAX_COMPARISONS_PER_REGIME} (split the regime or simplify its rules)",
        )
        for regime, count in counts.items()
        if count > MAX_COMPARISONS_PER_REGIME
    ]


# Characters that can rewrite a terminal or reorder text: C0 controls but tab and newline,
# DEL, C1 controls, and the bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def unsafe_text_problems(documents: dict[str, Any]) -> list[Problem]:
    """Return every text in the rule files (keys too) holding a control or bidi character."""
    problems: list[Problem] = []

    def walk(value: Any, path: str, file: str) -> None:
        if isinstance(value, str):
            found = _UNSAFE.search(value)
            if found:
                problems.append(
                    Problem(
                        file,
                        f"{path or 'document'}: control character U+{ord(found.group()):04X} "
                        "in text; expected printable text (it could rewrite a terminal)",
                    )
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                key_text = str(key)
                shown = _UNSAFE.sub("?", key_text)
                if _UNSAFE.search(key_text):
                    walk(key_text, f"{path}.{shown}".lstrip("."), file)
                walk(item, f"{path}.{shown}".lstrip("."), file)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]", file)

    for file, document in sorted(documents.items()):
        walk(document, "", _UNSAFE.sub("?", file))
    return problems


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
