"""Static bearer tokens with scopes, read from a private tokens file.

The file (YAML or JSON, read as strictly as a case file) names each client, its token or
better the SHA-256 of it, and its scopes::

    schema: scr-tokens/1
    tokens:
      - name: case-system                  # who holds it: shown in logs, never the token
        token_sha256: 9f86d081884c7d65...  # hex SHA-256 of the token (or token: the token)
        scopes: [decide, record]

A token is checked by hashing it and comparing with every entry in constant time
(``hmac.compare_digest``), so neither the match nor its position leaks through timing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from scr_rules.case import parse_document, read_text
from scr_rules.errors import InputError, Problem, printable

TOKENS_SCHEMA = "scr-tokens/1"
Scope = Literal["decide", "record", "audit:read"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
MIN_TOKEN_LENGTH = 32  # e.g. secrets.token_urlsafe(32) gives 43 characters
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FIELDS = ("name", "token", "token_sha256", "scopes")


@dataclass(frozen=True)
class Client:
    """A token holder: its name (for logs and records) and what it may do."""

    name: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Tokens:
    """Every client of a tokens file, each with the SHA-256 of its token."""

    entries: tuple[tuple[bytes, Client], ...]

    def client(self, token: str) -> Client | None:
        """Return the client holding ``token``, or None; every entry is compared."""
        digest = hashlib.sha256(token.encode("utf-8", errors="surrogateescape")).digest()
        found = None
        for expected, client in self.entries:
            if hmac.compare_digest(digest, expected):
                found = client
        return found


def load_tokens(path: str | Path) -> Tokens:
    """Read a tokens file; raise InputError naming every problem (or a readable file)."""
    source = str(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise InputError(source, f"cannot be read ({why}); expected a tokens file") from None
    if stat.S_ISREG(mode) and mode & (stat.S_IROTH | stat.S_IWOTH):
        raise InputError(
            source,
            f"is readable or writable by every user (mode {stat.S_IMODE(mode):04o}); expected "
            "a private file (chmod 600): it holds bearer tokens",
        )
    source, text = read_text(path)
    document = parse_document(text, source)
    problems = _check_document(document)
    if problems:
        raise InputError(source, problems)
    return Tokens(tuple(_entry(item) for item in document["tokens"]))


def _check_document(document: Any) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem("", f"expected a mapping with 'schema: {TOKENS_SCHEMA}' and 'tokens'")]
    problems = [
        Problem(key, f"unknown field {printable(str(key))!r}; expected schema or tokens")
        for key in document
        if key not in ("schema", "tokens")
    ]
    if document.get("schema") != TOKENS_SCHEMA:
        problems.append(Problem("schema", f"expected {TOKENS_SCHEMA!r}"))
    items = document.get("tokens")
    if not isinstance(items, list) or not items:
        return [*problems, Problem("tokens", "expected a list of at least one token")]
    for number, item in enumerate(items):
        problems += _check_item(f"tokens[{number}]", item)
    names = [item.get("name") for item in items if isinstance(item, dict)]
    problems += [
        Problem("tokens", f"the name {printable(str(name))!r} appears twice; expected each once")
        for name in sorted({n for n in names if names.count(n) > 1}, key=str)
    ]
    if not problems:
        digests = [_digest(item) for item in items]
        if len(set(digests)) != len(digests):
            problems.append(Problem("tokens", "two entries hold the same token"))
    return problems


def _check_item(loc: str, item: Any) -> list[Problem]:
    if not isinstance(item, dict):
        return [Problem(loc, "expected a mapping with name, token_sha256 (or token), scopes")]
    problems = [
        Problem(f"{loc}.{key}", f"unknown field; expected one of {', '.join(_FIELDS)}")
        for key in item
        if key not in _FIELDS
    ]
    name = item.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(
            Problem(f"{loc}.name", "expected 1-64 lower-case letters, digits or '._-' (a role)")
        )
    problems += _check_secret(loc, item)
    scopes = item.get("scopes")
    if not isinstance(scopes, list) or not scopes:
        problems.append(Problem(f"{loc}.scopes", f"expected a list of {', '.join(SCOPES)}"))
    else:
        problems += [
            Problem(
                f"{loc}.scopes[{n}]",
                f"{printable(repr(s))} is not a scope; expected one of {', '.join(SCOPES)}",
            )
            for n, s in enumerate(scopes)
            if s not in SCOPES
        ]
    return problems


def _check_secret(loc: str, item: dict[str, Any]) -> list[Problem]:
    given = [key for key in ("token", "token_sha256") if key in item]
    if len(given) != 1:
        return [Problem(loc, "expected exactly one of token_sha256 and token")]
    value = item[given[0]]
    if given[0] == "token_sha256" and not (isinstance(value, str) and _SHA256.fullmatch(value)):
        return [Problem(f"{loc}.token_sha256", "expected 64 lower-case hex digits")]
    if given[0] == "token" and not (
        isinstance(value, str) and len(value) >= MIN_TOKEN_LENGTH and value.isprintable()
    ):
        return [
            Problem(f"{loc}.token", f"expected at least {MIN_TOKEN_LENGTH} printable characters")
        ]
    return []


def _digest(item: dict[str, Any]) -> bytes:
    if "token_sha256" in item:
        return bytes.fromhex(item["token_sha256"])
    return hashlib.sha256(item["token"].encode("utf-8")).digest()


def _entry(item: dict[str, Any]) -> tuple[bytes, Client]:
    return _digest(item), Client(item["name"], frozenset(item["scopes"]))


def token_sha256(token: str) -> str:
    """Return the hex SHA-256 of a token, as a tokens file's ``token_sha256`` holds it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
