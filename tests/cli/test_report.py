"""``scr report`` as a user runs it: the decision record from a case file or from the log.

Exit code first, then what it wrote. From a log, the integrity line's commands are run as
printed, and must replay the record to the same decision and find it in the chain.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import pty
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from scr_rules.audit import AuditLog, make_entry
from scr_rules.case import load_case
from scr_rules.decide import triage
from tests._shared import BOOK, CASES_DIR, SCR, Run

DEATH = str(CASES_DIR / "death-neglect-factor-2008.yaml")
HARM_2011 = str(CASES_DIR / "sexual-abuse-with-concern-2011.yaml")
PSEUDONYM_KEY = "synthetic-pseudonym-key-0123456789"


@pytest.fixture
def log(run: Run, tmp_path: Path) -> Path:
    """A log of two decisions: a mandatory review initiated, a discretionary one declined."""
    path = tmp_path / "decisions.scrlog"
    board = ["--human-decision", "initiated", "--human-reason", "panel agreed"]
    result = run("triage", DEATH, "--record", str(path), "--by", "duty-officer-3", *board)
    assert result.exit_code == 0, result.output
    declined = ["--human-decision", "declined", "--human-reason", "single-agency review"]
    result = run("triage", HARM_2011, "--record", str(path), "--by", "duty-officer-3", *declined)
    assert result.exit_code == 0, result.output
    return path


def commands(record: str) -> list[list[str]]:
    """Return the integrity line's commands as printed (a trailing backslash continues one)."""
    block = re.search(r"```sh\n(.*?)\n```", record, re.S)
    assert block, "no commands in the record"
    joined = block.group(1).replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines()]


def test_a_case_file_gives_the_board_record_in_markdown_by_default(run: Run) -> None:
    result = run("report", DEATH)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Decision record: case EX-0001\n")
    assert "> **MANDATORY - a review must be held**" in result.stdout
    assert "Not from an audit log: nothing seals this record." in result.stdout


@pytest.mark.parametrize(
    ("name", "magic"),
    [("r.md", b"# Decision record"), ("r.html", b"<!DOCTYPE"), ("r.pdf", b"%PDF")],
)
def test_the_format_follows_the_output_files_extension(
    run: Run, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name

    result = run("report", DEATH, "-o", str(out))

    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert result.stderr == f"wrote {out} ({out.stat().st_size:,} bytes)\n"


def test_format_wins_over_the_extension_and_a_pdf_goes_to_a_pipe(run: Run) -> None:
    result = run("report", DEATH, "--format", "pdf")

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF-")


def test_the_case_is_decided_as_triage_decides_it(run: Run) -> None:
    result = run("report", HARM_2011, "--set", "eng2010_harm_limb=mandatory")

    assert result.exit_code == 0, result.output
    assert "> **MANDATORY - a review must be held**" in result.stdout
    assert "- **readings set for this case:** eng2010_harm_limb=mandatory" in result.stdout


def test_stdin_is_read_with_a_dash(run: Run) -> None:
    result = run("report", "-", "--audience", "audit", stdin=Path(DEATH).read_text())

    assert result.exit_code == 0, result.output
    assert "## Rules not met, and why" in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
@pytest.mark.parametrize("audience", ["board", "audit"])
def test_a_rerun_from_the_log_writes_the_same_bytes(
    run: Run, log: Path, tmp_path: Path, fmt: str, audience: str
) -> None:
    outputs = []
    for attempt in ("first", "second"):
        out = tmp_path / f"{attempt}.{fmt}"
        args = ("--log", str(log), "--record", "2", "--audience", audience, "-o", str(out))
        result = run("report", *args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())

    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1000


@pytest.mark.parametrize("record_id", ["1", "2"])
def test_the_integrity_line_replays_to_the_same_decision(
    run: Run, log: Path, record_id: str
) -> None:
    """Its commands, run as printed, re-decide the record identically and find it in the chain."""
    record = run("report", "--log", str(log), "--record", record_id)
    assert record.exit_code == 0, record.output
    outcome = re.search(r"must say: identical, (\w+)\.", record.stdout)
    assert outcome
    replay, verify = commands(record.stdout)

    assert replay[:2] == ["scr", "replay"]
    replayed = run(*replay[1:])
    assert replayed.exit_code == 0, replayed.output
    assert re.search(rf"^record {record_id}  \S+  identical  {outcome[1]}$", replayed.stdout, re.M)
    as_json = run(*replay[1:], "--format", "json")
    [row] = json.loads(as_json.stdout)["records"]
    assert (row["replayed_outcome"], row["exact"]) == (outcome[1], True)

    assert verify[:3] == ["scr", "audit", "verify"]
    verified = run(*verify[1:])
    assert verified.exit_code == 0, verified.output
    assert f"anchor found at record {record_id}" in verified.stdout


def test_the_record_from_the_log_is_the_decision_as_recorded(run: Run, log: Path) -> None:
    result = run("report", "--log", str(log), "--record", "2")

    assert result.exit_code == 0, result.output
    assert "> **DISCRETIONARY - the decision-maker may decide to hold a review**" in result.stdout
    assert "- Decision: declined (a review was declined)." in result.stdout
    assert "- Reason given: single-agency review" in result.stdout
    assert "- Against the criteria: the outcome left the choice to the board." in result.stdout
    hash_ = json.loads(run("audit", "show", str(log), "2", "--format", "json").stdout)["hash"]
    assert f"Record 2 of {log}, recorded " in result.stdout
    assert f"by duty-officer-3 (triage); hash {hash_}." in result.stdout


def test_the_pdf_from_the_log_carries_the_integrity_line(
    run: Run, log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "record.pdf"

    result = run("report", "--log", str(log), "--record", "1", "-o", str(out))

    assert result.exit_code == 0, result.output
    pdf = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) <= 2
    assert "MANDATORY - a review must be held" in text
    assert f"scr replay {log} --record 1" in text
    assert "Decision: initiated (a review was initiated)." in text


def test_the_audit_version_shows_an_interviews_transcript(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "interviews.scrlog"
    case = load_case(DEATH)
    entry = make_entry(case, triage(case, rulebook=BOOK), BOOK, by="duty-officer-3")
    answers = [{"fact": "child_died", "answer": True}, {"fact": "died_in", "answer": "unknown"}]
    with AuditLog(path) as audit_log:
        audit_log.record_many([dataclasses.replace(entry, interview=answers)], [BOOK])

    result = run("report", "--log", str(path), "--record", "1", "--audience", "audit")

    assert result.exit_code == 0, result.output
    assert "## Interview transcript" in result.stdout
    assert re.search(r"^\| 1 \| .+ \(child_died\) \| .+ \(true\) \|$", result.stdout, re.M)
    assert re.search(r"^\| 2 \| .+ \(died_in\) \| not known \(unknown\) \|$", result.stdout, re.M)


def test_a_pseudonymised_record_is_headed_by_its_pseudonym(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "pseudonyms.scrlog"
    env = {"SCR_PSEUDONYM_KEY": PSEUDONYM_KEY}
    recorded = run("triage", DEATH, "--record", str(path), "--pseudonymise", env=env)
    assert recorded.exit_code == 0, recorded.output

    result = run("report", "--log", str(path), "--record", "1")

    assert result.exit_code == 0, result.output
    assert re.search(
        r"^# Decision record: pseudonym hmac-sha256:[0-9a-f]{32}$", result.stdout, re.M
    )
    assert "EX-0001" not in result.stdout


def test_an_edited_record_is_refused_and_nothing_is_written(
    run: Run, log: Path, tmp_path: Path
) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db, db:
        db.execute("UPDATE records SET human_decision = 'initiated' WHERE id = 2")
    db.close()
    out = tmp_path / "record.md"

    result = run("report", "--log", str(log), "--record", "2", "-o", str(out))

    assert result.exit_code == 1
    assert "record 2: its content does not match its hash (the record was edited)" in (
        result.stderr
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "error: give a case file, or --log LOG --record ID\n"),
        ((DEATH, "--log", "x.scrlog", "--record", "1"), "give a case file or --log, not both"),
        (("--log", "x.scrlog"), "--log and --record go together; expected --record"),
        (("--record", "1"), "--log and --record go together; expected --log"),
        (("--log", "x.scrlog", "--record", "1", "--regime", "england-2010"), "only for a case"),
        (("missing.yaml",), "missing.yaml"),
        ((DEATH, "--decision-date", "20080520"), "--decision-date: '20080520' is not a valid"),
        ((DEATH, "--format", "docx"), "'docx' is not one of"),
    ],
)
def test_bad_usage_exits_2_with_one_error_line_each(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    result = run("report", *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_a_missing_record_or_log_exits_2(run: Run, log: Path, tmp_path: Path) -> None:
    missing = run("report", "--log", str(log), "--record", "9")
    no_log = run("report", "--log", str(tmp_path / "none.scrlog"), "--record", "1")

    assert (missing.exit_code, no_log.exit_code) == (2, 2)
    assert f"error: {log}: no record 9\n" == missing.stderr
    assert "no such audit log" in no_log.stderr


def test_a_pdf_without_weasyprint_exits_2_with_the_install_line(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an import finds uninstalled
    out = tmp_path / "record.pdf"

    result = run("report", DEATH, "-o", str(out))

    assert result.exit_code == 2
    assert "pip install 'scr-rules[pdf]'" in result.stderr
    assert not out.exists()


def test_a_pdf_is_not_written_to_a_terminal() -> None:
    """Binary bytes would garble the terminal: the user is asked for -o instead."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*SCR, "report", DEATH, "--format", "pdf"],
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)

    assert done.returncode == 2
    assert done.stderr.decode() == (
        "error: --output: a PDF is not for a terminal; expected -o FILE.pdf\n"
    )
