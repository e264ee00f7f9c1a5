"""Decide and record, read a record, verify the log: only with ``scr serve --log LOG``.

Writing needs the ``record`` scope and an ``Idempotency-Key``: a retry with the same key
(and the same body) gets the first record back and writes nothing. Reading a record or
verifying the chain needs ``audit:read``. The answers are those of ``scr audit show`` and
``scr audit verify`` with ``--format json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from scr_rules.audit import AuditLog, Record, make_entry
from scr_rules.errors import AuditError, InputError, Problem
from scr_rules.service._auth import require, security
from scr_rules.service._bodies import TRIAGE_OPTIONS, case_and_options
from scr_rules.service._decide_routes import decide_case, json_document
from scr_rules.service._examples import openapi_examples
from scr_rules.service._idempotency import IdempotencyKeys
from scr_rules.service._meta_routes import json_text
from scr_rules.service._problems import ProblemError
from scr_rules.service._spec import BODY_PROBLEMS, ref, request_body, responses
from scr_rules.service._state import ServiceState, state_of
from scr_rules.service._tokens import Client
from scr_rules.vocabulary import canonical_json, sha256

_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_AUDIT_FIELDS = ("by", "human_decision", "human_reason")
ANCHOR_PATTERN = r"^(sha256:)?[0-9a-fA-F]{12,64}$"

router = APIRouter(prefix="/v1", tags=["audit"])

_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "A new key per record (e.g. a UUID); a retry with the same key and body "
    "returns the first record.",
    "schema": {"type": "string", "pattern": _KEY.pattern},
}


@router.post(
    "/records",
    summary="Decide a case and append the decision to the audit log",
    status_code=201,
    responses={
        **responses(
            201,
            "Recorded (or, with 200, recorded before under this Idempotency-Key).",
            {"schema": ref("AuditRecord")},
            (*BODY_PROBLEMS, 404, 503),
            headers={"Location": {"schema": {"type": "string"}}},
        ),
        200: {
            "description": "A repeat: the record the first request with this key wrote.",
            "content": {"application/json": {"schema": ref("AuditRecord")}},
        },
    },
    response_class=Response,
    openapi_extra={
        "parameters": [_IDEMPOTENCY_KEY],
        **request_body(
            "RecordRequest",
            "A case file as JSON with 'options' and 'audit' (by, human_decision, human_reason).",
            openapi_examples(),
        ),
        **security("record"),
    },
)
async def create_record(
    request: Request, client: Annotated[Client | None, Depends(require("record"))]
) -> Response:
    state = _with_log(request)
    key = request.headers.get("idempotency-key", "")
    if not _KEY.fullmatch(key):
        raise ProblemError(
            400,
            "idempotency_key",
            "expected an Idempotency-Key header of 1-128 letters, digits or '._:-' (a UUID)",
        )
    document = await json_document(request)
    fingerprint = sha256(canonical_json(document))
    name = client.name if client is not None else "-"

    def write() -> int:
        return _decide_and_record(state, document, name)

    keys = IdempotencyKeys(_log_path(state))
    done = await run_in_threadpool(keys.once, name, key, fingerprint, write)
    record = await run_in_threadpool(_read, state, done.record_id)
    if done.repeated:
        return json_text(_record_json(record), headers={"Idempotent-Replayed": "true"})
    return json_text(
        _record_json(record), 201, headers={"Location": f"/v1/records/{done.record_id}"}
    )


def _decide_and_record(state: ServiceState, document: Any, client: str) -> int:
    case, options, rest = case_and_options(document, TRIAGE_OPTIONS, state.book, ("audit",))
    audit = _audit_fields(rest.get("audit"))
    decision = decide_case(case, options, state.book)
    try:
        entry = make_entry(
            case,
            decision,
            state.book,
            by=audit.get("by", client if client != "-" else None),
            human_decision=audit.get("human_decision"),
            human_reason=audit.get("human_reason"),
        )
    except AuditError as exc:  # the recording fields are wrong: the client's to fix
        raise InputError("request body", Problem("audit", str(exc))) from None
    with AuditLog(_log_path(state)) as log:
        appended = log.record_many([entry], [state.book])
    if appended.last_id is None:
        raise AuditError("the audit log did not store the record")
    return appended.last_id


def _audit_fields(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(name not in _AUDIT_FIELDS for name in raw):
        raise InputError(
            "request body",
            Problem("audit", f"expected a mapping of {', '.join(_AUDIT_FIELDS)}"),
        )
    return raw


@router.get(
    "/records/{record_id}",
    summary="One audit record (as scr audit show LOG ID --format json)",
    responses=responses(200, "The record.", {"schema": ref("AuditRecord")}, (404, 422, 503)),
    response_class=Response,
    dependencies=[Depends(require("audit:read"))],
    openapi_extra=security("audit:read"),
)
def get_record(request: Request, record_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> Response:
    return json_text(_record_json(_read(_with_log(request), record_id)))


@router.get(
    "/audit/verify",
    summary="Check the hash chain and every stored rulebook (as scr audit verify --format json)",
    responses=responses(
        200,
        "The result; ok says whether the chain is intact.",
        {"schema": ref("VerifyDocument")},
        (404, 422, 503),
    ),
    response_class=Response,
    dependencies=[Depends(require("audit:read"))],
    openapi_extra=security("audit:read"),
)
def verify_audit_log(
    request: Request,
    anchor: Annotated[
        str | None,
        Query(
            pattern=ANCHOR_PATTERN,
            description="A head hash noted earlier (or its first 12 or more hex digits); it "
            "must still be in the chain.",
        ),
    ] = None,
) -> Response:
    state = _with_log(request)
    with AuditLog(_log_path(state)) as log:
        result = log.verify(anchor)
    data = {"ok": result.ok, "first_bad": result.first_bad, **vars(result)}
    data["problems"] = [vars(problem) for problem in result.problems]
    return json_text(json.dumps(data, indent=2) + "\n")


def _with_log(request: Request) -> ServiceState:
    state = state_of(request)
    if state.config.log is None:
        raise ProblemError(
            404, "not_found", "this service keeps no audit log (start it with scr serve --log)"
        )
    return state


def _log_path(state: ServiceState) -> Path:
    assert state.config.log is not None  # noqa: S101 - checked by _with_log
    return state.config.log


def _read(state: ServiceState, record_id: int) -> Record:
    with AuditLog(_log_path(state)) as log:
        try:
            return log.get(record_id)
        except AuditError as exc:
            if "no record" not in str(exc):
                raise
    raise ProblemError(404, "not_found", f"no record {record_id} in the audit log")


def _record_json(record: Record) -> str:
    return json.dumps(record.to_dict(), indent=2, ensure_ascii=False) + "\n"
