"""Every response's headers and log line, and the last word on an unexpected exception.

A plain ASGI middleware (it sees a streamed batch as it goes, unlike a buffering one):
it gives each request an id (the client's ``X-Request-Id`` if it is a plain token), adds
``Scr-Engine-Version``, ``Scr-Rulebook`` and ``X-Request-Id`` to every response, logs one
line per request (method, path, status, time, client name: never a body or a query), and
answers an exception nothing else handled with a 500 problem that carries the request id
and none of the request.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scr_rules.errors import printable
from scr_rules.service._problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX, TITLES

LOGGER = logging.getLogger("scr_rules.service")
LOGGED_FRAMES = 8
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class ServiceHeaders:
    """Add the service's headers to every response, log it, and catch what escaped."""

    def __init__(self, app: ASGIApp, engine_version: str, rulebook: str) -> None:
        self.app = app
        self.fixed = [
            ("Scr-Engine-Version", engine_version),
            ("Scr-Rulebook", rulebook),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-store"),  # decisions carry case facts: never cached
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        sent: dict[str, Any] = {"status": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in self.fixed:
                    headers[name] = value
                headers["X-Request-Id"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # nothing handled it: answer 500 without echoing the request
            _log_exception(exc, request_id)
            if sent["status"]:  # a stream had begun: end it; the client sees it cut short
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await _internal_error(scope, request_id, send_with_headers)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            client = scope["state"].get("client", "-")
            LOGGER.info(
                "%s %s %s %d %.1fms client=%s",
                request_id,
                scope.get("method", ""),
                printable(scope.get("path", "")),
                sent["status"] or 500,
                elapsed,
                client,
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = str(value.decode("latin-1"))
            if _REQUEST_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


def _log_exception(exc: Exception, request_id: str) -> None:
    """Log where it failed (files and lines), not the message: it may quote case data."""
    frames = traceback.extract_tb(exc.__traceback__)[::-1][:LOGGED_FRAMES]  # innermost first
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames)
    LOGGER.error("%s internal error %s at %s", request_id, type(exc).__name__, where)


async def _internal_error(scope: Scope, request_id: str, send: Send) -> None:
    body = json.dumps(
        {
            "type": PROBLEM_TYPE_PREFIX + "internal",
            "title": TITLES["internal"],
            "status": 500,
            "detail": f"internal error; quote request id {request_id} when reporting it",
            "instance": scope.get("path", ""),
            "request_id": request_id,
        }
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
                (b"content-length", str(len(body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
