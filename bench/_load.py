"""A closed-loop HTTP/1.1 load generator that records every request's latency.

N keep-alive connections each send their next GET as soon as the last one is answered (a closed
loop, as N users clicking without pause), with URLs drawn at random from a list by a seeded RNG
per connection, or each asked for once in a seeded order (``unique``: first views). Each
request's time from writing it to reading the last byte of the answer is kept, so percentiles
are exact (nearest rank over all requests), not estimated from samples.

Why not wrk: Debian's wrk 4.1.0 reported latencies that cannot be true on a mixed load. Against a
server answering 90% of URLs at once and 10% after 200 ms, over one connection, it gave p75 =
117 ms; by its own request count and duration no more than 10% of requests can have taken 200 ms.
A plain client measured p75 = 0.8 ms on the same server (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvloop

TIMEOUT_S = 10.0


@dataclass
class LoadResult:
    latencies_ns: list[int] = field(default_factory=list)
    status_errors: int = 0
    socket_errors: int = 0
    seconds: float = 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the recorded latencies, in milliseconds."""
        return _nearest_rank_ms(sorted(self.latencies_ns), p)

    def figures(self) -> dict[str, Any]:
        requests = len(self.latencies_ns)
        ordered = sorted(self.latencies_ns)  # once for the three percentiles
        return {
            "requests": requests,
            "errors": self.status_errors + self.socket_errors,
            "per_second": round(requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(_nearest_rank_ms(ordered, 50), 1),
            "p95_ms": round(_nearest_rank_ms(ordered, 95), 1),
            "max_ms": round(_nearest_rank_ms(ordered, 100), 1),
        }


def _nearest_rank_ms(ordered: list[int], p: float) -> float:
    """The ceil(n * p / 100)-th smallest of sorted nanosecond latencies (at least the first), ms."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1] / 1e6


async def _read_answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked body); return its status."""
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while size := int((await reader.readline()).split(b";")[0], 16):
        await reader.readexactly(size + 2)  # the chunk and its CRLF
    await reader.readline()  # the CRLF after the last, empty chunk
    return status


async def _connection(
    host: str,
    port: int,
    urls: list[str],
    rng: random.Random,
    stop_at: float,
    out: LoadResult,
    unique: Iterator[str] | None,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop_at:
            url = rng.choice(urls) if unique is None else next(unique, None)
            if url is None:
                break  # every unique URL has been asked for once
            request = f"GET {url} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
            started = time.perf_counter_ns()
            try:
                writer.write(request)
                status = await asyncio.wait_for(_read_answer(reader), TIMEOUT_S)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                out.socket_errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            out.latencies_ns.append(time.perf_counter_ns() - started)
            if status >= 400:
                out.status_errors += 1
    finally:
        writer.close()


async def _run(
    host: str, port: int, urls: list[str], clients: int, seconds: float, seed: int, unique: bool
) -> LoadResult:
    out = LoadResult()
    started = time.monotonic()
    stop_at = started + seconds
    # Unique: the connections share one pass over the URLs in a seeded order, each URL once.
    order = random.Random(seed).sample(urls, len(urls)) if unique else None
    shared = iter(order) if order is not None else None
    await asyncio.gather(
        *(
            _connection(host, port, urls, random.Random(seed * 1_000 + i), stop_at, out, shared)
            for i in range(clients)
        )
    )
    out.seconds = time.monotonic() - started
    return out


def run_load(
    host: str,
    port: int,
    urls: list[str],
    clients: int,
    seconds: float,
    seed: int,
    *,
    unique: bool = False,
) -> LoadResult:
    """Drive ``clients`` connections for ``seconds`` over ``urls`` and return every latency.

    ``unique``: each URL is asked for once (first views), and the run ends early when all were.
    """
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(_run(host, port, urls, clients, seconds, seed, unique))
