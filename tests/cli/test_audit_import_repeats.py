"""Import that does not double: a spreadsheet imported twice is seen, and skipped when asked.

Also: a row with a bad date is a bad row (the rest imported), and the advice in a message
names only what the import command has.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._shared import Run

SHEET = (
    "case_ref,decision_date,human_decision,child_age_at_incident,child_died,abuse_or_neglect,"
    "abuse_or_neglect_factor_in_death\n"
    "HIST-1,2009-02-11,initiated,4,true,known,known\n"
    "HIST-2,2009-03-02,declined,9,false,not_suspected,\n"
    "HIST-3,2009-04-17,declined,4,true,known,known\n"
)



@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "referrals.csv"
    path.write_text(SHEET)
    return path


def records(run: Run, log: Path) -> int:
    result = run("audit", "verify", str(log), "-f", "json")
    assert result.exit_code == 0, result.output
    return int(result.stdout.split('"records": ')[1].split(",")[0])


def test_a_second_import_warns_with_the_count_and_records_again(
    run: Run, sheet: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log"
    assert run("audit", "import", str(sheet), "--log", str(log)).exit_code == 0

    again = run("audit", "import", str(sheet), "--log", str(log))

    assert again.exit_code == 0
    assert "imported 3 of 3 rows" in again.stdout
    assert again.stderr == (
        f"warning: 3 rows repeat a case (case_ref, dates and facts) and board decision already "
        f"in {log}, and were recorded again; rerun with --skip-existing to leave such rows out\n"
    )
    assert records(run, log) == 6


def test_skip_existing_leaves_out_what_is_already_in_the_log(
    run: Run, sheet: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log"
    assert run("audit", "import", str(sheet), "--log", str(log)).exit_code == 0
    changed = tmp_path / "changed.csv"  # one decision changed, one row new
    changed.write_text(
        SHEET.replace("HIST-3,2009-04-17,declined", "HIST-3,2009-04-17,initiated")
        + "HIST-4,2009-05-06,declined,2,false,known,\n"
    )

    result = run("audit", "import", str(changed), "--log", str(log), "--skip-existing")

    assert result.exit_code == 0
    assert result.stdout == (
        f"imported 2 of 4 rows from {changed} into {log} (records 4..5); "
        "0 bad rows left out; 2 already in the log skipped\n"
    )
    assert result.stderr == ""
    assert records(run, log) == 5


def test_the_same_row_twice_in_one_file_is_a_repeat_too(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "twice.csv"
    sheet.write_text(SHEET + SHEET.splitlines(keepends=True)[1])
    log = tmp_path / "log"

    result = run("audit", "import", str(sheet), "--log", str(log), "--skip-existing")

    assert result.exit_code == 0
    assert "imported 3 of 4 rows" in result.stdout
    assert "1 already in the log skipped" in result.stdout


def test_a_dry_run_says_how_many_would_repeat(run: Run, sheet: Path, tmp_path: Path) -> None:
    log = tmp_path / "log"
    assert run("audit", "import", str(sheet), "--log", str(log)).exit_code == 0

    result = run("audit", "import", str(sheet), "--log", str(log), "--dry-run")

    assert result.exit_code == 0
    assert "would import 3 of 3 rows" in result.stdout
    assert "warning: 3 rows repeat" in result.stderr
    assert "would be recorded again" in result.stderr
    assert records(run, log) == 3


@pytest.mark.parametrize("day", ["2009-02-30", "2009-2-3", "20090203", "1990-01-01"])
def test_a_row_with_a_bad_date_is_a_bad_row_and_the_rest_are_imported(
    run: Run, tmp_path: Path, day: str
) -> None:
    sheet = tmp_path / "dates.csv"
    sheet.write_text(SHEET.replace("HIST-2,2009-03-02", f"HIST-2,{day}"))
    log = tmp_path / "log"

    result = run("audit", "import", str(sheet), "--log", str(log))

    assert result.exit_code == 1
    assert "imported 2 of 3 rows" in result.stdout
    assert result.stderr.startswith(f"error: {sheet}: row 3: decision_date")
    assert len(result.stderr.splitlines()) == 1
    assert records(run, log) == 2


def test_a_row_without_a_date_is_told_what_the_import_needs(run: Run, tmp_path: Path) -> None:
    """The import has no --decision-date or --regime: its advice never names them."""
    sheet = tmp_path / "undated.csv"
    sheet.write_text(SHEET.replace("HIST-2,2009-03-02", "HIST-2,"))

    result = run("audit", "import", str(sheet), "--log", str(tmp_path / "log"))

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {sheet}: row 3: decision_date: the row has no date to choose the law by; "
        "expected the date the board decided (decision_date), or else notification_date or "
        "incident_date\n"
    )
    assert "--decision-date" not in result.stderr
    assert "--regime" not in result.stderr
