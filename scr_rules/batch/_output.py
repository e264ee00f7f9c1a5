"""Where a batch writes: the output file in whole lines, and never over its own input."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

from scr_rules.batch._work import CSV_COLUMNS
from scr_rules.errors import InputError
from scr_rules.vocabulary import (
    OutputFormat,
)


def refuse_to_overwrite_input(output: str, source: str) -> None:
    """Raise InputError if writing ``output`` would destroy the input it is read from.

    Compared by (device, inode), so a hard link, a symlink, another spelling of the path,
    stdin redirected from the output file, and a case file inside a directory input are
    all caught before the output is opened (opening it for writing empties it).
    """
    if output == "-":
        return
    try:
        target = os.stat(output)
    except OSError:
        return  # it does not exist yet: nothing to destroy
    target_id = (target.st_dev, target.st_ino)
    inputs: list[tuple[str, os.stat_result]] = []
    with contextlib.suppress(OSError):
        if source == "-":
            inputs.append(("<stdin>", os.fstat(sys.stdin.fileno())))
        elif os.path.isdir(source):
            for folder, _dirs, files in os.walk(source):
                inputs += [
                    (os.path.join(folder, f), os.stat(os.path.join(folder, f))) for f in files
                ]
        else:
            inputs.append((source, os.stat(source)))
    for name, info in inputs:
        if (info.st_dev, info.st_ino) == target_id:
            raise InputError(
                output,
                f"is the input {name} (the same file); writing the decisions there would "
                "destroy the cases; expected another output path",
            )


class _Output:
    """The output file, written whole chunks at a time so it only ever holds whole lines."""

    def __init__(self, path: str, fmt: OutputFormat) -> None:
        self._path = path
        self._fmt = fmt
        self._file: IO[bytes] | None = None

    def __enter__(self) -> _Output:
        try:
            self._file = sys.stdout.buffer if self._path == "-" else open(self._path, "wb")
        except OSError as exc:
            raise InputError(self._path, f"cannot be written: {exc.strerror}") from None
        if self._fmt is OutputFormat.csv:
            self.write((",".join(CSV_COLUMNS) + "\n").encode("utf-8"))
        return self

    def write(self, data: bytes) -> None:
        """Write and flush complete lines, so a stopped run leaves a valid file."""
        assert self._file is not None  # noqa: S101 - used inside the with block only
        self._file.write(data)
        self._file.flush()

    def __exit__(self, *_: object) -> None:
        if self._file is not None and self._path != "-":
            self._file.close()
