"""Synthetic cases for tests and benchmarks: seeded, valid, never real data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from scr_rules.case import BASE_FACTS, CASE_SCHEMA, UNKNOWN, Case, contradictions

FIRST_DAY = {"england": date(2006, 4, 1), "wales": date(2006, 10, 1)}
LAST_DAY = date(2026, 11, 26)
TRANSITION = (date(2018, 6, 29), date(2019, 9, 28))
UNKNOWN_SHARE = 0.25  # a quarter of facts unknown, so every rule status occurs often


def random_facts(rng: random.Random, unknown_share: float = UNKNOWN_SHARE) -> dict[str, Any]:
    """Return a random facts mapping over every base fact (unknown ones left out)."""
    facts: dict[str, Any] = {}
    for name, domain in BASE_FACTS.items():
        if rng.random() < unknown_share:
            continue
        if domain.kind == "int":
            # mostly children, some adults, to exercise is_child both ways
            facts[name] = rng.choice([0, 1, 2, 5, 9, 13, 15, 16, 17, 17, 18, 19])
        elif domain.kind == "date":
            continue  # dates steer regimes and deadlines; the documents set them
        elif domain.kind == "set":
            facts[name] = sorted(rng.sample(domain.values, rng.randrange(3)))
        else:
            facts[name] = rng.choice(domain.values)
    return facts


def random_document(rng: random.Random, index: int) -> dict[str, Any]:
    """Return a random scr-case/1 document (it may contain contradictory facts)."""
    jurisdiction = "wales" if rng.random() < 0.2 else "england"
    first = FIRST_DAY[jurisdiction]
    day = first + timedelta(days=rng.randrange((LAST_DAY - first).days + 1))
    facts = random_facts(rng)
    if TRANSITION[0] <= day <= TRANSITION[1] and rng.random() < 0.5:
        switch = TRANSITION[0] + timedelta(days=rng.randrange(457))
        facts["area_new_arrangements_start_date"] = switch.isoformat()
    return {
        "schema": CASE_SCHEMA,
        "case_ref": f"SYN-{index:07d}",
        "jurisdiction": jurisdiction,
        "decision_date": day.isoformat(),
        "facts": facts,
    }


def random_cases(count: int, seed: int = 1) -> Iterator[Case]:
    """Yield ``count`` valid random cases; contradictory draws are repaired by forgetting facts."""
    rng = random.Random(seed)
    for index in range(count):
        document = random_document(rng, index)
        case = Case.model_validate(document)
        while problems := contradictions(case):
            facts = dict(document["facts"])
            for problem in problems:
                facts.pop(problem.loc.removeprefix("facts."), None)
            document["facts"] = facts
            case = Case.model_validate(document)
        yield case


def unknown_everywhere(case: Case) -> int:
    """Return how many base facts of the case are unknown (for test diagnostics)."""
    return sum(1 for _, value in case.facts if value == UNKNOWN)
