"""Text wraps to the terminal's width (COLUMNS first) and not at all when it is not a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from rich.console import Console

from scr_rules.case import load_case
from scr_rules.decide import triage
from scr_rules.render import UNWRAPPED, render_text, text_console, without_trailing_blanks
from tests._shared import BOOK, CASES_DIR, SCR, Run

CASE = str(CASES_DIR / "death-neglect-factor-2008.yaml")
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COMMANDS = [
    ["triage", CASE],
    ["triage", CASE, "--detail"],
    ["compare", CASE],
    ["rules", "show", "england.wt-2006.ch8-child-death"],
]


def visible(text: str) -> list[str]:
    """Return the lines as a terminal shows them: colour codes and carriage returns removed."""
    return ESCAPES.sub("", text).replace("\r", "").splitlines()


def on_a_pty(args: list[str], columns: int, env: Mapping[str, str]) -> str:
    """Run ``scr`` with stdout on a pseudo-terminal ``columns`` wide; return what it wrote."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [*SCR, *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=dict(env)
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    os.close(leader)
    return b"".join(chunks).decode()


def environment(**changes: str | None) -> dict[str, str]:
    forcing = ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")
    env = {k: v for k, v in os.environ.items() if k not in forcing}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


# --- not a terminal: one logical line per line ---------------------------------------------


def test_a_pipe_gets_every_logical_line_whole_even_with_columns_set() -> None:
    """A pipe (grep, a file, another program) is never wrapped, whatever COLUMNS says."""
    result = subprocess.run(
        [*SCR, "triage", CASE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment(COLUMNS="60"),
    )
    assert result.returncode == 0, result.stderr
    decision = triage(load_case(CASE), rulebook=BOOK)
    unwrapped = Console(width=UNWRAPPED, highlight=False, no_color=True)

    assert result.stdout == render_text(decision, unwrapped)
    assert "\x1b" not in result.stdout
    [why] = [line for line in result.stdout.splitlines() if line.startswith("Why: ")]
    assert why.endswith("[secondary evidence].")
    assert max(len(line) for line in result.stdout.splitlines()) > 100


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_in_process_output_that_is_not_a_terminal_is_not_wrapped(run: Run, args: list[str]) -> None:
    result = run(*args, env={"COLUMNS": "60", "FORCE_COLOR": None, "TTY_COMPATIBLE": None})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    assert max(len(line) for line in lines) > 60
    assert all(line == line.rstrip() for line in lines)


def test_a_console_that_is_not_a_terminal_does_not_wrap() -> None:
    with Path(os.devnull).open("w") as stream:  # a text stream that is not a terminal
        assert text_console(stream).width == UNWRAPPED


# --- a terminal: its width, COLUMNS first --------------------------------------------------


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_forced_terminal_wraps_to_columns(run: Run, args: list[str]) -> None:
    """TTY_COMPATIBLE=1 makes rich treat the output as a terminal; COLUMNS=60 sets its width."""
    piped = run(*args, env={"COLUMNS": None, "TTY_COMPATIBLE": None, "FORCE_COLOR": None})
    result = run(*args, env={"TTY_COMPATIBLE": "1", "COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = visible(result.stdout)

    assert max(len(line) for line in lines) <= 60
    assert all(line == line.rstrip() for line in lines), "a trailing blank among colour codes"
    assert len(lines) > len(piped.stdout.splitlines())  # the long lines were wrapped
    if args[0] != "compare":  # a table wraps inside its cells; prose wraps between words
        assert " ".join(" ".join(lines).split()) == " ".join(piped.stdout.split())


def test_a_real_terminal_wraps_to_its_own_width() -> None:
    """On a 72-column terminal without COLUMNS, lines fill up to 72 columns and no more."""
    lines = visible(on_a_pty(["triage", CASE], 72, environment()))

    assert lines[0].strip() == "MANDATORY - a review must be held"
    assert max(len(line) for line in lines) <= 72
    assert max(len(line) for line in lines) > 60


def test_columns_overrides_the_real_terminals_width() -> None:
    lines = visible(on_a_pty(["triage", CASE], 120, environment(COLUMNS="60")))

    assert lines[0].strip() == "MANDATORY - a review must be held"
    assert max(len(line) for line in lines) <= 60


def test_blanks_among_the_colour_codes_that_end_a_line_are_removed() -> None:
    """Styled padding interleaves blanks and codes; the codes stay, so colours still close."""
    text = "source: x \x1b[0m\x1b[2m \x1b[0m\nnext  \x1b[1m\nlast  "

    assert without_trailing_blanks(text) == "source: x\x1b[0m\x1b[2m\x1b[0m\nnext\x1b[1m\nlast  "
