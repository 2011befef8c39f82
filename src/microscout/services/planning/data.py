"""Reading what the planner needs from the warehouse: candidates' figures, fees, audience points."""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.planning import (
    audience_sample_ids,
    commenter_ids,
    creators_by_handle,
    pool_figures,
)
from microscout.config import Settings
from microscout.core.audience import (
    build_sketches,
    coordinated_points,
    hash_strings,
    model_points,
)
from microscout.core.audience.hashing import U64
from microscout.core.audience.sketch import Sketches
from microscout.core.handles import normalise_handle
from microscout.core.planning import engaged_share
from microscout.core.pricing import REFERENCE_ER, TierBounds, creator_fee
from microscout.errors import FileFormatError, NotFoundError

BASIS_SAMPLE, BASIS_COMMENTERS, BASIS_MODEL = "audience sample", "commenters", "model estimate"


def tier_bounds(settings: Settings) -> TierBounds:
    """The tier_* settings as the fee model's follower boundaries."""
    return TierBounds(
        settings.tier_nano_max,
        settings.tier_micro_max,
        settings.tier_mid_max,
        settings.tier_macro_max,
    )


def quote_key(key: str) -> str:
    """A quote's key as the pool looks it up: ``platform:handle`` or ``handle``, normalised."""
    platform, sep, handle = key.rpartition(":")
    return (
        f"{platform.strip().lower()}:{normalise_handle(handle)}" if sep else normalise_handle(key)
    )


@dataclass(frozen=True)
class Pool:
    """Candidates in rank order with everything the planner uses, as plain lists and arrays."""

    rows: list[dict[str, object]]
    followers: np.ndarray
    reach_rate: np.ndarray
    real_share: np.ndarray
    er: np.ndarray  # NaN when unknown
    fees: np.ndarray
    notes: list[list[str]]

    @property
    def n(self) -> int:
        return len(self.rows)


def candidate_rows(warehouse: Warehouse, keys: pa.Table) -> list[dict[str, Any]]:
    """Figures of the scored candidates in ``keys`` (platform, creator_id, relevance, reasons),
    in order, with what the plan's gates read; creators without a follower count included."""
    table = keys.append_column("rank", pa.array(np.arange(keys.num_rows), pa.int64()))
    rows: list[dict[str, Any]] = pool_figures(warehouse, table).to_pylist()
    return rows


def _reach_rate(row: Mapping[str, Any], settings: Settings, why: list[str]) -> float:
    rate = row["reach_rate"]
    if rate is None:
        why.append(f"reach rate unknown: assumed the reach gate {settings.reach_gate:.0%}")
        return min(settings.reach_gate, 1.0)
    return min(float(rate), 1.0)


def _real_share(row: Mapping[str, Any], why: list[str]) -> float:
    fake = row["fake_follower_share"]
    if fake is None:
        why.append("fake-follower share unknown: audience counted as all real")
    return 1.0 - float(fake or 0.0)


def _engagement(row: Mapping[str, Any], why: list[str]) -> float:
    er = row["er_median"]
    if er is None:
        typical = REFERENCE_ER.get(str(row["platform"]), REFERENCE_ER["other"])
        why.append(
            f"engagement rate unknown: engagements and CPE unknown; engaged people assume "
            f"the platform's typical {typical:.0%}"
        )
        return math.nan
    return float(er)


def build_pool(rows: list[dict[str, Any]], settings: Settings, quotes: Mapping[str, float]) -> Pool:
    """The planner's arrays for ``rows`` (each with a follower count; the gates leave the others
    out), in order. Unknown reach rates are taken as the reach gate, unknown fake-follower shares
    as 0 (all real), and both are noted; a quote replaces the fee."""
    quotes = {quote_key(k): float(v) for k, v in quotes.items()}
    bounds = tier_bounds(settings)
    n = len(rows)
    followers, reach, real, er, fees = (np.zeros(n) for _ in range(5))
    notes: list[list[str]] = []
    for idx, row in enumerate(rows):
        why: list[str] = []
        followers[idx] = float(row["followers"])
        reach[idx] = _reach_rate(row, settings, why)
        real[idx] = _real_share(row, why)
        er[idx] = _engagement(row, why)
        fee = creator_fee(
            str(row["platform"]),
            followers[idx],
            None if math.isnan(er[idx]) else er[idx],
            quote=quotes.get(f"{row['platform']}:{row['handle']}", quotes.get(str(row["handle"]))),
            stored=row["fee_per_post"],
            stored_basis=row["fee_basis"],
            tiers=bounds,
        )
        fees[idx], row["fee_basis"] = fee.per_post, fee.basis
        row["fee_per_post"] = float(fees[idx])
        notes.append(why)
    return Pool(rows, followers, reach, real, er, fees, notes)


def engaged_shares(pool: Pool) -> np.ndarray:
    """Each candidate's share of people reached who engage (core/planning/reach.engaged_share);
    an unknown engagement rate is taken as the platform's typical one (docs/pricing.md)."""
    out = np.zeros(pool.n)
    for i, row in enumerate(pool.rows):
        er = float(pool.er[i])
        if math.isnan(er):
            er = REFERENCE_ER.get(str(row["platform"]), REFERENCE_ER["other"])
        out[i] = engaged_share(er, float(pool.reach_rate[i]))
    return out


def resolve_handles(warehouse: Warehouse, handles: tuple[str, ...], option: str) -> pa.Table:
    """Keys of creators named by handle (``@`` optional, ``platform:handle`` to disambiguate)."""
    platforms, names = [], []
    for raw in handles:
        platform, sep, handle = raw.partition(":")
        if not sep:
            platform, handle = "", raw
        platforms.append(platform)
        names.append(normalise_handle(handle))
    found = creators_by_handle(warehouse, platforms, names)
    missing = sorted(set(names) - set(found.column("want_handle").to_pylist()))
    if missing:
        raise NotFoundError(f"{option}: no creator with the handle @{missing[0]}")
    return found.select(["platform", "creator_id"])


@dataclass(frozen=True)
class AudiencePoints:
    """Coordinated (candidate index, id hash) points, the full sketches, and each one's source."""

    owner: np.ndarray
    points: U64
    sketches: Sketches
    basis: list[str]


def audience_points(
    warehouse: Warehouse, pool: Pool, sketch_size: int, per_creator: int = 128
) -> AudiencePoints:
    """Audience sample ids, else commenters, else the model's synthetic points, per candidate."""
    keys = pa.table(
        {
            "idx": pa.array(np.arange(pool.n), pa.int64()),
            "platform": [r["platform"] for r in pool.rows],
            "creator_id": [r["creator_id"] for r in pool.rows],
        }
    )
    sample = audience_sample_ids(warehouse, keys)
    has_sample = np.zeros(pool.n, bool)
    has_sample[np.asarray(sample.column("idx"))] = True
    commenters = commenter_ids(warehouse, keys.filter(pa.array(~has_sample)))
    basis = [BASIS_SAMPLE if has else BASIS_MODEL for has in has_sample]
    owners = [np.asarray(sample.column("idx"), np.int64), np.asarray(commenters.column("idx"))]
    ids = [sample.column("id").to_numpy(), commenters.column("id").to_numpy()]
    for idx in set(owners[1].tolist()):
        basis[idx] = BASIS_COMMENTERS
    rest = [i for i, b in enumerate(basis) if b == BASIS_MODEL]
    o3, p3 = model_points(
        [f"{pool.rows[i]['platform']}:{pool.rows[i]['creator_id']}" for i in rest],
        [str(pool.rows[i]["platform"]) for i in rest],
        [str(pool.rows[i]["niche"] or "") or None for i in rest],
        [str(pool.rows[i]["country"] or "") or None for i in rest],
    )
    owner = np.concatenate([*owners, np.asarray(rest, np.int64)[o3]]).astype(np.int64)
    hashes = np.concatenate([hash_strings(ids[0]), hash_strings(ids[1]), p3])
    sketches = build_sketches(owner, hashes, pool.n, sketch_size)
    kept_owner, kept = coordinated_points(sketches, per_creator)
    return AudiencePoints(kept_owner, kept, sketches, basis)


def read_quotes(path: Path) -> dict[str, float]:
    """Fee quotes from a CSV: columns ``handle``, ``fee_per_post`` and optionally ``platform``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = set(reader.fieldnames or ())
            if not {"handle", "fee_per_post"} <= fields:
                raise FileFormatError(path, "needs the columns handle and fee_per_post")
            quotes: dict[str, float] = {}
            for line, row in enumerate(reader, start=2):
                name = normalise_handle(row["handle"] or "")
                try:
                    fee = float(row["fee_per_post"])
                except ValueError:
                    raise FileFormatError(
                        path, "fee_per_post is not a number", line=line, column="fee_per_post"
                    ) from None
                if not name or not math.isfinite(fee) or fee <= 0:
                    raise FileFormatError(path, "needs a handle and a fee above 0", line=line)
                platform = (row.get("platform") or "").strip().lower()
                quotes[f"{platform}:{name}" if platform else name] = fee
    except OSError as exc:
        raise FileFormatError(path, f"cannot be read: {exc.strerror}") from None
    return quotes


__all__ = [
    "BASIS_COMMENTERS",
    "BASIS_MODEL",
    "BASIS_SAMPLE",
    "AudiencePoints",
    "Pool",
    "audience_points",
    "build_pool",
    "candidate_rows",
    "engaged_shares",
    "read_quotes",
    "resolve_handles",
    "tier_bounds",
]
