"""Campaign rules with no store behind them: the status pipeline, tracking codes and links, the
report's formulas (docs/campaigns.md)."""

from microscout.core.campaigns.figures import CreatorResult, Totals, ratio, totals_of
from microscout.core.campaigns.pipeline import (
    DECLINED,
    PIPELINE,
    STATUSES,
    move_problem,
    normal_status,
)
from microscout.core.campaigns.tracking import (
    CODE_ALPHABET,
    is_bot,
    link_code,
    promo_code,
    utm_link,
    visitor_key,
)

__all__ = [
    "CODE_ALPHABET",
    "DECLINED",
    "PIPELINE",
    "STATUSES",
    "CreatorResult",
    "Totals",
    "is_bot",
    "link_code",
    "move_problem",
    "normal_status",
    "promo_code",
    "ratio",
    "totals_of",
    "utm_link",
    "visitor_key",
]
