"""The engine's first promise, as a property over thousands of generated cases.

"Not required" is never given while an unknown fact, a missing decision date or an
unresolved provision could still require a review: every way of settling what the case
leaves open (facts, the decision date within its window, each reading of unresolved law,
the area's switch date) must give "not required" too. The completions are drawn at random
and validated like a case file, so contradictory ones (an entailment denied) are skipped.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from scr_rules.case import BASE_FACTS, Case, case_from_document
from scr_rules.decide import decision_window_end, triage
from scr_rules.errors import CaseFileError, RegimeError
from scr_rules.law import UNRESOLVED
from scr_rules.testing import random_cases
from tests._shared import BOOK

CASES = 3000
COMPLETIONS = 16
AREA_SWITCH = (date(2018, 6, 29), date(2019, 9, 29))


def _random_settings(rng: random.Random) -> dict[str, Any]:
    return {s.name: rng.choice(s.values) for s in BOOK.settings if rng.random() < 0.5}


def _without_decision_date(case: Case, rng: random.Random) -> Case:
    """Half the cases lose their decision date; the day becomes the notification date."""
    if rng.random() < 0.5 or case.decision_date is None:
        return case
    document = case.dump()
    document["notification_date"] = document.pop("decision_date")
    return case_from_document(document)


def _complete(case: Case, settings: dict[str, Any], rng: random.Random) -> tuple[Any, ...] | None:
    """Settle everything the case leaves open at random; None if the draw contradicts itself."""
    document = case.dump()
    facts = dict(document["facts"])
    for name, domain in BASE_FACTS.items():
        if name in facts:
            continue
        if domain.kind == "int":
            facts[name] = rng.choice([0, 4, 12, 15, 16, 17, 18, 21])
        elif domain.kind == "set":
            facts[name] = sorted(rng.sample(domain.values, rng.randrange(3)))
        elif domain.kind == "date":
            if name == "area_new_arrangements_start_date":
                span = (AREA_SWITCH[1] - AREA_SWITCH[0]).days
                facts[name] = (AREA_SWITCH[0] + timedelta(days=rng.randrange(span))).isoformat()
        else:
            facts[name] = rng.choice(domain.values)
    document["facts"] = facts
    if case.decision_date is None:
        start = case.notification_date or case.incident_date
        assert start is not None
        end = decision_window_end(start)
        document["decision_date"] = (
            start + timedelta(days=rng.randrange((end - start).days + 1))
        ).isoformat()
    try:
        completed = case_from_document(document)
    except CaseFileError:
        return None
    readings = {
        s.name: rng.choice(s.readings())
        for s in BOOK.settings
        if settings.get(s.name, s.default) == UNRESOLVED
    }
    return completed, {**settings, **readings}


def test_not_required_survives_every_way_of_settling_what_is_open() -> None:
    rng = random.Random(8)
    checked = completions = 0
    for generated in random_cases(CASES, seed=88):
        case = _without_decision_date(generated, rng)
        settings = _random_settings(rng)
        try:
            decision = triage(case, settings=settings, evaluator="reference")
        except RegimeError:  # a date outside every regime gets no decision, rightly
            continue
        if decision.outcome != "not_required":
            continue
        checked += 1
        for _ in range(COMPLETIONS):
            drawn = _complete(case, settings, rng)
            if drawn is None:
                continue
            completed, settled = drawn
            try:
                later = triage(completed, settings=settled, evaluator="reference")
            except RegimeError:  # a date outside every regime gets no decision, rightly
                continue
            completions += 1
            assert later.outcome == "not_required", (
                f"{case.case_ref}: not_required, but settling it gives {later.outcome} "
                f"({later.met_rules()}); case {case.dump()}; completed {completed.dump()}; "
                f"settings {settled}"
            )
    assert checked > 300, checked
    assert completions > 1500, completions


def test_unknown_is_never_quietly_false_in_a_not_required_decision() -> None:
    """A not-required decision has no criterion left unknown that could beat it."""
    rng = random.Random(9)
    for generated in random_cases(2000, seed=99):
        decision = triage(generated, settings=_random_settings(rng), evaluator="reference")
        if decision.outcome == "not_required":
            assert decision.missing_facts == ()
            assert decision.unresolved_law == ()
            assert decision.possible_outcomes == ("not_required",)
            assert [r.rule_id for r in decision.reasons if r.status == "unknown"] == []
