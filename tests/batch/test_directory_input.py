"""A directory input says what it could not read; nothing is skipped in silence (13)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symbolic links")
def test_links_and_fifos_in_a_directory_input_become_error_lines(tmp_path: Path, run: Any) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy("cases/death-neglect-factor-2008.yaml", folder)
    (folder / "linked").symlink_to(Path("cases").resolve(), target_is_directory=True)
    (folder / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(folder / "pipe.yaml")
    result = run("batch", str(folder), "--out", str(tmp_path / "out.jsonl"))
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    errors = {line["file"]: line["error"] for line in lines if "error" in line}
    assert set(errors) == {"linked", "dangling.yaml", "pipe.yaml"}
    assert "symbolic link" in errors["linked"]
    assert "not a regular file" in errors["pipe.yaml"]
    assert sum("outcome" in line for line in lines) == 1
    assert result.exit_code in (0, 1)
