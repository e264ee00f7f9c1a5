"""Read a batch's records lazily: case files in a directory, JSON Lines, or CSV.

The parent process only splits the input into records (cheap I/O); parsing and
validation happen in the workers. A record is ``(key, position, payload)``: ``key`` is
``"line"`` or ``"file"``, ``position`` says where the record is in the input, and the
payload is a JSON line (bytes), a CSV row's cells (tuple of str; a BrokenRow where the
CSV cannot be split) or a case file's path. CSV is read as ``scr_rules.case.Table`` reads
it, the dialect ``scr audit import`` reads too.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from scr_rules.batch._pipe import PipeReader
from scr_rules.case import MAX_DOCUMENT_BYTES, BrokenRow, Table, text_stream
from scr_rules.errors import InputError
from scr_rules.vocabulary import InputFormat

CASE_FILE_SUFFIXES = (".yaml", ".yml", ".json")
JSONL_SUFFIXES = (".jsonl", ".ndjson")

Record = tuple[str, Any, Any]


@dataclass
class Source:
    """An opened input: its records, and how far reading has got (for progress)."""

    name: str
    format: InputFormat
    records: Iterator[Record]
    total: int | None  # bytes (files), files (directories), or None (stdin)
    header: tuple[str, ...] = ()  # CSV only
    position: int = 0  # bytes or files consumed so far
    stream: IO[Any] | None = None  # what to close: the file, or the text reader over it
    # JSON Lines from a pipe: says whether the next line is waiting (see batch._pipe)
    ready: Callable[[], bool] | None = None

    def close(self) -> None:
        """Close the input file; standard input is left open."""
        if isinstance(self.stream, io.TextIOWrapper) and self.name == "<stdin>":
            self.stream.detach()  # closing the reader would close stdin too
        elif self.stream is not None and self.name != "<stdin>":
            self.stream.close()
        self.stream = None


def open_source(path: str, fmt: InputFormat = InputFormat.auto) -> Source:
    """Open the input for reading; raise InputError (a usage error) if it cannot be read."""
    if path == "-":
        return _open_stdin(fmt)
    file = Path(path)
    if not file.exists():
        raise InputError(path, "no such file or directory")
    if file.is_dir():
        if fmt not in (InputFormat.auto, InputFormat.dir):
            raise InputError(path, f"is a directory, not {fmt.value}")
        return _open_directory(file)
    if fmt is InputFormat.auto:
        fmt = _format_by_suffix(file)
    if fmt is InputFormat.dir:
        raise InputError(path, "is a file, not a directory")
    try:
        stream = file.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    return _open_stream(path, stream, fmt, file.stat().st_size)


def _open_stdin(fmt: InputFormat) -> Source:
    pipe = _pipe_reader()
    stream: Any = pipe or sys.stdin.buffer
    if not hasattr(stream, "peek"):  # a test runner's in-memory stdin
        stream = io.BufferedReader(stream)
    if fmt is InputFormat.auto:
        fmt = _sniff(stream)
    if fmt is InputFormat.dir:
        raise InputError("<stdin>", "standard input cannot be a directory; use jsonl or csv")
    if pipe is not None and fmt is not InputFormat.jsonl:
        stream = io.BufferedReader(pipe)  # CSV is read through a text layer: no streaming
    source = _open_stream("<stdin>", stream, fmt, None)
    if pipe is not None and fmt is InputFormat.jsonl:
        source.ready = pipe.ready
    return source


def _pipe_reader() -> PipeReader | None:
    """Return a reader that can stream stdin if it is a pipe, socket or terminal."""
    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):  # closed, or in memory
        return None
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode):
        return PipeReader(fd)
    return None  # a regular file: read in full chunks


def _format_by_suffix(file: Path) -> InputFormat:
    suffix = file.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return InputFormat.jsonl
    if suffix == ".csv":
        return InputFormat.csv
    raise InputError(
        str(file),
        f"cannot tell the format from the suffix {suffix or '(none)'!r}; expected .jsonl, "
        ".ndjson or .csv, a directory of case files, or --in-format",
    )


def _sniff(stream: Any) -> InputFormat:
    """Guess stdin's format from its first bytes: JSON Lines start with '{'."""
    head = stream.peek(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return InputFormat.jsonl if head.startswith(b"{") or not head else InputFormat.csv


def _open_stream(name: str, stream: IO[bytes], fmt: InputFormat, size: int | None) -> Source:
    source = Source(name, fmt, iter(()), size, stream=stream)
    if fmt is InputFormat.jsonl:
        source.records = _jsonl_records(stream, source)
        return source
    text = text_stream(stream)
    source.stream = text
    try:
        table = Table(text, name)
    except InputError:
        source.close()
        raise
    source.header = table.columns
    source.records = _csv_records(table, stream, source)
    return source


def _jsonl_records(stream: IO[bytes], source: Source) -> Iterator[Record]:
    for number, line in enumerate(_bounded_lines(stream), start=1):
        source.position += len(line)
        if line.strip():  # blank lines carry no record
            yield "line", number, line


def _bounded_lines(stream: IO[bytes], limit: int = MAX_DOCUMENT_BYTES) -> Iterator[bytes]:
    """Yield the lines, none held longer than ``limit`` + 1 bytes in memory.

    A longer line is cut there (its record is then refused as too long) and the rest of
    it is read past in blocks, so a 200 MB line costs about 1 MB, not several hundred.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            skipped = len(line)
            while True:
                rest = stream.readline(1 << 20)
                skipped += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line  # over the limit: the worker refuses it, naming the line
            continue
        yield line


def _csv_records(table: Table, stream: IO[bytes], source: Source) -> Iterator[Record]:
    for row in table.rows():
        source.position = _tell(stream, source.position)
        # a broken quote swallows the rest of the file (the table ends with it); an
        # oversized cell is an error line for its row only
        yield "line", row.end_line, row if isinstance(row, BrokenRow) else row.cells


def _tell(stream: IO[bytes], fallback: int) -> int:
    try:
        return stream.tell()
    except OSError:  # a pipe
        return fallback


def _directory_entries(folder: Path) -> Iterator[Path]:
    """Yield every case file of a directory input, and what looks like one but cannot be read.

    Links are not followed, but never skipped in silence: a symlinked folder, a dangling
    link or a FIFO named like a case file becomes a record whose error line says what it is.
    """
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in dirs:
            if (base / name).is_symlink():
                yield base / name  # read as a file, it reports itself as a directory
        for name in names:
            if Path(name).suffix.lower() in CASE_FILE_SUFFIXES:
                yield base / name


def _open_directory(folder: Path) -> Source:
    files = sorted(_directory_entries(folder), key=lambda p: p.relative_to(folder).as_posix())
    source = Source(str(folder), InputFormat.dir, iter(()), len(files))
    source.records = _directory_records(folder, files, source)
    return source


def _directory_records(folder: Path, files: list[Path], source: Source) -> Iterator[Record]:
    for file in files:
        source.position += 1
        yield "file", file.relative_to(folder).as_posix(), str(file)
