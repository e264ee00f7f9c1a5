"""Every example case in cases/ is a golden test: its expect: block must hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from scr_rules.case import load_case
from scr_rules.decide import Decision, triage
from scr_rules.law import RuleBook
from scr_rules.vocabulary import value_text
from tests._shared import CASE_FILES


def _decide(path: Path, evaluator: str = "durable-rules") -> tuple[Decision, object]:
    case = load_case(path)
    assert case.expect is not None, f"{path.name} has no expect: block"
    return triage(case, settings=case.expect.settings, evaluator=evaluator), case.expect  # type: ignore[arg-type]


def test_there_are_cases() -> None:
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_meets_its_expectation(path: Path) -> None:
    decision, expect = _decide(path)
    assert decision.outcome == expect.outcome
    if expect.regime is not None:
        assert decision.regime == expect.regime
    if expect.rules is not None:
        assert sorted(decision.met_rules()) == sorted(expect.rules)
    if expect.possible_outcomes is not None:
        assert decision.possible_outcomes == tuple(expect.possible_outcomes)
    if expect.missing_facts is not None:
        assert sorted(decision.missing_facts) == sorted(expect.missing_facts)
    if expect.review_type is not None:
        assert decision.review_type == expect.review_type
    if expect.duties is not None:
        assert sorted(d.duty for d in decision.duties if d.status != "possible") == sorted(
            expect.duties
        )
    if expect.alternatives is not None:
        assert [a.regime for a in decision.alternatives] == list(expect.alternatives)
    if expect.unresolved_law is not None:
        assert [u.setting for u in decision.unresolved_law] == list(expect.unresolved_law)
    if expect.other_readings is not None:
        shown = [f"{o.setting}={value_text(o.value)}" for o in decision.other_readings]
        assert shown == list(expect.other_readings)
    if expect.review_type_waiting_on is not None:
        assert sorted(decision.review_type_waiting_on) == sorted(expect.review_type_waiting_on)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_reference_evaluator_gives_the_same_decision(path: Path) -> None:
    durable, _ = _decide(path)
    reference, _ = _decide(path, "reference")
    assert durable.model_dump(exclude={"evaluator"}) == reference.model_dump(exclude={"evaluator"})


def test_every_rule_applies_in_some_case(rulebook: RuleBook) -> None:
    """Each criterion is met, each duty is due and each factor is met in some example case."""
    applied: set[str] = set()
    for path in CASE_FILES:
        decision = _decide(path)[0]
        applied |= set(decision.met_rules())
        applied |= {d.rule_id for d in decision.duties if d.status != "possible"}
        applied |= {f.rule_id for f in decision.factors if f.status == "met"}
    missing = {rule.id for rule in rulebook.rules} - applied
    assert not missing
