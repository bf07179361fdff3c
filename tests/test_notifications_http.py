"""The notification routes (issue 13): the current backend's shapes, cursor pages, read and
read-all (idempotent, batched), exact unread counts, bad input, retention."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import auth_headers

COLUMNS = "id, user_id, type, title, message, data, is_read, created_at"


def seed(sql, user, n, read=False, age_days=0, type_="new_like"):
    """n notifications for `user`, written as the current backend writes them (an INSERT)."""
    return sql(
        "INSERT INTO notifications (user_id, type, title, message, data, is_read, created_at)"
        " SELECT %s, %s, 'New like', 'x liked your video', jsonb_build_object('i', i), %s,"
        "        (now() AT TIME ZONE 'UTC') - make_interval(days => %s) - i * interval '1 second'"
        " FROM generate_series(1, %s) i RETURNING id",
        (user["id"], type_, read, age_days, n))


def count(client, user) -> int:
    response = client.http.get("/notifications/unread-count", headers=auth_headers(user["id"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    return json.loads(response.body)["unread_count"]


def rows(sql):
    return sql(f"SELECT {COLUMNS} FROM notifications ORDER BY id")


@pytest.mark.parametrize("path", ["/notifications/", "/notifications"])
def test_the_list_has_the_current_backends_shape(client, sql, make_user, path):
    me, other = make_user(), make_user()
    seed(sql, me, 3)
    seed(sql, me, 1, read=True, age_days=1)
    seed(sql, other, 2)
    response = client.http.get(path + "?limit=20&unread_only=false", headers=auth_headers(me["id"]))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    items = json.loads(response.body)
    assert len(items) == 4
    assert set(items[0]) == {"id", "user_id", "type", "title", "message", "data", "read", "created_at"}
    assert [i["data"]["i"] for i in items] == [1, 2, 3, 1] and items[-1]["read"] is True
    assert items[0]["created_at"].endswith("+00:00")
    unread = json.loads(client.http.get(path + "?unread_only=true", headers=auth_headers(me["id"])).body)
    assert len(unread) == 3 and not any(i["read"] for i in unread)
    assert len(json.loads(client.http.get(path + "?limit=2", headers=auth_headers(me["id"])).body)) == 2
    assert count(client, me) == 3 and count(client, other) == 2


def test_read_is_idempotent_and_404_for_others_and_unknown_ids(client, sql, make_user):
    me, other = make_user(), make_user()
    [mine, second] = [r["id"] for r in seed(sql, me, 2)]
    [theirs] = [r["id"] for r in seed(sql, other, 1)]
    path = f"/notifications/{mine}/read"
    first = client.http.post(path, headers=auth_headers(me["id"]))
    again = client.http.post(path, headers=auth_headers(me["id"]))
    assert first.status_code == again.status_code == 200
    assert json.loads(first.body) == json.loads(again.body) == {"message": "Notification marked as read"}
    assert count(client, me) == 1
    before = rows(sql)
    for target in (theirs, uuid.uuid4()):
        response = client.http.post(f"/notifications/{target}/read", headers=auth_headers(me["id"]))
        assert response.status_code == 404 and "detail" in json.loads(response.body)
    assert rows(sql) == before and count(client, other) == 1
    assert [r["is_read"] for r in sql("SELECT is_read FROM notifications WHERE id = %s", (second,))] == [False]


def test_read_all_in_batches_and_its_continuation(client, sql, make_user):
    from chalicelib.notifications import service

    me, other = make_user(), make_user()
    seed(sql, me, 2_500)
    seed(sql, other, 3)
    response = client.http.post("/notifications/read-all", headers=auth_headers(me["id"]))
    assert json.loads(response.body) == {"message": "All notifications marked as read"}
    assert count(client, me) == 0 and count(client, other) == 3
    assert json.loads(client.http.post("/notifications/read-all", headers=auth_headers(me["id"])).body) \
        == {"message": "All notifications marked as read"}

    seed(sql, me, 25)
    partial = service.read_all(str(me["id"]), budget_s=0, batch=10)  # the budget runs out at once
    assert partial == {"marked": 10, "finished": False} and count(client, me) == 15
    assert service.continue_read_alls(batch=10) == 15
    assert count(client, me) == 0
    assert sql("SELECT count(*) AS n FROM notification_read_all_requests")[0]["n"] == 0


def test_unread_count_follows_the_current_backends_writes(client, sql, make_user):
    me = make_user()
    ids = [r["id"] for r in seed(sql, me, 5)]
    sql("UPDATE notifications SET is_read = true WHERE id = ANY(%s)", (ids[:2],))
    sql("DELETE FROM notifications WHERE id = %s", (ids[4],))
    assert count(client, me) == 2
    sql("UPDATE notifications SET is_read = false WHERE id = %s", (ids[0],))
    assert count(client, me) == 3
    assert count(client, make_user()) == 0


def test_cursor_pages_walk_every_notification_once(client, sql, make_user):
    me = make_user()
    seed(sql, me, 7)
    seed(sql, me, 3, read=True, age_days=1)
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        response = client.http.get("/v1/me/notifications" + query, headers=auth_headers(me["id"]))
        assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
        page = json.loads(response.body)
        seen += [i["id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4 and len(seen) == len(set(seen)) == 10
    unread = json.loads(client.http.get("/v1/me/notifications?unread_only=1&limit=50",
                                        headers=auth_headers(me["id"])).body)
    assert len(unread["items"]) == 7 and unread["next_cursor"] is None


BAD = [
    ("GET", "/notifications/?limit=0"),
    ("GET", "/notifications/?limit=101"),
    ("GET", "/notifications/?limit=abc"),
    ("GET", "/notifications/?unread_only=maybe"),
    ("GET", "/v1/me/notifications?limit=51"),
    ("GET", "/v1/me/notifications?unread_only=2"),
    ("GET", "/v1/me/notifications?cursor=not-a-cursor"),
    ("POST", "/notifications/not-a-uuid/read"),
]


@pytest.mark.parametrize("method,path", BAD)
def test_bad_input_is_a_400_and_changes_nothing(client, sql, make_user, method, path):
    me = make_user()
    seed(sql, me, 2)
    before = rows(sql)
    response = client.http.request(method, path, headers=auth_headers(me["id"]))
    assert response.status_code == 400, response.body
    assert set(json.loads(response.body)) == {"detail"}
    assert rows(sql) == before


def test_another_lists_cursor_is_refused(client, sql, make_user):
    me, other = make_user(), make_user()
    seed(sql, other, 3)
    page = json.loads(client.http.get("/v1/me/notifications?limit=1", headers=auth_headers(other["id"])).body)
    response = client.http.get(f"/v1/me/notifications?cursor={page['next_cursor']}", headers=auth_headers(me["id"]))
    assert response.status_code == 400


@pytest.mark.parametrize("method,path", [("GET", "/notifications/"), ("GET", "/notifications/unread-count"),
                                         ("POST", "/notifications/read-all"), ("GET", "/v1/me/notifications"),
                                         ("POST", f"/notifications/{uuid.uuid4()}/read")])
def test_every_route_needs_a_token(client, method, path):
    assert client.http.request(method, path).status_code == 401


def test_retention_prunes_old_read_notifications_only(sql, make_user):
    from chalicelib.notifications import retention

    me = make_user()
    seed(sql, me, 7, read=True, age_days=40)
    seed(sql, me, 2, read=False, age_days=40)
    seed(sql, me, 3, read=True, age_days=5)
    assert retention.prune(older_than_days=30, batch=3) == 7
    left = sql("SELECT is_read, count(*) AS n FROM notifications GROUP BY 1 ORDER BY 1")
    assert [(r["is_read"], r["n"]) for r in left] == [(False, 2), (True, 3)]
    assert retention.prune(older_than_days=30) == 0


def test_the_scheduled_jobs_materialise_and_prune(client, sql, make_user):
    from tests.support.engagement import make_video
    from tests.support.lambda_events import scheduled_event
    from chalicelib.engagement import likes

    owner, fan = make_user(), make_user()
    likes.set_like(str(fan["id"]), str(make_video(sql, owner)["id"]), True)
    result = client.lambda_.invoke("materialise_notifications", scheduled_event())
    assert result.payload["events"] == 1 and result.payload["created"] == 1
    assert result.payload["backlog"] == 0
    assert count(client, owner) == 1
    assert client.lambda_.invoke("prune_notifications", scheduled_event()).payload == {"deleted": 0}
