"""The live `timestamp` columns hold UTC: answers, cursors and the trending window read them so
under any session TimeZone (the suite's database runs in a zone that is not UTC)."""
from __future__ import annotations

import datetime as dt
import json

from tests.support.engagement import make_video
from tests.support.trending import add_likes, add_video, make_users


def test_the_database_under_test_is_not_in_utc(sql):
    # The API's connections take the database's zone; the `sql` fixture writes in UTC.
    from chalicelib import db

    zone = db.fetch_one("SELECT current_setting('TimeZone') AS tz")["tz"]
    assert zone not in ("UTC", "Etc/UTC", "GMT")


def test_a_naive_utc_row_answers_with_its_utc_offset(client, sql, make_user):
    owner = make_user()
    video = make_video(sql, owner, created_at=dt.datetime(2026, 11, 1, 12, 0))
    body = json.loads(client.http.get(f"/v1/videos/{video['id']}").body)
    assert body["created_at"] == "2026-11-01T12:00:00+00:00"


def test_a_row_written_by_the_api_is_stamped_now_in_utc(client, sql, make_user):
    from tests.conftest import auth_headers

    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    posted = client.http.post(f"/videos/{video['id']}/comment", headers=auth_headers(fan["id"]),
                              body=json.dumps({"content": "Sasa"}))
    stamped = dt.datetime.fromisoformat(json.loads(posted.body)["created_at"])
    assert abs((dt.datetime.now(dt.timezone.utc) - stamped).total_seconds()) < 60


def test_the_trending_window_is_48_hours_of_utc(sql, make_user):
    from chalicelib.repo import trending

    owner = str(make_user()["id"])
    fans = make_users(sql, 3)
    inside = add_video(sql, owner, age_h=60, title="inside")
    outside = add_video(sql, owner, age_h=60, title="outside")
    # 47 h and 49 h ago in UTC: read in the session's zone (+03:00), both would move by 3 h.
    add_likes(sql, inside, fans, age_h=47)
    add_likes(sql, outside, fans, age_h=49)
    picked = {str(r["id"]) for r in trending.ranked_rows() if r["list_tag"] is None}
    assert picked == {inside}


def test_a_row_without_created_at_never_breaks_a_list(client, sql, make_user):
    """The live created_at is nullable: such a row is left out of lists (it has no place in
    the keyset order) and stays readable by id."""
    from tests.support.feed_rows import insert_comment, insert_videos

    owner, fan = make_user(), make_user()
    listed = insert_videos(sql, owner["id"], 3)
    orphan = make_video(sql, owner, created_at=None)
    insert_comment(sql, listed[0]["id"], fan["id"])
    sql("INSERT INTO video_comments (video_id, user_id, comment, created_at) VALUES (%s, %s, 'x', NULL)",
        (listed[0]["id"], fan["id"]))
    seen, cursor = [], None
    while True:
        page = client.http.get("/v1/feed?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200, page.body
        data = json.loads(page.body)
        seen += [v["id"] for v in data["items"]]
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(str(v["id"]) for v in listed)
    assert json.loads(client.http.get("/videos/feed?limit=10").body)[0]["id"] != str(orphan["id"])
    one = client.http.get(f"/v1/videos/{orphan['id']}")
    assert one.status_code == 200 and json.loads(one.body)["created_at"] is None
    comments = client.http.get(f"/v1/videos/{listed[0]['id']}/comments?limit=1")
    assert comments.status_code == 200 and len(json.loads(comments.body)["items"]) == 1
