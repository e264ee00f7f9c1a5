"""The application: routers over the library, one problem map, the service's headers.

``create_app`` takes further routers (``routers=``), and the app it returns takes more with
``app.include_router``: the officer pages can join the same service, behind the same
headers, problems and tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from scr_rules.audit import AuditLog
from scr_rules.service import _batch_routes, _decide_routes, _meta_routes, _records
from scr_rules.service._bodies import known_query_only
from scr_rules.service._idempotency import IdempotencyKeys
from scr_rules.service._meta_routes import json_text
from scr_rules.service._middleware import ServiceHeaders
from scr_rules.service._openapi import build_openapi, docs_page, spec_text
from scr_rules.service._openapi30 import downgrade
from scr_rules.service._pages import add_pages
from scr_rules.service._problems import add_problem_handlers
from scr_rules.service._state import ServiceConfig, ServiceState

API_ROUTERS = (
    _meta_routes.health_router,
    _meta_routes.router,
    _decide_routes.router,
    _batch_routes.router,
    _records.router,
)
EXPOSED_HEADERS = ["Scr-Engine-Version", "Scr-Rulebook", "X-Request-Id", "Location"]


def create_app(
    config: ServiceConfig | None = None, *, routers: Sequence[APIRouter] = ()
) -> FastAPI:
    """Return the HTTP service: every ``/v1`` route, and ``routers`` after them.

    With ``config.log`` the audit log (and its idempotency keys) is created now, so a log
    that cannot be used stops the start, not the first request.
    """
    config = config or ServiceConfig()
    state = ServiceState(config)
    if config.log is not None:
        with AuditLog(config.log) as log:
            log.record_many([], [])  # creates the log, or checks it is one
        IdempotencyKeys(config.log).create()
    app = FastAPI(
        title="scr-rules",
        docs_url=None,  # Swagger UI loads from a CDN: /docs is a page of our own instead
        redoc_url=None,
        openapi_url=None,  # served below, built once per app
        generate_unique_id_function=_operation_id,
        dependencies=[Depends(known_query_only)],
    )
    app.state.scr = state
    for router in (*API_ROUTERS, *routers):
        app.include_router(router)
    add_pages(app)  # the officer pages: /, /question, /check, /result (not in the spec)
    add_problem_handlers(app)
    _add_spec_routes(app)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
            expose_headers=EXPOSED_HEADERS,
        )
    app.add_middleware(
        ServiceHeaders,
        engine_version=state.engine_version,
        rulebook=state.book.digest,
    )
    return app


def _operation_id(route: APIRoute) -> str:
    """Name an operation after its function (createDecision): what generated clients call."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _add_spec_routes(app: FastAPI) -> None:
    cache: dict[str, Any] = {}

    def spec() -> dict[str, Any]:
        if "spec" not in cache:
            cache["spec"] = build_openapi(app)
        return cache["spec"]  # type: ignore[no-any-return]

    app.openapi = spec  # type: ignore[method-assign]  # FastAPI's documented override

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_31() -> Response:
        return json_text(spec_text(spec()))

    @app.get("/openapi-3.0.3.json", include_in_schema=False)
    def openapi_30() -> Response:
        return json_text(spec_text(downgrade(spec())))

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(spec()))


def app_from_environment() -> FastAPI:
    """Build the app from what ``scr serve`` put in the environment (a worker process)."""
    return create_app(ServiceConfig.from_environment())
