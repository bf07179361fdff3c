"""JSON bodies: a NUL character (legal in JSON, refused by Postgres text) is a 400, not a 500."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.engagement import make_video


def test_a_nul_character_anywhere_in_a_body_is_a_400_and_changes_nothing(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    for payload in ({"content": "sawa\u0000sawa"}, {"content": "ok", "extra": ["\u0000"]},
                    {"content": "ok", "k\u0000": 1}):
        answer = client.http.post(
            f"/v1/videos/{video['id']}/comments", body=json.dumps(payload),
            headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
        assert answer.status_code == 400, payload
        assert "NUL" in json.loads(answer.body)["detail"]
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0
    # The text "\u0000" itself (backslash, u, zeros) is ordinary content.
    answer = client.http.post(
        f"/v1/videos/{video['id']}/comments", body=json.dumps({"content": "\\u0000"}),
        headers={**auth_headers(fan["id"]), "Content-Type": "application/json"})
    assert answer.status_code == 201


def _post_comment(client, video_id, user_id, raw: str):
    return client.http.post(
        f"/v1/videos/{video_id}/comments", body=raw,
        headers={**auth_headers(user_id), "Content-Type": "application/json"})


def test_a_lone_surrogate_anywhere_in_a_body_is_a_400_and_changes_nothing(client, sql, make_user):
    # json.loads accepts "\ud800"; UTF-8 (so psycopg) cannot encode it.
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    for payload in ({"content": "hi \ud800"}, {"content": "hi \udfff there"},
                    {"content": "ok", "extra": [{"deep": "\udc00"}]}, {"content": "ok", "k\ud83d": 1}):
        answer = _post_comment(client, video["id"], fan["id"], json.dumps(payload))
        assert answer.status_code == 400, payload
        assert "surrogate" in json.loads(answer.body)["detail"]
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0
    # A proper surrogate pair (an emoji written as escapes) is ordinary text.
    answer = _post_comment(client, video["id"], fan["id"], '{"content": "\\ud83d\\ude00"}')
    assert answer.status_code == 201
    assert sql("SELECT comment FROM video_comments")[0]["comment"] == "\U0001F600"


@pytest.mark.parametrize("depth", [33, 900, 5000, 20000])
def test_a_deeply_nested_body_is_a_400_and_changes_nothing(client, sql, make_user, depth):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    raw = '{"content": "ok", "extra": ' + "[" * depth + "]" * depth + "}"
    answer = _post_comment(client, video["id"], fan["id"], raw)
    assert answer.status_code == 400
    assert "nested too deeply" in json.loads(answer.body)["detail"]
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 0


def test_nesting_within_the_limit_is_accepted(client, sql, make_user):
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    raw = '{"content": "ok", "extra": ' + "[" * 30 + "]" * 30 + "}"
    assert _post_comment(client, video["id"], fan["id"], raw).status_code == 201
