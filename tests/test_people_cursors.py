"""Issue 15 item 2: followers and following in keyset pages (`GET /v1/users/{id}/followers`,
`/following`): signed cursors, one statement per page whose cost does not grow with depth,
public and the same for every reader; the old offset routes point their deep 400 here."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.feed_rows import BASE_TIME, follow, ids
from tests.support.pg_stats import count_statements

USER_FIELDS = {"id", "username", "full_name", "avatar_url", "bio", "followers_count", "following_count"}
SIDES = ["followers", "following"]


def _link(sql, side, star, other, minutes):
    """`other` follows `star` (followers) or `star` follows `other` (following)."""
    a, b = (other, star) if side == "followers" else (star, other)
    return follow(sql, a["id"], b["id"], minutes=minutes)


def _walk(client, path, limit, headers=None):
    pages, cursor = [], None
    while True:
        url = f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.http.get(url, headers=headers or {})
        assert response.status_code == 200, response.body
        body = json.loads(response.body)
        assert set(body) == {"items", "next_cursor"}
        pages.append((response, body["items"]))
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


@pytest.mark.parametrize("side", SIDES)
def test_pages_walk_every_person_once_newest_follow_first(client, make_user, sql, side):
    star = make_user("kamau")
    people = [make_user() for _ in range(7)]
    follows = {}
    for n, person in enumerate(people):  # three follows share a timestamp: the id breaks the tie
        follows[str(person["id"])] = _link(sql, side, star, person, minutes=min(n, 4))
    expected = sorted(follows, key=lambda p: (follows[p]["created_at"], str(follows[p]["id"])), reverse=True)
    pages = _walk(client, f"/v1/users/{star['id']}/{side}", limit=3)
    assert [len(items) for _, items in pages] == [3, 3, 1]
    listed = [i for _, items in pages for i in items]
    assert ids(listed) == expected  # each once, newest follow first, ties by the follow's id
    assert set(listed[0]) == USER_FIELDS
    assert ids(listed) == ids(json.loads(client.http.get(
        f"/social/{side}/{star['id']}?limit=50").body))  # the same order as the old route
    first, later = pages[0][0], pages[1][0]
    assert first.headers["Cache-Control"].startswith("public, max-age=15, s-maxage=30")
    assert later.headers["Cache-Control"].startswith("public, max-age=30, s-maxage=60")


@pytest.mark.parametrize("side", SIDES)
def test_a_stranger_and_a_signed_in_reader_get_the_same_public_answer(client, make_user, sql, side):
    """What the shared cache may hold: the route never reads the caller (a bad token is not
    even looked at), so one entry serves everybody."""
    star, fan, reader = make_user(), make_user(), make_user()
    _link(sql, side, star, fan, minutes=1)
    path = f"/v1/users/{star['id']}/{side}"
    anonymous = client.http.get(path)
    for headers in (auth_headers(reader["id"]), auth_headers(fan["id"]), {"Authorization": "Bearer nope"}):
        answer = client.http.get(path, headers=headers)
        assert answer.status_code == 200
        assert answer.body == anonymous.body and answer.headers["ETag"] == anonymous.headers["ETag"]
        assert answer.headers["Cache-Control"] == anonymous.headers["Cache-Control"]
        assert "Authorization" not in answer.headers.get("Vary", "")


@pytest.mark.parametrize("side", SIDES)
def test_suspended_people_blocked_follows_and_undated_follows_are_left_out(client, make_user, sql, side):
    star = make_user()
    shown, suspended, blocked, undated = (make_user() for _ in range(4))
    for n, person in enumerate((shown, suspended, blocked, undated)):
        _link(sql, side, star, person, minutes=n)
    sql("UPDATE users SET suspended_at = now() WHERE id = %s", (suspended["id"],))
    sql("INSERT INTO user_blocks (blocker_id, blocked_id) VALUES (%s, %s)", (star["id"], blocked["id"]))
    sql("UPDATE follows SET created_at = NULL WHERE follower_id = %(u)s OR following_id = %(u)s",
        {"u": undated["id"]})
    body = json.loads(client.http.get(f"/v1/users/{star['id']}/{side}").body)
    assert ids(body["items"]) == [str(shown["id"])] and body["next_cursor"] is None
    # The old route leaves out the same suspended and blocked people (it keeps undated rows).
    assert set(ids(json.loads(client.http.get(f"/social/{side}/{star['id']}").body))) == \
        {str(shown["id"]), str(undated["id"])}


def test_unknown_and_suspended_users_are_404(client, make_user, sql):
    gone = make_user()
    sql("UPDATE users SET suspended_at = now() WHERE id = %s", (gone["id"],))
    for side in SIDES:
        for user_id in ("00000000-0000-4000-8000-000000000000", gone["id"]):
            response = client.http.get(f"/v1/users/{user_id}/{side}")
            assert response.status_code == 404
            assert json.loads(response.body) == {"detail": "User not found"}
        assert client.http.get(f"/v1/users/not-a-uuid/{side}").status_code == 400


def test_an_attacker_cannot_forge_reuse_or_stretch_a_cursor(client, make_user, sql):
    star, other = make_user(), make_user()
    for n in range(4):
        fan = make_user()
        follow(sql, fan["id"], star["id"], minutes=n)
        follow(sql, fan["id"], other["id"], minutes=n)
        follow(sql, star["id"], fan["id"], minutes=n)
    cursor = json.loads(client.http.get(f"/v1/users/{star['id']}/followers?limit=1").body)["next_cursor"]
    edited = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for path in (f"/v1/users/{star['id']}/followers?cursor={edited}",  # edited
                 f"/v1/users/{other['id']}/followers?cursor={cursor}",  # another user's list
                 f"/v1/users/{star['id']}/following?cursor={cursor}",  # the other side
                 f"/v1/users/{star['id']}/videos?cursor={cursor}",  # another kind of list
                 f"/v1/users/{star['id']}/followers?cursor=" + "A" * 200,
                 f"/v1/users/{star['id']}/followers?limit=0"):
        response = client.http.get(path)
        assert response.status_code == 400, path
        assert "detail" in json.loads(response.body)
    big = json.loads(client.http.get(f"/v1/users/{star['id']}/followers?limit=5000").body)
    assert len(big["items"]) == 4  # limit clamps to 50; 4 is all there is


def _crowd(sql, star, n):
    """`n` followers of `star`, one a second, inserted in two statements."""
    sql("INSERT INTO users (email, username, full_name, password_hash)"
        " SELECT 'crowd' || g || '@example.test', 'crowd_' || g, 'Crowd ' || g, '!'"
        " FROM generate_series(1, %s) g", (n,))
    sql("INSERT INTO follows (follower_id, following_id, created_at)"
        " SELECT u.id, %s, %s + (row_number() OVER (ORDER BY u.username)) * interval '1 second'"
        " FROM users u WHERE u.username LIKE 'crowd\\_%%'", (star["id"], BASE_TIME))


def test_a_deep_page_costs_what_page_one_costs(client, make_user, sql, database_url):
    """An attacker with a loop walks the list at page 1's price: one statement per page, and
    about the same buffers at follower 1,950 as at follower 0 (an OFFSET would read them all)."""
    star = make_user()
    _crowd(sql, star, 2000)
    # Everyone else follows each other too, so the planner sees a star among many lists (it
    # then walks follows_following_keyset_idx from the cursor, the row comparison in the
    # index condition; with one list alone any index is as good).
    sql("INSERT INTO follows (follower_id, following_id, created_at)"
        " SELECT a.id, b.id, %s - random() * interval '30 days'"
        " FROM (SELECT id FROM users WHERE id <> %s ORDER BY id LIMIT 300) a"
        " CROSS JOIN (SELECT id FROM users WHERE id <> %s ORDER BY id DESC LIMIT 100) b"
        " WHERE a.id <> b.id ON CONFLICT DO NOTHING", (BASE_TIME, star["id"], star["id"]))
    sql("ANALYZE follows")
    sql("ANALYZE users")
    path = f"/v1/users/{star['id']}/followers?limit=50"
    cursor, costs = None, []
    for page in range(40):
        url = path + (f"&cursor={cursor}" if cursor else "")
        with count_statements(database_url) as counted:
            response = client.http.get(url)
        assert response.status_code == 200 and counted.count == 1, counted.queries
        if page in (1, 39):
            costs.append(counted.blocks)
        cursor = json.loads(response.body)["next_cursor"]
    assert cursor is None and len(json.loads(response.body)["items"]) == 50
    assert costs[1] <= costs[0] * 1.5 + 20, costs
    with count_statements(database_url) as offset:
        assert client.http.get(f"/social/followers/{star['id']}?limit=50&offset=950").status_code == 200
    assert offset.blocks > 5 * costs[1], (offset.blocks, costs)  # what keyset pages avoid


@pytest.mark.parametrize("side", SIDES)
def test_the_old_route_refuses_a_deep_offset_and_names_the_cursor_route(client, make_user, side):
    star = make_user()
    assert client.http.get(f"/social/{side}/{star['id']}?offset=1000").status_code == 200
    deep = client.http.get(f"/social/{side}/{star['id']}?offset=1001")
    assert deep.status_code == 400
    detail = json.loads(deep.body)["detail"]
    assert "1000" in detail and f"/v1/users/{{id}}/{side}" in detail, detail
    assert "no-store" in deep.headers["Cache-Control"]  # a 400 is never cached
