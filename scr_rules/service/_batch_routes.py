"""Many cases in one request: JSON Lines in, decisions streamed out in input order.

Each line is decided by ``scr_rules.batch``'s own worker, so a decision line and an error
line are exactly those of ``scr batch`` (``{"line": N, "case_ref": ..., "error": ...}``).
The limits are checked before any work starts: the body's size as it arrives, the number
of lines once it is in.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from scr_rules.batch import InputFormat, OutputFormat, Worker, WorkSpec
from scr_rules.errors import InputError, Problem, ScrRulesError
from scr_rules.law import parse_assignments
from scr_rules.service._auth import require, security
from scr_rules.service._bodies import NDJSON_MEDIA_TYPES, Options, check_options, read_body
from scr_rules.service._problems import ProblemError
from scr_rules.service._spec import request_body, responses
from scr_rules.service._state import MAX_BATCH_BYTES, MAX_BATCH_LINES, state_of

CHUNK_LINES = 64  # lines decided between two writes: the client sees progress early
NDJSON = NDJSON_MEDIA_TYPES[0]
BATCH_OPTIONS = ("regime", "decision_date", "settings")

router = APIRouter(prefix="/v1", tags=["decide"], dependencies=[Depends(require("decide"))])

_LINES = {
    "type": "string",
    "description": "One JSON document per line: a decision (as scr triage --format json, on one "
    "line) or an error line {line, case_ref, error} as scr batch writes it.",
}


@router.post(
    "/batch",
    summary="Decide many cases: one case file per line (NDJSON), decisions streamed back",
    responses=responses(
        200, "One line per case, in input order.", {"schema": _LINES}, (413, 415, 422), NDJSON
    ),
    response_class=StreamingResponse,
    openapi_extra={
        **request_body(
            "",
            f"At most {MAX_BATCH_LINES:,} lines and {MAX_BATCH_BYTES:,} bytes; blank lines "
            "are skipped (their numbers still count).",
            media_type=NDJSON,
        ),
        **security("decide"),
    },
)
async def decide_batch(
    request: Request,
    regime: Annotated[str | None, Query(description="Force this regime for every case.")] = None,
    decision_date: Annotated[
        str | None, Query(description="The date every decision is taken (YYYY-MM-DD).")
    ] = None,
    set_: Annotated[
        list[str] | None, Query(alias="set", description="A switch, NAME=VALUE; repeatable.")
    ] = None,
) -> StreamingResponse:
    options = _options(request, regime, decision_date, set_ or [])
    body = await read_body(request, MAX_BATCH_BYTES, NDJSON_MEDIA_TYPES)
    records = [
        ("line", number, line)
        for number, line in enumerate(io.BytesIO(body), start=1)
        if line.strip()  # a blank line carries no record, as in scr batch
    ]
    if len(records) > MAX_BATCH_LINES:
        raise ProblemError(
            413,
            "too_large",
            f"the body holds {len(records):,} cases; at most {MAX_BATCH_LINES:,} are decided "
            "in one request",
        )
    spec = WorkSpec(
        input_format=InputFormat.jsonl,
        output_format=OutputFormat.jsonl,
        regime=options.regime,
        decision_date=options.decision_date,
        settings=options.settings,
    )
    return StreamingResponse(_decided(spec, records), media_type=NDJSON)


def _options(request: Request, regime: Any, decision_date: Any, pairs: list[str]) -> Options:
    book = state_of(request).book
    raw: dict[str, Any] = {"regime": regime, "decision_date": decision_date, "settings": {}}
    problems: list[Problem] = []
    try:
        raw["settings"] = parse_assignments(pairs)
    except ScrRulesError as exc:
        problems.append(Problem("set", str(exc)))
    options, found = check_options(raw, BATCH_OPTIONS, book, "")
    if problems + found:
        raise InputError("query", problems + found)
    return options


def _decided(spec: WorkSpec, records: list[tuple[str, int, bytes]]) -> Iterator[bytes]:
    """Yield the output a chunk at a time (run in a worker thread by the response)."""
    worker = Worker(spec)
    for start in range(0, len(records), CHUNK_LINES):
        yield worker.process(records[start : start + CHUNK_LINES]).data
