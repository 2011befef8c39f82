"""The two chart renderers on hand-made specs: what a reader must see is in the figure and PNG."""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pytest
from matplotlib import image

from microscout.adapters.render.charts import (
    EMPHASIS,
    HEATMAP_SCALE,
    NO_VALUE,
    to_plotly,
    to_png,
)
from microscout.core.charts import Band, Chart, ReferenceLine, Series, empty_chart, format_value
from microscout.services.charts.results import OVERLAP_SCALE_TOP, overlap_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def reach_spec(highlight: tuple[bool, ...] = (False, True, False)) -> Chart:
    series = Series(
        "posts",
        ("2026-01-05T10:00:00", "2026-01-12T10:00:00", "2026-01-19T10:00:00"),
        (0.08, 0.31, 0.12),
        hover=("a", "b", "c"),
        highlight=highlight,
        highlight_label="a spike",
        size=9,
    )
    return Chart(
        id="reach",
        title="Reach rate per post",
        subtitle="n = 3 posts",
        kind="scatter",
        x_label="posted (UTC date)",
        y_label="reach rate (% of followers)",
        x_kind="date",
        y_format="percent",
        series=(series,),
        reference_lines=(ReferenceLine("y", 0.10, "reach gate 10%"),),
        bands=(Band("y", 0.15, 0.25, "typical band"),),
    )


def decoded(png: bytes) -> np.ndarray:
    pixels: np.ndarray = image.imread(io.BytesIO(png), format="png")
    return pixels


def test_the_plotly_figure_names_both_axes_with_their_units() -> None:
    layout = to_plotly(reach_spec())["layout"]
    assert layout["xaxis"]["title"]["text"] == "posted (UTC date)"
    assert layout["yaxis"]["title"]["text"] == "reach rate (% of followers)"
    assert layout["xaxis"]["type"] == "date"
    assert layout["yaxis"]["tickformat"] == ".1%"
    assert "n = 3 posts" in layout["title"]["text"]


def test_the_plotly_figure_draws_the_ten_percent_line_across_the_plot_with_its_label() -> None:
    layout = to_plotly(reach_spec())["layout"]
    lines = [s for s in layout["shapes"] if s["type"] == "line"]
    assert len(lines) == 1
    assert lines[0]["y0"] == lines[0]["y1"] == 0.10
    assert (lines[0]["xref"], lines[0]["x0"], lines[0]["x1"]) == ("paper", 0, 1)
    assert "reach gate 10%" in [a["text"] for a in layout["annotations"]]


def test_the_plotly_figure_shades_the_band_between_its_bounds() -> None:
    layout = to_plotly(reach_spec())["layout"]
    rects = [s for s in layout["shapes"] if s["type"] == "rect"]
    assert len(rects) == 1
    assert (rects[0]["y0"], rects[0]["y1"], rects[0]["layer"]) == (0.15, 0.25, "below")
    assert "typical band" in [a["text"] for a in layout["annotations"]]


def test_highlighted_points_get_their_own_trace_and_colour_in_plotly() -> None:
    data = to_plotly(reach_spec())["data"]
    assert [t["name"] for t in data] == ["posts", "a spike"]
    assert data[0]["x"] == ["2026-01-05T10:00:00", "2026-01-19T10:00:00"]
    assert data[1]["x"] == ["2026-01-12T10:00:00"]
    assert data[1]["hovertext"] == ["b"]
    assert data[1]["marker"]["color"] != data[0]["marker"]["color"]


def test_a_line_keeps_every_point_and_overlays_the_highlighted_ones() -> None:
    spec = reach_spec()
    series = dataclasses.replace(spec.series[0], mode="lines+markers")
    line = dataclasses.replace(spec, series=(series,))
    data = to_plotly(line)["data"]
    assert len(data[0]["x"]) == 3
    assert data[1]["mode"] == "markers"
    assert data[1]["y"] == [0.31]


def test_dollar_axes_get_a_dollar_prefix() -> None:
    chart = Chart(
        id="f",
        title="t",
        subtitle="",
        kind="line",
        x_label="budget (USD)",
        y_label="people",
        x_kind="number",
        x_format="usd",
        y_format="count",
        series=(Series("s", (100.0, 200.0), (10.0, 20.0), mode="lines"),),
    )
    layout = to_plotly(chart)["layout"]
    assert layout["xaxis"]["tickprefix"] == "$"
    assert layout["yaxis"]["tickformat"] == ",.0f"


def test_an_empty_chart_has_no_traces_and_says_why_in_plotly() -> None:
    figure = to_plotly(empty_chart("reach", "Reach", "No post has reach or views."))
    assert figure["data"] == []
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["No post has reach or views."]


def test_a_heatmap_writes_each_cell_and_leaves_the_diagonal_blank() -> None:
    chart = Chart(
        id="o",
        title="Audience overlap",
        subtitle="",
        kind="heatmap",
        x_label="creator",
        y_label="Jaccard overlap",
        x_kind="category",
        y_format="percent",
        labels=("@a", "@b"),
        z=((None, 0.12), (0.12, None)),
        z_text=(("—", "12.0% (sample)"), ("12.0% (sample)", "—")),
    )
    trace = to_plotly(chart)["data"][0]
    assert trace["type"] == "heatmap"
    assert trace["z"] == [[None, 0.12], [0.12, None]]
    assert trace["text"][0][1] == "12.0% (sample)"
    assert trace["x"] == trace["y"] == ["@a", "@b"]
    png = to_png(chart, width=500, height=400)
    assert decoded(png).shape[:2] == (400, 500)


def overlap_spec() -> Chart:
    """Three creators: two measured pairs (1% and 20%) and one pair with no figure."""
    return overlap_chart(
        ("@a", "@b", "@c"),
        ((1.0, 0.01, None), (0.01, 1.0, 0.2), (None, 0.2, 1.0)),
        (
            ("self", "sample", "no shared platform"),
            ("sample", "self", "model"),
            ("no shared platform", "model", "self"),
        ),
    )


def _luminance(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_heatmap_scale_runs_from_light_for_little_to_dark_for_much() -> None:
    measured = to_plotly(overlap_spec())["data"][0]
    colors = [str(color) for _, color in measured["colorscale"]]
    assert [stop for stop, _ in measured["colorscale"]] == sorted(
        stop for stop, _ in measured["colorscale"]
    )
    assert colors == list(HEATMAP_SCALE)
    shades = [_luminance(c) for c in colors]
    assert shades == sorted(shades, reverse=True)
    assert measured["zmin"] == 0.0
    assert measured["zmax"] == 0.2


def test_a_small_overlap_is_drawn_light_not_as_the_darkest_colour() -> None:
    small = overlap_chart(("@a", "@b"), ((1.0, 0.02), (0.02, 1.0)), (("self", "sample"),) * 2)
    assert small.z_top() == OVERLAP_SCALE_TOP
    assert to_plotly(small)["data"][0]["zmax"] == OVERLAP_SCALE_TOP


def test_a_pair_without_a_figure_is_a_grey_cell_that_says_why_not_a_zero() -> None:
    spec = overlap_spec()
    assert spec.z[0][2] is None
    assert spec.z_text[0][2] == "no shared\nplatform"
    assert spec.z_text[1][2] == "20.0%\n(model)"
    measured, blank = to_plotly(spec)["data"]
    assert measured["z"][0][2] is None
    assert measured["text"][0][2] == ""
    assert measured["text"][1][2] == "20.0%<br>(model)"
    assert blank["z"][0][2] is not None
    assert blank["z"][1][2] is None
    assert blank["text"][0][2] == "no shared<br>platform"
    assert blank["text"][0][0] == "—"
    assert blank["colorscale"] == [[0.0, NO_VALUE], [1.0, NO_VALUE]]
    assert blank["showscale"] is False
    assert "grey cells" in spec.subtitle


def test_the_heatmap_gives_the_creators_names_the_room_they_need() -> None:
    layout = to_plotly(overlap_spec())["layout"]
    assert layout["xaxis"]["automargin"] is True
    assert layout["yaxis"]["automargin"] is True
    assert layout["xaxis"]["side"] == "top"


def test_the_png_heatmap_paints_more_overlap_darker_and_missing_cells_grey() -> None:
    pixels = (decoded(to_png(overlap_spec(), 600, 600))[:, :, :3] * 255).round().astype(int)
    grey = np.array([int(NO_VALUE[i : i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(pixels - grey).sum(axis=2) < 6).sum() > 5000
    dark = np.array([int(HEATMAP_SCALE[-1][i : i + 2], 16) for i in (1, 3, 5)])
    # the two 20% cells (the most) fill with the darkest colour, far more than the colour bar
    assert (np.abs(pixels - dark).sum(axis=2) < 6).sum() > 5000


def test_creators_on_no_common_platform_get_a_sentence_instead_of_a_grid() -> None:
    chart = overlap_chart(
        ("@a", "@b"), ((1.0, None), (None, 1.0)), (("self", "no shared platform"),) * 2
    )
    assert chart.is_empty
    assert "same platform" in (chart.empty_reason or "")


def test_figures_and_specs_are_plain_json() -> None:
    spec = reach_spec()
    assert json.loads(json.dumps(to_plotly(spec)))["data"][0]["name"] == "posts"
    assert json.loads(json.dumps(spec.as_dict()))["reference_lines"][0]["value"] == 0.10


@pytest.mark.parametrize(("width", "height"), [(640, 360), (1000, 500)])
def test_the_png_is_a_png_of_the_requested_size(width: int, height: int) -> None:
    png = to_png(reach_spec(), width=width, height=height)
    assert png[:8] == PNG_SIGNATURE
    assert decoded(png).shape[:2] == (height, width)


def _emphasis_pixels(png: bytes) -> int:
    rgb = (decoded(png)[:, :, :3] * 255).round().astype(int)
    target = np.array([int(EMPHASIS[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=2) < 30).sum())


def test_the_png_draws_highlighted_points_in_the_emphasis_colour() -> None:
    assert _emphasis_pixels(to_png(reach_spec())) > 50
    assert _emphasis_pixels(to_png(reach_spec(highlight=(False, False, False)))) == 0


def test_an_empty_png_writes_its_reason_where_the_plot_would_be() -> None:
    one = decoded(to_png(empty_chart("g", "Growth", "Fewer than 2 follower snapshots."), 600, 300))
    other = decoded(to_png(empty_chart("g", "Growth", "No posts."), 600, 300))
    middle = one[120:180, 100:500, :3]
    assert (middle < 0.5).any(), "no dark text in the middle of the empty chart"
    assert not np.array_equal(one, other)


def test_a_series_with_mismatched_points_is_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        Series("s", (1, 2), (1.0,))


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (0.032, "percent", "3.2%"),
        (1250.0, "usd", "$1,250"),
        (0.37, "usd", "$0.37"),
        (9.994, "usd", "$9.99"),
        (10.4, "usd", "$10"),
        (12400.0, "count", "12,400"),
        (0.4213, "ratio", "0.42"),
        (None, "percent", "—"),
    ],
)
def test_values_are_shown_the_way_a_reader_expects(
    value: float | None, fmt: str, shown: str
) -> None:
    assert format_value(value, fmt) == shown  # type: ignore[arg-type]


def test_every_kind_of_figure_passes_plotlys_own_schema_validation() -> None:
    go = pytest.importorskip("plotly.graph_objects")
    bar = Chart(
        id="b",
        title="Niche mix",
        subtitle="",
        kind="bar",
        x_label="niche",
        y_label="share",
        x_kind="category",
        y_format="percent",
        series=(
            Series(
                "share", ("Beauty", "Travel"), (0.7, 0.3), hover=("a", "b"), highlight=(True, False)
            ),
        ),
    )
    heat = Chart(
        id="o",
        title="Overlap",
        subtitle="",
        kind="heatmap",
        x_label="creator",
        y_label="J",
        x_kind="category",
        y_format="percent",
        labels=("@a", "@b"),
        z=((None, 0.1), (0.1, None)),
        z_text=(("—", "10%"), ("10%", "—")),
    )
    for chart in (reach_spec(), bar, heat, empty_chart("e", "Empty", "Nothing yet.")):
        go.Figure(to_plotly(chart))  # raises on any property plotly.js does not know
