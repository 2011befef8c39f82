"""Web app under load: 20 concurrent clients on search and profile pages for 30 s.

The app runs as `microscout serve` in its own process on 127.0.0.1, on the 20,000-creator demo
(built into bench/data/web-home when missing, as `microscout demo` builds it). Clients are
asyncio tasks sharing one httpx connection pool, each sending its next request when the last one
answers (a closed loop). Half the requests are search pages (briefs drawn from a fixed list, with
the page's default 10k-50k follower range), half profile pages of random micro creators. The
baseline, measured in the same run and the same way, is a static file: the server and client's
own floor. Figures: p50/p95 latency and errors (any status other than 200, or no answer).
Usage: python bench/web.py [--home DIR] [--clients 20] [--seconds 30] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BRIEFS = (
    "gentle face serum and sunscreen for sensitive skin",
    "protein bars for people who lift weights",
    "cast iron pans for home cooks",
    "lightweight backpacks for travellers",
    "organic baby clothes for new parents",
    "healthy treats for dogs and cats",
    "sustainable clothing and everyday outfits",
    "handmade furniture and cosy home decor",
    "budgeting app for young people saving money",
    "gaming headset for streamers",
    "plant-based protein powder for vegans",
    "running shoes for marathon training",
)


def ensure_demo(home: Path, creators: int) -> None:
    if (home / "warehouse.duckdb").exists() and (home / "index" / "manifest.json").exists():
        return
    print(f"building the {creators:,}-creator demo in {home} (the text model takes a while)")
    env = {**os.environ, "MICROSCOUT_HOME": str(home)}
    subprocess.run(
        [str(Path(sys.executable).with_name("microscout")), "demo", "--creators", str(creators),
         "--no-serve"],
        env=env, check=True,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MICROSCOUT_HOME": str(home)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "microscout.web.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def profile_urls(base: str, n: int, rng: random.Random) -> list[str]:
    handles: list[str] = []
    offset = 0
    while len(handles) < 2_000:
        page = httpx.get(
            f"{base}/api/v1/creators",
            params={"tier": "micro", "limit": 200, "offset": offset, "sort": "followers"},
            timeout=30,
        ).json()
        handles += [f"/creators/{c['platform']}/{c['handle']}" for c in page["items"]]
        if page["next_offset"] is None:
            break
        offset = page["next_offset"]
    return rng.sample(handles, min(n, len(handles)))


def search_url(rng: random.Random) -> str:
    brief = rng.choice(BRIEFS)
    return str(
        httpx.URL(
            "/search",
            params={"brief": brief, "min_followers": "10000", "max_followers": "50000"},
        )
    )


async def load(
    base: str, urls: dict[str, list[str]], clients: int, seconds: float, seed: int
) -> dict[str, list[tuple[float, bool]]]:
    """Closed-loop clients for ``seconds``; per kind, (latency ms, ok) for every request."""
    results: dict[str, list[tuple[float, bool]]] = {kind: [] for kind in urls}
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one_client(i: int) -> None:
            rng = random.Random(seed + i)
            kinds = list(urls)
            while time.monotonic() < stop:
                kind = kinds[rng.randrange(len(kinds))]
                url = rng.choice(urls[kind])
                clock = time.perf_counter()
                try:
                    ok = (await client.get(url)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                results[kind].append(((time.perf_counter() - clock) * 1000, ok))

        await asyncio.gather(*(one_client(i) for i in range(clients)))
    return results


def summary(samples: list[tuple[float, bool]], seconds: float) -> dict[str, Any]:
    latencies = np.array([s[0] for s in samples]) if samples else np.array([np.nan])
    return {
        "requests": len(samples),
        "errors": sum(1 for _, ok in samples if not ok),
        "per_second": round(len(samples) / seconds, 1),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=HERE / "data" / "web-home")
    parser.add_argument("--creators", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    ensure_demo(args.home, args.creators)
    port = free_port()
    server = start_server(args.home, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(args.seed)
    try:
        pages = {
            "search": [search_url(rng) for _ in range(200)],
            "profile": profile_urls(base, 500, rng),
        }
        asyncio.run(load(base, pages, args.clients, 3.0, args.seed))  # warm-up, not counted
        measured = asyncio.run(load(base, pages, args.clients, args.seconds, args.seed + 1))
        floor = asyncio.run(
            load(base, {"static": ["/static/app.css"]}, args.clients, 5.0, args.seed + 2)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    everything = [s for samples in measured.values() for s in samples]
    result = {
        **summary(everything, args.seconds),
        "clients": args.clients, "seconds": args.seconds, "workers": args.workers,
        "creators": args.creators, "target_p95_ms": 200,
        "by_page": {kind: summary(s, args.seconds) for kind, s in measured.items()},
        "baseline_static": summary(floor["static"], 5.0),
    }  # fmt: skip
    table = Table(
        title=f"{args.clients} clients for {args.seconds:.0f} s, {args.workers} worker(s)"
    )
    for column in ("pages", "requests", "req/s", "errors", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "pages" else "right")
    rows = [("search + profile", result), *result["by_page"].items(),
            ("baseline: static file", result["baseline_static"])]  # fmt: skip
    for name, r in rows:
        table.add_row(name, f"{r['requests']:,}", f"{r['per_second']:.1f}", str(r["errors"]),
                      f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}")  # fmt: skip
    Console().print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
