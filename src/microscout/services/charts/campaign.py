"""The campaign report's charts: the funnel, predicted against actual reach per creator, and
the campaign's reach as its posts went live. Each says its sample and, when empty, why."""

from __future__ import annotations

from itertools import accumulate

from microscout.core.charts import Chart, Series, empty_chart
from microscout.services.campaigns.report import CampaignReport

FUNNEL = (
    ("reach", "people reached (post reach, or views)"),
    ("engagements", "likes + comments + shares + saves"),
    ("clicks", "distinct visitors a day on the short links"),
    ("sessions", "sessions the analytics export counted"),
    ("orders", "orders with a creator's code or link"),
)


def funnel_chart(report: CampaignReport) -> Chart:
    totals = report.totals.as_dict()
    steps = [(name, totals[name], meaning) for name, meaning in FUNNEL if totals[name] is not None]
    if not any(value for _, value, _ in steps):
        return empty_chart(
            "funnel",
            "From reach to orders",
            "nothing measured yet: no campaign post, click, session or order",
            kind="bar",
            x_kind="category",
        )
    return Chart(
        id="funnel",
        title="From reach to orders",
        subtitle=f"{report.totals.posts} campaign posts by {len(report.creators)} creators",
        kind="bar",
        x_label="step",
        y_label="count",
        x_kind="category",
        y_format="count",
        series=(
            Series(
                "campaign",
                tuple(name for name, _, _ in steps),
                tuple(float(value) for _, value, _ in steps),
                hover=tuple(f"{name}: {value:,} — {meaning}" for name, value, meaning in steps),
                color="#1f6feb",
            ),
        ),
        y_zero=True,
    )


def predicted_chart(report: CampaignReport) -> Chart:
    both = [c for c in report.creators if c.predicted_reach is not None]
    if not both:
        return empty_chart(
            "predicted",
            "Predicted against actual reach",
            "no creator came from a saved plan, so there is nothing predicted to compare",
            kind="bar",
            x_kind="category",
        )
    handles = tuple(f"@{c.handle}" for c in both)
    return Chart(
        id="predicted",
        title="Predicted against actual reach",
        subtitle=f"{len(both)} creators from the plan; actual = their campaign posts' reach",
        kind="bar",
        x_label="creator",
        y_label="people reached",
        x_kind="category",
        y_format="count",
        series=(
            Series(
                "predicted by the plan",
                handles,
                tuple(float(c.predicted_reach or 0) for c in both),
                color="#8c959f",
                hover=tuple(f"@{c.handle}: the plan expected {c.predicted_reach:,}" for c in both),
            ),
            Series(
                "actual",
                handles,
                tuple(None if c.reach is None else float(c.reach) for c in both),
                color="#1f6feb",
                hover=tuple(
                    f"@{c.handle}: {'—' if c.reach is None else f'{c.reach:,}'} ({c.reach_basis})"
                    for c in both
                ),
            ),
        ),
        y_zero=True,
    )


def over_time_chart(report: CampaignReport) -> Chart:
    dated = sorted(
        (str(p["posted_at"])[:10], int(p["reach"] or p["views"] or 0))
        for p in report.posts
        if p.get("posted_at")
    )
    if not dated:
        return empty_chart(
            "over-time",
            "Reach as the posts went live",
            "no campaign post yet",
            kind="line",
            x_kind="date",
        )
    running = tuple(float(v) for v in accumulate(value for _, value in dated))
    return Chart(
        id="over-time",
        title="Reach as the posts went live",
        subtitle=f"cumulative reach of {len(dated)} campaign posts (views where no reach)",
        kind="line",
        x_label="posted",
        y_label="people reached, cumulative",
        x_kind="date",
        y_format="count",
        series=(
            Series(
                "cumulative reach",
                tuple(day for day, _ in dated),
                running,
                mode="lines+markers",
                color="#1f6feb",
                hover=tuple(f"{day}: +{value:,}" for day, value in dated),
            ),
        ),
        y_zero=True,
    )


def report_charts(report: CampaignReport) -> list[Chart]:
    return [funnel_chart(report), predicted_chart(report), over_time_chart(report)]


__all__ = ["funnel_chart", "over_time_chart", "predicted_chart", "report_charts"]
