"""The fold: exact, idempotent, and safe to run concurrently with itself and with writes."""
from __future__ import annotations

import json

from tests.support.engagement import make_video, run_concurrently
from tests.support.lambda_events import scheduled_event


def _seed_deltas(sql, video_id, n):
    sql("INSERT INTO video_count_deltas (video_id, likes, views) SELECT %s, 1, 2"
        " FROM generate_series(1, %s)", (video_id, n))


def test_fold_adds_deltas_once_and_deletes_them(sql, make_user, database_url):
    from chalicelib.engagement import counters

    owner = make_user()
    video = make_video(sql, owner, likes_count=3, views_count=None)
    _seed_deltas(sql, video["id"], 250)
    first = counters.fold(batch=100)
    second = counters.fold(batch=100)
    assert first["video_deltas"] == 250
    assert second["video_deltas"] == 0
    row = sql("SELECT likes_count, views_count FROM videos WHERE id = %s", (video["id"],))[0]
    assert (row["likes_count"], row["views_count"]) == (253, 500)
    assert sql("SELECT count(*) AS n FROM video_count_deltas")[0]["n"] == 0


def test_fold_drops_deltas_of_deleted_videos(sql, make_user, database_url):
    from chalicelib.engagement import counters

    owner = make_user()
    video = make_video(sql, owner)
    _seed_deltas(sql, video["id"], 5)
    sql("DELETE FROM videos WHERE id = %s", (video["id"],))
    assert counters.fold()["video_deltas"] == 5
    assert sql("SELECT count(*) AS n FROM video_count_deltas")[0]["n"] == 0


def test_concurrent_folds_and_writes_stay_exact(sql, make_user, database_url):
    """Likes written while four folds run at once: after a last fold, the count is the rows."""
    from chalicelib.engagement import counters, likes

    owner = make_user()
    video = make_video(sql, owner)
    fans = [str(make_user()["id"]) for _ in range(40)]

    def liker(chunk):
        for fan in chunk:
            likes.set_like(fan, str(video["id"]), True)
            likes.set_like(fan, str(video["id"]), fan[-1] in "01234567")  # some unlike

    errors = run_concurrently([lambda c=fans[i::4]: liker(c) for i in range(4)],
                              background=[lambda: counters.fold(batch=7)] * 4)
    assert errors == []
    counters.fold()
    rows = sql("SELECT count(*) AS n FROM video_likes WHERE video_id = %s", (video["id"],))[0]["n"]
    stored = sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"]
    assert stored == rows
    assert rows == sum(1 for fan in fans if fan[-1] in "01234567")


def test_a_second_fold_skips_while_one_holds_the_lock(sql, make_user, database_url):
    import psycopg

    from chalicelib.engagement import counters
    from chalicelib.repo.counters import FOLD_LOCK_KEY

    owner = make_user()
    video = make_video(sql, owner)
    _seed_deltas(sql, video["id"], 3)
    with psycopg.connect(database_url) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (FOLD_LOCK_KEY,))
        assert counters.fold()["skipped"] is True
        assert sql("SELECT count(*) AS n FROM video_count_deltas")[0]["n"] == 3
    assert counters.fold()["video_deltas"] == 3


def test_scheduled_handler_folds(client, sql, make_user, settings_env):
    settings_env(COUNTER_FOLD_PASSES="1")
    owner = make_user()
    video = make_video(sql, owner)
    _seed_deltas(sql, video["id"], 4)
    result = client.lambda_.invoke("fold_counters", scheduled_event())
    assert result.payload["passes"][0]["video_deltas"] == 4
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == 4


def test_a_write_folds_a_backlogged_video_itself(client, sql, make_user):
    """A viral video's fresh count stays cheap: past BACKLOG_ROWS unfolded deltas, the write
    that noticed folds that video's backlog (exactly) after it committed."""
    from chalicelib.engagement import counters
    from tests.conftest import auth_headers

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    _seed_deltas(sql, video["id"], counters.BACKLOG_ROWS + 1)
    response = client.http.put(f"/v1/videos/{video['id']}/like", headers=auth_headers(fan["id"]))
    assert json.loads(response.body)["likes_count"] == counters.BACKLOG_ROWS + 2
    assert sql("SELECT count(*) AS n FROM video_count_deltas")[0]["n"] == 0
    row = sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]
    assert row["likes_count"] == counters.BACKLOG_ROWS + 2


def test_fold_repeatedly_spaces_passes_and_respects_the_time_left(database_url):
    from chalicelib.engagement import counters

    slept = []
    assert len(counters.fold_repeatedly(3, every_s=20, time_left_s=60, sleep=slept.append)) == 3
    assert len(slept) == 2 and all(15 < s <= 20 for s in slept)
    slept.clear()
    # A 10-second Lambda timeout: one pass only, no sleeping past the deadline.
    assert len(counters.fold_repeatedly(3, every_s=20, time_left_s=10, sleep=slept.append)) == 1
    assert slept == []
