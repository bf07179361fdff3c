"""Blocks: follows removed and refused, comments, gifts and notifications refused both ways,
private lists filtered server-side; who may call; a loop of blocks is limited."""
from __future__ import annotations

import json

import pytest

from chalicelib.notifications import materialise
from tests.conftest import auth_headers
from tests.support.feed_rows import follow, insert_video


def _call(client, method, path, user=None, body=None):
    headers = {"Content-Type": "application/json", **(auth_headers(user["id"]) if user else {})}
    answer = getattr(client.http, method)(path, headers=headers, body=json.dumps(body) if body else None)
    return answer, (json.loads(answer.body) if answer.body else None)


@pytest.fixture
def pair(sql, make_user):
    amina, brian = make_user("amina"), make_user("brian")
    follow(sql, amina["id"], brian["id"])
    follow(sql, brian["id"], amina["id"])
    return amina, brian


def test_block_removes_follows_both_ways_and_refuses_new_ones(client, sql, pair):
    amina, brian = pair
    answer, body = _call(client, "put", f"/v1/users/{brian['id']}/block", amina)
    assert answer.status_code == 200 and body == {"blocked": True, "changed": True}
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert sql("SELECT count(*) AS n FROM follows")[0]["n"] == 0
    assert _call(client, "put", f"/v1/users/{brian['id']}/block", amina)[1]["changed"] is False
    for who, whom in ((amina, brian), (brian, amina)):
        answer, body = _call(client, "post", f"/social/follow/{whom['id']}", who)
        assert answer.status_code == 403, body
    assert _call(client, "get", "/v1/me/blocks", amina)[1] == {"ids": [str(brian["id"])]}
    # Whom someone blocked is theirs alone.
    assert _call(client, "get", "/v1/me/blocks", brian)[1] == {"ids": []}
    assert _call(client, "delete", f"/v1/users/{brian['id']}/block", amina)[1] == {"blocked": False, "changed": True}
    assert _call(client, "post", f"/social/follow/{brian['id']}", amina)[0].status_code == 200


def test_no_comments_on_each_other_s_videos(client, sql, pair):
    amina, brian = pair
    mine, theirs = insert_video(sql, amina["id"]), insert_video(sql, brian["id"])
    _call(client, "put", f"/v1/users/{brian['id']}/block", amina)
    for who, video in ((brian, mine), (amina, theirs)):
        answer, _ = _call(client, "post", f"/v1/videos/{video['id']}/comments", who, {"content": "Habari"})
        assert answer.status_code == 403
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0


def test_no_gifts_between_them(client, sql, pair):
    amina, brian = pair
    _call(client, "put", f"/v1/users/{amina['id']}/block", brian)
    gift_type = sql("INSERT INTO gift_types (name, coin_cost) VALUES ('Rose', 1) RETURNING id")[0]["id"]
    headers = {**auth_headers(amina["id"]), "Content-Type": "application/json", "Idempotency-Key": "k1"}
    answer = client.http.post("/v1/gifts", headers=headers, body=json.dumps(
        {"recipient_id": str(brian["id"]), "gift_type_id": str(gift_type)}))
    assert answer.status_code == 403, answer.body


def test_no_notifications_between_them_and_private_lists_filtered(client, sql, make_user, pair):
    amina, brian = pair
    carol = make_user("carol")
    follow(sql, amina["id"], carol["id"])
    video = insert_video(sql, amina["id"])
    insert_video(sql, brian["id"], title="Brian's video")
    insert_video(sql, carol["id"], title="Carol's video")
    _call(client, "post", f"/v1/videos/{video['id']}/comments", brian, {"content": "Before"})
    materialise.materialise()
    kinds = [n["type"] for n in json.loads(client.http.get("/notifications", headers=auth_headers(amina["id"])).body)]
    assert sorted(kinds) == ["new_comment", "new_follower"]  # both from brian
    _call(client, "put", f"/v1/users/{brian['id']}/block", amina)
    # The notifications from before the block are left out of the list.
    assert json.loads(client.http.get("/notifications", headers=auth_headers(amina["id"])).body) == []
    # An event queued by the old backend's follow (no block check there) notifies nobody.
    sql("INSERT INTO follows (follower_id, following_id) VALUES (%s, %s)", (brian["id"], amina["id"]))
    materialise.materialise()
    assert json.loads(client.http.get("/notifications", headers=auth_headers(amina["id"])).body) == []
    # My feed: a follow made across the block by the old backend is skipped.
    sql("INSERT INTO follows (follower_id, following_id) VALUES (%s, %s)", (amina["id"], brian["id"]))
    feed = json.loads(client.http.get("/v1/me/feed", headers=auth_headers(amina["id"])).body)
    assert [v["title"] for v in feed["items"]] == ["Carol's video"]


def test_who_may_block(client, pair, settings_env, make_user):
    amina, brian = pair
    assert _call(client, "put", f"/v1/users/{brian['id']}/block")[0].status_code == 401
    assert _call(client, "get", "/v1/me/blocks")[0].status_code == 401
    assert _call(client, "put", f"/v1/users/{amina['id']}/block", amina)[0].status_code == 400
    assert _call(client, "put", "/v1/users/nope/block", amina)[0].status_code == 400
    assert _call(client, "put", "/v1/users/00000000-0000-0000-0000-000000000000/block", amina)[0].status_code == 404
    settings_env(RATE_LIMITS="block=2/3600")
    others = [make_user() for _ in range(3)]
    codes = [_call(client, "put", f"/v1/users/{o['id']}/block", amina)[0].status_code for o in others]
    assert codes == [200, 200, 429]
