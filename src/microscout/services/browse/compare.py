"""Compare 2–6 creators side by side: their key figures and their audience overlap matrix.

Each figure comes from ``creator_scores`` with its meaning, sample size and window exactly as the
profile card shows them
(:func:`microscout.services.browse.creators.explained_scores`), and a reason when it is missing.
The overlap matrix is the pairwise Jaccard similarity of the creators' audiences,
estimated from the same MinHash sketches the planner uses (audience samples, else commenters);
where the two creators' audiences were not measured the same way, the cell holds the documented
model estimate (``core.audience.model.model_jaccard``) and says so in ``basis``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from microscout.adapters.text.taxonomy import packaged_taxonomy
from microscout.adapters.warehouse import Warehouse
from microscout.adapters.warehouse.browse import score_row
from microscout.config import Settings
from microscout.core.audience import jaccard_matrix, model_jaccard
from microscout.core.authenticity.quality import NOT_VETTED
from microscout.core.charts import Chart, format_value
from microscout.errors import ParameterError
from microscout.services.browse.creators import explained_scores, find_creator, split_key
from microscout.services.browse.labels import label_of
from microscout.services.charts.profile import overlap_chart
from microscout.services.charts.results import NO_SHARED_PLATFORM
from microscout.services.planning.data import (
    BASIS_COMMENTERS,
    BASIS_SAMPLE,
    Pool,
    audience_points,
)

MIN_CREATORS, MAX_CREATORS = 2, 6
# The figures shown per creator, in order, with a reader's label.
KEY_FIGURES = tuple(
    (name, label_of(name).text)
    for name in (
        "followers",
        "tier",
        "er_median",
        "reach_rate",
        "passes_reach_gate",
        "posts_per_week",
        "growth_30d",
        "audience_quality",
        "authenticity_verdict",
        "niche_primary",
        "fee_per_post",
    )
)
# Sample sizes of the later scoring stages' columns, which SAMPLE_SIZE does not list.
_STAGE_SAMPLE = MappingProxyType(
    {
        "audience_quality": "audience_sample_n",
        "authenticity_verdict": "audience_sample_n",
        "niche_primary": "niche_posts_n",
    }
)
_STAGE_MISSING = MappingProxyType(
    {
        "audience_quality": "not computed: the authenticity scoring stage has not run",
        "authenticity_verdict": "not computed: the authenticity scoring stage has not run",
        "niche_primary": "no niche: no recent post matched a niche term, or no niche stage ran",
        "fee_per_post": "not computed: the pricing scoring stage has not run",
    }
)
# A missing figure borrows the reason stored for the metric it derives from.
_REASON_OF = MappingProxyType({"passes_reach_gate": "reach_rate", "tier": "tier"})
_FORMATS = MappingProxyType(
    {
        "followers": "count",
        "er_median": "percent",
        "reach_rate": "percent",
        "growth_30d": "percent",
        "fee_per_post": "usd",
        "posts_per_week": "ratio",
    }
)
BASIS_LABELS = MappingProxyType({BASIS_SAMPLE: "sample", BASIS_COMMENTERS: "commenters"})
MODEL = "model"


@dataclass(frozen=True)
class Figure:
    """One key figure of one creator, with what a reader needs to trust it."""

    name: str
    label: str
    value: Any
    display: str
    meaning: str
    sample_size: int | None
    sample_column: str | None
    window: str | None
    missing: str | None


@dataclass(frozen=True)
class ComparedCreator:
    platform: str
    creator_id: str
    handle: str
    label: str
    display_name: str | None
    scored: bool
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Comparison:
    """Creators side by side and their pairwise audience overlap.

    ``overlap[i][j]`` is the Jaccard similarity of creators i and j (1 on the diagonal), None
    when the two are on different platforms; ``basis[i][j]`` says what it rests on: "sample"
    (both audience samples), "commenters" (both measured from commenters), "model" (the model
    estimate), "no shared platform" (no number: audiences on two platforms cannot be matched)
    or "self" on the diagonal.
    ``audience_n[i]`` is the number of sampled ids behind creator i's sketch (0 for the model).
    """

    creators: tuple[ComparedCreator, ...]
    overlap: tuple[tuple[float | None, ...], ...]
    basis: tuple[tuple[str, ...], ...]
    audience_n: tuple[int, ...]
    notes: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.creators)

    def overlap_chart(self) -> Chart:
        """The overlap matrix as a heatmap spec (services.charts.overlap_chart)."""
        return overlap_chart(self.labels, self.overlap, self.basis)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: creators with their figures, the overlap matrix and its basis."""
        out = asdict(self)
        out["labels"] = list(self.labels)
        return out


def _resolve(warehouse: Warehouse, handles: list[str]) -> list[dict[str, Any]]:
    if not MIN_CREATORS <= len(handles) <= MAX_CREATORS:
        raise ParameterError(
            "handles",
            f"give {MIN_CREATORS} to {MAX_CREATORS} creators to compare, not {len(handles)}",
        )
    creators: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for raw in handles:
        platform, handle = split_key(raw)
        found = find_creator(warehouse, handle, platform)
        key = (str(found["platform"]), str(found["creator_id"]))
        if key in seen:
            raise ParameterError("handles", f"@{found['handle']} on {key[0]} is listed twice")
        seen.add(key)
        creators.append(found)
    return creators


def _display(name: str, value: Any, missing: str | None = None) -> str:
    if value is None:
        return NOT_VETTED if (missing or "").startswith(NOT_VETTED) else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "niche_primary":
        # the name for people; the id is in the figure's meaning, shown on hover
        return packaged_taxonomy().name(str(value)) or str(value)
    if name == "audience_quality":
        return f"{value:.0f} / 100"
    fmt = _FORMATS.get(name)
    if fmt == "percent" or fmt == "usd" or fmt == "count":
        return format_value(float(value), fmt)  # type: ignore[arg-type]
    if fmt == "ratio":
        return f"{value:.1f}"
    return str(value)


def _unvetted(name: str, scores: dict[str, Any]) -> str | None:
    """Why a creator not vetted has no audience quality: its stored not_vetted reason."""
    if name != "audience_quality" or scores.get("authenticity_verdict") != NOT_VETTED:
        return None
    for reason in json.loads(scores.get("audience_quality_reasons") or "[]"):
        if reason.get("code") == "not_vetted":
            return f"{NOT_VETTED}: {reason['message']}"
    return f"{NOT_VETTED}: no signal could be checked"


def _null_reasons(scores: dict[str, Any]) -> dict[str, str]:
    out = {}
    for part in scores.get("null_reasons") or []:
        name, sep, why = part.partition(": ")
        if sep:
            out[name] = why
    return out


def _figures(scores: dict[str, Any] | None, settings: Settings) -> tuple[Figure, ...]:
    if scores is None:
        return tuple(
            Figure(
                name,
                label,
                None,
                "—",
                "",
                None,
                None,
                None,
                "not scored yet: run `microscout score`",
            )
            for name, label in KEY_FIGURES
        )
    explained = {e.name: e for e in explained_scores(scores)}
    reasons = _null_reasons(scores)
    out = []
    for name, label in KEY_FIGURES:
        e = explained[name]
        sample_column = e.sample_column or _STAGE_SAMPLE.get(name)
        n = scores.get(sample_column) if sample_column else None
        meaning = e.meaning
        if name == "passes_reach_gate":
            meaning = f"reach_rate ≥ {settings.reach_gate:.0%} (the reach_gate setting)."
        if name == "fee_per_post" and scores.get("fee_basis"):
            meaning += f" Basis: {scores['fee_basis']}."
        if name == "niche_primary" and e.value is not None:
            meaning += f" IAB Content Taxonomy 3.1 id {e.value}."
        missing = None
        if e.value is None:
            missing = (
                _unvetted(name, scores)
                or reasons.get(_REASON_OF.get(name, name))
                or _STAGE_MISSING.get(name, "not computed by the latest scoring run")
            )
        out.append(
            Figure(
                name,
                label,
                e.value,
                _display(name, e.value, missing),
                meaning,
                None if n is None else int(n),
                sample_column,
                e.window,
                missing,
            )
        )
    return tuple(out)


def _overlap(
    warehouse: Warehouse, settings: Settings, rows: list[dict[str, Any]]
) -> tuple[list[list[float | None]], list[list[str]], list[int]]:
    n = len(rows)
    pool = Pool(
        rows=[dict(r) for r in rows],
        followers=np.zeros(n),
        reach_rate=np.zeros(n),
        real_share=np.ones(n),
        er=np.zeros(n),
        fees=np.zeros(n),
        notes=[[] for _ in rows],
    )
    points = audience_points(
        warehouse, pool, settings.plan_sketch_size, settings.plan_points_per_creator
    )
    measured = jaccard_matrix(points.sketches, list(range(n)))
    matrix: list[list[float | None]] = [[1.0] * n for _ in range(n)]
    basis = [["self"] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            if rows[i]["platform"] != rows[j]["platform"]:
                matrix[i][j], basis[i][j] = None, NO_SHARED_PLATFORM
                continue
            a, b = points.basis[i], points.basis[j]
            if a == b and a in BASIS_LABELS:
                matrix[i][j], basis[i][j] = float(measured[i, j]), BASIS_LABELS[a]
                continue
            # Different measurements (or none) are not comparable id sets: use the model.
            same_niche = bool(rows[i]["niche"]) and rows[i]["niche"] == rows[j]["niche"]
            same_country = bool(rows[i]["country"]) and rows[i]["country"] == rows[j]["country"]
            matrix[i][j], basis[i][j] = model_jaccard(same_niche, same_country), MODEL
    sizes = [
        int(points.sketches.distinct[i]) if points.basis[i] in BASIS_LABELS else 0 for i in range(n)
    ]
    return matrix, basis, sizes


def compare(warehouse: Warehouse, settings: Settings, handles: list[str]) -> Comparison:
    """Compare 2–6 distinct creators (``@handle`` or ``platform:handle``) side by side."""
    found = _resolve(warehouse, handles)
    handles_seen = [str(c["handle"]) for c in found]
    compared, overlap_rows = [], []
    for c in found:
        row = score_row(warehouse, str(c["platform"]), str(c["creator_id"]))
        duplicate_handle = handles_seen.count(str(c["handle"])) > 1
        label = f"@{c['handle']}" + (f" ({c['platform']})" if duplicate_handle else "")
        compared.append(
            ComparedCreator(
                str(c["platform"]),
                str(c["creator_id"]),
                str(c["handle"]),
                label,
                c.get("display_name"),
                row is not None,
                _figures(row, settings),
            )
        )
        niche = (row or {}).get("niche_primary") or str(c.get("niches") or "").split("|")[0]
        overlap_rows.append(
            {
                "platform": c["platform"],
                "creator_id": c["creator_id"],
                "niche": niche or None,
                "country": c.get("country"),
            }
        )
    matrix, basis, sizes = _overlap(warehouse, settings, overlap_rows)
    notes = [
        "overlap = Jaccard similarity: shared / combined audience, estimated from MinHash "
        f"sketches of {settings.plan_sketch_size} ids (docs/planning.md)",
    ]
    if any(MODEL in row for row in basis):
        notes.append(
            "cells marked 'model' are the documented model estimate (same platform and niche: "
            f"{model_jaccard(True, False):.0%}, also same country: "
            f"{model_jaccard(True, True):.0%}), not a measurement"
        )
    if any(NO_SHARED_PLATFORM in row for row in basis):
        notes.append(
            "creators on different platforms have no overlap figure: their audiences are "
            "different accounts, so no follower or commenter can be matched across them"
        )
    unscored = [c.label for c in compared if not c.scored]
    if unscored:
        notes.append(f"not scored yet: {', '.join(unscored)} (run `microscout score`)")
    return Comparison(
        creators=tuple(compared),
        overlap=tuple(tuple(r) for r in matrix),
        basis=tuple(tuple(r) for r in basis),
        audience_n=tuple(sizes),
        notes=tuple(notes),
    )


__all__ = ["KEY_FIGURES", "ComparedCreator", "Comparison", "Figure", "compare"]
