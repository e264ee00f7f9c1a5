"""``--detail`` on ``scr triage`` and ``scr compare``: every rule, also those that cannot
change the outcome; without it, they are counted, and the JSON never changes."""

from __future__ import annotations

from tests._shared import CASES_DIR, Run

DEATH = str(CASES_DIR / "death-neglect-factor-2008.yaml")
HARM_2012 = str(CASES_DIR / "serious-harm-harm-limb-mandatory-2012.yaml")
CUSTODY = "england.wt-2006.ch8-death-in-custody"


def test_triage_hides_the_rules_that_cannot_change_a_mandatory_outcome(run: Run) -> None:
    result = run("triage", DEATH)
    assert result.exit_code == 0, result.output

    assert CUSTODY not in result.stdout
    assert "Not shown: 7 rules that cannot change this outcome" in result.stdout


def test_triage_detail_lists_them(run: Run) -> None:
    result = run("triage", DEATH, "--detail")
    assert result.exit_code == 0, result.output

    assert f"UNKNOWN {CUSTODY}" in result.stdout
    assert "Switched off (not evaluated)" in result.stdout
    assert "Not shown" not in result.stdout


def test_detail_leaves_the_json_as_it_is(run: Run) -> None:
    plain = run("triage", DEATH, "--format", "json")
    detailed = run("triage", DEATH, "--format", "json", "--detail")
    assert plain.exit_code == detailed.exit_code == 0

    assert detailed.stdout == plain.stdout
    assert CUSTODY in plain.stdout


def test_compare_shows_the_rules_that_decide_each_regime(run: Run) -> None:
    """Reg. 5(2)(b)(ii) read as mandatory decides 2010; the discretionary WT 2010 limb does not."""
    weaker = "england.wt-2010.ch8-serious-injury-or-impairment"
    result = run("compare", HARM_2012, "--set", "eng2010_harm_limb=mandatory")
    assert result.exit_code == 0, result.output

    assert "england.lscb-regs-2010.reg-5-2-b-ii-serious-harm" in result.stdout
    assert weaker not in result.stdout
    assert "rules met but weaker than their regime's outcome are not shown" in result.stdout
    detailed = run("compare", HARM_2012, "--set", "eng2010_harm_limb=mandatory", "--detail")
    assert detailed.exit_code == 0, detailed.output
    assert weaker in detailed.stdout
    assert "not shown" not in detailed.stdout
