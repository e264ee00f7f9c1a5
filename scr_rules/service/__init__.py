"""The HTTP service (``scr serve``): the library's answers over HTTP, with an OpenAPI spec.

Built on the public API only, so every answer equals the command line's: ``POST
/v1/decisions`` answers what ``scr triage --format json`` prints, byte for byte. Errors are
RFC 9457 problem documents built from the library's own problems. Needs the ``serve`` extra
(``pip install 'scr-rules[serve]'``); ``import scr_rules`` never loads it.

Typical use::

    from scr_rules.service import ServiceConfig, create_app

    app = create_app(ServiceConfig.from_files(log="decisions.scrlog", tokens_file="tokens.yaml"))
"""

from scr_rules.service._app import app_from_environment, create_app
from scr_rules.service._idempotency import IdempotencyKeys
from scr_rules.service._openapi import (
    SPEC_30_FILE,
    SPEC_FILE,
    build_openapi,
    spec_text,
    write_spec_files,
)
from scr_rules.service._openapi30 import downgrade
from scr_rules.service._problems import STATUS_OF_ERROR_TYPE, json_pointer
from scr_rules.service._run import check_host, is_loopback, serve
from scr_rules.service._state import (
    CONFIG_ENV,
    MAX_BATCH_BYTES,
    MAX_BATCH_LINES,
    MAX_CASE_BYTES,
    ServiceConfig,
)
from scr_rules.service._tokens import (
    SCOPES,
    TOKENS_SCHEMA,
    Client,
    Tokens,
    load_tokens,
    token_sha256,
)

__all__ = [
    "CONFIG_ENV",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_LINES",
    "MAX_CASE_BYTES",
    "SCOPES",
    "SPEC_30_FILE",
    "SPEC_FILE",
    "STATUS_OF_ERROR_TYPE",
    "TOKENS_SCHEMA",
    "Client",
    "IdempotencyKeys",
    "ServiceConfig",
    "Tokens",
    "app_from_environment",
    "build_openapi",
    "check_host",
    "create_app",
    "downgrade",
    "is_loopback",
    "json_pointer",
    "load_tokens",
    "serve",
    "spec_text",
    "token_sha256",
    "write_spec_files",
]
