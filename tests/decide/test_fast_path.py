"""The fast paths decide byte for byte as ``triage(...).model_dump_json()`` (issue 15).

``scripts/fast_path_check.py --cases 100000`` runs the same checks on 100,000 cases; here
a smaller set, with every setting, forced regimes, decision dates and a today's date.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import orjson
import pytest

from scr_rules.case import Case, case_from_dict
from scr_rules.decide import Decision, triage, triage_json
from scr_rules.decide._memo import clear_caches
from scr_rules.errors import ScrRulesError
from scr_rules.law import RuleBook
from scr_rules.testing import random_cases
from tests._shared import BOOK, CASE_FILES

CASES = 3000
# the fields triage has always passed to Decision(...) by name (the rest keep their defaults)
EXPLICIT = set(Decision.model_fields) - {
    "schema_",
    "alternatives",
    "requested_regime",
    "requested_decision_date",
}


def _variants(book: RuleBook) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for setting in book.settings:
        found += [{"settings": {setting.name: value}} for value in setting.values]
    found += [{"regime": regime.id} for regime in book.regimes]
    found += [{"decision_date": date(2019, 1, 10)}, {"today": date(2021, 6, 1)}]
    return found


def _both(case: Case, options: dict[str, Any]) -> tuple[Any, Any]:
    """Return (triage's Decision, triage_json's (outcome, JSON)), or the errors each raised."""
    regime = options.get("regime")
    rest = {k: v for k, v in options.items() if k != "regime"}
    results: list[Any] = []
    for call in (triage, triage_json):
        try:
            results.append(call(case, regime, rulebook=BOOK, **rest))
        except ScrRulesError as exc:
            results.append(str(exc))
    return results[0], results[1]


def test_triage_json_is_model_dump_json_byte_for_byte() -> None:
    variants = itertools.cycle(_variants(BOOK))
    for index, case in enumerate(random_cases(CASES, seed=77)):
        options = next(variants) if index % 3 == 0 else {}
        decision, fast = _both(case, options)
        if isinstance(decision, str):
            assert fast == decision, (case.case_ref, options)
            continue
        assert fast == (decision.outcome, decision.model_dump_json().encode()), case.case_ref


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_golden_cases_by_both_paths(path: Any) -> None:
    case = case_from_dict(orjson.loads(orjson.dumps(_document(path))), source=str(path))
    settings = case.expect.settings if case.expect else {}
    decision = triage(case, rulebook=BOOK, settings=settings)
    outcome, data = triage_json(case, rulebook=BOOK, settings=settings)
    assert data == decision.model_dump_json().encode()
    assert outcome == decision.outcome


def _document(path: Any) -> Any:
    from scr_rules.case import parse_document, read_text

    return parse_document(*reversed(read_text(path)))


def test_the_decision_is_the_one_validation_builds() -> None:
    """Built without validating again: the same fields, types and fields set."""
    for index, case in enumerate(random_cases(500, seed=78)):
        options: dict[str, Any] = {"regime": "england-2010"} if index % 50 == 0 else {}
        if index % 7 == 0:
            options["decision_date"] = date(2020, 2, 3)
        try:
            decision = triage(case, rulebook=BOOK, **options)
        except ScrRulesError:
            continue
        validated = Decision.model_validate_json(decision.model_dump_json())
        assert validated == decision
        assert validated.model_dump() == decision.model_dump()
        assert {k: type(v) for k, v in validated.__dict__.items()} == {
            k: type(v) for k, v in decision.__dict__.items()
        }
        if not decision.alternatives:  # as Decision(...) was called, and model_copy for these
            asked = {"requested_regime", "requested_decision_date"} if options else set()
            assert decision.model_fields_set == EXPLICIT | asked
        for reason in decision.reasons:
            again = type(reason).model_validate(reason.model_dump())
            assert again == reason
            assert again.model_fields_set == reason.model_fields_set


def test_decisions_with_cold_and_warm_caches_are_equal() -> None:
    cases = list(random_cases(300, seed=79))
    clear_caches()
    warm = [triage_json(case, rulebook=BOOK)[1] for case in cases]
    for case, expected in zip(cases, warm, strict=True):
        clear_caches()
        assert triage_json(case, rulebook=BOOK)[1] == expected
