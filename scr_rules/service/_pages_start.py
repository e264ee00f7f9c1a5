"""The start page: a new case (jurisdiction and dates), or a case file uploaded.

The form contract: the start form's inputs are named ``jurisdiction``, ``decision_date``,
``notification_date`` and ``incident_date`` (and ``case_ref``); the upload's is
``case_file``. Every field wrong is named at once, in the error summary and at the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from scr_rules.case import (
    CASE_REF_PATTERN,
    UNKNOWN,
    Case,
    case_from_dict,
    case_from_document,
    parse_document,
)
from scr_rules.decide import triage
from scr_rules.errors import CaseFileError, InputError, Problem, RegimeError, printable
from scr_rules.law import RuleBook
from scr_rules.service._pages_auth import officer
from scr_rules.service._pages_common import (
    PageError,
    first,
    open_draft,
    page,
    read_file,
    read_form,
    redirect,
    seal_draft,
    service_of,
)
from scr_rules.service._pages_draft import Draft
from scr_rules.service._state import MAX_CASE_BYTES

DATES = ("incident_date", "notification_date", "decision_date")
START_FIELDS = ("schema", "case_ref", "jurisdiction")  # what the start form sets besides dates
JURISDICTIONS = {"england": "England", "wales": "Wales"}
DEFAULT_CASE_REF = "NEW-0001"  # as scr interview suggests
Errors = list[tuple[str, str]]

router = APIRouter(include_in_schema=False, dependencies=[Depends(officer("decide"))])


@router.get("/")
def start_page(request: Request) -> Response:
    return _start(request, {"jurisdiction": "england"})


@router.get("/start")
def change_start(request: Request, state: Annotated[str | None, Query()] = None) -> Response:
    """The start page again, filled in from the case so far (a change link)."""
    if state is None:
        return redirect("/")
    draft = open_draft(request, state)
    values = {k: str(v) for k, v in draft.start.items() if k in (*DATES, "case_ref")}
    values["jurisdiction"] = str(draft.start.get("jurisdiction", "england"))
    return _start(request, values, state=state)


def _start(request: Request, values: dict[str, str], **context: Any) -> Response:
    context.setdefault("state", None)
    return page(
        request,
        "start.html",
        title="Start a case",
        values=values,
        jurisdictions=JURISDICTIONS,
        **context,
    )


@router.post("/start")
async def start_case(request: Request) -> Response:
    form = await read_form(request)
    values = {name: first(form, name) for name in ("jurisdiction", "case_ref", *DATES)}
    book = service_of(request).book
    start, errors = start_document(values, book)
    state = first(form, "state") or None
    if errors or start is None:
        return _start(request, values, errors=errors, state=state, status=422)
    draft = Draft(start)
    if state:
        before = open_draft(request, state)
        kept = {k: v for k, v in before.start.items() if k not in (*START_FIELDS, *DATES)}
        draft = before.with_start({**kept, **start})  # an uploaded file's facts stay
    try:
        draft.case()
    except CaseFileError as exc:  # new details that the answers given contradict
        errors = [(_field(p), _sentence(p)) for p in exc.problems]
        return _start(request, values, errors=errors, state=state, status=422)
    return redirect("/check" if state else "/question", state=seal_draft(request, draft))


def start_document(values: dict[str, str], book: RuleBook) -> tuple[dict[str, Any] | None, Errors]:
    """Return the start of a case from the start form, or every field to correct."""
    errors: Errors = []
    if values["jurisdiction"] not in JURISDICTIONS:
        errors.append(("jurisdiction", "Select England or Wales"))
    case_ref = values["case_ref"] or DEFAULT_CASE_REF
    document: dict[str, Any] = {
        "schema": "scr-case/1",
        "case_ref": case_ref,
        "jurisdiction": values["jurisdiction"],
    }
    if not _is_case_ref(case_ref):
        errors.append(
            ("case_ref", "Enter a reference of letters, digits and . _ : / - (never a name)")
        )
    document.update({name: values[name] for name in DATES if values[name]})
    if not any(values[name] for name in DATES):
        errors.append(
            ("decision_date", "Enter the date of the decision: the law in force on it applies")
        )
    if errors:
        return None, errors
    try:
        _decidable(case_from_dict(document, source="the start form"), book)
    except CaseFileError as exc:
        return None, [(_field(p), _sentence(p)) for p in exc.problems]
    except RegimeError as exc:
        return None, [("decision_date", printable(str(exc)))]
    return document, []


def _is_case_ref(case_ref: str) -> bool:
    """Say whether a case reference has the case file's form (an opaque reference)."""
    return re.fullmatch(CASE_REF_PATTERN, case_ref) is not None


def _decidable(case: Case, book: RuleBook) -> None:
    """Raise RegimeError when no regime applies on the case's dates."""
    triage(case, rulebook=book)


def _field(problem: Problem) -> str:
    name = problem.loc.split(".")[0]
    return name if name in (*DATES, "jurisdiction", "case_ref") else "decision_date"


def _sentence(problem: Problem) -> str:
    text = printable(problem.message)
    if problem.loc in DATES and "YYYY-MM-DD" in text:
        return "Enter a real date as YYYY-MM-DD, for example 2008-05-20"
    return text[:1].upper() + text[1:]


@router.post("/start/upload")
async def upload_case(request: Request) -> Response:
    """Start from a case file: YAML or JSON as ``scr triage`` reads it."""
    upload = await read_file(request, "case_file", MAX_CASE_BYTES)
    if upload is None:
        return _upload_failed(request, ["Choose a case file (YAML or JSON) to upload"])
    filename, data = upload
    source = printable(filename)[:80]
    try:
        start = uploaded_start(data, source, service_of(request).book)
    except (CaseFileError, InputError) as exc:
        return _upload_failed(request, [f"{source}: {problem}" for problem in exc.problems])
    except RegimeError as exc:
        return _upload_failed(request, [f"{source}: {printable(str(exc))}"])
    except PageError as exc:
        return _upload_failed(request, [f"{source}: {exc.message}"])
    return redirect("/question", state=seal_draft(request, Draft(start)))


def _upload_failed(request: Request, messages: list[str]) -> Response:
    errors = [("case_file", message) for message in messages]
    values = {"jurisdiction": "england"}
    return _start(request, values, errors=errors, upload_failed=True, status=422)


def uploaded_start(data: bytes, source: str, book: RuleBook) -> dict[str, Any]:
    """Return the start of a draft from a case file's bytes; raise saying what is wrong."""
    if len(data) > MAX_CASE_BYTES:
        raise PageError(413, "", f"the file is larger than {MAX_CASE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise PageError(422, "", f"not UTF-8 text (byte {exc.start + 1})") from None
    document = parse_document(text, source)
    case = case_from_document(document, source)
    _decidable(case, book)
    start = case.dump()
    given = document.get("facts") if isinstance(document, dict) else None
    unknown = {k: UNKNOWN for k, v in (given or {}).items() if v == UNKNOWN}  # "not known yet"
    start["facts"] = {**start.get("facts", {}), **unknown}
    return start
