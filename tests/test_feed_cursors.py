"""The /v1 cursor pages: complete, in order, stable while rows are inserted between pages,
visible videos only, and cursors that only work for the list that issued them."""
from __future__ import annotations

import json
import uuid

import pytest

from chalicelib import cursors
from tests.conftest import auth_headers
from tests.support.feed_rows import (
    BASE_TIME, follow, ids, insert_comment, insert_video, insert_videos, newest_first,
)


def _get(client, path, **kw):
    response = client.http.get(path, **kw)
    assert response.status_code == 200, (path, response.status_code, response.body)
    return json.loads(response.body)


def _walk(client, path, *, between=None, headers=None):
    """Every page of a list: (ids in order, number of pages)."""
    seen, cursor, pages = [], None, 0
    while True:
        sep = "&" if "?" in path else "?"
        url = path if cursor is None else f"{path}{sep}cursor={cursor}"
        body = _get(client, url, headers=headers or {})
        assert set(body) == {"items", "next_cursor"}
        seen += ids(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        if between:
            between(pages)


def test_feed_pages_through_everything_once_while_new_videos_arrive(client, make_user, sql):
    author = make_user()
    rows = insert_videos(sql, author["id"], 53)
    # Ties on created_at: only the id orders them, and no page boundary may lose one.
    rows += insert_videos(sql, author["id"], 7, same_time=True)
    expected = newest_first(rows)

    def upload_between_pages(page_number):
        insert_video(sql, author["id"], minutes=10_000 + page_number)  # newer than page 1

    seen, pages = _walk(client, "/v1/feed?limit=7", between=upload_between_pages)
    assert seen == expected
    assert pages == 9  # 60 rows / 7, no empty page at the end


def test_exact_multiple_of_the_limit_has_no_trailing_empty_page(client, make_user, sql):
    author = make_user()
    rows = insert_videos(sql, author["id"], 10)
    first = _get(client, "/v1/feed?limit=5")
    second = _get(client, f"/v1/feed?limit=5&cursor={first['next_cursor']}")
    assert ids(first["items"]) + ids(second["items"]) == newest_first(rows)
    assert second["next_cursor"] is None


def test_feed_limit_defaults_to_twenty_and_is_clamped_to_fifty(client, make_user, sql):
    insert_videos(sql, make_user()["id"], 60)
    assert len(_get(client, "/v1/feed")["items"]) == 20
    assert len(_get(client, "/v1/feed?limit=500")["items"]) == 50


def test_lists_show_only_ready_videos_that_are_not_deleted(client, make_user, sql):
    author = make_user()
    ready = insert_video(sql, author["id"], minutes=1, hashtags=["kenya"])
    insert_video(sql, author["id"], minutes=2, status="pending", hashtags=["kenya"])
    insert_video(sql, author["id"], minutes=3, status="failed", hashtags=["kenya"])
    insert_video(sql, author["id"], minutes=4, hashtags=["kenya"], deleted_at=BASE_TIME)
    expected = [str(ready["id"])]
    assert ids(_get(client, "/v1/feed")["items"]) == expected
    assert ids(_get(client, "/videos/feed")) == expected
    assert ids(_get(client, f"/v1/users/{author['id']}/videos")["items"]) == expected
    assert ids(_get(client, "/v1/hashtags/kenya/videos")["items"]) == expected


def test_user_videos_pages_one_creator_and_404s_an_unknown_user(client, make_user, sql):
    author, other = make_user(), make_user()
    mine = insert_videos(sql, author["id"], 12)
    insert_videos(sql, other["id"], 12)
    seen, pages = _walk(client, f"/v1/users/{author['id']}/videos?limit=5")
    assert (seen, pages) == (newest_first(mine), 3)
    assert _get(client, f"/v1/users/{make_user()['id']}/videos") == {"items": [], "next_cursor": None}
    missing = client.http.get(f"/v1/users/{uuid.uuid4()}/videos")
    assert missing.status_code == 404
    assert json.loads(missing.body) == {"detail": "User not found"}


def test_user_profile(client, make_user):
    user = make_user("akinyi", bio="Dancer", followers_count=4)
    assert _get(client, f"/v1/users/{user['id']}") == {
        "id": str(user["id"]), "username": "akinyi", "full_name": "Akinyi", "avatar_url": None,
        "bio": "Dancer", "followers_count": 4, "following_count": 0,
    }
    assert client.http.get(f"/v1/users/{uuid.uuid4()}").status_code == 404


def test_hashtag_pages_match_the_tag_case_and_hash_insensitively(client, make_user, sql):
    author = make_user()
    tagged = insert_videos(sql, author["id"], 9, hashtags=["gengetone", "dance"])
    insert_videos(sql, author["id"], 9, hashtags=["safari"])
    seen, _ = _walk(client, "/v1/hashtags/gengetone/videos?limit=4")
    assert seen == newest_first(tagged)
    assert ids(_get(client, "/v1/hashtags/GengeTone/videos?limit=50")["items"]) == newest_first(tagged)
    assert ids(_get(client, "/v1/hashtags/%23gengetone/videos?limit=50")["items"]) == newest_first(tagged)
    assert _get(client, "/v1/hashtags/nothing/videos") == {"items": [], "next_cursor": None}


def test_me_feed_is_the_followed_creators_videos_privately(client, make_user, sql):
    me, star, other_star, stranger = make_user(), make_user(), make_user(), make_user()
    follow(sql, me["id"], star["id"])
    follow(sql, me["id"], other_star["id"])
    # Two creators on the same minutes: the pages interleave them, ties broken by id.
    theirs = insert_videos(sql, star["id"], 11) + insert_videos(sql, other_star["id"], 6)
    insert_videos(sql, stranger["id"], 11)
    seen, pages = _walk(client, "/v1/me/feed?limit=4", headers=auth_headers(me["id"]))
    assert (seen, pages) == (newest_first(theirs), 5)
    response = client.http.get("/v1/me/feed", headers=auth_headers(me["id"]))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.http.get("/v1/me/feed").status_code == 401


def test_comments_pages_skip_deleted_ones_and_carry_replies(client, make_user, sql):
    author = make_user()
    video = insert_video(sql, author["id"])
    kept = [insert_comment(sql, video["id"], author["id"], f"c{n}", minutes=n) for n in range(7)]
    insert_comment(sql, video["id"], author["id"], "gone", minutes=3.5, deleted=True)
    reply = insert_comment(sql, video["id"], author["id"], "reply", minutes=8, parent_id=kept[0]["id"])
    seen, pages = _walk(client, f"/v1/videos/{video['id']}/comments?limit=3")
    assert seen == newest_first(kept + [reply])
    assert pages == 3
    first = _get(client, f"/v1/videos/{video['id']}/comments?limit=1")["items"][0]
    assert first["parent_id"] == str(kept[0]["id"])
    missing = client.http.get(f"/v1/videos/{uuid.uuid4()}/comments")
    assert (missing.status_code, json.loads(missing.body)) == (404, {"detail": "Video not found"})


def _bad_cursor(client, path):
    response = client.http.get(path)
    assert response.status_code == 400, (path, response.status_code, response.body)
    assert json.loads(response.body) == {"detail": "Invalid cursor"}


def test_tampered_truncated_and_garbage_cursors_are_400(client, make_user, sql):
    insert_videos(sql, make_user()["id"], 5)
    cursor = _get(client, "/v1/feed?limit=2")["next_cursor"]
    flipped = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
    for bad in (flipped, cursor[:-3], cursor + "AAAA", "not-a-cursor", "%00%ff", "A" * 129, "====",):
        _bad_cursor(client, f"/v1/feed?cursor={bad}")


def test_a_cursor_from_another_list_is_400(client, make_user, sql):
    me, author = make_user(), make_user()
    follow(sql, me["id"], author["id"])
    insert_videos(sql, author["id"], 5, hashtags=["kenya"])
    feed_cursor = _get(client, "/v1/feed?limit=2")["next_cursor"]
    _bad_cursor(client, f"/v1/users/{author['id']}/videos?cursor={feed_cursor}")
    _bad_cursor(client, f"/v1/hashtags/kenya/videos?cursor={feed_cursor}")
    tag_cursor = _get(client, "/v1/hashtags/kenya/videos?limit=2")["next_cursor"]
    _bad_cursor(client, f"/v1/hashtags/safari/videos?cursor={tag_cursor}")
    mine = _get(client, "/v1/me/feed?limit=2", headers=auth_headers(me["id"]))["next_cursor"]
    someone_else = make_user()
    response = client.http.get(f"/v1/me/feed?cursor={mine}", headers=auth_headers(someone_else["id"]))
    assert response.status_code == 400


def test_a_cursor_signed_with_another_key_is_400(client, make_user, sql, settings_env):
    insert_videos(sql, make_user()["id"], 5)
    cursor = _get(client, "/v1/feed?limit=2")["next_cursor"]
    assert client.http.get(f"/v1/feed?cursor={cursor}").status_code == 200
    settings_env(CURSOR_SECRET="another-deployment's-key")
    _bad_cursor(client, f"/v1/feed?cursor={cursor}")


@pytest.mark.parametrize("micros", [2**62, -(2**62)])
def test_a_validly_signed_cursor_with_an_impossible_time_is_400(micros, settings_env):
    import base64

    settings_env(CURSOR_SECRET="k")
    body = cursors._BODY.pack(cursors.VERSION, micros, uuid.uuid4().bytes)
    token = base64.urlsafe_b64encode(body + cursors._tag("feed", body)).rstrip(b"=").decode()
    with pytest.raises(cursors.BadRequest):
        cursors.decode("feed", token)


def test_cursor_round_trip_keeps_the_microseconds():
    import datetime as dt

    at = dt.datetime(2026, 11, 29, 16, 10, 5, 123457, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    row_id = uuid.uuid4()
    position = cursors.decode("feed", cursors.encode("feed", at, row_id))
    # Decoded as the live columns hold it: naive UTC (16:10 at +03:00 is 13:10 UTC).
    assert position.created_at == dt.datetime(2026, 11, 29, 13, 10, 5, 123457)
    assert position.id == str(row_id)
    naive = cursors.decode("feed", cursors.encode("feed", position.created_at, row_id))
    assert naive.created_at == position.created_at  # a naive value is read as UTC
