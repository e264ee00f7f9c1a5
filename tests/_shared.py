"""What several test files share: the bundled rulebook, example cases, case builders.

Imported as ``tests._shared`` (the project root is on the test path); the fixtures built on
these (``rulebook``, ``run``, ``rules_copy``) are in ``conftest.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import Result

from scr_rules.case import Case
from scr_rules.law import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))  # the golden example cases

BOOK = load_rulebook()  # the bundled rules, loaded once per process
SCR = [sys.executable, "-m", "scr_rules"]  # the command line in a process of its own

Run = Callable[..., Result]  # the ``run`` fixture: ``run(*args, stdin=None, env=None)``

# A death in 2008 where neglect is known to be a factor: mandatory under WT 2006 ch. 8.
DEATH_2008: dict[str, Any] = {
    "schema": "scr-case/1",
    "case_ref": "EX-0001",
    "decision_date": "2008-05-20",
    "facts": {
        "child_age_at_incident": 2,
        "child_died": True,
        "abuse_or_neglect": "known",
        "abuse_or_neglect_factor_in_death": "known",
    },
}


def make_case(case_ref: str = "T-1", **fields: Any) -> Case:
    """Return a validated case from its top-level fields (dates, jurisdiction, facts, ...).

    ``schema`` and ``case_ref`` are filled in; leaving out ``facts`` leaves every fact unknown.
    """
    return Case.model_validate({"schema": "scr-case/1", "case_ref": case_ref, **fields})


def case_on(decision_date: str | None, jurisdiction: str = "england", **facts: Any) -> Case:
    """Return a case decided on ``decision_date`` (None: undated) with the facts given."""
    dated = {} if decision_date is None else {"decision_date": decision_date}
    return make_case(jurisdiction=jurisdiction, **dated, facts=facts)
