"""Chart specifications: what a chart shows, independent of how it is drawn.

A :class:`Chart` is plain data (strings, numbers, ISO dates, None) so the same spec becomes a
Plotly figure in the browser and a PNG for reports (``microscout.adapters.render.charts``), and can
be sent as JSON. A chart with nothing to draw carries ``empty_reason``: pages show that sentence
instead of an empty frame. Formulas behind each chart: docs/charts.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

ChartKind = Literal["scatter", "line", "bar", "heatmap"]
AxisKind = Literal["date", "number", "category"]
ValueFormat = Literal["percent", "count", "usd", "ratio"]
SeriesMode = Literal["markers", "lines", "lines+markers"]
HighlightStyle = Literal["emphasis", "muted"]
Value = float | int | str | None

# Posts a profile's charts draw per creator: up to three windows' worth, so the window sits in
# its trend (and so many dated posts a creator view keeps).
MAX_POSTS_FACTOR = 3

KINDS = ("scatter", "line", "bar", "heatmap")
AXIS_KINDS = ("date", "number", "category")
FORMATS = ("percent", "count", "usd", "ratio")


@dataclass(frozen=True)
class Series:
    """One set of points. ``hover`` holds one line of text per point (formula and inputs).

    ``highlight`` marks points drawn apart from the rest (a follower spike, a post outside the
    scoring window); ``highlight_label`` names them in the legend and ``highlight_style`` says
    whether they stand out ("emphasis") or recede ("muted").
    """

    name: str
    x: tuple[Value, ...]
    y: tuple[float | None, ...]
    mode: SeriesMode = "markers"
    hover: tuple[str, ...] = ()
    highlight: tuple[bool, ...] = ()
    highlight_label: str = ""
    highlight_style: HighlightStyle = "emphasis"
    color: str | None = None
    symbol: str = "circle"
    size: int = 7

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y):
            raise ValueError(f"series {self.name!r}: x and y differ in length")
        for extra in (self.hover, self.highlight):
            if extra and len(extra) != len(self.x):
                raise ValueError(f"series {self.name!r}: hover/highlight must match the points")

    def highlighted(self, index: int) -> bool:
        return bool(self.highlight) and self.highlight[index]


@dataclass(frozen=True)
class ReferenceLine:
    """A straight line across the plot at ``value`` on ``axis`` ("x" or "y"), labelled."""

    axis: Literal["x", "y"]
    value: float | str
    label: str


@dataclass(frozen=True)
class Band:
    """A shaded span from ``low`` to ``high`` on ``axis``, labelled (e.g. the micro tier)."""

    axis: Literal["x", "y"]
    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Chart:
    """A chart spec. Axis labels carry their units; ``subtitle`` the sample size and window.

    Heatmaps use ``labels`` (rows and columns alike), ``z`` (None where nothing is shown, e.g.
    the diagonal) and ``z_text`` (the text written in each cell); ``series`` stays empty. The
    colour scale runs from 0 (lightest) to ``z_max`` (darkest), or to the largest value when
    ``z_max`` is None or smaller.
    ``x_format`` formats a numeric x axis the way ``y_format`` does the y axis.
    """

    id: str
    title: str
    subtitle: str
    kind: ChartKind
    x_label: str
    y_label: str
    x_kind: AxisKind
    y_format: ValueFormat
    series: tuple[Series, ...] = ()
    reference_lines: tuple[ReferenceLine, ...] = ()
    bands: tuple[Band, ...] = ()
    empty_reason: str | None = None
    x_format: ValueFormat | None = None
    labels: tuple[str, ...] = ()
    z: tuple[tuple[float | None, ...], ...] = ()
    z_text: tuple[tuple[str, ...], ...] = ()
    z_max: float | None = None
    # start the y axis at 0, so a rate or a reach is not magnified by a cropped axis
    y_zero: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r} is not one of {KINDS}")
        if self.x_kind not in AXIS_KINDS:
            raise ValueError(f"x_kind {self.x_kind!r} is not one of {AXIS_KINDS}")
        if self.y_format not in FORMATS or (self.x_format and self.x_format not in FORMATS):
            raise ValueError(f"formats must be among {FORMATS}")
        if self.kind == "heatmap" and len(self.z) != len(self.labels):
            raise ValueError("a heatmap needs one row of z per label")

    @property
    def is_empty(self) -> bool:
        return self.empty_reason is not None

    def z_top(self) -> float:
        """Where a heatmap's colour scale ends: ``z_max`` or the largest value, whichever is
        more (1 when there is nothing to scale)."""
        values = [v for row in self.z for v in row if v is not None]
        top = max([*values, self.z_max or 0.0], default=0.0)
        return top if top > 0 else 1.0

    def as_dict(self) -> dict[str, Any]:
        """The spec as JSON-able dicts and lists."""
        return asdict(self)


def empty_chart(
    chart_id: str,
    title: str,
    reason: str,
    *,
    kind: ChartKind = "scatter",
    x_label: str = "",
    y_label: str = "",
    x_kind: AxisKind = "number",
    y_format: ValueFormat = "count",
    subtitle: str = "",
) -> Chart:
    """A chart with nothing to draw and the sentence that says why."""
    return Chart(
        id=chart_id,
        title=title,
        subtitle=subtitle,
        kind=kind,
        x_label=x_label,
        y_label=y_label,
        x_kind=x_kind,
        y_format=y_format,
        empty_reason=reason,
    )


def median(values: list[float]) -> float | None:
    """The median (mean of the middle two for an even count); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


# Columns that hold US dollars, wherever they are shown (pages, the terminal).
MONEY_COLUMNS = frozenset({"fee_per_post", "fee_low", "fee_high", "cost", "fee", "cpm", "cpe"})


def money(value: float) -> str:
    """Dollars as people read them: cents below $10 (a CPE of $0.37 is not "$0"), whole above."""
    return f"${value:,.2f}" if abs(value) < 10 else f"${value:,.0f}"


def format_value(value: float | None, fmt: ValueFormat) -> str:
    """A value as a reader sees it: 3.2%, 12,400, $1,250, $0.37, 0.42; '—' when unknown."""
    if value is None:
        return "—"
    if fmt == "percent":
        return f"{value:.1%}" if abs(value) >= 0.001 or value == 0 else f"{value:.2%}"
    if fmt == "usd":
        return money(value)
    if fmt == "count":
        return f"{value:,.0f}"
    return f"{value:.2f}"


__all__ = [
    "AXIS_KINDS",
    "FORMATS",
    "KINDS",
    "MONEY_COLUMNS",
    "Band",
    "Chart",
    "ReferenceLine",
    "Series",
    "empty_chart",
    "format_value",
    "median",
    "money",
]
