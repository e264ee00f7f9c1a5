"""Which rules of a decision can change its outcome: shown by default, the rest behind --detail.

The outcome can still become any of ``possible_outcomes``; the weakest of them is the *floor*
(once decided, the outcome itself). A rule is shown by default when any of these holds:

- it is met and at least as strong as the floor: it decides the outcome, or keeps it from falling;
- it waits on unknown facts and is stronger than the floor, or a missing fact names it
  (``questions``): establishing those facts could raise the outcome;
- it waits on the facts that settle the Welsh review type while that type is open;
- it is not met on exactly one condition and is stronger than the floor: a near miss, ruled out
  by one known fact alone, so the officer sees the fact a stronger outcome turns on;
- it is switched off by a setting whose other value changes this outcome (``other_readings``);
- unresolved law governs it (``unresolved_law``): a reading not yet taken decides it.

Every other rule cannot change this outcome: a met rule weaker than the floor (a stronger one
already decides), an undecided rule no stronger than the floor (even met it would not raise it),
a rule not met on two or more known conditions (the Decision does not say whether they are
alternatives, and every fact it failed on is known), a rule switched off by a setting whose
other values give the same outcome. Those are counted and listed only with --detail.
Factors to weigh are shown while discretion is possible (``discretionary`` among the possible
outcomes), unless not met. Missing facts, unresolved law, other readings, duties, regimes
the dates allow, advice and warnings are not rules: they are always shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from scr_rules.decide import STRENGTH, Decision, Disabled, Factor, NotMet, Reason


@dataclass(frozen=True)
class Relevant:
    """The rules and factors of a decision to show, and how many of each were left out."""

    met: tuple[Reason, ...]
    unknown: tuple[Reason, ...]
    not_met: tuple[NotMet, ...]
    disabled: tuple[Disabled, ...]
    factors: tuple[Factor, ...]
    hidden_met: int = 0
    hidden_unknown: int = 0
    hidden_not_met: int = 0
    hidden_disabled: int = 0
    hidden_factors: int = 0

    @property
    def hidden(self) -> int:
        """Return how many rules were left out (factors are not rules, so not counted)."""
        return self.hidden_met + self.hidden_unknown + self.hidden_not_met + self.hidden_disabled


def floor(decision: Decision) -> int:
    """Return the strength of the weakest outcome the case can still have."""
    strengths = [STRENGTH[o] for o in decision.possible_outcomes if o in STRENGTH]
    return min(strengths, default=STRENGTH["not_required"])


def relevant(decision: Decision, *, detail: bool = False) -> Relevant:
    """Return the rules that can change the outcome (every rule when ``detail``)."""
    met = tuple(r for r in decision.reasons if r.status == "met")
    unknown = tuple(r for r in decision.reasons if r.status == "unknown")
    if detail:
        return Relevant(met, unknown, decision.not_met, decision.disabled, decision.factors)
    lowest = floor(decision)
    governed = {rule for law in decision.unresolved_law for rule in law.rule_ids}
    asked = {rule for question in decision.questions for rule in question.rules}
    readings = {o.setting for o in decision.other_readings}
    readings |= {law.setting for law in decision.unresolved_law}
    shown_met = tuple(r for r in met if STRENGTH[r.outcome] >= lowest or r.rule_id in governed)
    shown_unknown = tuple(
        r
        for r in unknown
        if STRENGTH[r.outcome] > lowest
        or r.rule_id in asked | governed
        or (r.review_type is not None and bool(decision.review_type_waiting_on))
    )
    shown_not_met = tuple(
        n
        for n in decision.not_met
        if (len(n.failed) == 1 and STRENGTH[n.outcome] > lowest) or n.rule_id in governed
    )
    shown_disabled = tuple(
        d for d in decision.disabled if d.setting in readings or d.rule_id in governed
    )
    discretion = "discretionary" in decision.possible_outcomes
    factors = tuple(f for f in decision.factors if discretion and f.status != "not_met")
    return Relevant(
        met=shown_met,
        unknown=shown_unknown,
        not_met=shown_not_met,
        disabled=shown_disabled,
        factors=factors,
        hidden_met=len(met) - len(shown_met),
        hidden_unknown=len(unknown) - len(shown_unknown),
        hidden_not_met=len(decision.not_met) - len(shown_not_met),
        hidden_disabled=len(decision.disabled) - len(shown_disabled),
        hidden_factors=len(decision.factors) - len(factors),
    )
