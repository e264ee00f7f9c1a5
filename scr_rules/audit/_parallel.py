"""Replay on worker processes: the parent reads the log's rows, workers decide them again.

Each worker opens the log read-only for itself (never the parent's SQLite connection) and
keeps its own ``Rulebooks``, so every rulebook is loaded and compiled once per worker. The
parent sends chunks of raw rows and yields the results in chain order; at most a few chunks
per worker are in flight, so memory stays bounded. The workers start before the parent opens
the log, so no open database connection is ever copied into a forked process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from scr_rules.audit._replay import RecordReplay, Rulebooks, replay_row
from scr_rules.audit._store import Store
from scr_rules.errors import AuditError

CHUNK_SIZE = 64  # records per task: amortises the traffic, keeps the first results quick
IN_FLIGHT = 4  # chunks queued per worker: keeps workers busy, bounds memory
JOBS_PER_CORE = 4  # more workers than this per core only add memory and start-up time
PARENT_CHECK_SECONDS = 0.5  # how often a worker checks that the replay still runs

Row = tuple[Any, ...]


def usable_cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def clamp_jobs(jobs: int) -> int:
    """Return how many workers to start for ``jobs`` (0: one per usable core)."""
    wanted = jobs or usable_cores()
    return max(1, min(wanted, usable_cores() * JOBS_PER_CORE))


class ReplayPool:
    """Worker processes that replay chunks of rows from one log under one rules choice."""

    def __init__(self, log: Path, rules: str, jobs: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.jobs = jobs
        self._pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start, initargs=(str(log), rules)
        )
        try:
            self._pool.submit(_ready).result()  # every worker forks now, before the log opens
        except BrokenProcessPool:
            self.close()
            raise AuditError(f"{log}: the replay workers could not start") from None

    def replay(self, rows: Iterable[Row]) -> Iterator[RecordReplay]:
        """Yield the replay of every row, in the order the rows came."""
        pending: deque[Future[list[RecordReplay]]] = deque()
        try:
            for chunk in _chunks(iter(rows)):
                pending.append(self._pool.submit(_replay_chunk, chunk))
                while len(pending) >= self.jobs * IN_FLIGHT or (pending and pending[0].done()):
                    yield from _result(pending.popleft())
            while pending:
                yield from _result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the workers (waiting for the chunk each is on)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReplayPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _result(future: Future[list[RecordReplay]]) -> list[RecordReplay]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise AuditError(f"a replay worker process died ({exc})") from None


def _chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        yield chunk


_books: Rulebooks | None = None
_failure: str | None = None


def _start(log: str, rules: str) -> None:
    """Set up a worker: open the log read-only, choose the rules; leave Ctrl-C to the parent."""
    global _books, _failure
    # Ctrl-C reaches the whole process group: the parent stops the replay and the pool; a
    # worker killed mid-chunk would break the pool instead. If the parent is killed
    # outright, the worker notices and ends by itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    try:
        _books = Rulebooks(Store(Path(log), create=False), rules)
    except Exception as exc:  # reported with the first chunk, not as a broken pool
        _failure = f"{log}: a replay worker could not open the log ({type(exc).__name__}: {exc})"


def _exit_with(parent: int) -> None:
    """End this worker once its parent has gone (killed outright, it cannot say so)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _ready() -> bool:
    return True


def _replay_chunk(rows: list[Row]) -> list[RecordReplay]:
    if _books is None:
        raise AuditError(_failure or "a replay worker was not set up")
    return [replay_row(row, _books) for row in rows]
