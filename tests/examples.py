"""Synthetic case documents that several test files share."""

from __future__ import annotations

from typing import Any

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
