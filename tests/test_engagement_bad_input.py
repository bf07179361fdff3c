"""Every engagement route refuses bad input with a 4xx `{"detail": ...}` and changes no row."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import auth_headers
from tests.support.engagement import make_video, snapshot

UNKNOWN = str(uuid.uuid4())
JSON = {"Content-Type": "application/json"}
BAD_TOKEN = {"Authorization": "Bearer not.a.token"}


@pytest.fixture
def world(sql, make_user):
    owner, fan, stranger = make_user(), make_user(), make_user()
    video = make_video(sql, owner)
    comment = sql("INSERT INTO video_comments (user_id, video_id, comment) VALUES (%s, %s, 'hi')"
                  " RETURNING id", (fan["id"], video["id"]))[0]
    reply = sql("INSERT INTO video_comments (user_id, video_id, comment, parent_id)"
                " VALUES (%s, %s, 're', %s) RETURNING id", (owner["id"], video["id"], comment["id"]))[0]
    return {"owner": str(owner["id"]), "fan": str(fan["id"]), "stranger": str(stranger["id"]),
            "video": str(video["id"]), "comment": str(comment["id"]), "reply": str(reply["id"])}


# (method, path, body, who, status): `who` is a user of `world` (a valid token), "none" (no
# Authorization header) or "bad" (a malformed token). Paths and bodies use {video}, {fan}, ...
CASES = [
    # likes
    ("PUT", "/v1/videos/{unknown}/like", None, "fan", 404),
    ("DELETE", "/v1/videos/{unknown}/like", None, "fan", 404),
    ("PUT", "/v1/videos/not-a-uuid/like", None, "fan", 400),
    ("PUT", "/v1/videos/{video}/like", None, "none", 401),
    ("PUT", "/v1/videos/{video}/like", None, "bad", 401),
    ("DELETE", "/v1/videos/{video}/like", None, "none", 401),
    ("POST", "/videos/{unknown}/like", None, "fan", 404),
    ("POST", "/videos/123/like", None, "fan", 400),
    ("POST", "/videos/{video}/like", None, "none", 401),
    ("POST", "/videos/{video}/like", None, "bad", 401),
    # comments
    ("POST", "/v1/videos/{unknown}/comments", {"content": "x"}, "fan", 404),
    ("POST", "/v1/videos/nope/comments", {"content": "x"}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "x"}, "none", 401),
    ("POST", "/v1/videos/{video}/comments", {"content": "x"}, "bad", 401),
    ("POST", "/v1/videos/{video}/comments", "{not json", "fan", 400),
    ("POST", "/v1/videos/{video}/comments", ["content"], "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": 5}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": None}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "   \n "}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "a" * 501}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "x", "parent_id": "zzz"}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "x", "parent_id": 7}, "fan", 400),
    ("POST", "/v1/videos/{video}/comments", {"content": "x", "parent_id": "{unknown}"}, "fan", 404),
    ("POST", "/v1/videos/{video}/comments", {"content": "x", "parent_id": "{reply}"}, "fan", 400),
    ("POST", "/videos/{unknown}/comment", {"content": "x"}, "fan", 404),
    ("POST", "/videos/bad/comment", {"content": "x"}, "fan", 400),
    ("POST", "/videos/{video}/comment", {"content": "x"}, "none", 401),
    ("POST", "/videos/{video}/comment", {"content": ""}, "fan", 400),
    ("POST", "/videos/{video}/comment", {"content": "é" * 501}, "fan", 400),
    ("POST", "/videos/{video}/comment", "[1,", "fan", 400),
    ("DELETE", "/v1/comments/{unknown}", None, "fan", 404),
    ("DELETE", "/v1/comments/not-an-id", None, "fan", 400),
    ("DELETE", "/v1/comments/{comment}", None, "none", 401),
    ("DELETE", "/v1/comments/{comment}", None, "bad", 401),
    ("DELETE", "/v1/comments/{comment}", None, "stranger", 403),
    ("DELETE", "/v1/comments/{reply}", None, "fan", 403),
    # views
    ("POST", "/v1/videos/{unknown}/views", {"watch_ms": 5000}, "fan", 404),
    ("POST", "/v1/videos/{unknown}/views", {"watch_ms": 5000}, "none", 404),
    ("POST", "/v1/videos/{unknown}/views", {"watch_ms": 1}, "none", 404),
    ("POST", "/v1/videos/xyz/views", {"watch_ms": 5000}, "none", 400),
    ("POST", "/v1/videos/{video}/views", "{{{", "none", 400),
    ("POST", "/v1/videos/{video}/views", {"watch_ms": "5000"}, "none", 400),
    ("POST", "/v1/videos/{video}/views", {"watch_ms": -1}, "none", 400),
    ("POST", "/v1/videos/{video}/views", {"watch_ms": True}, "none", 400),
    ("POST", "/v1/videos/{video}/views", {"watch_ms": 1.5}, "none", 400),
    ("POST", "/v1/videos/{video}/views", {"watch_ms": 5000}, "bad", 401),
    # shares
    ("POST", "/v1/videos/{unknown}/shares", {"channel": "whatsapp"}, "fan", 404),
    ("POST", "/v1/videos/0/shares", {"channel": "whatsapp"}, "fan", 400),
    ("POST", "/v1/videos/{video}/shares", {"channel": "pigeon"}, "fan", 400),
    ("POST", "/v1/videos/{video}/shares", {"channel": 3}, "fan", 400),
    ("POST", "/v1/videos/{video}/shares", {}, "none", 400),
    ("POST", "/v1/videos/{video}/shares", "nope", "none", 400),
    ("POST", "/v1/videos/{video}/shares", {"channel": "sms"}, "bad", 401),
    # follows
    ("PUT", "/v1/users/{unknown}/follow", None, "fan", 404),
    ("DELETE", "/v1/users/{unknown}/follow", None, "fan", 404),
    ("PUT", "/v1/users/me/follow", None, "fan", 400),
    ("PUT", "/v1/users/{fan}/follow", None, "fan", 400),
    ("PUT", "/v1/users/{owner}/follow", None, "none", 401),
    ("PUT", "/v1/users/{owner}/follow", None, "bad", 401),
    ("POST", "/social/follow/{unknown}", None, "fan", 404),
    ("POST", "/social/follow/{fan}", None, "fan", 400),
    ("POST", "/social/follow/12", None, "fan", 400),
    ("POST", "/social/follow/{owner}", None, "none", 401),
    ("DELETE", "/social/unfollow/{unknown}", None, "fan", 404),
    ("DELETE", "/social/unfollow/{fan}", None, "fan", 400),
    ("DELETE", "/social/unfollow/x", None, "fan", 400),
    ("DELETE", "/social/unfollow/{owner}", None, "bad", 401),
]


def _fill(text: str, world: dict) -> str:
    for name, value in {"unknown": UNKNOWN, **world}.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize("method,path,payload,who,status", CASES)
def test_bad_input_is_refused_without_changing_a_row(client, sql, world, method, path, payload, who, status):
    if isinstance(payload, (dict, list)):
        raw = _fill(json.dumps(payload), world)
    else:
        raw = payload
    headers = dict(JSON)
    if who == "bad":
        headers.update(BAD_TOKEN)
    elif who != "none":
        headers.update(auth_headers(world[who]))
    before = snapshot(sql)
    response = client.http.request(method, _fill(path, world), body=raw or b"", headers=headers)
    assert response.status_code == status, response.body
    assert isinstance(json.loads(response.body)["detail"], str)
    assert snapshot(sql) == before


def test_over_long_idempotency_key_is_400(client, sql, world):
    before = snapshot(sql)
    response = client.http.post(
        f"/v1/videos/{world['video']}/comments", body='{"content": "x"}',
        headers={**JSON, **auth_headers(world["fan"]), "Idempotency-Key": "k" * 201},
    )
    assert response.status_code == 400
    assert snapshot(sql) == before
