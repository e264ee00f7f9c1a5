"""What every officer page shares: the templates, the sealed draft, headers and refusals.

Pages are HTML built on the server from Jinja2 templates (``templates/``) styled by the
vendored GOV.UK Frontend CSS (``static/``); they need no JavaScript and load nothing from
another origin, which the Content-Security-Policy header enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from scr_rules.law import QuestionBook, load_questions
from scr_rules.service._pages_draft import STATE_MAX_AGE, Draft
from scr_rules.service._pages_seal import Sealer, Unsealable, run_key
from scr_rules.service._state import MAX_CASE_BYTES, ServiceState, state_of
from scr_rules.vocabulary import Outcome, value_text

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
SERVICE_NAME = "Serious case review decision aid"
MAX_FORM_BYTES = 2 * MAX_CASE_BYTES  # a form, or an uploaded case file and its envelope
PAGE_HEADERS = {
    # everything from this origin; no inline script or style; no framing; forms post here
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",  # a page's URL carries a sealed draft: keep it here
    "X-Frame-Options": "DENY",
}
OUTCOME_WORDS: dict[str, str] = {
    "mandatory": "Mandatory: a review must be held",
    "discretionary": "Discretionary: the board may hold a review",
    "not_required": "Not required: no review criteria can apply",
    "undetermined": "Undetermined: facts are missing that could require a review",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PageError(Exception):
    """A page the officer cannot have: shown as an error page, or a redirect (``location``)."""

    def __init__(
        self, status: int, title: str, message: str = "", *, location: str | None = None
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.location = location


@dataclass(frozen=True)
class Pages:
    """The pages' templates, sealers and questions: one per app."""

    templates: jinja2.Environment
    drafts: Sealer
    sessions: Sealer
    questions: QuestionBook


def make_pages() -> Pages:
    """Build the pages of one app, with this run's key."""
    key = run_key()
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the page, never shows blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        long_date=long_date, day_date=day_date, outcome=outcome_words, spelt=spelt
    )
    return Pages(environment, Sealer(key, "draft"), Sealer(key, "officer"), load_questions())


def pages_of(request: Request) -> Pages:
    """Return the pages of the app the request came to."""
    pages: Pages = request.app.state.pages
    return pages


def service_of(request: Request) -> ServiceState:
    """Return the service state (rulebook, configuration) of the request's app."""
    return state_of(request)


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the headers every page carries."""
    pages = pages_of(request)
    context.setdefault("errors", [])
    context.setdefault("officer", getattr(request.state, "officer", None))
    state = service_of(request)
    html = pages.templates.get_template(template).render(
        service_name=SERVICE_NAME,
        engine_version=state.engine_version,
        rulebook=state.book.digest,
        signing_in=state.config.tokens is not None,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def redirect(path: str, **query: Any) -> Response:
    """Return 303 See Other: the answer to every form post (post-redirect-get)."""
    given = {name: value for name, value in query.items() if value is not None}
    target = f"{path}?{urlencode(given)}" if given else path
    return RedirectResponse(target, status_code=303, headers=PAGE_HEADERS)


def seal_draft(request: Request, draft: Draft) -> str:
    """Return the draft sealed for a URL or a hidden field."""
    return pages_of(request).drafts.seal(draft.to_data())


def open_draft(request: Request, sealed: str | None) -> Draft:
    """Return the draft a page was given; raise PageError if it is missing or expired."""
    try:
        return Draft.from_data(pages_of(request).drafts.open(sealed or "", max_age=STATE_MAX_AGE))
    except Unsealable:
        raise PageError(
            400,
            "This page has expired",
            "Nothing about a case is kept on the server, and the answers this page carried "
            "can no longer be read (the service restarted, or a working day has passed). "
            "Start again, or upload the case file you downloaded.",
        ) from None


def long_date(value: date | str | None) -> str:
    """Spell a date as GOV.UK does: 20 May 2008."""
    if value is None:
        return "not given"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_date(value: date | str | None) -> str:
    """Spell a date with its weekday (a deadline): Tuesday 20 May 2008."""
    if value is None:
        return "no date yet"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{DAYS[day.weekday()]} {long_date(day)}"


def spelt(value: Any) -> str:
    """Spell a fact's value as a case file does: true, 2, known, [physical, neglect]."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(kind) for kind in value) + "]"
    return value_text(value)


def outcome_words(outcome: Outcome | str) -> str:
    """Return an outcome in words for an officer."""
    return OUTCOME_WORDS.get(outcome, outcome)


async def read_form(request: Request) -> dict[str, list[str]]:
    """Return a posted form as lists of values (a group of checkboxes gives several)."""
    values: dict[str, list[str]] = {}
    async with _form(request) as form:
        for name, value in form.multi_items():
            if isinstance(value, str):
                values.setdefault(name, []).append(value)
    return values


async def read_file(request: Request, name: str, limit: int) -> tuple[str, bytes] | None:
    """Return the name and first ``limit`` + 1 bytes of the file posted as ``name``, if any."""
    async with _form(request) as form:
        upload = form.get(name)
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None
        return upload.filename, await upload.read(limit + 1)


def _form(request: Request) -> Any:
    """Return the form to read under ``async with`` (it closes an uploaded file's spool)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise PageError(413, "The form is too large", f"Expected at most {MAX_FORM_BYTES:,} bytes.")
    return request.form(max_files=1, max_fields=100, max_part_size=MAX_FORM_BYTES)


def first(form: dict[str, list[str]], name: str) -> str:
    """Return a form field's first value, stripped ('' when absent)."""
    return (form.get(name) or [""])[0].strip()
