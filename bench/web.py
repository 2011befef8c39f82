"""Web app under load: 20 concurrent clients on search and profile pages for 30 s.

The app runs under uvicorn in its own process on 127.0.0.1, on the 20,000-creator demo (built
into bench/data/web-home when missing, as `microscout demo` builds it). The load comes from wrk
(a C load generator, Debian's `wrk`; `make bench-web` installs it): 20 connections, each sending
its next request when the last one is answered (a closed loop), URLs drawn at random from a list:
half search pages (200 searches over 12 briefs with the page's default 10k-50k follower range),
half profile pages of 500 random micro creators. Each kind is then measured alone, and the
baseline - measured the same way in the same run - is a static file: the floor of server and
load generator on this machine. Figures: requests, p50/p95 latency, errors (a status >= 400 or a
socket error).
Usage: python bench/web.py [--home DIR] [--clients 20] [--seconds 30] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
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


def wrk(base: str, urls: list[str], clients: int, seconds: float, seed: int) -> dict[str, Any]:
    """Run wrk on ``urls`` and return its figures (latency in ms)."""
    RESULTS.mkdir(exist_ok=True)
    listing = RESULTS / "web-urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "10s",
               "-s", str(HERE / "web_load.lua"), base, "--", str(listing), str(seed)]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    duration = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "errors": figures["status_errors"] + figures["socket_errors"],
        "per_second": round(figures["requests"] / duration, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
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
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench-web` installs Debian's wrk")
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
        mixed = [u for kind in pages.values() for u in kind]
        wrk(base, mixed, args.clients, 3, args.seed)  # warm-up, not counted
        result: dict[str, Any] = wrk(base, mixed, args.clients, args.seconds, args.seed + 1)
        result["by_page"] = {
            kind: wrk(base, urls, args.clients, 10, args.seed + 2) for kind, urls in pages.items()
        }
        result["baseline_static"] = wrk(base, ["/static/app.css"], args.clients, 5, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(
        clients=args.clients, seconds=args.seconds, workers=args.workers,
        creators=args.creators, target_p95_ms=200, load_generator="wrk, 2 threads",
    )  # fmt: skip
    title = f"{args.clients} clients for {args.seconds:.0f} s, {args.workers} worker(s)"
    table = Table(title=title)
    for column in ("pages", "requests", "req/s", "errors", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "pages" else "right")
    rows = [("search + profile", result), *result["by_page"].items(),
            ("baseline: static file", result["baseline_static"])]  # fmt: skip
    for name, r in rows:
        table.add_row(name, f"{r['requests']:,}", f"{r['per_second']:.1f}", str(r["errors"]),
                      f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}")  # fmt: skip
    Console().print(table)
    (RESULTS / "web.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
