"""Who may use the officer pages: the service's own tokens, signed in once per working day.

Without ``--tokens`` the service listens on this machine only and, as for the API, nobody is
asked who they are. With a tokens file every page needs a signed-in officer: the officer
enters their own token once (the tokens file names each holder by role, never by name, and
gives their scopes), and the pages keep a sealed cookie holding the token's name, never the
token (HttpOnly, SameSite=Strict, ``SESSION_MAX_AGE``). Each page needs the scope its API
operation needs: ``decide`` to answer questions and see the result, ``record`` to record the
board's decision. TLS, and any single sign-on in front of the sign-in, belong to the reverse
proxy. A form posted from another site is refused: the browser sends no SameSite cookie
with it, and its ``Sec-Fetch-Site`` header says where it came from.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from scr_rules.service._pages_common import (
    PageError,
    first,
    page,
    pages_of,
    read_form,
    redirect,
    service_of,
)
from scr_rules.service._pages_seal import Unsealable
from scr_rules.service._tokens import Client, Scope

SESSION_COOKIE = "scr_officer"
SESSION_MAX_AGE = 8 * 3600  # seconds: a working day
_OTHER_SITES = ("cross-site", "same-site")

router = APIRouter(include_in_schema=False)


def officer(scope: Scope) -> Callable[[Request], Client | None]:
    """Return a dependency admitting a signed-in officer whose token holds ``scope``."""

    def admit(request: Request) -> Client | None:
        refuse_other_sites(request)
        if service_of(request).config.tokens is None:
            return None
        client = signed_in(request)
        if client is None:
            raise PageError(303, "Sign in", location="/sign-in")
        request.state.client = client.name  # for the request's log line
        request.state.officer = client.name
        request.state.scopes = client.scopes
        if scope not in client.scopes:
            raise PageError(
                403,
                "You cannot do this",
                f"You are signed in as {client.name}, whose token does not have the "
                f"'{scope}' scope this needs. Ask the administrator of the tokens file.",
            )
        return client

    return admit


def refuse_other_sites(request: Request) -> None:
    """Refuse a form another site posted (the browser says so in ``Sec-Fetch-Site``)."""
    if request.method == "POST" and request.headers.get("sec-fetch-site") in _OTHER_SITES:
        raise PageError(
            403,
            "This form came from another site",
            "Forms are accepted from these pages only. Start again from the service's own page.",
        )


def signed_in(request: Request) -> Client | None:
    """Return the officer the session cookie names, if it is valid and the token still known."""
    tokens = service_of(request).config.tokens
    sealed = request.cookies.get(SESSION_COOKIE, "")
    if tokens is None or not sealed:
        return None
    try:
        data = pages_of(request).sessions.open(sealed, max_age=SESSION_MAX_AGE)
    except Unsealable:
        return None
    name = data.get("n") if isinstance(data, dict) else None
    return next((client for _, client in tokens.entries if client.name == name), None)


@router.get("/sign-in")
def sign_in_page(request: Request) -> Response:
    client = signed_in(request)
    request.state.officer = client.name if client else None
    return page(request, "sign_in.html", title="Sign in")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    refuse_other_sites(request)
    tokens = service_of(request).config.tokens
    if tokens is None:
        return redirect("/")
    token = first(await read_form(request), "token")
    client = tokens.client(token) if token else None
    if client is None:
        message = "Enter your token" if not token else "This token is not known: check it"
        return page(
            request, "sign_in.html", status=401, title="Sign in", errors=[("token", message)]
        )
    response = redirect("/")
    response.set_cookie(
        SESSION_COOKIE,
        pages_of(request).sessions.seal({"n": client.name}),
        max_age=SESSION_MAX_AGE,
        path="/",
        secure=_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    refuse_other_sites(request)
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _https(request: Request) -> bool:
    """Say whether the browser came over HTTPS (directly, or to the reverse proxy in front)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"
