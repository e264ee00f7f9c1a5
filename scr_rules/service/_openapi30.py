"""OpenAPI 3.1 -> 3.0.3, for client generators that read only 3.0 (.NET's NSwag, for one).

3.1 schemas are JSON Schema 2020-12; 3.0 has its own dialect. What pydantic writes that 3.0
lacks is rewritten: ``null`` in ``anyOf`` or ``type`` becomes ``nullable``, ``const``
becomes a one-value ``enum``, a ``$ref`` with siblings is wrapped in ``allOf``,
``examples`` becomes ``example``, ``patternProperties`` becomes ``additionalProperties``
(the pattern moves to the description), a numeric ``exclusiveMinimum`` becomes the 3.0
boolean form, ``prefixItems`` becomes ``items``; keywords 3.0 has no room for are dropped.
"""

from __future__ import annotations

import copy
from typing import Any

_DROPPED = ("$schema", "$id", "propertyNames", "contentMediaType", "contentEncoding", "const")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties")


def downgrade(spec: dict[str, Any]) -> dict[str, Any]:
    """Return a 3.0.3 copy of a 3.1 document (the input is left unchanged)."""
    result = copy.deepcopy(spec)
    result["openapi"] = "3.0.3"
    result.pop("jsonSchemaDialect", None)
    result.pop("webhooks", None)
    result["info"].pop("summary", None)
    result["info"].get("license", {}).pop("identifier", None)
    components = result.get("components", {})
    components["schemas"] = {
        name: schema_30(schema) for name, schema in components.get("schemas", {}).items()
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            _operation(operation)
    return result


def _operation(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if "schema" in parameter:
            parameter["schema"] = schema_30(parameter["schema"])
    bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
    for body in bodies:
        for media in body.get("content", {}).values():
            if "schema" in media:
                media["schema"] = schema_30(media["schema"])
        for header in body.get("headers", {}).values():
            if "schema" in header:
                header["schema"] = schema_30(header["schema"])


def schema_30(schema: Any) -> Any:
    """Return a JSON Schema 2020-12 schema in the OpenAPI 3.0 dialect."""
    if not isinstance(schema, dict):
        return schema
    result = {key: value for key, value in schema.items() if key not in _DROPPED}
    if "const" in schema:
        result["enum"] = [schema["const"]]
    for key in _SCHEMA_LISTS:
        if key in result:
            result[key] = [schema_30(part) for part in result[key]]
    for key in _SCHEMA_MAPS:
        if key in result:
            result[key] = {name: schema_30(part) for name, part in result[key].items()}
    for key in ("items", "additionalProperties", "not"):
        if isinstance(result.get(key), dict):
            result[key] = schema_30(result[key])
    if "examples" in result:
        examples = result.pop("examples")
        if isinstance(examples, list) and examples:
            result["example"] = examples[0]
    _tuples(result)
    _patterns(result)
    _bounds(result)
    return _nullable(_ref_siblings(result))


def _tuples(schema: dict[str, Any]) -> None:
    items = schema.pop("prefixItems", None)
    if items is not None:
        schema["items"] = items[0] if len(items) == 1 else {"anyOf": items}


def _patterns(schema: dict[str, Any]) -> None:
    patterns = schema.pop("patternProperties", None)
    if not patterns:
        return
    (pattern, value), *_ = patterns.items()
    schema["additionalProperties"] = value
    note = f"Each key matches {pattern}."
    schema["description"] = f"{schema['description']} {note}" if "description" in schema else note


def _bounds(schema: dict[str, Any]) -> None:
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = schema.get(exclusive)
        if isinstance(value, int | float) and not isinstance(value, bool):
            schema[bound] = value
            schema[exclusive] = True


def _ref_siblings(schema: dict[str, Any]) -> dict[str, Any]:
    """3.0 ignores every keyword beside a ``$ref``: move the reference into ``allOf``."""
    if "$ref" in schema and len(schema) > 1:
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        return {"allOf": [{"$ref": schema["$ref"]}], **rest}
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kinds = schema.get("type")
    if isinstance(kinds, list):
        rest = [kind for kind in kinds if kind != "null"]
        schema = {key: value for key, value in schema.items() if key != "type"}
        if len(rest) == 1:
            schema["type"] = rest[0]
        else:  # 3.0 has no list of types
            schema["anyOf"] = [{"type": kind} for kind in rest]
        if len(rest) < len(kinds):
            schema["nullable"] = True
    for key in ("anyOf", "oneOf"):
        parts = schema.get(key)
        if not isinstance(parts, list) or {"type": "null"} not in parts:
            continue
        rest = [part for part in parts if part != {"type": "null"}]
        outer = {k: v for k, v in schema.items() if k != key}
        if len(rest) == 1 and "$ref" not in rest[0]:
            return {**rest[0], **outer, "nullable": True}
        if len(rest) == 1:
            return {"allOf": rest, **outer, "nullable": True}
        return {key: rest, **outer, "nullable": True}
    return schema
