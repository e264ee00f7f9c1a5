"""Check answers, the result, and its downloads: the case file and the decision record.

Every page here decides the draft afresh (``triage`` is pure and takes milliseconds), so a
page shows what the answers it carries decide and nothing kept from before. A draft that
was recorded takes its decision from the audit log instead, as ``scr report --log`` does.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from scr_rules.audit import AuditLog, human_agreement
from scr_rules.case import Case, case_from_document
from scr_rules.decide import Decision, next_question, triage, unresolved_text
from scr_rules.errors import CaseFileError, ScrRulesError, UsageError
from scr_rules.render import Audience, LoggedRecord, RecordFormat, decision_record, headline
from scr_rules.render import readings_line as readings_text
from scr_rules.render import relevant as relevant_rules
from scr_rules.service._pages_auth import officer
from scr_rules.service._pages_common import (
    PAGE_HEADERS,
    PageError,
    open_draft,
    page,
    pages_of,
    seal_draft,
    service_of,
)
from scr_rules.service._pages_draft import Draft
from scr_rules.service._pages_view import answer_rows, missing_rows
from scr_rules.service._state import ServiceState

BOARD_DECISIONS = {
    "initiated": "The board decided to hold a review",
    "declined": "The board decided not to hold a review",
    "alternative_review": "The board decided on another kind of review or learning",
}
MEDIA_TYPES = {
    "yaml": "application/yaml",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

router = APIRouter(include_in_schema=False, dependencies=[Depends(officer("decide"))])


def decided(draft: Draft, state: ServiceState) -> tuple[Case, Decision]:
    """Return the draft's case and its decision; raise PageError if the case is no longer one."""
    try:
        case = draft.case()
    except CaseFileError as exc:  # the rulebook or the entailments changed under the draft
        raise PageError(422, "These answers cannot be decided", str(exc)) from None
    return case, triage(case, rulebook=state.book)


@router.get("/check")
def check_answers(request: Request, state: Annotated[str, Query()]) -> Response:
    draft = open_draft(request, state)
    service, pages = service_of(request), pages_of(request)
    case, decision = decided(draft, service)
    step = next_question(
        case, skipped=draft.skipped(), rulebook=service.book, questions=pages.questions
    )
    return page(
        request,
        "check.html",
        title="Check your answers",
        state=state,
        draft=draft,
        case=case,
        decision=decision,
        headline=headline(decision),
        more_to_ask=not step.done,
        rows=answer_rows(draft, decision, pages.questions, service.book),
        back=_back_from_check(request, draft, state),
    )


def _back_from_check(request: Request, draft: Draft, state: str) -> str:
    """Return the page before check answers: the last question, as the back button does."""
    before = draft.back()
    if before is None:
        return "/start?state=" + state
    return "/question?state=" + seal_draft(request, before)


@router.get("/result")
def result(request: Request, state: Annotated[str, Query()]) -> Response:
    return result_page(request, state, open_draft(request, state))


def result_page(
    request: Request, state: str, draft: Draft, *, status: int = 200, **form: Any
) -> Response:
    """Render the result of a draft (with the recording form's errors, if any)."""
    service, pages = service_of(request), pages_of(request)
    case, decision = decided(draft, service)
    form.setdefault("errors", [])
    form.setdefault("values", {"by": getattr(request.state, "officer", None) or ""})
    return page(
        request,
        "result.html",
        status=status,
        title="Result",
        state=state,
        draft=draft,
        case=case,
        decision=decision,
        headline=headline(decision),
        readings=readings_text(decision),
        unresolved=[unresolved_text(law) for law in decision.unresolved_law],
        shown=relevant_rules(decision),
        missing=missing_rows(decision, pages.questions),
        may_record=may_record(request),
        board_decisions=BOARD_DECISIONS,
        record_key=form.pop("record_key", None) or _new_key(),
        **form,
    )


def may_record(request: Request) -> bool:
    """Say whether this officer may record here: a log is kept and the token has the scope."""
    service = service_of(request)
    if service.config.log is None:
        return False
    scopes = getattr(request.state, "scopes", None)
    return service.config.tokens is None or (scopes is not None and "record" in scopes)


def _new_key() -> str:
    """A new key for the recording form: a second click records nothing more."""
    return secrets.token_hex(16)


@router.get("/download/case.yaml")
def download_case(request: Request, state: Annotated[str, Query()]) -> Response:
    """The case file of the answers: ``scr triage`` and ``scr interview`` read it back."""
    draft = open_draft(request, state)
    case, _ = decided(draft, service_of(request))
    document = {
        name: date.fromisoformat(value) if name.endswith("_date") else value
        for name, value in draft.document().items()
    }
    text = "# scr-case/1, written by the scr-rules officer pages\n" + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True
    )
    case_from_document(yaml.safe_load(text), "the case file")  # never one it cannot read back
    return _attachment(text.encode("utf-8"), f"{case.case_ref}.yaml", "yaml")


@router.get("/download/record.{kind}")
def download_record(
    request: Request,
    kind: Literal["html", "pdf"],
    state: Annotated[str, Query()],
    audience: Annotated[Audience, Query()] = Audience.board,
) -> Response:
    """The decision record: the same bytes ``scr report`` writes for the same decision."""
    draft = open_draft(request, state)
    service = service_of(request)
    case, decision = decided(draft, service)
    logged = None
    if draft.record is not None:
        decision, logged = _logged(service, draft.record)
    try:
        data = decision_record(
            decision,
            case,
            audience=audience,
            fmt=RecordFormat(kind),
            record=logged,
            rulebook=service.book,
        )
    except UsageError as exc:  # no WeasyPrint on the server
        raise PageError(501, "The PDF cannot be made here", str(exc)) from None
    suffix = "" if audience is Audience.board else "-audit"
    return _attachment(data, f"{case.case_ref}-record{suffix}.{kind}", kind)


def _logged(service: ServiceState, record: tuple[int, str]) -> tuple[Decision, LoggedRecord]:
    """Return the decision as recorded and the record's place in the log."""
    log = service.config.log
    if log is None:
        raise PageError(404, "This service keeps no audit log")
    record_id, record_hash = record
    try:
        with AuditLog(log) as audit_log:
            found = audit_log.get(record_id)
    except ScrRulesError:
        raise PageError(404, "The record cannot be found", f"No record {record_id}.") from None
    if found.hash != record_hash or found.computed_hash() != found.hash:
        raise PageError(409, "The record has changed", "Check the log: scr audit verify.")
    board = found.human_decision
    return Decision.model_validate(found.decision), LoggedRecord(
        log=log.name,  # the commands it prints name the log as its keeper names it
        id=found.id,
        hash=found.hash,
        recorded_at=found.recorded_at,
        by=found.by,
        origin=found.origin,
        human_decision=board,
        human_reason=found.human_reason,
        agreement=human_agreement(found.decision.get("outcome"), board) if board else None,
        interview=tuple(found.interview or ()),
    )


def _attachment(data: bytes, name: str, kind: str) -> Response:
    safe = _FILE_NAME.sub("_", name)
    headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{safe}"'}
    return Response(data, media_type=MEDIA_TYPES[kind], headers=headers)
