"""The parameters that shape the metrics, separate from Settings so core stays framework-free."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class MetricParams:
    tier_nano_max: int = 10_000
    tier_micro_max: int = 50_000
    tier_mid_max: int = 500_000
    tier_macro_max: int = 1_000_000
    window_days: int = 180
    window_max_posts: int = 30
    reach_gate: float = 0.10
    ci_confidence: float = 0.95
    spike_ratio: float = 5.0
    spike_min_share: float = 0.02
    # A fixed end of the engagement window (naive UTC); None anchors each creator at their
    # latest post, so years-old datasets still get a window.
    as_of: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        return out
