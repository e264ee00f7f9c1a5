"""Benchmark ``scr serve`` over loopback: requests/s, latency, and the cost of HTTP itself.

Run: ``.venv/bin/python benchmarks/http_bench.py`` (2,000 requests from 8 threads;
``--requests``, ``--threads``, ``--workers`` change that; ``--json`` for machine-readable
figures).

A real server (``scr serve`` on a free 127.0.0.1 port, as deployed) is started and warmed
up; then every thread sends its share of ``POST /v1/decisions`` over one keep-alive
connection, each request a different generated case (the engine remembers what it
decided, so repeated cases would flatter it). Every response must be 200. In the same run
``triage()`` decides as many other generated cases in this process; the ratio of the HTTP
p50 to the in-process p50 is what the network stack, JSON, the service and queueing behind
the other threads add; the p50 of one client alone (after the load) leaves out the queueing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from triage_bench import percentile, scr_command

from scr_rules import triage
from scr_rules.testing import random_cases

STARTUP_SECONDS = 60.0
REQUEST_TIMEOUT = 60.0
WARMUP_REQUESTS = 100
UNLOADED_REQUESTS = 300  # one client, one request at a time: the latency without queueing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start ``scr serve`` and return once /healthz answers (or raise)."""
    process = subprocess.Popen(
        [*scr_command(), "serve", "--port", str(port), "--workers", str(workers)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"scr serve exited with {process.returncode}")
        try:
            status, _ = post(http.client.HTTPConnection("127.0.0.1", port, timeout=2), None)
            if status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("scr serve did not answer /healthz in time")


def post(connection: http.client.HTTPConnection, body: bytes | None) -> tuple[int, bytes]:
    """Send one decision request (or a health check when ``body`` is None)."""
    if body is None:
        connection.request("GET", "/healthz")
    else:
        headers = {"Content-Type": "application/json"}
        connection.request("POST", "/v1/decisions", body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def bodies(count: int, seed: int) -> list[bytes]:
    return [json.dumps(case.dump()).encode() for case in random_cases(count, seed=seed)]


def load(port: int, work: list[bytes], threads: int) -> tuple[list[float], list[int], float]:
    """Send ``work`` from ``threads`` threads; return latencies (ms), statuses and seconds."""
    shares = [work[index::threads] for index in range(threads)]
    latencies: list[list[float]] = [[] for _ in range(threads)]
    statuses: list[list[int]] = [[] for _ in range(threads)]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            for body in shares[index]:
                started = time.perf_counter()
                status, _ = post(connection, body)
                latencies[index].append((time.perf_counter() - started) * 1000)
                statuses[index].append(status)
        finally:
            connection.close()

    pool = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=REQUEST_TIMEOUT * len(work))
    elapsed = time.perf_counter() - started
    return [x for row in latencies for x in row], [s for row in statuses for s in row], elapsed


def in_process(count: int, seed: int) -> list[float]:
    """Return the latency in ms of ``triage()`` on ``count`` new cases, in this process."""
    cases = list(random_cases(count, seed=seed))
    for case in random_cases(WARMUP_REQUESTS, seed=seed + 1):
        triage(case)
    samples = []
    for case in cases:
        started = time.perf_counter()
        triage(case)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(requests: int, threads: int, workers: int) -> dict[str, Any]:
    port = free_port()
    server = start_server(port, workers)
    try:
        load(port, bodies(WARMUP_REQUESTS, seed=7), threads)
        latencies, statuses, seconds = load(port, bodies(requests, seed=1), threads)
        alone, alone_statuses, _ = load(port, bodies(UNLOADED_REQUESTS, seed=3), 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    local = in_process(requests, seed=2)
    http_p50 = statistics.median(latencies)
    local_p50 = statistics.median(local)
    return {
        "requests": len(statuses),
        "threads": threads,
        "workers": workers,
        "non_200": sum(1 for status in [*statuses, *alone_statuses] if status != 200),
        "seconds": seconds,
        "requests_per_s": len(statuses) / seconds,
        "http_p50_ms": http_p50,
        "http_p99_ms": percentile(latencies, 0.99),
        "unloaded_p50_ms": statistics.median(alone),
        "triage_p50_ms": local_p50,
        "triage_p99_ms": percentile(local, 0.99),
        "ratio_p50": http_p50 / local_p50,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(args.requests, args.threads, args.workers)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"{figures['requests']:,} POST /v1/decisions from {figures['threads']} threads, "
            f"{figures['workers']} worker(s): {figures['requests_per_s']:,.0f} requests/s "
            f"in {figures['seconds']:.2f} s; all 200: {figures['non_200'] == 0}"
        )
        print(
            f"HTTP latency   p50 {figures['http_p50_ms']:.2f} ms  "
            f"p99 {figures['http_p99_ms']:.2f} ms  "
            f"(one client alone: p50 {figures['unloaded_p50_ms']:.2f} ms)"
        )
        print(
            f"triage() here  p50 {figures['triage_p50_ms']:.3f} ms  "
            f"p99 {figures['triage_p99_ms']:.3f} ms"
        )
        print(f"HTTP p50 / in-process triage p50: {figures['ratio_p50']:.1f}x")
    return 0 if figures["non_200"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
