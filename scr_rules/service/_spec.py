"""The spec's pieces each route declares: its responses, its request body, its problems.

Routes read their bodies themselves (``_bodies``), so FastAPI cannot infer them: each route
states its request body and every response, including every problem it can answer, here.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel

from scr_rules.case import Case
from scr_rules.decide import Decision
from scr_rules.law import Regime, Setting
from scr_rules.service import _models as models
from scr_rules.service._problems import PROBLEM_MEDIA_TYPE

REF = "#/components/schemas/{model}"

# Every model the spec names, and whether it is read (validation) or written (serialization).
COMPONENTS: tuple[tuple[type[BaseModel], str], ...] = (
    (models.DecisionRequest, "validation"),
    (models.ComparisonRequest, "validation"),
    (models.InterviewRequest, "validation"),
    (models.RecordRequest, "validation"),
    (Case, "validation"),
    (Decision, "serialization"),
    (models.ComparisonRow, "serialization"),
    (models.NextStepDocument, "serialization"),
    (models.ServiceIndex, "serialization"),
    (models.Health, "serialization"),
    (models.RuleSummary, "serialization"),
    (models.RuleDetail, "serialization"),
    (Regime, "serialization"),
    (Setting, "serialization"),
    (models.AuditRecord, "serialization"),
    (models.VerifyDocument, "serialization"),
    (models.Problem, "serialization"),
)

PROBLEM_DESCRIPTIONS = {
    400: "The body is not valid JSON (or a required header is missing or malformed).",
    401: "No bearer token, or an unknown one (only when the service has a tokens file).",
    403: "The token lacks the scope this operation needs.",
    404: "No such rule, regime or record.",
    409: "Another request with the same Idempotency-Key is being recorded.",
    413: "The body is larger than the limit.",
    415: "The body is not of the media type the operation reads.",
    422: "The case or the options are not valid: every problem is listed in errors.",
    500: "An internal error; the request id identifies it in the server's log.",
    501: "Not available in this version.",
    503: "The audit log cannot be used.",
}
BODY_PROBLEMS = (400, 413, 415, 422)


def ref(model: str) -> dict[str, str]:
    """Return a reference to a component schema."""
    return {"$ref": REF.format(model=model)}


def schema(model: str, *, array: bool = False) -> dict[str, Any]:
    """Return the schema of a component, or of a list of them."""
    return {"type": "array", "items": ref(model)} if array else ref(model)


def responses(
    ok: int,
    description: str,
    body: dict[str, Any],
    problems: tuple[int, ...],
    media_type: str = "application/json",
    headers: dict[str, Any] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """Return an operation's responses: the success and every problem it can answer."""
    success: dict[str, Any] = {"description": description, "content": {media_type: body}}
    if headers:
        success["headers"] = headers
    declared: dict[int | str, dict[str, Any]] = {ok: success}
    for status in sorted({401, 403, 500, *problems}):
        declared[status] = {
            "description": PROBLEM_DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": ref("Problem")}},
        }
    return declared


def request_body(
    model: str,
    description: str,
    examples: dict[str, Any] | None = None,
    media_type: str = "application/json",
) -> dict[str, Any]:
    """Return an operation's ``requestBody`` (for ``openapi_extra``)."""
    content: dict[str, Any] = {"schema": ref(model) if model else {"type": "string"}}
    if examples:
        content["examples"] = examples
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {media_type: content},
        }
    }
