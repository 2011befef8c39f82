"""Every reason the audience quality score can give, built from its situation, with its evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from microscout.core.authenticity.comments import CommentEvidence, PodEvidence
from microscout.core.authenticity.followers import FakeShare
from microscout.core.authenticity.quality import assess, verdict_for
from microscout.core.authenticity.signals import (
    POINTS,
    SIGNALS,
    AuthenticityParams,
    CreatorEvidence,
    FollowingChange,
    Norm,
    Reason,
    Unavailable,
    comment_like_ratio,
    engagement_low,
    engagement_pod,
    fake_followers,
    follower_spike,
    following_change,
    generic_comments,
    inactive,
    reach,
)

P = AuthenticityParams()
NORM_ER = Norm(0.02, 400, "micro instagram creators")
NORM_CLR = Norm(0.04, 400, "micro instagram creators")
# A creator every signal can check and none fires on.
CLEAN = CreatorEvidence(
    handle="lena",
    platform="instagram",
    followers=30_000,
    fake=FakeShare(0.06, 0.02, 0.16, 50, 2),
    snapshots_n=52,
    spike_flag=False,
    following_change=FollowingChange(800, 803, date(2026, 5, 1)),
    er_median=0.021,
    er_n=30,
    er_norm=NORM_ER,
    comment_like_ratio=0.035,
    comment_like_norm=NORM_CLR,
    n_posts_window=30,
    comments=CommentEvidence(60, 15, 2, 0, None, 0),
    pod=PodEvidence((), 0, 60, 0, -1),
    days_since_last_post=3.0,
    reach_rate=0.25,
    reach_n=30,
)


def _reason(found: object) -> Reason:
    assert isinstance(found, Reason), found
    return found


def test_a_clean_creator_gets_100_ok_and_only_an_informational_fake_share() -> None:
    a = assess(CLEAN, P)
    assert a.score == 100
    assert a.verdict == "ok"
    assert a.unavailable == ()
    assert [r.code for r in a.reasons] == ["fake_followers"]
    assert not a.reasons[0].flag


def test_a_high_fake_share_is_a_red_flag_with_its_interval_and_sample_size() -> None:
    ev = replace(CLEAN, fake=FakeShare(0.42, 0.29, 0.56, 50, 21))
    r = _reason(fake_followers(ev, P))
    assert r.flag
    assert r.points == -32  # one point per percentage point above the 10% background
    assert "42%" in r.message
    assert "29%–56%" in r.message
    assert "50 sampled" in r.message
    assert r.evidence["sample_n"] == 50
    assert r.evidence["flagged_followers"] == 21


def test_a_small_audience_sample_makes_the_fake_share_unavailable_not_clean() -> None:
    ev = replace(CLEAN, fake=FakeShare(0.0, 0.0, 0.5, 8, 0))
    found = fake_followers(ev, P)
    assert isinstance(found, Unavailable)
    assert "only 8 followers" in found.why


def test_a_follower_spike_names_the_gain_the_date_and_the_ratio_to_the_norm() -> None:
    ev = replace(
        CLEAN, spike_flag=True, spike_gain=4_800, spike_date=date(2026, 3, 2), spike_ratio=9.0
    )
    r = _reason(follower_spike(ev, P))
    assert r.message == "+4,800 followers in the week to 2026-03-02, 9× the weekly norm"
    assert r.points == -POINTS["follower_spike"]
    assert r.evidence == {"gain_per_week": 4_800, "date": "2026-03-02", "ratio_to_norm": 9.0}


def test_a_jump_in_accounts_followed_is_flagged_with_before_and_after() -> None:
    ev = replace(CLEAN, following_change=FollowingChange(800, 2_900, date(2026, 5, 1)))
    r = _reason(following_change(ev, P))
    assert "from 800 to 2,900" in r.message
    assert "2026-05-01" in r.message
    assert r.evidence["relative"] == pytest.approx(2.625)


def test_a_small_change_in_accounts_followed_is_not_flagged() -> None:
    ev = replace(CLEAN, following_change=FollowingChange(100, 180, date(2026, 5, 1)))
    assert following_change(ev, P) is None  # +80% but only 80 accounts


def test_engagement_far_below_the_tier_norm_is_flagged_with_the_norm_and_its_size() -> None:
    ev = replace(CLEAN, er_median=0.004)
    r = _reason(engagement_low(ev, P))
    assert "0.40%" in r.message
    assert "2.00%" in r.message
    assert "400 micro instagram" in r.message
    assert r.evidence["ratio"] == pytest.approx(0.2)


def test_a_norm_from_too_few_creators_makes_engagement_unavailable() -> None:
    ev = replace(CLEAN, er_median=0.004, er_norm=Norm(0.02, 5, "mega tiktok creators"))
    found = engagement_low(ev, P)
    assert isinstance(found, Unavailable)
    assert "only 5 comparable" in found.why


def test_comments_per_like_far_above_the_norm_are_out_of_pattern() -> None:
    r = _reason(comment_like_ratio(replace(CLEAN, comment_like_ratio=0.2), P))
    assert r.evidence["direction"] == "above"
    assert r.evidence["ratio"] == pytest.approx(5.0)
    assert "5.0×" in r.message


def test_comments_per_like_far_below_the_norm_are_out_of_pattern_too() -> None:
    r = _reason(comment_like_ratio(replace(CLEAN, comment_like_ratio=0.004), P))
    assert r.evidence["direction"] == "below"
    assert "1/10" in r.message


def test_mostly_generic_comments_are_flagged_with_the_most_copied_text() -> None:
    ev = replace(CLEAN, comments=CommentEvidence(50, 45, 10, 20, "Nice pic", 12))
    r = _reason(generic_comments(ev, P))
    assert "45 of 50" in r.message
    assert "'Nice pic' appears 12 times" in r.message
    assert r.evidence["emoji_only_n"] == 10


def test_reciprocal_commenters_are_flagged_as_an_engagement_pod_with_their_handles() -> None:
    pod = PodEvidence(("bea", "cai", "dan", "eli"), 30, 60, 9, 3)
    r = _reason(engagement_pod(replace(CLEAN, pod=pod), P))
    assert "30 of 60" in r.message
    assert "@bea, @cai, @dan and 1 more" in r.message
    assert "group of 9" in r.message
    assert r.evidence["partners"] == ["bea", "cai", "dan", "eli"]


def test_two_reciprocal_friends_are_not_a_pod() -> None:
    pod = PodEvidence(("bea", "cai"), 30, 60, 3, 3)
    assert engagement_pod(replace(CLEAN, pod=pod), P) is None


def test_a_creator_silent_for_months_is_inactive() -> None:
    r = _reason(inactive(replace(CLEAN, days_since_last_post=142.0), P))
    assert r.message == "no post for 142 days (more than 90)"


def test_reach_far_below_the_gate_is_low_reach_and_just_below_is_a_smaller_flag() -> None:
    far = _reason(reach(replace(CLEAN, reach_rate=0.031), P))
    near = _reason(reach(replace(CLEAN, reach_rate=0.08), P))
    assert far.code == "low_reach"
    assert "3.1%" in far.message
    assert "far below" in far.message
    assert near.code == "below_reach_gate"
    assert near.points > far.points


def test_the_score_is_100_minus_the_points_and_the_verdict_follows_the_thresholds() -> None:
    ev = replace(
        CLEAN,
        spike_flag=True,
        spike_gain=5_000,
        spike_ratio=12.0,
        days_since_last_post=200.0,
        reach_rate=0.02,
        comment_like_ratio=0.2,
    )
    a = assess(ev, P)
    assert a.score == 100 - 20 - 15 - 15 - 10
    assert a.verdict == "high risk"
    assert [r.code for r in a.flags] == [
        "follower_spike",
        "inactive",
        "low_reach",
        "comment_like_ratio",
    ]
    assert assess(replace(ev, reach_rate=0.3), P).verdict == "caution"  # 55
    assert assess(replace(ev, comment_like_ratio=0.04), P).verdict == "caution"  # exactly 50


def test_a_creator_with_no_data_lists_every_signal_as_unavailable_and_is_not_called_ok() -> None:
    a = assess(CreatorEvidence(handle="ghost", platform="instagram"), P)
    assert [r.code for r in a.reasons] == ["not_vetted"]
    assert a.checked == 0
    assert len(a.unavailable) == len(SIGNALS)
    assert a.verdict == "not vetted"
    text = a.unavailable_text() or ""
    assert "fake_followers: no audience sample" in text
    assert "follower_spike: no follower snapshots" in text
    assert "engagement_pod: no comment sample" in text


def test_a_creator_with_no_evidence_has_no_score_and_the_reason_names_what_is_missing() -> None:
    a = assess(CreatorEvidence(handle="ghost", platform="instagram"), P)
    assert a.score is None
    assert not a.vetted
    assert a.flags == ()
    (reason,) = a.reasons
    assert reason.message == (
        "not enough evidence: no audience sample, no comments, no snapshots, no posts"
    )
    assert (reason.points, reason.flag) == (0, False)
    assert reason.evidence == {
        "signals_checked": 0,
        "missing": ["no audience sample", "no comments", "no snapshots", "no posts"],
    }


def test_too_small_a_sample_is_named_as_such_when_nothing_else_can_be_checked() -> None:
    ev = CreatorEvidence(handle="ghost", platform="instagram", fake=FakeShare(0.1, 0, 0.4, 12, 1))
    a = assess(ev, P)
    assert (a.score, a.verdict) == (None, "not vetted")
    assert a.reasons[0].message.startswith(
        "not enough evidence: only 12 followers sampled (at least 20 needed), no comments"
    )


def test_one_signal_checked_gives_a_score_but_never_ok() -> None:
    a = assess(CreatorEvidence(handle="new", platform="instagram", days_since_last_post=2.0), P)
    assert a.checked == 1
    assert a.score == 100
    assert a.verdict == "caution"
    assert a.reasons == ()


def test_the_verdict_of_no_score_or_nothing_checked_is_not_vetted() -> None:
    assert verdict_for(None, P) == "not vetted"
    assert verdict_for(100, P, checked=0) == "not vetted"
    assert verdict_for(100, P, checked=9) == "ok"


def test_reasons_serialise_to_json_with_code_points_message_and_evidence() -> None:
    import json

    ev = replace(CLEAN, days_since_last_post=120.0)
    payload = json.loads(assess(ev, P).reasons_json())
    assert payload[0]["code"] == "inactive"
    assert set(payload[0]) == {"code", "points", "flag", "message", "evidence"}
