"""The old backend's read routes (contract section 1): same paths, parameters, defaults and
JSON shapes, checked field by field."""
from __future__ import annotations

import datetime as dt

import json

from tests.conftest import auth_headers
from tests.support.feed_rows import (
    follow, ids, insert_comment, insert_video, insert_videos, newest_first,
)

VIDEO_FIELDS = {
    "id", "user_id", "title", "description", "video_url", "thumbnail_url", "hashtags",
    "views_count", "likes_count", "comments_count", "shares_count", "created_at", "username",
    "avatar_url",
}
COMMENT_FIELDS = {"id", "video_id", "user_id", "username", "avatar_url", "content", "created_at"}
USER_FIELDS = {"id", "username", "full_name", "avatar_url", "bio", "followers_count", "following_count"}


def _get(client, path, **kw):
    response = client.http.get(path, **kw)
    assert response.status_code == 200, (path, response.status_code, response.body)
    return json.loads(response.body)


def test_feed_video_has_every_contract_field_with_its_value(client, make_user, sql):
    author = make_user("amina", avatar_url="https://i.example/amina.png")
    row = insert_video(sql, author["id"], title="Matatu art", description="Moi Avenue #nairobi",
                       hashtags=["nairobi", "matatu"], views_count=70, likes_count=7,
                       comments_count=3, shares_count=2)
    [video] = _get(client, "/videos/feed")
    assert VIDEO_FIELDS <= set(video)
    assert video["id"] == str(row["id"])
    assert video["user_id"] == str(author["id"])
    assert video["title"] == "Matatu art"
    assert video["description"] == "Moi Avenue #nairobi"
    assert video["video_url"] == row["video_url"]
    assert video["thumbnail_url"] == row["thumbnail_url"]
    assert video["hashtags"] == ["nairobi", "matatu"]
    assert (video["views_count"], video["likes_count"], video["comments_count"],
            video["shares_count"]) == (70, 7, 3, 2)
    # The live column is naive UTC; the answer says so with its offset.
    assert video["created_at"] == row["created_at"].replace(tzinfo=dt.timezone.utc).isoformat()
    assert video["username"] == "amina"
    assert video["avatar_url"] == "https://i.example/amina.png"
    assert video["status"] == "ready"


def test_feed_defaults_to_twenty_newest_first_and_pages_by_offset(client, make_user, sql):
    author = make_user()
    rows = insert_videos(sql, author["id"], 45)
    expected = newest_first(rows)
    assert ids(_get(client, "/videos/feed")) == expected[:20]
    assert ids(_get(client, "/videos/feed?limit=10&offset=30")) == expected[30:40]
    assert ids(_get(client, "/videos/feed?limit=10&offset=40")) == expected[40:]
    assert _get(client, "/videos/feed?offset=45") == []


def test_feed_limit_is_clamped_and_a_deep_offset_answers_correctly(client, make_user, sql):
    author = make_user()
    expected = newest_first(insert_videos(sql, author["id"], 260))
    assert ids(_get(client, "/videos/feed?limit=100000")) == expected[:100]
    assert ids(_get(client, "/videos/feed?limit=5&offset=250")) == expected[250:255]


def test_single_video_and_unknown_video(client, make_user, sql):
    author = make_user("otieno")
    row = insert_video(sql, author["id"])
    video = _get(client, f"/videos/{row['id']}")
    assert VIDEO_FIELDS <= set(video)
    assert (video["id"], video["username"]) == (str(row["id"]), "otieno")
    missing = client.http.get("/videos/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert json.loads(missing.body) == {"detail": "Video not found"}


def test_comments_have_every_contract_field_newest_first_without_deleted(client, make_user, sql):
    author, fan = make_user(), make_user("wanjiku", avatar_url="https://i.example/w.png")
    video = insert_video(sql, author["id"])
    older = insert_comment(sql, video["id"], fan["id"], "Sawa sawa", minutes=1)
    newer = insert_comment(sql, video["id"], fan["id"], "Big up!", minutes=2)
    reply = insert_comment(sql, video["id"], author["id"], "Asante", minutes=3, parent_id=older["id"])
    insert_comment(sql, video["id"], fan["id"], "oops", minutes=4, deleted=True)
    comments = _get(client, f"/videos/{video['id']}/comments")
    assert ids(comments) == [str(reply["id"]), str(newer["id"]), str(older["id"])]
    first = comments[2]
    assert COMMENT_FIELDS | {"parent_id"} == set(first)
    assert first == {
        "id": str(older["id"]), "video_id": str(video["id"]), "user_id": str(fan["id"]),
        "username": "wanjiku", "avatar_url": "https://i.example/w.png", "content": "Sawa sawa",
        "created_at": older["created_at"].replace(tzinfo=dt.timezone.utc).isoformat(), "parent_id": None,
    }
    assert comments[0]["parent_id"] == str(older["id"])


def test_comments_default_to_fifty_and_clamp_the_limit(client, make_user, sql):
    author = make_user()
    video = insert_video(sql, author["id"])
    sql("INSERT INTO video_comments (video_id, user_id, comment, created_at)"
        " SELECT %s, %s, 'c' || g, now() - g * interval '1 second' FROM generate_series(1, 120) g",
        (video["id"], author["id"]))
    assert len(_get(client, f"/videos/{video['id']}/comments")) == 50
    assert len(_get(client, f"/videos/{video['id']}/comments?limit=500")) == 100


def test_followers_and_following_are_users_newest_follow_first(client, make_user, sql):
    star = make_user("kamau", bio="Matatu artist", avatar_url="https://i.example/k.png",
                     followers_count=3, following_count=1)
    fans = [make_user(f"fan_{n}") for n in range(3)]
    for n, fan in enumerate(fans):
        follow(sql, fan["id"], star["id"], minutes=n)
    follow(sql, star["id"], fans[0]["id"], minutes=10)

    followers = _get(client, f"/social/followers/{star['id']}")
    assert ids(followers) == [str(f["id"]) for f in reversed(fans)]
    assert set(followers[0]) == USER_FIELDS
    assert ids(_get(client, f"/social/followers/{star['id']}?limit=1&offset=1")) == [str(fans[1]["id"])]

    [followed] = _get(client, f"/social/following/{star['id']}")
    assert followed == {
        "id": str(fans[0]["id"]), "username": "fan_0", "full_name": "Fan_0", "avatar_url": None,
        "bio": None, "followers_count": 0, "following_count": 0,
    }
    [as_follower] = _get(client, f"/social/followers/{fans[0]['id']}")
    assert as_follower == {
        "id": str(star["id"]), "username": "kamau", "full_name": "Kamau",
        "avatar_url": "https://i.example/k.png", "bio": "Matatu artist",
        "followers_count": 3, "following_count": 1,
    }
    assert ids(_get(client, f"/social/following/{fans[1]['id']}")) == [str(star["id"])]
    loner = make_user()
    assert _get(client, f"/social/following/{loner['id']}") == []
    assert _get(client, f"/social/followers/{loner['id']}") == []


def test_is_following_answers_for_the_caller_privately(client, make_user, sql):
    me, star, other = make_user(), make_user(), make_user()
    follow(sql, me["id"], star["id"])
    yes = client.http.get(f"/social/is-following/{star['id']}", headers=auth_headers(me["id"]))
    no = client.http.get(f"/social/is-following/{other['id']}", headers=auth_headers(me["id"]))
    assert json.loads(yes.body) == {"following": True}
    assert json.loads(no.body) == {"following": False}
    assert yes.headers["Cache-Control"] == "private, no-store"
    assert client.http.get(f"/social/is-following/{star['id']}").status_code == 401


def test_following_feed_lists_followed_creators_newest_first(client, make_user, sql):
    me, star, other_star, stranger = make_user(), make_user("chebet"), make_user(), make_user()
    follow(sql, me["id"], star["id"])
    follow(sql, me["id"], other_star["id"])
    theirs = insert_videos(sql, star["id"], 5) + insert_videos(sql, other_star["id"], 4)
    insert_videos(sql, stranger["id"], 5)
    insert_video(sql, star["id"], minutes=99, status="pending")
    headers = auth_headers(me["id"])
    response = client.http.get("/social/feed/following?limit=3&offset=1", headers=headers)
    body = json.loads(response.body)
    assert ids(body) == newest_first(theirs)[1:4]
    assert VIDEO_FIELDS <= set(body[0])
    assert {v["username"] for v in body} <= {"chebet", other_star["username"]}
    deep = json.loads(client.http.get("/social/feed/following?limit=4&offset=6", headers=headers).body)
    assert ids(deep) == newest_first(theirs)[6:]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.http.get("/social/feed/following").status_code == 401


def test_following_feed_offset_is_capped_at_ten_thousand(client, make_user, sql):
    # Each followed user's newest limit+offset rows are read before merging: a huge offset
    # would scan every video of everyone followed.
    me, star = make_user(), make_user()
    follow(sql, me["id"], star["id"])
    theirs = insert_videos(sql, star["id"], 3)
    headers = auth_headers(me["id"])
    # Issue 15: limit + offset at most 100, what the largest page 1 reads per followed user.
    response = client.http.get("/social/feed/following?offset=1000000", headers=headers)
    assert response.status_code == 400
    detail = json.loads(response.body)["detail"]
    assert "100" in detail and "/v1/me/feed" in detail
    assert client.http.get("/social/feed/following?limit=20&offset=81", headers=headers).status_code == 400
    at_cap = client.http.get("/social/feed/following?limit=20&offset=80", headers=headers)
    assert at_cap.status_code == 200 and json.loads(at_cap.body) == []
    assert ids(json.loads(client.http.get("/social/feed/following?offset=2", headers=headers).body)) \
        == newest_first(theirs)[2:]
    # The global feed and the people lists: at most 1,000 skipped entries.
    assert client.http.get("/videos/feed?offset=1000").status_code == 200
    deep = client.http.get("/videos/feed?offset=1001")
    assert deep.status_code == 400 and "/v1/feed" in json.loads(deep.body)["detail"]
    for path in (f"/social/followers/{star['id']}", f"/social/following/{me['id']}"):
        assert client.http.get(path + "?offset=1000").status_code == 200
        assert client.http.get(path + "?offset=1001").status_code == 400
