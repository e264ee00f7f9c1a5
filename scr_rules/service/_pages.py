"""The officer pages: a case entered one question at a time, without YAML, in a browser.

``add_pages`` joins them to the service's app: the start page at ``/``, one question per
page at ``/question`` (driven by ``next_question``: only what can change the outcome is
asked), ``/check`` to check and change answers, ``/result`` with the downloads, and
``/record`` when the service keeps an audit log. Every form posts and is answered with a
redirect to a GET (post-redirect-get), whose URL carries only a sealed draft
(``_pages_seal``): nothing about a case is stored on the server unless it is recorded, and
the browser's back button shows the page before, as it was.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from scr_rules.case import BASE_FACTS, UNKNOWN
from scr_rules.decide import Decision, InterviewQuestion, NextStep, next_question
from scr_rules.errors import CaseFileError
from scr_rules.render import headline
from scr_rules.service import _pages_auth, _pages_record, _pages_result, _pages_start
from scr_rules.service._pages_auth import officer
from scr_rules.service._pages_common import (
    STATIC_DIR,
    PageError,
    first,
    make_pages,
    open_draft,
    page,
    pages_of,
    read_form,
    redirect,
    seal_draft,
    service_of,
)
from scr_rules.service._pages_draft import Draft
from scr_rules.service._pages_questions import option_views, question_for, read_answer
from scr_rules.service._pages_result import decided

Then = Literal["check"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(officer("decide"))])


def add_pages(app: FastAPI) -> None:
    """Join the officer pages, their static files and their error page to the app."""
    app.state.pages = make_pages()
    for pages_router in (
        _pages_auth.router,
        _pages_start.router,
        router,
        _pages_result.router,
        _pages_record.router,
    ):
        app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(PageError, _page_error)


def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)  # noqa: S101 - registered for PageError only
    if exc.location is not None:
        return redirect(exc.location)
    return page(request, "error.html", status=exc.status, title=exc.title, message=exc.message)


@router.get("/question")
def question_page(
    request: Request,
    state: Annotated[str, Query()],
    fact: Annotated[str | None, Query(max_length=64)] = None,
    then: Annotated[Then | None, Query()] = None,
) -> Response:
    """The next question worth asking, or the one named (a change link)."""
    draft = open_draft(request, state)
    step = _step(request, draft)
    if fact is None and step.question is None:
        return redirect("/check", state=state)
    question = _question(request, step, fact)
    chosen = draft.value_of(question.fact)
    if draft.prefill is not None and draft.prefill[0] == question.fact:
        chosen = draft.prefill[1]
    return _render(request, draft, state, question, step.decision, chosen, then)


@router.post("/question")
async def answer_question(request: Request) -> Response:
    form = await read_form(request)
    state, fact = first(form, "state"), first(form, "fact")
    then: Then | None = "check" if first(form, "then") == "check" else None
    draft = open_draft(request, state)
    step = _step(request, draft)
    question = _question(request, step, fact)
    value, problem = read_answer(question, form.get(fact, []))
    answered = draft
    if problem is None:
        answered = draft.with_answer(fact, value)
        try:
            answered.case()
        except CaseFileError as exc:  # it contradicts an answer given before
            problem = "; ".join(_contradiction(p.message) for p in exc.problems)
    if problem is not None:
        chosen = value if value is not None else form.get(fact)
        errors = [(question.fact, problem)]
        return _render(
            request, draft, state, question, step.decision, chosen, then, errors=errors, status=422
        )
    return redirect("/check" if then else "/question", state=seal_draft(request, answered))


def _step(request: Request, draft: Draft) -> NextStep:
    service, pages = service_of(request), pages_of(request)
    case, _ = decided(draft, service)
    return next_question(
        case, skipped=draft.skipped(), rulebook=service.book, questions=pages.questions
    )


def _question(request: Request, step: NextStep, fact: str | None) -> InterviewQuestion:
    """Return the question to show: the interview's own, or any fact's (a change link)."""
    if step.question is not None and fact in (None, step.question.fact):
        return step.question
    if fact is None or fact not in BASE_FACTS:
        raise PageError(404, "There is no such question", "Go back to check your answers.")
    return question_for(fact, pages_of(request).questions)


def _render(
    request: Request,
    draft: Draft,
    state: str,
    question: InterviewQuestion,
    decision: Decision,
    chosen: Any,
    then: Then | None,
    **context: Any,
) -> Response:
    pages = pages_of(request)
    return page(
        request,
        "question.html",
        title=question.text,
        state=state,
        question=question,
        options=option_views(question, chosen),
        typed=_typed(question, chosen),
        topic=pages.questions.topic(question.topic).title,
        decision=decision,
        headline=headline(decision),
        answered=len(draft.answers),
        then=then,
        back=_back(request, draft, state, then),
        **context,
    )


def _back(request: Request, draft: Draft, state: str, then: Then | None) -> str:
    """Return the back link: the page before, as the browser's back button shows it."""
    if then == "check":
        return "/check?state=" + state
    before = draft.back()
    if before is None:
        return "/start?state=" + state
    return "/question?state=" + seal_draft(request, before)


def _typed(question: InterviewQuestion, chosen: Any) -> str:
    """Return the date to show typed in a date question (what was given, or sent wrongly)."""
    if question.kind != "date":
        return ""
    typed = chosen[0] if isinstance(chosen, list) and chosen else chosen
    return typed if isinstance(typed, str) and typed != UNKNOWN else ""


def _contradiction(message: str) -> str:
    return "This answer does not fit another answer given: " + message
