"""Errors as RFC 9457 problem documents: one map from the library's error types to statuses.

A ``ScrRulesError`` becomes a problem whose ``errors`` are the library's own problems (the
field as the library names it, its JSON Pointer, the message, what was expected and what
was found); the service's own refusals (a body too large, a wrong media type, a missing
token) raise ``ProblemError``. Nothing here echoes a request body.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from scr_rules.errors import Problem, ScrRulesError, error_document

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:scr-rules:problem:"

# The library's error types (``ScrRulesError.error_type``) and the status each answers with.
STATUS_OF_ERROR_TYPE = {
    "case_file": 422,
    "input": 422,
    "setting": 422,
    "regime": 422,
    "usage": 422,
    "rule_file": 500,  # the server's own rules are broken: not the client's doing
    "audit": 503,
    "internal": 500,
    "error": 500,
}
TITLES = {
    "case_file": "The case file is not valid",
    "input": "The request is not valid",
    "setting": "A setting is not valid",
    "regime": "No regime applies",
    "usage": "The request is not valid",
    "rule_file": "The server's rules cannot be used",
    "audit": "The audit log cannot be used",
    "internal": "Internal error",
    "error": "Internal error",
    "malformed_json": "The body is not valid JSON",
    "too_large": "The body is too large",
    "unsupported_media_type": "Unsupported media type",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "unauthorized": "A bearer token is needed",
    "forbidden": "The token lacks the scope",
    "idempotency_key": "Idempotency-Key problem",
    "not_implemented": "Not implemented yet",
}
_INDEX = re.compile(r"\[(\d+)\]")


class ProblemError(Exception):
    """A refusal the service makes itself, answered as a problem document."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: list[Problem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def json_pointer(loc: str) -> str:
    """Return the JSON Pointer of a library location: ``a.b[2]`` -> ``/a/b/2``."""
    if not loc:
        return ""
    tokens: list[str] = []
    for segment in loc.split("."):
        parts = _INDEX.split(segment)  # 'b[2][3]' -> ['b', '2', '', '3', '']
        if parts[0]:
            tokens.append(parts[0])
        tokens += [part for number, part in enumerate(parts) if number % 2 == 1]
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


def problem_item(problem: Problem) -> dict[str, str]:
    """Return one ``errors[]`` item: the library's problem with its JSON Pointer."""
    item = {"pointer": json_pointer(problem.loc), "field": problem.loc, "message": problem.message}
    if problem.expected is not None:
        item["expected"] = problem.expected
    if problem.found is not None:
        item["found"] = problem.found
    return item


def problem_response(
    request: Request,
    status: int,
    kind: str,
    detail: str,
    errors: list[Problem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return an ``application/problem+json`` response (the request id is the instance)."""
    request_id = str(getattr(request.state, "request_id", ""))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + kind,
        "title": TITLES.get(kind, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = [problem_item(problem) for problem in errors]
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _scr_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ScrRulesError)  # noqa: S101 - registered for ScrRulesError only
    status = STATUS_OF_ERROR_TYPE.get(exc.error_type, 500)
    if status >= 500:  # the message may name server files: say what, not where
        return problem_response(request, status, exc.error_type, TITLES[exc.error_type])
    message = error_document(exc)["error"]["message"]
    return problem_response(request, status, exc.error_type, message, list(exc.problems))


def _refusal(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)  # noqa: S101 - registered for ProblemError only
    return problem_response(request, exc.status, exc.kind, exc.detail, exc.errors, exc.headers)


def _parameters(request: Request, exc: Exception) -> Response:
    """A path or query parameter of the wrong type (a body is never validated by pydantic)."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    problems = []
    for error in exc.errors():
        where = [str(part) for part in error["loc"][1:]]  # ('path', 'record_id') -> record_id
        expected = str(error["msg"]).removeprefix("Input should be ")
        problems.append(Problem(".".join(where), f"is not valid; expected {expected}", expected))
    shown = "; ".join(str(problem) for problem in problems)
    return problem_response(request, 422, "usage", shown, problems)


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it only
    kinds = {404: "not_found", 405: "method_not_allowed"}
    kind = kinds.get(exc.status_code, "usage")
    detail = {
        404: f"no such resource: {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(exc.status_code, str(exc.detail))
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, exc.status_code, kind, detail, headers=headers)


def add_problem_handlers(app: FastAPI) -> None:
    """Answer every refusal and library error as a problem document."""
    app.add_exception_handler(ScrRulesError, _scr_error)
    app.add_exception_handler(ProblemError, _refusal)
    app.add_exception_handler(RequestValidationError, _parameters)
    app.add_exception_handler(StarletteHTTPException, _http)
