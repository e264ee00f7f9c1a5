"""schemathesis against the spec: generated requests to every operation, every response checked.

Valid and invalid bodies, parameters and headers, with a token of every scope; each answer
must be declared in the spec for its status, match the schema declared for it (problems
included) and never be a 5xx; an operation that needs a token must refuse a request without
one. Bounded: a fixed number of examples per operation, derandomised, no deadline.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402 - after the skip
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
)

from scr_rules.service import ServiceConfig, create_app  # noqa: E402
from tests.service._support import ALL_TOKEN, bearer, write_tokens  # noqa: E402

EXAMPLES_PER_OPERATION = 12

# The app is built when the module loads: schemathesis reads its spec while collecting.
_FOLDER = Path(tempfile.mkdtemp(prefix="scr-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)  # also when only collected
_APP = create_app(
    ServiceConfig.from_files(_FOLDER / "decisions.scrlog", write_tokens(_FOLDER / "tokens.yaml"))
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
schema.config.generation.update(
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    with_security_parameters=False,  # the test sends the token; the probes try without it
)
# Batch bodies are text, one case per line: sent as schemathesis sends text/plain.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


@schema.parametrize()
@settings(
    deadline=None, suppress_health_check=list(HealthCheck), max_examples=EXAMPLES_PER_OPERATION
)
def test_every_answer_is_declared_and_no_request_breaks_the_service(case: Any) -> None:
    # A case can be valid by the schema and still be refused with a 422: the schema cannot say
    # that facts contradict each other, or that a date must pick a regime.
    excluded = [positive_data_acceptance] if case.operation.method.upper() == "POST" else []
    if case.operation.path == "/v1/batch":  # any text is a batch: a bad line is an error line
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers=bearer(ALL_TOKEN), excluded_checks=excluded)
