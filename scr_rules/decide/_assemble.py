"""Put a decision together from its parts: as the ``Decision`` model, or straight as its JSON.

A draft is what ``Decision(...)`` would be called with, but with each list of reasons,
why-nots, duties... as shared ``Part``s. ``decision_from`` makes the model without
validating it again: every value in a draft was built by validated models or is of the
field's exact type, so the model is the one validation would give (the same ``__dict__``
and set fields; the tests compare them). ``json_from`` writes the JSON ``model_dump_json``
would, in one orjson call, copying each part's JSON as it is (the tests and
``scripts/fast_path_check.py`` compare them byte for byte).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from scr_rules.decide._decision import Decision
from scr_rules.decide._parts import Part, construct

_FIELDS = tuple(Decision.model_fields.items())
_KEYS = tuple((name, field.serialization_alias or field.alias or name) for name, field in _FIELDS)
_DEFAULTS = {
    name: field.get_default(call_default_factory=True)
    for name, field in _FIELDS
    if not field.is_required()
}


def decision_from(draft: Mapping[str, Any]) -> Decision:
    """Return the Decision of a draft, its given fields marked set (as ``Decision(**draft)``)."""
    fields = {}
    for name, value in draft.items():
        if type(value) is tuple and value and type(value[0]) is Part:
            value = tuple([part.model for part in value])
        fields[name] = value
    return construct(Decision, fields)


def json_from(draft: Mapping[str, Any]) -> bytes:
    """Return the decision's JSON, compact, as ``Decision.model_dump_json()`` writes it."""
    document = {}
    for name, key in _KEYS:
        value = draft[name] if name in draft else _DEFAULTS[name]
        if type(value) is tuple and value and type(value[0]) is Part:
            value = [part.fragment for part in value]
        document[key] = value
    return orjson.dumps(document)
