"""Sealed drafts: only this run of the service opens them, unaltered, and not for long."""

from __future__ import annotations

import base64
import secrets
import zlib

import pytest

from scr_rules.service._pages_draft import Draft
from scr_rules.service._pages_seal import KEY_ENV, Sealer, Unsealable, run_key

KEY = bytes(range(32))
DATA = {"s": {"case_ref": "EX-0001", "facts": {"child_died": True}}, "a": [], "p": None, "r": None}


def test_a_sealed_draft_opens_to_what_was_sealed() -> None:
    sealer = Sealer(KEY, "draft")

    sealed = sealer.seal(DATA, now=1000)

    assert sealer.open(sealed, max_age=60, now=1030) == DATA
    assert Draft.from_data(sealer.open(sealed, max_age=60, now=1030)).start["case_ref"] == "EX-0001"
    assert "EX-0001" not in sealed
    assert "EX-0001" not in base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4)).decode(
        "latin-1"
    )


def test_two_seals_of_the_same_draft_differ() -> None:
    """A fresh nonce each time: equal answers cannot be spotted in a log by equal URLs."""
    sealer = Sealer(KEY, "draft")

    assert sealer.seal(DATA) != sealer.seal(DATA)


@pytest.mark.parametrize("position", [0, 5, 20, -1])
def test_any_byte_changed_is_refused(position: int) -> None:
    sealer = Sealer(KEY, "draft")
    raw = bytearray(base64.urlsafe_b64decode(sealer.seal(DATA) + "=="))
    raw[position] ^= 0x01
    altered = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")

    with pytest.raises(Unsealable, match="not sealed by this run"):
        sealer.open(altered, max_age=60)


def test_another_key_or_purpose_cannot_open_it() -> None:
    sealed = Sealer(KEY, "draft").seal(DATA)

    with pytest.raises(Unsealable):
        Sealer(secrets.token_bytes(32), "draft").open(sealed, max_age=60)
    with pytest.raises(Unsealable):  # a session cookie is not a draft, nor the reverse
        Sealer(KEY, "officer").open(sealed, max_age=60)


def test_an_old_seal_has_expired() -> None:
    sealer = Sealer(KEY, "draft")
    sealed = sealer.seal(DATA, now=1000)

    with pytest.raises(Unsealable, match="expired"):
        sealer.open(sealed, max_age=60, now=1061)
    with pytest.raises(Unsealable, match="expired"):  # sealed in the future: a clock gone back
        sealer.open(sealed, max_age=60, now=900)


@pytest.mark.parametrize(
    "text", ["", "!!!", "AAAA", "A" * 20_000], ids=["empty", "junk", "short", "too-long"]
)
def test_what_is_not_a_seal_is_refused(text: str) -> None:
    with pytest.raises(Unsealable):
        Sealer(KEY, "draft").open(text, max_age=60)


def test_a_seal_that_inflates_beyond_a_case_is_refused() -> None:
    """A sealed blob is ours, but the limit holds even so: decompression is bounded."""
    sealer = Sealer(KEY, "draft")
    huge = {"s": {"pad": "x" * 200_000}, "a": [], "p": None, "r": None}
    sealed = sealer.seal(huge)

    assert len(zlib.compress(b"x" * 200_000)) < 1000  # it seals small
    with pytest.raises(Unsealable, match="too large"):
        sealer.open(sealed, max_age=60)


def test_the_run_key_is_shared_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers of one ``scr serve`` start from its environment, so they share the key."""
    monkeypatch.delenv(KEY_ENV, raising=False)

    first = run_key()
    again = run_key()

    assert len(first) == 32
    assert again == first
    monkeypatch.setenv(KEY_ENV, "not hex")
    assert run_key() != first  # a bad key is replaced by a new random one


@pytest.mark.parametrize(
    "data",
    [None, [], {"s": {}}, {"s": [], "a": [], "p": None, "r": None}, {**DATA, "a": [["x"]]}],
    ids=["none", "list", "missing", "start-not-mapping", "bad-answer"],
)
def test_data_that_is_not_a_draft_is_refused(data: object) -> None:
    with pytest.raises(Unsealable, match="not a draft"):
        Draft.from_data(data)
