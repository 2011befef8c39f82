"""Web app under load: 20 concurrent clients on search and profile pages for 30 s.

The app runs under uvicorn in its own process on 127.0.0.1, on the 20,000-creator demo (built
into bench/data/web-home when missing, as `microscout demo` builds it). The load comes from
bench/_load.py, in this process: 20 keep-alive connections, each sending its next request when
the last one is answered (a closed loop), URLs drawn at random from a list: half search pages
(200 searches over 12 briefs with the page's default 10k-50k follower range), half profile pages
of 500 random micro creators. Every request's latency is kept, so p50/p95 are exact. Each kind
is then measured alone, and the baseline - measured the same way in the same run - is a static
file. Last, the mixed load runs again on a server started with the page cache off, so that every
view is rendered: the worst case, where no page has been seen before. Figures: requests,
p50/p95/max latency, errors (a status >= 400 or a socket error).
Usage: python bench/web.py [--home DIR] [--clients 20] [--seconds 30] [--workers 1]
"""

from __future__ import annotations

import argparse
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
from _load import run_load
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
        [
            str(Path(sys.executable).with_name("microscout")),
            "demo",
            "--creators",
            str(creators),
            "--no-serve",
        ],
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    home: Path, port: int, workers: int, page_cache: bool = True
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MICROSCOUT_HOME": str(home)}
    if not page_cache:
        env["MICROSCOUT_WEB_PAGE_CACHE"] = "0"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "microscout.web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
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


def measure(port: int, urls: list[str], clients: int, seconds: float, seed: int) -> dict[str, Any]:
    return run_load("127.0.0.1", port, urls, clients, seconds, seed).figures()


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
        mixed = [u for kind in pages.values() for u in kind]
        measure(port, mixed, args.clients, 3, args.seed)  # warm-up, not counted
        result: dict[str, Any] = measure(port, mixed, args.clients, args.seconds, args.seed + 1)
        result["by_page"] = {
            kind: measure(port, urls, args.clients, 10, args.seed + 2)
            for kind, urls in pages.items()
        }
        result["baseline_static"] = measure(port, ["/static/app.css"], args.clients, 5, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The same mixed load with the page cache off: every view is rendered, the worst case.
    port = free_port()
    server = start_server(args.home, port, args.workers, page_cache=False)
    try:
        measure(port, mixed, args.clients, 3, args.seed)
        result["no_page_cache"] = measure(port, mixed, args.clients, args.seconds, args.seed + 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        creators=args.creators,
        target_p95_ms=200,
        load_generator="bench/_load.py",
    )
    title = f"{args.clients} clients for {args.seconds:.0f} s, {args.workers} worker(s)"
    table = Table(title=title)
    for column in ("pages", "requests", "req/s", "errors", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column, justify="left" if column == "pages" else "right")
    rows = [
        ("search + profile", result),
        *result["by_page"].items(),
        ("search + profile, page cache off", result["no_page_cache"]),
        ("baseline: static file", result["baseline_static"]),
    ]
    for name, r in rows:
        table.add_row(
            name,
            f"{r['requests']:,}",
            f"{r['per_second']:.1f}",
            str(r["errors"]),
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['max_ms']:.0f}",
        )
    Console().print(table)
    (RESULTS / "web.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
