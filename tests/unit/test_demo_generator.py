"""The demo generator: shape, determinism, calibration and the planted problems.

Every expected figure is recomputed here from the generated tables with pandas, independently of
the generator's own parameters.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from microscout.core import schema
from microscout.demo.generator import DemoData, generate

END = datetime(2026, 10, 31, tzinfo=UTC)
END_NAIVE = pd.Timestamp(END.replace(tzinfo=None))
KEY = ["platform", "creator_id"]


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(2_000, seed=11, end=END, audience_size=40)


@pytest.fixture(scope="module")
def frames(demo: DemoData) -> dict[str, pd.DataFrame]:
    out = {name: table.to_pandas() for name, table in demo.tables().items()}
    truth = out["demo_ground_truth"]
    truth["clean"] = truth["problems"] == ""
    return out


def _has(truth: pd.DataFrame, problem: str) -> pd.Series:
    return truth["problems"].str.split("|").apply(lambda names: problem in names)


def _posts_with_creators(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    creators = frames["creators"][[*KEY, "followers", "handle"]]
    truth = frames["demo_ground_truth"][[*KEY, "problems", "clean", "pod_id"]]
    return frames["posts"].merge(creators, on=KEY).merge(truth, on=KEY)


def _engagement(posts: pd.DataFrame) -> pd.Series:
    return posts[["likes", "comments", "shares", "saves"]].sum(axis=1, min_count=1)


# -- shape -----------------------------------------------------------------------------------
def test_every_table_has_exactly_the_columns_and_types_of_its_spec(demo: DemoData) -> None:
    specs = {s.name: s for s in schema.ALL_TABLES}
    assert set(demo.tables()) == {
        "creators",
        "posts",
        "comments",
        "follower_snapshots",
        "audience_samples",
        "demo_ground_truth",
    }
    for name, table in demo.tables().items():
        expected = [(c.name, schema.ARROW_TYPES[c.dtype]) for c in specs[name].columns]
        assert [(f.name, f.type) for f in table.schema] == expected, name


def test_the_same_seed_gives_identical_tables_and_another_seed_does_not() -> None:
    first = generate(150, seed=3, end=END, audience_size=10)
    second = generate(150, seed=3, end=END, audience_size=10)
    other = generate(150, seed=4, end=END, audience_size=10)
    for name, table in first.tables().items():
        assert table.equals(second.tables()[name]), name
    assert not first.posts.equals(other.posts)


def test_progress_reports_every_stage_in_order() -> None:
    seen: list[tuple[str, int, int]] = []
    generate(50, seed=1, end=END, audience_size=5, progress=lambda s, i, n: seen.append((s, i, n)))
    assert [i for _, i, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1][1] == seen[-1][2]


def test_keys_and_handles_are_unique(frames: dict[str, pd.DataFrame]) -> None:
    for spec in schema.CANONICAL:
        assert not frames[spec.name].duplicated(list(spec.key)).any(), spec.name
    assert not frames["demo_ground_truth"].duplicated(KEY).any()
    creators = frames["creators"]
    assert not creators.duplicated(["platform", "handle"]).any()
    assert (creators["handle"] == creators["handle"].str.lower()).all()
    assert creators["creator_id"].str.fullmatch(r"(ig|tt|yt)_\d{6}").all()


def test_provenance_is_demo_at_the_end_date(frames: dict[str, pd.DataFrame]) -> None:
    for spec in schema.CANONICAL:
        frame = frames[spec.name]
        assert (frame["source"] == "demo").all()
        assert (frame["fetched_at"] == END_NAIVE).all()


# -- population ------------------------------------------------------------------------------
def test_about_forty_percent_of_creators_are_in_the_micro_band(
    frames: dict[str, pd.DataFrame],
) -> None:
    followers = frames["creators"]["followers"]
    micro = ((followers >= 10_000) & (followers < 50_000)).mean()
    assert 0.35 <= micro <= 0.45
    assert followers.min() >= 1_000
    assert followers.max() <= 5_000_000
    assert followers.max() > 500_000  # heavy tail


def test_platform_mix_is_half_instagram_and_languages_match_countries(
    frames: dict[str, pd.DataFrame],
) -> None:
    creators = frames["creators"]
    shares = creators["platform"].value_counts(normalize=True)
    assert shares["instagram"] == pytest.approx(0.5, abs=0.04)
    assert shares["tiktok"] == pytest.approx(0.3, abs=0.04)
    assert shares["youtube"] == pytest.approx(0.2, abs=0.04)
    language = creators.groupby("country")["language"].unique()
    assert list(language["DE"]) == ["de"]
    assert list(language["FR"]) == ["fr"]
    assert list(language["BR"]) == ["pt"]
    assert list(language["US"]) == ["en"]


def test_niches_are_iab_ids_with_the_ground_truth_niche_first(
    frames: dict[str, pd.DataFrame],
) -> None:
    merged = frames["creators"].merge(frames["demo_ground_truth"], on=KEY)
    assert (merged["niches"].str.split("|").str[0] == merged["niche"]).all()
    assert merged["niche"].nunique() >= 10
    assert {"559", "225", "680", "212"} <= set(merged["niche"])


def test_posts_carry_hashtags_that_belong_to_their_creators_niche(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames).merge(frames["demo_ground_truth"][[*KEY, "niche"]], on=KEY)
    assert not posts["hashtags"].str.contains("#").any()
    assert (posts["hashtags"] == posts["hashtags"].str.lower()).all()
    posts = posts.iloc[::8]  # every 8th post is plenty and keeps the test fast
    tags = posts.assign(tag=posts["hashtags"].str.split("|")).explode("tag")
    # A tag is "pure" when one niche's creators use it at least 80% of the time.
    usage = tags.groupby(["tag", "niche"]).size()
    purity = usage / usage.groupby("tag").transform("sum")
    pure = purity[purity > 0.8].reset_index()[["tag", "niche"]]
    assert (pure.groupby("niche").size() >= 5).all()
    assert pure["niche"].nunique() == 11
    hits = tags.merge(pure, on=["tag", "niche"])
    assert posts["post_id"].isin(hits["post_id"]).mean() > 0.9
    generic = purity.groupby("tag").max() < 0.5  # cross-niche noise like #love exists too
    assert generic.sum() >= 5


# -- calibration -----------------------------------------------------------------------------
def test_instagram_micro_median_engagement_by_followers_is_1_to_3_percent_and_falls_with_tier(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    ig = posts[(posts["platform"] == "instagram") & posts["clean"] & posts["likes"].notna()]
    ig = ig.assign(er=_engagement(ig) / ig["followers"])
    per_creator = ig.groupby("creator_id").agg(
        er=("er", "median"), followers=("followers", "first")
    )
    tier = pd.cut(per_creator["followers"], [0, 10_000, 50_000, 500_000, 10**8], right=False)
    medians = per_creator.groupby(tier, observed=True)["er"].median()
    assert 0.01 <= medians.iloc[1] <= 0.03
    assert medians.iloc[0] > medians.iloc[1] > medians.iloc[2]


def test_video_engagement_by_views_matches_the_platform_medians(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    clean = posts[posts["clean"] & (posts["views"] > 0)]
    clean = clean.assign(erv=_engagement(clean) / clean["views"])
    by_platform = clean.groupby(["platform", "creator_id"])["erv"].median().groupby("platform")
    medians = by_platform.median()
    assert 0.075 <= medians["tiktok"] <= 0.10
    assert 0.02 <= medians["youtube"] <= 0.06


def test_comments_are_2_to_5_percent_of_likes_outside_pods(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    clean = posts[posts["clean"] & posts["likes"].notna()]
    ratio = (
        clean.groupby("creator_id")["comments"].sum() / clean.groupby("creator_id")["likes"].sum()
    )
    assert 0.02 <= ratio.median() <= 0.05


def test_reach_is_15_to_40_percent_of_followers_for_clean_creators_with_insights(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    with_reach = posts[posts["reach"].notna()]
    assert (with_reach["platform"] == "instagram").all()
    ig_creators = frames["creators"].query("platform == 'instagram'")["creator_id"]
    insight_share = with_reach["creator_id"].nunique() / ig_creators.nunique()
    assert 0.5 <= insight_share <= 0.7
    clean = with_reach[with_reach["clean"]]
    rate = (clean["reach"] / clean["followers"]).groupby(clean["creator_id"]).median()
    assert rate.between(0.12, 0.45).mean() > 0.95
    assert 0.15 <= rate.median() <= 0.40


def test_unknown_values_are_null_not_zero(frames: dict[str, pd.DataFrame]) -> None:
    posts = frames["posts"]
    youtube = posts[posts["platform"] == "youtube"]
    assert youtube["saves"].isna().all()
    assert youtube["shares"].isna().all()
    assert youtube["views"].notna().all()
    images = posts[posts["media_type"].isin(["image", "carousel"])]
    assert images["views"].isna().all()
    hidden = posts[posts["likes"].isna()]
    assert 0 < len(hidden) < 0.05 * len(posts)
    assert (hidden["platform"] == "instagram").all()
    assert hidden["comments"].notna().all()
    assert posts["mentions"].ne("").all()
    assert posts["sponsors"].ne("").all()
    assert set(posts["media_type"]) == {"image", "carousel", "reel", "video", "short"}


def test_five_to_ten_percent_of_posts_are_sponsored_and_engage_a_little_less(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    assert 0.05 <= posts["is_sponsored"].mean() <= 0.10
    assert posts.loc[posts["is_sponsored"], "sponsors"].notna().all()
    assert posts.loc[~posts["is_sponsored"], "sponsors"].isna().all()
    ig = posts[(posts["platform"] == "instagram") & posts["likes"].notna()]
    er = _engagement(ig) / ig["followers"]
    relative = (er / er.groupby(ig["creator_id"]).transform("median")).groupby(ig["is_sponsored"])
    assert relative.median()[True] < 0.95 * relative.median()[False]


# -- comments, snapshots, audiences ----------------------------------------------------------
def test_creator_replies_are_written_by_the_creator_at_varying_rates(
    frames: dict[str, pd.DataFrame],
) -> None:
    comments = frames["comments"].merge(frames["creators"][[*KEY, "handle"]], on=KEY)
    replies = comments[comments["is_reply_by_creator"]]
    assert (replies["author"] == replies["handle"]).all()
    audience = comments[~comments["is_reply_by_creator"]]
    assert (audience["author"] != audience["handle"]).all()
    heard = audience.groupby("creator_id").size()
    heard = heard[heard >= 30]  # enough comments for a rate to mean something
    rate = replies.groupby("creator_id").size().reindex(heard.index, fill_value=0) / heard
    assert rate.quantile(0.1) < 0.15
    assert rate.quantile(0.9) > 0.4
    assert rate.max() <= 0.85
    posts_per_creator = comments.groupby("creator_id")["post_id"].nunique()
    assert posts_per_creator.max() <= 8


def test_snapshots_are_weekly_for_a_year_and_end_at_the_profile_count(
    frames: dict[str, pd.DataFrame],
) -> None:
    snaps = frames["follower_snapshots"]
    assert (snaps.groupby("creator_id").size() == 52).all()
    last = snaps.sort_values("snapshot_date").groupby(KEY).tail(1).merge(frames["creators"], on=KEY)
    assert (last["followers_x"] == last["followers_y"]).all()
    assert set(last["snapshot_date"]) == {END.date()}
    dates = sorted(snaps["snapshot_date"].unique())
    assert all((b - a) == timedelta(days=7) for a, b in itertools.pairwise(dates))


def test_audience_followers_are_shared_within_a_niche(frames: dict[str, pd.DataFrame]) -> None:
    audience = frames["audience_samples"].merge(
        frames["demo_ground_truth"][[*KEY, "niche"]], on=KEY
    )
    assert (audience.groupby("creator_id").size() == 40).all()
    followed = audience.groupby("follower_id")["creator_id"].nunique()
    assert (followed > 1).mean() > 0.1
    niches_per_real = (
        audience[audience["has_picture"] & (audience["posts"] > 3)]
        .groupby("follower_id")["niche"]
        .nunique()
    )
    assert niches_per_real.max() == 1  # a real fan follows creators of one niche here


# -- planted problems ------------------------------------------------------------------------
def test_each_problem_is_planted_on_about_four_percent_of_creators(
    frames: dict[str, pd.DataFrame],
) -> None:
    truth = frames["demo_ground_truth"]
    for problem in ("bought_followers", "fake_audience", "engagement_pod", "inactive", "low_reach"):
        assert 0.025 <= _has(truth, problem).mean() <= 0.06, problem
    assert 0.7 <= truth["clean"].mean() <= 0.9


def test_inactive_creators_have_not_posted_for_120_days(frames: dict[str, pd.DataFrame]) -> None:
    truth = frames["demo_ground_truth"]
    last_post = frames["posts"].groupby("creator_id")["posted_at"].max()
    inactive = truth.loc[_has(truth, "inactive"), "creator_id"]
    assert (last_post[inactive] < END_NAIVE - pd.Timedelta(days=120)).all()
    active = truth.loc[~_has(truth, "inactive"), "creator_id"]
    assert (last_post[active] > END_NAIVE - pd.Timedelta(days=30)).mean() > 0.95


def test_bought_followers_show_a_one_week_jump_without_more_engagement(
    frames: dict[str, pd.DataFrame],
) -> None:
    truth = frames["demo_ground_truth"]
    snaps = frames["follower_snapshots"].sort_values(["creator_id", "snapshot_date"])
    gain = snaps.groupby("creator_id")["followers"].pct_change()
    biggest = gain.groupby(snaps["creator_id"]).max()
    bought = truth.loc[_has(truth, "bought_followers"), "creator_id"]
    assert (biggest[bought] >= 0.14).all()
    assert (biggest[truth.loc[truth["clean"], "creator_id"]] < 0.05).all()
    # Engagement after the jump is no higher than before it.
    jump_day = snaps.loc[gain.groupby(snaps["creator_id"]).idxmax()].set_index("creator_id")
    posts = frames["posts"][frames["posts"]["creator_id"].isin(bought)].dropna(subset=["likes"])
    after = (
        posts["posted_at"].dt.date.to_numpy()
        >= jump_day.loc[posts["creator_id"], "snapshot_date"].to_numpy()
    )
    likes = posts.assign(after=after).groupby(["creator_id", "after"])["likes"].median().unstack()
    ratio = (likes[True] / likes[False]).dropna()
    assert ratio.median() < 1.1


def test_fake_audiences_are_35_to_60_percent_accounts_that_look_fake(
    frames: dict[str, pd.DataFrame],
) -> None:
    audience = frames["audience_samples"]
    looks_fake = (audience["posts"] <= 3) & (
        (audience["following"] > 1_500) | (audience["following"] > 20 * (audience["followers"] + 1))
    )
    share = looks_fake.groupby(audience["creator_id"]).mean()
    truth = frames["demo_ground_truth"].set_index("creator_id")
    fake = truth.index[_has(truth.reset_index(), "fake_audience").to_numpy()]
    clean = truth.index[truth["clean"]]
    assert share[fake].between(0.35, 0.60).all()
    assert share[clean].between(0.0, 0.12).all()
    assert share[clean].median() >= 0.02
    assert (truth["fake_share"] - share[truth.index]).abs().max() < 1e-9
    fake_rows = audience[looks_fake]
    assert (~fake_rows["has_picture"]).mean() > 0.6
    assert fake_rows["follower_handle"].str.contains(r"\d{6,}").all()


def test_pod_members_comment_on_each_other_and_inflate_comments(
    frames: dict[str, pd.DataFrame],
) -> None:
    truth = frames["demo_ground_truth"].merge(frames["creators"][[*KEY, "handle"]], on=KEY)
    pods = truth.dropna(subset=["pod_id"])
    sizes = pods.groupby("pod_id").agg(
        size=("creator_id", "size"),
        niches=("niche", "nunique"),
        platforms=("platform", "nunique"),
    )
    assert sizes["size"].between(8, 15).all()
    assert (sizes["niches"] == 1).all()
    assert (sizes["platforms"] == 1).all()
    comments = frames["comments"].merge(pods[[*KEY, "pod_id"]], on=KEY)
    by_member = comments.merge(
        pods[["handle", "pod_id"]].rename(columns={"handle": "author", "pod_id": "author_pod"}),
        on="author",
    )
    from_pod = by_member[by_member["author_pod"] == by_member["pod_id"]]
    assert set(from_pod["creator_id"]) == set(pods["creator_id"])
    assert from_pod.groupby("creator_id")["author"].nunique().min() >= 3
    posts = _posts_with_creators(frames).dropna(subset=["likes"])
    ratio = (
        posts.groupby("creator_id")["comments"].sum() / posts.groupby("creator_id")["likes"].sum()
    )
    assert (
        ratio[pods["creator_id"]].median()
        > 2 * ratio[truth.loc[truth["clean"], "creator_id"]].median()
    )


def test_low_reach_creators_reach_under_ten_percent_of_followers(
    frames: dict[str, pd.DataFrame],
) -> None:
    posts = _posts_with_creators(frames)
    seen = posts["reach"].fillna(posts["views"].where(posts["platform"] != "instagram"))
    rate = (seen / posts["followers"]).groupby(posts["creator_id"]).median()
    truth = frames["demo_ground_truth"]
    low = truth.loc[_has(truth, "low_reach"), "creator_id"]
    assert (rate[low] < 0.10).all()
    clean = truth.loc[truth["clean"], "creator_id"]
    observed = rate[clean].dropna()
    assert (observed >= 0.10).mean() > 0.9
