"""Loading rule files: every mistake is reported with its file, rule id and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from scr_rules.errors import RuleFileError
from scr_rules.law import load_rulebook, rulebook_from_canonical

CHILD_DEATH = "england/wt-2006/ch8-child-death.yaml"


def _edit(rules: Path, relative: str, old: str, new: str) -> None:
    path = rules / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _errors(rules: Path) -> str:
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(rules)
    return str(caught.value)


def test_bundled_rulebook_loads_with_a_stable_hash() -> None:
    book = load_rulebook()
    assert book.digest.startswith("sha256:")
    assert rulebook_from_canonical(book.canonical).digest == book.digest
    assert {r.id for r in book.regimes} == {
        "england-2006",
        "england-2010",
        "england-2013",
        "england-2015",
        "england-2018",
        "england-2023",
        "wales-2006",
        "wales-2012",
        "wales-2016",
    }


def test_unknown_fact_is_named_with_a_suggestion(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "fact: child_died", "fact: child_dead")
    message = _errors(rules_copy)
    assert CHILD_DEATH in message
    assert "england.wt-2006.ch8-child-death" in message
    assert "when.all[1].fact: unknown fact 'child_dead' (did you mean 'child_died'?)" in message


def test_wrong_value_is_named(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "in: [known, suspected]", "in: [known, suspect]")
    assert "when.all[2].in: 'suspect' is not a value of 'abuse_or_neglect_factor_in_death'" in (
        _errors(rules_copy)
    )


def test_a_failing_example_is_an_error(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "fires: true", "fires: false")
    assert "expected fires=False, got True" in _errors(rules_copy)


def test_id_must_match_the_path(rules_copy: Path) -> None:
    _edit(
        rules_copy,
        CHILD_DEATH,
        "id: england.wt-2006.ch8-child-death",
        "id: england.wt-2006.ch8-death",
    )
    assert "id does not match the path" in _errors(rules_copy)


def test_in_force_must_lie_inside_the_regime(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "to: 2010-03-16", "to: 2010-05-01")
    assert "lies outside regime england-2006" in _errors(rules_copy)


def test_unknown_setting_in_a_switch(rules_copy: Path) -> None:
    _edit(
        rules_copy,
        "england/wt-2006/ch8-death-in-custody.yaml",
        "setting: eng2006_custody_trigger",
        "setting: custody",
    )
    assert "enabled_when: unknown setting 'custody'" in _errors(rules_copy)


def test_missing_field_and_yaml_errors_are_reported_per_file(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "force: statutory_guidance\n", "")
    (rules_copy / "england/wt-2006/broken.yaml").write_text("id: [unclosed\n")
    message = _errors(rules_copy)
    assert "force: Field required" in message
    assert "broken.yaml" in message
    assert "line 2" in message


def test_a_changed_rule_changes_the_hash(rules_copy: Path) -> None:
    _edit(rules_copy, CHILD_DEATH, "title: A child has died", "title: A child died")
    assert load_rulebook(rules_copy).digest != load_rulebook().digest
