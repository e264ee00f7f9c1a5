"""Triage a whole caseload in one run: streamed, in input order, on every core, stoppable.

The parent process reads the input and splits it into chunks of records; worker
processes (each with the rulebook compiled once) parse, validate, decide and serialise
them; the parent writes the chunks back in input order, whole lines at a time. At most a
few chunks per worker are in flight, so memory does not grow with the input. A record
that cannot be decided becomes an error line and the run goes on. SIGINT or SIGTERM
stops the run after the chunk being written: the output then holds complete lines for
every record up to a known position, and the summary says which.

Its size (about 320 lines) is one protocol: the pool, the in-order queue and the stop signals
work together and are easier to check side by side.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from scr_rules.batch._input import Record, Source, open_source
from scr_rules.batch._output import _Output, refuse_to_overwrite_input
from scr_rules.batch._work import ERROR, Chunk, Worker, WorkSpec
from scr_rules.errors import InputError, ScrRulesError
from scr_rules.vocabulary import (
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    OUTCOMES,
    InputFormat,
    count,
)

CHUNK_SIZE = 256  # records per task: big enough to amortise inter-process traffic
IN_FLIGHT = 4  # chunks queued per worker: keeps workers busy, bounds memory
PARENT_CHECK_SECONDS = 0.5  # how often a worker checks that the batch still runs
GC_THRESHOLDS = (50_000, 20, 20)  # a worker's collector (Python's: 700, 10, 10)


@dataclass
class BatchOptions:
    """What to read, where to write, and how to decide (as ``scr triage`` takes it)."""

    input: str
    output: str
    spec: WorkSpec
    input_format: InputFormat = InputFormat.auto
    jobs: int | None = None  # None: every core this process may use
    chunk_size: int = CHUNK_SIZE
    record: Path | None = None  # an audit log to append every decision to
    progress: bool | None = None  # None: only when stderr is a terminal


@dataclass
class BatchSummary:
    """How a run went: counts by outcome, errors, and how far it got."""

    input: str
    output: str
    jobs: int
    counts: Counter[str] = field(default_factory=Counter)
    records: int = 0
    last: tuple[str, Any] | None = None  # the position of the last record written
    interrupted: bool = False
    failure: str | None = None  # why the run stopped early, if it failed
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        """Return how many records gave an error line."""
        return self.counts[ERROR]

    def exit_code(self) -> int:
        """Return 0 (all decided), 1 (error lines), 3 (failed) or 130 (interrupted)."""
        if self.failure:
            return EXIT_INTERNAL
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_CHECK_FAILED if self.errors else EXIT_OK

    def render(self) -> str:
        """Return the summary for stderr."""
        rate = self.records / self.seconds if self.seconds > 0 else 0.0
        jobs = count(self.jobs, "job")
        lines = [
            f"scr batch: {self.records:,} records from {self.input} in {self.seconds:.2f} s "
            f"({rate:,.0f} records/s, {jobs})"
        ]
        kinds = [k for k in (*OUTCOMES, "valid") if self.counts[k]] or list(OUTCOMES)
        tally = "  ".join(f"{k} {self.counts[k]:,}" for k in kinds)
        lines.append(f"  {tally}  errors {self.errors:,}")
        if self.errors:
            lines.append(f"  each error is a line of {self.output} saying where and why")
        where = f" (the last was {self.last[0]} {self.last[1]})" if self.last else ""
        if self.interrupted:
            lines.append(
                f"interrupted: {self.output} holds complete lines for the first "
                f"{self.records:,} records of the input{where}; the rest were not decided"
            )
        if self.failure:
            lines.append(
                f"failed: {self.failure}; {self.output} holds complete lines for the first "
                f"{self.records:,} records{where}"
            )
        return "\n".join(lines) + "\n"


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


JOBS_PER_CORE = 4  # more workers than this per core only add memory and start-up time


def max_jobs() -> int:
    """Return the most worker processes a run starts: a few per core this process may use."""
    return default_jobs() * JOBS_PER_CORE


def run_batch(options: BatchOptions, stderr: TextIO | None = None) -> BatchSummary:
    """Decide every record of the input into the output; raise InputError on a usage error."""
    stderr = stderr or sys.stderr
    jobs = max(1, min(options.jobs or default_jobs(), max_jobs()))
    source = open_source(options.input, options.input_format)
    try:
        return _run(options, source, jobs, stderr)
    finally:
        source.close()


def _run(options: BatchOptions, source: Source, jobs: int, stderr: TextIO) -> BatchSummary:
    spec = _spec_for(options, source)
    log, book = _audit_log(options)
    summary = BatchSummary(options.input, options.output, jobs)
    started = time.perf_counter()
    refuse_to_overwrite_input(options.output, options.input)
    with _Output(options.output, spec.output_format) as out, _StopSignal() as stop:
        progress = _progress(options, source, stderr)
        try:
            chunks = _chunks(source.records, options.chunk_size, source.ready)
            for last, chunk in _results(chunks, spec, jobs, stop, source.ready):
                _take(chunk, summary, out, log, book)
                summary.last = last
                if progress is not None:
                    progress(summary.records, source.position)
                if stop.requested:
                    summary.interrupted = True
                    break
        except BrokenProcessPool as exc:
            if stop.requested:  # the signal reached the workers too: a stop, not a failure
                summary.interrupted = True
            else:
                summary.failure = f"a worker process died ({exc})"
        except ScrRulesError as exc:  # the audit log refused a chunk
            summary.failure = " ".join(str(exc).split())
        finally:
            summary.seconds = time.perf_counter() - started
            if progress is not None:
                progress(summary.records, source.position, final=True)
            if log is not None:
                log.close()
    stderr.write(summary.render())
    return summary


def _spec_for(options: BatchOptions, source: Source) -> WorkSpec:
    spec = options.spec
    fmt = spec.output_format
    if options.output != "-" and Path(options.output).resolve() == _resolved(options.input):
        raise InputError(options.output, "is the input; write the decisions elsewhere")
    if options.record is not None and spec.validate_only:
        raise InputError(str(options.record), "--record needs decisions, not --validate-only")
    return dataclasses.replace(
        spec,
        input_format=source.format,
        output_format=fmt,
        header=source.header,
        record=options.record is not None,
    )


def _resolved(path: str) -> Path | None:
    return None if path == "-" else Path(path).resolve()


def _audit_log(options: BatchOptions) -> tuple[Any, Any]:
    if options.record is None:
        return None, None
    from scr_rules.audit import AuditLog  # only when recording: keep start-up lean
    from scr_rules.law import load_rulebook

    return AuditLog(options.record), load_rulebook(options.spec.rules)


def _chunks(
    records: Iterator[Record], size: int, ready: Callable[[], bool] | None = None
) -> Iterator[list[Record]]:
    """Group records into chunks; cut one short when the next line is not there yet."""
    if ready is None:
        while chunk := list(itertools.islice(records, size)):
            yield chunk
        return
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size or not ready():
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _take(chunk: Chunk, summary: BatchSummary, out: _Output, log: Any, book: Any) -> None:
    """Record, write and count one chunk (all of it, or none if the log fails)."""
    if log is not None and chunk.entries:
        log.record_many(chunk.entries, [book])
    out.write(chunk.data)
    summary.counts.update(chunk.statuses)
    summary.records += len(chunk.statuses)


Done = tuple[tuple[str, Any], Chunk]  # a chunk's last position, and its output


def _results(
    chunks: Iterable[list[Record]],
    spec: WorkSpec,
    jobs: int,
    stop: _StopSignal,
    ready: Callable[[], bool] | None = None,
) -> Iterator[Done]:
    """Yield each chunk's results in input order, from one process or from a pool."""
    if jobs == 1:
        worker = Worker(spec)
        for chunk in chunks:
            yield chunk[-1][:2], worker.process(chunk)
            if stop.requested:
                return
        return
    yield from _pooled(chunks, spec, jobs, stop, ready)


def _pooled(
    chunks: Iterable[list[Record]],
    spec: WorkSpec,
    jobs: int,
    stop: _StopSignal,
    ready: Callable[[], bool] | None,
) -> Iterator[Done]:
    # fork where it exists: workers start in milliseconds and share the parsed rulebook
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(spec,))
    pending: deque[tuple[tuple[str, Any], Future[Chunk]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk[-1][:2], pool.submit(_decide, chunk)))
            # wait for the oldest chunk only when enough are queued, so workers never idle
            # ... and every queued chunk when the input has nothing more waiting (a co-process)
            waiting = ready is not None and not ready()
            while (
                len(pending) >= jobs * IN_FLIGHT
                or (pending and pending[0][1].done())
                or (pending and waiting)
            ):
                last, future = pending.popleft()
                yield last, future.result()
                if stop.requested:
                    return
        while pending and not stop.requested:
            last, future = pending.popleft()
            yield last, future.result()
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


_worker: Worker | None = None


def _start(spec: WorkSpec) -> None:
    """Set up a worker process: compile the rulebook once; leave Ctrl-C to the parent."""
    global _worker
    # A terminal's Ctrl-C, or a stop sent to the whole process group, reaches the workers
    # too: they leave it to the parent, which stops the run cleanly and closes the pool (a
    # worker killed mid-task would break the pool instead). If the parent is killed
    # outright, the workers notice and end by themselves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    _worker = Worker(spec)
    # What set-up built lives as long as the worker: the collector need not scan it again,
    # and the explanations the worker keeps are acyclic, so it may run less often.
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _exit_with(parent: int) -> None:
    """End this worker once its parent has gone (killed outright, it cannot say so)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(EXIT_INTERNAL)


def _decide(chunk: list[Record]) -> Chunk:
    assert _worker is not None  # noqa: S101 - _start always runs first
    return _worker.process(chunk)


class _StopSignal:
    """Turn SIGINT and SIGTERM into a request to stop after the current chunk."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignal:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._request)
        return self

    def _request(self, _signum: int, _frame: Any) -> None:
        self.requested = True  # a second signal changes nothing: the stop is already clean

    def __exit__(self, *_: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def _progress(options: BatchOptions, source: Source, stderr: TextIO) -> Any:
    """Return a callback drawing a progress bar on stderr, or None when not wanted."""
    wanted = options.progress if options.progress is not None else stderr.isatty()
    if not wanted:
        return None
    from scr_rules.batch._progress import ProgressBar

    return ProgressBar(source.total, stderr)
