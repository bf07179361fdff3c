"""Follows: idempotent PUT/DELETE, the frontend's follow/unfollow, exact counts after the fold."""
from __future__ import annotations

from tests.conftest import auth_headers
from tests.support.engagement import body, fold


def _counts(sql, user_id):
    row = sql("SELECT followers_count, following_count FROM users WHERE id = %s", (user_id,))[0]
    return row["followers_count"], row["following_count"]


def test_put_and_delete_follow_are_idempotent(client, sql, make_user):
    fan, star = make_user(), make_user()
    path = f"/v1/users/{star['id']}/follow"
    first = client.http.put(path, headers=auth_headers(fan["id"]))
    again = client.http.put(path, headers=auth_headers(fan["id"]))
    assert body(first) == body(again) == {"following": True, "followers_count": 1}
    assert sql("SELECT count(*) AS n FROM follows")[0]["n"] == 1
    fold()
    assert _counts(sql, star["id"]) == (1, 0)
    assert _counts(sql, fan["id"]) == (0, 1)
    gone = client.http.delete(path, headers=auth_headers(fan["id"]))
    gone_again = client.http.delete(path, headers=auth_headers(fan["id"]))
    assert body(gone) == body(gone_again) == {"following": False, "followers_count": 0}
    fold()
    assert _counts(sql, star["id"]) == (0, 0)
    assert _counts(sql, fan["id"]) == (0, 0)


def test_frontend_follow_and_unfollow(client, sql, make_user):
    fan, star = make_user(), make_user()
    followed = client.http.post(f"/social/follow/{star['id']}", headers=auth_headers(fan["id"]))
    assert followed.status_code == 200
    assert body(followed)["following"] is True
    assert isinstance(body(followed)["message"], str)
    unfollowed = client.http.delete(f"/social/unfollow/{star['id']}", headers=auth_headers(fan["id"]))
    assert body(unfollowed)["following"] is False
    assert sql("SELECT count(*) AS n FROM follows")[0]["n"] == 0


def test_following_yourself_is_400(client, sql, make_user):
    fan = make_user()
    response = client.http.post(f"/social/follow/{fan['id']}", headers=auth_headers(fan["id"]))
    assert response.status_code == 400
    assert "detail" in body(response)
    assert sql("SELECT count(*) AS n FROM follows")[0]["n"] == 0


def test_concurrent_follows_and_unfollows_keep_counts_exact(sql, make_user, database_url):
    import threading

    from chalicelib import db
    from chalicelib.engagement import follows

    star = make_user()
    fans = [str(make_user()["id"]) for _ in range(12)]
    errors = []

    def churn(fan):
        try:
            for following in (True, True, False, True):  # retries and a change of mind
                follows.set_following(fan, str(star["id"]), following)
        except Exception as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=churn, args=(fan,)) for fan in fans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    fold()
    rows = sql("SELECT count(*) AS n FROM follows WHERE following_id = %s", (star["id"],))[0]["n"]
    assert rows == 12
    assert _counts(sql, star["id"]) == (12, 0)
    assert all(_counts(sql, fan) == (0, 1) for fan in fans)
