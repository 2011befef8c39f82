"""Draw a chart spec two ways: a Plotly figure dict for the browser, a PNG for reports.

Both renderers draw the same things from one :class:`~microscout.core.charts.Chart`: the title
and subtitle (sample size, window), axis titles with units, percent/dollar tick formats, the
reference lines and shaded bands with their labels, and highlighted points in their own colour
and legend entry. An empty chart becomes its ``empty_reason`` written where the plot would be.
``to_plotly`` needs no plotly import (the dict goes to ``Plotly.newPlot`` as JSON); ``to_png``
uses matplotlib's Agg canvas without pyplot, so it keeps no global figure state.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime
from typing import Any

from microscout.core.charts import Chart, Series, ValueFormat, format_value

PALETTE = ("#1f6feb", "#1a7f37", "#8250df", "#9a6700", "#0a7f8a", "#bf3989")
# Heatmaps: ColorBrewer's sequential Blues, light for little and dark for much, written out so
# the browser and the PNG draw the same order (Plotly's own "Blues" runs the other way).
HEATMAP_SCALE = (
    "#f7fbff",
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)
# A heatmap cell with no value (the diagonal, a pair with no figure): flat grey, never a colour
# of the scale, so it cannot be read as a measured 0.
NO_VALUE = "#e1e4e8"
EMPHASIS = "#cf222e"
MUTED = "#9aa4ae"
REFERENCE = "#57606a"
BAND = "#2da44e"
_PLOTLY_SYMBOLS = {
    "circle": "circle",
    "square": "square",
    "diamond": "diamond",
    "triangle-up": "triangle-up",
}
_MPL_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle-up": "^"}


def _color(series: Series, index: int) -> str:
    return series.color or PALETTE[index % len(PALETTE)]


def _highlight_color(series: Series) -> str:
    return EMPHASIS if series.highlight_style == "emphasis" else MUTED


def _highlight_name(series: Series) -> str:
    return series.highlight_label or f"{series.name} (highlighted)"


# -- Plotly -----------------------------------------------------------------------------------
def _plotly_axis(label: str, kind: str, fmt: ValueFormat | None) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "title": {"text": label},
        "type": {"date": "date", "number": "linear", "category": "category"}[kind],
        "automargin": True,
        "zeroline": False,
    }
    if fmt == "percent":
        axis["tickformat"] = ".1%"
    elif fmt == "usd":
        axis.update(tickprefix="$", tickformat=",.0f")
    elif fmt == "count":
        axis["tickformat"] = ",.0f"
    elif fmt == "ratio":
        axis["tickformat"] = ".2f"
    return axis


def _plotly_trace(chart: Chart, series: Series, points: list[int], **style: Any) -> dict[str, Any]:
    bar = chart.kind == "bar"
    trace: dict[str, Any] = {
        "type": "bar" if bar else "scatter",
        "x": [series.x[i] for i in points],
        "y": [series.y[i] for i in points],
        "hovertext": [series.hover[i] for i in points] if series.hover else None,
        "hovertemplate": "%{hovertext}<extra></extra>" if series.hover else None,
    }
    if bar:
        style.pop("line", None)
    else:
        trace["mode"] = style.pop("mode", series.mode)
    trace.update(style)
    return {k: v for k, v in trace.items() if v is not None}


def _plotly_series(chart: Chart) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = []
    for index, series in enumerate(chart.series):
        color = _color(series, index)
        everything = list(range(len(series.x)))
        marked = [i for i in everything if series.highlighted(i)]
        # A line keeps every point (a gap would misstate the trend); scattered points are split
        # so the highlighted ones get their own colour and legend entry.
        main = (
            everything
            if "lines" in series.mode or chart.kind == "bar"
            else [i for i in everything if not series.highlighted(i)]
        )
        marker = {
            "color": color,
            "size": series.size,
            "symbol": _PLOTLY_SYMBOLS.get(series.symbol, "circle"),
        }
        if chart.kind == "bar":
            marker = {
                "color": [
                    _highlight_color(series) if series.highlighted(i) else color for i in everything
                ]
            }
        data.append(
            _plotly_trace(
                chart,
                series,
                main,
                name=series.name,
                marker=marker,
                line={"color": color, "width": 2},
            )
        )
        if marked and chart.kind != "bar":
            data.append(
                _plotly_trace(
                    chart,
                    series,
                    marked,
                    name=_highlight_name(series),
                    mode="markers",
                    marker={
                        "color": _highlight_color(series),
                        "size": series.size + 4,
                        "symbol": "circle-open" if series.highlight_style == "muted" else "circle",
                        "line": {"width": 2, "color": _highlight_color(series)},
                    },
                )
            )
    return data


def _plotly_heatmap(chart: Chart) -> list[dict[str, Any]]:
    """The measured cells on an ordered light-to-dark scale with their text inside, and on top
    the cells without a value (the diagonal, pairs with no figure) in flat grey with theirs."""
    text = [[t.replace("\n", "<br>") for t in row] for row in chart.z_text]
    if not text:
        text = [[format_value(v, chart.y_format) for v in row] for row in chart.z]
    labels = list(chart.labels)
    shared = {
        "x": labels,
        "y": labels,
        "texttemplate": "%{text}",
        "hovertemplate": "%{y} × %{x}: %{text}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }
    measured = {
        **shared,
        "type": "heatmap",
        "z": [list(row) for row in chart.z],
        "text": [
            [t if v is not None else "" for v, t in zip(zr, tr, strict=True)]
            for zr, tr in zip(chart.z, text, strict=True)
        ],
        "colorscale": _plotly_scale(HEATMAP_SCALE),
        "zmin": 0.0,
        "zmax": chart.z_top(),
        "colorbar": {"tickformat": ".0%", "title": {"text": chart.y_label}},
    }
    blank = {
        **shared,
        "type": "heatmap",
        "z": [[0.0 if v is None else None for v in row] for row in chart.z],
        "text": [
            [t if v is None else "" for v, t in zip(zr, tr, strict=True)]
            for zr, tr in zip(chart.z, text, strict=True)
        ],
        "colorscale": [[0.0, NO_VALUE], [1.0, NO_VALUE]],
        "showscale": False,
        "textfont": {"color": REFERENCE},
    }
    return [measured, blank]


def _plotly_scale(stops: tuple[str, ...]) -> list[list[float | str]]:
    """Evenly spaced colour stops as Plotly writes a colour scale."""
    last = len(stops) - 1
    return [[i / last, color] for i, color in enumerate(stops)]


def _span(on_y: bool, low: Any, high: Any) -> dict[str, Any]:
    """Where a band or line sits: from ``low`` to ``high`` on its axis, across the whole plot."""
    return {
        "xref": "paper" if on_y else "x",
        "yref": "y" if on_y else "paper",
        "x0": 0 if on_y else low,
        "x1": 1 if on_y else high,
        "y0": low if on_y else 0,
        "y1": high if on_y else 1,
    }


def _plotly_shapes(chart: Chart) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for band in chart.bands:
        on_y = band.axis == "y"
        shapes.append(
            {
                "type": "rect",
                "layer": "below",
                "line": {"width": 0},
                "fillcolor": BAND,
                "opacity": 0.12,
                **_span(on_y, band.low, band.high),
            }
        )
        notes.append(
            {
                "text": band.label,
                "showarrow": False,
                "font": {"size": 11, "color": BAND},
                "xref": "paper" if on_y else "x",
                "yref": "y" if on_y else "paper",
                "x": 0 if on_y else band.low,
                "y": band.high if on_y else 1,
                "xanchor": "left",
                "yanchor": "top",
            }
        )
    for line in chart.reference_lines:
        on_y = line.axis == "y"
        shapes.append(
            {
                "type": "line",
                "line": {"color": REFERENCE, "width": 1.5, "dash": "dash"},
                **_span(on_y, line.value, line.value),
            }
        )
        notes.append(
            {
                "text": line.label,
                "showarrow": False,
                "font": {"size": 11, "color": REFERENCE},
                "xref": "paper" if on_y else "x",
                "yref": "y" if on_y else "paper",
                "x": 1 if on_y else line.value,
                "y": line.value if on_y else 1,
                "xanchor": "right" if on_y else "left",
                "yanchor": "bottom" if on_y else "top",
            }
        )
    return shapes, notes


def to_plotly(chart: Chart) -> dict[str, Any]:
    """A ``{"data": [...], "layout": {...}}`` figure for ``Plotly.newPlot`` (JSON-able)."""
    title = chart.title + (f"<br><sup>{chart.subtitle}</sup>" if chart.subtitle else "")
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "xaxis": _plotly_axis(chart.x_label, chart.x_kind, chart.x_format),
        "yaxis": _plotly_axis(chart.y_label, "number", chart.y_format),
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"t": 80, "r": 20, "b": 60, "l": 70},
        "template": None,
    }
    layout = {k: v for k, v in layout.items() if v is not None}
    if chart.empty_reason is not None:
        layout["xaxis"] = {"visible": False}
        layout["yaxis"] = {"visible": False}
        layout["annotations"] = [
            {
                "text": chart.empty_reason,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14},
            }
        ]
        return {"data": [], "layout": layout}
    if chart.kind == "heatmap":
        # automargin: the creators' names on top and at the left get the room they need
        layout["xaxis"] = {
            "title": {"text": chart.x_label},
            "type": "category",
            "side": "top",
            "automargin": True,
        }
        # the colour bar carries y_label (the cell value); rows are the same creators as columns
        layout["yaxis"] = {"type": "category", "autorange": "reversed", "automargin": True}
        return {"data": _plotly_heatmap(chart), "layout": layout}
    shapes, notes = _plotly_shapes(chart)
    layout["shapes"] = shapes
    layout["annotations"] = notes
    if chart.y_zero:
        layout["yaxis"]["rangemode"] = "tozero"
    layout["showlegend"] = len(chart.series) > 1 or any(s.highlight for s in chart.series)
    return {"data": _plotly_series(chart), "layout": layout}


# -- PNG (matplotlib) -------------------------------------------------------------------------
def _x_values(chart: Chart, values: tuple[Any, ...] | list[Any]) -> list[Any]:
    if chart.x_kind == "date":
        return [datetime.fromisoformat(str(v)) if v is not None else None for v in values]
    return list(values)


def _formatter(fmt: ValueFormat | None) -> Any:
    from matplotlib.ticker import FuncFormatter

    if fmt is None:
        return None
    return FuncFormatter(lambda value, _pos: format_value(value, fmt))


def _draw_series(ax: Any, chart: Chart) -> None:
    for index, series in enumerate(chart.series):
        color = _color(series, index)
        xs = _x_values(chart, series.x)
        ys = [float("nan") if v is None else v for v in series.y]
        everything = range(len(xs))
        marked = [i for i in everything if series.highlighted(i)]
        if chart.kind == "bar":
            colors = [
                _highlight_color(series) if series.highlighted(i) else color for i in everything
            ]
            ax.bar([str(x) for x in xs], ys, color=colors, label=series.name)
            ax.tick_params(axis="x", labelrotation=30)
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("right")
            continue
        marker = _MPL_MARKERS.get(series.symbol, "o")
        if "lines" in series.mode:
            ax.plot(
                xs,
                ys,
                color=color,
                linewidth=2,
                label=series.name,
                marker=marker if "markers" in series.mode else None,
                markersize=series.size / 1.5,
            )
        else:
            keep = [i for i in everything if not series.highlighted(i)]
            ax.scatter(
                [xs[i] for i in keep],
                [ys[i] for i in keep],
                color=color,
                marker=marker,
                s=series.size**2,
                label=series.name,
                zorder=3,
            )
        if marked:
            muted = series.highlight_style == "muted"
            ax.scatter(
                [xs[i] for i in marked],
                [ys[i] for i in marked],
                s=(series.size + 4) ** 2,
                zorder=4,
                label=_highlight_name(series),
                facecolors="none" if muted else _highlight_color(series),
                edgecolors=_highlight_color(series),
                linewidths=2,
            )


def _draw_lines_and_bands(ax: Any, chart: Chart) -> None:
    from matplotlib.transforms import blended_transform_factory

    for band in chart.bands:
        span = ax.axhspan if band.axis == "y" else ax.axvspan
        low, high = (band.low, band.high)
        if band.axis == "x" and chart.x_kind == "date":
            low, high = _x_values(chart, [low, high])
        span(low, high, color=BAND, alpha=0.12, zorder=0, label=band.label)
    for line in chart.reference_lines:
        if line.axis == "y":
            ax.axhline(float(line.value), color=REFERENCE, linestyle="--", linewidth=1.2)
            where = blended_transform_factory(ax.transAxes, ax.transData)
            ax.text(
                0.995,
                float(line.value),
                line.label,
                transform=where,
                ha="right",
                va="bottom",
                fontsize=8,
                color=REFERENCE,
            )
        else:
            value = _x_values(chart, [line.value])[0] if chart.x_kind == "date" else line.value
            ax.axvline(value, color=REFERENCE, linestyle="--", linewidth=1.2)
            where = blended_transform_factory(ax.transData, ax.transAxes)
            ax.text(
                value,
                0.99,
                " " + line.label,
                transform=where,
                ha="left",
                va="top",
                fontsize=8,
                color=REFERENCE,
            )


def _draw_heatmap(fig: Any, ax: Any, chart: Chart) -> None:
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap

    grid = np.ma.masked_invalid(
        np.array([[np.nan if v is None else v for v in row] for row in chart.z], dtype=float)
    )
    top = chart.z_top()
    scale = LinearSegmentedColormap.from_list("heatmap", list(HEATMAP_SCALE))
    image = ax.imshow(grid, cmap=scale.with_extremes(bad=NO_VALUE), vmin=0.0, vmax=top)
    ticks = range(len(chart.labels))
    ax.set_xticks(list(ticks), list(chart.labels), rotation=30, ha="left")
    ax.set_yticks(list(ticks), list(chart.labels))
    ax.xaxis.tick_top()
    for r, row in enumerate(chart.z_text):
        for c, text in enumerate(row):
            dark = chart.z[r][c] is not None and (chart.z[r][c] or 0) > top * 0.6
            ax.text(
                c, r, text, ha="center", va="center", fontsize=8, color="white" if dark else "black"
            )
    bar = fig.colorbar(image, ax=ax, format=_formatter("percent"))
    bar.set_label(chart.y_label)


def to_png(chart: Chart, width: int = 960, height: int = 540, dpi: int = 100) -> bytes:
    """The chart as PNG bytes of exactly ``width`` x ``height`` pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    wrap = max(int(width / 7), 40)
    if chart.kind == "heatmap" and chart.empty_reason is None:
        # a square grid with its colour bar takes about half the width: wrap to its title
        wrap = max(int(width / 14), 40)
    fig.suptitle(chart.title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    if chart.subtitle:
        ax.set_title("\n".join(textwrap.wrap(chart.subtitle, wrap)), loc="left", fontsize=8)
    if chart.empty_reason is not None:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "\n".join(textwrap.wrap(chart.empty_reason, wrap)),
            ha="center",
            va="center",
            fontsize=12,
            transform=ax.transAxes,
        )
    elif chart.kind == "heatmap":
        _draw_heatmap(fig, ax, chart)
        ax.set_xlabel(chart.x_label)
    else:
        _draw_lines_and_bands(ax, chart)
        _draw_series(ax, chart)
        ax.set_xlabel(chart.x_label)
        ax.set_ylabel(chart.y_label)
        ax.yaxis.set_major_formatter(_formatter(chart.y_format))
        if chart.x_kind == "number" and chart.x_format:
            ax.xaxis.set_major_formatter(_formatter(chart.x_format))
        if chart.x_kind == "date":
            from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

            locator = AutoDateLocator()  # type: ignore[no-untyped-call]
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        if chart.y_zero:
            ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        handles, _ = ax.get_legend_handles_labels()
        if len(handles) > 1:
            ax.legend(fontsize=8, loc="best")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


__all__ = ["to_plotly", "to_png"]
