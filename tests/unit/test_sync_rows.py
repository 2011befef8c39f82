"""The platforms' answers as canonical rows, and what their headers and clocks say, checked
against values worked out by hand from the documented shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microscout.adapters.platforms.instagram import read_usage
from microscout.adapters.platforms.youtube import quota_day
from microscout.core.sync.rows import (
    count,
    instagram_rows,
    mentions,
    moment,
    seconds,
    tags,
    tiktok_rows,
    youtube_rows,
)
from microscout.services.sync.credentials import mask

FETCHED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def test_counts_come_as_strings_and_absent_means_unknown() -> None:
    assert count("12345") == 12345
    assert count(7) == 7
    assert count(None) is None
    assert count("") is None
    assert count(True) is None  # a flag is no count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00"),
        ("2026-03-01T10:00:00+0000", "2026-03-01T10:00:00"),  # the Graph API's offset
        ("2026-03-01T12:00:00+02:00", "2026-03-01T10:00:00"),
        (1_772_359_200, "2026-03-01T10:00:00"),  # TikTok's Unix seconds
        ("yesterday", None),
        (None, None),
    ],
)
def test_times_become_naive_utc(text: object, expected: str | None) -> None:
    assert moment(text) == expected


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("PT45S", 45),
        ("PT1M5S", 65),
        ("PT1H2M3S", 3723),
        ("P1DT1S", 86401),
        ("PT", None),
        ("", None),
    ],
)
def test_iso_durations(duration: str, expected: int | None) -> None:
    assert seconds(duration) == expected


def test_hashtags_and_mentions_are_read_from_the_text() -> None:
    text = "New #Sourdough loaf with @Mill.Co and @baker_b. #sourdough #crumb_shot email@me.com"
    assert tags(text) == "sourdough|crumb_shot"
    assert mentions(text) == "mill.co|baker_b"  # the address is no mention
    assert tags("no tags") is None


def test_a_youtube_channel_and_its_videos() -> None:
    channel = {
        "id": "UCabcdefghijklmnopqrstuv",
        "snippet": {"title": "Trail Tess", "customUrl": "@TrailTess", "country": "GB"},
        "statistics": {"subscriberCount": "23400", "videoCount": "88", "viewCount": "9"},
    }
    short = {
        "id": "v1",
        "snippet": {"publishedAt": "2026-11-30T08:00:00Z", "title": "Hill reps #running"},
        "statistics": {"viewCount": "5000", "commentCount": "12"},  # likes hidden
        "contentDetails": {"duration": "PT58S"},
    }
    long = {**short, "id": "v2", "contentDetails": {"duration": "PT12M"}}
    rows = youtube_rows(channel, [short, long], FETCHED)
    (creator,) = rows.creators
    assert (creator["creator_id"], creator["handle"], creator["followers"]) == (
        "UCabcdefghijklmnopqrstuv",
        "trailtess",
        23400,
    )
    first, second = rows.posts
    assert (first["media_type"], second["media_type"]) == ("short", "video")
    assert first["likes"] is None  # hidden, not zero
    assert (first["views"], first["comments"], first["hashtags"]) == (5000, 12, "running")
    assert first["permalink"] == "https://www.youtube.com/watch?v=v1"
    (snapshot,) = rows.follower_snapshots
    assert (snapshot["snapshot_date"], snapshot["followers"]) == ("2026-12-06", 23400)


def test_a_hidden_subscriber_count_is_unknown_and_makes_no_snapshot() -> None:
    channel = {"id": "UCx", "snippet": {}, "statistics": {"hiddenSubscriberCount": True}}
    rows = youtube_rows(channel, [], FETCHED, creator_id="stored-id")
    assert rows.creators[0]["followers"] is None
    assert rows.creators[0]["creator_id"] == "stored-id"
    assert rows.follower_snapshots == []


def test_instagram_media_with_and_without_insights() -> None:
    profile = {"id": "1784", "username": "Bake_Ben", "followers_count": 31000, "media_count": 2}
    media = [
        {
            "id": "m1",
            "media_type": "VIDEO",
            "media_product_type": "REELS",
            "like_count": 900,
            "comments_count": 40,
            "caption": "proof #bread",
            "timestamp": "2026-12-01T10:00:00+0000",
        },
        {"id": "m2", "media_type": "CAROUSEL_ALBUM", "comments_count": 3, "caption": None},
    ]
    seen = instagram_rows(profile, media, "1784", FETCHED)
    assert [p["media_type"] for p in seen.posts] == ["reel", "carousel"]
    assert seen.posts[1]["likes"] is None  # likes hidden on that post
    assert all(p["reach"] is None for p in seen.posts)  # no insights: reach unknown
    assert seen.creators[0]["source"] == "instagram-api"
    owned = instagram_rows(
        profile, media, "1784", FETCHED, {"m1": {"reach": 7000, "views": 9000, "saved": 80}}
    )
    assert (owned.posts[0]["reach"], owned.posts[0]["views"], owned.posts[0]["saves"]) == (
        7000,
        9000,
        80,
    )
    assert owned.posts[1]["reach"] is None
    assert owned.creators[0]["source"] == "instagram-insights"


def test_tiktok_videos() -> None:
    user = {"open_id": "o-1", "username": "RunRae", "follower_count": 24000}
    video = {
        "id": "73",
        "create_time": 1_772_359_200,
        "video_description": "tempo #run",
        "view_count": 5000,
        "like_count": 400,
        "comment_count": 9,
        "share_count": 30,
    }
    rows = tiktok_rows(user, [video], "o-1", FETCHED)
    (post,) = rows.posts
    assert (post["posted_at"], post["shares"], post["hashtags"]) == (
        "2026-03-01T10:00:00",
        30,
        "run",
    )
    assert rows.creators[0]["handle"] == "runrae"


def test_usage_headers_give_the_highest_share_and_the_announced_wait() -> None:
    headers = {
        "X-App-Usage": '{"call_count": 12, "total_cputime": 40, "total_time": 8}',
        "X-Business-Use-Case-Usage": '{"1784": [{"type": "instagram", "call_count": 91, '
        '"total_cputime": 3, "total_time": 2, "estimated_time_to_regain_access": 7}]}',
    }
    usage = read_usage(headers)
    assert (usage.percent, usage.regain_minutes) == (91.0, 7.0)
    assert read_usage({"X-App-Usage": "not json"}).percent == 0.0


def test_the_youtube_quota_day_ends_at_pacific_midnight() -> None:
    # 07:30 UTC on 6 December is 23:30 on the 5th in Los Angeles (PST, UTC-8).
    day, ends = quota_day(datetime(2026, 12, 6, 7, 30, tzinfo=UTC))
    assert (day, ends) == ("2026-12-05", datetime(2026, 12, 6, 8, 0, tzinfo=UTC))
    summer_day, summer_end = quota_day(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert (summer_day, summer_end) == ("2026-07-01", datetime(2026, 7, 2, 7, 0, tzinfo=UTC))


def test_a_secret_is_shown_by_its_last_characters_only() -> None:
    assert mask("AIzaSyA-0123456789abcdef") == "••••cdef"
    assert mask("short-key") == "••••"  # too short to show any of it


def test_retries_follow_retry_after_then_back_off_with_jitter_and_give_up() -> None:
    import httpx

    from microscout.adapters.platforms.http import (
        Caller,
        PlatformError,
        RateLimitedError,
        UnreachableError,
    )

    answers = [
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.Response(503),
        httpx.Response(200, json={"ok": True}),
    ]
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0) if answers else httpx.Response(503)

    waits: list[float] = []
    caller = Caller(
        "https://api.test/v1",
        retry_seconds=2.0,
        transport=httpx.MockTransport(answer),
        sleep=waits.append,
    )
    got = caller.get("/things", {"a": 1}, {"X-Key": "k"})
    assert (got.status, got.body) == (200, {"ok": True})
    assert str(seen[0].url) == "https://api.test/v1/things?a=1"
    assert waits[0] == 3.0  # the answer said how long
    assert 0 <= waits[1] <= 4.0  # full jitter: up to 2 s × 2^1
    waits.clear()
    assert len(seen) == 3
    with pytest.raises(UnreachableError, match="503"):
        caller.get("/things", {}, {})
    assert len(waits) == 3  # four attempts, three waits
    limited = Caller(
        "https://api.test",
        transport=httpx.MockTransport(lambda _r: httpx.Response(429)),
        sleep=waits.append,
    )
    with pytest.raises(RateLimitedError):
        limited.get("/x", {}, {})
    waits.clear()
    patient = Caller(
        "https://api.test",
        max_wait=60,
        transport=httpx.MockTransport(
            lambda _r: httpx.Response(429, headers={"Retry-After": "3600"})
        ),
        sleep=waits.append,
    )
    with pytest.raises(RateLimitedError) as stopped:
        patient.get("/x", {}, {})
    assert stopped.value.wait_seconds == 3600  # said at once, not waited out
    assert waits == []
    with pytest.raises(PlatformError, match="not an https URL"):
        Caller("http://api.example").get("/x", {}, {})


def test_youtube_comment_threads_become_comments_with_the_owner_s_replies_marked() -> None:
    from microscout.core.sync.rows import youtube_comment_rows

    def thread(cid: str, author: str, channel: str, text: str) -> dict[str, object]:
        said = {
            "authorDisplayName": author,
            "authorChannelId": {"value": channel},
            "textOriginal": text,
            "likeCount": 4,
            "publishedAt": "2026-12-01T10:00:00Z",
        }
        return {"id": cid, "snippet": {"topLevelComment": {"id": cid, "snippet": said}}}

    rows = youtube_comment_rows(
        [thread("c1", "@Fan_One", "UCfan", "so good"), thread("c2", "@Tess", "UCown", "thanks!")],
        "v1",
        "UCown",
        FETCHED,
        owner="UCown",
    )
    assert [(r["comment_id"], r["author"], r["is_reply_by_creator"]) for r in rows] == [
        ("c1", "fan_one", False),
        ("c2", "tess", True),
    ]
    assert (rows[0]["post_id"], rows[0]["likes"], rows[0]["posted_at"]) == (
        "v1",
        4,
        "2026-12-01T10:00:00",
    )
