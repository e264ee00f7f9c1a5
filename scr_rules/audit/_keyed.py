"""The keyed chain: an HMAC of every record's hash under a key the board keeps.

The hash chain alone proves a log intact only as far as the file shows: someone able to
write it could rebuild every hash. With ``SCR_AUDIT_KEY`` each record also carries
``HMAC-SHA256(key, hash)``, and the log's end (its count and head) carries one too, so
rebuilding records, or deleting the newest ones and fixing the head, needs the key.
The key is never stored: the log holds only its id (an HMAC of a fixed text), which lets a
writer tell a wrong key from a damaged log.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from scr_rules.errors import AuditError

AUDIT_KEY_ENV = "SCR_AUDIT_KEY"
MAC_PREFIX = "hmac-sha256:"
MIN_KEY_LENGTH = 16  # a short key makes MACs (and pseudonyms) guessable
MIN_DISTINCT_CHARACTERS = 10  # 16 spaces or 'aaaa...' is no secret
_KEY_ID_TEXT = b"scr-audit key id"  # what the key id is the HMAC of


def checked_key(variable: str, purpose: str) -> bytes | None:
    """Return the key in environment ``variable`` (None when unset); refuse a guessable one."""
    key = os.environ.get(variable, "")
    if not key:
        return None
    if len(key) < MIN_KEY_LENGTH:
        raise AuditError(
            f"{purpose} needs a key: {variable} is too short ({len(key)} characters); set it "
            f"to at least {MIN_KEY_LENGTH} random characters, kept secret and never changed"
        )
    if len(set(key)) < MIN_DISTINCT_CHARACTERS or key.strip() != key:
        raise AuditError(
            f"{purpose} needs a secret key: {variable} has only {len(set(key))} different "
            "characters (or surrounding blanks), too easy to guess; expected random text "
            "such as the output of 'openssl rand -hex 32'"
        )
    return key.encode("utf-8")


def audit_key_from_env() -> bytes | None:
    """Return the board's audit key from SCR_AUDIT_KEY, None when unset; refuse a weak one."""
    return checked_key(AUDIT_KEY_ENV, "the keyed audit chain")


def _mac(key: bytes, text: str) -> str:
    return MAC_PREFIX + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def record_mac(key: bytes, record_hash: str) -> str:
    """Return the HMAC that seals one record's hash."""
    return _mac(key, record_hash)


def head_mac(key: bytes, count: str, head: str) -> str:
    """Return the HMAC that seals the log's end: how many records, and the last one's hash."""
    return _mac(key, f"scr-audit head\n{count}\n{head}")


def key_id(key: bytes) -> str:
    """Return the id of a key: safe to store, and the same for the same key."""
    return MAC_PREFIX + hmac.new(key, _KEY_ID_TEXT, hashlib.sha256).hexdigest()[:32]


def same_mac(expected: str, found: str | None) -> bool:
    """Compare two MACs in constant time (None never matches)."""
    return found is not None and hmac.compare_digest(expected, found)


def check_sealed_end(
    log: Path, meta: Mapping[str, str], key: bytes | None, last_mac: object
) -> None:
    """Refuse to extend a keyed log without its key, or one whose sealed end was changed.

    ``last_mac`` is the newest record's HMAC (None when it has none).
    """
    stored_id = meta.get("key_id")
    if stored_id is None and last_mac is not None:
        raise AuditError(
            f"{log}: the log's key id was removed, though its last record carries an HMAC: "
            "the log was changed without the board's key; run 'scr audit verify' with "
            f"{AUDIT_KEY_ENV} set; nothing was recorded"
        )
    if stored_id is None:
        return  # not keyed yet: a first keyed write seals every record before it too
    if key is None:
        raise AuditError(
            f"{log}: this log is keyed (each record carries an HMAC under the board's key): "
            f"appending needs that key in {AUDIT_KEY_ENV}; nothing was recorded"
        )
    if stored_id != key_id(key):
        raise AuditError(
            f"{log}: {AUDIT_KEY_ENV} is not the key this log is keyed with (its key id "
            "differs); expected the board's key; nothing was recorded"
        )
    sealed = head_mac(key, meta.get("count", ""), meta.get("head", ""))
    if not same_mac(sealed, meta.get("head_mac")):
        raise AuditError(
            f"{log}: the log's end is not sealed by the board's key: records were deleted "
            "from, added to or rewritten at its end without the key; run 'scr audit verify' "
            f"with {AUDIT_KEY_ENV} set; nothing was recorded"
        )
