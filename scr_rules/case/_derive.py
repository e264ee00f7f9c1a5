"""What the known facts settle: the entailments applied, then the facts derived in code."""

from __future__ import annotations

from collections.abc import Mapping

from scr_rules.case._bundled import entailed
from scr_rules.case._facts import CHILD_AGE_LIMIT, NOT_DATES, UNKNOWN, Facts, FactValue

# What the check of a case's facts found they entail, by the Facts object (frozen), so that
# triage does not derive it again; the few most recent (a batch decides each case at once).
_CHECKED: dict[int, tuple[Facts, dict[str, FactValue]]] = {}
_CHECKED_KEPT = 64


def remember_entailed(facts: Facts, entailed_facts: dict[str, FactValue]) -> None:
    """Remember what these facts entail (``entailed`` of their known facts), as checked."""
    if len(_CHECKED) >= _CHECKED_KEPT:
        _CHECKED.clear()
    _CHECKED[id(facts)] = (facts, entailed_facts)  # the object is kept: its id stays its own


def known_facts(facts: Facts, child_age_limit: int = CHILD_AGE_LIMIT) -> dict[str, FactValue]:
    """Return the known base and derived facts; an unknown fact is absent, never null."""
    values = facts.__dict__  # a validated model holds every field here, in field order
    known: dict[str, FactValue] = {
        name: values[name] for name in NOT_DATES if values[name] != UNKNOWN
    }
    checked = _CHECKED.get(id(facts))
    if checked is not None and checked[0] is facts:
        derived = dict(checked[1])
        _derive_in_code(known, derived, child_age_limit)
        known.update(derived)
    else:
        known.update(derive(known, child_age_limit))
    return known


def derive(
    known: Mapping[str, FactValue], child_age_limit: int = CHILD_AGE_LIMIT
) -> dict[str, FactValue]:
    """Compute the facts that the known facts settle and that are not known themselves.

    First what the entailments of regimes.md 12.1 (``entailments.yaml``) settle, to a
    fixpoint: base facts (a suicide is a death: ``child_died``) and the derived fact
    ``abuse_or_neglect_known_or_suspected`` ("AN": true when abuse or neglect is known or
    suspected or a fact entails it, such as ``sexual_abuse`` or a factor in the death;
    false when it is not suspected; unknown otherwise). Then, in code:
    ``is_child``: true when the age at the incident is under 18 (WT glossary: a child is
    anyone who has not reached their 18th birthday); unknown when the age is unknown; false
    for an unborn or stillborn subject, whom no review criterion covers.
    ``abuse_known_or_suspected``: abuse other than neglect (Wales 2012 reg. 4A says
    "abuse" for extended reviews): false when abuse or neglect is not suspected; from
    ``abuse_or_neglect_types`` otherwise (any kind but neglect); unknown without them.
    """
    derived = entailed(known)
    _derive_in_code(known, derived, child_age_limit)
    return derived


def _derive_in_code(
    known: Mapping[str, FactValue], derived: dict[str, FactValue], child_age_limit: int
) -> None:
    age = known.get("child_age_at_incident")
    if known.get("subject_status") in ("unborn", "stillborn"):
        derived["is_child"] = False  # no review text covers them (regimes.md 13.6)
    elif isinstance(age, int) and not isinstance(age, bool):
        derived["is_child"] = age < child_age_limit
    kinds = known.get("abuse_or_neglect_types")
    if known.get("abuse_or_neglect") == "not_suspected":
        derived["abuse_known_or_suspected"] = False
    elif isinstance(kinds, tuple):
        derived["abuse_known_or_suspected"] = any(kind != "neglect" for kind in kinds)
