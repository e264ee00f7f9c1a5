"""What the service decides with: health, the index, the schemas, regimes, rules, settings."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from scr_rules.case import CASE_SCHEMA
from scr_rules.decide import DECISION_SCHEMA, SCHEMA_NAMES, published_schema
from scr_rules.errors import ERROR_SCHEMA
from scr_rules.law import Rule
from scr_rules.service._auth import require, security
from scr_rules.service._problems import ProblemError
from scr_rules.service._spec import ref, responses, schema
from scr_rules.service._state import state_of
from scr_rules.vocabulary import did_you_mean

SCHEMA_IDS = {"case": CASE_SCHEMA, "decision": DECISION_SCHEMA, "error": ERROR_SCHEMA}

health_router = APIRouter(tags=["service"])
router = APIRouter(prefix="/v1", tags=["law"], dependencies=[Depends(require(None))])


def json_text(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return JSON text as it is (the CLI's bytes), not re-serialised."""
    return Response(text, status_code=status, media_type="application/json", headers=headers)


def pretty(value: Any) -> Response:
    """Return a value as indented JSON, as the CLI prints it."""
    return json_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@health_router.get(
    "/healthz",
    summary="Say whether the service is up",
    responses=responses(200, "The service is up.", {"schema": ref("Health")}, ()),
    response_class=Response,
)
def get_health() -> Response:
    return json_text('{"status": "ok"}')


@router.get(
    "",
    summary="The engine, the rulebook in use, its regimes and the schemas",
    responses=responses(200, "The index.", {"schema": ref("ServiceIndex")}, ()),
    response_class=Response,
    openapi_extra=security(None),
)
def get_index(request: Request) -> Response:
    state = state_of(request)
    return pretty(
        {
            "engine_version": state.engine_version,
            "rulebook": state.book.digest,
            "regimes": [regime.id for regime in state.book.regimes],
            "schemas": {
                name: {"schema": SCHEMA_IDS.get(name, name), "url": f"/v1/schemas/{name}"}
                for name in SCHEMA_NAMES
            },
        }
    )


@router.get(
    "/schemas/{name}",
    summary="The JSON Schema of the case file, the decision or the error (as scr schema)",
    responses=responses(200, "A JSON Schema.", {"schema": {"type": "object"}}, (404, 422)),
    response_class=Response,
    openapi_extra=security(None),
)
def get_schema(
    name: Annotated[str, Path(json_schema_extra={"enum": list(SCHEMA_NAMES)})],
) -> Response:
    if name not in SCHEMA_NAMES:
        raise ProblemError(
            404, "not_found", f"unknown schema {name!r}; expected one of {', '.join(SCHEMA_NAMES)}"
        )
    return json_text(json.dumps(published_schema(name), indent=2) + "\n")  # as scr schema


@router.get(
    "/regimes",
    summary="The regimes (periods of law) and their dates",
    responses=responses(200, "Every regime.", {"schema": schema("Regime", array=True)}, ()),
    response_class=Response,
    openapi_extra=security(None),
)
def list_regimes(request: Request) -> Response:
    book = state_of(request).book
    return pretty([regime.model_dump(mode="json", by_alias=True) for regime in book.regimes])


@router.get(
    "/rules",
    summary="The rules, with outcome, evidence and switches (as scr rules list)",
    responses=responses(
        200, "The rules.", {"schema": schema("RuleSummary", array=True)}, (404, 422)
    ),
    response_class=Response,
    openapi_extra=security(None),
)
def list_rules(
    request: Request,
    regime: Annotated[str | None, Query(description="Only this regime's rules.")] = None,
) -> Response:
    book = state_of(request).book
    ids = [item.id for item in book.regimes]
    if regime is not None and regime not in ids:
        raise ProblemError(
            404,
            "not_found",
            f"unknown regime {regime!r}{did_you_mean(regime, ids)}; expected one of "
            + ", ".join(ids),
        )
    chosen = [rule for rule in book.rules if regime in (None, rule.spec.regime)]
    return pretty([_summary(rule) for rule in chosen])


def _summary(rule: Rule) -> dict[str, Any]:
    spec = rule.spec
    return {
        "id": spec.id,
        "regime": spec.regime,
        "kind": spec.kind,
        "title": spec.title,
        "outcome": spec.outcome,
        "outcome_setting": spec.outcome_setting,
        "enabled_when": spec.enabled_when.model_dump(mode="json") if spec.enabled_when else None,
        "force": spec.force,
        "evidence": spec.citation.evidence,
        "catalogue": spec.citation.catalogue,
        "in_force": spec.in_force.model_dump(mode="json", by_alias=True),
    }


@router.get(
    "/rules/{rule_id}",
    summary="One rule in full: citation, condition, reason, examples (as scr rules show)",
    responses=responses(200, "The rule.", {"schema": ref("RuleDetail")}, (404, 422)),
    response_class=Response,
    openapi_extra=security(None),
)
def get_rule(request: Request, rule_id: str) -> Response:
    book = state_of(request).book
    try:
        found = book.rule(rule_id)
    except KeyError:
        hint = did_you_mean(rule_id, (r.id for r in book.rules))
        raise ProblemError(404, "not_found", f"unknown rule {rule_id!r}{hint}") from None
    return pretty({**found.spec.model_dump(mode="json", by_alias=True), "path": found.path})


@router.get(
    "/settings",
    summary="The switches where sources disagree, with their values and defaults",
    responses=responses(200, "Every setting.", {"schema": schema("Setting", array=True)}, ()),
    response_class=Response,
    openapi_extra=security(None),
)
def list_settings(request: Request) -> Response:
    book = state_of(request).book
    return pretty([setting.model_dump(mode="json") for setting in book.settings])
