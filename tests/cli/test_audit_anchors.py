"""Anchors that work: the head --record prints is accepted by --anchor, whole or by prefix.

A malformed anchor is a usage error (exit 2) naming the form expected, never a tamper alarm.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest

from scr_rules.audit import AUDIT_KEY_ENV
from tests._shared import CASES_DIR, Run

KEY = "board-key-for-tests-0123456789abcdef"
CASE = str(CASES_DIR / "death-neglect-factor-2008.yaml")
HEAD = re.compile(r"\(head (sha256:[0-9a-f]{64})\)")



@pytest.fixture
def recorded(run: Run, tmp_path: Path) -> tuple[Path, list[str]]:
    """A log of three records, and the head each --record printed."""
    path = tmp_path / "decisions.scrlog"
    heads = []
    for _ in range(3):
        result = run("triage", CASE, "--record", str(path), "-f", "json")
        assert result.exit_code == 0, result.output
        found = HEAD.search(result.stderr)
        assert found is not None, result.stderr
        heads.append(found.group(1))
    return path, heads


def test_record_prints_the_full_head_and_verify_prints_the_same(
    run: Run, recorded: tuple[Path, list[str]]
) -> None:
    path, heads = recorded

    result = run("audit", "verify", str(path))

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"head {heads[-1]}"


@pytest.mark.parametrize(
    "spelling",
    [
        lambda h: h,  # as printed
        lambda h: h[:19],  # sha256: and 12 hex digits
        lambda h: h.removeprefix("sha256:")[:12],  # the digits alone
        lambda h: h.upper().replace("SHA256:", "sha256:"),  # capital hex digits
    ],
    ids=["full", "prefix", "digits", "upper"],
)
def test_an_earlier_head_is_accepted_whole_or_by_a_unique_prefix(
    run: Run, recorded: tuple[Path, list[str]], spelling: object
) -> None:
    path, heads = recorded
    anchor = spelling(heads[1])  # type: ignore[operator]

    result = run("audit", "verify", str(path), "--anchor", anchor)

    assert result.exit_code == 0, result.output
    assert "anchor found at record 2: every record up to it is unchanged" in result.stdout


@pytest.mark.parametrize(
    "anchor", ["sha256:9c1f", "9c1f0e2a7b4", "sha256:" + "z" * 64, "sha1:" + "a" * 40, ""]
)
def test_a_malformed_anchor_is_a_usage_error_not_a_tamper_alarm(
    run: Run, recorded: tuple[Path, list[str]], anchor: str
) -> None:
    path, _ = recorded

    result = run("audit", "verify", str(path), "--anchor", anchor)

    assert result.exit_code == 2
    assert "FAILED" not in result.output
    assert "expected sha256: and 64 hex digits, or its first 12 or more" in result.stderr


def test_an_anchor_that_is_not_in_the_chain_fails_the_check(
    run: Run, recorded: tuple[Path, list[str]]
) -> None:
    path, _ = recorded

    result = run("audit", "verify", str(path), "--anchor", "sha256:" + "ab" * 32)

    assert result.exit_code == 1
    assert "is not in the chain" in result.stdout


def test_a_prefix_naming_two_records_asks_for_more_digits(
    run: Run, recorded: tuple[Path, list[str]]
) -> None:
    """Only a doctored log has two records sharing 48 bits; the anchor is refused as unclear."""
    path, heads = recorded
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE records SET hash = ? WHERE id = 3", (heads[1][:19] + "0" * 52,))

    result = run("audit", "verify", str(path), "--anchor", heads[1][:19])

    assert result.exit_code == 2
    assert "matches records 2 and 3; expected enough hex digits to name one" in result.stderr


def test_verify_says_what_it_proves_without_and_with_the_key(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "keyed.scrlog"
    env = {AUDIT_KEY_ENV: KEY}
    assert run("triage", CASE, "--record", str(path), env=env).exit_code == 0

    keyed = run("audit", "verify", str(path), env=env)
    unkeyed = run("audit", "verify", str(path))

    assert keyed.exit_code == 0
    assert "intact and sealed with the board's key from record 1" in keyed.stdout
    assert unkeyed.exit_code == 0
    assert "intact as far as this file shows; compare the head with your last anchor" in (
        unkeyed.stdout
    )
    assert f"set {AUDIT_KEY_ENV} to check them too" in unkeyed.stdout


def test_a_weak_key_is_bad_input(run: Run, recorded: tuple[Path, list[str]]) -> None:
    path, _ = recorded

    result = run("audit", "verify", str(path), env={AUDIT_KEY_ENV: "aaaaaaaaaaaaaaaaaaaa"})

    assert result.exit_code == 2
    assert "SCR_AUDIT_KEY has only 1 different characters" in result.stderr
