"""Per-user write limits in Postgres: 429 with Retry-After, per user and per action."""
from __future__ import annotations

import json

import pytest

from tests.conftest import auth_headers
from tests.support.engagement import make_video, snapshot


def test_likes_over_the_limit_are_429_with_retry_after(client, sql, make_user, settings_env):
    settings_env(RATE_LIMITS="like=2/60")
    owner, fan, other = make_user(), make_user(), make_user()
    videos = [make_video(sql, owner) for _ in range(3)]
    for video in videos[:2]:
        assert client.http.put(f"/v1/videos/{video['id']}/like", headers=auth_headers(fan["id"])).status_code == 200
    before = snapshot(sql)
    refused = client.http.put(f"/v1/videos/{videos[2]['id']}/like", headers=auth_headers(fan["id"]))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "detail" in json.loads(refused.body)
    assert snapshot(sql) == before  # the refused attempt is rolled back with its hit
    # Another user, and another action, have their own allowance.
    assert client.http.put(f"/v1/videos/{videos[2]['id']}/like", headers=auth_headers(other["id"])).status_code == 200
    assert client.http.put(f"/v1/users/{owner['id']}/follow", headers=auth_headers(fan["id"])).status_code == 200


def test_comment_limit(client, sql, make_user, settings_env):
    settings_env(RATE_LIMITS="comment=1/3600")
    owner, fan = make_user(), make_user()
    video = make_video(sql, owner)
    path = f"/v1/videos/{video['id']}/comments"
    headers = {**auth_headers(fan["id"]), "Content-Type": "application/json"}
    assert client.http.post(path, body='{"content": "one"}', headers=headers).status_code == 201
    refused = client.http.post(path, body='{"content": "two"}', headers=headers)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert sql("SELECT count(*) AS n FROM video_comments")[0]["n"] == 1


def test_limit_check_for_other_writes(sql, make_user, database_url, settings_env):
    """The module other areas (uploads) call inside their own transaction."""
    from chalicelib import db, ratelimit
    from chalicelib.errors import TooManyRequests

    settings_env(RATE_LIMITS="upload=1/3600")
    user = str(make_user()["id"])
    db.in_transaction(lambda conn: ratelimit.check(conn, user, "upload"))
    with pytest.raises(TooManyRequests) as refused:
        db.in_transaction(lambda conn: ratelimit.check(conn, user, "upload"))
    assert refused.value.retry_after_s > 0
    from chalicelib.chalice_app.error_answers import headers_of

    assert headers_of(refused.value)["Retry-After"].isdigit()  # the HTTP layer says it
    for _ in range(3):  # a known action the configuration does not list: unlimited
        db.in_transaction(lambda conn: ratelimit.check(conn, user, "like"))
    with pytest.raises(ValueError):  # a name that is no action: an error, never unlimited
        db.in_transaction(lambda conn: ratelimit.check(conn, user, "unlisted-action"))


def test_parse_rejects_nonsense():
    from chalicelib.ratelimit import Limit, parse

    assert parse("like=5/10, comment=1/60") == {"like": Limit(5, 10), "comment": Limit(1, 60)}
    for bad in ("like=0/60", "like=x/60", "like=5"):
        with pytest.raises(ValueError):
            parse(bad)
