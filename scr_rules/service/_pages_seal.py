"""Sealed blobs: the pages' state and sign-in, kept by the browser, unreadable and unforgeable.

The officer pages store nothing about a case on the server, so the answers so far travel
with each request; a GET carries them in its URL, which proxies log. A sealed blob is
encrypted and authenticated with keys only this service run holds: HMAC-SHA256 as a
pseudo-random function in counter mode gives the key stream, and an HMAC-SHA256 tag over
the version, the time sealed, the nonce and the ciphertext (encrypt-then-MAC) proves the
service made it. The standard library has no cipher, and this construction needs none.

The key is random for each run of the service. ``scr serve --workers N`` builds the app in
its first process before the workers start, and the key goes into the environment there,
so every worker opens what any of them sealed; a restart makes old blobs unreadable, and a
blob older than ``max_age`` is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import struct
import time
import zlib
from typing import Any

KEY_ENV = "SCR_PAGES_KEY"  # hex; shared by the workers of one run, set when the app is built
VERSION = 1
NONCE_BYTES = 16
TAG_BYTES = 16
MAX_SEALED_CHARS = 16_384  # a case's answers seal to a few hundred characters
MAX_OPENED_BYTES = 65_536  # as large as one case file may be
_HEADER = struct.Struct(">BI")  # version, seconds since 1970 when sealed


class Unsealable(ValueError):
    """The blob was not sealed by this run of the service, was altered, or is too old."""


def run_key() -> bytes:
    """Return this run's key: from ``KEY_ENV``, or a new random one put there for workers."""
    given = os.environ.get(KEY_ENV, "")
    try:
        key = bytes.fromhex(given)
    except ValueError:
        key = b""
    if len(key) < 32:
        key = secrets.token_bytes(32)
        os.environ[KEY_ENV] = key.hex()
    return key


class Sealer:
    """Seal and open JSON data for one purpose (a blob sealed for another will not open)."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._enc = hmac.new(key, b"encrypt:" + purpose.encode(), hashlib.sha256).digest()
        self._mac = hmac.new(key, b"mac:" + purpose.encode(), hashlib.sha256).digest()

    def seal(self, data: Any, *, now: float | None = None) -> str:
        """Return ``data`` (JSON-able) as URL-safe text."""
        plain = zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 9)
        header = _HEADER.pack(VERSION, int(time.time() if now is None else now))
        nonce = secrets.token_bytes(NONCE_BYTES)
        body = header + nonce + _xor(plain, self._stream(nonce, len(plain)))
        tag = hmac.new(self._mac, body, hashlib.sha256).digest()[:TAG_BYTES]
        return base64.urlsafe_b64encode(body + tag).decode("ascii").rstrip("=")

    def open(self, text: str, *, max_age: float, now: float | None = None) -> Any:
        """Return the data sealed in ``text``; raise Unsealable saying why it cannot be."""
        if not text or len(text) > MAX_SEALED_CHARS:
            raise Unsealable("missing or too long")
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise Unsealable("not base64url") from None
        if len(raw) < _HEADER.size + NONCE_BYTES + TAG_BYTES:
            raise Unsealable("too short")
        body, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
        expected = hmac.new(self._mac, body, hashlib.sha256).digest()[:TAG_BYTES]
        if not hmac.compare_digest(tag, expected):
            raise Unsealable("not sealed by this run of the service")
        version, sealed_at = _HEADER.unpack_from(body)
        age = (time.time() if now is None else now) - sealed_at
        if version != VERSION or not 0 <= age <= max_age:
            raise Unsealable("expired")
        nonce = body[_HEADER.size : _HEADER.size + NONCE_BYTES]
        cipher = body[_HEADER.size + NONCE_BYTES :]
        plain = _xor(cipher, self._stream(nonce, len(cipher)))
        inflate = zlib.decompressobj()
        opened = inflate.decompress(plain, MAX_OPENED_BYTES)
        if inflate.unconsumed_tail:
            raise Unsealable("too large")
        return json.loads(opened.decode("utf-8"))

    def _stream(self, nonce: bytes, length: int) -> bytes:
        blocks = (length + 31) // 32
        return b"".join(
            hmac.new(self._enc, nonce + struct.pack(">I", n), hashlib.sha256).digest()
            for n in range(blocks)
        )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))
