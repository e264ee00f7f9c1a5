"""Record the board's decision beside the engine's, from the result page (``scr serve --log``).

The same path as ``POST /v1/records``: the case decided afresh, ``make_entry`` with who
recorded it (a role id), what the board decided and why, one append to the audit log, and
the page's own idempotency key, so a second click or a reload records nothing more. It
needs the ``record`` scope, as the API does. The answers given on the pages go into the
record as its interview, in the order they were given.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from scr_rules.audit import HUMAN_DECISIONS, AuditLog, make_entry
from scr_rules.errors import AuditError
from scr_rules.service._idempotency import IdempotencyKeys
from scr_rules.service._pages_auth import officer
from scr_rules.service._pages_common import (
    PageError,
    first,
    open_draft,
    read_form,
    redirect,
    seal_draft,
    service_of,
)
from scr_rules.service._pages_draft import Draft
from scr_rules.service._pages_result import decided, result_page
from scr_rules.service._problems import ProblemError
from scr_rules.service._state import ServiceState
from scr_rules.service._tokens import Client
from scr_rules.vocabulary import canonical_json, sha256

_KEY = re.compile(r"^[0-9a-f]{32}$")
FIELDS = ("by", "human_decision", "human_reason")

router = APIRouter(include_in_schema=False)


@router.post("/record")
async def record_decision(
    request: Request, client: Annotated[Client | None, Depends(officer("record"))]
) -> Response:
    form = await read_form(request)
    state = first(form, "state")
    draft = open_draft(request, state)
    service = service_of(request)
    log = service.config.log
    if log is None:
        raise PageError(404, "This service keeps no audit log", "Start it with scr serve --log.")
    key = first(form, "key")
    values = {name: first(form, name) for name in FIELDS}
    values["by"] = values["by"] or (client.name if client else "")
    errors = _form_errors(values, key)
    if errors:
        return result_page(
            request, state, draft, status=422, errors=errors, values=values, record_key=key
        )
    try:
        recorded_case, write = _prepared(service, log, draft, values)
    except AuditError as exc:  # make_entry's checks: each part names its field first
        errors = [(_field(part), part) for part in str(exc).split("; ")]
        return result_page(
            request, state, draft, status=422, errors=errors, values=values, record_key=key
        )
    name = client.name if client is not None else "-"
    fingerprint = sha256(canonical_json({"case": recorded_case, **values}))
    try:
        done = await run_in_threadpool(
            IdempotencyKeys(log).once, name, "page-" + key, fingerprint, write
        )
    except ProblemError as exc:  # the key was used with other answers: a stale form
        raise PageError(409, "This form was sent before with other answers", exc.detail) from None
    with AuditLog(log) as audit_log:
        record_hash = audit_log.get(done.record_id).hash
    recorded = draft.recorded(done.record_id, record_hash)
    return redirect("/result", state=seal_draft(request, recorded))


def _form_errors(values: dict[str, str], key: str) -> list[tuple[str, str]]:
    errors = []
    if not values["by"]:
        errors.append(("by", "Enter your role or staff id (never a name)"))
    if values["human_decision"] not in HUMAN_DECISIONS:
        errors.append(("human_decision", "Select what the board decided"))
    if not _KEY.fullmatch(key):
        errors.append(("human_decision", "The form was damaged: open the result page again"))
    return errors


def _prepared(
    service: ServiceState, log: Path, draft: Draft, values: dict[str, str]
) -> tuple[dict[str, Any], Callable[[], int]]:
    """Check the entry (raise AuditError naming each field wrong); return its case and writer.

    The entry is the case decided now, the board's decision and the answers given.
    """
    case, decision = decided(draft, service)
    entry = make_entry(
        case,
        decision,
        service.book,
        by=values["by"],
        human_decision=values["human_decision"],  # type: ignore[arg-type]  # checked before
        human_reason=values["human_reason"] or None,
    )
    answers = [{"fact": fact, "answer": answer} for fact, answer in draft.answers]
    entry = dataclasses.replace(entry, interview=answers)

    def write() -> int:
        with AuditLog(log) as audit_log:
            appended = audit_log.record_many([entry], [service.book])
        if appended.last_id is None:
            raise AuditError("the audit log did not store the record")
        return appended.last_id

    return entry.case, write


def _field(message: str) -> str:
    name = message.split(":")[0].strip()
    return name if name in FIELDS else "human_decision"
