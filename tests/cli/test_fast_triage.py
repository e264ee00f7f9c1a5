"""``scr triage FILE --format json`` without typer: the same bytes, the same errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scr_rules.cli._fast import _case_file
from scr_rules.testing import random_cases
from tests._shared import CASE_FILES, SCR, Run


def _scr(args: list[str], cache: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SCR_CACHE_DIR": str(cache)}
    env.pop("SCR_NO_CACHE", None)
    return subprocess.run([*SCR, *args], capture_output=True, env=env, timeout=120, check=False)


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    chosen = [*CASE_FILES[:4], *CASE_FILES[-2:]]
    for case in random_cases(4, seed=91):
        path = tmp_path / f"{case.case_ref}.json"
        path.write_text(json.dumps(case.dump()), encoding="utf-8")
        chosen.append(path)
    return chosen


def test_the_fast_path_writes_what_the_full_command_line_writes(
    files: list[Path], tmp_path: Path, run: Run
) -> None:
    cache = tmp_path / "cache"
    for path in files:
        full = run("triage", str(path), "--format", "json")
        assert full.exit_code == 0
        for spelling in (["--format", "json"], ["-f", "json"], ["--format=json"]):
            done = _scr(["triage", str(path), *spelling], cache)
            assert done.returncode == 0, done.stderr
            assert done.stdout.decode() == full.stdout
            assert done.stderr == b""
    assert list(cache.glob("rulebook-*"))  # the second and later runs read the cache


def test_a_bad_case_file_is_reported_as_the_full_command_line_reports_it(
    tmp_path: Path, run: Run
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "scr-case/1", "case_ref": "X-1", "facts": {"child_died": "yes"}}')
    done = _scr(["triage", str(bad), "--format", "json"], tmp_path / "cache")
    full = run("triage", str(bad), "--format", "json")
    assert done.returncode == full.exit_code == 2
    assert done.stdout.decode() == full.stdout
    assert json.loads(done.stdout)["schema"] == "scr-error/1"
    assert b"Traceback" not in done.stderr


def test_a_damaged_cache_gives_the_same_output(files: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _scr(["triage", str(files[0]), "--format", "json"], cache)
    for path in cache.iterdir():
        path.write_bytes(path.read_bytes()[:-7] + b"damaged")
    again = _scr(["triage", str(files[0]), "--format", "json"], cache)
    assert again.returncode == first.returncode == 0
    assert again.stdout == first.stdout


def test_it_imports_neither_typer_nor_rich(files: list[Path], tmp_path: Path) -> None:
    code = (
        "import sys; from scr_rules.cli import _fast; "
        f"ok = _fast.triage_json(['triage', {str(files[0])!r}, '--format', 'json']); "
        "print(ok, sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))"
    )
    env = {**os.environ, "SCR_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=True
    )
    assert done.stdout.decode().splitlines()[-1] == "True []"


@pytest.mark.parametrize(
    ("args", "file"),
    [
        (["triage", "a.yaml", "--format", "json"], "a.yaml"),
        (["triage", "--format", "json", "a.yaml"], "a.yaml"),
        (["triage", "a.yaml", "-f", "json"], "a.yaml"),
        (["triage", "a.yaml", "--format=json"], "a.yaml"),
        (["triage", "a.yaml"], None),  # text: the full command line
        (["triage", "a.yaml", "--format", "yaml"], None),
        (["triage", "a.yaml", "--format", "json", "--regime", "england-2010"], None),
        (["triage", "-", "--format", "json"], None),  # stdin
        (["triage", "--help", "--format", "json"], None),
        (["compare", "a.yaml", "--format", "json"], None),
        ([], None),
    ],
)
def test_only_the_plain_command_takes_the_fast_path(args: list[str], file: str | None) -> None:
    assert _case_file(args) == file
