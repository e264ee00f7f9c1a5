"""case_from_dict: data from another system gets every check a case file gets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from scr_rules.case import Case, case_from_dict, load_case
from scr_rules.decide import triage
from scr_rules.errors import CaseFileError, ScrRulesError
from tests._shared import CASE_FILES, DEATH_2008


def problems_of(data: Any) -> dict[str, Any]:
    with pytest.raises(CaseFileError) as caught:
        case_from_dict(data)
    assert isinstance(caught.value, ScrRulesError)
    assert caught.value.source == "<dict>"
    return {problem.loc: problem for problem in caught.value.problems}


def test_a_valid_dict_decides_as_its_case_file_does() -> None:
    case = case_from_dict(DEATH_2008)
    assert isinstance(case, Case)
    assert triage(case).outcome == "mandatory"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_example_case_reads_the_same_from_json_text(path: Any) -> None:
    from_file = load_case(path)
    text = json.dumps(from_file.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert case_from_dict(json.loads(text)) == from_file


def test_wrong_types_and_unknown_names_are_problems_with_expected_and_found() -> None:
    data = {**DEATH_2008, "facts": {**DEATH_2008["facts"], "child_died": "yes", "child_age": 3}}
    found = problems_of(data)
    assert set(found) == {"facts.child_died", "facts.child_age"}
    died = found["facts.child_died"]
    assert (died.expected, died.found) == ("true, false or unknown", "'yes'")
    age = found["facts.child_age"]
    assert "did you mean 'child_age_at_incident'" in age.message
    assert age.found == "'child_age'"


def test_a_contradiction_is_refused_naming_both_facts() -> None:
    facts = {**DEATH_2008["facts"], "child_died": False}
    found = problems_of({**DEATH_2008, "facts": facts})
    assert any("child_died" in loc or "child_died" in p.message for loc, p in found.items())
    assert any("abuse_or_neglect_factor_in_death" in str(p) for p in found.values())


def test_dates_out_of_order_are_refused() -> None:
    data = {**DEATH_2008, "incident_date": "2008-06-01", "decision_date": "2008-05-20"}
    found = problems_of(data)
    assert "decision_date" in found
    assert "is before incident_date" in found["decision_date"].message


@pytest.mark.parametrize("data", [None, [], "scr-case/1", 3])
def test_what_is_not_a_mapping_is_refused(data: Any) -> None:
    assert problems_of(data)


def test_the_unchecked_constructor_is_documented_and_checks_types_only() -> None:
    assert "unchecked" in (Case.__doc__ or "")
    facts = {**DEATH_2008["facts"], "child_died": False}
    unchecked = Case.model_validate({**DEATH_2008, "facts": facts})  # no contradiction check
    assert unchecked.facts.child_died is False
    with pytest.raises(ValidationError):
        Case.model_validate({**DEATH_2008, "facts": {"child_died": "perhaps"}})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("child_age", "child_age_at_incident"),
        ("on_child_protection_register", "on_cp_register_within_6_months"),
        ("Child_Died", "child_died"),
        ("child_dide", "child_died"),
    ],
)
def test_did_you_mean_finds_what_a_newcomer_types(typed: str, meant: str) -> None:
    found = problems_of({**DEATH_2008, "facts": {typed: True}})
    assert f"(did you mean {meant!r}?)" in found[f"facts.{typed}"].message


def test_a_value_in_the_wrong_case_says_to_use_lowercase() -> None:
    found = problems_of({**DEATH_2008, "jurisdiction": "England"})
    assert "(use lowercase 'england')" in found["jurisdiction"].message
    facts = {**DEATH_2008["facts"], "abuse_or_neglect": "Known"}
    found = problems_of({**DEATH_2008, "facts": facts})
    assert "(use lowercase 'known')" in found["facts.abuse_or_neglect"].message
