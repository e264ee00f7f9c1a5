"""Values of the law are data in rules/values.yaml: a change shows in the rulebook digest."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from scr_rules import Case, RuleFileError, load_rulebook, triage
from scr_rules.law import LEGACY_VALUES, bundled_rules_dir, rulebook_from_canonical

BOOK = load_rulebook()


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


def test_the_bundled_values() -> None:
    values = BOOK.values
    assert values.child_age_limit.value == 18
    assert values.statutory_dhr_start.value == date(2011, 4, 13)
    assert (values.decision_window.within, values.decision_window.unit) == (12, "months")
    assert all(v.source for v in (values.child_age_limit, values.statutory_dhr_start))


def test_a_changed_value_changes_the_digest_and_the_decision(tmp_path: Path) -> None:
    rules = _copy(tmp_path)
    path = rules / "values.yaml"
    path.write_text(path.read_text().replace("value: 18", "value: 16"))
    changed = load_rulebook(rules)
    assert changed.digest != BOOK.digest
    case = Case.model_validate(
        {
            "schema": "scr-case/1",
            "case_ref": "V-1",
            "decision_date": "2008-05-20",
            "facts": {
                "child_age_at_incident": 17,
                "child_died": True,
                "abuse_or_neglect": "known",
                "abuse_or_neglect_factor_in_death": "known",
            },
        }
    )
    assert triage(case).outcome == "mandatory"
    assert triage(case, rulebook=changed).outcome == "not_required"


def test_a_bad_value_is_a_rule_file_error(tmp_path: Path) -> None:
    rules = _copy(tmp_path)
    path = rules / "values.yaml"
    path.write_text(path.read_text().replace("unit: months", "unit: fortnights"))
    with pytest.raises(RuleFileError, match=r"values.yaml: values.decision_window.unit"):
        load_rulebook(rules)


def test_a_rulebook_recorded_before_the_values_file_keeps_the_values_then_built_in() -> None:
    files = {k: v for k, v in BOOK.canonical["files"].items() if k != "values.yaml"}
    old = rulebook_from_canonical({"schema": BOOK.canonical["schema"], "files": files})
    assert old.values == LEGACY_VALUES
    assert (old.values.decision_window.within, old.values.decision_window.unit) == (
        31,
        "calendar_days",
    )
