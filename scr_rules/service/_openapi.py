"""The OpenAPI document: FastAPI's paths, the library's pydantic models as components.

``openapi/scr-rules-v1.json`` in the repository is this document, and a test proves the
served one equal to it; ``python -m scr_rules.service DIR`` rewrites both copies (3.1, and
3.0.3 for generators that read only 3.0) and the examples taken from ``cases/``.
"""

from __future__ import annotations

import html
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from scr_rules.service._auth import BEARER_SCHEME
from scr_rules.service._examples import EXAMPLES_FILE, examples_from_cases
from scr_rules.service._openapi30 import downgrade
from scr_rules.service._spec import COMPONENTS, REF

SPEC_FILE = "scr-rules-v1.json"
SPEC_30_FILE = "scr-rules-v1.openapi-3.0.3.json"
DESCRIPTION = """\
Decide whether a child-safeguarding Serious Case Review (or the review that replaced it) is
required in England or Wales, and say why. Every answer is the one the `scr` command gives
for the same case, byte for byte.

Errors are RFC 9457 problem documents (`application/problem+json`); a 422 lists every
problem with the case in `errors`, each with its JSON Pointer. Every response carries
`Scr-Engine-Version`, `Scr-Rulebook` and `X-Request-Id`.

With a tokens file, every `/v1` operation needs `Authorization: Bearer TOKEN`; the scope an
operation needs is its `x-scope`. TLS and single sign-on belong to the reverse proxy in front.
"""


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Return the app's OpenAPI 3.1 document, with every component the routes refer to."""
    spec = get_openapi(
        title="scr-rules",
        version=_version(),
        description=DESCRIPTION,
        routes=app.routes,
        tags=[
            {"name": "decide", "description": "Decide cases, as scr triage and scr compare."},
            {"name": "law", "description": "The rulebook: regimes, rules, settings, schemas."},
            {"name": "audit", "description": "The audit log (only with scr serve --log)."},
            {"name": "service", "description": "Health."},
        ],
    )
    _, definitions = models_json_schema(COMPONENTS, ref_template=REF)  # type: ignore[arg-type]
    components = spec.setdefault("components", {})
    components["schemas"] = dict(sorted(definitions.get("$defs", {}).items()))
    components["securitySchemes"] = {
        BEARER_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "A static token from the service's tokens file; needed only when the "
            "service runs with one.",
        }
    }
    return spec


def _version() -> str:
    try:
        return metadata.version("scr-rules")
    except metadata.PackageNotFoundError:
        return "unknown"


def spec_text(spec: Any) -> str:
    """Return a spec as the committed file holds it."""
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def write_spec_files(app: FastAPI, directory: Path, cases_dir: Path) -> list[Path]:
    """Write the examples (from ``cases_dir``) and both specs into ``directory``."""
    examples = examples_from_cases(cases_dir)
    EXAMPLES_FILE.write_text(spec_text(examples), encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    spec = build_openapi(app)
    written = [directory / SPEC_FILE, directory / SPEC_30_FILE]
    written[0].write_text(spec_text(spec), encoding="utf-8")
    written[1].write_text(spec_text(downgrade(spec)), encoding="utf-8")
    return [EXAMPLES_FILE, *written]


def docs_page(spec: dict[str, Any]) -> str:
    """Return a self-contained HTML reference of the operations (no script, no CDN)."""
    rows = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            scope = operation.get("x-scope", "")
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}"
                f"</code></td><td>{html.escape(operation.get('summary', ''))}</td>"
                f"<td>{html.escape(scope)}</td></tr>"
            )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>scr-rules {html.escape(spec['info']['version'])} HTTP API</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:70em}td,th{padding:.3em .6em;"
        "border-bottom:1px solid #ccc;text-align:left;vertical-align:top}</style></head><body>"
        f"<h1>scr-rules HTTP API</h1><p>{html.escape(spec['info']['description'])}</p>"
        "<p>The full specification: <a href='/openapi.json'>OpenAPI 3.1</a> and "
        "<a href='/openapi-3.0.3.json'>OpenAPI 3.0.3</a>.</p><table><tr><th>method</th>"
        "<th>path</th><th>what it does</th><th>scope</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
