"""Decide a case over HTTP: the answers of ``scr triage``, ``scr compare`` and ``scr next``.

Each answer is the library's own serialisation (``Decision.to_json``, ``comparisons_json``,
the interview step's document), so it equals the command's output byte for byte.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from scr_rules import decide as decide_package
from scr_rules.case import case_from_dict
from scr_rules.decide import Decision, compare, comparisons_json, triage
from scr_rules.errors import CaseFileError, InputError, Problem
from scr_rules.law import RuleBook
from scr_rules.service._auth import require, security
from scr_rules.service._bodies import (
    COMPARE_OPTIONS,
    INTERVIEW_OPTIONS,
    JSON_MEDIA_TYPES,
    SOURCE,
    TRIAGE_OPTIONS,
    Options,
    case_and_options,
    check_options,
    parse_json,
    read_body,
)
from scr_rules.service._examples import openapi_examples
from scr_rules.service._meta_routes import json_text
from scr_rules.service._problems import ProblemError
from scr_rules.service._spec import BODY_PROBLEMS, ref, request_body, responses, schema
from scr_rules.service._state import MAX_CASE_BYTES, state_of

router = APIRouter(prefix="/v1", tags=["decide"], dependencies=[Depends(require("decide"))])


def decide_case(case: Any, options: Options, book: RuleBook) -> Decision:
    """Decide as ``scr triage`` does with the same options."""
    return triage(
        case,
        options.regime,
        rulebook=book,
        settings=options.settings,
        decision_date=options.decision_date,
        today=options.today,
    )


async def json_document(request: Request) -> Any:
    """Return a JSON body of at most one case's size limit, parsed strictly."""
    return parse_json(await read_body(request, MAX_CASE_BYTES, JSON_MEDIA_TYPES))


@router.post(
    "/decisions",
    summary="Decide one case (the decision JSON of scr triage --format json)",
    responses=responses(200, "The decision.", {"schema": ref("Decision")}, BODY_PROBLEMS),
    response_class=Response,
    openapi_extra={
        **request_body(
            "DecisionRequest",
            "A case file (scr-case/1) as JSON; 'options' as scr triage takes them.",
            openapi_examples(),
        ),
        **security("decide"),
    },
)
async def create_decision(request: Request) -> Response:
    book = state_of(request).book
    case, options, _ = case_and_options(await json_document(request), TRIAGE_OPTIONS, book)
    decision = await run_in_threadpool(decide_case, case, options, book)
    return json_text(decision.to_json() + "\n")


@router.post(
    "/comparisons",
    summary="What every regime of the jurisdiction decides (as scr compare --format json)",
    responses=responses(
        200, "One row per regime.", {"schema": schema("ComparisonRow", array=True)}, BODY_PROBLEMS
    ),
    response_class=Response,
    openapi_extra={
        **request_body(
            "ComparisonRequest",
            "A case file as JSON; 'options' may hold settings.",
            openapi_examples(),
        ),
        **security("decide"),
    },
)
async def create_comparison(request: Request) -> Response:
    book = state_of(request).book
    case, options, _ = case_and_options(await json_document(request), COMPARE_OPTIONS, book)
    rows = await run_in_threadpool(
        functools.partial(compare, case, rulebook=book, settings=options.settings)
    )
    return json_text(comparisons_json(rows))


@router.post(
    "/interview/next",
    summary="The next question worth asking, or the end of the interview (as scr next)",
    responses=responses(
        200, "The next step.", {"schema": ref("NextStepDocument")}, (*BODY_PROBLEMS, 501)
    ),
    response_class=Response,
    openapi_extra={
        **request_body(
            "InterviewRequest",
            "The case so far and the facts skipped.",
            openapi_examples("case", skipped=[]),
        ),
        **security("decide"),
    },
)
async def next_question(request: Request) -> Response:
    if _interview() is None:
        raise ProblemError(
            501, "not_implemented", "the interview is not in this version of scr-rules"
        )
    book = state_of(request).book
    case, skipped, options = _interview_request(await json_document(request), book)
    document = await run_in_threadpool(next_step_document, case, skipped, options)
    return json_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def next_step_document(case: Any, skipped: tuple[str, ...], options: Options) -> Any:
    """Return the interview's next step as ``scr next --format json`` prints it."""
    step = _interview()(  # None was answered with 501 before this
        case,
        skipped=skipped,
        regime=options.regime,
        decision_date=options.decision_date,
        settings=options.settings,
    )
    return step.as_document()


def _interview() -> Any:
    """Return ``scr_rules.decide.next_question``, or None in a version without the interview."""
    return vars(decide_package).get("next_question")


def _interview_request(document: Any, book: RuleBook) -> tuple[Any, tuple[str, ...], Options]:
    """Check ``{"case": {...}, "skipped": [...], "options": {...}}``, every problem at once."""
    if not isinstance(document, dict):
        raise InputError(SOURCE, "expected a mapping with 'case' and optionally 'skipped'")
    problems = [
        Problem(str(name), "unknown member; expected case, skipped or options")
        for name in document
        if name not in ("case", "skipped", "options")
    ]
    options, found = check_options(document.get("options"), INTERVIEW_OPTIONS, book, "options")
    problems += found
    skipped = document.get("skipped", [])
    if not isinstance(skipped, list) or not all(isinstance(name, str) for name in skipped):
        problems.append(Problem("skipped", "expected a list of fact names"))
        skipped = []
    if "case" not in document:
        problems.append(Problem("case", "is required; expected a case file (scr-case/1)"))
        raise InputError(SOURCE, problems)
    try:
        case = case_from_dict(document["case"], source=SOURCE)
    except CaseFileError as exc:
        inner = [
            Problem(_inside("case", p.loc), p.message, p.expected, p.found) for p in exc.problems
        ]
        raise CaseFileError(SOURCE, [*problems, *inner]) from None
    if problems:
        raise InputError(SOURCE, problems)
    return case, tuple(skipped), options


def _inside(member: str, loc: str) -> str:
    return f"{member}.{loc}" if loc else member
