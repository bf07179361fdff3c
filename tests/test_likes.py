"""Likes: idempotent PUT/DELETE with exact fresh counts, the frontend's toggle, and counts
that equal the rows after the fold."""
from __future__ import annotations

import threading

from tests.conftest import auth_headers
from tests.support.engagement import body, fold, make_video


def _count(sql, video_id):
    return sql("SELECT count(*) AS n FROM video_likes WHERE video_id = %s", (video_id,))[0]["n"]


def test_put_like_is_idempotent_and_answers_the_exact_count(client, sql, make_user):
    owner, fan, other = make_user(), make_user(), make_user()
    video = make_video(sql, owner, likes_count=10)
    path = f"/v1/videos/{video['id']}/like"
    first = client.http.put(path, headers=auth_headers(fan["id"]))
    again = client.http.put(path, headers=auth_headers(fan["id"]))
    third = client.http.put(path, headers=auth_headers(other["id"]))
    assert first.status_code == again.status_code == 200
    assert body(first) == {"liked": True, "likes_count": 11}
    assert body(again) == {"liked": True, "likes_count": 11}
    assert body(third) == {"liked": True, "likes_count": 12}
    assert first.headers["Cache-Control"] == "private, no-store"
    assert _count(sql, video["id"]) == 2
    # The stored column moves only when the fold runs.
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == 10
    assert fold()["video_deltas"] == 2
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == 12


def test_delete_like_is_idempotent(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    path = f"/v1/videos/{video['id']}/like"
    client.http.put(path, headers=auth_headers(fan["id"]))
    first = client.http.delete(path, headers=auth_headers(fan["id"]))
    again = client.http.delete(path, headers=auth_headers(fan["id"]))
    assert body(first) == body(again) == {"liked": False, "likes_count": 0}
    assert _count(sql, video["id"]) == 0
    fold()
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == 0


def test_toggle_likes_then_unlikes(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    path = f"/videos/{video['id']}/like"
    # The frontend reads both (VideoPlayer.jsx:75-77).
    assert body(client.http.post(path, headers=auth_headers(fan["id"]))) == {"liked": True, "likes_count": 1}
    assert _count(sql, video["id"]) == 1
    assert body(client.http.post(path, headers=auth_headers(fan["id"]))) == {"liked": False, "likes_count": 0}
    assert _count(sql, video["id"]) == 0


def test_like_on_hidden_video_is_404(client, sql, make_user):
    owner, fan = make_user(), make_user()
    pending = make_video(sql, owner, status="pending")
    response = client.http.put(f"/v1/videos/{pending['id']}/like", headers=auth_headers(fan["id"]))
    assert response.status_code == 404
    assert _count(sql, pending["id"]) == 0


def _concurrently(n, work):
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        from chalicelib import db

        try:
            barrier.wait()
            work(i)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_double_taps_end_consistent_with_the_count(database_url, sql, make_user):
    """Pairs of simultaneous toggles by the same user: each pair ends unliked, and the
    folded count equals the rows."""
    from chalicelib.engagement import likes

    owner = make_user()
    video = make_video(sql, owner)
    fans = [make_user() for _ in range(6)]
    results = {}

    def tap(i):
        results[i] = likes.toggle(str(fans[i // 2]["id"]), str(video["id"]))["liked"]

    _concurrently(12, tap)
    for pair in range(6):
        assert sorted([results[2 * pair], results[2 * pair + 1]]) == [False, True]
    assert _count(sql, video["id"]) == 0
    fold()
    assert sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]["likes_count"] == 0


def test_concurrent_likes_and_retries_give_exact_counts(database_url, sql, make_user):
    from chalicelib.engagement import likes

    owner = make_user()
    video = make_video(sql, owner)
    fans = [make_user() for _ in range(8)]

    def like_twice(i):
        likes.set_like(str(fans[i % 8]["id"]), str(video["id"]), True)
        likes.set_like(str(fans[i % 8]["id"]), str(video["id"]), True)  # a retry

    _concurrently(16, like_twice)
    fold()
    row = sql("SELECT likes_count FROM videos WHERE id = %s", (video["id"],))[0]
    assert row["likes_count"] == _count(sql, video["id"]) == 8
