"""The ranking's properties, on a real Postgres: recent engagement beats old, decay is
monotonic in the age of the events and of the video, ties are stable, and only visible
videos ever appear."""
from __future__ import annotations

import pytest

from chalicelib.repo import trending as ranking
from tests.support.trending import (NOW, add_comments, add_likes, add_shares, add_video,
                                    add_views, make_users, order_of)


def rank(**kwargs):
    return ranking.ranked_rows(now=NOW, **kwargs)


def test_recent_engagement_beats_the_same_engagement_earlier(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 3)
    early = add_video(sql, author, age_h=30)
    recent = add_video(sql, author, age_h=30)
    add_likes(sql, early, fans, age_h=20)
    add_likes(sql, recent, fans, age_h=1)
    rows = rank()
    assert order_of(rows) == [recent, early]
    scores = {str(r["id"]): r["score"] for r in rows if r["list_tag"] is None}
    assert scores[recent] > scores[early] > 0


def test_score_falls_strictly_with_the_age_of_the_event(sql, make_user):
    author = make_user()["id"]
    fan = make_users(sql, 1)
    ages = [0, 0.5, 2, 6, 12, 24, 47]
    videos = []
    for age in ages:
        video = add_video(sql, author, age_h=50)
        add_likes(sql, video, fan, age_h=age)
        videos.append(video)
    rows = [r for r in rank() if r["list_tag"] is None]
    assert order_of(rows) == videos
    scores = [r["score"] for r in rows]
    assert all(a > b for a, b in zip(scores, scores[1:])), scores


def test_score_falls_strictly_with_the_age_of_the_video(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 2)
    videos = []
    for age in [1, 5, 24, 72, 24 * 7, 24 * 30]:
        video = add_video(sql, author, age_h=age)
        add_likes(sql, video, fans, age_h=0.5)
        videos.append(video)
    rows = [r for r in rank() if r["list_tag"] is None]
    assert order_of(rows) == videos
    scores = [r["score"] for r in rows]
    assert all(a > b for a, b in zip(scores, scores[1:])), scores


def test_a_week_old_video_taking_off_today_beats_an_early_burst_that_faded(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 100)
    burst = add_video(sql, author, age_h=30)
    add_likes(sql, burst, fans, age_h=29)  # 100 likes in its first hour, nothing since
    revival = add_video(sql, author, age_h=24 * 7)
    add_likes(sql, revival, fans[:40], age_h=1)  # 40 likes in the last hour
    assert order_of(rank()) == [revival, burst]


def test_events_outside_the_window_do_not_count(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 50)
    stale = add_video(sql, author, age_h=24 * 5)
    add_likes(sql, stale, fans, age_h=ranking.WINDOW_HOURS + 1)
    add_comments(sql, stale, author, 20, age_h=ranking.WINDOW_HOURS + 2)
    assert rank() == []


def test_a_comment_weighs_more_than_a_like(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 2)
    liked = add_video(sql, author, age_h=10)
    commented = add_video(sql, author, age_h=10)
    add_likes(sql, liked, fans, age_h=2)
    add_comments(sql, commented, author, 1, age_h=2)
    assert order_of(rank()) == [commented, liked]


def test_ties_go_to_the_newer_video_then_the_id_on_every_run(sql, make_user):
    author = make_user()["id"]
    fan = make_users(sql, 1)
    same_age = [add_video(sql, author, age_h=10) for _ in range(5)]
    newer = add_video(sql, author, age_h=9)
    older = add_video(sql, author, age_h=11)
    for video in same_age + [newer, older]:
        add_likes(sql, video, fan, age_h=3)
    first = order_of(rank())
    assert first == [newer] + sorted(same_age) + [older]
    assert all(order_of(rank()) == first for _ in range(3))


def test_deleted_pending_and_failed_videos_never_appear(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 30)
    visible = add_video(sql, author, age_h=5, hashtags=["kenya"])
    add_likes(sql, visible, fans[:1], age_h=4)
    hidden = [
        add_video(sql, author, age_h=2, hashtags=["kenya", "hidden"], deleted=True),
        add_video(sql, author, age_h=2, hashtags=["kenya", "hidden"], status="pending"),
        add_video(sql, author, age_h=2, hashtags=["kenya", "hidden"], status="failed"),
    ]
    for video in hidden:
        add_likes(sql, video, fans, age_h=1)
    rows = rank()
    assert {str(r["id"]) for r in rows} == {visible}
    assert {r["list_tag"] for r in rows} == {None, "kenya"}


def test_hashtag_lists_are_the_most_active_tags_lower_cased_each_video_once(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 10)
    hot = add_video(sql, author, age_h=3, hashtags=["Nairobi", "#nairobi", "matatu"])
    add_likes(sql, hot, fans, age_h=1)
    warm = add_video(sql, author, age_h=3, hashtags=["matatu"])
    add_likes(sql, warm, fans[:5], age_h=1)
    cold = add_video(sql, author, age_h=3, hashtags=["safari"])
    add_likes(sql, cold, fans[:1], age_h=1)

    rows = rank(hashtag_lists=2)
    tags = list(dict.fromkeys(r["list_tag"] for r in rows))
    assert tags == [None, "matatu", "nairobi"]  # safari is the least active: no list
    assert order_of(rows, "matatu") == [hot, warm]
    assert order_of(rows, "nairobi") == [hot]


def test_list_sizes_are_capped(sql, make_user):
    author = make_user()["id"]
    fan = make_users(sql, 1)
    for _ in range(8):
        add_likes(sql, add_video(sql, author, age_h=3, hashtags=["kenya"]), fan, age_h=1)
    rows = rank(global_size=5, hashtag_size=3)
    assert len(order_of(rows)) == 5
    assert len(order_of(rows, "kenya")) == 3
    assert [r["position"] for r in rows if r["list_tag"] is None] == [1, 2, 3, 4, 5]


def test_each_event_source_is_one_line_with_its_own_filter():
    sql = ranking.rank_sql([("video_likes", 1.0), ("video_comments", 3.0, "deleted_at IS NULL"),
                            ("video_views", 0.2)])
    events = sql.split("heat AS")[0]
    assert events.count("UNION ALL") == 2
    lines = [line for line in events.splitlines() if "SELECT video_id" in line]
    assert len(lines) == 3
    assert "FROM video_views WHERE created_at > %(since)s" in lines[2]
    assert lines[1].endswith("AND deleted_at IS NULL")
    assert "deleted_at" not in lines[0] + lines[2]


def test_every_event_table_is_a_source_and_deleted_comments_are_filtered():
    sources = {s.table: s for s in ranking.EVENT_SOURCES}
    assert set(sources) == {"video_views", "video_likes", "video_comments", "video_shares"}
    assert sources["video_comments"].where == "deleted_at IS NULL"


@pytest.mark.parametrize("source", ["views", "shares"])
def test_recent_views_or_shares_beat_more_engagement_that_is_old(sql, make_user, source):
    author = make_user()["id"]
    fans = make_users(sql, 20)
    old = add_video(sql, author, age_h=45)
    fresh = add_video(sql, author, age_h=45)
    add_likes(sql, old, fans, age_h=40)  # 20 likes and 5 comments, 40 h ago
    add_comments(sql, old, author, 5, age_h=40)
    add_views(sql, old, 50, age_h=40)
    if source == "views":
        add_views(sql, fresh, 15, age_h=1)  # weighs 3 likes, but now
    else:
        add_shares(sql, fresh, 1, age_h=1)
    assert order_of(rank()) == [fresh, old]


def test_deleted_comments_do_not_lift_a_video(sql, make_user):
    author = make_user()["id"]
    fans = make_users(sql, 4)
    liked = add_video(sql, author, age_h=10)
    add_likes(sql, liked, fans, age_h=2)  # heat 4 x 1
    mostly_deleted = add_video(sql, author, age_h=10)
    add_comments(sql, mostly_deleted, author, 1, age_h=2)  # heat 3: one live comment
    add_comments(sql, mostly_deleted, author, 4, age_h=2, deleted=True)  # 12 more if counted
    only_deleted = add_video(sql, author, age_h=10)
    add_comments(sql, only_deleted, author, 10, age_h=1, deleted=True)
    assert order_of(rank()) == [liked, mostly_deleted]


def test_weights_order_as_documented_share_comment_like_view(sql, make_user):
    author = make_user()["id"]
    fan = make_users(sql, 1)
    viewed, liked, commented, shared = (add_video(sql, author, age_h=10) for _ in range(4))
    add_views(sql, viewed, 1, age_h=2)
    add_likes(sql, liked, fan, age_h=2)
    add_comments(sql, commented, author, 1, age_h=2)
    add_shares(sql, shared, 1, age_h=2)
    rows = rank()
    assert order_of(rows) == [shared, commented, liked, viewed]
    scores = {str(r["id"]): r["score"] for r in rows if r["list_tag"] is None}
    # The documented weights, as ratios to a like: share 5, comment 3, view 0.2.
    for video, weight in [(shared, 5.0), (commented, 3.0), (viewed, 0.2)]:
        assert scores[video] / scores[liked] == pytest.approx(weight)


def test_a_like_is_worth_five_views(sql, make_user):
    author = make_user()["id"]
    fan = make_users(sql, 1)
    liked, four_views, six_views = (add_video(sql, author, age_h=10) for _ in range(3))
    add_likes(sql, liked, fan, age_h=2)
    add_views(sql, four_views, 4, age_h=2)
    add_views(sql, six_views, 6, age_h=2)
    assert order_of(rank()) == [six_views, liked, four_views]
