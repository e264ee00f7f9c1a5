"""The published JSON Schemas: the case file, the decision and the error document.

Each has ``$schema`` and ``$id``; the case schema leaves out ``expect`` (the golden-test block
of this project's own example cases, not part of the contract other systems write).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from scr_rules.case import Case
from scr_rules.decide._decision import Decision
from scr_rules.errors import ERROR_JSON_SCHEMA

SCHEMA_NAMES = ("case", "decision", "error")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "urn:scr-rules:schema:"  # a stable name, not a place to fetch from

_CASE_FIELDS = {
    "schema": "The contract version: always 'scr-case/1'.",
    "case_ref": "An opaque reference for the case, e.g. EX-0001. Never a name.",
    "jurisdiction": "england or wales: whose law applies (the area of the board).",
    "incident_date": "The day of the death or of the serious harm (the event reviewed). "
    "The regime falls back to it when neither later date is given.",
    "notification_date": "The day the board (or the local authority) became aware of the "
    "incident. Notification deadlines (e.g. 5 working days to Ofsted or the national panel) "
    "count from it; the regime falls back to it when decision_date is absent.",
    "decision_date": "The day the decision whether to review is (or was) taken. It chooses "
    "the regime in force, and the review's own timescales (start, completion) count from it.",
    "facts": "What is known about the case, one field per fact; leave a fact out (or give "
    "'unknown') when it is not known. 'scr facts' lists them with their questions.",
    "duties_done": "Duties already done and on which day, e.g. {notify_panel: 2019-03-04}.",
}

_DECISION_FIELDS = {
    "outcome": "mandatory, discretionary, not_required or undetermined (a fact or a reading "
    "of the law that could change the answer is missing).",
    "possible_outcomes": "Every outcome the missing facts could still lead to.",
    "missing_facts": "The facts whose answers could change the outcome.",
    "regime": "The regime (the law in force) the case was decided under.",
    "regime_reason": "Which date chose the regime, and the regime's dates.",
    "decision_date": "The date the regime was chosen by.",
}


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    case = Case.model_json_schema(by_alias=True)
    case["properties"].pop("expect", None)
    case.get("$defs", {}).pop("Expectation", None)
    _describe(case, _CASE_FIELDS)
    decision = Decision.model_json_schema(by_alias=True)
    _describe(decision, _DECISION_FIELDS)
    found = {"case": case, "decision": decision, "error": copy.deepcopy(ERROR_JSON_SCHEMA)}
    return {name: _identified(name, schema) for name, schema in found.items()}


def _describe(schema: dict[str, Any], descriptions: dict[str, str]) -> None:
    for name, text in descriptions.items():
        if name in schema["properties"]:
            schema["properties"][name]["description"] = text
    for name, field in schema["properties"].items():
        field.setdefault("description", name.replace("_", " ").capitalize() + ".")


def _identified(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    head = {"$schema": DRAFT, "$id": f"{BASE_ID}scr-{name}-1"}
    return {**head, **{k: v for k, v in schema.items() if k not in head}}


def published_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema published as ``name`` (case, decision or error); a fresh copy."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    return copy.deepcopy(_schemas()[name])
