"""Filtered semantic search on 1,000,000 creators: latency (warm) and recall@20 vs exact search.

Vectors are generated with cluster structure (not embedded, to keep the run short): 2,000 topic
centres on the unit sphere, each creator a centre plus noise, normalised. Filters mimic the
service: tier micro (~55%), and for half the queries a country (~9%) too. The ANN is faiss IVF
(inner product) with a bitmap selector; exact is a numpy product over the filtered rows. Embedding
throughput of the real model is measured separately on 2,000 short creator documents.
Usage: python bench/search.py [creators]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from microscout.adapters.text.embedder import Embedder
from microscout.adapters.text.index import AnnIndex, knn

RESULTS = Path(__file__).resolve().parent / "results"


def main(n: int = 1_000_000, queries: int = 200, dim: int = 384) -> None:
    rng = np.random.default_rng(42)
    centres = rng.standard_normal((2_000, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = centres[rng.integers(0, 2_000, n)] + 0.06 * rng.standard_normal((n, dim)).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    micro = rng.random(n) < 0.55
    country = rng.integers(0, 11, n)
    clock = time.perf_counter()
    ann = AnnIndex(vectors)
    build_s = time.perf_counter() - clock
    latencies, recalls = [], []
    for q in range(queries):
        query = centres[rng.integers(0, 2_000)] + 0.06 * rng.standard_normal(dim).astype(np.float32)
        query /= np.linalg.norm(query)
        mask = micro & (country == q % 11) if q % 2 else micro
        clock = time.perf_counter()
        _, got = knn(vectors, query, 20, mask, ann=ann, exact_max=100_000, nprobe=48)
        latencies.append((time.perf_counter() - clock) * 1000)
        _, truth = knn(vectors, query, 20, mask)
        recalls.append(len(set(got.tolist()) & set(truth.tolist())) / 20)
    warm = latencies[10:]
    embedder = Embedder(max_tokens=96)
    docs = [
        f"creator {i} . #skincare #spf #retinol . My AM routine with serum {i}" for i in range(500)
    ]
    clock = time.perf_counter()
    embedder.embed(docs)
    texts_per_s = len(docs) / (time.perf_counter() - clock)
    result = {
        "creators": n,
        "queries": queries,
        "nlist": ann.nlist,
        "nprobe": 48,
        "build_seconds": build_s,
        "p50_ms": float(np.percentile(warm, 50)),
        "p95_ms": float(np.percentile(warm, 95)),
        "recall_at_20": float(np.mean(recalls)),
        "embedding_texts_per_s": texts_per_s,
    }
    print(f"{'creators':>10} {'p50 ms':>8} {'p95 ms':>8} {'recall@20':>10} {'build s':>8}")
    print(
        f"{n:>10,} {result['p50_ms']:8.1f} {result['p95_ms']:8.1f} "
        f"{result['recall_at_20']:10.3f} {build_s:8.1f}"
    )
    print(f"embedding throughput (fp32, short documents): {texts_per_s:.0f} texts/s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
