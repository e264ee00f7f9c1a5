"""scr batch - --out -: each decision comes back as soon as its line is in (a co-process)."""

from __future__ import annotations

import json
import select
import subprocess
from typing import IO, Any

import pytest

from scr_rules.batch._pipe import PipeReader
from tests._shared import DEATH_2008, ROOT, SCR

REPLY_SECONDS = 30  # generous for a loaded machine; a hang fails instead of blocking the run


def read_line(stream: IO[bytes]) -> bytes:
    ready, _, _ = select.select([stream], [], [], REPLY_SECONDS)
    assert ready, "no decision came back while the input was still open"
    return stream.readline()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_line_in_one_decision_out_before_the_next_line(jobs: str) -> None:
    with subprocess.Popen(
        [*SCR, "batch", "-", "--out", "-", "--jobs", jobs],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        try:
            for number in range(3):
                case = {**DEATH_2008, "case_ref": f"CO-{number}"}
                line = json.dumps(case) if number != 1 else "not json"
                process.stdin.write((line + "\n").encode())
                process.stdin.flush()
                reply: dict[str, Any] = json.loads(read_line(process.stdout))
                if number == 1:
                    assert reply["line"] == 2
                    assert reply["problems"][0]["message"].startswith("not valid JSON")
                else:
                    assert (reply["case_ref"], reply["outcome"]) == (f"CO-{number}", "mandatory")
            process.stdin.close()
            assert process.stdout.read() == b""
            assert process.wait(timeout=REPLY_SECONDS) == 1  # one line was an error
        finally:
            process.kill()


def test_the_pipe_reader_says_when_a_line_is_waiting(tmp_path: Any) -> None:
    import os

    read_end, write_end = os.pipe()
    reader = PipeReader(read_end)
    try:
        assert not reader.ready()
        os.write(write_end, b'{"a": 1}\n{"b"')
        assert reader.ready()
        assert reader.readline(100) == b'{"a": 1}\n'
        assert reader.peek(1).startswith(b'{"b"')
        assert not reader.ready()  # part of a line is in, the rest is not
        os.write(write_end, b": 2}\n")
        os.close(write_end)
        assert reader.readline(100) == b'{"b": 2}\n'
        assert reader.readline(100) == b""
        assert reader.ready()  # the end of input is ready to read
    finally:
        os.close(read_end)


def test_a_line_longer_than_the_limit_is_cut_at_the_limit() -> None:
    import os

    read_end, write_end = os.pipe()
    reader = PipeReader(read_end)
    try:
        os.write(write_end, b"x" * 50 + b"\nnext\n")
        os.close(write_end)
        assert reader.readline(10) == b"x" * 10
        assert reader.readline(100) == b"x" * 40 + b"\n"
        assert reader.readline(100) == b"next\n"
    finally:
        os.close(read_end)
