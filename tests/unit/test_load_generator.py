"""bench/_load.py keeps every request's latency: on a server whose slow answers are a known
share, its percentiles fall on the right side of that share (wrk's did not)."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _load import run_load

SLOW_S = 0.15


async def toy_app(scope: Any, receive: Any, send: Any) -> None:
    """Answers /slow* after SLOW_S seconds and anything else at once; /missing is a 404."""
    if scope["type"] != "http":
        return
    if scope["path"].startswith("/slow"):
        await asyncio.sleep(SLOW_S)
    status = 404 if scope["path"] == "/missing" else 200
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"x" * 20_000})


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = int(s.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(toy_app, host="127.0.0.1", port=free, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the toy server did not start in time"
        assert thread.is_alive(), "the toy server stopped before it started"
        time.sleep(0.05)
    yield free
    server.should_exit = True
    thread.join(timeout=10)


def test_latencies_are_per_request_so_percentiles_split_fast_from_slow(port: int) -> None:
    # One slow URL in four, over one connection: every answer is either immediate or takes
    # SLOW_S, so a true per-request record has (almost) nothing in between - wrk's had.
    urls = ["/fast1", "/fast2", "/fast3", "/slow"]
    result = run_load("127.0.0.1", port, urls, clients=1, seconds=3, seed=7)
    n = len(result.latencies_ns)
    slow = sum(1 for ns in result.latencies_ns if ns >= SLOW_S * 0.9e9)  # timers may wake early
    between = sum(1 for ns in result.latencies_ns if SLOW_S * 0.3e9 <= ns < SLOW_S * 0.9e9)
    assert 0.05 < slow / n < 0.5
    assert between <= max(1, n // 100)
    # nearest rank: p is a fast answer while ceil(n * p / 100) <= the number of fast answers
    for p in (50, 60, 70, 80, 90, 95, 99):
        fast_rank = -(-n * p // 100) <= sum(1 for ns in result.latencies_ns if ns < SLOW_S * 0.5e9)
        assert (result.percentile_ms(p) < SLOW_S * 500) == fast_rank, p
    figures = result.figures()
    assert figures["errors"] == 0
    assert figures["requests"] == n


def test_error_statuses_are_counted(port: int) -> None:
    result = run_load("127.0.0.1", port, ["/fast", "/missing"], clients=2, seconds=1, seed=1)
    assert 0 < result.status_errors < len(result.latencies_ns)
