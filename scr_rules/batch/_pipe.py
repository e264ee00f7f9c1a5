"""Standard input read as it arrives, so ``scr batch -`` can be a co-process.

A buffered reader cannot say whether a whole line is already waiting without risking a
blocking read; this one can (``ready``). The batch cuts a chunk short when nothing more is
waiting, so each decision is written as soon as its line is decided, while a file piped in
whole still goes through in full chunks.
"""

from __future__ import annotations

import io
import os
import select

BLOCK = 1 << 16
_COMPACT_AT = 1 << 20  # drop consumed bytes once this many have piled up


class PipeReader(io.RawIOBase):
    """Lines (and bytes) from a file descriptor, as soon as the writer has sent them."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._buffer = bytearray()
        self._start = 0  # bytes of _buffer already handed out
        self._eof = False

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def _fill(self) -> bool:
        if self._eof:
            return False
        data = os.read(self._fd, BLOCK)
        if not data:
            self._eof = True
            return False
        if self._start >= _COMPACT_AT:
            del self._buffer[: self._start]
            self._start = 0
        self._buffer += data
        return True

    def peek(self, size: int = 1) -> bytes:
        """Return what is waiting (reading once if nothing is), without consuming it."""
        if self._start == len(self._buffer):
            self._fill()
        return bytes(self._buffer[self._start : self._start + max(size, BLOCK)])

    def readline(self, limit: int | None = -1) -> bytes:
        limit = limit if limit is not None and limit >= 0 else 1 << 62
        searched = self._start
        while True:
            stop = min(len(self._buffer), self._start + limit)
            end = self._buffer.find(b"\n", searched, stop)
            if end >= 0:
                return self._take(end + 1)
            if stop - self._start >= limit or not self._fill():
                return self._take(stop)
            searched = stop

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._start == len(self._buffer) and not self._fill():
            return 0
        data = self._take(min(len(self._buffer), self._start + len(target)))
        target[: len(data)] = data
        return len(data)

    def _take(self, end: int) -> bytes:
        data = bytes(self._buffer[self._start : end])
        self._start = end
        return data

    def ready(self) -> bool:
        """Say whether the next line (or the end of input) can be read without waiting."""
        if self._eof or self._buffer.find(b"\n", self._start) >= 0:
            return True
        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)
