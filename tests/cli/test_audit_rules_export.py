"""scr rules export: the bundled rules written out, so "edit a rule and replay" works anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scr_rules.law import load_rulebook
from tests._shared import DEATH_2008, Run

RULE = Path("england") / "wt-2006" / "ch8-child-death.yaml"



def test_exported_rules_are_the_bundled_rulebook(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "rules-draft"

    result = run("rules", "export", str(target))

    assert result.exit_code == 0, result.output
    assert load_rulebook(target).digest == load_rulebook().digest
    assert "the bundled rules" in result.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_edit_an_exported_rule_and_replay_under_it(run: Run, tmp_path: Path) -> None:
    """Without the WT 2006 child-death head, a death with neglect as a factor is not mandatory."""
    target, log, case = tmp_path / "draft", tmp_path / "log", tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(DEATH_2008))
    assert run("triage", str(case), "--record", str(log)).exit_code == 0
    assert run("rules", "export", str(target)).exit_code == 0
    (target / RULE).unlink()

    result = run("replay", str(log), "--rules", str(target))

    assert result.exit_code == 1
    assert "record 1  EX-0001  DIVERGENT  recorded mandatory" in result.stdout


@pytest.mark.parametrize("kind", ["file", "non-empty directory"])
def test_export_never_writes_over_something(run: Run, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "taken"
    if kind == "file":
        target.write_text("x")
    else:
        target.mkdir()
        (target / "mine.yaml").write_text("x")

    result = run("rules", "export", str(target))

    assert result.exit_code == 2
    assert "expected a new or empty directory" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
