"""The report's charts draw the report's own numbers, and say why when there are none."""

from __future__ import annotations

from datetime import date

from microscout.core.campaigns import CreatorResult, totals_of
from microscout.services.campaigns.manage import CampaignSummary
from microscout.services.campaigns.report import CampaignReport
from microscout.services.charts.campaign import funnel_chart, over_time_chart, predicted_chart


def _creator(handle: str, reach: int | None, predicted: int | None) -> CreatorResult:
    return CreatorResult(
        handle=handle, platform="instagram", status="paid", spend=100.0, posts=1, reach=reach,
        reach_basis="reach of 1 post(s)", views=None, engagements=10, clicks=3, sessions=4,
        orders=1, revenue=20.0, predicted_reach=predicted, predicted_engagements=None,
        predicted_fee=None,
    )  # fmt: skip


def _report(creators: list[CreatorResult], posts: list[dict[str, object]]) -> CampaignReport:
    summary = CampaignSummary(
        1, "C", None, "reach", 1000, "USD", date(2026, 1, 1), date(2026, 2, 1), None, None, None,
        len(creators), False,
    )  # fmt: skip
    return CampaignReport(summary, totals_of(creators), creators, posts, [])


def test_the_charts_draw_the_reports_numbers() -> None:
    creators = [_creator("a", 500, 400), _creator("b", 300, None), _creator("c", None, 250)]
    posts: list[dict[str, object]] = [
        {"posted_at": "2026-01-05T10:00:00", "reach": 300, "views": None},
        {"posted_at": "2026-01-02T09:00:00", "reach": 500, "views": 900},
        {"posted_at": "2026-01-09T09:00:00", "reach": None, "views": 70},
    ]
    report = _report(creators, posts)
    funnel = funnel_chart(report)
    assert funnel.series[0].x == ("reach", "engagements", "clicks", "sessions", "orders")
    assert funnel.series[0].y == (800.0, 30.0, 9.0, 12.0, 3.0)
    predicted, actual = predicted_chart(report).series
    assert predicted.x == actual.x == ("@a", "@c")
    assert (predicted.y, actual.y) == ((400.0, 250.0), (500.0, None))
    over_time = over_time_chart(report).series[0]
    assert over_time.x == ("2026-01-02", "2026-01-05", "2026-01-09")
    assert over_time.y == (500.0, 800.0, 870.0)


def test_an_empty_campaign_says_why_each_chart_is_empty() -> None:
    report = _report([], [])
    assert funnel_chart(report).empty_reason
    assert "saved plan" in (predicted_chart(report).empty_reason or "")
    assert over_time_chart(report).empty_reason == "no campaign post yet"
