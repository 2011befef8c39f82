"""Web app under load: 20 concurrent clients on search and profile pages.

The app runs under uvicorn in its own process on 127.0.0.1, on the 20,000-creator demo (built
into bench/data/web-home when missing, as `microscout demo` builds it; re-scored when kept). The
load comes from bench/_load.py, in this process: 20 keep-alive connections, each sending its next
request when the last one is answered (a closed loop). Every request's latency is kept, so
p50/p95 are exact. Errors: a status >= 400 or a socket error.

- **First views (the headline)**: the page cache off and every URL asked for once - 400 searches,
  each a different brief (a product for an audience) with the page's default 10k-50k range, and
  the profiles of up to 2,000 different micro creators - until they run out or the time ends.
  This is what users with their own briefs and filters see.
- **Repeat views**: URLs drawn at random from 200 searches over 12 briefs and 500 profiles, page
  cache on, for ``--seconds``; then each kind alone; then the same mix with the cache off.
- **Baseline**: a static file, measured the same way in the same run.

The server is `microscout serve` with its defaults (one process per core, at most 4) unless
``--workers`` says otherwise.

Usage: python bench/web.py [--home DIR] [--clients 20] [--seconds 30] [--workers 0]
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

from microscout.cli.web import worker_count
from microscout.config import load_settings

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
    """Build the demo home, or re-score a kept one (a no-op unless the code or model changed)."""
    env = {**os.environ, "MICROSCOUT_HOME": str(home)}
    cli = str(Path(sys.executable).with_name("microscout"))
    if (home / "warehouse.duckdb").exists():
        subprocess.run([cli, "score"], env=env, check=True)
        return
    print(f"building the {creators:,}-creator demo in {home}")
    subprocess.run([cli, "demo", "--creators", str(creators), "--no-serve"], env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    home: Path, port: int, workers: int, page_cache: bool = True
) -> subprocess.Popen[bytes]:
    """`microscout serve` on ``home``, as a user starts it (``workers`` 0: its default)."""
    env = {**os.environ, "MICROSCOUT_HOME": str(home), "MICROSCOUT_SERVE_WORKERS": str(workers)}
    if not page_cache:
        env["MICROSCOUT_WEB_PAGE_CACHE"] = "0"
    cli = str(Path(sys.executable).with_name("microscout"))
    server = subprocess.Popen([cli, "serve", "--port", str(port)], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def base_of(port: int) -> str:
    return f"http://127.0.0.1:{port}"


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


# First views: briefs made of a product and an audience, each asked for once.
PRODUCTS = (
    "a gentle cleanser",
    "protein snacks",
    "a carbon road bike",
    "a cast iron skillet",
    "a carry-on suitcase",
    "a baby carrier",
    "grain-free dog food",
    "vintage denim",
    "a linen sofa",
    "a budgeting app",
    "a mechanical keyboard",
    "oat milk",
    "trail shoes",
    "a yoga mat",
    "a mineral sunscreen",
    "a spice blend",
    "a travel insurance plan",
    "wooden toys",
    "a cat tree",
    "a smartwatch",
)
AUDIENCES = (
    "busy parents",
    "students on a budget",
    "weekend hikers",
    "new home owners",
    "people with sensitive skin",
    "home cooks",
    "first-time investors",
    "competitive gamers",
    "vegans",
    "dog owners",
    "city commuters",
    "marathon runners",
    "frequent flyers",
    "minimalists",
    "fashion lovers",
    "cat owners",
    "early risers",
    "remote workers",
    "young families",
    "fitness beginners",
)


def first_view_urls(profiles: list[str], rng: random.Random) -> list[str]:
    """Every search a different brief, every profile a different creator: no page seen twice."""
    searches = [
        str(
            httpx.URL(
                "/search",
                params={
                    "brief": f"{product} for {audience}",
                    "min_followers": "10000",
                    "max_followers": "50000",
                },
            )
        )
        for product in PRODUCTS
        for audience in AUDIENCES
    ]
    return rng.sample(searches + profiles, len(searches) + len(profiles))


def search_url(rng: random.Random) -> str:
    brief = rng.choice(BRIEFS)
    return str(
        httpx.URL(
            "/search",
            params={"brief": brief, "min_followers": "10000", "max_followers": "50000"},
        )
    )


def measure(
    port: int, urls: list[str], clients: int, seconds: float, seed: int, *, unique: bool = False
) -> dict[str, Any]:
    return run_load("127.0.0.1", port, urls, clients, seconds, seed, unique=unique).figures()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=HERE / "data" / "web-home")
    parser.add_argument("--creators", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--workers", type=int, default=0, help="server processes (0: the serve_workers default)"
    )
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    workers = worker_count(load_settings(serve_workers=args.workers))
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
    # The headline: first views. The page cache is off and every URL is asked for once (400
    # briefs, 2,000 creators), as users with their own briefs and filters see the app.
    port = free_port()
    server = start_server(args.home, port, args.workers, page_cache=False)
    try:
        firsts = first_view_urls(profile_urls(base_of(port), 2_000, rng), rng)
        # Every server process warms up (text model, vector index) on one search and one
        # profile, asked for over several connections so each process takes some.
        measure(port, [pages["search"][0], pages["profile"][0]], 4, 2, args.seed)
        result["first_view"] = measure(
            port, firsts, args.clients, args.seconds, args.seed + 3, unique=True
        )
        result["no_page_cache"] = measure(port, mixed, args.clients, args.seconds, args.seed + 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(
        clients=args.clients,
        seconds=args.seconds,
        workers=workers,
        creators=args.creators,
        target_p95_ms=200,
        load_generator="bench/_load.py",
    )
    title = f"{args.clients} clients for {args.seconds:.0f} s, {workers} server process(es)"
    table = Table(title=title)
    for column in ("pages", "requests", "req/s", "errors", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column, justify="left" if column == "pages" else "right")
    result["repeat_view"] = {"p95_ms": result["p95_ms"], "errors": result["errors"]}
    result.update(
        {
            "first_view.p95_ms": result["first_view"]["p95_ms"],
            "first_view.errors": result["first_view"]["errors"],
            "repeat_view.p95_ms": result["p95_ms"],
        }
    )
    rows = [
        ("first views (unique URLs, page cache off)", result["first_view"]),
        ("repeat views: search + profile", result),
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
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
