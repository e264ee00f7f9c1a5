"""``scr interview`` on a real terminal: typed answers in a tmux pane, the case file written.

Skipped where tmux is not installed (on CI too: the CI image must install tmux for it to
run). The tmux server runs on a socket of its own, is told the keys to type, and is stopped
at the end; every wait is bounded.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scr_rules.case import load_case
from scr_rules.decide import triage
from tests._shared import ROOT, SCR

TMUX = shutil.which("tmux")
WAIT_S = 30.0  # the longest wait for one screen (a cold start imports the engine)

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Pane:
    """A tmux session on a private socket running one command."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=WAIT_S
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "scr")

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        pytest.fail(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def type(self, line: str) -> None:
        self.tmux("send-keys", "-t", "scr", "-l", line)
        self.tmux("send-keys", "-t", "scr", "Enter")


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    made = Pane(f"scr-test-{uuid.uuid4().hex[:12]}")
    yield made
    if TMUX is not None:  # stop this test's own server (its socket), nothing else
        subprocess.run([TMUX, "-L", made.socket, "kill-server"], capture_output=True, timeout=10)


def _start(pane: Pane, command: list[str], before: str = "") -> None:
    """Run the command in the pane; the pane stays open afterwards, for its last screen."""
    shell = f"cd {shlex.quote(str(ROOT))} && {before}{shlex.join(command)}; echo exit=$?; sleep 30"
    pane.tmux("new-session", "-d", "-s", "scr", "-x", "120", "-y", "50", shell)


def test_an_interview_typed_on_a_terminal_writes_the_case(pane: Pane, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    _start(pane, [*SCR, "interview", "--out", str(out), "--decision-date", "2008-05-20"])
    pane.wait_for("case reference")
    pane.type("EX-0300")
    pane.wait_for("date of the death or harm")
    pane.type("")
    pane.wait_for("date the board was told")
    pane.type("")
    pane.wait_for("Was the child born alive?")
    pane.type("?")
    pane.wait_for("source: local child protection procedures")
    pane.type("1")
    pane.wait_for("How old was the child")
    pane.type("3")
    pane.wait_for("3. Is abuse or neglect known")
    pane.type("1")
    screen = pane.wait_for("case file written")
    assert "decision: MANDATORY" in screen
    case = load_case(out)
    assert case.case_ref == "EX-0300"
    assert triage(case).outcome == "mandatory"


def test_ctrl_c_saves_the_answers_so_far(pane: Pane, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    start = tmp_path / "start.yaml"
    start.write_text("schema: scr-case/1\ncase_ref: EX-0301\ndecision_date: 2008-05-20\n")
    _start(pane, [*SCR, "interview", str(start), "--out", str(out)])
    pane.wait_for("Was the child born alive?")
    pane.type("1")
    pane.wait_for("How old was the child")
    pane.tmux("send-keys", "-t", "scr", "C-c")
    screen = pane.wait_for("exit=")
    assert "exit=130" in screen
    assert "saved 1 answers" in screen
    assert load_case(out).facts.subject_status == "born_alive"


def test_a_case_piped_in_is_answered_on_the_terminal(pane: Pane, tmp_path: Path) -> None:
    """With the case on stdin (``-``), the answers come from the terminal itself."""
    out = tmp_path / "case.yaml"
    case = ROOT / "cases" / "death-factor-unknown-2008.yaml"
    _start(pane, [*SCR, "interview", "-", "--out", str(out)], f"cat {shlex.quote(str(case))} | ")
    pane.wait_for("1. Is abuse or neglect known")
    pane.type("1")
    pane.wait_for("2. Was the child born alive?")
    pane.type("1")
    screen = pane.wait_for("exit=")
    assert "exit=0" in screen
    assert triage(load_case(out)).outcome == "mandatory"
