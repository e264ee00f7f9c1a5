"""Who may call what: static bearer tokens with scopes, or nobody checked on loopback.

Without a tokens file the service listens on loopback only (``scr serve`` refuses any other
address) and checks no token. With one, every ``/v1`` operation needs a valid token, and the
operations that decide, record or read records need the scope for it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from scr_rules.service._problems import ProblemError
from scr_rules.service._state import state_of
from scr_rules.service._tokens import Client, Scope

BEARER_SCHEME = "bearerAuth"  # the name of the security scheme in the spec


def require(scope: Scope | None) -> Callable[[Request], Client | None]:
    """Return a dependency that admits a request whose token holds ``scope`` (None: any)."""

    def admit(request: Request) -> Client | None:
        tokens = state_of(request).config.tokens
        if tokens is None:
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ProblemError(
                401,
                "unauthorized",
                "expected an Authorization: Bearer TOKEN header",
                headers={"WWW-Authenticate": 'Bearer realm="scr-rules"'},
            )
        client = tokens.client(token.strip())
        if client is None:
            raise ProblemError(
                401,
                "unauthorized",
                "the bearer token is not known; expected a token from the tokens file",
                headers={"WWW-Authenticate": 'Bearer realm="scr-rules", error="invalid_token"'},
            )
        request.state.client = client.name  # for the request's log line
        if scope is not None and scope not in client.scopes:
            raise ProblemError(
                403,
                "forbidden",
                f"this operation needs the {scope!r} scope; the token has "
                f"{', '.join(sorted(client.scopes))}",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            )
        return client

    return admit


def security(scope: Scope | None) -> dict[str, object]:
    """Return the spec's ``security`` and the scope an operation needs (``x-scope``)."""
    extra: dict[str, object] = {"security": [{BEARER_SCHEME: []}]}
    if scope is not None:
        extra["x-scope"] = scope
    return extra
