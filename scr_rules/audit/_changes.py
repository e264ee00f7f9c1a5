"""What changed between a recorded and a replayed decision: the rules, with why they differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scr_rules.vocabulary import value_text

ABSENT = ("absent", None, "not evaluated: not in force on the date, or not in the rulebook")


@dataclass(frozen=True)
class RuleChange:
    """A rule whose status or outcome differs between the recorded and replayed decision."""

    rule_id: str
    recorded: str
    replayed: str
    recorded_outcome: str | None
    replayed_outcome: str | None
    recorded_why: str
    replayed_why: str


def differences(recorded: dict[str, Any], replayed: dict[str, Any]) -> tuple[str, ...]:
    """Return the top-level fields of the two decisions that differ, sorted."""
    return tuple(
        k for k in sorted(recorded.keys() | replayed.keys()) if recorded.get(k) != replayed.get(k)
    )


def rule_changes(recorded: dict[str, Any], replayed: dict[str, Any]) -> tuple[RuleChange, ...]:
    """Return every rule whose status or outcome differs, with the facts or failed tests."""
    before, after = rule_states(recorded), rule_states(replayed)
    changes = []
    for rule_id in sorted(before.keys() | after.keys()):
        old, new = before.get(rule_id, ABSENT), after.get(rule_id, ABSENT)
        if old[:2] != new[:2]:
            changes.append(RuleChange(rule_id, old[0], new[0], old[1], new[1], old[2], new[2]))
    return tuple(changes)


def rule_states(decision: dict[str, Any]) -> dict[str, tuple[str, str | None, str]]:
    """Map each rule id to (status, outcome, why) as the decision explains it."""
    states: dict[str, tuple[str, str | None, str]] = {}
    for reason in decision.get("reasons", ()):
        facts = "facts " + _facts(reason.get("facts", {}))
        if reason.get("status") == "unknown":
            facts = "waiting on " + ", ".join(reason.get("waiting_on", ())) + "; " + facts
        states[reason["rule_id"]] = (reason["status"], reason.get("outcome"), facts)
    for item in decision.get("not_met", ()):
        failed = "; ".join(
            f"{t['fact']} = {value_text(t['value'])}, expected {t['expected']}"
            for t in item.get("failed", ())
        )
        states[item["rule_id"]] = ("not_met", item.get("outcome"), "failed: " + failed)
    for item in decision.get("disabled", ()):
        states[item["rule_id"]] = ("disabled", item.get("outcome"), item.get("why", ""))
    return states


def _facts(facts: dict[str, Any]) -> str:
    # sorted: a recorded decision's facts come back from canonical JSON in name order
    return ", ".join(f"{name} = {value_text(value)}" for name, value in sorted(facts.items()))
